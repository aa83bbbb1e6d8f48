/** 联合奖惩 routes (role gov unless noted): matter checks, feedback, decision entries, objections, own file. */
import { DomainError } from '#core/errors';
import { randomUUID } from 'node:crypto';
import { loadCalendar } from '#adapters/calendar-repo';
import { body, httpHandler, json, requireRole, type HttpRequest } from '#adapters/http';
import { getCheck } from '#adapters/joint-repo';
import { callerSubject } from '#adapters/subject-identity';
import { runJointCheck } from './check.ts';
import { feedbackOut, giveFeedback, listOverdue } from './feedback.ts';
import { answer, feedbackWorkingDays, published } from './handlers.ts';
import { decideObjection, enterByDecision, objectToOwnEntry, ownJointFile } from './lists.ts';
import { decisionEntryRequest, feedbackRequest, jointCheckRequest, objectionDecisionRequest, objectionRequest } from './schemas.ts';

const gov = (req: HttpRequest) => {
  const caller = requireRole(req, 'gov');
  if (!caller.unit) throw new DomainError('forbidden', 'NO_UNIT', 'the token names no unit');
  return { ...caller, unit: caller.unit };
};
const now = () => new Date().toISOString();

export const handler = httpHandler({
  'POST /v1/joint/checks': (req) =>
    answer(async () => {
      const caller = gov(req);
      const input = body(req, jointCheckRequest);
      const { catalog, index } = await published();
      return json(
        201,
        await runJointCheck(caller, input, {
          catalog,
          index,
          checkId: randomUUID(),
          now: now(),
          feedbackWorkingDays: feedbackWorkingDays(),
          calendar: await loadCalendar(),
        }),
      );
    }),
  'GET /v1/joint/checks/{checkId}': (req) =>
    answer(async () => {
      const caller = gov(req);
      const check = await getCheck(req.path.checkId ?? '');
      if (!check || check.unit !== caller.unit)
        throw new DomainError('notFound', 'CHECK_NOT_FOUND', `no joint check ${req.path.checkId} of unit ${caller.unit}`);
      return json(200, check);
    }),
  'POST /v1/joint/checks/{checkId}/feedback': (req) =>
    answer(async () => {
      const caller = gov(req);
      const { index } = await published();
      const r = await giveFeedback(caller, req.path.checkId ?? '', body(req, feedbackRequest), { index, now: now() });
      return json(r.created ? 201 : 200, feedbackOut(r.feedback));
    }),
  'GET /v1/joint/feedback': (req) =>
    answer(async () => {
      const caller = requireRole(req, 'gov', 'admin');
      if (req.query.overdue !== 'true') throw new DomainError('invalid', 'OVERDUE_REQUIRED', 'list overdue feedback with overdue=true');
      return json(200, { overdue: (await listOverdue(caller.role === 'admin' ? undefined : (caller.unit ?? '-'), now())).map(feedbackOut) });
    }),
  'POST /v1/joint/lists/{code}/entries': (req) =>
    answer(async () => {
      const caller = gov(req);
      const { index } = await published();
      const r = await enterByDecision(caller.unit, req.path.code ?? '', body(req, decisionEntryRequest), { index, now: now() });
      return json(r.created ? 201 : 200, r.entry);
    }),
  'POST /v1/joint/entries/{entryId}/objection': (req) =>
    answer(async () => {
      const own = await callerSubject(requireRole(req, 'subject'));
      return json(201, await objectToOwnEntry(own, req.path.entryId ?? '', body(req, objectionRequest).reason, now()));
    }),
  'POST /v1/joint/entries/{entryId}/objection/decision': (req) =>
    answer(async () => {
      const caller = requireRole(req, 'gov', 'admin');
      const { upheld, reason } = body(req, objectionDecisionRequest);
      const { catalog, index } = await published();
      return json(200, await decideObjection(caller, req.path.entryId ?? '', upheld, reason, { catalog, index, now: now() }));
    }),
  'GET /v1/me/joint': (req) =>
    answer(async () => {
      const own = await callerSubject(requireRole(req, 'subject'));
      const { catalog, index } = await published();
      return json(200, await ownJointFile(own, { catalog, index, now: now() }));
    }),
});
