/**
 * Reading the query log (read-only; entries are appended by the query paths):
 *   GET /v1/me/queries      (subject) who queried me and why, newest first (SH-REG-2017 Art 34)
 * Query statistics are counters kept as entries are appended (functions/stats/stats-api.ts).
 */
import { HttpError, httpHandler, json, requireRole, validate, type HttpRequest } from '#adapters/http';
import { InvalidCursorError, queriesOfSubject } from '#adapters/query-log-repo';
import { callerSubject } from './credit-file.ts';
import { MeQuery } from './schemas.ts';

async function myQueries(req: HttpRequest) {
  const caller = requireRole(req, 'subject');
  const own = await callerSubject(caller);
  const q = validate(MeQuery, req.query, 'query');
  let page: Awaited<ReturnType<typeof queriesOfSubject>>;
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

export const handler = httpHandler({
  'GET /v1/me/queries': myQueries,
});
