/** SQS sending in batches of ten, failing loudly if any entry is refused. */
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { sqs } from './clients.ts';

export async function sendAll(queueUrl: string, bodies: unknown[]): Promise<void> {
  for (let i = 0; i < bodies.length; i += 10) {
    const slice = bodies.slice(i, i + 10);
    let entries = slice.map((b, j) => ({ Id: String(j), MessageBody: JSON.stringify(b) }));
    for (let attempt = 0; entries.length && attempt < 5; attempt++) {
      const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      const failed = new Set((out.Failed ?? []).map((f) => f.Id));
      entries = entries.filter((e) => failed.has(e.Id));
    }
    if (entries.length) throw new Error(`SQS refused ${entries.length} message(s) after retries`);
  }
}
