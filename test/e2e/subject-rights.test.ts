/**
 * Subject rights end to end over HTTP on the running local platform (SH-REG-2017 Art 34–38):
 * a company objects to a penalty, a `gov` query shows the mark, the admin forwards it, the
 * provider corrects the record and the mark goes; bad objections and decisions are refused with
 * nothing changed; repair hides a record from every role but the admin audit; a non-repairable
 * item is refused; revocation leaves a tombstone marked for the export; expiry; overdue steps;
 * the own report with its yearly quota.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '#core/catalog';
import { receive } from '#core/objections';
import { seededCalendar } from '#core/work-calendar';
import { columnsFor, companies, persons, rowsFor, toCsv, type Company, type Person } from '#local/seed/generate';
import { publishDemoCatalog, startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
let catalog: Catalog;

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString().slice(0, 10);
const yearsAgo = (n: number) => `${new Date().getUTCFullYear() - n}-03-01`;

const [X, Y] = companies(2, 7310) as [Company, Company];
const [P] = persons(1, 7311) as [Person];
type Row = Record<string, string>;

async function upload(itemCode: string, data: Row[]) {
  const item = catalog.items.find((i) => i.code === itemCode)!;
  const receipt = await p.receipt(await p.upload(item.provider, itemCode, `${itemCode}.csv`, toCsv(columnsFor(item), data)));
  expect([receipt.status, receipt.accepted, receipt.errors]).toEqual(['COMPLETED', data.length, []]);
}

const subjectToken = (c: { uscc: string }) => p.token({ role: 'subject', subject: { type: 'LEGAL', id: c.uscc } });
const personToken = () => p.token({ role: 'subject', subject: { type: 'NATURAL', id: P.idNumber } });
const legalFile = async (token: string, params: Record<string, string> = {}, uscc = X.uscc) =>
  p.api('GET', `/v1/subjects/legal/${uscc}?${new URLSearchParams(params)}`, { token });
const govFile = async () => legalFile(await p.as('gov', 'SH-EPB'), { purpose: 'PENALTY' });
const recordOf = (file: { json: any }, recordId: string) => (file.json.records as Array<{ recordId: string }>).find((r) => r.recordId === recordId) as any;
const idsOf = (file: { json: any }) => (file.json.records as Array<{ recordId: string }>).map((r) => r.recordId).sort();

/** Record ids by item, as the admin sees them. */
const ids: Record<string, string[]> = {};
let xPenalties: Row[] = [];

beforeAll(async () => {
  p = await startTestPlatform();
  catalog = await publishDemoCatalog(p);
  const penalty = (r: Row, i: number) => ({ ...r, decisionDate: daysAgo(20 + i), effectiveUntil: daysAgo(5), publicityUntil: '', fineWan: '2' });
  xPenalties = [
    ...rowsFor('AMR-PENALTY', catalog, 2, 411, { subjects: [X] }).map(penalty),
    { ...penalty(rowsFor('AMR-PENALTY', catalog, 1, 412, { subjects: [X] })[0]!, 0), decisionDate: yearsAgo(6), effectiveUntil: yearsAgo(6) },
  ];
  await upload('AMR-PENALTY', xPenalties);
  await upload(
    'AMR-ABNORMAL',
    rowsFor('AMR-ABNORMAL', catalog, 1, 413, { subjects: [X] }).map((r) => ({ ...r, listedDate: daysAgo(40) })),
  );
  await upload('AMR-PENALTY', rowsFor('AMR-PENALTY', catalog, 1, 414, { subjects: [Y] }).map(penalty));
  await upload(
    'HRSS-WAGE-ARREARS',
    rowsFor('HRSS-WAGE-ARREARS', catalog, 1, 415, { subjects: [Y] }).map((r) => ({ ...r, listedDate: daysAgo(30) })),
  );
  await upload(
    'HRSS-SI-ARREARS',
    rowsFor('HRSS-SI-ARREARS', catalog, 1, 416, { subjects: [P] }).map((r) => ({ ...r, determinedDate: daysAgo(30) })),
  );

  const admin = await p.as('admin');
  for (const c of [X, Y]) {
    const file = await legalFile(admin, {}, c.uscc);
    for (const r of file.json.records as Array<{ recordId: string; item: string; fields: Row }>) {
      (ids[`${c === X ? 'X' : 'Y'}:${r.item}`] ??= []).push(r.recordId);
    }
  }
  for (const list of Object.values(ids)) list.sort();
}, 60_000);

afterAll(async () => {
  await p?.stop();
});

describe("a subject's own file by its token alone", () => {
  it("answers `me` with the file its token's opaque reference names; `me` means nothing to another role or the other subject type", async () => {
    const token = await subjectToken(X);
    const byId = await legalFile(token);
    const mine = await p.api('GET', '/v1/subjects/legal/me', { token });
    expect([mine.status, mine.json.subject.id, idsOf(mine)]).toEqual([200, X.uscc, idsOf(byId)]);
    expect((await p.api('GET', '/v1/subjects/natural/me', { token })).status).toBe(400);
    expect((await p.api('GET', '/v1/subjects/legal/me', { token: await p.as('admin'), headers: { 'accept-language': 'en' } })).json.error.code).toBe(
      'INVALID_IDENTIFIER',
    );
  });
});

describe('objection: mark, forward, correct', () => {
  let objectionId = '';
  let recordId = '';

  it('a subject objects; the record is marked at once in a gov query; evidence goes to S3', async () => {
    recordId = ids['X:AMR-PENALTY']![0]!;
    const token = await subjectToken(X);
    const filed = await p.api('POST', '/v1/objections', {
      token,
      body: { recordId, reason: '罚款已缴纳，金额有误', evidence: [{ fileName: '缴款凭证.pdf' }] },
    });
    expect(filed.status).toBe(201);
    objectionId = filed.json.objectionId;
    expect(filed.json.status).toBe('RECEIVED');
    expect(filed.json.deadlines.map((d: { step: string }) => d.step)).toEqual(['MARK', 'REMIT', 'DECISION']);
    const put = await fetch(filed.json.evidenceUploads[0].uploadUrl, { method: 'PUT', body: 'PDF', headers: { 'content-type': 'application/octet-stream' } });
    expect(put.ok).toBe(true);

    const gov = await govFile();
    expect(recordOf(gov, recordId).objection).toMatchObject({ status: 'RECEIVED' });
    expect(recordOf(gov, ids['X:AMR-PENALTY']![1]!).objection).toBeNull();
  });

  it('refuses a second objection while one is open, and objections about records the subject does not own', async () => {
    const token = await subjectToken(X);
    const again = await p.api('POST', '/v1/objections', { token, body: { recordId, reason: 'again' } });
    expect([again.status, again.json.error.code]).toEqual([409, 'OBJECTION_OPEN']);
    const others = await p.api('POST', '/v1/objections', { token, body: { recordId: ids['Y:AMR-PENALTY']![0], reason: 'not mine' } });
    expect([others.status, others.json.error.code]).toEqual([404, 'RECORD_NOT_FOUND']);
    const unknown = await p.api('POST', '/v1/objections', { token, body: { recordId: 'A'.repeat(22), reason: 'x' } });
    expect([unknown.status, unknown.json.error.code]).toEqual([404, 'RECORD_NOT_FOUND']);
    const malformed = await p.api('POST', '/v1/objections', { token, body: { recordId: 'short', reason: '' } });
    expect([malformed.status, malformed.json.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const onBehalf = await p.api('POST', '/v1/objections', { token: await p.as('admin'), body: { recordId, reason: 'x' } });
    expect([onBehalf.status, onBehalf.json.error.code]).toEqual([400, 'SUBJECT_REQUIRED']);
    const byGov = await p.api('POST', '/v1/objections', { token: await p.as('gov', 'SH-EPB'), body: { recordId, reason: 'x' } });
    expect(byGov.status).toBe(403);
    const open = await p.api('GET', '/v1/objections?status=RECEIVED', { token: await p.as('admin') });
    expect(open.json.objections.map((o: { objectionId: string }) => o.objectionId)).toEqual([objectionId]);
  });

  it('only the admin decides the remit; nobody decides before it', async () => {
    const early = await p.api('POST', `/v1/objections/${objectionId}/decision`, { token: await p.as('admin'), body: { outcome: 'UPHELD', reasons: 'r' } });
    expect([early.status, early.json.error.code]).toEqual([409, 'REMIT_NOT_DECIDED']);
    const byProvider = await p.api('POST', `/v1/objections/${objectionId}/remit`, { token: await p.as('provider', 'SH-AMR'), body: { remit: 'PROVIDER' } });
    expect(byProvider.status).toBe(403);
    const forwarded = await p.api('POST', `/v1/objections/${objectionId}/remit`, { token: await p.as('admin'), body: { remit: 'PROVIDER', note: '请核实' } });
    expect(forwarded.status).toBe(200);
    expect(forwarded.json).toMatchObject({ status: 'FORWARDED', remit: 'PROVIDER', overdue: false });
    expect(forwarded.json.steps[1]).toMatchObject({ step: 'REMIT', overdue: false, by: { role: 'admin' } });
    expect(forwarded.json.steps[2].deadline).not.toBeNull();
    expect(recordOf(await govFile(), recordId).objection).toMatchObject({ status: 'FORWARDED' });
  });

  it('the provider sees the objections forwarded to it; another provider neither sees nor decides it', async () => {
    const amr = await p.api('GET', '/v1/objections', { token: await p.as('provider', 'SH-AMR') });
    expect(amr.json.objections.map((o: { objectionId: string }) => o.objectionId)).toEqual([objectionId]);
    expect(amr.json.objections[0].evidence[0].downloadUrl).toMatch(/^http/);
    const tax = await p.as('provider', 'SH-TAX');
    expect((await p.api('GET', '/v1/objections', { token: tax })).json.objections).toEqual([]);
    const wrong = await p.api('POST', `/v1/objections/${objectionId}/decision`, { token: tax, body: { outcome: 'DELETED', reasons: 'r' } });
    expect([wrong.status, wrong.json.error.code]).toEqual([403, 'NOT_YOUR_STEP']);
    const byAdmin = await p.api('POST', `/v1/objections/${objectionId}/decision`, { token: await p.as('admin'), body: { outcome: 'DELETED', reasons: 'r' } });
    expect([byAdmin.status, byAdmin.json.error.code]).toEqual([403, 'NOT_YOUR_STEP']);
  });

  it('a correction goes through upload validation: an invalid one is refused and changes nothing', async () => {
    const token = await p.as('provider', 'SH-AMR');
    const invalid = await p.api('POST', `/v1/objections/${objectionId}/decision`, {
      token,
      body: { outcome: 'CORRECTED', reasons: 'r', fields: { fineWan: 'lots' } },
    });
    expect([invalid.status, invalid.json.error.code]).toEqual([422, 'CORRECTION_INVALID']);
    const keyChange = await p.api('POST', `/v1/objections/${objectionId}/decision`, {
      token,
      body: { outcome: 'CORRECTED', reasons: 'r', fields: { decisionNo: 'X-1' } },
    });
    expect([keyChange.status, keyChange.json.error.code]).toEqual([400, 'CORRECTION_NOT_ALLOWED']);
    const gov = await govFile();
    expect(recordOf(gov, recordId)).toMatchObject({ objection: { status: 'FORWARDED' }, fields: { fineWan: 2 } });
  });

  it('the provider corrects the record; the mark goes; the applicant reads the outcome; a closed objection takes no step', async () => {
    const token = await p.as('provider', 'SH-AMR');
    const decided = await p.api('POST', `/v1/objections/${objectionId}/decision`, {
      token,
      body: { outcome: 'CORRECTED', reasons: '罚款金额更正为0.5万元', fields: { fineWan: '0.5' } },
    });
    expect(decided.status).toBe(200);
    expect(decided.json).toMatchObject({ status: 'CORRECTED', outcome: { decision: 'CORRECTED', changes: { fineWan: 0.5 } } });
    const record = recordOf(await govFile(), recordId);
    expect(record.objection).toBeNull();
    expect(record.fields.fineWan).toBe(0.5);

    const mine = await p.api('GET', `/v1/objections/${objectionId}`, { token: await subjectToken(X) });
    expect(mine.status).toBe(200);
    expect(mine.json).toMatchObject({ status: 'CORRECTED', outcome: { reasons: '罚款金额更正为0.5万元' } });
    expect(mine.json.history.map((e: { action: string }) => e.action)).toEqual(['SUBMITTED', 'MARKED', 'FORWARDED', 'DECIDED']);
    expect(mine.json.history.every((e: { at: string; by: { role: string } }) => e.at && e.by.role)).toBe(true);
    const notYours = await p.api('GET', `/v1/objections/${objectionId}`, { token: await subjectToken(Y) });
    expect([notYours.status, notYours.json.error.code]).toEqual([404, 'OBJECTION_NOT_FOUND']);

    const again = await p.api('POST', `/v1/objections/${objectionId}/decision`, { token, body: { outcome: 'UPHELD', reasons: 'r' } });
    expect([again.status, again.json.error.code]).toEqual([409, 'OBJECTION_CLOSED']);
    const remitAgain = await p.api('POST', `/v1/objections/${objectionId}/remit`, { token: await p.as('admin'), body: { remit: 'PLATFORM' } });
    expect([remitAgain.status, remitAgain.json.error.code]).toEqual([409, 'OBJECTION_CLOSED']);
  });

  it('an admin files for a walk-in applicant, keeps it and deletes the record', async () => {
    const admin = await p.as('admin');
    const target = ids['Y:AMR-PENALTY']![0]!;
    const filed = await p.api('POST', '/v1/objections', {
      token: admin,
      body: { recordId: target, reason: '非本单位', subject: { type: 'LEGAL', id: Y.uscc } },
    });
    expect(filed.status).toBe(201);
    const kept = await p.api('POST', `/v1/objections/${filed.json.objectionId}/remit`, { token: admin, body: { remit: 'PLATFORM' } });
    expect(kept.json).toMatchObject({ status: 'UNDER_REVIEW', channel: 'WINDOW' });
    const provider = await p.api('POST', `/v1/objections/${filed.json.objectionId}/decision`, {
      token: await p.as('provider', 'SH-AMR'),
      body: { outcome: 'UPHELD', reasons: 'r' },
    });
    expect(provider.status).toBe(403);
    const deleted = await p.api('POST', `/v1/objections/${filed.json.objectionId}/decision`, {
      token: admin,
      body: { outcome: 'DELETED', reasons: '主体错误' },
    });
    expect(deleted.json.status).toBe('DELETED');
    expect(idsOf(await legalFile(admin, {}, Y.uscc))).not.toContain(target);
    expect(recordOf(await legalFile(admin, { audit: 'true' }, Y.uscc), target)).toMatchObject({
      status: 'DELETED',
      deletedBy: `objection ${filed.json.objectionId}`,
    });
  });

  it('statistics count applications, completed and annotated per year and subject type', async () => {
    const year = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 4);
    const stats = await p.api('GET', `/v1/stats/objections?from=${year}&to=${year}`, { token: await p.as('admin') });
    expect(stats.status).toBe(200);
    expect(stats.json.years).toEqual([
      {
        year,
        applications: 2,
        completed: 2,
        annotated: 2,
        bySubjectType: { LEGAL: 2, NATURAL: 0 },
        byOutcome: { CORRECTED: 1, DELETED: 1, UPHELD: 0 },
        overdue: 0,
      },
    ]);
    const bad = await p.api('GET', '/v1/stats/objections?from=2026&to=2025', { token: await p.as('admin') });
    expect(bad.status).toBe(400);
  });

  it('housekeeping finds an objection step past its deadline', async () => {
    const old = receive(
      {
        objectionId: '00000000-0000-4000-8000-000000000001',
        recordId: 'B'.repeat(22),
        provider: 'SH-AMR',
        item: 'AMR-PENALTY',
        subjectType: 'LEGAL',
        subjectKey: X.uscc,
        subjectLabel: X.uscc,
        reason: 'old',
        evidence: [],
        by: { role: 'subject', sub: 't' },
      },
      '2025-09-30T02:00:00.000Z',
    );
    // adapters are imported once the platform has set the emulator endpoints
    const { putNewObjection } = await import('#adapters/objection-repo');
    await putNewObjection(old, seededCalendar());
    expect(await p.invoke('objectionDeadlines')).toEqual({ overdue: 1 });
    const overdue = await p.api('GET', '/v1/objections?overdue=true', { token: await p.as('admin') });
    expect(overdue.json.objections.map((o: { objectionId: string }) => o.objectionId)).toEqual([old.objectionId]);
    expect(overdue.json.objections[0].steps[1]).toMatchObject({ step: 'REMIT', overdue: true });
  });

  it('pages through every objection with the cursor it returns, and refuses a forged one', async () => {
    const admin = await p.as('admin');
    const all = await p.api('GET', '/v1/objections', { token: admin });
    expect(all.json.objections.length).toBeGreaterThanOrEqual(2);
    expect(all.json.next).toBeNull();
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await p.api('GET', `/v1/objections?limit=1${cursor ? `&cursor=${cursor}` : ''}`, { token: admin });
      expect(page.status).toBe(200);
      expect(page.json.objections.length).toBe(1);
      walked.push(page.json.objections[0].objectionId);
      cursor = page.json.next;
    } while (cursor);
    expect(walked).toEqual(all.json.objections.map((o: { objectionId: string }) => o.objectionId));
    const forged = await p.api('GET', `/v1/objections?cursor=${Buffer.from('../etc#x').toString('base64url')}`, { token: admin });
    expect([forged.status, forged.json.error.code]).toEqual([400, 'INVALID_CURSOR']);
  });
});

describe('credit repair', () => {
  it('hides the record from every role but the admin audit', async () => {
    const recordId = ids['X:AMR-ABNORMAL']![0]!;
    const wrong = await p.api('POST', `/v1/records/${recordId}/repair`, {
      token: await p.as('provider', 'SH-TAX'),
      body: { subject: { type: 'LEGAL', id: X.uscc }, certificateNo: 'C-1', issuedOn: daysAgo(1) },
    });
    expect([wrong.status, wrong.json.error.code]).toEqual([403, 'NOT_YOUR_RECORD']);
    const body = { subject: { type: 'LEGAL', id: X.uscc }, certificateNo: '沪市监修〔2026〕1号', issuedOn: daysAgo(1) };
    for (const issuedOn of [daysAgo(-2), '2026-02-30']) {
      const bad = await p.api('POST', `/v1/records/${recordId}/repair`, { token: await p.as('provider', 'SH-AMR'), body: { ...body, issuedOn } });
      expect([bad.status, bad.json.error.code, bad.json.error.details[0]?.path], issuedOn).toEqual([400, 'VALIDATION_FAILED', 'body.issuedOn']);
    }
    const repaired = await p.api('POST', `/v1/records/${recordId}/repair`, { token: await p.as('provider', 'SH-AMR'), body });
    expect(repaired.status).toBe(200);
    expect(repaired.json.status).toBe('REPAIRED');

    const admin = await p.as('admin');
    for (const file of [await legalFile(admin), await govFile(), await legalFile(await subjectToken(X)), await legalFile(await p.as('market', 'M-AGENCY'))]) {
      expect(file.status).toBe(200);
      expect(idsOf(file)).not.toContain(recordId);
    }
    expect(recordOf(await legalFile(admin, { audit: 'true' }), recordId)).toMatchObject({ status: 'REPAIRED', repair: { certificateNo: body.certificateNo } });
    const audit = await legalFile(await p.as('gov', 'SH-EPB'), { purpose: 'PENALTY', audit: 'true' });
    expect([audit.status, audit.json.error.code]).toEqual([403, 'AUDIT_ADMIN_ONLY']);

    // a retry with the same certificate answers as the first; another certificate finds nothing to repair
    const twice = await p.api('POST', `/v1/records/${recordId}/repair`, { token: await p.as('provider', 'SH-AMR'), body });
    expect([twice.status, twice.json]).toEqual([200, repaired.json]);
    const other = await p.api('POST', `/v1/records/${recordId}/repair`, {
      token: await p.as('provider', 'SH-AMR'),
      body: { ...body, certificateNo: '沪市监修〔2026〕2号' },
    });
    expect([other.status, other.json.error.code]).toEqual([409, 'RECORD_NOT_ACTIVE']);
  });

  it('refuses a record of a non-repairable item, and changes nothing', async () => {
    const recordId = ids['Y:HRSS-WAGE-ARREARS']![0]!;
    const refused = await p.api('POST', `/v1/records/${recordId}/repair`, {
      token: await p.as('provider', 'SH-HRSS'),
      body: { subject: { type: 'LEGAL', id: Y.uscc }, certificateNo: 'C-2', issuedOn: daysAgo(1) },
    });
    expect([refused.status, refused.json.error.code]).toEqual([422, 'NOT_REPAIRABLE']);
    expect(recordOf(await legalFile(await p.as('admin'), {}, Y.uscc), recordId)).toBeDefined();
  });
});

describe('revocation', () => {
  it('leaves a tombstone without content, marked for the export, and removes the record everywhere', async () => {
    const recordId = ids['X:AMR-PENALTY']![1]!;
    const before = await p.api('GET', `/v1/public/publicity?${new URLSearchParams({ type: 'PENALTY', q: X.uscc })}`);
    expect(before.json.results.map((r: { recordId: string }) => r.recordId)).toContain(recordId);

    const revoked = await p.api('POST', `/v1/records/${recordId}/revocation`, {
      token: await p.as('provider', 'SH-AMR'),
      body: { subject: { type: 'LEGAL', id: X.uscc }, reason: '行政复议决定撤销', decisionNo: '沪府复决〔2026〕9号' },
    });
    expect(revoked.status).toBe(200);
    const after = await p.api('GET', `/v1/public/publicity?${new URLSearchParams({ type: 'PENALTY', q: X.uscc })}`);
    expect(after.json.results.map((r: { recordId: string }) => r.recordId)).not.toContain(recordId);
    expect(idsOf(await legalFile(await p.as('admin')))).not.toContain(recordId);
    expect(recordOf(await legalFile(await p.as('admin'), { audit: 'true' }), recordId)).toMatchObject({
      status: 'REVOKED',
      reason: '行政复议决定撤销',
      fields: {},
    });

    const { ddb } = await import('#adapters/clients');
    const stored = (
      await ddb.send(new GetCommand({ TableName: p.emulators.tables.legalSubjects, Key: { pk: X.uscc, sk: `REC#SH-AMR#AMR-PENALTY#${recordId}` } }))
    ).Item!;
    expect(stored).toMatchObject({
      status: 'REVOKED',
      revokedAt: revoked.json.revokedAt,
      publicity: 'PENALTY',
      chgsk: `${revoked.json.revokedAt}#${recordId}`,
    });
    expect(stored.fields).toBeUndefined();
    expect(stored.pubpk).toBeUndefined();

    // a re-upload of the revoked record does not bring it back
    const row = xPenalties.find((r) => r.decisionNo === stored.key)!;
    const item = catalog.items.find((i) => i.code === 'AMR-PENALTY')!;
    const reupload = await p.receipt(await p.upload('SH-AMR', 'AMR-PENALTY', 'again.csv', toCsv(columnsFor(item), [row])));
    expect([reupload.status, reupload.accepted, reupload.rejected, reupload.errors[0]?.code]).toEqual(['COMPLETED', 0, 1, 'RECORD_CLOSED']);
    expect(recordOf(await legalFile(await p.as('admin'), { audit: 'true' }), recordId).status).toBe('REVOKED');

    const again = await p.api('POST', `/v1/records/${recordId}/revocation`, {
      token: await p.as('provider', 'SH-AMR'),
      body: { subject: { type: 'LEGAL', id: X.uscc }, reason: 'x' },
    });
    expect([again.status, again.json.error.code]).toEqual([409, 'ALREADY_REVOKED']);
  });
});

describe('query period', () => {
  it('housekeeping marks a record past its query period EXPIRED, once', async () => {
    const admin = await p.as('admin');
    const stored = (await legalFile(admin, { audit: 'true' })).json.records as Array<{ recordId: string; item: string; status: string; fields: Row }>;
    const old = stored.find((r) => r.item === 'AMR-PENALTY' && r.fields.decisionDate === yearsAgo(6))!;
    expect(old.status).toBe('ACTIVE');
    expect(idsOf(await legalFile(admin))).not.toContain(old.recordId); // never served, even before
    expect(await p.invoke('recordExpiry')).toMatchObject({ expired: 1 });
    expect(recordOf(await legalFile(admin, { audit: 'true' }), old.recordId)).toMatchObject({ status: 'EXPIRED' });
    // no longer ACTIVE: out of the public search index, its last public day kept
    const { ddb } = await import('#adapters/clients');
    const item = (
      await ddb.send(new GetCommand({ TableName: p.emulators.tables.legalSubjects, Key: { pk: X.uscc, sk: `REC#SH-AMR#AMR-PENALTY#${old.recordId}` } }))
    ).Item!;
    expect([item.pubpk, item.pubsk, typeof item.publicUntil]).toEqual([undefined, undefined, 'string']);
    // its byExpiry entry went with the status: the next run reads nothing
    expect(await p.invoke('recordExpiry')).toEqual({ expired: 0, unlisted: 0, read: 0, finished: true });
  });
});

describe('own report', () => {
  it('two free reports a year for a natural person; the third is 429 with the next free date; a retry is not counted', async () => {
    const token = await personToken();
    const get = (format: string, key?: string) =>
      fetch(`${p.url}/v1/me/report?format=${format}`, { headers: { authorization: `Bearer ${token}`, ...(key ? { 'idempotency-key': key } : {}) } });
    const first = await get('json', 'report-one-key');
    expect(first.status).toBe(200);
    const report = (await first.json()) as any;
    expect(report.quota).toMatchObject({ used: 1, limit: 2 });
    expect(report.subject).toMatchObject({ type: 'NATURAL', id: P.idNumber });
    expect(report.records.map((r: { item: string }) => r.item)).toEqual(['HRSS-SI-ARREARS']);

    const html = await get('html');
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toMatch(/text\/html/);
    const page = await html.text();
    for (const heading of ['公共信用信息报告', '信息主体', '信用记录', '异议记录', '查询记录']) expect(page).toContain(heading);

    const third = await get('json');
    expect(third.status).toBe(429);
    const error = ((await third.json()) as any).error;
    expect(error.code).toBe('FREE_REPORT_QUOTA');
    expect(error.details[0]).toMatchObject({ used: 2, limit: 2 });
    expect(error.message).toContain('-01-01');

    const retried = await get('json', 'report-one-key');
    expect(retried.status).toBe(200);
  });

  it("a company's report lists its records' sources and states, its objections and who queried it", async () => {
    const res = await p.api('GET', '/v1/me/report', { token: await subjectToken(X) });
    expect(res.status).toBe(200);
    expect(res.json.quota).toBeNull();
    const byId = new Map((res.json.records as Array<{ recordId: string }>).map((r) => [r.recordId, r as any]));
    expect(byId.get(ids['X:AMR-ABNORMAL']![0]!)).toMatchObject({ state: 'REPAIRED', providerName: '上海市市场监督管理局' });
    expect(byId.has(ids['X:AMR-PENALTY']![1]!)).toBe(false); // revoked: deleted
    expect(res.json.objections).toHaveLength(2);
    expect(res.json.queries.some((q: { unit: string; purpose: string }) => q.unit === 'SH-EPB' && q.purpose === 'PENALTY')).toBe(true);
  });
});
