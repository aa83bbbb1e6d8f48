/**
 * A catalog import whose message failed every attempt (issue 16), on the local emulators: the
 * message in the catalog-imports DLQ is consumed by catalogImportDeadLetters, which ends the
 * import FAILED with its reason on GET /v1/catalog/imports/{importId} and frees the version its
 * half-done publish had claimed — once, however often the dead letter comes.
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCatalog, publishDemoCatalog, startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
let admin: string;
let sqs: SQSClient;

beforeAll(async () => {
  p = await startTestPlatform();
  await publishDemoCatalog(p);
  admin = await p.as('admin');
  sqs = new SQSClient({
    region: 'cn-north-1',
    endpoint: p.emulators.awsEndpoint,
    useQueueUrlAsEndpoint: false,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  sqs?.destroy();
  await p?.stop();
});

/** The S3 notification of the import's document, as it lands in the DLQ after its last failed attempt. */
const deadLetter = (importId: string) =>
  sqs.send(
    new SendMessageCommand({
      QueueUrl: p.emulators.queues.catalogImports.dlqUrl,
      MessageBody: JSON.stringify({
        Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: p.emulators.buckets.imports }, object: { key: `catalog/${importId}` } } }],
      }),
    }),
  );

/** The same dead letter handed straight to the function: it answers when it has handled it. */
const deliverNow = (importId: string) =>
  p.invoke('catalogImportDeadLetters', {
    Records: [
      {
        messageId: `again-${importId}`,
        receiptHandle: 'again',
        body: JSON.stringify({
          Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: p.emulators.buckets.imports }, object: { key: `catalog/${importId}` } } }],
        }),
        attributes: {},
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:cn-north-1:000000000000:credit-catalogImports-dlq',
        awsRegion: 'cn-north-1',
      },
    ],
  });

async function statusOf(importId: string): Promise<any> {
  const res = await p.api('GET', `/v1/catalog/imports/${importId}`, { token: admin });
  expect(res.status).toBe(200);
  return res.json;
}

async function until(importId: string, status: string): Promise<any> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const imp = await statusOf(importId);
    if (imp.status === status) return imp;
    if (Date.now() > deadline) throw new Error(`import still ${imp.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('a dead-lettered catalog import', () => {
  it('ends FAILED with its reason, frees the version it claimed, and changes nothing the second time', async () => {
    const version = 'import-dead-letter';
    const started = await p.api('POST', '/v1/catalog/imports', { token: admin });
    expect(started.status).toBe(201);
    const importId = started.json.importId as string;
    // the import got as far as claiming its version and writing some entries, then every attempt crashed
    const { noteVersion, startImport } = await import('#adapters/catalog-import-repo');
    const { ddb } = await import('#adapters/clients');
    expect(await startImport(importId)).toBe(true);
    await noteVersion(importId, version);
    const table = p.emulators.tables.catalog;
    await ddb.send(
      new PutCommand({ TableName: table, Item: { pk: 'CATALOG', sk: `V#${version}`, version, status: 'PUBLISHING', claim: importId, publishedBy: 'admin' } }),
    );
    expect((await statusOf(importId)).status).toBe('VALIDATING');

    await deadLetter(importId);
    const failed = await until(importId, 'FAILED');
    expect(failed.reason).toMatch(/repeated attempts/);
    expect(failed.finishedAt).not.toBeNull();
    expect((await ddb.send(new GetCommand({ TableName: table, Key: { pk: 'CATALOG', sk: `V#${version}` }, ConsistentRead: true }))).Item).toBeUndefined();
    // the published catalog did not move
    expect((await p.api('GET', '/v1/catalog', { token: admin })).json.version).toBe(demoCatalog().version);

    // delivered again: handled, nothing changes
    expect(await deliverNow(importId)).toEqual({ batchItemFailures: [] });
    expect(await statusOf(importId)).toEqual(failed);

    // the version is free: importing the document again publishes it
    const again = await p.api('POST', '/v1/catalog/imports', { token: admin });
    const put = await fetch(again.json.uploadUrl, { method: 'PUT', body: JSON.stringify({ ...demoCatalog(), version }) });
    expect(put.status).toBe(200);
    await p.notifyUploads();
    expect(await until(again.json.importId, 'PUBLISHED')).toMatchObject({ version, reason: null });
  }, 180_000);

  it('leaves an import that already ended as it was', async () => {
    const started = await p.api('POST', '/v1/catalog/imports', { token: admin });
    await fetch(started.json.uploadUrl, { method: 'PUT', body: JSON.stringify({ ...demoCatalog(), version: 'import-ended' }) });
    await p.notifyUploads();
    const published = await until(started.json.importId, 'PUBLISHED');
    expect(await deliverNow(started.json.importId)).toEqual({ batchItemFailures: [] });
    expect(await statusOf(started.json.importId)).toEqual(published);
    expect((await p.api('GET', '/v1/catalog', { token: admin })).json.version).toBe('import-ended');
  }, 120_000);
});
