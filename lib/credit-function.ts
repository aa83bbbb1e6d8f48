/**
 * The one Lambda construct of the platform, carrying the house defaults: Node 22 on ARM64,
 * active tracing, an explicit log group with the stage's retention, an execution role without
 * managed policies, and one explicit bundling choice (ESM, minified, source maps, AWS SDK bundled).
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ApplicationLogLevel, Architecture, LoggingFormat, Runtime, SystemLogLevel, Tracing } from 'aws-cdk-lib/aws-lambda';
import { Charset, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { acknowledge, acknowledgeFindings } from './nag.ts';
import { ENV } from './platform.ts';
import type { StageConfig } from './stage.ts';

/** Repository root: entries, package.json "imports" aliases and package-lock.json live here. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** ESM bundles still meet CommonJS code that calls `require` (X-Ray SDK, some SDK deps). */
export const ESM_REQUIRE_BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

export const SERVICE_NAME = 'credit-platform';
export const METRICS_NAMESPACE = 'CreditPlatform';

export interface CreditFunctionProps {
  config: StageConfig;
  /** Entry file relative to the project root (from lib/platform.ts FUNCTIONS). */
  entry: string;
  description: string;
  timeoutSeconds: number;
  memoryMb: number;
}

export class CreditFunction extends NodejsFunction {
  readonly functionLogGroup: logs.LogGroup;
  readonly executionRole: iam.Role;

  constructor(scope: Construct, id: string, props: CreditFunctionProps) {
    const { config } = props;
    const logGroup = new logs.LogGroup(scope, `${id}LogGroup`, {
      retention: config.logRetention,
      removalPolicy: config.dataRemovalPolicy,
    });
    // Own role instead of the default one with the AWSLambdaBasicExecutionRole managed policy:
    // the function may write to its own log group and nothing else until grants are added.
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${id} (${config.stage})`,
    });
    logGroup.grantWrite(role);

    super(scope, id, {
      entry: path.join(PROJECT_ROOT, props.entry),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memoryMb,
      timeout: Duration.seconds(props.timeoutSeconds),
      tracing: Tracing.ACTIVE,
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      applicationLogLevelV2: ApplicationLogLevel[config.logLevel],
      systemLogLevelV2: SystemLogLevel.INFO,
      environment: {
        [ENV.stage]: config.stage,
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: config.logLevel,
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        charset: Charset.UTF8,
        banner: ESM_REQUIRE_BANNER,
        // Bundle @aws-sdk/* too (the default would leave it to the runtime's copy): the function
        // then runs exactly the SDK version package-lock.json pins and the tests mock, one
        // @smithy/types in the tree, and tree-shaking keeps the bundle small.
        externalModules: [],
      },
    });
    this.functionLogGroup = logGroup;
    this.executionRole = role;

    acknowledgeFindings(
      role,
      'AwsSolutions-IAM5',
      ['Resource::*'],
      'Tracing.ACTIVE adds xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level permissions (Resource "*").',
    );
    acknowledge(
      this,
      'AwsSolutions-L1',
      'nodejs22.x is the runtime chosen in docs/architecture.md: the handlers must run on Node 20 (local runtime) and 22 (Lambda); nodejs24.x is not yet validated for this code.',
    );
  }
}
