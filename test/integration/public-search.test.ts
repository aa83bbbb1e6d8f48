/**
 * The public double-publicity search (GET /v1/public/publicity) and subject summary
 * (GET /v1/public/subjects/{uscc}) on the real local emulators: records go in through uploads
 * exactly as providers send them, and come out without a token, only while they are public —
 * active, inside their publicity period, never a natural person, never an ID number.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '#core/catalog';
import { expiryShard, nextDay } from '#core/due-day';
import { maskIdNumber } from '#core/identifiers';
import { publicityPartition, publicityUntil } from '#core/publicity';
import { recordId, recordSortKey } from '#core/record-id';
import { columnsFor, companies, makeUscc, persons, rowsFor, toCsv, type Company } from '#local/seed/generate';
import { demoCatalog, startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
let catalog: Catalog;

const DAY = 86_400_000;
/** The date `n` days before today (UTC), negative for the future. */
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString().slice(0, 10);

const [A, B, C, D] = companies(4, 4242) as [Company, Company, Company, Company];
const people = persons(5, 4243);

type Row = Record<string, string>;
const rows: Record<'aPenalties' | 'aLicences' | 'bPenalties' | 'cPenalty' | 'dLicences' | 'passengers', Row[]> = {
  aPenalties: [],
  aLicences: [],
  bPenalties: [],
  cPenalty: [],
  dLicences: [],
  passengers: [],
};

/**
 * The demo catalog, with the legal representative's ID number declared on both double-publicity
 * items — as free text on penalties (stored as uploaded) and as an ID number on licences (stored
 * masked) — so the test can show neither form ever reaches the public.
 */
function catalogWithRepIds(): Catalog {
  const c = demoCatalog();
  c.version = `${c.version}-public-search`;
  for (const item of c.items) {
    if (item.code === 'AMR-PENALTY') item.fields.push({ key: 'legalRepIdNo', label: '法定代表人证件号码', type: 'string' });
    if (item.code === 'AMR-LICENSING') item.fields.push({ key: 'legalRepIdNo', label: '法定代表人证件号码', type: 'idNumber' });
  }
  return c;
}

const itemOf = (code: string) => catalog.items.find((i) => i.code === code)!;

async function upload(itemCode: string, fileName: string, data: Row[]) {
  const item = itemOf(itemCode);
  const columns = columnsFor(item);
  if (data.some((r) => r.op)) columns.push('op');
  const batchId = await p.upload(item.provider, itemCode, fileName, toCsv(columns, data));
  return p.receipt(batchId);
}

// English messages (Accept-Language): the cases below check what each refusal says in detail
const search = (params: Record<string, string>) =>
  p.api('GET', `/v1/public/publicity?${new URLSearchParams(params)}`, { headers: { 'accept-language': 'en' } });
/** Every page of a search, following `next` from the first; fails past `maxPages`. */
async function allPages(params: Record<string, string>, maxPages = 60) {
  const pages: Array<{ json: any }> = [];
  let cursor: string | null | undefined;
  do {
    if (pages.length >= maxPages) throw new Error(`more than ${maxPages} pages`);
    const res = await search(cursor ? { ...params, cursor } : params);
    expect(res.status, res.text).toBe(200);
    pages.push(res);
    cursor = res.json.next;
  } while (cursor);
  return { pages, results: pages.flatMap((r) => r.json.results as Array<{ recordId: string; fields: Row }>) };
}
const summary = (uscc: string) => p.api('GET', `/v1/public/subjects/${encodeURIComponent(uscc)}`);
const decisionNos = (res: { json: any }) => (res.json.results as Array<{ fields: Row }>).map((r) => r.fields.decisionNo).sort();

beforeAll(async () => {
  // the cases below page through whole searches, one request a page: more than the default
  // per-client limit (120 a minute) allows one client; rate-limit.test.ts tests the limit itself
  p = await startTestPlatform({ publicRateLimit: { limit: 100_000, windowSeconds: 60 } });
  catalog = catalogWithRepIds();
  const published = await p.api('PUT', '/v1/catalog', { token: await p.as('admin'), body: catalog });
  if (published.status !== 201) throw new Error(`catalog refused: ${published.text}`);

  // A: one recent penalty, one decided four years ago (GENERAL: past every scheme's period), one
  // whose explicit publicityUntil has passed; three licences: valid, open-ended, expired.
  rows.aPenalties = rowsFor('AMR-PENALTY', catalog, 3, 101, { subjects: [A] });
  Object.assign(rows.aPenalties[0]!, { decisionDate: daysAgo(10), effectiveUntil: daysAgo(3), publicityUntil: '' });
  Object.assign(rows.aPenalties[1]!, { decisionDate: daysAgo(4 * 365 + 1), effectiveUntil: daysAgo(4 * 365 - 9), publicityUntil: '' });
  Object.assign(rows.aPenalties[2]!, { decisionDate: daysAgo(60), effectiveUntil: daysAgo(50), publicityUntil: daysAgo(5) });
  rows.aLicences = rowsFor('AMR-LICENSING', catalog, 3, 104, { subjects: [A] }).map((r) => ({ ...r, decisionDate: daysAgo(100), validFrom: daysAgo(100) }));
  Object.assign(rows.aLicences[0]!, { validTo: daysAgo(-365) });
  Object.assign(rows.aLicences[1]!, { validTo: '' });
  Object.assign(rows.aLicences[2]!, { validTo: daysAgo(1) });
  // B: two recent penalties; the first is withdrawn below
  rows.bPenalties = rowsFor('AMR-PENALTY', catalog, 2, 102, { subjects: [B] }).map((r) => ({
    ...r,
    decisionDate: daysAgo(20),
    effectiveUntil: daysAgo(5),
    publicityUntil: '',
  }));
  // C: a penalty naming only the registration number, held until C's registration arrives
  rows.cPenalty = rowsFor('AMR-PENALTY', catalog, 1, 103, { subjects: [C] }).map((r) => ({
    ...r,
    partyUscc: '',
    partyRegNo: C.regNo,
    decisionDate: daysAgo(30),
    effectiveUntil: daysAgo(20),
    publicityUntil: '',
  }));
  // D: 25 valid licences, more than one page
  rows.dLicences = rowsFor('AMR-LICENSING', catalog, 25, 105, { subjects: [D] }).map((r) => ({
    ...r,
    decisionDate: daysAgo(40),
    validFrom: daysAgo(40),
    validTo: daysAgo(-700),
  }));
  // natural persons: double-publicity penalties that must never be public
  rows.passengers = rowsFor('TRANSPORT-ILLEGAL-PASSENGER', catalog, 5, 106, { subjects: people }).map((r) => ({
    ...r,
    decisionDate: daysAgo(15),
    effectiveUntil: daysAgo(5),
  }));

  const receipts = await Promise.all([
    upload('AMR-PENALTY', 'a-penalties.csv', rows.aPenalties),
    upload('AMR-LICENSING', 'a-licences.csv', rows.aLicences),
    upload('AMR-PENALTY', 'b-penalties.csv', rows.bPenalties),
    upload('AMR-PENALTY', 'c-penalty.csv', rows.cPenalty),
    upload('AMR-LICENSING', 'd-licences.csv', rows.dLicences),
    upload('TRANSPORT-ILLEGAL-PASSENGER', 'passengers.csv', rows.passengers),
  ]);
  expect(receipts.map((r) => [r.status, r.rejected, r.errors])).toEqual(receipts.map(() => ['COMPLETED', 0, []]));
  expect(receipts[3]).toMatchObject({ linked: 0, unlinked: 1 });

  const later = await Promise.all([
    upload('AMR-PENALTY', 'b-withdraw.csv', [{ ...rows.bPenalties[0]!, op: 'delete' }]),
    upload('AMR-REGISTRATION', 'c-registration.csv', rowsFor('AMR-REGISTRATION', catalog, 1, 107, { subjects: [C] })),
  ]);
  expect(later.map((r) => [r.status, r.accepted, r.errors])).toEqual([
    ['COMPLETED', 1, []],
    ['COMPLETED', 1, []],
  ]);
});

afterAll(async () => {
  await p?.stop();
});

describe('search by USCC', () => {
  it("returns the subject's penalties inside their publicity period, without a token", async () => {
    const res = await search({ type: 'PENALTY', q: A.uscc });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ type: 'PENALTY', q: A.uscc, match: 'uscc', pageSize: 20, next: null });
    // the four-year-old one and the one past its explicit publicityUntil are not shown
    expect(decisionNos(res)).toEqual([rows.aPenalties[0]!.decisionNo]);

    const recent = rows.aPenalties[0]!;
    const expected = publicityUntil({ decisionDate: recent.decisionDate }, itemOf('AMR-PENALTY'));
    expect(expected.ok).toBe(true);
    expect(res.json.results[0]).toMatchObject({
      recordId: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      item: 'AMR-PENALTY',
      itemName: itemOf('AMR-PENALTY').name,
      subject: { name: A.name, uscc: A.uscc },
      decisionDate: recent.decisionDate,
      publicUntil: expected.ok ? expected.until : null,
      fields: { decisionNo: recent.decisionNo, authorityName: recent.authorityName, penaltyContent: recent.penaltyContent },
    });
  });

  it('accepts the code in lower case and with spaces, and answers with it normalised', async () => {
    const res = await search({ type: 'PENALTY', q: ` ${A.uscc.slice(0, 9).toLowerCase()} ${A.uscc.slice(9)} ` });
    expect(res.status).toBe(200);
    expect(res.json.q).toBe(A.uscc);
    expect(decisionNos(res)).toEqual([rows.aPenalties[0]!.decisionNo]);
  });

  it('returns licences until validTo, open-ended without one', async () => {
    const res = await search({ type: 'LICENSING', q: A.uscc });
    expect(res.status).toBe(200);
    expect(decisionNos(res)).toEqual([rows.aLicences[0]!.decisionNo, rows.aLicences[1]!.decisionNo].sort());
    const until = Object.fromEntries((res.json.results as any[]).map((r) => [r.fields.decisionNo, r.publicUntil]));
    expect(until).toEqual({ [rows.aLicences[0]!.decisionNo!]: rows.aLicences[0]!.validTo, [rows.aLicences[1]!.decisionNo!]: null });
  });

  it('keeps the two publicity types apart', async () => {
    const res = await search({ type: 'LICENSING', q: B.uscc });
    expect(res.json.results).toEqual([]);
  });

  it('no longer shows a withdrawn record', async () => {
    const res = await search({ type: 'PENALTY', q: B.uscc });
    expect(decisionNos(res)).toEqual([rows.bPenalties[1]!.decisionNo]);
  });

  it('shows a held record once its subject registers and it is linked', async () => {
    const res = await search({ type: 'PENALTY', q: C.uscc });
    expect(decisionNos(res)).toEqual([rows.cPenalty[0]!.decisionNo]);
    expect(res.json.results[0].subject).toEqual({ name: C.name, uscc: C.uscc });
  });
});

describe('search by name', () => {
  it('finds a company by the start of its name, with the same records as its USCC', async () => {
    const res = await search({ type: 'PENALTY', q: A.name.slice(0, 4) });
    expect(res.status).toBe(200);
    expect(decisionNos(res)).toEqual([rows.aPenalties[0]!.decisionNo]);
    const full = await search({ type: 'LICENSING', q: A.name });
    expect(decisionNos(full)).toEqual(decisionNos(await search({ type: 'LICENSING', q: A.uscc })));
  });

  it('finds a held record by name once it is linked', async () => {
    const res = await search({ type: 'PENALTY', q: C.name });
    expect(decisionNos(res)).toEqual([rows.cPenalty[0]!.decisionNo]);
  });

  it('prefers names starting with q, and says so', async () => {
    const res = await search({ type: 'PENALTY', q: A.name.slice(0, 4) });
    expect(res.json).toMatchObject({ match: 'prefix', next: null });
  });

  it('finds a company by any part of its name when no name starts with it', async () => {
    // a contains search scans the index a page at a time: the whole search is every page
    const res = await search({ type: 'PENALTY', q: A.name.slice(2) });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ match: 'contains', pageSize: 20 });
    const found = await allPages({ type: 'PENALTY', q: A.name.slice(2) });
    expect(found.pages.map((r) => r.json.match)).toEqual(found.pages.map(() => 'contains'));
    expect(found.results.map((r) => r.fields.decisionNo)).toEqual([rows.aPenalties[0]!.decisionNo]);
    expect((found.results[0] as any).subject).toEqual({ name: A.name, uscc: A.uscc });
    // the middle of a name, and a held record linked later, are found the same way
    const middle = await allPages({ type: 'LICENSING', q: A.name.slice(2, 5) });
    expect(middle.pages[0]!.json.match).toBe('contains');
    expect(middle.results.map((r) => r.fields.decisionNo).sort()).toEqual(decisionNos(await search({ type: 'LICENSING', q: A.uscc })));
    const held = await allPages({ type: 'PENALTY', q: C.name.slice(2) });
    expect(held.results.map((r) => r.fields.decisionNo)).toEqual([rows.cPenalty[0]!.decisionNo]);
  });

  it('keeps the publicity rules in a contains search: types apart, withdrawn and expired records out', async () => {
    expect((await allPages({ type: 'PENALTY', q: B.name.slice(2) })).results.map((r) => r.fields.decisionNo)).toEqual([rows.bPenalties[1]!.decisionNo]);
    expect((await allPages({ type: 'LICENSING', q: B.name.slice(2) })).results).toEqual([]);
  });

  it('finds nothing for an unknown name', async () => {
    const none = await allPages({ type: 'PENALTY', q: '不存在的公司名称' });
    expect(none.results).toEqual([]);
    expect(none.pages.at(-1)!.json).toMatchObject({ match: 'contains', results: [], next: null });
  });

  it('pages a contains search by pageSize, without overlap', async () => {
    const all = await allPages({ type: 'LICENSING', q: D.name.slice(2), pageSize: '10' });
    expect(all.pages.every((r) => r.json.match === 'contains' && r.json.pageSize === 10 && r.json.results.length <= 10)).toBe(true);
    expect(all.results).toHaveLength(25);
    expect(new Set(all.results.map((r) => r.recordId)).size).toBe(25);
  });

  it('pages 20 at a time with the cursor, without overlap', async () => {
    const first = await search({ type: 'LICENSING', q: D.name });
    const second = await search({ type: 'LICENSING', q: D.name, cursor: first.json.next });
    expect([first.json.match, first.json.results.length, typeof first.json.next]).toEqual(['prefix', 20, 'string']);
    // the 21st entry the first page read told it another page follows; the second reads to the end
    expect([second.json.match, second.json.results.length, second.json.next]).toEqual(['prefix', 5, null]);
    const ids = [...first.json.results, ...second.json.results].map((r: { recordId: string }) => r.recordId);
    expect(new Set(ids).size).toBe(25);
    expect([...decisionNos(first), ...decisionNos(second)].sort()).toEqual(rows.dLicences.map((r) => r.decisionNo).sort());
    // the same cursor twice gives the same page: nothing is consumed
    expect(decisionNos(await search({ type: 'LICENSING', q: D.name, cursor: first.json.next }))).toEqual(decisionNos(second));
  });

  it('pages a USCC search through the company file with its own cursor', async () => {
    const all = await allPages({ type: 'LICENSING', q: D.uscc, pageSize: '7' });
    expect(all.pages.map((r) => [r.json.match, r.json.results.length])).toEqual([
      ['uscc', 7],
      ['uscc', 7],
      ['uscc', 7],
      ['uscc', 4],
    ]);
    expect(all.results.map((r) => r.fields.decisionNo).sort()).toEqual(rows.dLicences.map((r) => r.decisionNo).sort());
  });

  it('takes a pageSize from 1 to 50', async () => {
    const ones = await allPages({ type: 'LICENSING', q: D.name, pageSize: '1' });
    expect(ones.pages).toHaveLength(25);
    expect(ones.pages.every((r) => r.json.pageSize === 1 && r.json.results.length === 1)).toBe(true);
    expect(new Set(ones.results.map((r) => r.recordId)).size).toBe(25);
    const all = await search({ type: 'LICENSING', q: D.name, pageSize: '50' });
    expect([all.json.pageSize, all.json.results.length, all.json.next]).toEqual([50, 25, null]);
  });
});

describe('one page read per request, whatever q is', () => {
  /** Entries DynamoDB examined (ScannedCount) in the records table and its index, per read, while counting. */
  const reads: number[] = [];
  beforeAll(async () => {
    const { dynamo } = await import('#adapters/clients');
    dynamo.middlewareStack.add(
      (next, context) => async (args) => {
        const out = await next(args);
        const input = args.input as { TableName?: string };
        if ((context.commandName === 'QueryCommand' || context.commandName === 'ScanCommand') && input.TableName === p.emulators.tables.legalSubjects) {
          reads.push((out.output as { ScannedCount?: number }).ScannedCount ?? 0);
        }
        return out;
      },
      { step: 'initialize', name: 'countPublicReads' },
    );
  });
  afterAll(async () => {
    const { dynamo } = await import('#adapters/clients');
    dynamo.middlewareStack.remove('countPublicReads');
  });

  it.each([
    ['a shared name prefix (every test company starts with 上海)', () => ({ type: 'LICENSING', q: '上海' })],
    ['a full name', () => ({ type: 'LICENSING', q: D.name })],
    ['a USCC', () => ({ type: 'LICENSING', q: D.uscc })],
    ['part of a name (contains scan)', () => ({ type: 'LICENSING', q: D.name.slice(2) })],
    ['a name nobody has (empty prefix, then contains scan)', () => ({ type: 'PENALTY', q: '不存在的公司名称' })],
  ])('%s: every request examines at most pageSize + 1 entries', async (_name, params) => {
    for (const pageSize of [1, 5, 20]) {
      const perRequest: number[] = [];
      let cursor: string | null = null;
      let results = 0;
      do {
        const before = reads.length;
        const res = await search({ ...params(), pageSize: String(pageSize), ...(cursor ? { cursor } : {}) });
        expect(res.status, res.text).toBe(200);
        // a request that finds no prefix runs the (empty) prefix Query and then the scan: both count
        perRequest.push(reads.slice(before).reduce((a, b) => a + b, 0));
        results += res.json.results.length;
        cursor = res.json.next;
        expect(perRequest.length, 'pages').toBeLessThan(100);
      } while (cursor);
      expect(perRequest[0], 'the reads are counted').toBeGreaterThan(0);
      expect(Math.max(...perRequest), `pageSize ${pageSize}: ${perRequest}`).toBeLessThanOrEqual(pageSize + 1);
      // and the search still reaches everything: D's 25 licences, or the prefix's 28
      if (params().q === D.name || params().q === D.uscc || params().q === D.name.slice(2)) expect(results).toBe(25);
    }
  });
});

describe('the cursor', () => {
  const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

  it('refuses a malformed or tampered cursor with 400 INVALID_CURSOR, in Chinese by default', async () => {
    const first = await search({ type: 'LICENSING', q: D.name, pageSize: '5' });
    const good = first.json.next as string;
    const decoded = JSON.parse(Buffer.from(good, 'base64url').toString('utf8'));
    const bad = [
      'not a cursor!',
      'x'.repeat(2000),
      Buffer.from('not json').toString('base64url'),
      encode({ m: 'prefix' }),
      encode({ m: 'fancy', k: decoded.k }),
      encode({ ...decoded, k: { ...decoded.k, pubpk: publicityPartition('PENALTY', D.name) } }), // another type's range
      encode({ ...decoded, k: { ...decoded.k, pubsk: `乙${decoded.k.pubsk}` } }), // outside the prefix
      encode({ ...decoded, k: { ...decoded.k, extra: 'x' } }),
      encode({ ...decoded, k: { ...decoded.k, sk: 'REGISTRATION' } }),
      encode({ m: 'uscc', k: { pk: decoded.k.pk, sk: decoded.k.sk } }), // a USCC cursor for a name search
    ];
    for (const cursor of bad) {
      const res = await search({ type: 'LICENSING', q: D.name, pageSize: '5', cursor });
      expect([res.status, res.json.error.code], cursor).toEqual([400, 'INVALID_CURSOR']);
    }
    // another company's cursor does not continue this company's USCC search
    const dPage = await search({ type: 'LICENSING', q: D.uscc, pageSize: '1' });
    const stolen = await search({ type: 'LICENSING', q: A.uscc, cursor: dPage.json.next });
    expect([stolen.status, stolen.json.error.code]).toEqual([400, 'INVALID_CURSOR']);
    const zh = await p.api('GET', `/v1/public/publicity?${new URLSearchParams({ type: 'LICENSING', q: D.name, cursor: 'bad' })}`);
    expect([zh.status, zh.json.error.code, zh.json.error.message]).toEqual([400, 'INVALID_CURSOR', '翻页游标无效，请从第一页重新查询']);
  });

  it('refuses page numbers, saying to use the cursor', async () => {
    const res = await search({ type: 'LICENSING', q: D.name, page: '2' });
    expect([res.status, res.json.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(res.json.error.message).toContain('cursor');
  });
});

describe('subject summary', () => {
  it("counts a company's public records per type and lists the latest, without a token", async () => {
    const res = await summary(A.uscc);
    expect(res.status).toBe(200);
    // A has no registration of its own in this file: its name comes from its public records
    expect(res.json).toMatchObject({ uscc: A.uscc, name: A.name, registered: false });
    expect(res.json.publicity.PENALTY.count).toBe(1);
    expect(res.json.publicity.PENALTY.latest.map((r: { fields: Row }) => r.fields.decisionNo)).toEqual([rows.aPenalties[0]!.decisionNo]);
    expect(res.json.publicity.PENALTY.latest[0]).toMatchObject({
      item: 'AMR-PENALTY',
      subject: { name: A.name, uscc: A.uscc },
      decisionDate: rows.aPenalties[0]!.decisionDate,
    });
    expect(res.json.publicity.LICENSING.count).toBe(2);
    expect(res.json.publicity.LICENSING.latest.map((r: { fields: Row }) => r.fields.decisionNo).sort()).toEqual(
      [rows.aLicences[0]!.decisionNo, rows.aLicences[1]!.decisionNo].sort(),
    );
  });

  it('says a registered company is registered, and counts only records still public', async () => {
    const c = await summary(C.uscc);
    expect(c.json).toMatchObject({ uscc: C.uscc, name: C.name, registered: true, publicity: { PENALTY: { count: 1 }, LICENSING: { count: 0, latest: [] } } });
    const b = await summary(B.uscc);
    expect(b.json.publicity.PENALTY.count).toBe(1);
    expect(b.json.publicity.PENALTY.latest[0].fields.decisionNo).toBe(rows.bPenalties[1]!.decisionNo);
  });

  it('counts every record but lists only the latest five, latest decision first', async () => {
    const res = await summary(` ${D.uscc.toLowerCase()} `);
    expect(res.status).toBe(200);
    expect(res.json.uscc).toBe(D.uscc);
    expect(res.json.publicity.LICENSING.count).toBe(25);
    const latest = res.json.publicity.LICENSING.latest as Array<{ decisionDate: string }>;
    expect(latest).toHaveLength(5);
    expect(latest.map((r) => r.decisionDate)).toEqual([...latest.map((r) => r.decisionDate)].sort().reverse());
  });

  it('never returns an ID number', async () => {
    const res = await summary(A.uscc);
    expect(res.text).not.toContain(A.legalRepIdNo);
    expect(res.text).not.toContain(maskIdNumber(A.legalRepIdNo));
    for (const type of ['PENALTY', 'LICENSING']) for (const r of res.json.publicity[type].latest) expect(r.fields).not.toHaveProperty('legalRepIdNo');
  });

  it('answers 404 for a valid USCC the platform holds nothing public about', async () => {
    const unknown = makeUscc(999_999, { prefix: '91', division: '310115' });
    const res = await summary(unknown);
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('SUBJECT_NOT_FOUND');
  });

  it('refuses a malformed USCC with 400', async () => {
    for (const bad of ['not-a-code', A.uscc.slice(0, 17) + (A.uscc.endsWith('A') ? 'B' : 'A'), A.uscc.slice(0, 17)]) {
      const res = await summary(bad);
      expect(res.status, bad).toBe(400);
      expect(res.json.error.code).toBe('INVALID_USCC');
    }
  });
});

describe('what is never public', () => {
  it('never returns a natural person, by name or among all companies', async () => {
    for (const person of people) {
      const res = await search({ type: 'PENALTY', q: person.name.length >= 2 ? person.name : `${person.name}某` });
      expect(res.status).toBe(200);
      expect(res.json.results).toEqual([]);
    }
    const all = await search({ type: 'PENALTY', q: '上海', pageSize: '50' });
    expect(all.json.results.length).toBeGreaterThan(0);
    for (const r of all.json.results) {
      expect(r.item).toBe('AMR-PENALTY');
      expect(r.subject.uscc).toMatch(/^[0-9A-Z]{18}$/);
    }
    const text = JSON.stringify(all.json);
    for (const person of people) expect(text).not.toContain(person.idNumber);
  });

  it('never returns an ID number, whether stored as uploaded or masked', async () => {
    const penalties = await search({ type: 'PENALTY', q: A.uscc });
    const licences = await search({ type: 'LICENSING', q: A.uscc });
    for (const res of [penalties, licences]) {
      expect(res.json.results.length).toBeGreaterThan(0);
      for (const r of res.json.results) expect(r.fields).not.toHaveProperty('legalRepIdNo');
      expect(res.text).not.toContain(A.legalRepIdNo);
      expect(res.text).not.toContain(maskIdNumber(A.legalRepIdNo));
    }
  });
});

describe('bad requests', () => {
  it.each([
    ['no type', { q: '上海申城' }, 'query.type'],
    ['an unknown type', { type: 'FINE', q: '上海申城' }, 'query.type'],
    ['no q', { type: 'PENALTY' }, 'query.q'],
    ['a one-character q', { type: 'PENALTY', q: ' 上 ' }, 'q must be 2 to 100 characters'],
    ['a q of 101 characters', { type: 'PENALTY', q: '上'.repeat(101) }, 'q must be 2 to 100 characters'],
    ['pageSize 0', { type: 'PENALTY', q: '上海', pageSize: '0' }, 'pageSize must be a whole number from 1 to 50'],
    ['pageSize 51', { type: 'PENALTY', q: '上海', pageSize: '51' }, 'pageSize must be a whole number from 1 to 50'],
    ['pageSize abc', { type: 'PENALTY', q: '上海', pageSize: 'abc' }, 'pageSize must be a whole number from 1 to 50'],
    ['pageSize 2.5', { type: 'PENALTY', q: '上海', pageSize: '2.5' }, 'pageSize must be a whole number from 1 to 50'],
    ['pageSize -5', { type: 'PENALTY', q: '上海', pageSize: '-5' }, 'pageSize must be a whole number from 1 to 50'],
  ])('%s → 400 with a clear error', async (_name, params, message) => {
    const res = await search(params as Record<string, string>);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('VALIDATION_FAILED');
    expect(res.json.error.message).toContain(message);
  });

  it('refuses a USCC-shaped q whose check character is wrong', async () => {
    const wrong = A.uscc.slice(0, 17) + (A.uscc.endsWith('A') ? 'B' : 'A');
    const res = await search({ type: 'PENALTY', q: wrong });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: 'INVALID_USCC', message: expect.stringContaining('check character') });
  });
});

describe('the index holds only what is shown', () => {
  /** recordIds of every byPublicity entry of the test's companies. */
  async function indexed(): Promise<Set<string>> {
    const { ddb } = await import('#adapters/clients');
    const { ScanCommand } = await import('@aws-sdk/lib-dynamodb');
    const ids = new Set<string>();
    let start: Record<string, unknown> | undefined;
    do {
      const out = await ddb.send(new ScanCommand({ TableName: p.emulators.tables.legalSubjects, IndexName: 'byPublicity', ExclusiveStartKey: start }));
      for (const item of out.Items ?? []) if ([A, B, C, D].some((c) => c.uscc === item.pk)) ids.add(item.recordId as string);
      start = out.LastEvaluatedKey;
    } while (start);
    return ids;
  }
  const shownIds = async () => {
    const all = await Promise.all(
      [A, B, C, D].flatMap((c) => (['PENALTY', 'LICENSING'] as const).map((type) => allPages({ type, q: c.uscc, pageSize: '50' }))),
    );
    return new Set(all.flatMap((found) => found.results.map((r) => r.recordId)));
  };

  it('indexes a record only while it is shown: rows past their period and withdrawn rows never enter it', async () => {
    const shown = await shownIds();
    expect(shown.size).toBeGreaterThan(0);
    // A's two penalties and one licence past their period, and B's withdrawn penalty, are not in it
    expect(await indexed()).toEqual(shown);
  });

  it('the daily record-expiry run takes out a record whose period ended after it was written, and nothing shown', async () => {
    const shown = await shownIds();
    // A's penalty past its explicit publicityUntil, as if written while it was still shown
    const { ddb } = await import('#adapters/clients');
    const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
    const past = rows.aPenalties[2]!;
    const id = recordId('SH-AMR', 'AMR-PENALTY', past.decisionNo!);
    // with the byExpiry entry it would have been written with: due the day after its last public day
    await ddb.send(
      new UpdateCommand({
        TableName: p.emulators.tables.legalSubjects,
        Key: { pk: A.uscc, sk: recordSortKey('SH-AMR', 'AMR-PENALTY', past.decisionNo!) },
        UpdateExpression: 'SET pubpk = :pk, pubsk = :sk, exppk = :epk, expsk = :esk',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(pubpk)',
        ExpressionAttributeValues: {
          ':pk': publicityPartition('PENALTY', A.name),
          ':sk': `${A.name}#${id}`,
          ':epk': `EXP#${expiryShard(id)}`,
          ':esk': `${nextDay(past.publicityUntil!)}#${id}`,
        },
      }),
    );
    expect((await indexed()).has(id)).toBe(true);
    expect(await shownIds()).toEqual(shown); // the search's filter hides it meanwhile

    const run = (await p.invoke('recordExpiry')) as { unlisted: number };
    expect(run.unlisted).toBe(1);
    expect(await indexed()).toEqual(shown);
    expect(await shownIds()).toEqual(shown);
    expect(decisionNos(await search({ type: 'PENALTY', q: A.name.slice(0, 4) }))).toEqual([rows.aPenalties[0]!.decisionNo]);
    expect(((await p.invoke('recordExpiry')) as { unlisted: number }).unlisted).toBe(0);
  });
});
