/**
 * Adapters against mocked AWS SDK clients (aws-sdk-client-mock): retries of unprocessed batch
 * items, short range reads, receipt completion, envelope encryption of ID numbers with KMS, and upload-event parsing.
 */
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';

process.env.LEGAL_TABLE = 'legal';
process.env.NATURAL_TABLE = 'natural';
process.env.REGISTRY_TABLE = 'registry';
process.env.BATCHES_TABLE = 'batches';
process.env.CATALOG_TABLE = 'catalog';

const ddbMock = mockClient(DynamoDBDocumentClient);
const kmsMock = mockClient(KMSClient);
const secretsMock = mockClient(SecretsManagerClient);
const s3Mock = mockClient(S3Client);

beforeEach(() => {
  ddbMock.reset();
  kmsMock.reset();
  secretsMock.reset();
  s3Mock.reset();
});

describe('batch-io', () => {
  it('retries unprocessed writes until every item is written', async () => {
    const { batchPut } = await import('#adapters/batch-io');
    const items = Array.from({ length: 30 }, (_, i) => ({ table: 'legalSubjects' as const, item: { pk: `p${i}`, sk: 'REC#x' } }));
    ddbMock
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { legal: [{ PutRequest: { Item: { pk: 'p0', sk: 'REC#x' } } }] } })
      .resolves({ UnprocessedItems: {} });
    await batchPut(items);
    // 2 groups (25 + 5) and one retry of the leftover
    expect(ddbMock).toHaveReceivedCommandTimes(BatchWriteCommand, 3);
    const calls = ddbMock.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems!.legal!.length);
    expect(calls.sort()).toEqual([1, 25, 5].sort());
  });

  it('gives up loudly when items stay unprocessed', async () => {
    const random = vi.spyOn(Math, 'random').mockReturnValue(0); // no backoff wait
    const { batchPut } = await import('#adapters/batch-io');
    ddbMock.on(BatchWriteCommand).resolves({ UnprocessedItems: { legal: [{ PutRequest: { Item: { pk: 'p', sk: 's' } } }] } });
    await expect(batchPut([{ table: 'legalSubjects', item: { pk: 'p', sk: 's' } }])).rejects.toThrow(/unprocessed/);
    expect(ddbMock).toHaveReceivedCommandTimes(BatchWriteCommand, 10);
    random.mockRestore();
  });

  it('keeps writes of several calls within one pool of slots, and sends no more once one failed', async () => {
    const { batchPut, writeSlots } = await import('#adapters/batch-io');
    let inFlight = 0;
    let most = 0;
    const sent: string[] = [];
    ddbMock.on(BatchWriteCommand).callsFake(async (input: { RequestItems: Record<string, Array<{ PutRequest: { Item: { pk: string } } }>> }) => {
      const first = input.RequestItems.legal![0]!.PutRequest.Item.pk;
      sent.push(first);
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      if (first === 'b0') throw new Error('write refused');
      return { UnprocessedItems: {} };
    });
    const items = (prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) => ({ table: 'legalSubjects' as const, item: { pk: `${prefix}${i}`, sk: 'S' } }));
    const slots = writeSlots(3);
    // two blocks of 4 requests each: together never more than 3 in flight, handed over in order
    await Promise.all([batchPut(items('a', 100), 'test', slots), batchPut(items('c', 100), 'test', slots)]);
    expect(most).toBe(3);
    expect(sent).toEqual(['a0', 'a25', 'a50', 'a75', 'c0', 'c25', 'c50', 'c75']);
    expect(slots.failed).toBe(false);
    // a failed request stops the requests still waiting for a slot, of every call sharing the pool
    sent.length = 0;
    const failing = writeSlots(1);
    const both = [batchPut(items('b', 50), 'test', failing), batchPut(items('d', 50), 'test', failing)];
    await expect(both[0]).rejects.toThrow(/write refused/);
    await expect(both[1]).rejects.toThrow(/write refused/);
    expect(sent).toEqual(['b0']);
    expect(failing.failed).toBe(true);
  });

  it('reads keys across tables in groups of 100 and maps them back', async () => {
    const { batchGet, keyOf } = await import('#adapters/batch-io');
    const keys = Array.from({ length: 150 }, (_, i) => ({ table: 'legalSubjects' as const, pk: `p${i}`, sk: 'S' }));
    ddbMock.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: Array<{ pk: string; sk: string }> }> }) => ({
      Responses: { legal: input.RequestItems.legal!.Keys.filter((k) => k.pk.endsWith('7')).map((k) => ({ ...k, v: 1 })) },
    }));
    const found = await batchGet(keys);
    expect(ddbMock).toHaveReceivedCommandTimes(BatchGetCommand, 2);
    expect(found.size).toBe(15);
    expect(found.get(keyOf({ table: 'legalSubjects', pk: 'p17', sk: 'S' }))).toMatchObject({ v: 1 });
  });
});

describe('batch-repo', () => {
  it('reports the batch done only when every chunk is in the set', async () => {
    const { markChunkDone } = await import('#adapters/batch-repo');
    ddbMock
      .on(UpdateCommand)
      .resolvesOnce({ Attributes: { doneChunks: new Set([0]) } })
      .resolves({ Attributes: { doneChunks: new Set([0, 1]) } });
    expect(await markChunkDone('b1', 0, 2)).toBe(false);
    expect(await markChunkDone('b1', 1, 2)).toBe(true);
    expect(ddbMock).toHaveReceivedCommandWith(UpdateCommand, { UpdateExpression: 'ADD doneChunks :i SET chunkCount = :c' });
  });

  it('completes a batch with the sum of its chunk results', async () => {
    const { completeBatch } = await import('#adapters/batch-repo');
    ddbMock.on(GetCommand).resolves({ Item: { pk: 'BATCH#b', sk: 'RECEIPT', batchId: 'b', status: 'PROCESSING', chunkCount: 2 } });
    ddbMock.on(QueryCommand).resolves({
      Items: [
        { index: 1, rows: 10, accepted: 8, rejected: 2, linked: 7, unlinked: 1, errors: [{ row: 9, field: 'x', code: 'TYPE', message: 'm' }] },
        { index: 0, rows: 5, accepted: 5, rejected: 0, linked: 5, unlinked: 0, errors: [] },
      ],
    });
    ddbMock.on(UpdateCommand).resolves({});
    await completeBatch('b');
    expect(ddbMock).toHaveReceivedCommandWith(UpdateCommand, {
      ExpressionAttributeValues: expect.objectContaining({ ':s': 'COMPLETED', ':rows': 15, ':a': 13, ':rj': 2, ':l': 12, ':u': 1 }),
    });
  });

  it('does not complete a batch whose chunks are not all in', async () => {
    const { completeBatch } = await import('#adapters/batch-repo');
    ddbMock.on(GetCommand).resolves({ Item: { batchId: 'b', status: 'PROCESSING', chunkCount: 3 } });
    ddbMock.on(QueryCommand).resolves({ Items: [{ index: 0, rows: 1, accepted: 1, rejected: 0, linked: 1, unlinked: 0, errors: [] }] });
    await completeBatch('b');
    expect(ddbMock).not.toHaveReceivedCommand(UpdateCommand);
  });
});

describe('personal-data with KMS and Secrets Manager', () => {
  beforeAll(() => {
    delete process.env.LOCAL_PEPPER;
    delete process.env.LOCAL_DATA_KEY;
    process.env.PEPPER_SECRET_ARN = 'arn:aws:secretsmanager:cn-north-1:1:secret:pepper';
    process.env.PERSONAL_DATA_KEY_ID = 'key-1';
  });

  it('keys by HMAC with the secret pepper and seals with a KMS data key, never plaintext', async () => {
    vi.resetModules();
    const plaintextKey = Buffer.alloc(32, 7);
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: 'pepper-from-secrets-manager' });
    kmsMock.on(GenerateDataKeyCommand).resolves({ Plaintext: plaintextKey, CiphertextBlob: Buffer.from('wrapped-key') });
    kmsMock.on(DecryptCommand).resolves({ Plaintext: plaintextKey });
    const pd = await import('#adapters/personal-data');
    const id = '11010519491231002X';
    const key = await pd.naturalSubjectKey(id);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(key).toBe(await pd.naturalSubjectKey(id));
    expect(key).not.toContain(id);

    const seal = await pd.sealer();
    const sealed = seal(id);
    expect(sealed).not.toContain(id);
    expect(sealed.startsWith(`v1.${Buffer.from('wrapped-key').toString('base64url')}.`)).toBe(true);
    expect(seal(id)).not.toBe(sealed); // a fresh IV every time
    expect(await pd.unseal(sealed)).toBe(id);
    expect(kmsMock).toHaveReceivedCommandTimes(GenerateDataKeyCommand, 1);
    expect(kmsMock).toHaveReceivedCommandWith(GenerateDataKeyCommand, { KeyId: 'key-1', KeySpec: 'AES_256' });
  });

  it('refuses a tampered sealed value', async () => {
    const pd = await import('#adapters/personal-data');
    const sealed = (await pd.sealer())('440524188001010014');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    await expect(pd.unseal(parts.join('.'))).rejects.toThrow();
  });

  it('tries a failed pepper or data-key load again on the next call instead of caching the failure', async () => {
    vi.resetModules();
    secretsMock.reset();
    kmsMock.reset();
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    secretsMock.on(GetSecretValueCommand).rejectsOnce(throttled).resolves({ SecretString: 'pepper' });
    kmsMock
      .on(GenerateDataKeyCommand)
      .rejectsOnce(throttled)
      .resolves({ Plaintext: Buffer.alloc(32, 9), CiphertextBlob: Buffer.from('wrapped-2') });
    kmsMock
      .on(DecryptCommand)
      .rejectsOnce(throttled)
      .resolves({ Plaintext: Buffer.alloc(32, 9) });
    const pd = await import('#adapters/personal-data');
    await expect(pd.naturalSubjectKey('11010519491231002X')).rejects.toThrow('Rate exceeded');
    expect(await pd.naturalSubjectKey('11010519491231002X')).toMatch(/^[0-9a-f]{64}$/);
    await expect(pd.sealer()).rejects.toThrow('Rate exceeded');
    const sealed = (await pd.sealer())('11010519491231002X');
    vi.resetModules(); // a fresh container: the wrapped key must be decrypted
    const fresh = await import('#adapters/personal-data');
    await expect(fresh.unseal(sealed)).rejects.toThrow('Rate exceeded');
    expect(await fresh.unseal(sealed)).toBe('11010519491231002X');
    expect(secretsMock).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
    expect(kmsMock).toHaveReceivedCommandTimes(GenerateDataKeyCommand, 2);
  });
});

describe('object-store range reads', () => {
  // the part of the SDK's streaming body that readRange uses
  const body = (text: string) => ({ transformToByteArray: async () => new Uint8Array(Buffer.from(text)) }) as never;

  it('reads a range again when its body came back short, and returns the whole range', async () => {
    const { readRange } = await import('#adapters/object-store');
    s3Mock
      .on(GetObjectCommand)
      .resolvesOnce({ Body: body('0123') })
      .resolves({ Body: body('0123456789') });
    expect((await readRange('b', 'k', 10, 20, 'etag')).toString()).toBe('0123456789');
    expect(s3Mock).toHaveReceivedCommandTimes(GetObjectCommand, 2);
    expect(s3Mock).toHaveReceivedCommandWith(GetObjectCommand, { Range: 'bytes=10-19', IfMatch: '"etag"' });
  });

  it('fails after three short reads rather than hand on part of a chunk', async () => {
    const { readRange } = await import('#adapters/object-store');
    s3Mock.on(GetObjectCommand).callsFake(() => ({ Body: body('01234') }));
    await expect(readRange('b', 'k', 0, 10)).rejects.toThrow(/short read of s3:\/\/b\/k bytes 0-9: got 5 bytes \(3 attempts\)/);
    expect(s3Mock).toHaveReceivedCommandTimes(GetObjectCommand, 3);
  });
});
