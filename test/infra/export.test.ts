/**
 * The national export in the CDK stack: the daily schedule (Beijing time, per-stage override,
 * retry policy and DLQ) that queues a run, the run function sized for 100,000 records, the signing
 * secret in Secrets Manager readable by the run alone, and the alarms on rejections, overdue and
 * held records and the run queue's DLQ.
 */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CreditPlatformStack } from '../../lib/credit-platform-stack.ts';
import { FUNCTIONS } from '../../lib/platform.ts';
import { SCHEDULE_RETRY_ATTEMPTS } from '../../lib/schedules-construct.ts';
import { parseNationalEndpoint, parseScheduleExpression, stageConfig } from '../../lib/stage.ts';
import { cdkJsonContext, logicalId } from './synth.ts';

let prod: CreditPlatformStack;
let dev: CreditPlatformStack;
let prodTemplate: Template;
let devTemplate: Template;

beforeAll(() => {
  // schedules, grants and alarms are asserted here; the bundles are tested by credit-platform-stack.test.ts
  const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
  const prodConfig = stageConfig('prod', ['*'], { nationalEndpoint: 'https://exchange.example.gov.cn/v1/records' });
  const devConfig = stageConfig('dev', ['*'], { exportSchedule: 'cron(30 3 * * ? *)' });
  prod = new CreditPlatformStack(app, prodConfig.namePrefix, { config: prodConfig });
  dev = new CreditPlatformStack(app, devConfig.namePrefix, { config: devConfig });
  prodTemplate = Template.fromStack(prod);
  devTemplate = Template.fromStack(dev);
}, 600_000);

const queueArn = (stack: CreditPlatformStack) => ({ 'Fn::GetAtt': [logicalId(stack.ingest.queues.exportRuns), 'Arn'] });

describe('national export infrastructure', () => {
  it('queues a run daily at 02:00 Beijing time, with a retry policy and a DLQ', () => {
    prodTemplate.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 2 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      Target: {
        Arn: queueArn(prod),
        Input: JSON.stringify({ trigger: 'SCHEDULE' }),
        RetryPolicy: { MaximumRetryAttempts: SCHEDULE_RETRY_ATTEMPTS, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalId(prod.schedules.deadLetterQueue), 'Arn'] } },
      },
    });
  });

  it('takes the schedule from the stage when one is configured', () => {
    devTemplate.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(30 3 * * ? *)', Target: { Arn: queueArn(dev) } });
    expect(parseScheduleExpression('cron(0 1 * * ? *)', 'exportSchedule')).toBe('cron(0 1 * * ? *)');
    expect(() => parseScheduleExpression('daily', 'exportSchedule')).toThrow(/cron/);
    expect(() => parseNationalEndpoint('http://insecure.example')).toThrow(/https/);
  });

  it('sizes the run function for 100,000 records and feeds it from the run queue', () => {
    const fn = prod.functions.exportRun!;
    prodTemplate.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: Match.absent(),
      Timeout: 900,
      MemorySize: FUNCTIONS.exportRun.memoryMb,
      Environment: {
        Variables: Match.objectLike({
          NATIONAL_ENDPOINT: 'https://exchange.example.gov.cn/v1/records',
          NATIONAL_SECRET_ARN: { Ref: logicalId(prod.storage.nationalSecret) },
          EXPORTS_TABLE: { Ref: logicalId(prod.storage.tables.exports) },
        }),
      },
    });
    prodTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: queueArn(prod),
      FunctionName: { Ref: logicalId(fn) },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    // dev has no endpoint configured: the run ends FAILED saying so rather than sending anywhere
    const devVars = Template.fromStack(dev).findResources('AWS::Lambda::Function');
    const devRun = devVars[logicalId(dev.functions.exportRun!)]!.Properties.Environment.Variables;
    expect(devRun.NATIONAL_ENDPOINT).toBeUndefined();
  });

  it('keeps the signing key in Secrets Manager, readable by the run function only', () => {
    prodTemplate.hasResourceProperties('AWS::SecretsManager::Secret', { Description: Match.stringLikeRegexp('national export') });
    const secret = logicalId(prod.storage.nationalSecret);
    const policies = prodTemplate.findResources('AWS::IAM::Policy');
    const readers = Object.values(policies)
      .filter((p) => JSON.stringify(p.Properties.PolicyDocument).includes(`"Ref":"${secret}"`))
      .flatMap((p) => p.Properties.Roles.map((r: { Ref: string }) => r.Ref));
    expect(readers).toEqual([logicalId(prod.functions.exportRun!.executionRole)]);
  });

  it('alarms on rejections, overdue and held records, and on the run queue DLQ', () => {
    for (const [name, metric] of [
      ['export-rejections', 'ExportRecordsRejected'],
      ['export-overdue', 'ExportOverdueRecords'],
      ['export-held', 'ExportHeldRecords'],
    ]) {
      prodTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `credit-platform-prod-${name}`,
        MetricName: metric,
        Namespace: 'CreditPlatform',
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
    }
    prodTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'credit-platform-prod-exportRuns-dlq' });
  });

  it('gives the exports table its sparse deadline and held indexes', () => {
    prodTemplate.hasResourceProperties('AWS::DynamoDB::Table', {
      GlobalSecondaryIndexes: Match.arrayWith([
        Match.objectLike({
          IndexName: 'byDeadline',
          KeySchema: [
            { AttributeName: 'duepk', KeyType: 'HASH' },
            { AttributeName: 'duesk', KeyType: 'RANGE' },
          ],
        }),
        Match.objectLike({ IndexName: 'byHeld' }),
      ]),
    });
  });
});
