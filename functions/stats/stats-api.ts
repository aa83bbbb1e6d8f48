/**
 * Operations statistics for admins, read from the counters the pipeline and the query path keep
 * (core/stats, adapters/stats-repo); no request scans records or the query log.
 *   GET /v1/stats/{ingestion|quality|publicity|queries|applications|objections|exports}?year=YYYY | from=&to=
 *   GET /v1/stats/stock — the current stock of queryable records (no period)
 * GET /v1/stats/applications also answers fulfilment per application matter (`matters`: per matter, unit, level).
 * `from`/`to` are YYYY, YYYY-MM or YYYY-MM-DD; ingestion and objection counters are monthly and
 * export counters yearly, so a shorter range covers the months (years) it touches.
 * GET /v1/stats/queries also answers `by=purpose|unit|role|channel|subjectType|month` with `groups`.
 */
import { shanghaiDay } from '#core/working-days';
import { periodOf, type Period, type StatsKind } from '#core/stats';
import { httpHandler, json, requireRole, validate, type HttpRequest } from '#adapters/http';
import { readStock } from '#adapters/stock-repo';
import { applicationStatsOf, exportStatsOf, statsOf } from './stats-reader.ts';
import { PeriodQuery, QueryStatsQuery } from './schemas.ts';
import type { Reply } from '../api-routes.ts';

const today = () => shanghaiDay(new Date());

/** The range as the caller gave it, echoed back with the computed days. */
const echo = (q: { year?: string; from?: string; to?: string }, period: Period) => ({
  year: q.year ?? null,
  from: q.from ?? period.from,
  to: q.to ?? period.to,
  period,
});

/** The figures of one kind over the period the query names (admin); the route's table entry types them. */
async function periodStats<K extends Exclude<StatsKind, 'queries' | 'applications'>>(req: HttpRequest, kind: K) {
  requireRole(req, 'admin');
  const q = validate(PeriodQuery, req.query, 'query');
  const period = periodOf(q, today());
  return { kind, ...echo(q, period), ...(await statsOf(kind, period)) };
}

/** 应用清单落实 and 应用事项落实率 (per matter, unit and level; core/stats/matters). */
async function applicationStats(req: HttpRequest): Promise<Reply<'GET /v1/stats/applications'>> {
  requireRole(req, 'admin');
  const q = validate(PeriodQuery, req.query, 'query');
  const period = periodOf(q, today());
  return json(200, { kind: 'applications', ...echo(q, period), ...(await applicationStatsOf(period)) });
}

/** 数据推送情况: what the national platform accepted, from the export's own yearly counters. */
async function exportStats(req: HttpRequest): Promise<Reply<'GET /v1/stats/exports'>> {
  requireRole(req, 'admin');
  const q = validate(PeriodQuery, req.query, 'query');
  const period = periodOf(q, today());
  return json(200, { kind: 'exports', ...echo(q, period), ...(await exportStatsOf(period)) });
}

/** 可查询数据存量: the stock counters (core/stock) — what is queryable now, not a period's figure. */
async function stockStats(req: HttpRequest): Promise<Reply<'GET /v1/stats/stock'>> {
  requireRole(req, 'admin');
  return json(200, { kind: 'stock', at: new Date().toISOString(), ...(await readStock()) });
}

async function queryStats(req: HttpRequest): Promise<Reply<'GET /v1/stats/queries'>> {
  requireRole(req, 'admin');
  const q = validate(QueryStatsQuery, req.query, 'query');
  const period = periodOf(q, today());
  const s = await statsOf('queries', period);
  return json(200, {
    kind: 'queries',
    ...echo(q, period),
    by: q.by,
    total: s.total,
    groups: s.groups[q.by],
    byGroup: s.groups,
    byMonthPurpose: s.byMonthPurpose,
    crossTabs: s.crossTabs,
  });
}

export const handler = httpHandler({
  'GET /v1/stats/ingestion': async (req) => json(200, await periodStats(req, 'ingestion')),
  'GET /v1/stats/quality': async (req) => json(200, await periodStats(req, 'quality')),
  'GET /v1/stats/publicity': async (req) => json(200, await periodStats(req, 'publicity')),
  'GET /v1/stats/applications': applicationStats,
  'GET /v1/stats/queries': queryStats,
  'GET /v1/stats/objections': async (req) => json(200, await periodStats(req, 'objections')),
  'GET /v1/stats/exports': exportStats,
  'GET /v1/stats/stock': stockStats,
});
