/**
 * Credit-list entries in the national export, on the local platform through the stand-in national
 * platform: a NOTIFIED entry is not sent; a LISTED entry of a legal person is sent as a CREDIT_LIST
 * record (rule entries and decision entries alike), once; an exit is sent as a withdrawal; a batch
 * that gets no answer stays pending and the next run sends it; a person's entry is never sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '#core/catalog';
import { addYears } from '#core/credit-lists';
import { columnsFor, companies, persons, rowsFor, toCsv, type Company, type Person } from '#local/seed/generate';
import { publishDemoCatalog, startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
let catalog: Catalog;
let admin: string;
const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString().slice(0, 10);
const [A, B] = companies(2, 9310) as [Company, Company];
const [P] = persons(1, 9311) as [Person];
const entries = { rule: '', red: '', person: '' };

/** Starts a run through the API and waits until it has ended. */
async function run(): Promise<any> {
  await new Promise((r) => setTimeout(r, 1200)); // past the local safety lag of 1 s
  const started = await p.api('POST', '/v1/exports/run', { token: admin });
  expect(started.status, started.text).toBe(202);
  for (let i = 0; i < 900; i++) {
    const runs = await p.api('GET', '/v1/exports/runs?limit=50', { token: admin });
    const found = runs.json.runs.find((r: any) => r.runId === started.json.runId);
    if (found && found.status !== 'RUNNING') return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run ${started.json.runId} did not end`);
}

async function nationalLists(): Promise<any[]> {
  const res = await p.api('GET', '/local/national/records');
  expect(res.status).toBe(200);
  return res.json.records.filter((r: any) => r.type === 'CREDIT_LIST');
}

/** As if the entry had been told `days` ago (its notice period over): the clock then lists it. */
async function toldDaysAgo(entryId: string, days: number) {
  const { getEntry, saveEntry } = await import('#adapters/joint-repo');
  const { nextDueAt } = await import('#core/credit-lists');
  const at = (await getEntry(entryId))!;
  const shift = (iso: string) => new Date(Date.parse(iso) - days * DAY).toISOString();
  const e = at.entry;
  const moved = { ...e, notifiedAt: shift(e.notifiedAt), noticeEndsAt: shift(e.noticeEndsAt), history: e.history.map((h) => ({ ...h, at: shift(h.at) })) };
  expect(await saveEntry(moved, at.rev, nextDueAt(moved))).toBe(true);
}

beforeAll(async () => {
  p = await startTestPlatform();
  catalog = await publishDemoCatalog(p);
  admin = await p.as('admin');
  // a major tax arrears: A enters the serious-dishonesty list by rule
  const tax = catalog.items.find((i) => i.code === 'TAX-ARREARS')!;
  const rows = rowsFor('TAX-ARREARS', catalog, 1, 9312, { subjects: [A] }).map((r) => ({ ...r, arrearsWan: '300', noticeDate: daysAgo(40) }));
  const receipt = await p.receipt(await p.upload('SH-TAX', 'TAX-ARREARS', 'tax.csv', toCsv(columnsFor(tax), rows)));
  expect([receipt.status, receipt.accepted]).toEqual(['COMPLETED', 1]);
  const own = await p.api('GET', '/v1/me/joint', { token: await p.token({ role: 'subject', subject: { type: 'LEGAL', id: A.uscc } }) });
  entries.rule = own.json.lists[0].entryId;
  // B and a person enter the red list by the unit's decision
  const drc = await p.as('gov', 'SH-DRC');
  const red = (subject: { type: string; id: string }, name: string) =>
    p.api('POST', '/v1/joint/lists/L-RED/entries', { token: drc, body: { subject, name, basis: '市发展改革委认定文件 2026-31', reasons: '诚信示范' } });
  entries.red = (await red({ type: 'LEGAL', id: B.uscc }, B.name)).json.entryId;
  entries.person = (await red({ type: 'NATURAL', id: P.idNumber }, P.name)).json.entryId;
  expect(Object.values(entries).every(Boolean)).toBe(true);
}, 180_000);

afterAll(async () => {
  await p?.stop();
});

describe('credit-list entries in the national export', () => {
  it('a NOTIFIED entry is not sent', async () => {
    const r = await run();
    expect([r.status, r.listEntries]).toEqual(['COMPLETED', 0]);
    expect(await nationalLists()).toEqual([]);
  });

  it('LISTED entries of legal persons are sent as CREDIT_LIST records, once; a person is not', async () => {
    for (const id of Object.values(entries)) await toldDaysAgo(id, 30);
    expect(await p.invoke('jointLists')).toMatchObject({ moved: 3 });
    const r = await run();
    expect([r.status, r.listEntries, r.accepted >= 2]).toEqual(['COMPLETED', 2, true]);
    const held = await nationalLists();
    expect(held.map((h) => h.key).sort()).toEqual([entries.rule, entries.red].sort());
    const rule = held.find((h) => h.key === entries.rule);
    const red = held.find((h) => h.key === entries.red);
    const listedOn = (await import('#adapters/joint-repo').then((m) => m.getEntry(entries.rule)))!.entry.listedOn!;
    expect(rule).toMatchObject({
      status: 'ACTIVE',
      nationalId: expect.stringMatching(/^MD\d{10}$/),
      fields: {
        MD_MDMC: '严重失信主体名单',
        MD_MDLB: '8',
        MD_XDR_SHXYM: A.uscc,
        MD_XDR_MC: A.name,
        MD_RDFS: '依规则认定',
        MD_RDDW: 'SH-DRC',
        MD_LRRQ: listedOn.replaceAll('-', '/'),
      },
    });
    expect(red).toMatchObject({
      status: 'ACTIVE',
      fields: { MD_MDLB: '2', MD_XDR_SHXYM: B.uscc, MD_RDFS: '依决定认定', MD_LRYJ: '市发展改革委认定文件 2026-31' },
    });
    // listed for 3 (serious) and 2 (red) years: 有效期至 is the last day
    const lastDay = new Date(Date.parse(`${addYears(listedOn, 3)}T00:00:00Z`) - DAY).toISOString().slice(0, 10);
    expect(rule.fields.MD_YXQZ).toBe(lastDay.replaceAll('-', '/'));
    expect(JSON.stringify(held)).not.toContain(P.idNumber);
    // nothing changed: nothing sent again
    const again = await run();
    expect([again.status, again.listEntries]).toEqual(['COMPLETED', 0]);
  });

  it('an exit (the record behind a rule entry repaired) is sent as a withdrawal', async () => {
    const { getEntry } = await import('#adapters/joint-repo');
    const recordId = (await getEntry(entries.rule))!.entry.records[0];
    const repaired = await p.api('POST', `/v1/records/${recordId}/repair`, {
      token: await p.as('provider', 'SH-TAX'),
      body: { subject: { type: 'LEGAL', id: A.uscc }, certificateNo: '沪税修〔2026〕31号', issuedOn: daysAgo(1) },
    });
    expect(repaired.status, repaired.text).toBe(200);
    const r = await run();
    expect([r.status, r.listEntries, r.withdrawn >= 1]).toEqual(['COMPLETED', 1, true]);
    const held = await nationalLists();
    expect(held.map((h) => [h.key, h.status]).sort()).toEqual(
      [
        [entries.rule, 'WITHDRAWN'],
        [entries.red, 'ACTIVE'],
      ].sort(),
    );
  });

  it('a batch that gets no answer stays pending: the run fails, the next one sends it', async () => {
    const drc = await p.as('gov', 'SH-DRC');
    const bToken = await p.token({ role: 'subject', subject: { type: 'LEGAL', id: B.uscc } });
    const objected = await p.api('POST', `/v1/joint/entries/${entries.red}/objection`, { token: bToken, body: { reason: '已不符合条件' } });
    expect(objected.status, objected.text).toBe(201);
    const decided = await p.api('POST', `/v1/joint/entries/${entries.red}/objection/decision`, { token: drc, body: { upheld: true, reason: '认定有误' } });
    expect(decided.json).toMatchObject({ status: 'EXITED', exitReason: 'OBJECTION_UPHELD' });
    // every attempt of the next batch refused with 503 (the client tries 6 times)
    expect((await p.api('POST', '/local/national/faults', { body: { failNext: 6 } })).status).toBe(200);
    const failed = await run();
    expect([failed.status, failed.listEntries]).toEqual(['FAILED', 0]);
    expect((await nationalLists()).find((h) => h.key === entries.red).status).toBe('ACTIVE');
    const next = await run();
    expect([next.status, next.listEntries, next.withdrawn]).toEqual(['COMPLETED', 1, 1]);
    expect((await nationalLists()).find((h) => h.key === entries.red).status).toBe('WITHDRAWN');
  });
});
