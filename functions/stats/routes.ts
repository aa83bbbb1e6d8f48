/**
 * The stats routes as the API documents them: functions/query/openapi-registry.ts assembles every context's
 * table into ROUTES (one entry per route of the manifest, keys as API Gateway route keys).
 */
import type { RouteDoc } from '../route-doc.ts';
import { AnnualReportQuery, PeriodQuery, QueryStatsQuery } from './schemas.ts';

export const STATS_ROUTES = {
  'GET /v1/stats/queries': {
    summary: 'Query statistics: by purpose, unit, role, channel, subject type and month',
    roles: ['admin'],
    status: 200,
    returns: 'Query counts, grouped as asked in `groups` and by every dimension in `byGroup`',
    query: QueryStatsQuery,
    response: 'QueryStats',
  },
  'GET /v1/stats/ingestion': {
    summary: 'Records collected: by provider, item, record class × subject type, year',
    roles: ['admin'],
    status: 200,
    returns: 'Ingestion counts of the batches completed in the period',
    query: PeriodQuery,
    response: 'IngestionStats',
  },
  'GET /v1/stats/quality': {
    summary: "Data quality: each provider's link rate (关联入库有效性 = linked ÷ accepted) and the providers at 100%",
    roles: ['admin'],
    status: 200,
    returns: 'Link rates per provider and subject type',
    query: PeriodQuery,
    response: 'QualityStats',
  },
  'GET /v1/stats/publicity': {
    summary: 'Double publicity (双公示): items in the catalog and records collected',
    roles: ['admin'],
    status: 200,
    returns: 'Items, providers and records by type',
    query: PeriodQuery,
    response: 'PublicityStats',
  },
  'GET /v1/stats/applications': {
    summary: 'Application-list fulfilment (应用清单落实): declared items actually served by a query; 应用事项落实率 per matter, unit and level',
    roles: ['admin'],
    status: 200,
    returns: 'Declared, fulfilled and the rate, per unit; matters: per matter, unit and level',
    query: PeriodQuery,
    response: 'ApplicationStats',
  },
  'GET /v1/reports/annual': {
    summary: 'The annual operations report (运行情况报告) with charts',
    roles: ['admin'],
    status: 200,
    returns: 'A self-contained HTML page, or its figures as JSON with format=json',
    contentType: 'text/html',
    query: AnnualReportQuery,
    response: 'AnnualReport',
  },
  'GET /v1/stats/objections': {
    summary: 'Objections (异议) and credit repairs (信用修复): applications, completed, annotated per year and subject type; repairs and revocations',
    roles: ['admin'],
    status: 200,
    returns: 'Counts per calendar year of receipt (`years`), `total`, `bySubjectType`, and `repairs` by subject type and provider',
    query: PeriodQuery,
    response: 'ObjectionStats',
  },
  'GET /v1/stats/exports': {
    summary: 'Records pushed to the national platform (数据推送情况), by type (PENALTY, LICENSING)',
    roles: ['admin'],
    status: 200,
    returns: 'Per year and summed: records (first published), updates, withdrawals, rejections',
    query: PeriodQuery,
    response: 'ExportPushStats',
  },
  'GET /v1/stats/stock': {
    summary:
      'The current stock of queryable records (可查询数据存量) per subject type and record class, kept as records are written, expire, are withdrawn or repaired',
    roles: ['admin'],
    status: 200,
    returns: '`total`, `bySubjectType.{LEGAL,NATURAL}`, `rows[]` of `{subjectType, recordClass, records}`',
    response: 'StockStats',
  },
} as const satisfies Record<string, RouteDoc>;
