/**
 * The annual operations report (运行情况报告), after the reference platform's 数据篇 and 应用篇:
 * the catalog, records collected (by record class and year), data quality (link rates), double
 * publicity, records pushed to the national platform, queries (by purpose, month, channel, subject
 * type), application-list fulfilment, the current stock of queryable records, objections and credit
 * repairs; after its 行为篇, the behaviour list and measures table as published, and 联合奖惩情况 (matter
 * checks, feedback, credit lists). All figures come from the statistics counters, the export's yearly
 * counters and the published catalog.
 */
import pMap from 'p-map';
import type { Catalog } from '#core/catalog';
import { countBy, tallyTotal, type ItemTally } from '#core/catalog-tally';
import { CHANNEL_NAMES, NATIONAL_TYPE_NAMES, NATIONAL_TYPES, PURPOSE_NAMES, RECORD_CLASS_NAMES, SUBJECT_TYPE_NAMES, type Period } from '#core/stats';
import { levelFigures, levelOf, nameOf, UNIT_LEVEL_NAMES } from '#core/units';
import { catalogTally, currentCatalog } from '#adapters/catalog-repo';
import { readStock } from '#adapters/stock-repo';
import { unitsByCode } from '#adapters/units-repo';
import { classByYearChart, groupedBarChart, monthlyQueriesChart, rankingChart, renderSvg } from './report-charts.ts';
import { exportStatsOf, mattersWithUnits, statsOf } from './stats-reader.ts';
import { behaviourListOf, jointStatsOf } from '../joint/index.ts';

/** Years shown in the collection trend, ending with the report's year. */
const TREND_YEARS = 3;

const yearPeriod = (year: number): Period => ({ from: `${year}-01-01`, to: `${year}-12-31` });

/** The catalog's figures: its small sections as published, its items from the tally kept at publish time (core/catalog-tally). */
function catalogSummary(c: Catalog | undefined, tally: ItemTally) {
  const count = <T extends string>(values: T[]) =>
    Object.entries(values.reduce<Record<string, number>>((m, v) => ({ ...m, [v]: (m[v] ?? 0) + 1 }), {})).map(([key, n]) => ({ key, n }));
  const applications = c?.applications ?? [];
  return {
    version: c?.version ?? null,
    providers: c?.providers.length ?? 0,
    providersByKind: count((c?.providers ?? []).map((p) => p.kind)),
    items: tallyTotal(tally),
    itemsBySubjectType: countBy(tally, (g) => g.subjectType),
    itemsByClass: countBy(tally, (g) => g.recordClass),
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
  const [published, tally, ingestion, quality, publicity, queries, applications, objections, exports, trend, joint, behaviourList, stock] = await Promise.all([
    // the small sections only: the items are counted in the tally, never read whole
    currentCatalog({ items: [] }),
    catalogTally(),
    statsOf('ingestion', period),
    statsOf('quality', period),
    statsOf('publicity', period),
    statsOf('queries', period),
    statsOf('applications', period),
    statsOf('objections', period),
    exportStatsOf(period),
    pMap(trendYears, async (y) => ({ year: y, ...(await statsOf('ingestion', yearPeriod(y))) }), { concurrency: 3 }),
    jointStatsOf(period),
    behaviourListOf(),
    readStock(),
  ]);
  // names and levels from the units register: the units the catalog, the queries and the lists name
  const units = await unitsByCode([
    ...(published?.catalog.providers ?? []).map((p) => p.code),
    ...queries.groups.unit.map((g) => g.key),
    ...applications.byUnit.map((u) => u.unit),
    ...applications.matters.byUnit.map((u) => u.unit),
    ...joint.byUnit.map((u) => u.unit),
  ]);
  return {
    year,
    period,
    generatedAt: new Date().toISOString(),
    catalog: catalogSummary(published?.catalog, tally),
    /** 可查询数据存量: the stock counters when the report is generated (core/stock), not a figure of the year. */
    stock,
    ingestion,
    collectionTrend: trend.flatMap((t) => t.byClass),
    quality,
    publicity,
    queries: { ...queries, byUnit: queries.groups.unit.map((g) => ({ ...g, name: nameOf(units, g.key), level: levelOf(units, g.key) })) },
    applications: {
      ...applications,
      byUnit: applications.byUnit.map((u) => ({ ...u, name: nameOf(units, u.unit), level: levelOf(units, u.unit) })),
      /** 应用事项落实率: per matter, unit and level (core/stats/matters). */
      matters: mattersWithUnits(applications.matters, units),
    },
    /** 市级 / 区级: items, query volume and application fulfilment per unit level. */
    byLevel: levelFigures(units, {
      items: countBy(tally, (g) => g.provider).map((p) => ({ provider: p.key, n: p.n })),
      queriesByUnit: queries.groups.unit,
      applicationsByUnit: applications.byUnit,
    }),
    exports,
    objections,
    /** 行为篇: the behaviour list, measures table and credit lists as published. */
    behaviourList,
    /** 联合奖惩情况: matter checks, feedback and credit lists in the year. */
    joint: { ...joint, byUnit: joint.byUnit.map((u) => ({ ...u, name: nameOf(units, u.unit), level: levelOf(units, u.unit) })) },
  };
}

export type AnnualReportData = Awaited<ReturnType<typeof annualReportData>>;

/** 联合奖惩 labels of the report (the catalog's codes in Chinese). */
export const JOINT_NAMES: Record<string, string> = {
  NATIONAL: '国家级',
  MUNICIPAL: '市级',
  PUNISHMENT: '联合惩戒',
  INCENTIVE: '联合激励',
  SERIOUS: '严重',
  GENERAL: '一般',
  GOOD: '良好',
  INITIATING: '发起部门',
  IMPLEMENTING: '实施部门',
  MANDATORY: '强制性',
  RECOMMENDED: '推荐性',
  SERIOUS_DISHONESTY: '严重失信主体名单',
  RED: '红名单',
  EXPIRED: '期满移出',
  RECORD_ENDED: '信息修复、撤销或期满',
  OBJECTION_UPHELD: '异议成立',
};

const PUSH_NAMES = { records: '推送（新增及更新）', withdrawals: '撤回' } as const;
const OBJECTION_NAMES = { applications: '异议申请', completed: '已办结', annotated: '异议标注' } as const;

const MONTHS = Array.from({ length: 12 }, (_, i) => String(i + 1).padStart(2, '0'));
const classOrder = Object.keys(RECORD_CLASS_NAMES);

/** Each chart's data as rows with Chinese column names: the charts draw them, the console shows them as the chart's data table. */
export function annualReportChartRows(d: AnnualReportData) {
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
  const behaviourRows = d.behaviourList.behaviours.byTierKind.flatMap((t) =>
    Object.entries(t.by).map(([kind, n]) => ({ 层级: JOINT_NAMES[t.key] ?? t.key, 类别: JOINT_NAMES[kind] ?? kind, value: n })),
  );
  const measureRows = d.behaviourList.measures.bySideLevel.flatMap((s) =>
    Object.entries(s.by).map(([level, n]) => ({ 部门: JOINT_NAMES[s.key] ?? s.key, 层级: UNIT_LEVEL_NAMES[level as 'MUNICIPAL'] ?? level, value: n })),
  );
  const matterRows = d.joint.byMatter
    .filter((m) => m.subjects > 0)
    .flatMap((m) =>
      (['LEGAL', 'NATURAL'] as const).map((t) => ({ 事项: PURPOSE_NAMES[m.matter] ?? m.matter, 主体类型: SUBJECT_TYPE_NAMES[t]!, value: m.bySubjectType[t] })),
    );
  const feedbackRows = d.joint.byUnit
    .filter((u) => u.feedback + u.overdueOpen > 0)
    .flatMap((u) => [
      { 单位: u.name, 反馈: '已采取', value: u.applied },
      { 单位: u.name, 反馈: '未采取', value: u.notApplied },
      { 单位: u.name, 反馈: '逾期未反馈', value: u.overdueOpen },
    ]);
  const anyCount = (rows: Array<{ value: number }>) => (rows.some((r) => r.value > 0) ? rows : []);
  return {
    collection: classRows,
    linkRates: linkRows,
    monthly: monthRows,
    purposes: purposeRows,
    channels: channelRows,
    fulfilment: fulfilRows,
    exports: anyCount(pushRows),
    objections: anyCount(objectionRows),
    behaviours: anyCount(behaviourRows),
    measures: anyCount(measureRows),
    jointMatters: anyCount(matterRows),
    jointFeedback: anyCount(feedbackRows),
  };
}

/** The report's charts as SVG strings; a chart without data is null. */
export async function annualReportCharts(d: AnnualReportData) {
  const svgIf = async (rows: unknown[], spec: Parameters<typeof renderSvg>[0]) => (rows.length ? renderSvg(spec) : null);
  const rows = annualReportChartRows(d);
  const [collection, linkRates, monthly, purposes, channels, fulfilment, exports, objections, behaviours, measures, jointMatters, jointFeedback] =
    await Promise.all([
      svgIf(rows.collection, classByYearChart(rows.collection)),
      svgIf(rows.linkRates, rankingChart(rows.linkRates, '单位', '关联入库有效性', 'rate')),
      svgIf(rows.monthly, monthlyQueriesChart(rows.monthly)),
      svgIf(rows.purposes, rankingChart(rows.purposes, '用途', '查询量（次）', 'count')),
      svgIf(rows.channels, rankingChart(rows.channels, '渠道', '查询量（次）', 'count')),
      svgIf(rows.fulfilment, rankingChart(rows.fulfilment, '单位', '应用清单落实率', 'rate')),
      svgIf(rows.exports, groupedBarChart(rows.exports, '类型', '推送', '条')),
      svgIf(rows.objections, groupedBarChart(rows.objections, '主体类型', '事项', '件')),
      svgIf(rows.behaviours, groupedBarChart(rows.behaviours, '层级', '类别', '项')),
      svgIf(rows.measures, groupedBarChart(rows.measures, '部门', '层级', '项')),
      svgIf(rows.jointMatters, groupedBarChart(rows.jointMatters, '事项', '主体类型', '次')),
      svgIf(rows.jointFeedback, groupedBarChart(rows.jointFeedback, '单位', '反馈', '项')),
    ]);
  return { collection, linkRates, monthly, purposes, channels, fulfilment, exports, objections, behaviours, measures, jointMatters, jointFeedback };
}

export type AnnualReportCharts = Awaited<ReturnType<typeof annualReportCharts>>;
