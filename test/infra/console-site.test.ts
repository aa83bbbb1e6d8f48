/**
 * The web console's static site: a private bucket that only CloudFront (origin access control)
 * reads, HTTPS only, client-side routes answered with index.html, the Vite build and a
 * config.json naming the HTTP API deployed into it; and the statistics and report routes.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CreditPlatformStack } from '../../lib/credit-platform-stack.ts';
import { FUNCTIONS } from '../../lib/platform.ts';
import { buildPlatform, logicalId } from './synth.ts';

let dev: CreditPlatformStack;
let template: Template;

// bundling every function of both stages takes minutes on a busy two-core machine
beforeAll(() => {
  dev = buildPlatform().stacks.dev;
  template = Template.fromStack(dev);
}, 400_000);

describe('console static site', () => {
  it('keeps the site bucket private and lets only the distribution read it, through OAC', () => {
    const bucket = logicalId(dev.console.bucket);
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'console-site/' }),
    });
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', { OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always' }) });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucket },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 's3:GetObject', Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } } }),
        ]),
      },
    });
  });

  it('serves HTTPS only, with index.html for the app and its client-side routes, and logs requests', () => {
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        CustomErrorResponses: [
          { ErrorCode: 403, ResponseCode: 200, ResponsePagePath: '/index.html', ErrorCachingMinTTL: 60 },
          { ErrorCode: 404, ResponseCode: 200, ResponsePagePath: '/index.html', ErrorCachingMinTTL: 60 },
        ],
        Logging: Match.objectLike({ Prefix: 'cdn/' }),
      }),
    });
  });

  it('deploys the console build and a config.json naming the API, and outputs the console URL', () => {
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: { Ref: logicalId(dev.console.bucket) },
      SourceMarkers: Match.arrayWith([Match.objectLike({ '<<marker:0xbaba:0>>': Match.anyValue() })]),
      DistributionId: { Ref: logicalId(dev.console.distribution) },
    });
    expect(Object.keys(template.findOutputs('ConsoleUrl'))).toEqual(['ConsoleUrl']);
  });
});

describe('statistics and report routes', () => {
  it.each(['GET /v1/stats/ingestion', 'GET /v1/stats/quality', 'GET /v1/stats/publicity', 'GET /v1/stats/queries', 'GET /v1/stats/applications', 'GET /v1/stats/objections', 'GET /v1/stats/exports', 'GET /v1/reports/annual'])('routes %s with a JWT authorizer', (route) => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: route, AuthorizationType: 'JWT' });
  });

  it('gives the counting writers UpdateItem alone on the statistics table, and the readers no write', () => {
    const writers = Object.entries(FUNCTIONS).filter(([, def]) => def.tables.stats === 'count').map(([name]) => name);
    expect(writers.sort()).toEqual(['checksApi', 'deadLetters', 'objectionsApi', 'processCheckPart', 'processChunk', 'recordRightsApi']);
    // the interactive query path writes its log entry only; the rollup counts it
    expect(FUNCTIONS.subjectsApi.tables.stats).toBeUndefined();
    expect(FUNCTIONS.statsRollup.tables).toEqual({ queryLog: 'read', stats: 'readWrite' });
    // objections: the open ones past a deadline; exports: the national export's yearly counters
    expect(FUNCTIONS.statsApi.tables).toEqual({ stats: 'read', catalog: 'read', queryLog: 'read', objections: 'read', exports: 'read' });
  });
});
