/**
 * The local SQS over SQLite (fauxqs 2.4.1 with patches/fauxqs+2.4.1.patch): a message a consumer
 * hands back with ChangeMessageVisibility 0 is offered again and keeps its receive count, in memory
 * and on disk. Unpatched, fauxqs took the message out of flight, then failed on SQLite
 * (NOT NULL sqs_messages.approximate_receive_count) before making it ready: the message was gone.
 * The local runtime relies on this for retries, injected duplicate deliveries and the release of
 * messages a killed run had in flight (local/emulators.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChangeMessageVisibilityCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs } from 'fauxqs';

const dir = mkdtempSync(join(tmpdir(), 'credit-local-sqs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

async function open() {
  const server = await startFauxqs({ port: 0, logger: false, host: '127.0.0.1', defaultRegion: 'cn-north-1', dataDir: dir });
  const sqs = new SQSClient({ region: 'cn-north-1', endpoint: `http://127.0.0.1:${server.port}`, credentials, useQueueUrlAsEndpoint: false });
  const close = async () => {
    sqs.destroy();
    await server.stop();
  };
  return { server, sqs, close };
}
const receive = (sqs: SQSClient, QueueUrl: string) =>
  sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));

describe('the local SQS on a DATA_DIR', () => {
  it('offers a message handed back with visibility 0 again, with its receive count, before and after a restart', async () => {
    const first = await open();
    const { queueUrl } = first.server.createQueue('handed-back', { attributes: { VisibilityTimeout: '1800' } });
    await first.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'chunk 7' }));
    const got = await receive(first.sqs, queueUrl);
    expect(got.Messages).toHaveLength(1);
    await first.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: got.Messages![0]!.ReceiptHandle!, VisibilityTimeout: 0 }));
    const again = await receive(first.sqs, queueUrl);
    expect(again.Messages?.map((m) => [m.Body, m.Attributes?.ApproximateReceiveCount])).toEqual([['chunk 7', '2']]);
    // handed back once more, then the process ends: the message is on disk, ready, counted twice
    await first.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: again.Messages![0]!.ReceiptHandle!, VisibilityTimeout: 0 }));
    await first.close();

    const second = await open();
    try {
      const restored = second.server.inspectQueue('handed-back')!;
      expect(restored.messages.inflight).toHaveLength(0);
      expect(restored.messages.ready.map((m) => m.body)).toEqual(['chunk 7']);
      const third = await receive(second.sqs, queueUrl);
      expect(third.Messages?.map((m) => [m.Body, m.Attributes?.ApproximateReceiveCount])).toEqual([['chunk 7', '3']]);
    } finally {
      await second.close();
    }
  });
});
