/**
 * The annual operations report (运行情况报告), after the reference platform's 数据篇 and 应用篇:
 * the catalog, records collected (by record class and year), data quality (link rates), double
 * publicity, records pushed to the national platform, queries (by purpose, month, channel, subject
 * type), application-list fulfilment, the current stock of queryable records, objections and credit repairs. All figures come from the
 * statistics counters, the export's yearly counters and the published catalog.
 */
import pMap from 'p-map';
import type { Catalog } from '#core/catalog';
import { CHANNEL_NAMES, NATIONAL_TYPE_NAMES, NATIONAL_TYPES, PURPOSE_NAMES, RECORD_CLASS_NAMES, SUBJECT_TYPE_NAMES, type Period } from '#core/stats';
import { levelFigures, levelOf, nameOf } from '#core/units';
import { currentCatalog } from '#adapters/catalog-repo';
import { readStock } from '#adapters/stock-repo';
import { unitsByCode } from '#adapters/units-repo';
import { classByYearChart, groupedBarChart, monthlyQueriesChart, rankingChart, renderSvg } from './report-charts.ts';
import { exportStatsOf, statsOf } from './stats-reader.ts';

/** Years shown in the collection trend, ending with the report's year. */
const TREND_YEARS = 3;

const yearPeriod = (year: number): Period => ({ from: `${year}-01-01`, to: `${year}-12-31` });

function catalogSummary(c: Catalog | undefined) {
  const items = c?.items ?? [];
  const count = <T extends string>(values: T[]) =>
    Object.entries(values.reduce<Record<string, number>>((m, v) => ({ ...m, [v]: (m[v] ?? 0) + 1 }), {})).map(([key, n]) => ({ key, n }));
  const applications = c?.applications ?? [];
  return {
    version: c?.version ?? null,
    providers: c?.providers.length ?? 0,
    providersByKind: count((c?.providers ?? []).map((p) => p.kind)),
    items: items.length,
    itemsBySubjectType: count(items.map((i) => i.subjectType)),
    itemsByClass: count(items.map((i) => i.recordClass)),
    applications: {
      units: new Set(applications.map((a) => a.unit)).size,
      entries: applications.reduce((n, a) => n + new Set(a.items).size, 0),
      byPurpose: count(applications.flatMap((a) => [...new Set(a.items)].map(() => a.purpose))),
    },
  };
}

export async function annualReportData(year: number) {
  const period = yearPeriod(year);
  const trendYears = Array.from({ length: TREND_YEARS }, (_, i) => year - TREND_YEARS + 1 + i);
  const [published, ingestion, quality, publicity, queries, applications, objections, exports, trend, stock] = await Promise.all([
    currentCatalog(),
    statsOf('ingestion', period),
    statsOf('quality', period),
    statsOf('publicity', period),
    statsOf('queries', period),
    statsOf('applications', period),
    statsOf('objections', period),
    exportStatsOf(period),
    pMap(trendYears, async (y) => ({ year: y, ...(await statsOf('ingestion', yearPeriod(y))) }), { concurrency: 3 }),
    readStock(),
  ]);
  // names and levels from the units register: the units the catalog, the queries and the lists name
  const units = await unitsByCode([
    ...(published?.catalog.providers ?? []).map((p) => p.code),
    ...queries.groups.unit.map((g) => g.key),
    ...applications.byUnit.map((u) => u.unit),
  ]);
  return {
    year,
    period,
    generatedAt: new Date().toISOString(),
    catalog: catalogSummary(published?.catalog),
    /** 可查询数据存量: the stock counters when the report is generated (core/stock), not a figure of the year. */
    stock,
    ingestion,
    collectionTrend: trend.flatMap((t) => t.byClass),
    quality,
    publicity,
    queries: { ...queries, byUnit: queries.groups.unit.map((g) => ({ ...g, name: nameOf(units, g.key), level: levelOf(units, g.key) })) },
    applications: { ...applications, byUnit: applications.byUnit.map((u) => ({ ...u, name: nameOf(units, u.unit), level: levelOf(units, u.unit) })) },
    /** 市级 / 区级: items, query volume and application fulfilment per unit level. */
    byLevel: levelFigures(units, { items: published?.catalog.items ?? [], queriesByUnit: queries.groups.unit, applicationsByUnit: applications.byUnit }),
    exports,
    objections,
  };
}

export type AnnualReportData = Awaited<ReturnType<typeof annualReportData>>;

const PUSH_NAMES = { records: '推送（新增及更新）', withdrawals: '撤回' } as const;
const OBJECTION_NAMES = { applications: '异议申请', completed: '已办结', annotated: '异议标注' } as const;

const MONTHS = Array.from({ length: 12 }, (_, i) => String(i + 1).padStart(2, '0'));
const classOrder = Object.keys(RECORD_CLASS_NAMES);

/** The report's charts as SVG strings; a chart without data is null. */
export async function annualReportCharts(d: AnnualReportData) {
  const svgIf = async (rows: unknown[], spec: Parameters<typeof renderSvg>[0]) => (rows.length ? renderSvg(spec) : null);
  const classRows = d.collectionTrend
    .filter((r) => r.accepted > 0)
    .map((r) => ({
      年度: `${r.year}年`,
      主体类型: SUBJECT_TYPE_NAMES[r.subjectType as 'LEGAL'] ?? r.subjectType,
      类别: RECORD_CLASS_NAMES[r.recordClass as 'REGISTRATION'] ?? r.recordClass,
      数据量: r.accepted,
      序: classOrder.indexOf(r.recordClass),
    }));
  const linkRows = d.quality.providers.map((p) => ({
    单位: `${p.name}（${SUBJECT_TYPE_NAMES[p.subjectType as 'LEGAL'] ?? p.subjectType}）`,
    value: p.linkRate,
  }));
  const monthRows = d.queries.byMonthPurpose
    .filter((r) => MONTHS.includes(r.month.slice(5, 7)))
    .map((r) => ({ 月份: `${Number(r.month.slice(5, 7))}月`, 用途: PURPOSE_NAMES[r.purpose] ?? r.purpose, 查询量: r.queries }));
  const purposeRows = d.queries.groups.purpose.map((g) => ({ 用途: PURPOSE_NAMES[g.key] ?? g.key, value: g.queries }));
  const channelRows = d.queries.groups.channel.map((g) => ({ 渠道: CHANNEL_NAMES[g.key] ?? g.key, value: g.queries }));
  const fulfilRows = d.applications.byUnit.map((u) => ({ 单位: u.name, value: u.rate }));
  const pushRows = NATIONAL_TYPES.flatMap((t) =>
    (Object.keys(PUSH_NAMES) as Array<keyof typeof PUSH_NAMES>).map((k) => ({
      类型: NATIONAL_TYPE_NAMES[t]!,
      推送: PUSH_NAMES[k],
      value: d.exports.byType[t][k],
    })),
  );
  const objectionRows = d.objections.bySubjectType.flatMap((t) =>
    (Object.keys(OBJECTION_NAMES) as Array<keyof typeof OBJECTION_NAMES>).map((k) => ({
      主体类型: SUBJECT_TYPE_NAMES[t.subjectType]!,
      事项: OBJECTION_NAMES[k],
      value: t[k],
    })),
  );
  const anyCount = (rows: Array<{ value: number }>) => (rows.some((r) => r.value > 0) ? rows : []);
  const [collection, linkRates, monthly, purposes, channels, fulfilment, exports, objections] = await Promise.all([
    svgIf(classRows, classByYearChart(classRows)),
    svgIf(linkRows, rankingChart(linkRows, '单位', '关联入库有效性', 'rate')),
    svgIf(monthRows, monthlyQueriesChart(monthRows)),
    svgIf(purposeRows, rankingChart(purposeRows, '用途', '查询量（次）', 'count')),
    svgIf(channelRows, rankingChart(channelRows, '渠道', '查询量（次）', 'count')),
    svgIf(fulfilRows, rankingChart(fulfilRows, '单位', '应用清单落实率', 'rate')),
    svgIf(anyCount(pushRows), groupedBarChart(pushRows, '类型', '推送', '条')),
    svgIf(anyCount(objectionRows), groupedBarChart(objectionRows, '主体类型', '事项', '件')),
  ]);
  return { collection, linkRates, monthly, purposes, channels, fulfilment, exports, objections };
}

export type AnnualReportCharts = Awaited<ReturnType<typeof annualReportCharts>>;
