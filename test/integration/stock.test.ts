/**
 * The stock of queryable records (issue 16 part 5) on DynamoDB Local: counted as records are
 * written, re-uploaded, withdrawn, linked late, repaired and expired, never twice; the one-off
 * backfill of records stored before the indexes and counters; re-keying an item's records when the
 * catalog changes its query period.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '#core/catalog';
import type { StoredRecord } from '#adapters/subject-repo';
import { demoCatalog } from '#local/seed';
import { columnsFor, companies, rowsFor, toCsv, type Company } from '#local/seed/generate';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';
import { scanTable } from '../support/tables.ts';

let p: TestPlatform;
let catalog: Catalog;
const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString().slice(0, 10);
const [X, Y, Z] = companies(3, 4242) as [Company, Company, Company];

async function upload(itemCode: string, data: Array<Record<string, string>>, extra: string[] = []) {
  const item = catalog.items.find((i) => i.code === itemCode)!;
  return p.receipt(
    await p.upload(item.provider, itemCode, `${itemCode}-${Math.random().toString(36).slice(2)}.csv`, toCsv([...columnsFor(item), ...extra], data)),
  );
}

async function stock(): Promise<{ total: number; rows: Array<{ subjectType: string; recordClass: string; records: number }> }> {
  const res = await p.api('GET', '/v1/stats/stock', { token: await p.as('admin') });
  expect(res.status).toBe(200);
  return res.json;
}

const supervision = async () => (await stock()).rows.find((r) => r.subjectType === 'LEGAL' && r.recordClass === 'SUPERVISION')?.records ?? 0;

beforeAll(async () => {
  p = await startTestPlatform();
  catalog = demoCatalog();
  const res = await p.api('PUT', '/v1/catalog', { token: await p.as('admin'), body: catalog });
  expect(res.status).toBe(201);
});

afterAll(async () => {
  await p?.stop();
});

// 12 penalties of X: two decided six years ago (past the 5-year query period), two four years ago
const rows = () =>
  rowsFor('AMR-PENALTY', catalog, 12, 4242, { subjects: [X] }).map((r, n) => ({
    ...r,
    decisionDate: n < 2 ? daysAgo(6 * 366) : n < 4 ? daysAgo(4 * 366) : daysAgo(10 + n),
    effectiveUntil: n < 4 ? daysAgo(3 * 366) : daysAgo(5),
    publicityUntil: '',
  }));

describe('stock counters', () => {
  it('counts written records once: an upload, the same file again, a withdrawal, a late link', async () => {
    expect(await stock()).toMatchObject({ total: 0 });
    expect(await upload('AMR-PENALTY', rows())).toMatchObject({ status: 'COMPLETED', accepted: 12 });
    expect(await supervision()).toBe(12);
    // the same rows again (a new batch rewriting the same records): nothing new is queryable
    expect(await upload('AMR-PENALTY', rows())).toMatchObject({ status: 'COMPLETED', accepted: 12 });
    expect(await supervision()).toBe(12);
    const stored = (await scanTable(p, 'legalSubjects')).filter((r) => r.pk === X.uscc && String(r.sk).startsWith('REC#'));
    expect(stored.every((r) => r.stock === 'LEGAL#SUPERVISION' && typeof r.itempk === 'string')).toBe(true);

    // one withdrawn by op=delete: out of the stock, and out of it only once
    const [last] = rows().slice(-1);
    expect(await upload('AMR-PENALTY', [{ ...last!, op: 'delete' }], ['op'])).toMatchObject({ accepted: 1 });
    expect(await supervision()).toBe(11);
    expect(await upload('AMR-PENALTY', [{ ...last!, op: 'delete' }], ['op'])).toMatchObject({ accepted: 1 });
    expect(await supervision()).toBe(11);

    // held for want of its subject: not queryable, so not counted; linked later: counted once
    const [held] = rowsFor('AMR-PENALTY', catalog, 1, 4343, { subjects: [Y] }).map((r) => ({ ...r, partyUscc: '', partyRegNo: Y.regNo, publicityUntil: '' }));
    expect(await upload('AMR-PENALTY', [held!])).toMatchObject({ linked: 0, unlinked: 1 });
    expect(await supervision()).toBe(11);
    const { ddb } = await import('#adapters/clients');
    await ddb.send(new PutCommand({ TableName: p.emulators.tables.registry, Item: { pk: `REG#${Y.regNo}`, sk: 'SUBJECT', uscc: Y.uscc } }));
    expect(await p.invoke('housekeeping')).toEqual({ released: 1 });
    expect(await supervision()).toBe(12);
    const { releaseHeld } = await import('../../functions/ingest/release-held.ts');
    const again = (await scanTable(p, 'legalSubjects')).filter((r) => r.pk === Y.uscc && String(r.sk).startsWith('REC#'));
    // a second filing of the same record (a retried release) rewrites it and counts nothing
    const filed = again[0] as unknown as StoredRecord;
    await releaseHeld([{ ...filed, pk: `HOLD#REG#${Y.regNo}`, holdKeys: [`REG#${Y.regNo}`] }]);
    expect(await supervision()).toBe(12);
  });

  it('a chunk change kept before the writes is applied once, whatever is recomputed on redelivery', async () => {
    const { applyChunkStock, keepChunkStock, readStock } = await import('#adapters/stock-repo');
    const before = (await readStock()).total;
    const first = await keepChunkStock('redelivered', 0, { 'LEGAL#SUPERVISION': 3 });
    expect(first).toEqual({ deltas: { 'LEGAL#SUPERVISION': 3 }, applied: false });
    expect(await applyChunkStock('redelivered', 0, first.deltas)).toBe(true);
    // the redelivery sees its own records already written and computes nothing to add: the kept change stands, applied
    expect(await keepChunkStock('redelivered', 0, {})).toEqual({ deltas: { 'LEGAL#SUPERVISION': 3 }, applied: true });
    expect(await applyChunkStock('redelivered', 0, first.deltas)).toBe(false);
    expect((await readStock()).total).toBe(before + 3);
    // back to the records' own count for the tests that follow
    const { stockCounterItem, transactCounted } = await import('#adapters/stock-repo');
    expect(await transactCounted([stockCounterItem('LEGAL#SUPERVISION', -3, 'test')])).toBe(true);
  });

  it("a chunk's block changes, kept block by block, are applied once and together", async () => {
    const { applyChunkStock, keepChunkStock, readStock, stockCounterItem, transactCounted } = await import('#adapters/stock-repo');
    const before = (await readStock()).total;
    // a first attempt kept block 0 and died before block 1; the redelivery keeps both
    expect(await keepChunkStock('blocks', 2, { 'LEGAL#SUPERVISION': 2 }, 0)).toEqual({ deltas: { 'LEGAL#SUPERVISION': 2 }, applied: false });
    const block0 = await keepChunkStock('blocks', 2, {}, 0);
    const block1 = await keepChunkStock('blocks', 2, { 'LEGAL#SUPERVISION': 1 }, 1);
    expect(block0).toEqual({ deltas: { 'LEGAL#SUPERVISION': 2 }, applied: false });
    expect(await applyChunkStock('blocks', 2, { 'LEGAL#SUPERVISION': 3 }, [0, 1])).toBe(true);
    expect((await readStock()).total).toBe(before + 3);
    // applied together: a later attempt finds every block applied, and a second apply is refused
    expect(await keepChunkStock('blocks', 2, {}, 1)).toEqual({ deltas: { 'LEGAL#SUPERVISION': 1 }, applied: true });
    expect(await applyChunkStock('blocks', 2, { 'LEGAL#SUPERVISION': 3 }, [0, 1])).toBe(false);
    // a block no attempt kept cannot be applied: the whole transaction is refused, nothing counted
    expect(await applyChunkStock('blocks', 3, { 'LEGAL#SUPERVISION': 1 }, [0])).toBe(false);
    expect((await readStock()).total).toBe(before + 3);
    expect(await transactCounted([stockCounterItem('LEGAL#SUPERVISION', -3, 'test')])).toBe(true);
  });

  it('expiry takes records out of the stock with the status change; a repair too', async () => {
    expect(await p.invoke('recordExpiry')).toMatchObject({ expired: 2, read: 2 });
    expect(await supervision()).toBe(10);
    expect(await p.invoke('recordExpiry')).toMatchObject({ expired: 0, read: 0 });
    expect(await supervision()).toBe(10);
    const file = await p.api('GET', `/v1/subjects/legal/${X.uscc}?purpose=PENALTY`, { token: await p.as('gov', 'SH-EPB') });
    // a recent one (the re-key below counts on the four-year-old ones staying ACTIVE)
    const record = file.json.records.find((r: { fields: { decisionDate: string } }) => r.fields.decisionDate > daysAgo(100));
    const body = { subject: { type: 'LEGAL', id: X.uscc }, certificateNo: 'XF-2026-001', issuedOn: daysAgo(1) };
    const token = await p.as('provider', 'SH-AMR');
    expect((await p.api('POST', `/v1/records/${record.recordId}/repair`, { token, body })).status).toBe(200);
    expect(await supervision()).toBe(9);
    // the same repair retried: answered again, counted once
    expect((await p.api('POST', `/v1/records/${record.recordId}/repair`, { token, body })).status).toBe(200);
    expect(await supervision()).toBe(9);
  });
});

describe('re-keying when an item’s query period changes', () => {
  it('moves the item’s records to their new due day and expires them in the same run', async () => {
    // the run above remembered every item's period; now the catalog shortens AMR-PENALTY's to 3 years
    const shorter = demoCatalog();
    shorter.version = `${catalog.version}.1`;
    shorter.items = shorter.items.map((i) => (i.code === 'AMR-PENALTY' ? { ...i, queryYears: 3 } : i));
    expect((await p.api('PUT', '/v1/catalog', { token: await p.as('admin'), body: shorter })).status).toBe(201);
    const active = (await scanTable(p, 'legalSubjects')).filter((r) => r.item === 'AMR-PENALTY' && r.status === 'ACTIVE');
    expect(active).toHaveLength(9); // X's 12 − 1 withdrawn − 2 expired − 1 repaired, and Y's
    const { dueKeys } = await import('#core/due-day');
    const item = shorter.items.find((i) => i.code === 'AMR-PENALTY')!;
    const due = (r: Record<string, unknown>) => dueKeys(r as never, item)?.expsk;
    // those whose query period now ends before their publicity: among them the two decided four years ago
    const moving = active.filter((r) => due(r) !== r.expsk);
    expect(moving.length).toBeGreaterThanOrEqual(2);
    const { rekeyChangedItems } = await import('../../functions/housekeeping/expiry-keys.ts');
    const rekey = await rekeyChangedItems();
    // exactly the item's ACTIVE records are read (byItem), and those whose due day changed move
    expect(rekey).toMatchObject({ changed: 1, read: 9, rekeyed: moving.length, finished: true });
    const after = (await scanTable(p, 'legalSubjects')).filter((r) => r.item === 'AMR-PENALTY' && r.status === 'ACTIVE');
    for (const r of after) expect(r.expsk).toBe(due(r));
    expect(await rekeyChangedItems()).toEqual({ compared: 0, changed: 0, read: 0, rekeyed: 0, finished: true });
    expect(await p.invoke('recordExpiry')).toMatchObject({ expired: 2, read: 2 });
    expect(await supervision()).toBe(7);
  });
});

describe('index backfill', () => {
  it('gives records stored before the indexes their keys and counts them once; held records their byWaiting keys', async () => {
    const { ddb } = await import('#adapters/clients');
    const item = catalog.items.find((i) => i.code === 'AMR-PENALTY')!;
    const old = (n: number, decided: string) => ({
      pk: Z.uscc,
      sk: `REC#SH-AMR#AMR-PENALTY#old${n}`,
      recordId: `old${n}`,
      provider: 'SH-AMR',
      item: 'AMR-PENALTY',
      key: `OLD-${n}`,
      status: 'ACTIVE',
      fields: { decisionDate: decided },
      recordClass: item.recordClass,
      polarity: item.polarity,
      disclosure: item.disclosure,
    });
    for (const [n, decided] of [daysAgo(30), daysAgo(40), daysAgo(3 * 366 + 5)].entries()) {
      await ddb.send(new PutCommand({ TableName: p.emulators.tables.legalSubjects, Item: old(n, decided) }));
    }
    await ddb.send(
      new PutCommand({
        TableName: p.emulators.tables.registry,
        Item: {
          ...old(9, daysAgo(30)),
          pk: `HOLD#REG#${Z.regNo}`,
          sk: 'SH-AMR#AMR-PENALTY#old9',
          holdKeys: [`REG#${Z.regNo}`],
          receivedAt: new Date().toISOString(),
        },
      }),
    );
    const before = await supervision();
    const first = await p.invoke('recordExpiry', { job: 'backfill' });
    expect(first).toMatchObject({ job: 'backfill', keyed: 3, counted: 3, waiting: 1, finished: true });
    expect(await supervision()).toBe(before + 3);
    const stored = (await scanTable(p, 'legalSubjects')).filter((r) => r.pk === Z.uscc);
    expect(stored.every((r) => r.stock === 'LEGAL#SUPERVISION' && typeof r.itempk === 'string' && typeof r.exppk === 'string')).toBe(true);
    expect((await scanTable(p, 'registry')).find((r) => r.pk === `HOLD#REG#${Z.regNo}`)).toMatchObject({ waitpk: expect.stringMatching(/^WAIT#/) });
    // a second pass finds nothing left to do
    expect(await p.invoke('recordExpiry', { job: 'backfill' })).toMatchObject({ keyed: 0, counted: 0, waiting: 0, finished: true });
    expect(await supervision()).toBe(before + 3);
    // the one decided over three years ago is due under the current 3-year period
    expect(await p.invoke('recordExpiry')).toMatchObject({ expired: 1 });
    expect(await supervision()).toBe(before + 2);
  });

  it('stops when told and resumes from its saved position', async () => {
    const { backfillIndexKeys } = await import('../../functions/housekeeping/expiry-keys.ts');
    let calls = 0;
    const stopAfterOne = () => calls++ > 0;
    const cut = await backfillIndexKeys(stopAfterOne);
    expect(cut.finished).toBe(false);
    const rest = await backfillIndexKeys();
    expect(rest.finished).toBe(true);
    expect(rest.counted + cut.counted).toBe(0);
  });
});
