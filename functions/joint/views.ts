/**
 * What the joint routes answer of stored list entries and checks: every field named one by one (a
 * stored item's table attributes never leak), the subject by its USCC or masked ID number, never
 * by its stored key (a person's keyed hash).
 */
import type { StoredCheck } from '#adapters/joint-repo';
import type { ListEntry } from './rules.ts';
import type { ListEntryView, StoredJointCheckView } from './schemas.ts';

/** An entry's own fields, its subject apart (the subject's own file names no subject). */
export function entryFieldsOut(e: ListEntry): Omit<ListEntryView, 'subject'> {
  return {
    entryId: e.entryId,
    list: e.list,
    subjectName: e.subjectName,
    by: e.by,
    basis: e.basis,
    reasons: e.reasons,
    behaviours: e.behaviours,
    records: e.records,
    ...(e.decidedBy !== undefined ? { decidedBy: e.decidedBy } : {}),
    status: e.status,
    notifiedAt: e.notifiedAt,
    noticeEndsAt: e.noticeEndsAt,
    ...(e.listedOn !== undefined ? { listedOn: e.listedOn } : {}),
    ...(e.until !== undefined ? { until: e.until } : {}),
    ...(e.exitedOn !== undefined ? { exitedOn: e.exitedOn } : {}),
    ...(e.exitReason !== undefined ? { exitReason: e.exitReason } : {}),
    ...(e.exitDetail !== undefined ? { exitDetail: e.exitDetail } : {}),
    ...(e.objection
      ? {
          objection: {
            objectionId: e.objection.objectionId,
            status: e.objection.status,
            at: e.objection.at,
            ...(e.objection.reason !== undefined ? { reason: e.objection.reason } : {}),
          },
        }
      : {}),
    history: e.history.map((h) => ({ status: h.status, at: h.at, ...(h.reason !== undefined ? { reason: h.reason } : {}) })),
  };
}

/** A list entry as the unit that keeps the list and the subject see it. */
export const entryOut = (e: ListEntry): ListEntryView => ({ ...entryFieldsOut(e), subject: { type: e.subject.type, id: e.subject.label } });

/** A stored check as its unit reads it back: what POST /v1/joint/checks answered, with who and when. */
export function checkOut(c: StoredCheck): StoredJointCheckView {
  return {
    checkId: c.checkId,
    unit: c.unit,
    matter: c.matter,
    ...(c.caseRef !== undefined ? { caseRef: c.caseRef } : {}),
    at: c.at,
    by: c.by,
    feedbackDueAt: c.feedbackDueAt,
    // written by runJointCheck (check.ts) from its answer, typed by the same schema
    results: c.results as StoredJointCheckView['results'],
    ...(c.bulk ? { bulk: true } : {}),
  };
}
