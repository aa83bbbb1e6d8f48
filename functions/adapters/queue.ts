/** SQS sending in batches of ten, failing loudly if any entry is refused. */
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { sqs } from './clients.ts';

/** For FIFO queues, `fifo` gives each message's group and deduplication id. */
export async function sendAll<T>(queueUrl: string, bodies: T[], fifo?: (body: T) => { group: string; dedup: string }): Promise<void> {
  for (let i = 0; i < bodies.length; i += 10) {
    const slice = bodies.slice(i, i + 10);
    let entries = slice.map((b, j) => {
      const f = fifo?.(b);
      return { Id: String(j), MessageBody: JSON.stringify(b), ...(f ? { MessageGroupId: f.group, MessageDeduplicationId: f.dedup } : {}) };
    });
    for (let attempt = 0; entries.length && attempt < 5; attempt++) {
      const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      const failed = new Set((out.Failed ?? []).map((f) => f.Id));
      entries = entries.filter((e) => failed.has(e.Id));
    }
    if (entries.length) throw new Error(`SQS refused ${entries.length} message(s) after retries`);
  }
}
