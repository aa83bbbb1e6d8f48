/**
 * Credit-file queries for every role through the running local platform: purpose-bound government
 * queries, market queries, written authorisations (grant, scope, revoke), the subject's own file,
 * records that must never be served, and the append-only query log (who queried me, statistics,
 * no plaintext ID numbers).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Catalog } from '#core/catalog';
import { columnsFor, companies, persons, rowsFor, toCsv } from '#local/seed/generate';
import { publishDemoCatalog, startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
let catalog: Catalog;

const company = companies(1, 4242)[0]!;
const [person, otherPerson] = persons(2, 4242) as [ReturnType<typeof persons>[0], ReturnType<typeof persons>[0]];
const RECENT = '2025-06-10';
const penaltyKeys: string[] = [];

async function ddb() {
  return (await import('#adapters/clients')).ddb;
}

/** Rows for one subject with the item's date fields set (event date, and dates that follow it). */
function rows(itemCode: string, subject: typeof company | typeof person, count: number, seed: number, date = RECENT) {
  const item = catalog.items.find((i) => i.code === itemCode)!;
  const dates = item.fields.filter((f) => f.type === 'date').map((f) => f.key);
  return rowsFor(itemCode, catalog, count, seed, { subjects: [subject] }).map((r) => {
    const row = { ...r };
    for (const key of dates)
      row[key] = ['effectiveUntil', 'publicityUntil', 'validTo'].includes(key) ? `${Number(date.slice(0, 4)) + 1}${date.slice(4)}` : date;
    return row;
  });
}

async function upload(itemCode: string, fileName: string, data: Array<Record<string, string>>, withOp = false) {
  const item = catalog.items.find((i) => i.code === itemCode)!;
  const batchId = await p.upload(item.provider, itemCode, fileName, toCsv([...columnsFor(item), ...(withOp ? ['op'] : [])], data));
  const r = await p.receipt(batchId);
  expect(r, `${itemCode} ${fileName}: ${JSON.stringify(r.errors)}`).toMatchObject({ status: 'COMPLETED', rejected: 0, unlinked: 0 });
  return r;
}

const subjectToken = (type: 'LEGAL' | 'NATURAL', id: string) => p.token({ role: 'subject', subject: { type, id } });
const legalPath = (q = '') => `/v1/subjects/legal/${company.uscc}${q}`;
const naturalPath = (id: string, q = '') => `/v1/subjects/natural/${id}${q}`;
const itemsOf = (res: { json: any }) => (res.json.records as Array<{ item: string }>).map((r) => r.item).sort();

/** The log entries of one subject partition, read straight from the table. */
async function logOf(pk: string) {
  const out = await (await ddb()).send(
    new QueryCommand({ TableName: p.emulators.tables.queryLog, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }),
  );
  return out.Items ?? [];
}

beforeAll(async () => {
  p = await startTestPlatform();
  catalog = await publishDemoCatalog(p);
  const penalties = rows('AMR-PENALTY', company, 3, 7);
  penalties[1] = rows('AMR-PENALTY', company, 3, 7, '2019-01-10')[1]!; // past its 5-year query period
  penaltyKeys.push(...penalties.map((r) => r.decisionNo!));
  await Promise.all([
    upload('AMR-REGISTRATION', 'reg.csv', rows('AMR-REGISTRATION', company, 1, 1)),
    upload('AMR-PENALTY', 'penalties.csv', penalties),
    upload('TAX-ARREARS', 'tax.csv', rows('TAX-ARREARS', company, 1, 3)),
    upload('COURT-JUDGMENT', 'judgments.csv', rows('COURT-JUDGMENT', company, 1, 4)),
    upload('WATER-ARREARS', 'water.csv', rows('WATER-ARREARS', company, 1, 5)),
    upload('TAX-PERSONAL-ARREARS', 'ptax.csv', rows('TAX-PERSONAL-ARREARS', person, 1, 6)),
    upload('PSB-DRUNK-DRIVING', 'dui.csv', rows('PSB-DRUNK-DRIVING', person, 1, 8)),
    upload('COURT-DISHONEST-DEBTOR', 'debtors.csv', rows('COURT-DISHONEST-DEBTOR', person, 1, 9)),
    upload('TRANSPORT-FARE-EVASION', 'fares.csv', rows('TRANSPORT-FARE-EVASION', person, 1, 10)),
  ]);
  // the third penalty is withdrawn by its provider
  await upload('AMR-PENALTY', 'withdraw.csv', [{ ...penalties[2]!, op: 'delete' }], true);
});

afterAll(async () => {
  await p?.stop();
});

describe('government queries', () => {
  it('see PUBLIC records and the GOV_SHARE records declared for the purpose, nothing else', async () => {
    const epb = await p.as('gov', 'SH-EPB');
    const approval = await p.api('GET', legalPath('?purpose=ADMIN_APPROVAL&ref=%E6%B2%AA%E7%8E%AF%E5%AE%A1-2026-001'), { token: epb });
    expect(approval.status).toBe(200);
    // ADMIN_APPROVAL declares TAX-ARREARS and COURT-JUDGMENT; WATER-ARREARS (AUTHORIZED_QUERY) is not declared
    expect(itemsOf(approval)).toEqual(['AMR-PENALTY', 'AMR-REGISTRATION', 'COURT-JUDGMENT', 'TAX-ARREARS']);
    expect(approval.json.subject).toMatchObject({ type: 'LEGAL', id: company.uscc, name: company.name, registered: true });
    expect(approval.json.summary).toMatchObject({ records: 4, negative: 2 });
    expect(approval.json.queryId).toMatch(/^[0-9a-f-]{36}$/);

    const penalty = await p.api('GET', legalPath('?purpose=PENALTY'), { token: epb });
    expect(itemsOf(penalty)).toEqual(['AMR-PENALTY', 'AMR-REGISTRATION']);
  });

  it('never serves withdrawn records or records past their query period, not even to admins', async () => {
    const all = await p.api('GET', legalPath(), { token: await p.as('admin') });
    expect(itemsOf(all)).toEqual(['AMR-PENALTY', 'AMR-REGISTRATION', 'COURT-JUDGMENT', 'TAX-ARREARS', 'WATER-ARREARS']);
    const served = (all.json.records as Array<{ item: string; key: string }>).filter((r) => r.item === 'AMR-PENALTY').map((r) => r.key);
    expect(served).toEqual([penaltyKeys[0]]);
    // they are stored: filtered, not missing
    const stored = await (await ddb()).send(
      new QueryCommand({
        TableName: p.emulators.tables.legalSubjects,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :rec)',
        ExpressionAttributeValues: { ':pk': company.uscc, ':rec': 'REC#SH-AMR#AMR-PENALTY#' },
      }),
    );
    expect(stored.Items).toHaveLength(3);
  });

  it('refuses an undeclared purpose with 403 naming what the unit declared, and logs the refusal', async () => {
    const res = await p.api('GET', legalPath('?purpose=FUNDING&ref=CASE-77'), { token: await p.as('gov', 'SH-EPB') });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('PURPOSE_NOT_DECLARED');
    expect(res.json.error.message).toMatch(/SH-EPB.*资金支持.*行政审批（ADMIN_APPROVAL）、行政处罚（PENALTY）/);
    const english = await p.api('GET', legalPath('?purpose=FUNDING&ref=CASE-77'), {
      token: await p.as('gov', 'SH-EPB'),
      headers: { 'accept-language': 'en-GB,en;q=0.9' },
    });
    expect(english.json.error.message).toMatch(/SH-EPB.*FUNDING.*ADMIN_APPROVAL, PENALTY/);
    const queryId = res.json.error.details[0].queryId;
    const entry = (await logOf(`SUBJ#LEGAL#${company.uscc}`)).find((e) => e.queryId === queryId);
    expect(entry).toMatchObject({
      role: 'gov',
      unit: 'SH-EPB',
      purpose: 'FUNDING',
      businessRef: 'CASE-77',
      outcome: 'REFUSED',
      status: 403,
      records: 0,
      subjectLabel: company.uscc,
    });
  });

  it('needs a purpose (400), logged as refused', async () => {
    const res = await p.api('GET', legalPath(), { token: await p.as('gov', 'SH-EPB') });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('PURPOSE_REQUIRED');
    const entry = (await logOf(`SUBJ#LEGAL#${company.uscc}`)).find((e) => e.queryId === res.json.error.details[0].queryId);
    expect(entry).toMatchObject({ outcome: 'REFUSED', status: 400 });
  });
});

describe('market queries', () => {
  it('see only PUBLIC records of a legal subject', async () => {
    const res = await p.api('GET', legalPath(), { token: await p.as('market', 'CREDITCO') });
    expect(res.status).toBe(200);
    expect(itemsOf(res)).toEqual(['AMR-PENALTY', 'AMR-REGISTRATION']);
  });

  it('are refused a natural person without an authorisation', async () => {
    const res = await p.api('GET', naturalPath(person.idNumber), { token: await p.as('market', 'CREDITCO') });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('AUTHORIZATION_REQUIRED');
  });
});

describe('written authorisations', () => {
  const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();

  it('let the grantee see the AUTHORIZED_QUERY records in scope until revoked', async () => {
    const me = await subjectToken('NATURAL', person.idNumber);
    const housing = await p.as('gov', 'SH-HOUSING');

    const without = await p.api('GET', naturalPath(person.idNumber, '?purpose=RESIDENCE'), { token: housing });
    expect(without.status).toBe(200);
    expect(itemsOf(without)).toEqual(['COURT-DISHONEST-DEBTOR', 'PSB-DRUNK-DRIVING']);
    expect(without.json.subject.id).toBe(`${person.idNumber.slice(0, 6)}********${person.idNumber.slice(14)}`);

    const created = await p.api('POST', '/v1/authorizations', {
      token: me,
      body: { grantee: 'SH-HOUSING', purpose: 'RESIDENCE', items: ['TAX-PERSONAL-ARREARS', 'TRANSPORT-FARE-EVASION'], expiresAt: inDays(30) },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ grantee: 'SH-HOUSING', purpose: 'RESIDENCE', items: ['TAX-PERSONAL-ARREARS', 'TRANSPORT-FARE-EVASION'] });
    const ref = created.json.ref as string;

    const withRef = await p.api('GET', naturalPath(person.idNumber, `?purpose=RESIDENCE&authorization=${ref}`), { token: housing });
    expect(withRef.status).toBe(200);
    // TRANSPORT-FARE-EVASION is authorised but not declared by SH-HOUSING for RESIDENCE
    expect(itemsOf(withRef)).toEqual(['COURT-DISHONEST-DEBTOR', 'PSB-DRUNK-DRIVING', 'TAX-PERSONAL-ARREARS']);

    // another unit cannot use it
    const stolen = await p.api('GET', naturalPath(person.idNumber, `?purpose=FUNDING&authorization=${ref}`), { token: await p.as('gov', 'SH-ECONOMY') });
    expect(stolen.status).toBe(403);
    expect(stolen.json.error.code).toBe('AUTHORIZATION_INVALID');

    // another subject cannot revoke it
    const foreign = await p.api('DELETE', `/v1/authorizations/${ref}`, { token: await subjectToken('NATURAL', otherPerson.idNumber) });
    expect(foreign.status).toBe(404);

    const revoked = await p.api('DELETE', `/v1/authorizations/${ref}`, { token: me });
    expect(revoked.status).toBe(200);
    expect(revoked.json).toMatchObject({ ref, status: 'REVOKED' });
    const again = await p.api('DELETE', `/v1/authorizations/${ref}`, { token: me });
    expect(again.status).toBe(200);
    expect(again.json.revokedAt).toBe(revoked.json.revokedAt);

    const after = await p.api('GET', naturalPath(person.idNumber, `?purpose=RESIDENCE&authorization=${ref}`), {
      token: housing,
      headers: { 'accept-language': 'en' },
    });
    expect(after.status).toBe(403);
    expect(after.json.error.code).toBe('AUTHORIZATION_INVALID');
    expect(after.json.error.message).toMatch(/revoked/);
  });

  it('let a market agency see the PUBLIC and AUTHORIZED_QUERY records of a natural person, never GOV_SHARE', async () => {
    const me = await subjectToken('NATURAL', person.idNumber);
    const created = await p.api('POST', '/v1/authorizations', { token: me, body: { grantee: 'CREDITCO', purpose: 'FUNDING', expiresAt: inDays(10) } });
    expect(created.status).toBe(201);
    expect(created.json.items).toBeNull();
    const res = await p.api('GET', naturalPath(person.idNumber, `?purpose=FUNDING&authorization=${created.json.ref}`), {
      token: await p.as('market', 'CREDITCO'),
    });
    expect(res.status).toBe(200);
    expect(itemsOf(res)).toEqual(['COURT-DISHONEST-DEBTOR', 'TAX-PERSONAL-ARREARS', 'TRANSPORT-FARE-EVASION']);

    const mine = await p.api('GET', '/v1/authorizations', { token: me });
    expect(mine.status).toBe(200);
    expect(mine.json.authorizations.map((a: { grantee: string; status: string }) => `${a.grantee}:${a.status}`).sort()).toEqual([
      'CREDITCO:ACTIVE',
      'SH-HOUSING:REVOKED',
    ]);
    const others = await p.api('GET', '/v1/authorizations', { token: await subjectToken('NATURAL', otherPerson.idNumber) });
    expect(others.json.authorizations).toEqual([]);
  });

  it('are validated: scope, lifetime, caller', async () => {
    const me = await subjectToken('NATURAL', person.idNumber);
    // English messages: they name each refused field (the Chinese ones name the paths zod reports)
    const post = (body: unknown, token = me) => p.api('POST', '/v1/authorizations', { token, body, headers: { 'accept-language': 'en' } });
    const base = { grantee: 'SH-HOUSING', purpose: 'RESIDENCE', expiresAt: inDays(30) };
    const cases: Array<[unknown, string, number]> = [
      [{ ...base, expiresAt: inDays(-1) }, 'expiresAt', 400],
      [{ ...base, expiresAt: inDays(400) }, 'expiresAt', 400],
      [{ ...base, items: ['AMR-PENALTY'] }, 'items', 400],
      [{ ...base, items: ['NO-SUCH-ITEM'] }, 'items', 400],
      [{ ...base, purpose: 'CURIOSITY' }, 'purpose', 400],
      [{ ...base, grantee: 'sh housing' }, 'grantee', 400],
      [{ ...base, extra: true }, 'extra', 400],
    ];
    for (const [body, field, status] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.json.error.message, JSON.stringify(body)).toContain(field);
    }
    expect((await post(base, await p.as('gov', 'SH-HOUSING'))).status).toBe(403);
    expect((await post(base, await p.as('market', 'CREDITCO'))).status).toBe(403);
  });
});

describe("a subject's own file", () => {
  it('is served whole and unmasked to the subject, and refused to anyone else', async () => {
    const own = await p.api('GET', naturalPath(person.idNumber), { token: await subjectToken('NATURAL', person.idNumber) });
    expect(own.status).toBe(200);
    expect(own.json.subject.id).toBe(person.idNumber);
    expect(itemsOf(own)).toEqual(['COURT-DISHONEST-DEBTOR', 'PSB-DRUNK-DRIVING', 'TAX-PERSONAL-ARREARS', 'TRANSPORT-FARE-EVASION']);

    const other = await p.api('GET', naturalPath(person.idNumber), { token: await subjectToken('NATURAL', otherPerson.idNumber) });
    expect(other.status).toBe(403);
    expect(other.json.error.code).toBe('NOT_YOUR_FILE');

    const admin = await p.api('GET', naturalPath(person.idNumber), { token: await p.as('admin') });
    expect(admin.status).toBe(200);
    expect(admin.json.subject.id).not.toBe(person.idNumber);
    expect(admin.json.subject.id).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    expect(itemsOf(admin)).toEqual(itemsOf(own));

    const company$ = await p.api('GET', legalPath(), { token: await subjectToken('LEGAL', company.uscc) });
    expect(itemsOf(company$)).toEqual(['AMR-PENALTY', 'AMR-REGISTRATION', 'COURT-JUDGMENT', 'TAX-ARREARS', 'WATER-ARREARS']);
  });

  it('answers a gov unit about a person without a file as about an empty file (no existence oracle), and logs it', async () => {
    const housing = await p.as('gov', 'SH-HOUSING');
    const res = await p.api('GET', naturalPath(otherPerson.idNumber, '?purpose=RESIDENCE'), { token: housing });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      subject: { type: 'NATURAL', id: expect.stringMatching(/^\d{6}\*{8}\d{3}[\dX]$/), name: '' },
      records: [],
      summary: expect.any(Object),
      queryId: expect.any(String),
    });
    const existing = await p.api('GET', naturalPath(person.idNumber, '?purpose=RESIDENCE'), { token: housing });
    expect(Object.keys(res.json).sort()).toEqual(Object.keys(existing.json).sort());
    expect(Object.keys(res.json.subject).sort()).toEqual(Object.keys(existing.json.subject).sort());
    // other roles still learn 404: an admin sees every file anyway, a subject asks about itself
    const admin = await p.api('GET', naturalPath(otherPerson.idNumber), { token: await p.as('admin') });
    expect(admin.status).toBe(404);
    expect(admin.json.error.code).toBe('SUBJECT_NOT_FOUND');
    const mine = await p.api('GET', '/v1/me/queries', { token: await subjectToken('NATURAL', otherPerson.idNumber) });
    expect(mine.json.queries).toEqual([
      expect.objectContaining({ role: 'admin', outcome: 'NOT_FOUND', records: 0 }),
      expect.objectContaining({ unit: 'SH-HOUSING', purpose: 'RESIDENCE', outcome: 'NOT_FOUND', records: 0 }),
    ]);
  });

  it('refuses bad input with a specific 4xx, logged', async () => {
    const housing = await p.as('gov', 'SH-HOUSING');
    const cases: Array<[string, number, string]> = [
      [naturalPath('110105194912310021', '?purpose=RESIDENCE'), 400, 'INVALID_IDENTIFIER'],
      [naturalPath('12345', '?purpose=RESIDENCE'), 400, 'INVALID_IDENTIFIER'],
      [legalPath(`?purpose=ADMIN_APPROVAL&ref=${'x'.repeat(129)}`), 400, 'INVALID_REF'],
      [naturalPath(person.idNumber, '?purpose=RESIDENCE&authorization=not%20a%20ref'), 400, 'INVALID_AUTHORIZATION_REF'],
      [naturalPath(person.idNumber, '?purpose=RESIDENCE&authorization=AUTH-NOSUCHREF'), 403, 'AUTHORIZATION_INVALID'],
      [naturalPath(person.idNumber, '?purpose=NOSY'), 400, 'INVALID_PURPOSE'],
    ];
    for (const [path, status, code] of cases) {
      const res = await p.api('GET', path, { token: housing });
      expect(res.status, path).toBe(status);
      expect(res.json.error.code, path).toBe(code);
      expect(res.json.error.details[0].queryId, path).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect((await p.api('GET', legalPath(), { token: await p.as('provider', 'SH-AMR') })).status).toBe(403);
    expect((await p.api('GET', legalPath())).status).toBe(401);
  });
});

describe('the query log', () => {
  it('shows a subject who queried it and why, newest first, and nobody else’s queries', async () => {
    const res = await p.api('GET', '/v1/me/queries', { token: await subjectToken('NATURAL', person.idNumber) });
    expect(res.status).toBe(200);
    const queries = res.json.queries as Array<{ at: string; unit: string | null; role: string; purpose: string | null; outcome: string; records: number }>;
    expect(queries.map((q) => q.at)).toEqual([...queries.map((q) => q.at)].sort().reverse());
    expect(queries).toContainEqual(expect.objectContaining({ unit: 'SH-HOUSING', role: 'gov', purpose: 'RESIDENCE', outcome: 'ALLOWED', records: 2 }));
    expect(queries).toContainEqual(expect.objectContaining({ unit: 'SH-HOUSING', purpose: 'RESIDENCE', outcome: 'ALLOWED', records: 3 }));
    expect(queries).toContainEqual(expect.objectContaining({ unit: 'CREDITCO', role: 'market', outcome: 'REFUSED' }));
    const company$ = await p.api('GET', '/v1/me/queries', { token: await subjectToken('LEGAL', company.uscc) });
    expect(company$.json.queries).toContainEqual(
      expect.objectContaining({ unit: 'SH-EPB', purpose: 'ADMIN_APPROVAL', businessRef: '沪环审-2026-001', outcome: 'ALLOWED', records: 4 }),
    );
    const personIds = new Set(queries.map((q) => (q as unknown as { queryId: string }).queryId));
    expect(company$.json.queries.filter((q: { queryId: string }) => personIds.has(q.queryId))).toEqual([]);
    expect(company$.json.queries.every((q: { purpose: string | null }) => q.purpose !== 'RESIDENCE')).toBe(true);
    expect((await p.api('GET', '/v1/me/queries', { token: await p.as('gov', 'SH-EPB') })).status).toBe(403);

    const page = await p.api('GET', '/v1/me/queries?limit=2', { token: await subjectToken('NATURAL', person.idNumber) });
    expect(page.json.queries).toHaveLength(2);
    const next = await p.api('GET', `/v1/me/queries?limit=2&cursor=${page.json.next}`, { token: await subjectToken('NATURAL', person.idNumber) });
    expect(next.json.queries[0].at <= page.json.queries[1].at).toBe(true);
    expect(next.json.queries[0].queryId).not.toBe(page.json.queries[1].queryId);
  });

  it("gives a government unit or credit agency its own query history, never another unit's, a page at a time", async () => {
    const housing = await p.as('gov', 'SH-HOUSING');
    const res = await p.api('GET', '/v1/query-log/mine', { token: housing });
    expect(res.status).toBe(200);
    expect(res.json.unit).toBe('SH-HOUSING');
    const queries = res.json.queries as Array<{ queryId: string; at: string; subject: { type: string; id: string }; purpose: string; outcome: string }>;
    expect(queries.length).toBeGreaterThan(2);
    expect(queries.map((q) => q.at)).toEqual([...queries.map((q) => q.at)].sort().reverse());
    expect(queries).toContainEqual(
      expect.objectContaining({ purpose: 'RESIDENCE', outcome: 'ALLOWED', subject: { type: 'NATURAL', id: expect.stringMatching(/\*/) } }),
    );
    // a person appears by the masked number only
    expect(JSON.stringify(res.json)).not.toContain(person.idNumber);
    const epb = await p.api('GET', '/v1/query-log/mine', { token: await p.as('gov', 'SH-EPB') });
    const housingIds = new Set(queries.map((q) => q.queryId));
    expect(epb.json.queries.length).toBeGreaterThan(0);
    expect(epb.json.queries.filter((q: { queryId: string }) => housingIds.has(q.queryId))).toEqual([]);
    const creditco = await p.api('GET', '/v1/query-log/mine', { token: await p.as('market', 'CREDITCO') });
    expect(creditco.json.queries).toContainEqual(expect.objectContaining({ outcome: 'REFUSED' }));
    // paging with the cursor, which continues only the same unit's log
    const first = await p.api('GET', '/v1/query-log/mine?limit=2', { token: housing });
    expect(first.json.queries).toHaveLength(2);
    const second = await p.api('GET', `/v1/query-log/mine?limit=2&cursor=${first.json.next}`, { token: housing });
    expect(second.json.queries[0].queryId).toBe(queries[2]!.queryId);
    const stolen = await p.api('GET', `/v1/query-log/mine?cursor=${first.json.next}`, { token: await p.as('gov', 'SH-EPB') });
    expect(stolen.status).toBe(400);
    expect(stolen.json.error.code).toBe('INVALID_CURSOR');
    expect((await p.api('GET', '/v1/query-log/mine', { token: await p.as('provider', 'SH-AMR') })).status).toBe(403);
  });

  it('aggregates for admins by purpose and by unit', async () => {
    const admin = await p.as('admin');
    const year = new Date().getUTCFullYear();
    const range = `from=${year - 1}-01&to=${year + 1}-12`;
    const before = await p.api('GET', `/v1/stats/queries?${range}&by=purpose`, { token: admin });
    expect(before.status).toBe(200);
    const drc = await p.as('gov', 'SH-DRC');
    await p.api('GET', legalPath('?purpose=BIDDING'), { token: drc });
    await p.api('GET', legalPath('?purpose=BIDDING'), { token: drc });
    await p.api('GET', legalPath('?purpose=BIDDING'), { token: await p.as('gov', 'SH-EPB') });
    const after = await p.api('GET', `/v1/stats/queries?${range}&by=purpose`, { token: admin });
    const group = (r: { json: any }, key: string) => r.json.groups.find((g: { key: string }) => g.key === key) ?? { queries: 0, allowed: 0, refused: 0 };
    expect(group(after, 'BIDDING')).toEqual({
      key: 'BIDDING',
      queries: group(before, 'BIDDING').queries + 3,
      allowed: group(before, 'BIDDING').allowed + 2,
      refused: group(before, 'BIDDING').refused + 1,
    });
    expect(after.json.total).toBe(before.json.total + 3);
    // the cross-tabs count the same queries: government units querying legal subjects, and BIDDING within legal subjects
    const cell = (r: { json: any }, tab: string, match: Record<string, string>) =>
      (r.json.crossTabs[tab] as Array<Record<string, unknown>>).find((c) => Object.entries(match).every(([k, v]) => c[k] === v)) ?? { queries: 0 };
    expect(cell(after, 'roleBySubjectType', { role: 'gov', subjectType: 'LEGAL' }).queries).toBe(
      (cell(before, 'roleBySubjectType', { role: 'gov', subjectType: 'LEGAL' }).queries as number) + 3,
    );
    expect(cell(after, 'purposeBySubjectType', { purpose: 'BIDDING', subjectType: 'LEGAL' }).queries).toBe(
      (cell(before, 'purposeBySubjectType', { purpose: 'BIDDING', subjectType: 'LEGAL' }).queries as number) + 3,
    );
    expect(after.json).toMatchObject({ by: 'purpose', from: `${year - 1}-01`, to: `${year + 1}-12` });
    const counts = after.json.groups.map((g: { queries: number }) => g.queries);
    expect(counts).toEqual([...counts].sort((a: number, b: number) => b - a));
    expect(group(after, 'RESIDENCE').queries).toBeGreaterThanOrEqual(4);

    const byUnit = await p.api('GET', `/v1/stats/queries?${range}&by=unit`, { token: admin });
    expect(group(byUnit, 'SH-DRC')).toMatchObject({ queries: 2, allowed: 2, refused: 0 });

    expect((await p.api('GET', `/v1/stats/queries?from=${year}-05&to=${year}-04`, { token: admin })).status).toBe(400);
    expect((await p.api('GET', `/v1/stats/queries?from=${year - 2}-01&to=${year + 1}-12`, { token: admin })).status).toBe(400);
    expect((await p.api('GET', `/v1/stats/queries?${range}&by=colour`, { token: admin })).status).toBe(400);
    expect((await p.api('GET', `/v1/stats/queries?${range}`, { token: drc })).status).toBe(403);
  });

  it('holds no plaintext ID number anywhere', async () => {
    const client = await ddb();
    const items: Array<Record<string, unknown>> = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await client.send(new ScanCommand({ TableName: p.emulators.tables.queryLog, ExclusiveStartKey: start }));
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    expect(items.length).toBeGreaterThan(20);
    const known = [person.idNumber, otherPerson.idNumber, '110105194912310021', company.legalRepIdNo];
    const ID_NUMBER = /(?<![0-9A-Za-z])\d{17}[\dX](?![0-9A-Za-z])/;
    for (const item of items) {
      const text = JSON.stringify(item);
      for (const id of known) expect(text).not.toContain(id);
      for (const [k, v] of Object.entries(item)) {
        if (typeof v === 'string' && !['pk', 'subjectKey'].includes(k)) expect(v, `${k}=${v}`).not.toMatch(ID_NUMBER);
      }
      if (item.subjectType === 'NATURAL') expect(item.subjectKey).toMatch(/^(INVALID#)?[0-9a-f]{64}$/);
    }
    const natural = items.filter((i) => i.subjectType === 'NATURAL');
    expect(natural.length).toBeGreaterThan(5);
  });
});
