/**
 * The web console as a static site: a private S3 bucket served by CloudFront through origin access
 * control, the Vite build of console/ deployed with a config.json that names the HTTP API and the
 * hosted sign-in. The console is built at synth time (asset bundling runs `vite build` locally),
 * like the functions. The site comes first (the sign-in's app client sends users back to its URL),
 * its files once the API and the sign-in exist (`deploy`).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DockerImage, Duration, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { rules } from 'cdk-nag';
import { Construct } from 'constructs';
import type { ConsoleConfig } from '../console/src/config.ts';
import { PROJECT_ROOT } from './credit-function.ts';
import { acknowledge, acknowledgeFindings, acknowledgeFindingsMatching, LAMBDA_BASIC_EXECUTION_FINDING, NAG_ENV, nagArn } from './nag.ts';
import type { StageConfig } from './stage.ts';

export const CONSOLE_SOURCE = path.join(PROJECT_ROOT, 'console');

let built: string | undefined;
/** `vite build` once per process (every stack of an App deploys the same files). */
function buildConsole(): string {
  if (built && existsSync(built)) return built;
  const out = mkdtempSync(path.join(tmpdir(), 'console-build-'));
  execFileSync(
    process.execPath,
    [
      path.join(PROJECT_ROOT, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      path.join(CONSOLE_SOURCE, 'vite.config.ts'),
      '--outDir',
      out,
      '--logLevel',
      'warn',
    ],
    { cwd: PROJECT_ROOT, stdio: 'inherit' },
  );
  built = out;
  return out;
}

export interface ConsoleConstructProps {
  config: StageConfig;
  /** Where the bucket's and the distribution's access logs go (server access logs). */
  accessLogBucket: s3.IBucket;
}

export class ConsoleConstruct extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** https://{distribution domain}, no trailing slash. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ConsoleConstructProps) {
    super(scope, id);
    const { config } = props;
    const secureBucket = {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
    };

    this.bucket = new s3.Bucket(this, 'SiteBucket', {
      ...secureBucket,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogBucket,
      serverAccessLogsPrefix: 'console-site/',
      lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(7) }],
      // the site is rebuilt from the repository on every deploy: nothing in it needs keeping
      removalPolicy: config.dataRemovalPolicy,
      autoDeleteObjects: config.autoDeleteObjects,
    });
    // CloudFront standard logs are written with ACLs, which BUCKET_OWNER_ENFORCED buckets refuse
    const cdnLogs = new s3.Bucket(this, 'CdnLogBucket', {
      ...secureBucket,
      objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
      serverAccessLogsBucket: props.accessLogBucket,
      serverAccessLogsPrefix: 'console-cdn-logs/',
      lifecycleRules: [{ expiration: config.accessLogExpiration, abortIncompleteMultipartUploadAfter: Duration.days(7) }],
      removalPolicy: config.dataRemovalPolicy,
      autoDeleteObjects: config.autoDeleteObjects,
    });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `${config.namePrefix} web console`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
      },
      // client-side routes: any unknown path is the app
      errorResponses: [403, 404].map((httpStatus) => ({ httpStatus, responseHttpStatus: 200, responsePagePath: '/index.html', ttl: Duration.minutes(1) })),
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      enableLogging: true,
      logBucket: cdnLogs,
      logFilePrefix: 'cdn/',
      priceClass: cloudfront.PriceClass.PRICE_CLASS_ALL,
    });
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      'The console serves every region its users sign in from; access is by Cognito sign-in, not by geography.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR2',
      'Static files only (no server-side logic behind this distribution); the API it calls is throttled at API Gateway.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR4',
      'The default *.cloudfront.net certificate allows older TLS; a custom domain with an ACM certificate (TLSv1.2_2021 set above) applies the minimum.',
    );

    this.url = `https://${this.distribution.distributionDomainName}`;
  }

  /** Deploys the console build with its config.json (the API's URL and the hosted sign-in; tokens resolve at deploy time). */
  deploy(site: ConsoleConfig): void {
    new s3deploy.BucketDeployment(this, 'Deploy', {
      destinationBucket: this.bucket,
      distribution: this.distribution,
      sources: [
        s3deploy.Source.asset(CONSOLE_SOURCE, {
          exclude: ['dist', 'node_modules'],
          bundling: {
            image: DockerImage.fromRegistry('node:22-slim'),
            local: {
              tryBundle(outputDir) {
                cpSync(buildConsole(), outputDir, { recursive: true });
                return true;
              },
            },
          },
        }),
        s3deploy.Source.jsonData('config.json', site),
      ],
      memoryLimit: 512,
    });
    // the deployment's provider is a stack-level singleton function that aws-cdk-lib defines
    const provider = Stack.of(this).node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!provider) throw new Error('the BucketDeployment provider function was not found');
    acknowledgeFindingsMatching(
      provider,
      'AwsSolutions-IAM4',
      rules.iam.IAMNoManagedPolicies,
      [LAMBDA_BASIC_EXECUTION_FINDING],
      'The CDK BucketDeployment provider function writes its own logs with AWSLambdaBasicExecutionRole.',
    );
    const copyReason =
      'The CDK BucketDeployment provider copies the console build from the CDK asset bucket into the site bucket and prunes old files: object-level actions on those two buckets only.';
    acknowledgeFindings(
      provider,
      'AwsSolutions-IAM5',
      [
        'Action::s3:GetBucket*',
        'Action::s3:GetObject*',
        'Action::s3:List*',
        'Action::s3:Abort*',
        'Action::s3:DeleteObject*',
        `Resource::${nagArn(this.bucket)}/*`,
      ],
      copyReason,
    );
    // the bootstrap asset bucket's name carries the account and region (literal in a concrete environment)
    acknowledgeFindingsMatching(
      provider,
      'AwsSolutions-IAM5',
      rules.iam.IAMNoWildcardPermissions,
      [new RegExp(`^Resource::arn:${NAG_ENV.partition}:s3:::cdk-[a-z0-9]+-assets-${NAG_ENV.account}-${NAG_ENV.region}/\\*$`)],
      copyReason,
    );
    acknowledgeFindings(
      provider,
      'AwsSolutions-IAM5',
      ['Resource::*'],
      'cloudfront:CreateInvalidation after a deployment: CloudFront invalidation permissions do not take a distribution ARN in the policy aws-cdk-lib writes.',
    );
    acknowledge(provider, 'AwsSolutions-L1', 'The CDK BucketDeployment provider function runtime is chosen by aws-cdk-lib.');
  }
}
