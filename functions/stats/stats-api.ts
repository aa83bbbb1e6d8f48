/**
 * Operations statistics for admins, read from the counters the pipeline and the query path keep
 * (core/stats, adapters/stats-repo); no request scans records or the query log.
 *   GET /v1/stats/{ingestion|quality|publicity|queries|applications|objections|exports}?year=YYYY | from=&to=
 * `from`/`to` are YYYY, YYYY-MM or YYYY-MM-DD; ingestion and objection counters are monthly and
 * export counters yearly, so a shorter range covers the months (years) it touches.
 * GET /v1/stats/queries also answers `by=purpose|unit|role|channel|subjectType|month` with `groups`.
 */
import { z } from 'zod';
import { shanghaiDay } from '#core/working-days';
import { periodOf, QUERY_DIMENSIONS, type Period, type StatsKind } from '#core/stats';
import { httpHandler, json, requireRole, validate, type HttpRequest, type Route } from '#adapters/http';
import { exportStatsOf, statsOf } from './stats-reader.ts';

const YEAR_MONTH_OR_DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;
const MAX_MONTHS = 36;

/** Months since year 0; a bare year starts in January (`from`) or ends in December (`to`). */
const monthIndex = (v: string, yearEnd: boolean) => Number(v.slice(0, 4)) * 12 + (v.length === 4 ? (yearEnd ? 12 : 1) : Number(v.slice(5, 7)));

const PeriodFields = {
  year: z.string().regex(/^\d{4}$/, 'must be YYYY').optional(),
  from: z.string().regex(YEAR_MONTH_OR_DATE, 'must be YYYY, YYYY-MM or YYYY-MM-DD').optional(),
  to: z.string().regex(YEAR_MONTH_OR_DATE, 'must be YYYY, YYYY-MM or YYYY-MM-DD').optional(),
};

function checkPeriod(q: { year?: string; from?: string; to?: string }, ctx: z.RefinementCtx) {
  const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (q.year && (q.from || q.to)) problem('year', 'give either year or from/to');
  else if (Boolean(q.from) !== Boolean(q.to)) problem('to', 'from and to go together');
  else if (q.from && q.to && q.from > `${q.to}~`) problem('from', 'from must not be after to');
  else if (q.from && q.to && monthIndex(q.to, true) - monthIndex(q.from, false) >= MAX_MONTHS) problem('to', `the range spans more than ${MAX_MONTHS} months`);
}

export const PeriodQuery = z.strictObject(PeriodFields).superRefine(checkPeriod);
export const QueryStatsQuery = z
  .strictObject({ ...PeriodFields, by: z.enum([...QUERY_DIMENSIONS, 'month']).default('purpose') })
  .superRefine(checkPeriod);

const today = () => shanghaiDay(new Date());

/** The range as the caller gave it, echoed back with the computed days. */
const echo = (q: { year?: string; from?: string; to?: string }, period: Period) => ({ year: q.year ?? null, from: q.from ?? period.from, to: q.to ?? period.to, period });

function statsRoute(kind: Exclude<StatsKind, 'queries'>): Route {
  return async (req: HttpRequest) => {
    requireRole(req, 'admin');
    const q = validate(PeriodQuery, req.query, 'query');
    const period = periodOf(q, today());
    return json(200, { kind, ...echo(q, period), ...(await statsOf(kind, period)) });
  };
}

/** 数据推送情况: what the national platform accepted, from the export's own yearly counters. */
async function exportStats(req: HttpRequest) {
  requireRole(req, 'admin');
  const q = validate(PeriodQuery, req.query, 'query');
  const period = periodOf(q, today());
  return json(200, { kind: 'exports', ...echo(q, period), ...(await exportStatsOf(period)) });
}

async function queryStats(req: HttpRequest) {
  requireRole(req, 'admin');
  const q = validate(QueryStatsQuery, req.query, 'query');
  const period = periodOf(q, today());
  const s = await statsOf('queries', period);
  return json(200, { kind: 'queries', ...echo(q, period), by: q.by, total: s.total, groups: s.groups[q.by], byGroup: s.groups, byMonthPurpose: s.byMonthPurpose });
}

export const handler = httpHandler({
  'GET /v1/stats/ingestion': statsRoute('ingestion'),
  'GET /v1/stats/quality': statsRoute('quality'),
  'GET /v1/stats/publicity': statsRoute('publicity'),
  'GET /v1/stats/applications': statsRoute('applications'),
  'GET /v1/stats/queries': queryStats,
  'GET /v1/stats/objections': statsRoute('objections'),
  'GET /v1/stats/exports': exportStats,
});
