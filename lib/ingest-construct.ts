/**
 * Ingestion: the queues of lib/platform.ts with their DLQs and alarms, the S3 notifications that
 * feed them, the queue-triggered functions (register-upload, process-chunk) and the functions
 * that consume dead letters (`deadLetters` triggers).
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { rules } from 'cdk-nag';
import { Construct } from 'constructs';
import type { CreditFunction } from './credit-function.ts';
import { newDeadLetterAlarm, newDeadLetterQueue } from './dead-letter.ts';
import { acknowledgeFindings, acknowledgeFindingsMatching, LAMBDA_BASIC_EXECUTION_FINDING } from './nag.ts';
import { BUCKETS, FUNCTIONS, type FunctionName, QUEUES, type QueueName } from './platform.ts';
import { entriesOf, pascal } from './manifest.ts';
import type { StageConfig } from './stage.ts';
import type { StorageConstruct } from './storage-construct.ts';
import { createPlatformFunction, type PlatformResources } from './wiring.ts';

/** Messages not picked up within this time are lost; long enough to outlast any outage we plan for. */
const QUEUE_RETENTION = Duration.days(4);
/** SQS default visibility timeout, kept for dead-letter queues no function consumes. */
const DEFAULT_VISIBILITY_SECONDS = 30;

/** Checks the manifest rule "visibility timeout ≥ 6 × the consumer's timeout". */
function assertVisibility(queue: string, visibilitySeconds: number, consumer: string, timeoutSeconds: number): void {
  if (visibilitySeconds < 6 * timeoutSeconds) {
    throw new Error(
      `lib/platform.ts: queue ${queue} has visibility timeout ${visibilitySeconds}s, less than 6 x the ` +
        `${timeoutSeconds}s timeout of its consumer ${consumer}.`,
    );
  }
}

/** Dead-letter queues consumed by a function stay invisible for 6 × that function's timeout. */
function deadLetterVisibility(queue: QueueName): Duration | undefined {
  const timeouts = Object.values(FUNCTIONS)
    .filter((def) => def.trigger.kind === 'deadLetters' && def.trigger.queues.includes(queue))
    .map((def) => def.timeoutSeconds);
  if (timeouts.length === 0) return undefined;
  return Duration.seconds(Math.max(DEFAULT_VISIBILITY_SECONDS, 6 * Math.max(...timeouts)));
}

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
      const dlq = newDeadLetterQueue(this, `${pascal(name)}Dlq`, deadLetterVisibility(name), def.fifo);
      this.queues[name] = new sqs.Queue(this, `${pascal(name)}Queue`, {
        // SSE-SQS rather than the aws/sqs KMS key, whose policy would not let S3 send notifications.
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        // FIFO: the chunks of one batch (one message group) are processed in order, one at a time
        fifo: def.fifo || undefined,
        visibilityTimeout: Duration.seconds(def.visibilityTimeoutSeconds),
        retentionPeriod: QUEUE_RETENTION,
        deadLetterQueue: { queue: dlq, maxReceiveCount: def.maxReceiveCount },
      });
      this.deadLetterQueues[name] = dlq;
      newDeadLetterAlarm(this, `${pascal(name)}DlqAlarm`, dlq, `${config.namePrefix}-${name}-dlq`, `Queue ${name}`);
    }

    for (const [bucketName, def] of entriesOf(BUCKETS)) {
      if (!def.notify) continue;
      storage.buckets[bucketName].addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.SqsDestination(this.queues[def.notify.queue]), {
        prefix: def.notify.prefix,
      });
    }

    this.resources = {
      tables: storage.tables,
      buckets: storage.buckets,
      queues: this.queues,
      personalDataKey: storage.personalDataKey,
      pepperSecret: storage.pepperSecret,
      nationalSecret: storage.nationalSecret,
      clientKeySecret: storage.clientKeySecret,
    };

    for (const [name, def] of entriesOf(FUNCTIONS)) {
      const trigger = def.trigger;
      if (trigger.kind === 'queue') {
        const queueDef = QUEUES[trigger.queue];
        assertVisibility(trigger.queue, queueDef.visibilityTimeoutSeconds, name, def.timeoutSeconds);
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
      } else if (trigger.kind === 'deadLetters') {
        const fn = createPlatformFunction(this, name, this.resources, config);
        for (const queueName of trigger.queues) {
          // deadLetterVisibility() sized this DLQ's visibility timeout for its consumers.
          fn.addEventSource(new SqsEventSource(this.deadLetterQueues[queueName], { batchSize: trigger.batchSize, reportBatchItemFailures: true }));
        }
        this.functions[name] = fn;
      }
    }

    // The bucket notification is applied by CDK's singleton custom resource at stack level.
    const handler = Stack.of(this).node.tryFindChild('BucketNotificationsHandler050a0587b7544547bf325f094a3db834');
    if (handler) {
      acknowledgeFindingsMatching(
        handler,
        'AwsSolutions-IAM4',
        rules.iam.IAMNoManagedPolicies,
        [LAMBDA_BASIC_EXECUTION_FINDING],
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
