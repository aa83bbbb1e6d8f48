/**
 * The alarms docs/scaling.md names as the first signs that a load outruns the platform: write
 * throttling on the subject tables and their indexes (a throttled index holds back the table's
 * writes), and chunks of uploaded files waiting in their queue for longer than a load should take.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { TABLES } from './platform.ts';

/** A chunk older than this in record-chunks means the pipeline is falling behind its uploads. */
export const CHUNK_BACKLOG_ALARM_AGE = Duration.minutes(30);

export interface CapacityAlarmsProps {
  namePrefix: string;
  subjectTables: Record<'legalSubjects' | 'naturalSubjects', dynamodb.Table>;
  recordChunks: sqs.IQueue;
}

export class CapacityAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: CapacityAlarmsProps) {
    super(scope, id);
    for (const [name, table] of Object.entries(props.subjectTables)) {
      const indexes = TABLES[name as keyof typeof props.subjectTables].indexes.map((i) => i.name);
      // the table's own writes plus each index's: whichever is throttled holds the load back
      const throttles = [undefined, ...indexes].map((index) =>
        table.metric('WriteThrottleEvents', {
          period: Duration.minutes(5),
          statistic: cloudwatch.Stats.SUM,
          dimensionsMap: { TableName: table.tableName, ...(index ? { GlobalSecondaryIndexName: index } : {}) },
        }),
      );
      const usingMetrics = Object.fromEntries(throttles.map((m, i) => [`t${i}`, m]));
      this.alarms.push(
        new cloudwatch.Alarm(this, `${name}WriteThrottles`, {
          alarmName: `${props.namePrefix}-${name}-write-throttles`,
          alarmDescription: `Writes to ${name} or one of its indexes (${indexes.join(', ')}) are being throttled for 15 minutes: a load outruns the table (docs/scaling.md — pre-warm the table, shard a hot index key).`,
          metric: new cloudwatch.MathExpression({ expression: Object.keys(usingMetrics).join(' + '), usingMetrics, period: Duration.minutes(5) }),
          threshold: 0,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 3,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    }
    this.alarms.push(
      new cloudwatch.Alarm(this, 'ChunkBacklog', {
        alarmName: `${props.namePrefix}-record-chunks-backlog`,
        alarmDescription: `A chunk of an uploaded file has waited more than ${CHUNK_BACKLOG_ALARM_AGE.toMinutes()} minutes in record-chunks: ingestion is falling behind (docs/scaling.md).`,
        metric: props.recordChunks.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
        threshold: CHUNK_BACKLOG_ALARM_AGE.toSeconds(),
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
  }
}
