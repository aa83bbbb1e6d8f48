/**
 * The national export end to end on the local platform: penalties and licences go in through
 * uploads, `POST /v1/exports/run` pushes them to the stand-in national platform, and
 * `GET /local/national/records` shows what it holds — after updates and withdrawals, and after a
 * run under 30% 5xx answers, 10% timeouts and a crash in the middle.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '#core/catalog';
import { publicationDeadline } from '#core/export-plan';
import { seededCalendar } from '#core/work-calendar';
import { recordId } from '#core/record-id';
import { faults } from '#adapters/faults';
import { columnsFor, companies, persons, rowsFor, toCsv } from '#local/seed/generate';
import { publishDemoCatalog, startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
let catalog: Catalog;
let admin: string;

type Row = Record<string, string>;
const today = new Date().toISOString().slice(0, 10);
const firms = companies(30, 5150);
const people = persons(10, 5151);
/** What the national platform should hold: record key → [type, status, a field code, its value]. */
const expected = new Map<string, { type: string; status: 'ACTIVE' | 'WITHDRAWN'; check?: [string, string] }>();

const itemOf = (code: string) => catalog.items.find((i) => i.code === code)!;
const idOf = (item: string, row: Row) => recordId(itemOf(item).provider, item, row.decisionNo!);

async function upload(itemCode: string, fileName: string, data: Row[]) {
  const item = itemOf(itemCode);
  const columns = columnsFor(item);
  if (data.some((r) => r.op)) columns.push('op');
  const receipt = await p.receipt(await p.upload(item.provider, itemCode, fileName, toCsv(columns, data)));
  expect(receipt.rejected, JSON.stringify(receipt.errors)).toBe(0);
  return receipt;
}

/** Starts a run through the API and waits until it has ended (a crashed run resumes on its own). */
async function run(): Promise<any> {
  await new Promise((r) => setTimeout(r, 1200)); // past the local safety lag of 1 s
  const started = await p.api('POST', '/v1/exports/run', { token: admin });
  expect(started.status, started.text).toBe(202);
  const { runId } = started.json;
  for (let i = 0; i < 600; i++) {
    const runs = await p.api('GET', '/v1/exports/runs?limit=50', { token: admin });
    const found = runs.json.runs.find((r: any) => r.runId === runId);
    if (found && found.status !== 'RUNNING') return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run ${runId} did not end`);
}

async function national(): Promise<any[]> {
  const res = await p.api('GET', '/local/national/records');
  expect(res.status).toBe(200);
  return res.json.records;
}

async function expectNationalHoldsExactly() {
  const held = await national();
  expect(new Set(held.map((r) => r.key)).size).toBe(held.length); // one entry per record
  expect(held.map((r) => r.key).sort()).toEqual([...expected.keys()].sort());
  for (const r of held) {
    const e = expected.get(r.key)!;
    expect(r.type).toBe(e.type);
    expect(r.status, r.key).toBe(e.status);
    if (e.check) expect(r.fields[e.check[0]]).toBe(e.check[1]);
  }
}

const penalties = () => rowsFor('AMR-PENALTY', catalog, 12, 5152, { subjects: firms, until: today });
const licences = () => rowsFor('AMR-LICENSING', catalog, 8, 5153, { subjects: firms, until: today });
const passengers = () => rowsFor('TRANSPORT-ILLEGAL-PASSENGER', catalog, 5, 5154, { subjects: people, until: today });

beforeAll(async () => {
  p = await startTestPlatform();
  catalog = await publishDemoCatalog(p);
  admin = await p.as('admin');
}, 60_000);

afterAll(async () => {
  faults.clear();
  await p?.stop();
});

describe('national export', () => {
  it('pushes the uploaded penalties and licences, mapped to Version B', async () => {
    const pen = penalties();
    const lic = licences();
    const nat = passengers();
    await upload('AMR-PENALTY', 'penalties.csv', pen);
    await upload('AMR-LICENSING', 'licences.csv', lic);
    await upload('TRANSPORT-ILLEGAL-PASSENGER', 'passengers.csv', nat);
    for (const r of pen) expected.set(idOf('AMR-PENALTY', r), { type: 'PENALTY', status: 'ACTIVE', check: ['CF_WSH', r.decisionNo!] });
    for (const r of lic)
      expected.set(idOf('AMR-LICENSING', r), { type: 'LICENSING', status: 'ACTIVE', check: ['XK_JDRQ', r.decisionDate!.replaceAll('-', '/')] });
    for (const r of nat) expected.set(idOf('TRANSPORT-ILLEGAL-PASSENGER', r), { type: 'PENALTY', status: 'ACTIVE', check: ['CF_XDR_ZJHM', r.personIdNo!] });

    const done = await run();
    expect(done).toMatchObject({ status: 'COMPLETED', sent: expected.size, accepted: expected.size, rejected: 0, held: 0 });
    await expectNationalHoldsExactly();

    const held = await national();
    const penalty = held.find((r) => r.key === idOf('AMR-PENALTY', pen[0]!))!;
    expect(penalty.fields).toMatchObject({
      CF_XDR_MC: pen[0]!.partyName,
      CF_XDR_LB: pen[0]!.partyType,
      CF_XDR_SHXYM: pen[0]!.partyUscc,
      CF_FRDB: pen[0]!.legalRepName,
      CF_SJLYDM: '11310000MB2F300040',
    });
    expect(Number(penalty.fields.CF_NR_FK)).toBeCloseTo(Number(pen[0]!.fineWan), 6);
    const person = held.find((r) => r.key === idOf('TRANSPORT-ILLEGAL-PASSENGER', nat[0]!))!;
    expect(person.fields).toMatchObject({ CF_XDR_LB: '自然人', CF_XDR_ZJLX: '身份证' });
    expect(person.fields.CF_XDR_SHXYM).toBeUndefined();

    // the outbox keeps every answer, one item per sent batch: the national id of each record
    const { readSentBatches } = await import('#adapters/export-repo');
    const answers = await readSentBatches(done.runId);
    expect(answers).toHaveLength(expected.size);
    const ids = new Map(held.map((r) => [r.key, r.nationalId]));
    for (const a of answers) expect(a, a.recordId).toMatchObject({ outcome: 'ACCEPTED', op: 'UPSERT', detail: ids.get(a.recordId) });

    const stats = await p.api('GET', `/v1/exports/stats?year=${today.slice(0, 4)}`, { token: admin });
    expect(stats.json.byType.PENALTY.records).toBe(pen.length + nat.length);
    expect(stats.json.byType.LICENSING.records).toBe(lic.length);
  }, 120_000);

  it('sends nothing again when nothing changed', async () => {
    const done = await run();
    expect(done).toMatchObject({ status: 'COMPLETED', sent: 0 });
  }, 60_000);

  it('sends updates as new versions and withdrawals after them, without duplicates', async () => {
    const pen = penalties();
    const changed = pen.slice(0, 3).map((r) => ({ ...r, penaltyContent: `${r.penaltyContent}（复核变更）` }));
    const withdrawn = pen.slice(3, 5).map((r) => ({
      ...Object.fromEntries(Object.keys(r).map((k) => [k, ''])),
      partyName: r.partyName!,
      partyType: r.partyType!,
      partyUscc: r.partyUscc!,
      decisionNo: r.decisionNo!,
      op: 'delete',
    }));
    const before = new Map((await national()).map((r) => [r.key, r.version]));
    await upload('AMR-PENALTY', 'changes.csv', changed);
    await upload('AMR-PENALTY', 'withdrawals.csv', withdrawn);
    for (const r of changed) expected.set(idOf('AMR-PENALTY', r), { type: 'PENALTY', status: 'ACTIVE', check: ['CF_NR', r.penaltyContent!] });
    for (const r of withdrawn) expected.set(idOf('AMR-PENALTY', r), { type: 'PENALTY', status: 'WITHDRAWN' });

    const done = await run();
    expect(done).toMatchObject({ status: 'COMPLETED', sent: 5, accepted: 5, withdrawn: 2 });
    await expectNationalHoldsExactly();
    const after = await national();
    for (const r of changed) expect(after.find((h) => h.key === idOf('AMR-PENALTY', r)).version).not.toBe(before.get(idOf('AMR-PENALTY', r)));
  }, 120_000);

  it('ends holding exactly the expected set under 5xx, timeouts and a crashed run', async () => {
    const lic = rowsFor('AMR-LICENSING', catalog, 40, 5155, { subjects: firms, until: today });
    await upload('AMR-LICENSING', 'more-licences.csv', lic);
    for (const r of lic) expected.set(idOf('AMR-LICENSING', r), { type: 'LICENSING', status: 'ACTIVE' });
    const changed = licences()
      .slice(0, 4)
      .map((r) => ({ ...r, content: `${r.content}（变更）` }));
    await upload('AMR-LICENSING', 'licence-changes.csv', changed);
    for (const r of changed) expected.set(idOf('AMR-LICENSING', r), { type: 'LICENSING', status: 'ACTIVE', check: ['XK_NR', r.content!] });

    const set = await p.api('POST', '/local/national/faults', {
      body: { errorRate: 0.3, timeoutRate: 0.1, failNext: 1, timeOutNext: 1, timeoutDelayMs: 2500 },
    });
    expect(set.status).toBe(200);
    faults.crashAfterExportBatches(2); // the run dies after its second answered batch, and is resumed
    let last = await run();
    for (let i = 0; i < 5 && last.status !== 'COMPLETED'; i++) last = await run();
    expect(last.status).toBe('COMPLETED');
    await p.api('POST', '/local/national/faults', { body: {} });
    await expectNationalHoldsExactly();
    // at least the one refused and the one late batch asked for, whatever the random share did
    expect(p.national.stats().failedOnPurpose).toBeGreaterThanOrEqual(1);
    expect(p.national.stats().timedOutOnPurpose).toBeGreaterThanOrEqual(1);
  }, 240_000);

  it('lists records that cannot be mapped as held, and overdue records by the working-day deadline', async () => {
    const [broken, rejected] = rowsFor('AMR-PENALTY', catalog, 2, 5156, { subjects: firms, until: today });
    // a revoked licence without the licence named: accepted at upload, cannot be mapped (CF_NR_ZKDX)
    broken!.penaltyCategory = '罚款；吊销许可证件';
    broken!.suspendedLicence = '';
    await p.api('POST', '/local/national/faults', { body: { rejectKeys: [idOf('AMR-PENALTY', rejected!)] } });
    await upload('AMR-PENALTY', 'late.csv', [broken!, rejected!]);
    const done = await run();
    expect(done).toMatchObject({ held: 1, rejected: 1 });

    const held = await p.api('GET', '/v1/exports/held', { token: admin });
    expect(held.status).toBe(200);
    expect(held.json.records).toEqual([
      expect.objectContaining({ recordId: idOf('AMR-PENALTY', broken!), type: 'PENALTY', reason: expect.stringContaining('CF_NR_ZKDX') }),
    ]);

    // a fake clock: the day before the deadline nothing is overdue, the day after both are
    const deadline = publicationDeadline(broken!.decisionDate!, seededCalendar());
    const dayAfter = new Date(Date.parse(deadline) + 86_400_000).toISOString().slice(0, 10);
    const onTime = await p.api('GET', `/v1/exports/overdue?asOf=${deadline}`, { token: admin });
    expect(onTime.json.records.map((r: any) => r.recordId)).not.toContain(idOf('AMR-PENALTY', broken!));
    const late = await p.api('GET', `/v1/exports/overdue?asOf=${dayAfter}`, { token: admin });
    expect(late.json.records.map((r: any) => r.recordId)).toContain(idOf('AMR-PENALTY', broken!));
    const rejectedDeadline = publicationDeadline(rejected!.decisionDate!, seededCalendar());
    const afterRejected = new Date(Date.parse(rejectedDeadline) + 86_400_000).toISOString().slice(0, 10);
    const both = await p.api('GET', `/v1/exports/overdue?asOf=${afterRejected > dayAfter ? afterRejected : dayAfter}&limit=1000`, { token: admin });
    expect(both.json.records).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ recordId: idOf('AMR-PENALTY', rejected!), outcome: 'REJECTED', error: expect.stringContaining('fault injection') }),
      ]),
    );
    // accepted records are never overdue
    expect(both.json.records.map((r: any) => r.recordId)).not.toContain([...expected.keys()][0]);
    await p.api('POST', '/local/national/faults', { body: {} });

    // the held record is withdrawn (the stand-in never had it: nothing is listed for it) and the
    // rejected one is corrected and accepted: both leave the held and overdue listings
    const { decisionNo, partyName, partyType, partyUscc } = broken!;
    await upload('AMR-PENALTY', 'late-fix.csv', [
      { ...rejected!, penaltyContent: `${rejected!.penaltyContent}（更正）` },
      {
        ...Object.fromEntries(Object.keys(broken!).map((k) => [k, ''])),
        decisionNo: decisionNo!,
        partyName: partyName!,
        partyType: partyType!,
        partyUscc: partyUscc!,
        op: 'delete',
      },
    ]);
    expected.set(idOf('AMR-PENALTY', rejected!), { type: 'PENALTY', status: 'ACTIVE', check: ['CF_NR', `${rejected!.penaltyContent}（更正）`] });
    expect(await run()).toMatchObject({ status: 'COMPLETED', sent: 2, accepted: 2, rejected: 0, held: 0 });
    expect((await p.api('GET', '/v1/exports/held', { token: admin })).json.records).toEqual([]);
    const cleared = await p.api('GET', `/v1/exports/overdue?asOf=${afterRejected > dayAfter ? afterRejected : dayAfter}&limit=1000`, { token: admin });
    expect(cleared.json.records.map((r: any) => r.recordId)).not.toContain(idOf('AMR-PENALTY', rejected!));
    expect(cleared.json.records.map((r: any) => r.recordId)).not.toContain(idOf('AMR-PENALTY', broken!));
    await expectNationalHoldsExactly();
  }, 120_000);

  it('refuses a second run while one holds the lease, and non-admins', async () => {
    const market = await p.as('market');
    expect((await p.api('POST', '/v1/exports/run', { token: market })).status).toBe(403);
    expect((await p.api('GET', '/v1/exports/overdue?asOf=tomorrow', { token: admin })).json.error.code).toBe('VALIDATION_FAILED');
    const { acquireLease, releaseLease } = await import('#adapters/export-repo');
    await acquireLease('held-by-test', new Date(), 60_000);
    const refused = await p.api('POST', '/v1/exports/run', { token: admin });
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe('EXPORT_RUNNING');
    await releaseLease('held-by-test');
  }, 30_000);

  it('of two runs started a few ms apart, exactly one starts and the other answers 409', async () => {
    await new Promise((r) => setTimeout(r, 1200)); // past the local safety lag of 1 s
    const [a, b] = await Promise.all([p.api('POST', '/v1/exports/run', { token: admin }), p.api('POST', '/v1/exports/run', { token: admin })]);
    expect([a.status, b.status].sort()).toEqual([202, 409]);
    const started = a.status === 202 ? a : b;
    const refused = a.status === 202 ? b : a;
    expect(refused.json.error).toMatchObject({ code: 'EXPORT_RUNNING', details: [{ runId: started.json.runId }] });
    // the started run is not stopped by its own lease
    let ended: any;
    for (let i = 0; i < 600 && !ended; i++) {
      const runs = await p.api('GET', '/v1/exports/runs?limit=50', { token: admin });
      ended = runs.json.runs.find((r: any) => r.runId === started.json.runId && r.status !== 'RUNNING');
      if (!ended) await new Promise((r) => setTimeout(r, 100));
    }
    expect(ended).toMatchObject({ status: 'COMPLETED' });
  }, 90_000);
});
