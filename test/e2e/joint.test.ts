/**
 * 联合奖惩 end to end over HTTP on the local platform: a serious behaviour uploaded puts the company
 * on the serious-dishonesty list by rule (NOTIFIED); a unit's matter check answers behaviours, list
 * status and the measures that bind it; feedback is required, recorded once; a red list is entered by
 * decision, objected to and decided; the public lists; the subject's own joint file; the query log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '#core/catalog';
import { columnsFor, companies, rowsFor, toCsv, type Company } from '#local/seed/generate';
import { publishDemoCatalog, startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
let catalog: Catalog;
const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString().slice(0, 10);
const [X, Y] = companies(2, 9170) as [Company, Company];
const [Z] = companies(1, 9180) as [Company];

async function upload(itemCode: string, data: Array<Record<string, string>>) {
  const item = catalog.items.find((i) => i.code === itemCode)!;
  const receipt = await p.receipt(await p.upload(item.provider, itemCode, `${itemCode}.csv`, toCsv(columnsFor(item), data)));
  expect([receipt.status, receipt.accepted, receipt.errors]).toEqual(['COMPLETED', data.length, []]);
}

beforeAll(async () => {
  p = await startTestPlatform();
  catalog = await publishDemoCatalog(p);
  await upload(
    'HRSS-WAGE-ARREARS',
    rowsFor('HRSS-WAGE-ARREARS', catalog, 1, 9171, { subjects: [Y] }).map((r) => ({ ...r, listedDate: daysAgo(30) })),
  );
  await upload(
    'TAX-A-GRADE',
    rowsFor('TAX-A-GRADE', catalog, 1, 9172, { subjects: [X] }).map((r) => ({ ...r, grade: 'A' })),
  );
}, 180_000);

afterAll(async () => {
  await p?.stop();
});

describe('the joint loop', () => {
  let checkId = '';

  it('a unit checks subjects in a matter: behaviours, the rule-entered list and the measures binding it', async () => {
    const drc = await p.as('gov', 'SH-DRC');
    const res = await p.api('POST', '/v1/joint/checks', {
      token: drc,
      body: {
        matter: 'FUNDING',
        caseRef: 'FUND-2026-001',
        subjects: [
          { type: 'LEGAL', id: Y.uscc },
          { type: 'LEGAL', id: X.uscc },
        ],
      },
    });
    expect(res.status, res.text).toBe(201);
    checkId = res.json.checkId;
    const [y, x] = res.json.results;
    expect(y.behaviours.map((b: any) => b.code)).toEqual(['B-WAGE-ARREARS']);
    expect(y.lists).toEqual([expect.objectContaining({ code: 'L-SERIOUS', status: 'NOTIFIED', until: null })]);
    expect(y.measures.map((m: any) => [m.code, m.binding, m.feedbackRequired])).toEqual([['M-NO-FUNDING', 'MANDATORY', true]]);
    expect(y.measures[0].basis).toContain('第二十五条');
    expect(x.behaviours.map((b: any) => b.code)).toEqual(['B-A-TAXPAYER']);
    expect(x.measures.map((m: any) => [m.code, m.binding])).toEqual([['M-FUNDING-PRIORITY', 'RECOMMENDED']]);
    // another unit, another matter: other measures
    const epb = await p.api('POST', '/v1/joint/checks', {
      token: await p.as('gov', 'SH-EPB'),
      body: { matter: 'ADMIN_APPROVAL', subjects: [{ type: 'LEGAL', id: X.uscc }] },
    });
    expect(epb.json.results[0].measures.map((m: any) => m.code)).toEqual(['M-GREEN-CHANNEL']);
  });

  it('refuses bad checks with a stable code', async () => {
    const drc = await p.as('gov', 'SH-DRC');
    expect(
      (await p.api('POST', '/v1/joint/checks', { token: drc, body: { matter: 'SHOPPING', subjects: [{ type: 'LEGAL', id: X.uscc }] } })).json.error.code,
    ).toBe('VALIDATION_FAILED');
    expect(
      (await p.api('POST', '/v1/joint/checks', { token: drc, body: { matter: 'FUNDING', subjects: [{ type: 'LEGAL', id: 'NOT-A-USCC' }] } })).json.error.code,
    ).toBe('INVALID_IDENTIFIER');
    const undeclared = await p.api('POST', '/v1/joint/checks', { token: drc, body: { matter: 'RESIDENCE', subjects: [{ type: 'LEGAL', id: X.uscc }] } });
    expect([undeclared.status, undeclared.json.error.code]).toEqual([403, 'PURPOSE_NOT_DECLARED']);
    expect((await p.api('POST', '/v1/joint/checks', { token: await p.as('market'), body: { matter: 'FUNDING', subjects: [] } })).status).toBe(403);
    const many = Array.from({ length: 101 }, () => ({ type: 'LEGAL', id: X.uscc }));
    // the details name the rule (the message is Chinese unless English is asked for)
    const tooMany = await p.api('POST', '/v1/joint/checks', { token: drc, body: { matter: 'FUNDING', subjects: many }, headers: { 'accept-language': 'en' } });
    expect(tooMany.json.error.message).toContain('at most 100');
  });

  it('feedback: a MANDATORY measure not applied needs a reason; recorded once', async () => {
    const drc = await p.as('gov', 'SH-DRC');
    const url = `/v1/joint/checks/${checkId}/feedback`;
    const fb = { subject: { type: 'LEGAL', id: Y.uscc }, measure: 'M-NO-FUNDING', applied: false };
    expect((await p.api('POST', url, { token: drc, body: fb })).json.error.code).toBe('REASON_REQUIRED');
    expect((await p.api('POST', url, { token: await p.as('gov', 'SH-EPB'), body: { ...fb, reason: 'x' } })).json.error.code).toBe('NOT_YOUR_CHECK');
    const first = await p.api('POST', url, { token: drc, body: { ...fb, reason: '项目已于核查前拨付' } });
    expect(first.status, first.text).toBe(201);
    expect(first.json.feedback).toMatchObject({ applied: false, late: false });
    // the domain shape: the subject by its USCC, no table keys (the response check refuses unnamed fields)
    expect(first.json).toMatchObject({ checkId, unit: 'SH-DRC', matter: 'FUNDING', subject: { type: 'LEGAL', id: Y.uscc }, measure: 'M-NO-FUNDING' });
    expect(Object.keys(first.json).sort()).toEqual(['binding', 'checkId', 'dueAt', 'feedback', 'matter', 'measure', 'subject', 'unit']);
    expect((await p.api('POST', url, { token: drc, body: { ...fb, reason: '项目已于核查前拨付' } })).status).toBe(200);
    expect((await p.api('POST', url, { token: drc, body: { ...fb, applied: true } })).json.error.code).toBe('FEEDBACK_EXISTS');
    expect((await p.api('POST', url, { token: drc, body: { ...fb, measure: 'M-GREEN-CHANNEL', applied: true } })).json.error.code).toBe('NO_SUCH_MEASURE');
    const overdue = await p.api('GET', '/v1/joint/feedback?overdue=true', { token: drc });
    expect([overdue.status, overdue.json.overdue]).toEqual([200, []]); // due in 10 working days
    // once the due time has passed, the feedback not given is listed in the same shape
    const later = new Date(Date.now() + 60 * DAY).toISOString();
    // in process: the AWS clients are made on import, after the platform has pointed them at the emulators
    const { feedbackOut, listOverdue } = await import('../../functions/joint/feedback.ts');
    const { feedbackView } = await import('../../functions/joint/schemas.ts');
    const open = (await listOverdue('SH-DRC', later)).map(feedbackOut).filter((f) => f.checkId === checkId);
    expect(open.length).toBeGreaterThan(0);
    for (const f of open) {
      expect(feedbackView.strict().parse(f)).toEqual(f);
      expect(f.feedback).toBeUndefined();
      expect(JSON.stringify(f)).not.toMatch(/"(pk|sk|fbpk|fbsk|key)"/);
    }
    expect((await p.api('GET', '/v1/joint/feedback', { token: drc })).json.error.code).toBe('OVERDUE_REQUIRED');
  });

  it('a red list entered by decision, objected to by the subject, the objection decided by the list unit', async () => {
    const drc = await p.as('gov', 'SH-DRC');
    const body = {
      subject: { type: 'LEGAL', id: X.uscc },
      name: X.name,
      basis: '市发展改革委认定文件 2026-12',
      reasons: '连续三年无不良信用记录，纳税信用A级',
    };
    expect((await p.api('POST', '/v1/joint/lists/L-RED/entries', { token: await p.as('gov', 'SH-EPB'), body })).json.error.code).toBe('NOT_YOUR_LIST');
    expect((await p.api('POST', '/v1/joint/lists/L-SERIOUS/entries', { token: drc, body })).json.error.code).toBe('LIST_BY_RULE_ONLY');
    const entered = await p.api('POST', '/v1/joint/lists/L-RED/entries', { token: drc, body });
    expect(entered.status, entered.text).toBe(201);
    expect(entered.json).toMatchObject({ status: 'NOTIFIED', by: 'DECISION', decidedBy: 'SH-DRC' });
    // the subject by its USCC, never the stored key (the response check refuses unnamed fields)
    expect(entered.json.subject).toEqual({ type: 'LEGAL', id: X.uscc });
    const again = await p.api('POST', '/v1/joint/lists/L-RED/entries', { token: drc, body });
    expect([again.status, again.json.entryId]).toEqual([200, entered.json.entryId]);

    const xToken = await p.token({ role: 'subject', subject: { type: 'LEGAL', id: X.uscc } });
    const yToken = await p.token({ role: 'subject', subject: { type: 'LEGAL', id: Y.uscc } });
    const objUrl = `/v1/joint/entries/${entered.json.entryId}/objection`;
    expect((await p.api('POST', objUrl, { token: yToken, body: { reason: 'x' } })).json.error.code).toBe('NOT_YOUR_ENTRY');
    const objected = await p.api('POST', objUrl, { token: xToken, body: { reason: '名称有误' } });
    expect([objected.status, objected.json.objection.status]).toEqual([201, 'OPEN']);
    expect((await p.api('POST', objUrl, { token: xToken, body: { reason: '再次' } })).json.error.code).toBe('OBJECTION_NOT_ALLOWED');
    const decided = await p.api('POST', `${objUrl}/decision`, { token: drc, body: { upheld: true, reason: '认定依据有误' } });
    expect(decided.json).toMatchObject({ status: 'EXITED', exitReason: 'OBJECTION_UPHELD' });
  });

  it('the clock moves only what is due; public lists show criteria, remedy and exit', async () => {
    expect(await p.invoke('jointLists')).toMatchObject({ moved: 0 });
    const lists = await p.api('GET', '/v1/public/lists');
    expect(lists.status).toBe(200);
    // the catalog keeps each list as its own entry, read back in code order
    expect(lists.json.lists.map((l: any) => [l.code, l.entry])).toEqual([
      ['L-RED', 'DECISION'],
      ['L-SERIOUS', 'RULE'],
    ]);
    expect(lists.json.lists[0]).toMatchObject({ criteria: expect.any(String), remedy: expect.any(String), exit: expect.any(String) });
    const entries = await p.api('GET', '/v1/public/lists/L-SERIOUS/entries');
    expect([entries.status, entries.json.entries]).toEqual([200, []]); // NOTIFIED entries are not published yet
    expect((await p.api('GET', '/v1/public/lists/L-NOPE/entries')).status).toBe(404);
  });

  it('the subject sees its behaviours, entries with basis and remedy, measures and the feedback about it', async () => {
    const own = await p.api('GET', '/v1/me/joint', { token: await p.token({ role: 'subject', subject: { type: 'LEGAL', id: Y.uscc } }) });
    expect(own.status, own.text).toBe(200);
    expect(own.json.behaviours.map((b: any) => b.code)).toEqual(['B-WAGE-ARREARS']);
    expect(own.json.lists[0]).toMatchObject({
      list: 'L-SERIOUS',
      status: 'NOTIFIED',
      basis: expect.any(String),
      remedy: expect.any(String),
      noticeEndsAt: expect.any(String),
    });
    expect(own.json.measures.map((m: any) => m.code)).toContain('M-PUBLIC-TRADING-BAN');
    expect(own.json.feedback).toEqual([expect.objectContaining({ unit: 'SH-DRC', measure: 'M-NO-FUNDING', applied: false, reason: '项目已于核查前拨付' })]);
    // and in its own credit report, JSON and printable
    const yReport = await p.token({ role: 'subject', subject: { type: 'LEGAL', id: Y.uscc } });
    const report = await p.api('GET', '/v1/me/report', { token: yReport });
    expect(report.status, report.text).toBe(200);
    expect(report.json.joint.lists).toEqual([expect.objectContaining({ list: 'L-SERIOUS', status: 'NOTIFIED', remedy: expect.any(String) })]);
    expect(report.json.joint.behaviours.map((b: any) => b.code)).toEqual(['B-WAGE-ARREARS']);
    const html = await p.api('GET', '/v1/me/report?format=html', { token: yReport });
    expect(html.text).toContain('六、联合奖惩');
    expect(html.text).toContain('严重失信主体名单');
    const queries = await p.api('GET', '/v1/me/queries', { token: await p.token({ role: 'subject', subject: { type: 'LEGAL', id: Y.uscc } }) });
    expect(JSON.stringify(queries.json)).toContain('SH-DRC');
  });
});

describe('records that end or arrive late, and the statistics', () => {
  const zToken = () => p.token({ role: 'subject', subject: { type: 'LEGAL', id: Z.uscc } });

  it('a record linked late (held for want of its subject) enters the rule list when the subject registers', async () => {
    const tax = catalog.items.find((i) => i.code === 'TAX-ARREARS')!;
    // a major tax arrears naming the company by registration number only: held until it registers
    const rows = rowsFor('TAX-ARREARS', catalog, 1, 9181, { subjects: [Z] }).map((r) => ({
      ...r,
      partyUscc: '',
      partyRegNo: Z.regNo,
      arrearsWan: '250',
      noticeDate: daysAgo(20),
    }));
    const held = await p.receipt(await p.upload('SH-TAX', 'TAX-ARREARS', 'held.csv', toCsv(columnsFor(tax), rows)));
    expect(held).toMatchObject({ status: 'COMPLETED', accepted: 1, unlinked: 1 });
    expect((await p.api('GET', '/v1/me/joint', { token: await zToken() })).json.lists).toEqual([]);
    await upload('AMR-REGISTRATION', rowsFor('AMR-REGISTRATION', catalog, 1, 9182, { subjects: [Z] }));
    const own = await p.api('GET', '/v1/me/joint', { token: await zToken() });
    expect(own.json.behaviours.map((b: any) => b.code)).toEqual(['B-TAX-ARREARS', 'B-TAX-MAJOR-ARREARS']);
    expect(own.json.lists).toEqual([expect.objectContaining({ list: 'L-SERIOUS', status: 'NOTIFIED', by: 'RULE' })]);
  });

  it('a repair takes the entry resting on the record out at once, with its reason', async () => {
    const own = await p.api('GET', '/v1/me/joint', { token: await zToken() });
    const recordId = own.json.lists[0].records[0];
    const repaired = await p.api('POST', `/v1/records/${recordId}/repair`, {
      token: await p.as('provider', 'SH-TAX'),
      body: { subject: { type: 'LEGAL', id: Z.uscc }, certificateNo: '沪税修〔2026〕7号', issuedOn: daysAgo(1) },
    });
    expect(repaired.status, repaired.text).toBe(200);
    // no clock run in between: the entry is EXITED already, as stored
    const after = await p.api('GET', '/v1/me/joint', { token: await zToken() });
    expect(after.json.behaviours).toEqual([]);
    expect(after.json.lists).toEqual([expect.objectContaining({ list: 'L-SERIOUS', status: 'EXITED', exitReason: 'RECORD_ENDED', exitDetail: 'REPAIRED' })]);
    const check = await p.api('POST', '/v1/joint/checks', {
      token: await p.as('gov', 'SH-DRC'),
      body: { matter: 'FUNDING', subjects: [{ type: 'LEGAL', id: Z.uscc }] },
    });
    expect([check.json.results[0].lists, check.json.results[0].measures]).toEqual([[], []]);
    // a retried repair changes nothing twice
    const again = await p.api('POST', `/v1/records/${recordId}/repair`, {
      token: await p.as('provider', 'SH-TAX'),
      body: { subject: { type: 'LEGAL', id: Z.uscc }, certificateNo: '沪税修〔2026〕7号', issuedOn: daysAgo(1) },
    });
    expect(again.status).toBe(200);
    expect((await p.api('GET', '/v1/me/joint', { token: await zToken() })).json.lists).toHaveLength(1);
  });

  it('GET /v1/joint/stats: checks by matter × subject type, hits, feedback per unit, entries and exits by list', async () => {
    const year = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 4);
    expect((await p.api('GET', `/v1/joint/stats?year=${year}`, { token: await p.as('gov', 'SH-DRC') })).status).toBe(403);
    const bad = await p.api('GET', '/v1/joint/stats?year=20x6', { token: await p.as('admin') });
    expect([bad.status, bad.json.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const res = await p.api('GET', `/v1/joint/stats?year=${year}`, { token: await p.as('admin') });
    expect(res.status, res.text).toBe(200);
    const s = res.json;
    // FUNDING: Y and X (first check), Z (after its repair); ADMIN_APPROVAL: X
    expect(s.byMatter.find((m: any) => m.matter === 'FUNDING')).toMatchObject({ subjects: 3, bySubjectType: { LEGAL: 3, NATURAL: 0 }, hits: 2 });
    expect(s.byMatter.find((m: any) => m.matter === 'ADMIN_APPROVAL')).toMatchObject({ subjects: 1, hits: 1 });
    expect(s.byUnit.find((u: any) => u.unit === 'SH-DRC')).toMatchObject({ subjects: 3, feedback: 1, notApplied: 1, applied: 0, late: 0 });
    expect(s.byMeasure).toEqual([expect.objectContaining({ measure: 'M-NO-FUNDING', applied: 0, notApplied: 1 })]);
    expect(s.byList.find((l: any) => l.list === 'L-SERIOUS')).toMatchObject({ entered: 2, listed: 0, exited: 1, exitReasons: { RECORD_ENDED: 1 } });
    expect(s.byList.find((l: any) => l.list === 'L-RED')).toMatchObject({ entered: 1, exited: 1, exitReasons: { OBJECTION_UPHELD: 1 } });
    expect(s.behaviourList.behaviours).toMatchObject({ total: catalog.behaviours!.length });
  });

  it('the annual report carries 行为篇 and 联合奖惩情况', async () => {
    const year = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 4);
    const json = await p.api('GET', `/v1/reports/annual?year=${year}&format=json`, { token: await p.as('admin') });
    expect(json.status, json.text).toBe(200);
    expect(json.json.joint.totals.subjects).toBe(4);
    expect(json.json.behaviourList.measures.total).toBe(catalog.measures!.length);
    const html = await p.api('GET', `/v1/reports/annual?year=${year}`, { token: await p.as('admin') });
    expect(html.text).toContain('<h2>行为篇</h2>');
    expect(html.text).toContain('政府信用联合奖惩情况');
    expect(html.text).toContain('联合奖惩核查（按事项、主体类型）');
    expect(html.text).toContain('严重失信主体名单');
  });

  let bulkCheckId = '';

  it('larger sets go through the bulk check engine with "joint": true: the same answer per subject, counted alike', async () => {
    const drc = await p.as('gov', 'SH-DRC');
    const started = await p.api('POST', '/v1/checks', {
      token: drc,
      body: { subjectType: 'LEGAL', ids: [Y.uscc, X.uscc, 'NOT-A-USCC'], purpose: 'FUNDING', ref: 'FUND-2026-BULK', joint: true },
    });
    expect(started.status, started.text).toBe(202);
    let check: any;
    for (const until = Date.now() + 120_000; ; ) {
      check = (await p.api('GET', `/v1/checks/${started.json.checkId}`, { token: drc })).json;
      if (check.status !== 'RUNNING' || Date.now() > until) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(check.status).toBe('COMPLETED');
    const lines = (await (await fetch(check.resultJsonlUrl)).text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const [y, x, bad] = lines;
    expect(y.joint.behaviours.map((b: any) => b.code)).toEqual(['B-WAGE-ARREARS']);
    expect(y.joint.lists).toEqual([{ code: 'L-SERIOUS', status: 'NOTIFIED', until: null }]);
    expect(y.joint.measures.map((m: any) => [m.code, m.binding, m.feedbackRequired])).toEqual([['M-NO-FUNDING', 'MANDATORY', true]]);
    expect(x.joint.measures.map((m: any) => m.code)).toEqual(['M-FUNDING-PRIORITY']);
    expect([bad.valid, bad.joint]).toEqual([false, undefined]);
    bulkCheckId = started.json.checkId;
    const year = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 4);
    const stats = (await p.api('GET', `/v1/joint/stats?year=${year}`, { token: await p.as('admin') })).json;
    expect(stats.byMatter.find((m: any) => m.matter === 'FUNDING')).toMatchObject({ subjects: 5, hits: 4 });
  });

  it('feedback on the measures a bulk check found: required, recorded once, due and chased like a matter check', async () => {
    const drc = await p.as('gov', 'SH-DRC');
    const stored = await p.api('GET', `/v1/joint/checks/${bulkCheckId}`, { token: drc });
    expect(stored.status, stored.text).toBe(200);
    expect(stored.json).toMatchObject({ checkId: bulkCheckId, unit: 'SH-DRC', matter: 'FUNDING', caseRef: 'FUND-2026-BULK', bulk: true, results: [] });
    const url = `/v1/joint/checks/${bulkCheckId}/feedback`;
    const fb = { subject: { type: 'LEGAL', id: Y.uscc }, measure: 'M-NO-FUNDING', applied: false };
    expect((await p.api('POST', url, { token: drc, body: fb })).json.error.code).toBe('REASON_REQUIRED');
    expect((await p.api('POST', url, { token: await p.as('gov', 'SH-EPB'), body: { ...fb, reason: 'x' } })).json.error.code).toBe('NOT_YOUR_CHECK');
    const first = await p.api('POST', url, { token: drc, body: { ...fb, applied: true } });
    expect(first.status, first.text).toBe(201);
    expect(first.json).toMatchObject({
      checkId: bulkCheckId,
      subject: { type: 'LEGAL', id: Y.uscc },
      dueAt: stored.json.feedbackDueAt,
      feedback: { applied: true, late: false },
    });
    expect((await p.api('POST', url, { token: drc, body: { ...fb, applied: true } })).status).toBe(200);
    // a redelivered part opens the same feedback again: the answer given stays
    const { openBulkFeedback } = await import('../../functions/joint/bulk.ts');
    const { resolveSubject } = await import('#adapters/subject-identity');
    const y = await resolveSubject('LEGAL', Y.uscc);
    if (!y.ok) throw new Error('Y resolves');
    const line = {
      behaviours: [],
      lists: [],
      measures: [{ code: 'M-NO-FUNDING', name: '', binding: 'MANDATORY', side: 'IMPLEMENTING', basis: '', feedbackRequired: true }],
    };
    await openBulkFeedback({ checkId: bulkCheckId, unit: 'SH-DRC', matter: 'FUNDING', at: stored.json.at, by: stored.json.by }, [
      { subject: { type: 'LEGAL', key: y.key, label: y.label }, line },
    ]);
    const { getFeedback } = await import('#adapters/joint-repo');
    expect((await getFeedback(bulkCheckId, y.key, 'M-NO-FUNDING'))?.feedback).toMatchObject({ applied: true });
    // what is not answered is listed once its due time has passed (X's recommended measure)
    const { listOverdue } = await import('../../functions/joint/feedback.ts');
    const later = new Date(Date.now() + 60 * DAY).toISOString();
    const open = (await listOverdue('SH-DRC', later)).filter((f) => f.checkId === bulkCheckId);
    expect(open.map((f) => [f.subject.label, f.measure])).toEqual([[X.uscc, 'M-FUNDING-PRIORITY']]);
    const year = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 4);
    const stats = (await p.api('GET', `/v1/joint/stats?year=${year}`, { token: await p.as('admin') })).json;
    expect(stats.byUnit.find((u: any) => u.unit === 'SH-DRC')).toMatchObject({ feedback: 2, applied: 1, notApplied: 1 });
  });
});
