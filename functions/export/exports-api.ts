/**
 * The national export (国家信用信息共享平台 push), for platform operators:
 *   POST /v1/exports/run       (admin) start a run now → 202 {runId}; 409 while another run holds the lease
 *   GET  /v1/exports/runs      (admin) runs, newest first, with their counts
 *   GET  /v1/exports/stats     (admin) records the national platform accepted in a year, by type
 *   GET  /v1/exports/overdue   (admin) active records past the 7-working-day publication deadline, not yet accepted
 *   GET  /v1/exports/held      (admin) records that cannot be mapped to the national format, with the reason
 */
import { DomainError } from '#core/errors';
import { randomBytes } from 'node:crypto';
import { EXPORT_LEASE_MS, newRunId, publicationDeadlineProvisional } from '#core/export-plan';
import { shanghaiDay, workingDaysBetween } from '#core/working-days';
import { loadCalendar } from '#adapters/calendar-repo';
import { queueUrl } from '#adapters/config';
import { acquireLease, ensureRun, finishRun, heldStates, listRuns, readStats, type ExportState } from '#adapters/export-repo';
import { httpHandler, json, requireRole, validate, type HttpRequest } from '#adapters/http';
import { logger } from '#adapters/powertools';
import { sendAll } from '#adapters/queue';
import type { RunMessage } from './export-run.ts';
import { overdueRecords } from './overdue.ts';
import { ExportStatsQuery, HeldQuery, OverdueQuery, RunsQuery } from './schemas.ts';
import type { Reply } from '../api-routes.ts';

async function startRun(req: HttpRequest): Promise<Reply<'POST /v1/exports/run'>> {
  const caller = requireRole(req, 'admin');
  const now = new Date();
  const runId = newRunId(now, randomBytes(3).toString('hex'));
  // The lease is taken here with a conditional write, so of two requests a few ms apart exactly one
  // gets it; the queued run finds the lease its own and goes on.
  const lease = await acquireLease(runId, now, EXPORT_LEASE_MS);
  if (!lease.acquired) {
    throw new DomainError('conflict', 'EXPORT_RUNNING', `export run ${lease.holder} is in progress (lease until ${lease.expiresAt}); runs never overlap`, [
      { runId: lease.holder },
    ]);
  }
  await ensureRun({ runId, trigger: 'API', started: now.toISOString(), requestedBy: caller.sub });
  try {
    await sendAll<RunMessage>(queueUrl('exportRuns'), [{ runId, trigger: 'API' }]);
  } catch (err) {
    await finishRun(runId, 'FAILED', new Date().toISOString(), `the run could not be queued: ${(err as Error).message}`);
    throw err;
  }
  logger.info('export run requested', { runId, by: caller.sub });
  return json(202, { runId, status: 'RUNNING' });
}

async function runs(req: HttpRequest): Promise<Reply<'GET /v1/exports/runs'>> {
  requireRole(req, 'admin');
  const q = validate(RunsQuery, req.query, 'query');
  const page = await listRuns(q.limit, q.before);
  return json(200, {
    runs: page.runs.map((r) => ({
      runId: r.runId,
      status: r.status,
      trigger: r.trigger,
      started: r.started,
      finished: r.finished ?? null,
      sent: r.sent,
      accepted: r.accepted,
      rejected: r.rejected,
      retried: r.retried,
      held: r.held,
      withdrawn: r.withdrawn,
      skipped: r.skipped,
      listEntries: r.listEntries ?? 0,
      reason: r.reason ?? null,
    })),
    next: page.next ?? null,
  });
}

async function stats(req: HttpRequest): Promise<Reply<'GET /v1/exports/stats'>> {
  requireRole(req, 'admin');
  const q = validate(ExportStatsQuery, req.query, 'query');
  const year = q.year ?? shanghaiDay(new Date()).slice(0, 4);
  const byType = await readStats(year);
  return json(200, { year, byType, total: byType.PENALTY.records + byType.LICENSING.records });
}

async function overdue(req: HttpRequest): Promise<Reply<'GET /v1/exports/overdue'>> {
  requireRole(req, 'admin');
  const q = validate(OverdueQuery, req.query, 'query');
  const asOf = q.asOf ?? shanghaiDay(new Date());
  const cal = await loadCalendar();
  const page = await withCursor(() => overdueRecords(asOf, q.limit, cal, q.cursor));
  return json(200, {
    asOf,
    records: page.records.map((s) => ({
      ...listed(s),
      decisionDate: s.decisionDate ?? null,
      deadline: s.deadline ?? null,
      deadlineProvisional: s.decisionDate ? publicationDeadlineProvisional(s.decisionDate, cal) : false,
      workingDaysLate: s.deadline ? workingDaysBetween(cal, s.deadline, asOf) : null,
      outcome: s.outcome,
      error: s.error ?? s.heldReason ?? null,
    })),
    next: page.next ?? null,
  });
}

async function held(req: HttpRequest): Promise<Reply<'GET /v1/exports/held'>> {
  requireRole(req, 'admin');
  const q = validate(HeldQuery, req.query, 'query');
  const page = await withCursor(() => heldStates(q.limit, q.cursor));
  return json(200, {
    records: page.states.map((s) => ({ ...listed(s), heldAt: s.heldsk?.slice(0, s.heldsk.indexOf('#')) ?? null, reason: s.heldReason ?? null })),
    next: page.next ?? null,
  });
}

function listed(s: Pick<ExportState, 'recordId' | 'type' | 'item' | 'provider' | 'key' | 'partyName'>) {
  return { recordId: s.recordId, type: s.type, item: s.item, provider: s.provider, key: s.key, partyName: s.partyName };
}

async function withCursor<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (err) {
    if (err instanceof SyntaxError || (err as Error).name === 'ValidationException')
      throw new DomainError('invalid', 'INVALID_CURSOR', 'the cursor is not one this listing returned');
    throw err;
  }
}

export const handler = httpHandler({
  'POST /v1/exports/run': startRun,
  'GET /v1/exports/runs': runs,
  'GET /v1/exports/stats': stats,
  'GET /v1/exports/overdue': overdue,
  'GET /v1/exports/held': held,
});
