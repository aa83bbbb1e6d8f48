/** Queues with a dead-letter queue behind them, and the depth alarm every DLQ gets. */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** Messages kept in a DLQ for inspection and redrive: the SQS maximum. */
export const DLQ_RETENTION = Duration.days(14);

/** An encrypted, TLS-only dead-letter queue; `visibilityTimeout` when a function consumes it. */
export function newDeadLetterQueue(scope: Construct, id: string, visibilityTimeout?: Duration, fifo?: boolean): sqs.Queue {
  return new sqs.Queue(scope, id, {
    // a FIFO queue's dead-letter queue must itself be FIFO
    fifo: fifo || undefined,
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: DLQ_RETENTION,
    visibilityTimeout,
  });
}

/** Alarms as soon as one message sits in the dead-letter queue. */
export function newDeadLetterAlarm(scope: Construct, id: string, dlq: sqs.IQueue, alarmName: string, what: string): cloudwatch.Alarm {
  return new cloudwatch.Alarm(scope, id, {
    alarmName,
    alarmDescription: `${what}: messages in the dead-letter queue need inspection and redrive.`,
    metric: dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: cloudwatch.Stats.MAXIMUM }),
    threshold: 0,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}
