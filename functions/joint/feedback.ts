/**
 * Feedback (反馈) on a matter check: the checking unit says, per subject and measure, whether it
 * applied the measure — a MANDATORY one not applied needs a reason. Recorded once; the same answer
 * again changes nothing, a different one is refused. Feedback not given by its due time is overdue.
 */
import type { CatalogIndex } from '#core/catalog';
import { feedbackIncrement } from '#core/joint-stats';
import { countJoint, getCheck, getFeedback, overdueFeedback, recordFeedback, type PendingFeedback } from '#adapters/joint-repo';
import { resolveSubject } from '#adapters/subject-identity';
import { JointError } from './errors.ts';
import { feedbackProblem } from './rules.ts';
import type { FeedbackRequest, FeedbackView } from './schemas.ts';

export async function giveFeedback(
  caller: { unit: string; sub: string },
  checkId: string,
  req: FeedbackRequest,
  ctx: { index: CatalogIndex; now: string },
): Promise<{ created: boolean; feedback: PendingFeedback }> {
  const check = await getCheck(checkId);
  if (!check) throw new JointError('notFound', 'CHECK_NOT_FOUND', `no joint check ${checkId}`);
  if (check.unit !== caller.unit)
    throw new JointError('forbidden', 'NOT_YOUR_CHECK', `check ${checkId} was made by ${check.unit}; only that unit gives its feedback`);
  const subject = await resolveSubject(req.subject.type, req.subject.id);
  if (!subject.ok) throw new JointError('invalid', 'INVALID_IDENTIFIER', `subject: '${subject.label}' is ${subject.message}`);
  const pending = await getFeedback(checkId, subject.key, req.measure);
  if (!pending) throw new JointError('notFound', 'NO_SUCH_MEASURE', `check ${checkId} answered no measure ${req.measure} wanting feedback for that subject`);
  const measure = ctx.index.measure(req.measure);
  const problem = measure ? feedbackProblem(measure, req.applied, req.reason) : null;
  if (problem) throw new JointError('invalid', 'REASON_REQUIRED', problem);
  const feedback = { applied: req.applied, ...(req.reason ? { reason: req.reason } : {}), at: ctx.now, by: caller.sub, late: ctx.now > pending.dueAt };
  if (await recordFeedback(pending, feedback)) {
    await countFeedback(pending, feedback);
    return { created: true, feedback: { ...pending, feedback } };
  }
  const stored = await getFeedback(checkId, subject.key, req.measure);
  const same = stored?.feedback && stored.feedback.applied === req.applied && (stored.feedback.reason ?? '') === (req.reason ?? '');
  if (!same) throw new JointError('conflict', 'FEEDBACK_EXISTS', `feedback on ${req.measure} for this subject was already given at ${stored?.feedback?.at}`);
  // a retry after a lost count counts it now (guarded: once per check, subject and measure)
  await countFeedback(stored, stored.feedback!);
  return { created: false, feedback: stored! };
}

const countFeedback = (p: PendingFeedback, f: NonNullable<PendingFeedback['feedback']>) =>
  countJoint([
    feedbackIncrement({ checkId: p.checkId, unit: p.unit, measure: p.measure, subjectKey: p.subject.key, applied: f.applied, late: f.late, at: f.at }),
  ]);

export { OVERDUE_FEEDBACK_METRIC } from '#core/credit-lists';
export const OVERDUE_PAGE = 100;

/** Feedback past its due time; a unit sees its own, an administrator every unit's. */
export async function listOverdue(unit: string | undefined, now: string): Promise<PendingFeedback[]> {
  return overdueFeedback(now, OVERDUE_PAGE, unit);
}

/** The API's view of stored feedback: the subject by its label (USCC or masked ID number), never its stored key. */
export function feedbackOut(p: PendingFeedback): FeedbackView {
  return {
    checkId: p.checkId,
    unit: p.unit,
    matter: p.matter,
    subject: { type: p.subject.type, id: p.subject.label },
    measure: p.measure,
    binding: p.binding,
    dueAt: p.dueAt,
    ...(p.feedback
      ? {
          feedback: {
            applied: p.feedback.applied,
            ...(p.feedback.reason !== undefined ? { reason: p.feedback.reason } : {}),
            at: p.feedback.at,
            by: p.feedback.by,
            late: p.feedback.late,
          },
        }
      : {}),
  };
}
