/**
 * Rights changes reach the national export, for a record and its Art 28 copy (issue 15). A SERIOUS
 * double-publicity penalty naming the company's legal representative (the demo's
 * AMR-FOOD-SAFETY-PENALTY, with `legalRepIdNo`) is filed in the company's file and copied into the
 * representative's own file; the national platform gets it once, under the record id, with the
 * representative's ID number (CF_FR_ZJHM) — the copy is never exported on its own. Then each rights
 * change is made through the API — an objection decided DELETED (filed by the company, and one
 * filed by the representative against the copy), a repair, a revocation (each crashing right after
 * its transaction and retried), a correction — and the next export run withdraws or replaces what
 * was sent, exactly once: the stand-in national platform's state is checked, and a further run
 * sends nothing. Last, the copy follows the representative: a withdrawal row that leaves out the
 * legalRep* columns, a re-upload and a correction that name another person each take the copy out
 * of the file of the person named before (and the last two file it under the one named now).
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '#core/catalog';
import { sequenceOf } from '#core/export-plan';
import { faults } from '#adapters/faults';
import { columnsFor, companies, persons, rowsFor, toCsv, type Company } from '#local/seed/generate';
import { publishDemoCatalog, startTestPlatform, type TestPlatform } from '../support/platform.ts';

const ITEM = 'AMR-FOOD-SAFETY-PENALTY';
const PROVIDER = 'SH-AMR';
const today = new Date().toISOString().slice(0, 10);
/** [0] DELETED on the company's objection, [1] DELETED on the representative's objection to the copy, [2] repaired, [3] revoked, [4] corrected, [5] untouched. */
const cs = companies(6, 7310) as Company[];
const recordIds = new Map<string, string>();
const FINE = '88.5';

let p: TestPlatform;
let catalog: Catalog;
let admin: string;

const idOf = (c: Company) => recordIds.get(c.uscc)!;
const companyToken = (c: Company) => p.token({ role: 'subject', subject: { type: 'LEGAL', id: c.uscc } });
const personToken = (c: Company) => p.token({ role: 'subject', subject: { type: 'NATURAL', id: c.legalRepIdNo } });
const provider = () => p.as('provider', PROVIDER);

/** The records the representative's own file serves, by record id. */
async function personFile(c: Company): Promise<Map<string, any>> {
  const file = await p.api('GET', `/v1/subjects/natural/${c.legalRepIdNo}`, { token: await personToken(c) });
  expect(file.status, file.text).toBe(200);
  return new Map((file.json.records as Array<{ recordId: string }>).map((r) => [r.recordId, r]));
}

/** The stored company record and the representative's copy, as DynamoDB Local holds them. */
async function stored(c: Company): Promise<{ record: any; copy: any }> {
  const { ddb } = await import('#adapters/clients');
  const { naturalSubjectKey } = await import('#adapters/personal-data');
  const { recordSortKey } = await import('#core/record-id');
  const sk = recordSortKey(PROVIDER, ITEM, decisionNos.get(c.uscc)!);
  const get = async (table: string, key: Record<string, string>) => (await ddb.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;
  return {
    record: await get(p.emulators.tables.legalSubjects, { pk: c.uscc, sk }),
    copy: await get(p.emulators.tables.naturalSubjects, { pk: await naturalSubjectKey(c.legalRepIdNo), sk: `${sk}#REP` }),
  };
}
const decisionNos = new Map<string, string>();

/** Starts a run through the API and waits until it has ended. */
async function run(): Promise<any> {
  await new Promise((r) => setTimeout(r, 1200)); // past the local safety lag of 1 s
  const started = await p.api('POST', '/v1/exports/run', { token: admin });
  expect(started.status, started.text).toBe(202);
  const { runId } = started.json;
  for (let i = 0; i < 600; i++) {
    const runs = await p.api('GET', '/v1/exports/runs?limit=50', { token: admin });
    const found = runs.json.runs.find((r: { runId: string }) => r.runId === runId);
    if (found && found.status !== 'RUNNING') return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`run ${runId} did not end`);
}

/** What the stand-in national platform holds, by record key. */
async function national(): Promise<Map<string, any>> {
  const res = await p.api('GET', '/local/national/records');
  expect(res.status).toBe(200);
  const held = res.json.records as Array<{ key: string }>;
  expect(new Set(held.map((r) => r.key)).size).toBe(held.length); // one entry per record, never one per copy
  return new Map(held.map((r) => [r.key, r]));
}

/** Runs the request once with a crash right after its transaction, then once more. */
async function crashThenRetry(point: string, send: () => Promise<{ status: number; json: any; text: string }>) {
  faults.crashAtPoint(point);
  const crashed = await send();
  expect(crashed.status).toBe(500);
  expect(faults.counts().crashes).toBe(1);
  faults.clear();
  const retried = await send();
  expect(retried.status, retried.text).toBe(200);
  return retried;
}

beforeAll(async () => {
  p = await startTestPlatform();
  catalog = await publishDemoCatalog(p);
  admin = await p.as('admin');
  const item = catalog.items.find((i) => i.code === ITEM)!;
  expect([item.severity, item.polarity, item.publicity, item.fields.some((f) => f.key === 'legalRepIdNo')]).toEqual(['SERIOUS', 'NEGATIVE', 'PENALTY', true]);
  const rows = cs.map((c, i) => rowsFor(ITEM, catalog, 1, 7320 + i, { subjects: [c], until: today })[0]!);
  rows.forEach((r, i) => {
    expect(r.legalRepIdNo).toBe(cs[i]!.legalRepIdNo);
    decisionNos.set(cs[i]!.uscc, r.decisionNo!);
  });
  const receipt = await p.receipt(await p.upload(PROVIDER, ITEM, 'food-safety.csv', toCsv(columnsFor(item), rows)));
  expect([receipt.status, receipt.accepted], JSON.stringify(receipt.errors)).toEqual(['COMPLETED', cs.length]);
  for (const c of cs) {
    const file = await p.api('GET', `/v1/subjects/legal/${c.uscc}`, { token: admin });
    recordIds.set(c.uscc, (file.json.records as Array<{ recordId: string; item: string }>).find((r) => r.item === ITEM)!.recordId);
  }
}, 120_000);

afterEach(() => faults.clear());
afterAll(async () => {
  faults.clear();
  await p?.stop();
});

describe('a serious penalty copied to the legal representative, through the national export', () => {
  it('is exported once per record, with the representative named, and the copy is in the person’s file', async () => {
    const done = await run();
    expect(done).toMatchObject({ status: 'COMPLETED', sent: cs.length, accepted: cs.length, rejected: 0, held: 0, withdrawn: 0 });
    const held = await national();
    expect([...held.keys()].sort()).toEqual(cs.map(idOf).sort());
    for (const c of cs) {
      const r = held.get(idOf(c))!;
      expect(r).toMatchObject({ type: 'PENALTY', status: 'ACTIVE' });
      expect(r.fields).toMatchObject({
        CF_XDR_SHXYM: c.uscc,
        CF_FRDB: c.legalRepName,
        CF_FR_ZJLX: '身份证',
        CF_FR_ZJHM: c.legalRepIdNo,
        CF_WSH: decisionNos.get(c.uscc),
      });
      // the copy is filed under the person and served in the person's own file, never exported
      const copy = (await personFile(c)).get(idOf(c));
      expect(copy, c.uscc).toMatchObject({ item: ITEM, via: { uscc: c.uscc, role: 'LEGAL_REPRESENTATIVE' } });
      const { copy: storedCopy } = await stored(c);
      expect([storedCopy.status, storedCopy.chgpk, storedCopy.chgsk]).toEqual(['ACTIVE', undefined, undefined]);
    }
  }, 120_000);

  it('the rights changes, each written once with its copy (crashes after the transaction retried)', async () => {
    // [0] the company objects; the provider decides DELETED
    const c0 = cs[0]!;
    const filed = await p.api('POST', '/v1/objections', { token: await companyToken(c0), body: { recordId: idOf(c0), reason: '处罚决定已被复议撤销' } });
    expect(filed.status, filed.text).toBe(201);
    const o0 = filed.json.objectionId;
    expect((await p.api('POST', `/v1/objections/${o0}/remit`, { token: admin, body: { remit: 'PROVIDER' } })).status).toBe(200);
    const decide0 = async () =>
      p.api('POST', `/v1/objections/${o0}/decision`, { token: await provider(), body: { outcome: 'DELETED', reasons: '核实后删除' } });
    await crashThenRetry('objection decided', decide0);

    // [1] the legal representative objects to the copy in the own file; the platform decides DELETED
    const c1 = cs[1]!;
    const byPerson = await p.api('POST', '/v1/objections', { token: await personToken(c1), body: { recordId: idOf(c1), reason: '本人并非该公司法定代表人' } });
    expect(byPerson.status, byPerson.text).toBe(201);
    const o1 = byPerson.json.objectionId;
    expect((await p.api('POST', `/v1/objections/${o1}/remit`, { token: admin, body: { remit: 'PLATFORM' } })).status).toBe(200);
    const decided1 = await p.api('POST', `/v1/objections/${o1}/decision`, { token: admin, body: { outcome: 'DELETED', reasons: '核实后删除' } });
    expect([decided1.status, decided1.json.status], decided1.text).toEqual([200, 'DELETED']);

    // [2] repair, [3] revocation, by the provider
    const c2 = cs[2]!;
    const repair = async () =>
      p.api('POST', `/v1/records/${idOf(c2)}/repair`, {
        token: await provider(),
        body: { subject: { type: 'LEGAL', id: c2.uscc }, certificateNo: '沪市监修〔2026〕11号', issuedOn: today },
      });
    expect((await crashThenRetry('record repaired', repair)).json.status).toBe('REPAIRED');
    const c3 = cs[3]!;
    const revoke = async () =>
      p.api('POST', `/v1/records/${idOf(c3)}/revocation`, {
        token: await provider(),
        body: { subject: { type: 'LEGAL', id: c3.uscc }, reason: '行政复议撤销', decisionNo: '沪府复决〔2026〕12号' },
      });
    expect((await crashThenRetry('record revoked', revoke)).json.status).toBe('REVOKED');

    // [4] the company objects to the fine; the platform corrects it
    const c4 = cs[4]!;
    const filed4 = await p.api('POST', '/v1/objections', { token: await companyToken(c4), body: { recordId: idOf(c4), reason: '罚款金额有误' } });
    const o4 = filed4.json.objectionId;
    expect((await p.api('POST', `/v1/objections/${o4}/remit`, { token: admin, body: { remit: 'PLATFORM' } })).status).toBe(200);
    const correct = async () =>
      p.api('POST', `/v1/objections/${o4}/decision`, { token: admin, body: { outcome: 'CORRECTED', reasons: '更正罚款金额', fields: { fineWan: FINE } } });
    expect((await crashThenRetry('objection decided', correct)).json.status).toBe('CORRECTED');

    // record and copy changed together; a retry answered as the first without writing again, so the
    // record has one change key, stamped by its transaction
    for (const [c, status] of [
      [c0, 'DELETED'],
      [c1, 'DELETED'],
      [c2, 'REPAIRED'],
      [c3, 'REVOKED'],
      [c4, 'ACTIVE'],
    ] as const) {
      const { record, copy } = await stored(c);
      expect([record.status, copy.status], c.uscc).toEqual([status, status]);
      expect(record.chgsk, c.uscc).toBeTruthy();
      expect(copy.chgsk, c.uscc).toBeUndefined();
      expect([record.objection, copy.objection]).toEqual([undefined, undefined]);
    }
    const retriedAgain = await decide0();
    expect(retriedAgain.status).toBe(200);
    const before = (await stored(c0)).record.chgsk;
    expect((await repair()).status).toBe(200);
    expect((await revoke()).status).toBe(200);
    expect((await correct()).status).toBe(200);
    expect((await stored(c0)).record.chgsk).toBe(before);

    // neither file serves what was deleted, repaired or revoked; the corrected copy carries the new fine
    for (const c of [c0, c1, c2, c3]) {
      const company = await p.api('GET', `/v1/subjects/legal/${c.uscc}`, { token: admin });
      expect(
        (company.json.records as Array<{ recordId: string }>).map((r) => r.recordId),
        c.uscc,
      ).not.toContain(idOf(c));
      expect((await personFile(c)).has(idOf(c)), c.uscc).toBe(false);
    }
    expect((await personFile(c4)).get(idOf(c4))?.fields.fineWan).toBe(Number(FINE));
  }, 180_000);

  it('the next run withdraws the deleted, repaired and revoked records and replaces the corrected one, once', async () => {
    const before = await national();
    const done = await run();
    expect(done).toMatchObject({ status: 'COMPLETED', sent: 5, accepted: 5, rejected: 0, held: 0, withdrawn: 4 });
    const held = await national();
    expect([...held.keys()].sort()).toEqual(cs.map(idOf).sort());
    for (const c of cs.slice(0, 4)) {
      const r = held.get(idOf(c))!;
      expect(r.status, c.uscc).toBe('WITHDRAWN');
      // the withdrawal carries the sequence of the rights change's own write (one write, however often retried)
      expect(r.seq, c.uscc).toBe(sequenceOf((await stored(c)).record.chgsk));
    }
    const corrected = held.get(idOf(cs[4]!))!;
    expect(corrected).toMatchObject({ status: 'ACTIVE', nationalId: before.get(idOf(cs[4]!)).nationalId });
    expect(corrected.fields).toMatchObject({ CF_NR_FK: FINE, CF_FR_ZJHM: cs[4]!.legalRepIdNo });
    expect(corrected.version).not.toBe(before.get(idOf(cs[4]!)).version);
    expect(held.get(idOf(cs[5]!))).toEqual(before.get(idOf(cs[5]!)));

    // the outbox: one answer per record, none for a copy
    const { readSentBatches } = await import('#adapters/export-repo');
    const answers = await readSentBatches(done.runId);
    expect(answers.map((a) => a.recordId).sort()).toEqual(cs.slice(0, 5).map(idOf).sort());
    for (const a of answers) expect(a, a.recordId).toMatchObject({ outcome: 'ACCEPTED', op: a.recordId === idOf(cs[4]!) ? 'UPSERT' : 'WITHDRAW' });

    // nothing changed since: nothing is sent again
    const again = await run();
    expect(again).toMatchObject({ status: 'COMPLETED', sent: 0 });
    expect(await national()).toEqual(held);
  }, 120_000);
});

describe('the copy follows the legal representative the record names', () => {
  /** [0] withdrawn by a row without legalRep* columns, [1] re-uploaded naming another person, [2] corrected to another person. */
  const ds = companies(3, 7330) as Company[];
  const [, newRep1, newRep2] = persons(3, 7340);
  const rowOf = new Map<string, Record<string, string>>();
  const item = () => catalog.items.find((i) => i.code === ITEM)!;
  const tokenOf = (idNo: string) => p.token({ role: 'subject', subject: { type: 'NATURAL', id: idNo } });
  async function fileOf(idNo: string): Promise<Map<string, any>> {
    const file = await p.api('GET', `/v1/subjects/natural/${idNo}`, { token: await tokenOf(idNo) });
    expect(file.status, file.text).toBe(200);
    return new Map((file.json.records as Array<{ recordId: string }>).map((r) => [r.recordId, r]));
  }
  async function upload(name: string, rows: Array<Record<string, string>>) {
    const columns = columnsFor(item());
    if (rows.some((r) => r.op)) columns.push('op');
    const receipt = await p.receipt(await p.upload(PROVIDER, ITEM, name, toCsv(columns, rows)));
    expect([receipt.status, receipt.rejected], JSON.stringify(receipt.errors)).toEqual(['COMPLETED', 0]);
  }

  it('is exported once per record, and each representative holds the copy', async () => {
    for (const rep of [newRep1!, newRep2!]) expect([...cs, ...ds].map((c) => c.legalRepIdNo)).not.toContain(rep.idNumber);
    const rows = ds.map((c, i) => rowsFor(ITEM, catalog, 1, 7350 + i, { subjects: [c], until: today })[0]!);
    rows.forEach((r, i) => {
      rowOf.set(ds[i]!.uscc, r);
      decisionNos.set(ds[i]!.uscc, r.decisionNo!);
    });
    await upload('food-safety-2.csv', rows);
    for (const c of ds) {
      const file = await p.api('GET', `/v1/subjects/legal/${c.uscc}`, { token: admin });
      recordIds.set(c.uscc, (file.json.records as Array<{ recordId: string; item: string }>).find((r) => r.item === ITEM)!.recordId);
      expect((await fileOf(c.legalRepIdNo)).has(idOf(c))).toBe(true);
    }
    expect(await run()).toMatchObject({ status: 'COMPLETED', sent: 3, accepted: 3, withdrawn: 0 });
  }, 120_000);

  it('a withdrawal row, a re-upload and a correction move or retire the copy', async () => {
    const [d0, d1, d2] = ds as [Company, Company, Company];
    // [0] the provider withdraws the record with a row naming only the company and the key
    const r0 = rowOf.get(d0.uscc)!;
    await upload('withdrawal.csv', [
      {
        ...Object.fromEntries(Object.keys(r0).map((k) => [k, ''])),
        partyName: r0.partyName!,
        partyType: r0.partyType!,
        partyUscc: d0.uscc,
        decisionNo: r0.decisionNo!,
        op: 'delete',
      },
    ]);
    // [1] the provider uploads the record again, naming another legal representative
    await upload('new-representative.csv', [{ ...rowOf.get(d1.uscc)!, legalRepIdNo: newRep1!.idNumber }]);
    // [2] the company objects: the ID number of its representative is wrong; the platform corrects it
    const filed = await p.api('POST', '/v1/objections', { token: await companyToken(d2), body: { recordId: idOf(d2), reason: '法定代表人证件号码有误' } });
    expect(filed.status, filed.text).toBe(201);
    const o2 = filed.json.objectionId;
    expect((await p.api('POST', `/v1/objections/${o2}/remit`, { token: admin, body: { remit: 'PLATFORM' } })).status).toBe(200);
    const correct = async () =>
      p.api('POST', `/v1/objections/${o2}/decision`, {
        token: admin,
        body: { outcome: 'CORRECTED', reasons: '更正法定代表人证件号码', fields: { legalRepIdNo: newRep2!.idNumber } },
      });
    expect((await crashThenRetry('objection decided', correct)).json.status).toBe('CORRECTED');

    // the persons named before no longer hold the record; the persons named now do
    for (const c of ds) expect((await fileOf(c.legalRepIdNo)).has(idOf(c)), c.uscc).toBe(false);
    for (const [c, rep] of [
      [d1, newRep1!],
      [d2, newRep2!],
    ] as const) {
      const copy = (await fileOf(rep.idNumber)).get(idOf(c));
      expect(copy, c.uscc).toMatchObject({ item: ITEM, via: { uscc: c.uscc, role: 'LEGAL_REPRESENTATIVE' } });
    }
    const { copy: old0 } = await stored(d0);
    const { copy: old1 } = await stored(d1);
    const { copy: old2 } = await stored(d2);
    expect([old0.status, old1.status, old2.status]).toEqual(['WITHDRAWN', 'WITHDRAWN', 'DELETED']);
    for (const old of [old0, old1, old2]) expect([old.exppk, old.itempk, old.chgpk]).toEqual([undefined, undefined, undefined]);

    // the next run withdraws [0] and replaces [1] and [2] with the representative named now
    const done = await run();
    expect(done).toMatchObject({ status: 'COMPLETED', sent: 3, accepted: 3, withdrawn: 1 });
    const held = await national();
    expect(held.get(idOf(d0)).status).toBe('WITHDRAWN');
    expect(held.get(idOf(d1))).toMatchObject({ status: 'ACTIVE', fields: { CF_FR_ZJHM: newRep1!.idNumber } });
    expect(held.get(idOf(d2))).toMatchObject({ status: 'ACTIVE', fields: { CF_FR_ZJHM: newRep2!.idNumber } });
  }, 180_000);

  it('later rights changes find the moved copy: a repair and a revocation reach it, and the export withdraws once', async () => {
    const [, d1, d2] = ds as [Company, Company, Company];
    const repaired = await p.api('POST', `/v1/records/${idOf(d2)}/repair`, {
      token: await provider(),
      body: { subject: { type: 'LEGAL', id: d2.uscc }, certificateNo: '沪市监修〔2026〕21号', issuedOn: today },
    });
    expect([repaired.status, repaired.json.status], repaired.text).toEqual([200, 'REPAIRED']);
    const revoked = await p.api('POST', `/v1/records/${idOf(d1)}/revocation`, {
      token: await provider(),
      body: { subject: { type: 'LEGAL', id: d1.uscc }, reason: '行政复议撤销' },
    });
    expect([revoked.status, revoked.json.status], revoked.text).toEqual([200, 'REVOKED']);
    expect((await fileOf(newRep1!.idNumber)).has(idOf(d1))).toBe(false);
    expect((await fileOf(newRep2!.idNumber)).has(idOf(d2))).toBe(false);
    const { naturalSubjectKey } = await import('#adapters/personal-data');
    const { ddb } = await import('#adapters/clients');
    for (const [c, rep, status] of [
      [d1, newRep1!, 'REVOKED'],
      [d2, newRep2!, 'REPAIRED'],
    ] as const) {
      const record = (await stored(c)).record;
      const moved = (
        await ddb.send(
          new GetCommand({
            TableName: p.emulators.tables.naturalSubjects,
            Key: { pk: await naturalSubjectKey(rep.idNumber), sk: `${record.sk}#REP` },
            ConsistentRead: true,
          }),
        )
      ).Item!;
      expect([record.status, moved.status]).toEqual([status, status]);
    }
    expect(await run()).toMatchObject({ status: 'COMPLETED', sent: 2, accepted: 2, withdrawn: 2 });
    const held = await national();
    expect([held.get(idOf(d1)).status, held.get(idOf(d2)).status]).toEqual(['WITHDRAWN', 'WITHDRAWN']);
    expect(await run()).toMatchObject({ status: 'COMPLETED', sent: 0 });
  }, 120_000);
});
