/**
 * Operations statistics for admins, read from the counters the pipeline and the query path keep
 * (core/stats, adapters/stats-repo); no request scans records or the query log.
 *   GET /v1/stats/{ingestion|quality|publicity|queries|applications}?year=YYYY | from=&to=
 * `from`/`to` are YYYY-MM or YYYY-MM-DD; ingestion counters are monthly, so a day range covers
 * the months it touches. GET /v1/stats/queries also answers `by=purpose|unit|role|channel|subjectType|month`
 * with `groups` as before.
 */
import { z } from 'zod';
import { shanghaiDay } from '#core/working-days';
import { periodOf, QUERY_DIMENSIONS, type Period, type StatsKind } from '#core/stats';
import { httpHandler, json, requireRole, validate, type HttpRequest, type Route } from '#adapters/http';
import { statsOf } from './stats-reader.ts';

const MONTH_OR_DATE = /^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$/;
const MAX_MONTHS = 36;

const monthIndex = (v: string) => Number(v.slice(0, 4)) * 12 + Number(v.slice(5, 7));

const PeriodFields = {
  year: z.string().regex(/^\d{4}$/, 'must be YYYY').optional(),
  from: z.string().regex(MONTH_OR_DATE, 'must be YYYY-MM or YYYY-MM-DD').optional(),
  to: z.string().regex(MONTH_OR_DATE, 'must be YYYY-MM or YYYY-MM-DD').optional(),
};

function checkPeriod(q: { year?: string; from?: string; to?: string }, ctx: z.RefinementCtx) {
  const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (q.year && (q.from || q.to)) problem('year', 'give either year or from/to');
  else if (Boolean(q.from) !== Boolean(q.to)) problem('to', 'from and to go together');
  else if (q.from && q.to && q.from > `${q.to}~`) problem('from', 'from must not be after to');
  else if (q.from && q.to && monthIndex(q.to) - monthIndex(q.from) >= MAX_MONTHS) problem('to', `the range spans more than ${MAX_MONTHS} months`);
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
});
