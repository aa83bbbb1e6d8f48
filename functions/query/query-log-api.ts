/**
 * Reading the query log (read-only; entries are appended by the query paths):
 *   GET /v1/me/queries      (subject) who queried me and why, newest first (SH-REG-2017 Art 34)
 *   GET /v1/query-log/mine  (gov, market) the caller unit's own queries, newest first (its query history)
 *   GET /v1/query-log/verify?day=YYYY-MM-DD  (admin) recompute a China day's hash chain; names the
 *                           first broken link or entry (also `credit verify-log`)
 * Query statistics are counters kept as entries are appended (functions/stats/stats-api.ts).
 */
import { DomainError } from '#core/errors';
import { httpHandler, json, requireRole, validate, type HttpRequest } from '#adapters/http';
import { InvalidCursorError, queriesOfSubject, queriesOfUnit, verifyDay } from '#adapters/query-log-repo';
import { shanghaiDay } from '#core/working-days';
import { callerSubject } from './credit-file.ts';
import { MeQuery, VerifyLogQuery } from './schemas.ts';
import type { Reply } from '../api-routes.ts';

/** The log's tamper check: 200 with ok=false (and firstBroken) when the chain is broken. */
async function verifyLog(req: HttpRequest): Promise<Reply<'GET /v1/query-log/verify'>> {
  requireRole(req, 'admin');
  const q = validate(VerifyLogQuery, req.query, 'query');
  return json(200, await verifyDay(q.day ?? shanghaiDay(new Date())));
}

async function myQueries(req: HttpRequest): Promise<Reply<'GET /v1/me/queries'>> {
  const caller = requireRole(req, 'subject');
  const own = await callerSubject(caller);
  const q = validate(MeQuery, req.query, 'query');
  let page: Awaited<ReturnType<typeof queriesOfSubject>>;
  try {
    page = await queriesOfSubject(own.type, own.key, q);
  } catch (err) {
    if (err instanceof InvalidCursorError) throw new DomainError('invalid', 'INVALID_CURSOR', err.message);
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

/** A government unit's or credit agency's own query history: whom it queried, when, for what, with what outcome. */
async function unitQueries(req: HttpRequest): Promise<Reply<'GET /v1/query-log/mine'>> {
  const caller = requireRole(req, 'gov', 'market');
  if (!caller.unit) throw new DomainError('forbidden', 'FORBIDDEN', 'the token names no unit');
  const q = validate(MeQuery, req.query, 'query');
  let page: Awaited<ReturnType<typeof queriesOfUnit>>;
  try {
    page = await queriesOfUnit(caller.unit, q);
  } catch (err) {
    if (err instanceof InvalidCursorError) throw new DomainError('invalid', 'INVALID_CURSOR', err.message);
    throw err;
  }
  return json(200, {
    unit: caller.unit,
    queries: page.entries.map((e) => ({
      queryId: e.queryId,
      at: e.at,
      // the USCC, or a person's masked ID number: never the number itself
      subject: { type: e.subjectType, id: e.subjectLabel },
      purpose: e.purpose ?? null,
      businessRef: e.businessRef ?? null,
      authorizationRef: e.authorizationRef ?? null,
      channel: e.channel,
      outcome: e.outcome,
      records: e.records,
      checkId: e.checkId ?? null,
    })),
    next: page.next ?? null,
  });
}

export const handler = httpHandler({
  'GET /v1/me/queries': myQueries,
  'GET /v1/query-log/mine': unitQueries,
  'GET /v1/query-log/verify': verifyLog,
});
