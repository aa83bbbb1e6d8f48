/**
 * `GET /v1/objections` reads one page, not the table (issue 13): every listing is one Query of one
 * index partition with Limit = page size + 1, on DynamoDB Local. The number of index entries a page
 * examines (DynamoDB's ScannedCount, what a Query is billed for) is checked against the page size
 * while the table holds many times more objections, for each index and with filters that match
 * almost nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignRemit, listingPlan, receive, type Objection } from '#core/objections';
import { seededCalendar } from '#core/work-calendar';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
let repo: typeof import('#adapters/objection-repo');
const TOTAL = 150;
const cal = seededCalendar();
const admin = { role: 'admin' as const, sub: 'a' };
const objections: Objection[] = [];

const idOf = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

beforeAll(async () => {
  p = await startTestPlatform();
  // adapters are imported once the platform has set the emulator endpoints
  repo = await import('#adapters/objection-repo');
  const recent = new Date(Date.now() - 60_000).getTime();
  for (let i = 0; i < TOTAL; i++) {
    // the last ten arrived a minute ago (not overdue); the rest in mid-2026, long past their first deadline
    const at = i >= TOTAL - 10 ? new Date(recent + i * 1000).toISOString() : new Date(Date.parse('2026-06-01T02:00:00.000Z') + i * 3_600_000).toISOString();
    let o = receive(
      {
        objectionId: idOf(i),
        recordId: String(i).padStart(22, 'R'),
        // one objection about SH-RARE's record, deep in the table
        provider: i === 3 ? 'SH-RARE' : 'SH-AMR',
        item: 'AMR-PENALTY',
        subjectType: 'LEGAL',
        subjectKey: `9131000000000000${String(i % 7).padStart(2, '0')}`,
        subjectLabel: 'x',
        reason: 'r',
        evidence: [],
        by: { role: 'subject', sub: 's' },
      },
      at,
    );
    if (i % 3 === 0) o = assignRemit(o, 'PROVIDER', admin, at);
    objections.push(o);
  }
  await Promise.all(objections.map((o) => repo.putNewObjection(o, cal)));
}, 180_000);

afterAll(async () => {
  await p?.stop();
});

const newestFirst = (list: Objection[]) =>
  list
    .map((o) => `${o.receivedAt}#${o.objectionId}`)
    .sort()
    .reverse();

describe('GET /v1/objections pages', () => {
  it('an objection stored before the byReceived index gets its key from the one-off backfill, once', async () => {
    const { GetCommand, UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
    const { ddb } = await import('#adapters/clients');
    const Key = { pk: `OBJ#${idOf(5)}`, sk: 'OBJECTION' };
    const TableName = p.emulators.tables.objections;
    await ddb.send(new UpdateCommand({ TableName, Key, UpdateExpression: 'REMOVE gsi5pk, gsi5sk' }));
    expect(await repo.backfillReceivedIndex()).toBe(1);
    expect(await repo.backfillReceivedIndex()).toBe(0);
    const item = (await ddb.send(new GetCommand({ TableName, Key }))).Item!;
    expect([item.gsi5pk, item.gsi5sk]).toEqual(['ALL', `${objections[5]!.receivedAt}#${idOf(5)}`]);
  });

  it('a page examines at most limit + 1 index entries while the table holds 150', async () => {
    const now = new Date().toISOString();
    const first = await repo.objectionPage(listingPlan({ role: 'admin' }, {}), 10, now);
    expect(first.objections).toHaveLength(10);
    expect(first.examined).toBeLessThanOrEqual(11);
    expect(first.next).toBeDefined();
    const overdue = await repo.objectionPage(listingPlan({ role: 'admin' }, { overdue: true }), 10, now);
    expect(overdue.objections).toHaveLength(10);
    expect(overdue.examined).toBeLessThanOrEqual(11);
    const forwarded = await repo.objectionPage(listingPlan({ role: 'provider', unit: 'SH-AMR' }, {}), 10, now);
    expect([forwarded.objections.length, forwarded.examined <= 11]).toEqual([10, true]);
  });

  it('walks every objection once, newest first, each page bounded by its size', async () => {
    const now = new Date().toISOString();
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await repo.objectionPage(listingPlan({ role: 'admin' }, {}), 40, now, after);
      expect(page.examined).toBeLessThanOrEqual(41);
      seen.push(...page.objections.map((o) => `${o.receivedAt}#${o.objectionId}`));
      after = page.next;
      pages++;
    } while (after);
    expect(pages).toBe(4);
    expect(seen).toEqual(newestFirst(objections));
  });

  it('a filter matching one objection still reads page by page, and finds it', async () => {
    const now = new Date().toISOString();
    const found: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await repo.objectionPage(listingPlan({ role: 'admin' }, { provider: 'SH-RARE' }), 20, now, after);
      expect(page.examined).toBeLessThanOrEqual(21);
      found.push(...page.objections.map((o) => o.objectionId));
      after = page.next;
      pages++;
    } while (after);
    expect(found).toEqual([idOf(3)]);
    expect(pages).toBe(8); // 150 entries, 20 a page (the 21st examined entry is the next page's first key)
  });

  it('overdue=false and overdue=true split the objections by their indexed deadline', async () => {
    const now = new Date().toISOString();
    const walk = async (overdue: boolean) => {
      const ids: string[] = [];
      let after: string | undefined;
      do {
        const page = await repo.objectionPage(listingPlan({ role: 'admin' }, { overdue }), 50, now, after);
        expect(page.examined).toBeLessThanOrEqual(51);
        ids.push(...page.objections.map((o) => o.objectionId));
        after = page.next;
      } while (after);
      return ids;
    };
    const [late, inTime] = [await walk(true), await walk(false)];
    expect(inTime.sort()).toEqual(
      objections
        .slice(TOTAL - 10)
        .map((o) => o.objectionId)
        .sort(),
    );
    expect(late).toHaveLength(TOTAL - 10);
  });

  it('through the API: pages of `limit`, a cursor that continues, no total', async () => {
    const token = await p.as('admin');
    const first = await p.api('GET', '/v1/objections?limit=7', { token });
    expect(first.status).toBe(200);
    expect(first.json.objections).toHaveLength(7);
    expect(first.json).not.toHaveProperty('total');
    const second = await p.api('GET', `/v1/objections?limit=7&cursor=${first.json.next}`, { token });
    const ids = [...first.json.objections, ...second.json.objections].map((o: { objectionId: string }) => o.objectionId);
    expect(ids).toEqual(
      newestFirst(objections)
        .slice(0, 14)
        .map((k) => k.slice(k.indexOf('#') + 1)),
    );
  });
});
