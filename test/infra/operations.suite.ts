/**
 * Alarms reach a person: every alarm of every stack (both stages, every environment) notifies the
 * stage's KMS-encrypted topic on ALARM and on OK, including alarms added by constructs that never
 * name the topic; the operational alarms exist for every function, the API, the export run and
 * each schedule; the dashboard shows metrics the code actually emits.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { beforeAll, describe, expect, it } from 'vitest';
import { AlarmTopic } from '../../lib/alarm-topic.ts';
import { PROJECT_ROOT } from '../../lib/credit-function.ts';
import type { CreditPlatformStack } from '../../lib/credit-platform-stack.ts';
import { PLATFORM_METRICS, scheduleInterval } from '../../lib/operations-construct.ts';
import { FUNCTIONS, type FunctionName } from '../../lib/platform.ts';
import { stageConfig } from '../../lib/stage.ts';
import { ENVIRONMENT_NAMES, logicalId, synthesized } from './synth.ts';

let dev: CreditPlatformStack;
let template: Template;

beforeAll(() => {
  dev = synthesized().stacks.dev;
  template = Template.fromStack(dev);
});

type Resource = { Type: string; Properties: Record<string, unknown>; Condition?: string };
const alarmsOf = (t: Template) => Object.entries(t.findResources('AWS::CloudWatch::Alarm') as Record<string, Resource>);

describe('alarm actions', () => {
  it('gives every alarm of every stack the stage topic as alarm action and OK action', () => {
    const platform = synthesized();
    for (const env of ENVIRONMENT_NAMES) {
      for (const stack of Object.values(platform.environments[env])) {
        const topic = { Ref: logicalId(stack.alarmTopic.topic) };
        const alarms = alarmsOf(Template.fromStack(stack));
        expect(alarms.length).toBeGreaterThan(60);
        for (const [id, alarm] of alarms) {
          expect(alarm.Properties.AlarmActions, `${env} ${stack.stackName} ${id}`).toEqual([topic]);
          expect(alarm.Properties.OKActions, `${env} ${stack.stackName} ${id}`).toEqual([topic]);
        }
      }
    }
  });

  it('reaches alarms added after the topic, L2 and L1 alike, by an Aspect', () => {
    const stack = new Stack(new App(), 'Probe');
    new AlarmTopic(stack, 'Alarms', { config: stageConfig('dev') });
    const metric = new cloudwatch.Metric({ namespace: 'Probe', metricName: 'Late' });
    new cloudwatch.Alarm(stack, 'AddedLater', { metric, threshold: 1, evaluationPeriods: 1 });
    new cloudwatch.CfnAlarm(stack, 'Raw', {
      comparisonOperator: 'GreaterThanThreshold',
      evaluationPeriods: 1,
      threshold: 1,
      metricName: 'Raw',
      namespace: 'Probe',
      period: 60,
      statistic: 'Sum',
    });
    const alarms = alarmsOf(Template.fromStack(stack));
    expect(alarms).toHaveLength(2);
    for (const [, alarm] of alarms) {
      expect(alarm.Properties.AlarmActions).toHaveLength(1);
      expect(alarm.Properties.OKActions).toEqual(alarm.Properties.AlarmActions);
    }
  });
});

describe('alarm topic', () => {
  it('is encrypted with its own rotated key, which CloudWatch may use to publish', () => {
    const topic = template.findResources('AWS::SNS::Topic');
    expect(Object.values(topic)).toHaveLength(1);
    template.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'credit-platform-dev-alarms',
      KmsMasterKeyId: { 'Fn::GetAtt': [logicalId(dev.alarmTopic.key), 'Arn'] },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] })]),
      },
    });
    // TLS only
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('subscribes the e-mail addresses and phone numbers of the stage config, SMS outside China only', () => {
    const config = stageConfig('prod', ['*'], {}, { emails: ['ops@example.gov.cn', 'oncall@example.gov.cn'], sms: ['+85291234567'] });
    const agnostic = new Stack(new App(), 'Agnostic');
    new AlarmTopic(agnostic, 'Alarms', { config });
    const t = Template.fromStack(agnostic);
    t.resourceCountIs('AWS::SNS::Subscription', 3);
    for (const email of config.alarmSubscriptions.emails) t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: email });
    const sms = t.findResources('AWS::SNS::Subscription', { Properties: { Protocol: 'sms', Endpoint: '+85291234567' } }) as Record<string, Resource>;
    const [smsSubscription] = Object.values(sms);
    expect(smsSubscription?.Condition).toBeDefined();
    expect(t.toJSON().Conditions[smsSubscription!.Condition!]).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AWS::Partition' }, 'aws-cn'] }] });

    const hongKong = new Stack(new App(), 'HongKong', { env: { account: '123456789012', region: 'ap-east-1' } });
    new AlarmTopic(hongKong, 'Alarms', { config });
    expect(
      Object.values(Template.fromStack(hongKong).findResources('AWS::SNS::Subscription', { Properties: { Protocol: 'sms' } }))[0]?.Condition,
    ).toBeUndefined();

    const beijing = new Stack(new App(), 'Beijing', { env: { account: '123456789012', region: 'cn-north-1' } });
    expect(() => new AlarmTopic(beijing, 'Alarms', { config })).toThrow(/alarmSms: SNS does not send text messages in cn-north-1/);
  });
});

describe('operational alarms', () => {
  const alarmNamed = (name: string) => {
    const found = alarmsOf(template).filter(([, alarm]) => alarm.Properties.AlarmName === name);
    expect(found, name).toHaveLength(1);
    return found[0]![1].Properties;
  };
  const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

  it('alarms on the errors and the throttles of every manifest function', () => {
    for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
      const fnRef = { Ref: logicalId(dev.functions[name]!) };
      for (const [suffix, metricName] of [
        ['errors', 'Errors'],
        ['throttles', 'Throttles'],
      ] as const) {
        const alarm = alarmNamed(`credit-platform-dev-${kebab(name)}-${suffix}`);
        expect(alarm).toMatchObject({ Namespace: 'AWS/Lambda', MetricName: metricName, Dimensions: [{ Name: 'FunctionName', Value: fnRef }], Threshold: 0 });
      }
    }
  });

  it('alarms when a scheduled job did not run, over its own interval', () => {
    const scheduled = (Object.keys(FUNCTIONS) as FunctionName[]).filter((name) => {
      const trigger = FUNCTIONS[name].trigger;
      return trigger.kind === 'schedule' || (trigger.kind === 'queue' && trigger.schedule !== undefined);
    });
    expect(scheduled).toContain('exportRun');
    expect(scheduled).toContain('objectionDeadlines');
    for (const name of scheduled) {
      const trigger = FUNCTIONS[name].trigger;
      const expression = trigger.kind === 'schedule' ? trigger.expression : trigger.kind === 'queue' ? trigger.schedule!.expression : '';
      const alarm = alarmNamed(`credit-platform-dev-${kebab(name)}-missed-run`);
      expect(alarm).toMatchObject({
        MetricName: 'Invocations',
        Statistic: 'Sum',
        Period: scheduleInterval(expression)!.toSeconds(),
        ComparisonOperator: 'LessThanThreshold',
        Threshold: 1,
        TreatMissingData: 'breaching',
      });
      expect((alarm.Period as number) * (alarm.EvaluationPeriods as number)).toBeLessThanOrEqual(86_400);
    }
  });

  it('alarms on the API 5xx rate and p95 latency, and on an export run that ended FAILED', () => {
    const rate = alarmNamed('credit-platform-dev-api-5xx-rate');
    expect(JSON.stringify(rate.Metrics)).toContain('100 * errors / requests');
    expect(JSON.stringify(rate.Metrics)).toContain('"MetricName":"5xx"');
    expect(alarmNamed('credit-platform-dev-api-latency')).toMatchObject({ MetricName: 'Latency', ExtendedStatistic: 'p95' });
    expect(alarmNamed('credit-platform-dev-export-run-failed')).toMatchObject({
      Namespace: 'CreditPlatform',
      MetricName: 'ExportRunsFailed',
      Dimensions: [{ Name: 'service', Value: 'credit-platform' }],
    });
  });
});

/** Every .ts file under functions/, as text. */
function functionSources(dir = path.join(PROJECT_ROOT, 'functions')): string {
  return readdirSync(dir)
    .map((entry) => path.join(dir, entry))
    .map((file) => (statSync(file).isDirectory() ? functionSources(file) : file.endsWith('.ts') ? readFileSync(file, 'utf8') : ''))
    .join('\n');
}

describe('dashboard', () => {
  it('has one dashboard per stage showing the metrics the handlers emit', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard')) as Resource[];
    expect(dashboard!.Properties.DashboardName).toBe('credit-platform-dev');
    const body = JSON.stringify(dashboard!.Properties.DashboardBody);
    const sources = functionSources();
    for (const metricName of Object.values(PLATFORM_METRICS)) {
      expect(body, metricName).toContain(`\\"${metricName}\\"`);
      // emitted somewhere: by name, or through the constant the name is declared in
      expect(sources, metricName).toContain(`'${metricName}'`);
    }
    expect(body).toContain('stats count(*) as queries by role');
  });

  it('reads the interval of rate and daily or hourly cron schedules', () => {
    expect(scheduleInterval('rate(5 minutes)')?.toSeconds()).toBe(300);
    expect(scheduleInterval('rate(1 hour)')?.toSeconds()).toBe(3600);
    expect(scheduleInterval('cron(0 2 * * ? *)')?.toSeconds()).toBe(Duration.days(1).toSeconds());
    expect(scheduleInterval('cron(15 * * * ? *)')?.toSeconds()).toBe(3600);
    expect(scheduleInterval('cron(0 2 ? * MON *)')).toBeUndefined();
    expect(scheduleInterval('cron(0 2 1 * ? *)')).toBeUndefined();
  });
});
