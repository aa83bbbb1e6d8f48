/**
 * Scheduled jobs whose cost follows their work (issue 16 part 5), on the local emulators: the
 * record-expiry run reads only the byExpiry entries due, housekeeping reads only the byWaiting
 * index, and a sweep that stops part-way resumes where it stopped.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '#core/catalog';
import { EXPIRY_SHARDS } from '#core/due-day';
import { columnsFor, companies, rowsFor, toCsv, type Company } from '#local/seed/generate';
import { publishDemoCatalog, startTestPlatform, type TestPlatform } from '../support/platform.ts';
import { scanTable } from '../support/tables.ts';

let p: TestPlatform;
let catalog: Catalog;
const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString().slice(0, 10);
const [X, Y] = companies(2, 1616) as [Company, Company];

async function upload(itemCode: string, data: Array<Record<string, string>>) {
  const item = catalog.items.find((i) => i.code === itemCode)!;
  return p.receipt(await p.upload(item.provider, itemCode, `${itemCode}.csv`, toCsv(columnsFor(item), data)));
}

beforeAll(async () => {
  p = await startTestPlatform();
  catalog = await publishDemoCatalog(p);
  expect(catalog.items.find((i) => i.code === 'AMR-PENALTY')).toMatchObject({ queryYears: 5, queryPeriodFrom: 'decisionDate' });
});

afterAll(async () => {
  await p?.stop();
});

describe('record expiry', () => {
  it('reads only the entries due: 3 records past their query period among 40, then nothing', async () => {
    // 40 penalties of X: three decided six years ago (past the 5-year query period), the rest recent
    const rows = rowsFor('AMR-PENALTY', catalog, 40, 161, { subjects: [X] }).map((r, n) => ({
      ...r,
      decisionDate: n < 3 ? daysAgo(6 * 366) : daysAgo(10 + n),
      effectiveUntil: n < 3 ? daysAgo(6 * 366 - 10) : daysAgo(5),
      publicityUntil: '',
    }));
    expect(await upload('AMR-PENALTY', rows)).toMatchObject({ status: 'COMPLETED', accepted: 40 });
    const stored = (await scanTable(p, 'legalSubjects')).filter((r) => r.pk === X.uscc && String(r.sk).startsWith('REC#'));
    // every record carries its due day: the query period's end, or the day after its publicity when that comes first
    expect(stored.filter((r) => r.exppk !== undefined)).toHaveLength(40);

    const first = await p.invoke('recordExpiry');
    expect(first).toEqual({ expired: 3, unlisted: 0, read: 3, finished: true });
    const after = (await scanTable(p, 'legalSubjects')).filter((r) => r.pk === X.uscc && String(r.sk).startsWith('REC#'));
    const expired = after.filter((r) => r.status === 'EXPIRED');
    expect(expired.map((r) => (r.fields as Record<string, string>).decisionNo).sort()).toEqual(
      rows
        .slice(0, 3)
        .map((r) => (r as Record<string, string>).decisionNo)
        .sort(),
    );
    // out of the index with the status change: the next run reads nothing
    expect(expired.every((r) => r.exppk === undefined && r.expsk === undefined)).toBe(true);
    expect(await p.invoke('recordExpiry')).toEqual({ expired: 0, unlisted: 0, read: 0, finished: true });
  });

  it('a sweep that stops part-way resumes where it stopped, reads no entry twice, and then starts a new pass', async () => {
    const { sweep } = await import('#adapters/job-position');
    const parts = Array.from({ length: EXPIRY_SHARDS }, (_, shard) => ({
      TableName: p.emulators.tables.legalSubjects,
      IndexName: 'byExpiry',
      KeyConditionExpression: 'exppk = :pk',
      ExpressionAttributeValues: { ':pk': `EXP#${shard}` },
      Limit: 2,
    }));
    const everything = (await scanTable(p, 'legalSubjects'))
      .filter((r) => r.exppk !== undefined)
      .map((r) => String(r.expsk))
      .sort();
    expect(everything.length).toBeGreaterThan(10);
    const seen: string[] = [];
    let pages = 0;
    const read = async (items: Array<Record<string, unknown>>) => {
      pages++;
      seen.push(...items.map((i) => String(i.expsk)));
    };
    // first invocation: three pages, then its time is up
    const first = await sweep('test-sweep', parts, read, () => pages >= 3);
    expect(first).toEqual({ read: seen.length, finished: false });
    expect(pages).toBe(3);
    // the next invocation goes on from there to the end
    const second = await sweep('test-sweep', parts, read, () => false);
    expect(second.finished).toBe(true);
    expect(seen.slice().sort()).toEqual(everything);
    // a new pass starts at the first shard again
    pages = 0;
    seen.length = 0;
    await sweep('test-sweep', parts, read, () => pages >= 1);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((s) => everything.includes(s))).toBe(true);
  });
});

describe('housekeeping', () => {
  it('links a held record whose subject became known, reading the byWaiting index only', async () => {
    // Y's penalty names only its registration number: held
    const [row] = rowsFor('AMR-PENALTY', catalog, 1, 162, { subjects: [Y] }).map((r) => ({
      ...r,
      partyUscc: '',
      partyRegNo: Y.regNo,
      decisionDate: daysAgo(20),
      effectiveUntil: daysAgo(5),
      publicityUntil: '',
    }));
    expect(await upload('AMR-PENALTY', [row!])).toMatchObject({ status: 'COMPLETED', linked: 0, unlinked: 1 });
    const waiting = (await scanTable(p, 'registry')).filter((r) => r.waitpk !== undefined);
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({ pk: `HOLD#REG#${Y.regNo}`, waitpk: expect.stringMatching(/^WAIT#[0-7]$/) });

    // the subject becomes known without the registration's own linking (as if that step was lost)
    const { ddb } = await import('#adapters/clients');
    await ddb.send(new PutCommand({ TableName: p.emulators.tables.registry, Item: { pk: `REG#${Y.regNo}`, sk: 'SUBJECT', uscc: Y.uscc } }));
    expect(await p.invoke('housekeeping')).toEqual({ released: 1 });
    const filed = (await scanTable(p, 'legalSubjects')).filter((r) => r.pk === Y.uscc && String(r.sk).startsWith('REC#'));
    expect(filed).toHaveLength(1);
    expect([filed[0]!.waitpk, filed[0]!.holdKeys, typeof filed[0]!.exppk]).toEqual([undefined, undefined, 'string']);
    expect((await scanTable(p, 'registry')).filter((r) => r.waitpk !== undefined)).toEqual([]);
    expect(await p.invoke('housekeeping')).toEqual({ released: 0 });
  });
});
