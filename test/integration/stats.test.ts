/**
 * Operations statistics kept as data arrives, through the running local platform: ingestion
 * counters from completed batches (counted once however often a batch is completed), link rates,
 * double publicity, query counters by purpose/unit/channel/subject type, application-list
 * fulfilment, objections and repairs counted as they are filed, decided and recorded, the records
 * pushed to the national platform, and the annual report (HTML with SVG charts, and JSON).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '#core/catalog';
import { shanghaiDay } from '#core/working-days';
import { columnsFor, companies, generateRows, toCsv } from '#local/seed/generate';
import { demoUnits } from '#local/seed';
import { publishDemoCatalog, startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
let catalog: Catalog;
let admin: string;
const year = shanghaiDay(new Date()).slice(0, 4);
const known = companies(20, 9101);
const receipts: Record<string, any> = {};

async function upload(itemCode: string, count: number, seed: number, invalidRate = 0) {
  const item = catalog.items.find((i) => i.code === itemCode)!;
  const rows = generateRows(itemCode, catalog, count, seed, { subjects: known, invalidRate }).map((g) => g.values);
  const batchId = await p.upload(item.provider, itemCode, `${itemCode}.csv`, toCsv(columnsFor(item), rows));
  receipts[itemCode] = await p.receipt(batchId);
  return receipts[itemCode];
}

const stats = async (kind: string, q = `year=${year}`) => {
  const res = await p.api('GET', `/v1/stats/${kind}?${q}`, { token: admin });
  expect(res.status, res.text).toBe(200);
  return res.json;
};

beforeAll(async () => {
  p = await startTestPlatform();
  catalog = await publishDemoCatalog(p);
  admin = await p.as('admin');
  await upload('AMR-REGISTRATION', 20, 1);
  await upload('AMR-PENALTY', 30, 2, 0.1);
  await upload('TAX-ARREARS', 10, 3);
}, 120_000);

afterAll(async () => {
  await p?.stop();
});

describe('ingestion statistics', () => {
  it('adds each completed batch to its provider, item, record class and year', async () => {
    const s = await stats('ingestion');
    const sum = (k: string) => Object.values(receipts).reduce((n, r) => n + r[k], 0);
    expect(s.totals).toEqual({
      batches: 3,
      rows: sum('rows'),
      accepted: sum('accepted'),
      rejected: sum('rejected'),
      linked: sum('linked'),
      unlinked: sum('unlinked'),
    });
    expect(s.totals.rejected).toBeGreaterThan(0);
    const amr = s.byProvider.find((x: any) => x.provider === 'SH-AMR');
    expect(amr).toMatchObject({ name: '上海市市场监督管理局', batches: 2, accepted: receipts['AMR-REGISTRATION'].accepted + receipts['AMR-PENALTY'].accepted });
    expect(s.byItem.find((x: any) => x.item === 'AMR-PENALTY')).toMatchObject({
      recordClass: 'SUPERVISION',
      subjectType: 'LEGAL',
      rejected: receipts['AMR-PENALTY'].rejected,
    });
    expect(s.byClass).toContainEqual({ year, subjectType: 'LEGAL', recordClass: 'REGISTRATION', accepted: receipts['AMR-REGISTRATION'].accepted, rows: 20 });
  });

  it('counts a batch once, however often it is completed', async () => {
    const before = await stats('ingestion');
    const { completeBatch } = await import('#adapters/batch-repo');
    await completeBatch(receipts['TAX-ARREARS'].batchId);
    // even with the receipt's flag lost, the counter's own guard holds
    const { ddb } = await import('#adapters/clients');
    const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
    await ddb.send(
      new UpdateCommand({
        TableName: p.emulators.tables.batches,
        Key: { pk: `BATCH#${receipts['TAX-ARREARS'].batchId}`, sk: 'RECEIPT' },
        UpdateExpression: 'REMOVE statsCounted',
      }),
    );
    await completeBatch(receipts['TAX-ARREARS'].batchId);
    expect((await stats('ingestion')).totals).toEqual(before.totals);
  });

  it('reports link rates and the providers at 100%', async () => {
    const s = await stats('quality');
    const tax = s.providers.find((x: any) => x.provider === 'SH-TAX');
    expect(tax).toMatchObject({ subjectType: 'LEGAL', accepted: receipts['TAX-ARREARS'].accepted, linkRate: 1 });
    expect(s.fullyLinked.LEGAL.map((x: any) => x.provider)).toContain('SH-TAX');
    expect(s.linkRate).toBeCloseTo(s.linked / s.accepted);
  });

  it('reports double-publicity items and records', async () => {
    const s = await stats('publicity');
    // counted from the published catalog (the demo has 3 penalty items, one of them serious, and 1 licensing)
    const byType: Record<string, number> = {};
    for (const i of catalog.items) if (i.publicity) byType[i.publicity] = (byType[i.publicity] ?? 0) + 1;
    expect(byType).toEqual({ PENALTY: 3, LICENSING: 1 });
    expect(s.items).toEqual(byType);
    expect(s.records).toEqual({ PENALTY: receipts['AMR-PENALTY'].accepted, LICENSING: 0, total: receipts['AMR-PENALTY'].accepted });
  });

  it('is empty for a year without data, and refuses bad ranges and other roles', async () => {
    expect((await stats('ingestion', 'year=2001')).totals.accepted).toBe(0);
    expect((await p.api('GET', `/v1/stats/ingestion?year=${year}&from=${year}-01&to=${year}-02`, { token: admin })).status).toBe(400);
    expect((await p.api('GET', `/v1/stats/quality?from=${year}-01`, { token: admin })).status).toBe(400);
    expect((await p.api('GET', `/v1/stats/publicity?year=20x6`, { token: admin })).status).toBe(400);
    expect((await p.api('GET', `/v1/stats/ingestion?year=${year}`, { token: await p.as('gov', 'SH-EPB') })).status).toBe(403);
  });
});

describe('query statistics', () => {
  it('counts every query by purpose, unit, role, subject type and month as it is logged', async () => {
    const before = await stats('queries');
    const epb = await p.as('gov', 'SH-EPB');
    const uscc = known[0]!.uscc;
    expect((await p.api('GET', `/v1/subjects/legal/${uscc}?purpose=ADMIN_APPROVAL`, { token: epb })).status).toBe(200);
    expect((await p.api('GET', `/v1/subjects/legal/${uscc}?purpose=HONOURS`, { token: epb })).status).toBe(403);
    const after = await stats('queries');
    expect(after.total).toBe(before.total + 2);
    const g = (s: any, d: string, key: string) => s.byGroup[d].find((x: any) => x.key === key) ?? { queries: 0, allowed: 0, refused: 0 };
    expect(g(after, 'unit', 'SH-EPB').queries - g(before, 'unit', 'SH-EPB').queries).toBe(2);
    expect(g(after, 'purpose', 'HONOURS').refused - g(before, 'purpose', 'HONOURS').refused).toBe(1);
    expect(g(after, 'subjectType', 'LEGAL').allowed - g(before, 'subjectType', 'LEGAL').allowed).toBe(1);
    expect(after.byGroup.month.map((m: any) => m.key)).toContain(shanghaiDay(new Date()).slice(0, 7));
    const monthly = await stats('queries', `year=${year}&by=month`);
    expect(monthly.groups.reduce((n: number, m: any) => n + m.queries, 0)).toBe(after.total);
  });

  it('counts the channel and the application items served, once per log entry', async () => {
    const { appendQuery } = await import('#adapters/query-log-repo');
    const entry = {
      queryId: 'stats-test-1',
      at: new Date().toISOString(),
      role: 'gov',
      unit: 'SH-DRC',
      sub: 'gov:SH-DRC:',
      channel: 'window',
      purpose: 'BIDDING',
      subjectType: 'LEGAL' as const,
      subjectKey: known[1]!.uscc,
      subjectLabel: known[1]!.uscc,
      outcome: 'ALLOWED' as const,
      status: 200,
      records: 2,
      items: ['AMR-PENALTY', 'TAX-ARREARS'],
    };
    const before = await stats('queries');
    await appendQuery(entry);
    await appendQuery(entry); // a retry of the same entry
    const after = await stats('queries');
    const window = (s: any) => s.byGroup.channel.find((x: any) => x.key === 'window')?.queries ?? 0;
    expect(window(after) - window(before)).toBe(1);
    const apps = await stats('applications');
    const drc = apps.byUnit.find((u: any) => u.unit === 'SH-DRC');
    // SH-DRC declared 6 + 5 + 3 distinct (purpose, item) entries; BIDDING used 2 of its 3
    expect(drc).toMatchObject({ declared: 14, fulfilled: 2 });
    expect(apps.declared).toBe((catalog.applications ?? []).reduce((n, a) => n + new Set(a.items).size, 0));
    expect(apps.rate).toBeCloseTo(apps.fulfilled / apps.declared);
  });
});

describe('query statistics from the query path', () => {
  it('counts the token channel and the application items a real query served', async () => {
    const before = await stats('applications');
    const token = await p.token({ role: 'gov', unit: 'SH-EPB', channel: 'console' });
    const consoleQueries = (s: any) => s.byGroup.channel.find((g: any) => g.key === 'console')?.queries ?? 0;
    const q0 = await stats('queries');
    // a purpose no other test here uses, over subjects that hold AMR-PENALTY records
    for (const c of known.slice(0, 5)) expect((await p.api('GET', `/v1/subjects/legal/${c.uscc}?purpose=PENALTY`, { token })).status).toBe(200);
    expect(consoleQueries(await stats('queries')) - consoleQueries(q0)).toBe(5);
    const fulfilled = (s: any) => s.byUnit.find((u: any) => u.unit === 'SH-EPB')?.fulfilled ?? 0;
    expect(fulfilled(await stats('applications'))).toBeGreaterThan(fulfilled(before));
  });
});

describe('fulfilment per application matter (应用事项落实率)', () => {
  it('counts a matter its own unit queried under, per matter, unit and level; a refused query counts for none', async () => {
    const matter = (s: any, code: string) => s.matters.matters.find((m: any) => m.code === code);
    const housing = await p.token({ role: 'gov', unit: 'SH-HOUSING' });
    const before = await stats('applications');
    expect(matter(before, 'HOUSING-SITE-INSPECTION')).toMatchObject({ unit: 'SH-HOUSING', fulfilled: false, by: null });
    // another unit's matter, and the unit's own matter under another purpose: refused, and logged as refused
    const q = (params: string) => p.api('GET', `/v1/subjects/legal/${known[3]!.uscc}?${params}`, { token: housing });
    const foreign = await q('purpose=INSPECTION&matter=EPB-DISCHARGE-PERMIT');
    expect([foreign.status, foreign.json.error.code]).toEqual([400, 'UNKNOWN_MATTER']);
    const mismatch = await q('purpose=RESIDENCE&matter=HOUSING-SITE-INSPECTION');
    expect([mismatch.status, mismatch.json.error.code]).toEqual([400, 'MATTER_MISMATCH']);
    expect(matter(await stats('applications'), 'HOUSING-SITE-INSPECTION').fulfilled).toBe(false);

    expect((await q('purpose=INSPECTION&matter=HOUSING-SITE-INSPECTION')).status).toBe(200);
    const after = await stats('applications');
    expect(matter(after, 'HOUSING-SITE-INSPECTION')).toMatchObject({ fulfilled: true, by: 'MATTER', purpose: 'INSPECTION', subjectType: 'LEGAL' });
    // the unit's other matter (about natural persons, for housing) is not fulfilled by it
    expect(matter(after, 'HOUSING-PUBLIC-RENTAL')).toMatchObject({ fulfilled: false, by: null });
    expect(after.matters.byUnit.find((u: any) => u.unit === 'SH-HOUSING')).toMatchObject({ declared: 2, fulfilled: 1, rate: 0.5 });
    expect(after.matters.fulfilled).toBe(before.matters.fulfilled + 1);
    expect(after.matters.declared).toBe(catalog.matters!.length);
    expect(after.matters.fulfilled).toBe(after.matters.matters.filter((m: any) => m.fulfilled).length);
    for (const k of ['declared', 'fulfilled'] as const) {
      expect(after.matters.byLevel.reduce((n: number, l: any) => n + l[k], 0)).toBe(after.matters[k]);
      expect(after.matters.byUnit.reduce((n: number, u: any) => n + u[k], 0)).toBe(after.matters[k]);
    }
    // the annual report gives the same figures, and its 应用清单落实 section draws them
    const report = await p.api('GET', `/v1/reports/annual?year=${year}&format=json`, { token: admin });
    expect(report.json.applications.matters).toEqual(after.matters);
    const html = await (await fetch(`${p.url}/v1/reports/annual?year=${year}`, { headers: { authorization: `Bearer ${admin}` } })).text();
    expect(html).toContain(`针对应用清单 ${after.matters.declared} 项应用事项，实际应用事项共 ${after.matters.fulfilled} 项`);
    expect(html).toContain('各单位应用事项落实情况排名前十名');
  });
});

describe('query statistics rollup', () => {
  it('moves logged queries into the counters exactly once, even when a run stops half-way', async () => {
    process.env.STATS_LAG_SECONDS = '0';
    const { rollUpQueries } = await import('../../functions/stats/stats-rollup.ts');
    const { rollupEntries } = await import('#adapters/query-log-repo');
    const { claimWindow, countQueries, rollupCursor } = await import('#adapters/stats-repo');
    await rollUpQueries();
    const settled = await stats('queries');
    expect((await rollUpQueries()).entries).toBe(0);
    expect(await stats('queries')).toEqual(settled);

    const drc = await p.as('gov', 'SH-DRC');
    for (let i = 0; i < 3; i++) await p.api('GET', `/v1/subjects/legal/${known[i]!.uscc}?purpose=BIDDING`, { token: drc });
    const live = await stats('queries');
    expect(live.total).toBe(settled.total + 3); // counted from the log's tail before any rollup

    // a run that counted its window and stopped before moving the cursor
    const cursor = await rollupCursor(new Date());
    const upTo = new Date(Date.now() + 1).toISOString();
    expect(await claimWindow(cursor, upTo)).toBe(true);
    await countQueries(await rollupEntries(cursor.done, upTo), `rollup:${upTo}`);
    const redone = await rollUpQueries(new Date(Date.now() + 5));
    expect(redone.window).toEqual([cursor.done, upTo]);
    expect((await stats('queries')).total).toBe(live.total);
    expect((await rollUpQueries(new Date(Date.now() + 10))).entries).toBe(0);
    expect((await stats('queries')).total).toBe(live.total);
  });
});

describe('objection and repair statistics', () => {
  const admin$ = () => p.as('admin');
  const recordsOf = async (uscc: string) =>
    (await p.api('GET', `/v1/subjects/legal/${uscc}`, { token: await admin$() })).json.records as Array<{ recordId: string; item: string }>;
  const find = async (item: string) => {
    for (const c of known) {
      const r = (await recordsOf(c.uscc)).find((x) => x.item === item);
      if (r) return { uscc: c.uscc, recordId: r.recordId };
    }
    throw new Error(`no ${item} record`);
  };

  it('counts an objection when it is filed and when it is decided, once each', async () => {
    const before = await stats('objections');
    const { uscc, recordId } = await find('AMR-PENALTY');
    const subject = await p.token({ role: 'subject', subject: { type: 'LEGAL', id: uscc } });
    const filed = await p.api('POST', '/v1/objections', { token: subject, body: { recordId, reason: '金额有误' } });
    expect(filed.status, filed.text).toBe(201);
    const open = await stats('objections');
    expect(open.total.applications - before.total.applications).toBe(1);
    expect(open.total.annotated - before.total.annotated).toBe(1);
    expect(open.total.completed).toBe(before.total.completed);
    const legal = (s: any) => s.bySubjectType.find((t: any) => t.subjectType === 'LEGAL');
    expect(legal(open).applications - legal(before).applications).toBe(1);

    const id = filed.json.objectionId;
    expect((await p.api('POST', `/v1/objections/${id}/remit`, { token: admin, body: { remit: 'PLATFORM' } })).status).toBe(200);
    expect((await p.api('POST', `/v1/objections/${id}/decision`, { token: admin, body: { outcome: 'UPHELD', reasons: '记录无误' } })).status).toBe(200);
    const decided = await stats('objections');
    expect(decided.total.completed - before.total.completed).toBe(1);
    const thisYear = (s: any) => s.years.find((y: any) => y.year === year) ?? { byOutcome: { UPHELD: 0 } };
    expect(thisYear(decided).byOutcome.UPHELD - thisYear(before).byOutcome.UPHELD).toBe(1);

    // a redelivered count adds nothing
    const { getObjection } = await import('#adapters/objection-repo');
    const { countObjection } = await import('#adapters/stats-repo');
    const { loadCalendar } = await import('#adapters/calendar-repo');
    await countObjection((await getObjection(id))!, new Date().toISOString(), await loadCalendar());
    expect((await stats('objections')).total).toEqual(decided.total);
    expect((await p.api('GET', `/v1/stats/objections?from=${year}&to=${year}`, { token: admin })).json.years).toEqual(decided.years);
  });

  it('counts repairs and revocations by provider when they are recorded', async () => {
    const before = await stats('objections');
    const arrears = await find('TAX-ARREARS');
    const repaired = await p.api('POST', `/v1/records/${arrears.recordId}/repair`, {
      token: await p.as('provider', 'SH-TAX'),
      body: { subject: { type: 'LEGAL', id: arrears.uscc }, certificateNo: '沪税修〔2026〕1号', issuedOn: shanghaiDay(new Date()) },
    });
    expect(repaired.status, repaired.text).toBe(200);
    const penalty = await find('AMR-PENALTY');
    const revoked = await p.api('POST', `/v1/records/${penalty.recordId}/revocation`, {
      token: await p.as('provider', 'SH-AMR'),
      body: { subject: { type: 'LEGAL', id: penalty.uscc }, reason: '行政复议撤销' },
    });
    expect(revoked.status, revoked.text).toBe(200);
    const after = await stats('objections');
    expect([after.repairs.repaired - before.repairs.repaired, after.repairs.revoked - before.repairs.revoked]).toEqual([1, 1]);
    expect(after.repairs.byProvider.find((x: any) => x.provider === 'SH-TAX')).toMatchObject({ name: '国家税务总局上海市税务局', repaired: 1 });
    expect(
      after.repairs.bySubjectType.find((x: any) => x.subjectType === 'LEGAL').revoked -
        before.repairs.bySubjectType.find((x: any) => x.subjectType === 'LEGAL').revoked,
    ).toBe(1);
    expect((await p.api('GET', `/v1/stats/objections?from=${year}-13`, { token: admin })).status).toBe(400);
  });
});

describe('national export statistics', () => {
  it('reads what the national platform accepted from the export counters', async () => {
    const before = await stats('exports');
    const { addStats } = await import('#adapters/export-repo');
    await addStats(year, 'PENALTY', { records: 3, withdrawals: 1 });
    await addStats(year, 'LICENSING', { records: 2, rejections: 4 });
    const after = await stats('exports');
    expect(after.total - before.total).toBe(5);
    expect(after.byType.PENALTY.records - before.byType.PENALTY.records).toBe(3);
    expect(after.years.map((y: any) => y.year)).toEqual([year]);
    expect((await stats('exports', `from=${Number(year) - 1}&to=${year}`)).years.map((y: any) => y.year)).toEqual([String(Number(year) - 1), year]);
    expect((await p.api('GET', `/v1/stats/exports?year=${year}`, { token: await p.as('provider', 'SH-AMR') })).status).toBe(403);
  });
});

describe('annual report', () => {
  it('is a self-contained HTML page with Chinese headings and SVG charts', async () => {
    const res = await fetch(`${p.url}/v1/reports/annual?year=${year}`, { headers: { authorization: `Bearer ${admin}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    for (const heading of [
      '运行情况报告',
      '数据篇',
      '归集数据量统计情况',
      '数据提供质量情况',
      '双公示',
      '数据推送情况',
      '应用篇',
      '每月查询量',
      '应用清单落实情况',
      '异议处理情况',
      '信用修复情况',
    ]) {
      expect(html).toContain(heading);
    }
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(7);
    expect(html).not.toMatch(/<script|<link|src="http/);
    expect(html).toContain('上海市市场监督管理局');
  });

  it('names units from the units register and splits municipal from district figures', async () => {
    const units = demoUnits();
    for (const { code, ...unit } of units) expect((await p.api('PUT', `/v1/units/${code}`, { token: admin, body: unit })).status).toBe(200);
    const res = await p.api('GET', `/v1/reports/annual?year=${year}&format=json`, { token: admin });
    expect(res.status).toBe(200);
    const d = res.json;
    expect(d.applications.byUnit.find((u: any) => u.unit === 'SH-DRC')).toMatchObject({ name: '上海市发展和改革委员会', level: 'MUNICIPAL' });
    expect(d.queries.byUnit.find((u: any) => u.key === 'SH-EPB')).toMatchObject({ name: '上海市生态环境局', level: 'MUNICIPAL' });
    const level = new Map(units.map((u) => [u.code, u.level]));
    const byLevel = Object.fromEntries((d.byLevel as any[]).map((l) => [l.level, l]));
    expect(Object.keys(byLevel)).toEqual(['MUNICIPAL', 'DISTRICT', 'CENTRAL', 'OTHER']);
    for (const l of ['MUNICIPAL', 'DISTRICT', 'CENTRAL', 'OTHER']) {
      expect([l, byLevel[l].items]).toEqual([l, catalog.items.filter((i) => (level.get(i.provider) ?? 'OTHER') === l).length]);
    }
    expect(byLevel.CENTRAL.items).toBe(catalog.items.filter((i) => i.provider === 'SH-TAX').length);
    expect((d.byLevel as any[]).reduce((n, l) => n + l.queries, 0)).toBe(d.queries.total);
    expect((d.byLevel as any[]).reduce((n, l) => n + l.declared, 0)).toBe(d.applications.declared);
    // the demo application lists are municipal units' but one: the tax office (central) declares its own
    // initiating joint measures' matter (INSPECTION)
    expect(byLevel.CENTRAL.declared).toBeGreaterThan(0);
    expect(byLevel.DISTRICT.declared).toBe(0);
    expect(byLevel.MUNICIPAL.declared).toBe(d.applications.declared - byLevel.CENTRAL.declared);
    const html = await (await fetch(`${p.url}/v1/reports/annual?year=${year}`, { headers: { authorization: `Bearer ${admin}` } })).text();
    expect(html).toContain('市级、区级对比');
    expect(html).toContain('上海市发展和改革委员会');
  });

  it('gives the same figures as JSON, and refuses bad input', async () => {
    const res = await p.api('GET', `/v1/reports/annual?year=${year}&format=json`, { token: admin });
    expect(res.status).toBe(200);
    expect(res.json.ingestion.totals).toEqual((await stats('ingestion')).totals);
    // 可查询数据存量: the stock counters as GET /v1/stats/stock reads them (every accepted upload above is ACTIVE)
    const stock = (await p.api('GET', '/v1/stats/stock', { token: admin })).json;
    expect(stock.total).toBeGreaterThan(0);
    expect(res.json.stock).toEqual({ total: stock.total, bySubjectType: stock.bySubjectType, rows: stock.rows });
    expect((await p.api('GET', '/v1/stats/stock', { token: await p.as('provider', 'SH-AMR') })).status).toBe(403);
    expect(res.json.catalog).toMatchObject({ version: catalog.version, providers: catalog.providers.length, items: catalog.items.length });
    expect(res.json.charts).toBeUndefined();
    const withCharts = await p.api('GET', `/v1/reports/annual?year=${year}&format=json&charts=svg`, { token: admin });
    expect(withCharts.json.charts.collection).toMatch(/^<svg/);
    expect(withCharts.json.charts.exports).toMatch(/^<svg/);
    expect(withCharts.json.charts.objections).toMatch(/^<svg/);
    // each chart's data for the console's table under it: rows wherever there is a chart, none without JSON charts
    expect(res.json.chartData).toBeUndefined();
    expect(Object.keys(withCharts.json.chartData).sort()).toEqual(Object.keys(withCharts.json.charts).sort());
    for (const [name, svg] of Object.entries(withCharts.json.charts)) expect(withCharts.json.chartData[name].length > 0, name).toBe(svg !== null);
    expect(withCharts.json.chartData.exports[0]).toEqual({ 类型: expect.any(String), 推送: expect.any(String), value: expect.any(Number) });
    expect(res.json.objections.total).toEqual((await stats('objections')).total);
    expect(res.json.objections.repairs.repaired).toBeGreaterThan(0);
    expect(res.json.exports.byType).toEqual((await stats('exports')).byType);
    expect((await p.api('GET', '/v1/reports/annual?year=26', { token: admin })).status).toBe(400);
    expect((await p.api('GET', `/v1/reports/annual?year=${year}&format=pdf`, { token: admin })).status).toBe(400);
    expect((await p.api('GET', `/v1/reports/annual?year=${year}`, { token: await p.as('provider', 'SH-AMR') })).status).toBe(403);
  });
});
