/**
 * Reading the query log (read-only; entries are appended by the query paths):
 *   GET /v1/me/queries      (subject) who queried me and why, newest first (SH-REG-2017 Art 34)
 *   GET /v1/stats/queries   (admin)   counts by purpose | unit | role | month over [from, to]
 */
import { z } from 'zod';
import pMap from 'p-map';
import { HttpError, httpHandler, json, requireRole, validate, type HttpRequest } from '#adapters/http';
import { InvalidCursorError, queriesOfMonth, queriesOfSubject, type LogSlice } from '#adapters/query-log-repo';
import { callerSubject } from './credit-file.ts';

export const MeQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(2000).optional(),
});

async function myQueries(req: HttpRequest) {
  const caller = requireRole(req, 'subject');
  const own = await callerSubject(caller);
  const q = validate(MeQuery, req.query, 'query');
  let page;
  try {
    page = await queriesOfSubject(own.type, own.key, q);
  } catch (err) {
    if (err instanceof InvalidCursorError) throw new HttpError(400, 'INVALID_CURSOR', err.message);
    throw err;
  }
  return json(200, {
    subject: { type: own.type, id: own.type === 'LEGAL' ? own.id : own.label },
    queries: page.entries.map((e) => ({
      queryId: e.queryId,
      at: e.at,
      unit: e.unit ?? null,
      role: e.role,
      purpose: e.purpose ?? null,
      businessRef: e.businessRef ?? null,
      authorizationRef: e.authorizationRef ?? null,
      channel: e.channel,
      outcome: e.outcome,
      records: e.records,
    })),
    next: page.next ?? null,
  });
}

const MONTH_OR_DATE = /^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$/;
const MAX_MONTHS = 36;
export const STATS_GROUPINGS = ['purpose', 'unit', 'role', 'month'] as const;

export const StatsQuery = z
  .strictObject({
    from: z.string().regex(MONTH_OR_DATE, 'must be YYYY-MM or YYYY-MM-DD'),
    to: z.string().regex(MONTH_OR_DATE, 'must be YYYY-MM or YYYY-MM-DD'),
    by: z.enum(STATS_GROUPINGS).default('purpose'),
  })
  .refine((q) => q.from <= `${q.to}~`, { message: 'from must not be after to', path: ['from'] })
  .refine((q) => monthsBetween(q.from.slice(0, 7), q.to.slice(0, 7)).length <= MAX_MONTHS, {
    message: `the range spans more than ${MAX_MONTHS} months`,
    path: ['to'],
  });

/** The months from..to inclusive (YYYY-MM); empty when from is after to. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const endY = Number(to.slice(0, 4));
  const endM = Number(to.slice(5, 7));
  while ((y < endY || (y === endY && m <= endM)) && months.length <= MAX_MONTHS) {
    months.push(`${y}-${String(m).padStart(2, '0')}`);
    if (++m > 12) {
      m = 1;
      y++;
    }
  }
  return months;
}

const keyOf: Record<(typeof STATS_GROUPINGS)[number], (e: LogSlice) => string> = {
  purpose: (e) => e.purpose ?? '(none)',
  unit: (e) => e.unit ?? `(${e.role})`,
  role: (e) => e.role,
  month: (e) => e.at.slice(0, 7),
};

async function stats(req: HttpRequest) {
  requireRole(req, 'admin');
  const q = validate(StatsQuery, req.query, 'query');
  // `{at}#{queryId}` sorts after a bare date or month prefix, and before that prefix + '~'
  const fromAt = q.from;
  const toAt = `${q.to}~`;
  const months = monthsBetween(q.from.slice(0, 7), q.to.slice(0, 7));
  const slices = await pMap(months, (m) => queriesOfMonth(m, fromAt, toAt), { concurrency: 6 });
  const groups = new Map<string, { key: string; queries: number; allowed: number; refused: number }>();
  let total = 0;
  for (const e of slices.flat()) {
    const key = keyOf[q.by](e);
    const g = groups.get(key) ?? { key, queries: 0, allowed: 0, refused: 0 };
    g.queries++;
    if (e.outcome === 'ALLOWED') g.allowed++;
    else if (e.outcome === 'REFUSED') g.refused++;
    groups.set(key, g);
    total++;
  }
  return json(200, {
    by: q.by,
    from: q.from,
    to: q.to,
    total,
    groups: [...groups.values()].sort((a, b) => b.queries - a.queries || a.key.localeCompare(b.key)),
  });
}

export const handler = httpHandler({
  'GET /v1/me/queries': myQueries,
  'GET /v1/stats/queries': stats,
});
