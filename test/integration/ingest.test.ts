/**
 * The ingestion pipeline on the real local emulators (dynalite, fauxqs): S3 upload → notification →
 * register-upload → chunks → process-chunk → receipt, with the failure modes that matter.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Catalog } from '#core/catalog';
import { columnsFor, companies, rowsFor, toCsv } from '#local/seed/generate';
import { s3EventBody } from '#local/s3-notifications';
import { faults } from '#adapters/faults';
import { publishDemoCatalog, startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
let catalog: Catalog;
let sqs: SQSClient;

beforeAll(async () => {
  p = await startTestPlatform();
  catalog = await publishDemoCatalog(p);
  sqs = new SQSClient({
    region: 'cn-north-1',
    endpoint: p.emulators.awsEndpoint,
    useQueueUrlAsEndpoint: false,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  faults.clear();
  sqs?.destroy();
  await p?.stop();
});

const item = (code: string) => catalog.items.find((i) => i.code === code)!;

async function ddb() {
  return (await import('#adapters/clients')).ddb;
}

/** Every item stored under a partition key of a subject table, read straight from the table. */
async function partition(table: 'legalSubjects' | 'naturalSubjects', pk: string) {
  const out = await (await ddb()).send(
    new QueryCommand({ TableName: p.emulators.tables[table], KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }),
  );
  return out.Items ?? [];
}

/** Records of one batch, counted by scanning the tables (the ground truth a receipt must match). */
async function countRecordsOfBatch(batchId: string) {
  const client = await ddb();
  let total = 0;
  for (const table of [p.emulators.tables.legalSubjects, p.emulators.tables.naturalSubjects, p.emulators.tables.registry]) {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await client.send(
        new ScanCommand({
          TableName: table,
          FilterExpression: 'batchId = :b AND attribute_not_exists(via)',
          ExpressionAttributeValues: { ':b': batchId },
          ExclusiveStartKey: start,
        }),
      );
      total += out.Items?.length ?? 0;
      start = out.LastEvaluatedKey;
    } while (start);
  }
  return total;
}

function expectBalanced(r: { rows: number; accepted: number; rejected: number; linked: number; unlinked: number }) {
  expect(r.rows).toBe(r.accepted + r.rejected);
  expect(r.accepted).toBe(r.linked + r.unlinked);
}

describe('a clean file', () => {
  it('is accepted whole, linked, and readable through the API', async () => {
    const reg = item('AMR-REGISTRATION');
    const rows = rowsFor('AMR-REGISTRATION', catalog, 200, 11);
    const batchId = await p.upload('SH-AMR', 'AMR-REGISTRATION', 'registrations.csv', toCsv(columnsFor(reg), rows));
    const r = await p.receipt(batchId);
    expect(r).toMatchObject({ status: 'COMPLETED', rows: 200, accepted: 200, rejected: 0, linked: 200, unlinked: 0, errors: [] });
    expect(await countRecordsOfBatch(batchId)).toBe(200);

    const first = rows[0]!;
    const file = await p.api('GET', `/v1/subjects/legal/${first.partyUscc}`, { token: await p.as('admin') });
    expect(file.status).toBe(200);
    expect(file.json.subject).toMatchObject({ type: 'LEGAL', id: first.partyUscc, name: first.partyName, registered: true });
    expect(file.json.records).toHaveLength(1);
    expect(file.json.records[0]).toMatchObject({ item: 'AMR-REGISTRATION', recordClass: 'REGISTRATION', provider: 'SH-AMR' });
  });
});

describe('a file with every rejection code', () => {
  it('rejects each bad row with row, field and code, and keeps the good ones', async () => {
    const pen = item('AMR-PENALTY');
    const cols = columnsFor(pen);
    const base = rowsFor('AMR-PENALTY', catalog, 14, 21);
    const bad = base.map((r) => ({ ...r }));
    bad[1]!.decisionDate = ''; // REQUIRED
    bad[2]!.fineWan = 'abc'; // TYPE
    bad[3]!.procedureType = '特别程序'; // ENUM
    bad[4]!.decisionNo = 'X'.repeat(200); // LENGTH
    bad[5]!.decisionDate = '2026-02-30'; // DATE
    bad[6]!.partyUscc = '9111000060003IOZSV'; // FORMAT
    bad[7]!.partyUscc = '91110000600037341N'; // CHECKSUM
    bad[8]!.partyUscc = ''; // NO_SUBJECT (no registration number, org code either)
    bad[9]!.decisionNo = bad[0]!.decisionNo!; // DUPLICATE_KEY_IN_FILE
    bad[10]!.partyType = '自然人'; // SUBJECT_TYPE
    bad[11]!.fineWan = '-1'; // RANGE
    bad[12]!.effectiveUntil = '2001-01-01'; // CROSS_FIELD (before the decision)
    const csv = toCsv(cols, bad) + 'only,three,fields\r\n'; // FORMAT: wrong field count
    const batchId = await p.upload('SH-AMR', 'AMR-PENALTY', 'penalties-bad.csv', csv);
    const r = await p.receipt(batchId);
    expect(r.status).toBe('COMPLETED');
    expect(r.rows).toBe(15);
    expectBalanced(r);
    const codeOfRow = (row: number) => r.errors.filter((e: any) => e.row === row).map((e: any) => e.code);
    // header is row 1: base[i] is row i + 2
    expect(codeOfRow(3)).toContain('REQUIRED');
    expect(codeOfRow(4)).toContain('TYPE');
    expect(codeOfRow(5)).toContain('ENUM');
    expect(codeOfRow(6)).toContain('LENGTH');
    expect(codeOfRow(7)).toContain('DATE');
    expect(codeOfRow(8)).toContain('FORMAT');
    expect(codeOfRow(9)).toContain('CHECKSUM');
    expect(codeOfRow(10)).toContain('NO_SUBJECT');
    expect(codeOfRow(11)).toContain('DUPLICATE_KEY_IN_FILE');
    expect(codeOfRow(12)).toContain('SUBJECT_TYPE');
    expect(codeOfRow(13)).toContain('RANGE');
    expect(codeOfRow(14)).toContain('CROSS_FIELD');
    expect(codeOfRow(16)).toContain('FORMAT');
    expect(r.rejected).toBe(13);
    expect(r.accepted).toBe(2);
    expect(await countRecordsOfBatch(batchId)).toBe(2);
    const errorFor = r.errors.find((e: any) => e.row === 9);
    expect(errorFor).toMatchObject({ field: 'partyUscc', code: 'CHECKSUM' });
    expect(errorFor.message).toContain('91110000600037341N');

    const report = await p.api('GET', `/v1/batches/${batchId}/rejections`, { token: await p.as('provider', 'SH-AMR') });
    expect(report.status).toBe(200);
    const lines = report.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toMatch(/^partyName,.*,行号,出错字段,错误代码,错误说明$/); // the file's own headers, Chinese error columns
    expect(lines.length - 1).toBeGreaterThanOrEqual(13);
  });

  it('fails a file whose header has an unknown column, saying which', async () => {
    const pen = item('AMR-PENALTY');
    const cols = [...columnsFor(pen), 'secretColumn'];
    const rows = rowsFor('AMR-PENALTY', catalog, 3, 22).map((r) => ({ ...r, secretColumn: 'x' }));
    const r = await p.receipt(await p.upload('SH-AMR', 'AMR-PENALTY', 'unknown-col.csv', toCsv(cols, rows)));
    expect(r.status).toBe('FAILED');
    expect(r.reason).toContain('secretColumn');
    expect(r.errors[0]).toMatchObject({ row: 1, code: 'UNKNOWN_COLUMN' });
    expect(r.accepted).toBe(0);
  });

  it('fails files the platform cannot use, with the reason', async () => {
    const cases: Array<[string, string, Buffer | string, RegExp]> = [
      // reasons are Chinese by default (the English ones say more: ZIP, unbalanced quote)
      ['SH-AMR', 'AMR-PENALTY', Buffer.alloc(0), /文件是空的/],
      ['SH-AMR', 'AMR-PENALTY', Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), /不是文本.*Excel/],
      ['SH-AMR', 'AMR-PENALTY', 'a,"b\r\nc,d\r\n'.padEnd(2000, 'x'), /引号不成对/],
    ];
    for (const [provider, code, body, reason] of cases) {
      const r = await p.receipt(await p.upload(provider, code, 'bad.csv', body));
      expect(r.status).toBe('FAILED');
      expect(r.reason).toMatch(reason);
    }
    // an item of another provider, uploaded straight into the bucket
    await p.putObject('incoming/SH-TAX/AMR-PENALTY/x.csv', 'a,b\r\n1,2\r\n');
    const list = await waitForList('SH-TAX', 'x.csv');
    expect(list.find((b: any) => b.item === 'AMR-PENALTY')).toMatchObject({ status: 'FAILED', reasonCode: 'WRONG_PROVIDER', reason: '该信息项不属于本单位' });
    const english = await p.api('GET', '/v1/batches?provider=SH-TAX', { token: await p.as('admin'), headers: { 'accept-language': 'en' } });
    expect(english.json.batches.find((b: any) => b.item === 'AMR-PENALTY').reason).toContain("belongs to provider 'SH-AMR'");
  });
});

/**
 * The provider's batches once every one has ended; with `fileName`, not before that file's batch is
 * listed (a file dropped straight into the bucket is registered when its S3 notification is handled,
 * so the earlier batches may all have ended before it appears).
 */
async function waitForList(provider: string, fileName?: string, timeoutMs = 240_000) {
  const admin = await p.as('admin');
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    const res = await p.api('GET', `/v1/batches?provider=${provider}`, { token: admin });
    const listed = fileName === undefined || res.json.batches.some((b: any) => b.fileName === fileName);
    if (listed && res.json.batches.length && res.json.batches.every((b: any) => b.status === 'COMPLETED' || b.status === 'FAILED')) return res.json.batches;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('batches did not finish');
}

describe('a GB18030 file with Chinese headers', () => {
  it('is detected, decoded and mapped by label', async () => {
    const pen = item('AMR-PENALTY');
    const rows = rowsFor('AMR-PENALTY', catalog, 40, 31);
    const body = iconv.encode(toCsv(columnsFor(pen), rows, { labels: true, item: pen }), 'gb18030');
    const r = await p.receipt(await p.upload('SH-AMR', 'AMR-PENALTY', '处罚信息.csv', body));
    expect(r).toMatchObject({ status: 'COMPLETED', rows: 40, rejected: 0, encoding: 'gb18030' });
    const file = await p.api('GET', `/v1/subjects/legal/${rows[0]!.partyUscc}`, { token: await p.as('admin') });
    const rec = file.json.records.find((x: any) => x.key === rows[0]!.decisionNo);
    expect(rec.fields.violationType).toBe(rows[0]!.violationType);
    expect(file.json.subject.name).toBe(rows[0]!.partyName);
  });
});

describe('duplicates and crashes', () => {
  it('treats the same S3 event delivered twice as one batch', async () => {
    const reg = item('AMR-REGISTRATION');
    const key = 'incoming/SH-AMR/AMR-REGISTRATION/twice.csv';
    const body = Buffer.from(toCsv(columnsFor(reg), rowsFor('AMR-REGISTRATION', catalog, 30, 51)));
    await p.putObject(key, body);
    const first = (await waitForList('SH-AMR', 'twice.csv')).find((b: any) => b.fileName === 'twice.csv');
    const r1 = await p.receipt(first.batchId);
    // the same notification again, as S3 may deliver it (the file itself is deleted by now: a
    // single-part upload's ETag is the MD5 of its bytes)
    const event = s3EventBody(p.emulators.buckets.uploads, key, body.length, `"${createHash('md5').update(body).digest('hex')}"`);
    await sqs.send(new SendMessageCommand({ QueueUrl: p.emulators.queues.uploadEvents.url, MessageBody: JSON.stringify(event) }));
    await new Promise((r) => setTimeout(r, 1500));
    const all = (await waitForList('SH-AMR', 'twice.csv')).filter((b: any) => b.fileName === 'twice.csv');
    expect(all).toHaveLength(1);
    const r2 = await p.receipt(first.batchId);
    expect(r2).toEqual(r1);
    expect(await countRecordsOfBatch(first.batchId)).toBe(30);
  });

  it('recovers from a worker that dies after writing half a chunk', async () => {
    const pen = item('AMR-PENALTY');
    const rows = rowsFor('AMR-PENALTY', catalog, 4000, 61);
    const { readStock } = await import('#adapters/stock-repo');
    const stockBefore = (await readStock()).total;
    // one write a row: the crash falls inside the chunk's third block of 1,000 rows, while the
    // fourth block's guard is read and its stock change kept
    faults.crashAfterWrites(2500, 1);
    const batchId = await p.upload('SH-AMR', 'AMR-PENALTY', 'crash.csv', toCsv(columnsFor(pen), rows));
    const r = await p.receipt(batchId, 60_000);
    expect(r).toMatchObject({ status: 'COMPLETED', rows: 4000, accepted: 4000, rejected: 0 });
    expect(await countRecordsOfBatch(batchId)).toBe(4000);
    // the stock counts each record once: the blocks kept before the crash are applied with the rest, once
    expect((await readStock()).total - stockBefore).toBe(4000);
  });

  it('sends a poison message to the DLQ and ends its batch FAILED with a reason', async () => {
    const token = await p.as('provider', 'SH-AMR');
    const started = await p.api('POST', '/v1/uploads', { token, body: { item: 'AMR-PENALTY', fileName: 'never.csv' } });
    const batchId = started.json.batchId;
    // a chunk of an object that does not exist: every attempt fails
    const poison = {
      batchId,
      bucket: p.emulators.buckets.uploads,
      key: 'incoming/SH-AMR/AMR-PENALTY/does-not-exist.csv',
      etag: 'abc',
      provider: 'SH-AMR',
      item: 'AMR-PENALTY',
      receivedAt: new Date().toISOString(),
      format: 'csv',
      encoding: 'utf-8',
      lineEnding: '\n',
      headerKeys: ['partyName'],
      chunkCount: 1,
      chunk: { index: 0, start: 10, end: 100, firstRow: 2, rows: 3 },
    };
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: p.emulators.queues.recordChunks.url,
        MessageBody: JSON.stringify(poison),
        MessageGroupId: batchId,
        MessageDeduplicationId: `${batchId}-0`,
      }),
    );
    const r = await p.receipt(batchId, 90_000);
    expect(r.status).toBe('FAILED');
    expect(r).toMatchObject({ reasonCode: 'PROCESSING_FAILED', reason: expect.stringMatching(/多次重试后仍未能处理/) });
    expect(r).toMatchObject({ rows: 3, rejected: 3, accepted: 0 });
    expect(r.errors.map((e: any) => e.code)).toEqual(['PROCESSING_FAILED', 'PROCESSING_FAILED', 'PROCESSING_FAILED']);
  }, 120_000);
});

describe('late registration', () => {
  it('links records that waited for their subject as soon as it registers', async () => {
    const firms = companies(5, 71);
    const pen = item('AMR-PENALTY');
    // penalties naming the companies only by registration number, before any registration
    const rows = rowsFor('AMR-PENALTY', catalog, 5, 72, { subjects: firms }).map(
      (r, i): Record<string, string> => ({ ...r, partyUscc: '', partyRegNo: firms[i]!.regNo }),
    );
    const r1 = await p.receipt(await p.upload('SH-AMR', 'AMR-PENALTY', 'waiting.csv', toCsv(columnsFor(pen), rows)));
    expect(r1).toMatchObject({ status: 'COMPLETED', accepted: 5, linked: 0, unlinked: 5 });
    expect(await partition('legalSubjects', firms[0]!.uscc)).toHaveLength(0);

    const reg = item('AMR-REGISTRATION');
    const r2 = await p.receipt(
      await p.upload('SH-AMR', 'AMR-REGISTRATION', 'late-reg.csv', toCsv(columnsFor(reg), rowsFor('AMR-REGISTRATION', catalog, 5, 73, { subjects: firms }))),
    );
    expect(r2).toMatchObject({ status: 'COMPLETED', linked: 5 });
    for (const [i, firm] of firms.entries()) {
      const items = (await partition('legalSubjects', firm.uscc)).filter((x) => String(x.sk).startsWith('REC#'));
      expect(items.map((x) => x.item).sort()).toEqual(['AMR-PENALTY', 'AMR-REGISTRATION']);
      expect(items.find((x) => x.item === 'AMR-PENALTY')!.key).toBe(rows[i]!.decisionNo);
    }
    // nothing waits any more (the per-identifier markers stay; they only point at where to look)
    const held = await (await ddb()).send(
      new ScanCommand({
        TableName: p.emulators.tables.registry,
        FilterExpression: 'begins_with(pk, :h) AND sk <> :marker',
        ExpressionAttributeValues: { ':h': 'HOLD#', ':marker': '#' },
      }),
    );
    expect(held.Items ?? []).toHaveLength(0);
  });
});

describe('natural persons', () => {
  it('keys them by a keyed hash and never stores the ID number in plaintext', async () => {
    const rows = rowsFor('HRSS-SI-ARREARS', catalog, 20, 81);
    const r = await p.receipt(await p.upload('SH-HRSS', 'HRSS-SI-ARREARS', 'si.csv', toCsv(columnsFor(item('HRSS-SI-ARREARS')), rows)));
    expect(r).toMatchObject({ status: 'COMPLETED', accepted: 20, linked: 20 });
    const scan = await (await ddb()).send(new ScanCommand({ TableName: p.emulators.tables.naturalSubjects }));
    const dump = JSON.stringify(scan.Items);
    for (const row of rows) expect(dump).not.toContain(row.personIdNo!);
    const file = await p.api('GET', `/v1/subjects/natural/${rows[0]!.personIdNo}`, { token: await p.as('admin') });
    expect(file.status).toBe(200);
    expect(file.json.subject.id).toBe(`${rows[0]!.personIdNo!.slice(0, 6)}********${rows[0]!.personIdNo!.slice(14)}`);
    expect(file.json.records.length).toBeGreaterThan(0);
  });
});

// The 50,000-row file (issue 2) is test/integration/restart.test.ts's, killed with `kill -9` half-way
// and finished after a restart: the same receipt, balance and table-count assertions, one ingest of
// 50,000 rows in the suite instead of two (docs/testing.md).
