/**
 * SQS event-source emulation, as Lambda's event source mapping does it: long-poll the queue, hand
 * the handler an SQS event of up to `batchSize` records, delete what succeeded, and leave the
 * reported failures (ReportBatchItemFailures) to reappear after the visibility timeout; the queue's
 * redrive policy moves a message that keeps failing to its DLQ.
 */
import { ChangeMessageVisibilityBatchCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { faults } from '#adapters/faults';
import { lambdaContext } from './lambda-context.ts';

export type SqsHandler = (event: SQSEvent, context: ReturnType<typeof lambdaContext>) => Promise<SQSBatchResponse | void>;

export interface Poller {
  stop(): Promise<void>;
}

export interface PollerOptions {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  functionName: string;
  batchSize: number;
  concurrency: number;
  handler: () => Promise<SqsHandler>;
  onError: (err: unknown) => void;
  /**
   * Seconds before a failed message is offered again. Lambda leaves it to the queue's visibility
   * timeout; locally a short delay keeps retries (and the road to the DLQ) within test time,
   * while the long visibility timeout still protects messages that are being worked on.
   */
  retryDelaySeconds: number;
}

function toRecord(m: Message, queueArn: string): SQSEvent['Records'][number] {
  const attrs = m.Attributes ?? {};
  return {
    messageId: m.MessageId!,
    receiptHandle: m.ReceiptHandle!,
    body: m.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attrs.ApproximateReceiveCount ?? '1',
      SentTimestamp: attrs.SentTimestamp ?? String(Date.now()),
      SenderId: attrs.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: attrs.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: m.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: 'cn-north-1',
  };
}

export function startPoller(o: PollerOptions): Poller {
  let running = true;
  const loops: Promise<void>[] = [];
  const redelivered = new Set<string>();
  const loop = async () => {
    while (running) {
      try {
        const out = await o.sqs.send(
          new ReceiveMessageCommand({ QueueUrl: o.queueUrl, MaxNumberOfMessages: o.batchSize, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['All'] }),
        );
        const messages = out.Messages ?? [];
        if (!messages.length) continue;
        const event: SQSEvent = { Records: messages.map((m) => toRecord(m, o.queueArn)) };
        let failed = new Set<string>();
        try {
          const handler = await o.handler();
          const response = await handler(event, lambdaContext(o.functionName));
          failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
        } catch (err) {
          // the whole invocation failed: every message becomes visible again
          o.onError(err);
          failed = new Set(messages.map((m) => m.MessageId!));
        }
        const retry = messages.filter((m) => failed.has(m.MessageId!));
        for (let i = 0; i < retry.length; i += 10) {
          await o.sqs.send(
            new ChangeMessageVisibilityBatchCommand({
              QueueUrl: o.queueUrl,
              Entries: retry.slice(i, i + 10).map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: o.retryDelaySeconds })),
            }),
          );
        }
        // injected at-least-once delivery: a handled message stays on the queue and comes again
        const again = messages.filter((m) => !failed.has(m.MessageId!) && !redelivered.has(m.MessageId!) && faults.duplicateDelivery());
        for (const m of again) redelivered.add(m.MessageId!);
        for (let i = 0; i < again.length; i += 10) {
          await o.sqs.send(
            new ChangeMessageVisibilityBatchCommand({
              QueueUrl: o.queueUrl,
              Entries: again.slice(i, i + 10).map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 })),
            }),
          );
        }
        const done = messages.filter((m) => !failed.has(m.MessageId!) && !again.includes(m));
        for (let i = 0; i < done.length; i += 10) {
          await o.sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: o.queueUrl,
              Entries: done.slice(i, i + 10).map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle! })),
            }),
          );
        }
      } catch (err) {
        if (running) {
          o.onError(err);
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    }
  };
  for (let i = 0; i < o.concurrency; i++) loops.push(loop());
  return {
    stop: async () => {
      running = false;
      await Promise.all(loops);
    },
  };
}
