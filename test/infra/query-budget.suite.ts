/**
 * Per-unit daily query budgets in the stack: the counters' table with its byDay index, the query
 * functions' UpdateItem-only grant on it, the hourly volume watch (read only) on its schedule, and
 * the two alarms on the metrics the handlers and the watch emit.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CreditPlatformStack } from '../../lib/credit-platform-stack.ts';
import { SERVICE_NAME } from '../../lib/credit-function.ts';
import type { FunctionName, TableName } from '../../lib/platform.ts';
import { QUERY_BUDGET_EXCEEDED_METRIC, QUERY_VOLUME_ANOMALY_METRIC } from '../../functions/core/query-budget.ts';
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

describe('query budgets', () => {
  it('keeps one counter per unit and day in its own table, listed by day through the byDay index', () => {
    const table = template.findResources('AWS::DynamoDB::Table')[logicalId(dev.storage.tables.queryBudgets)]!.Properties;
    expect(table.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(table.GlobalSecondaryIndexes).toEqual([
      expect.objectContaining({
        IndexName: 'byDay',
        KeySchema: [
          { AttributeName: 'daypk', KeyType: 'HASH' },
          { AttributeName: 'daysk', KeyType: 'RANGE' },
        ],
      }),
    ]);
  });

  it('lets the query functions only add to a counter, and the watch only read', () => {
    for (const fn of ['subjectsApi', 'checksApi'] as const) expect([...actionsOn(fn, 'queryBudgets')]).toEqual(['dynamodb:UpdateItem']);
    const watch = actionsOn('queryVolumeWatch', 'queryBudgets');
    expect(watch).toContain('dynamodb:Query');
    for (const w of ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']) expect(watch).not.toContain(w);
    // nothing else writes the counters
    for (const fn of Object.keys(dev.functions) as FunctionName[]) {
      if (fn === 'subjectsApi' || fn === 'checksApi') continue;
      expect(actionsOn(fn, 'queryBudgets'), fn).not.toContain('dynamodb:UpdateItem');
    }
  });

  it('runs the volume watch hourly in Beijing time', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(55 * * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      Target: Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId(dev.functions.queryVolumeWatch!), 'Arn'] } }),
    });
  });

  it('alarms when a unit is refused for its budget and when a unit passes 5x its 30-day median', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `${dev.config.namePrefix}-query-budget-exceeded`,
      MetricName: QUERY_BUDGET_EXCEEDED_METRIC,
      Namespace: 'CreditPlatform',
      Dimensions: [{ Name: 'service', Value: SERVICE_NAME }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `${dev.config.namePrefix}-query-volume-anomaly`,
      MetricName: QUERY_VOLUME_ANOMALY_METRIC,
      Namespace: 'CreditPlatform',
      Dimensions: [{ Name: 'service', Value: SERVICE_NAME }],
      Statistic: 'Maximum',
      Period: 3600,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });
});
