/**
 * Ingestion: the queues of lib/platform.ts with their DLQs and alarms, the S3 notifications that
 * feed them, and the queue-triggered functions (register-upload, process-chunk).
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { CreditFunction } from './credit-function.ts';
import { newDeadLetterAlarm, newDeadLetterQueue } from './dead-letter.ts';
import { acknowledgeFindings } from './nag.ts';
import { BUCKETS, FUNCTIONS, type FunctionName, QUEUES, type QueueName } from './platform.ts';
import { pascal, type StageConfig } from './stage.ts';
import type { StorageConstruct } from './storage-construct.ts';
import { createPlatformFunction, entriesOf, type PlatformResources } from './wiring.ts';

/** Messages not picked up within this time are lost; long enough to outlast any outage we plan for. */
const QUEUE_RETENTION = Duration.days(4);

export interface IngestConstructProps {
  config: StageConfig;
  storage: StorageConstruct;
}

export class IngestConstruct extends Construct {
  readonly queues: Record<QueueName, sqs.Queue>;
  readonly deadLetterQueues: Record<QueueName, sqs.Queue>;
  /** Everything functions may be wired to: storage plus these queues. */
  readonly resources: PlatformResources;
  readonly functions: Partial<Record<FunctionName, CreditFunction>> = {};

  constructor(scope: Construct, id: string, props: IngestConstructProps) {
    super(scope, id);
    const { config, storage } = props;

    this.queues = {} as Record<QueueName, sqs.Queue>;
    this.deadLetterQueues = {} as Record<QueueName, sqs.Queue>;
    for (const [name, def] of entriesOf(QUEUES)) {
      const dlq = newDeadLetterQueue(this, `${pascal(name)}Dlq`);
      this.queues[name] = new sqs.Queue(this, `${pascal(name)}Queue`, {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        visibilityTimeout: Duration.seconds(def.visibilityTimeoutSeconds),
        retentionPeriod: QUEUE_RETENTION,
        deadLetterQueue: { queue: dlq, maxReceiveCount: def.maxReceiveCount },
      });
      this.deadLetterQueues[name] = dlq;
      newDeadLetterAlarm(this, `${pascal(name)}DlqAlarm`, dlq, `${config.namePrefix}-${name}-dlq`, `Queue ${name}`);
    }

    // SSE-SQS (not the aws/sqs KMS key): S3 can send notifications to it without a key policy.
    for (const [bucketName, def] of entriesOf(BUCKETS)) {
      if (!def.notify) continue;
      storage.buckets[bucketName].addEventNotification(
        s3.EventType.OBJECT_CREATED,
        new s3n.SqsDestination(this.queues[def.notify.queue]),
        { prefix: def.notify.prefix },
      );
    }

    this.resources = {
      tables: storage.tables,
      buckets: storage.buckets,
      queues: this.queues,
      personalDataKey: storage.personalDataKey,
      pepperSecret: storage.pepperSecret,
    };

    for (const [name, def] of entriesOf(FUNCTIONS)) {
      const trigger = def.trigger;
      if (trigger.kind !== 'queue') continue;
      const queueDef = QUEUES[trigger.queue];
      if (queueDef.visibilityTimeoutSeconds < 6 * def.timeoutSeconds) {
        throw new Error(
          `lib/platform.ts: queue ${trigger.queue} has visibilityTimeoutSeconds ${queueDef.visibilityTimeoutSeconds}, ` +
            `less than 6 x the ${def.timeoutSeconds}s timeout of its consumer ${name}.`,
        );
      }
      const queue = this.queues[trigger.queue];
      const fn = createPlatformFunction(this, name, this.resources, config);
      fn.addEventSource(
        new SqsEventSource(queue, {
          batchSize: trigger.batchSize,
          maxConcurrency: trigger.maxConcurrency,
          reportBatchItemFailures: true,
        }),
      );
      fn.addEnvironment(queueDef.env, queue.queueUrl);
      this.functions[name] = fn;
    }

    // The bucket notification is applied by CDK's singleton custom resource at stack level.
    const handler = Stack.of(this).node.tryFindChild('BucketNotificationsHandler050a0587b7544547bf325f094a3db834');
    if (handler) {
      acknowledgeFindings(
        handler,
        'AwsSolutions-IAM4',
        ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
        "CDK's BucketNotificationsHandler (applies the S3 -> SQS notification during deployments) writes its own logs with AWSLambdaBasicExecutionRole; the role is created by CDK.",
      );
      acknowledgeFindings(
        handler,
        'AwsSolutions-IAM5',
        ['Resource::*'],
        "CDK's BucketNotificationsHandler is granted s3:PutBucketNotification on Resource '*' by CDK; it runs only during deployments.",
      );
    }
  }
}
