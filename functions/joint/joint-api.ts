/** 联合奖惩 routes (role gov unless noted): matter checks, feedback, decision entries, objections, own file. */
import { DomainError } from '#core/errors';
import { randomUUID } from 'node:crypto';
import { loadCalendar } from '#adapters/calendar-repo';
import { body, httpHandler, json, requireRole, type HttpRequest } from '#adapters/http';
import { getCheck } from '#adapters/joint-repo';
import { callerSubject } from '#adapters/subject-identity';
import type { Reply } from '../api-routes.ts';
import { runJointCheck } from './check.ts';
import { feedbackOut, giveFeedback, listOverdue } from './feedback.ts';
import { feedbackWorkingDays, published } from './handlers.ts';
import { decideObjection, enterByDecision, objectToOwnEntry, ownJointFile } from './lists.ts';
import { decisionEntryRequest, feedbackRequest, jointCheckRequest, objectionDecisionRequest, objectionRequest } from './schemas.ts';
import { checkOut, entryOut } from './views.ts';

const gov = (req: HttpRequest) => {
  const caller = requireRole(req, 'gov');
  if (!caller.unit) throw new DomainError('forbidden', 'NO_UNIT', 'the token names no unit');
  return { ...caller, unit: caller.unit };
};
const now = () => new Date().toISOString();

async function check(req: HttpRequest): Promise<Reply<'POST /v1/joint/checks'>> {
  const caller = gov(req);
  const input = body(req, jointCheckRequest);
  const { catalog, index } = await published();
  const ctx = { catalog, index, checkId: randomUUID(), now: now(), feedbackWorkingDays: feedbackWorkingDays(), calendar: await loadCalendar() };
  return json(201, await runJointCheck(caller, input, ctx));
}

async function getOwnCheck(req: HttpRequest): Promise<Reply<'GET /v1/joint/checks/{checkId}'>> {
  const caller = gov(req);
  const stored = await getCheck(req.path.checkId ?? '');
  if (!stored || stored.unit !== caller.unit) throw new DomainError('notFound', 'CHECK_NOT_FOUND', `no joint check ${req.path.checkId} of unit ${caller.unit}`);
  return json(200, checkOut(stored));
}

async function feedback(req: HttpRequest): Promise<Reply<'POST /v1/joint/checks/{checkId}/feedback'>> {
  const caller = gov(req);
  const { index } = await published();
  const r = await giveFeedback(caller, req.path.checkId ?? '', body(req, feedbackRequest), { index, now: now() });
  return json(r.created ? 201 : 200, feedbackOut(r.feedback));
}

async function overdue(req: HttpRequest): Promise<Reply<'GET /v1/joint/feedback'>> {
  const caller = requireRole(req, 'gov', 'admin');
  if (req.query.overdue !== 'true') throw new DomainError('invalid', 'OVERDUE_REQUIRED', 'list overdue feedback with overdue=true');
  return json(200, { overdue: (await listOverdue(caller.role === 'admin' ? undefined : (caller.unit ?? '-'), now())).map(feedbackOut) });
}

async function enter(req: HttpRequest): Promise<Reply<'POST /v1/joint/lists/{code}/entries'>> {
  const caller = gov(req);
  const { index } = await published();
  const r = await enterByDecision(caller.unit, req.path.code ?? '', body(req, decisionEntryRequest), { index, now: now() });
  return json(r.created ? 201 : 200, entryOut(r.entry));
}

async function object(req: HttpRequest): Promise<Reply<'POST /v1/joint/entries/{entryId}/objection'>> {
  const own = await callerSubject(requireRole(req, 'subject'));
  return json(201, entryOut(await objectToOwnEntry(own, req.path.entryId ?? '', body(req, objectionRequest).reason, now())));
}

async function decide(req: HttpRequest): Promise<Reply<'POST /v1/joint/entries/{entryId}/objection/decision'>> {
  const caller = requireRole(req, 'gov', 'admin');
  const { upheld, reason } = body(req, objectionDecisionRequest);
  const { catalog, index } = await published();
  return json(200, entryOut(await decideObjection(caller, req.path.entryId ?? '', upheld, reason, { catalog, index, now: now() })));
}

async function ownFile(req: HttpRequest): Promise<Reply<'GET /v1/me/joint'>> {
  const own = await callerSubject(requireRole(req, 'subject'));
  const { catalog, index } = await published();
  return json(200, await ownJointFile(own, { catalog, index, now: now() }));
}

export const handler = httpHandler({
  'POST /v1/joint/checks': check,
  'GET /v1/joint/checks/{checkId}': getOwnCheck,
  'POST /v1/joint/checks/{checkId}/feedback': feedback,
  'GET /v1/joint/feedback': overdue,
  'POST /v1/joint/lists/{code}/entries': enter,
  'POST /v1/joint/entries/{entryId}/objection': object,
  'POST /v1/joint/entries/{entryId}/objection/decision': decide,
  'GET /v1/me/joint': ownFile,
});
