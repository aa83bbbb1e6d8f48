/** The own report (core/own-report) and its printable page (rights/report-html): states, order, escaping. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { indexCatalog, type Catalog } from '#core/catalog';
import { buildOwnReport, nextFreeReportAt, type ReportRecordInput } from '#core/own-report';
import { renderReportHtml } from '../../functions/rights/report-html.ts';

const NOW = '2026-11-26T08:00:00.000Z';
const catalog = indexCatalog(JSON.parse(readFileSync(new URL('../../local/seed/demo-catalog.json', import.meta.url), 'utf8')) as Catalog);

function record(over: Partial<ReportRecordInput>): ReportRecordInput {
  return {
    recordId: 'r'.repeat(22),
    item: 'AMR-PENALTY',
    provider: 'SH-AMR',
    key: 'K-1',
    status: 'ACTIVE',
    fields: { decisionNo: 'K-1', decisionDate: '2026-10-01', penaltyCategory: ['罚款', '警告'] },
    recordClass: 'SUPERVISION',
    polarity: 'NEGATIVE',
    severity: 'GENERAL',
    disclosure: 'PUBLIC',
    receivedAt: '2026-10-02T00:00:00.000Z',
    ...over,
  };
}

const build = (records: ReportRecordInput[], extra: Partial<Parameters<typeof buildOwnReport>[0]> = {}) =>
  buildOwnReport({
    reportId: 'rep-1',
    generatedAt: NOW,
    subject: { type: 'LEGAL', id: '91310000631696382C', name: '上海申城科技有限公司' },
    catalog,
    records,
    objections: [],
    queries: [],
    quota: null,
    ...extra,
  });

describe('buildOwnReport', () => {
  it('shows served, repaired and expired records with their sources, and leaves out what was deleted', () => {
    const report = build([
      record({ recordId: 'a'.repeat(22) }),
      record({ recordId: 'b'.repeat(22), status: 'REPAIRED', repair: { certificateNo: 'C-1', issuedOn: '2026-11-01', at: NOW } }),
      record({ recordId: 'c'.repeat(22), fields: { decisionNo: 'K-3', decisionDate: '2019-01-01' } }),
      record({ recordId: 'd'.repeat(22), status: 'REVOKED' }),
      record({ recordId: 'e'.repeat(22), status: 'WITHDRAWN' }),
      record({ recordId: 'f'.repeat(22), status: 'DELETED' }),
    ]);
    expect(report.records.map((r) => [r.recordId[0], r.state])).toEqual([
      ['a', 'SERVED'],
      ['b', 'REPAIRED'],
      ['c', 'EXPIRED'],
    ]);
    expect(report.records[0]).toMatchObject({ itemName: '行政处罚信息', providerName: '上海市市场监督管理局', servableUntil: '2031-10-01' });
    expect(report.records[0]!.fields).toContainEqual({ key: 'penaltyCategory', label: expect.any(String), value: '罚款、警告' });
    expect(report.summary).toMatchObject({ records: 3, served: 1, negative: 1, repaired: 1, expired: 1 });
  });

  it('lists queries newest first and only the public parts of objections', () => {
    const report = build([], {
      queries: [
        { at: '2026-01-01T00:00:00.000Z', role: 'gov', unit: 'SH-EPB', purpose: 'PENALTY', outcome: 'ALLOWED', records: 2 },
        { at: '2026-03-01T00:00:00.000Z', role: 'market', outcome: 'REFUSED', records: 0 },
      ],
      objections: [
        {
          objectionId: 'o-1',
          recordId: 'r',
          item: 'AMR-PENALTY',
          status: 'UPHELD',
          receivedAt: NOW,
          decidedAt: NOW,
          outcome: { decision: 'UPHELD', reasons: 'ok', changes: { x: 1 } } as never,
          history: [],
        } as never,
      ],
    });
    expect(report.queries.map((q) => q.at)).toEqual(['2026-03-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z']);
    expect(report.queries[1]).toEqual({
      at: '2026-01-01T00:00:00.000Z',
      unit: 'SH-EPB',
      role: 'gov',
      purpose: 'PENALTY',
      businessRef: null,
      outcome: 'ALLOWED',
      records: 2,
    });
    expect(report.objections).toEqual([
      {
        objectionId: 'o-1',
        recordId: 'r',
        item: 'AMR-PENALTY',
        status: 'UPHELD',
        receivedAt: NOW,
        decidedAt: NOW,
        outcome: { decision: 'UPHELD', reasons: 'ok' },
      },
    ]);
  });

  it('names the next free report date: 1 January, midnight in Shanghai', () => {
    expect(nextFreeReportAt('2026')).toBe('2026-12-31T16:00:00.000Z');
  });
});

describe('renderReportHtml', () => {
  it('has the Chinese headings and escapes every value', () => {
    const evil = '<script>alert("x")</script>&';
    const html = renderReportHtml(
      build([record({ fields: { decisionNo: evil, decisionDate: '2026-10-01' } })], {
        subject: { type: 'LEGAL', id: '91310000631696382C', name: evil },
        queries: [{ at: NOW, role: 'gov', unit: '<b>U</b>', purpose: 'PENALTY', outcome: 'ALLOWED', records: 1 }],
      }),
    );
    for (const heading of ['公共信用信息报告（本人查询）', '一、信息主体', '三、信用记录', '四、异议记录', '五、查询记录']) expect(html).toContain(heading);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>U</b>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;');
    expect(html).toContain('行政处罚信息');
    expect(html).toContain('社会公开');
  });
});
