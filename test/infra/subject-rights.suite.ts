/**
 * The subject-rights slice of the stack: the objections and report-quota tables, least-privilege
 * grants of the rights functions, the two housekeeping schedules, and the overdue-objection alarm.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CreditPlatformStack } from '../../lib/credit-platform-stack.ts';
import { SERVICE_NAME } from '../../lib/credit-function.ts';
import { FUNCTIONS, type FunctionName, type TableName } from '../../lib/platform.ts';
import { OVERDUE_OBJECTIONS_METRIC } from '../../functions/core/objections.ts';
import { MISSING_CALENDAR_METRIC } from '../../functions/core/work-calendar.ts';
import { OVERDUE_FEEDBACK_METRIC } from '../../functions/core/credit-lists.ts';
import { logicalId, synthesized } from './synth.ts';

let dev: CreditPlatformStack;
let template: Template;

beforeAll(() => {
  dev = synthesized().stacks.dev;
  template = Template.fromStack(dev);
});

/** Every action the function's role may take on the table (its ARN or its indexes). */
function actionsOn(name: FunctionName, table: TableName): Set<string> {
  const roleId = logicalId(dev.functions[name]!.executionRole);
  const tableId = logicalId(dev.storage.tables[table]);
  const actions = new Set<string>();
  for (const policy of Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: Match.arrayWith([{ Ref: roleId }]) } }))) {
    for (const st of (policy as any).Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>) {
      if (!JSON.stringify(st.Resource).includes(tableId)) continue;
      for (const a of [st.Action].flat()) actions.add(a);
    }
  }
  return actions;
}

const WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

describe('subject rights', () => {
  it('has the objections table with its five indexes, encrypted with the personal-data key, and the report quota table', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: ['byStatus', 'byDeadline', 'byProvider', 'bySubject', 'byReceived'].map((IndexName) => Match.objectLike({ IndexName })),
      SSESpecification: Match.objectLike({ SSEEnabled: true, SSEType: 'KMS' }),
    });
    expect(dev.storage.tables.reportQuota).toBeDefined();
  });

  it('grants each rights function only what it uses', () => {
    // repair and revocation: the subject tables, nothing of objections, query log or quota
    expect(actionsOn('recordRightsApi', 'legalSubjects')).toContain('dynamodb:UpdateItem');
    for (const t of ['objections', 'queryLog', 'reportQuota', 'authorizations'] as const) expect(actionsOn('recordRightsApi', t).size).toBe(0);
    // the own report reads files, log and objections; it writes only the quota counter
    for (const t of ['legalSubjects', 'naturalSubjects', 'queryLog', 'objections'] as const) {
      const actions = actionsOn('reportApi', t);
      expect(actions).toContain('dynamodb:Query');
      for (const w of WRITES) expect(actions).not.toContain(w);
    }
    expect(actionsOn('reportApi', 'reportQuota')).toContain('dynamodb:UpdateItem');
    // the deadline check only reads objections; expiry touches no objection
    for (const w of WRITES) expect(actionsOn('objectionDeadlines', 'objections')).not.toContain(w);
    expect(actionsOn('objectionDeadlines', 'legalSubjects').size).toBe(0);
    expect(actionsOn('recordExpiry', 'objections').size).toBe(0);
    expect(actionsOn('objectionsApi', 'queryLog').size).toBe(0);
  });

  it('schedules the deadline check every 15 minutes and expiry hourly at half past (01:30 Beijing time before the 02:00 export among them)', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(15 minutes)',
      Target: Match.objectLike({ DeadLetterConfig: Match.anyValue(), RetryPolicy: Match.anyValue() }),
    });
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(30 * * * ? *)', ScheduleExpressionTimezone: 'Asia/Shanghai' });
  });

  it('alarms as soon as one objection step is overdue', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: OVERDUE_OBJECTIONS_METRIC,
      Namespace: 'CreditPlatform',
      Dimensions: [{ Name: 'service', Value: SERVICE_NAME }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
    });
  });

  it("alarms when next year's working-day arrangement is missing (from 1 November), checked daily at 09:00 Beijing time", () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'cron(0 9 * * ? *)', ScheduleExpressionTimezone: 'Asia/Shanghai' });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: MISSING_CALENDAR_METRIC,
      Namespace: 'CreditPlatform',
      Dimensions: [{ Name: 'service', Value: SERVICE_NAME }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      Period: 86400,
    });
    // the calendar job touches the calendar table only; the API that publishes moves deadlines in objections and exports
    expect(actionsOn('calendarCheck', 'objections').size).toBe(0);
    expect(actionsOn('calendarApi', 'calendar')).toContain('dynamodb:PutItem');
    expect(actionsOn('objectionsApi', 'calendar')).not.toContain('dynamodb:PutItem');
  });

  it('alarms on joint feedback past its deadline, from the metric the list clock emits', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: OVERDUE_FEEDBACK_METRIC,
      Namespace: 'CreditPlatform',
      Dimensions: [{ Name: 'service', Value: SERVICE_NAME }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expect(FUNCTIONS.jointLists.trigger).toMatchObject({ kind: 'schedule' });
  });
});
