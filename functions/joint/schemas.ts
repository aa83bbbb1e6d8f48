/** 联合奖惩 request and response schemas (zod): the handlers validate with them, docs/api.md describes them. */
import { z } from 'zod';
import { PURPOSES, SUBJECT_TYPES } from '#core/catalog';

export const MAX_INLINE_SUBJECTS = 100;

export const subjectRef = z.strictObject({
  type: z.enum(SUBJECT_TYPES),
  id: z.string().trim().min(1).max(64),
});

export const jointCheckRequest = z.strictObject({
  matter: z.enum(PURPOSES, { error: `matter must be one of ${PURPOSES.join(', ')}` }),
  caseRef: z.string().trim().min(1).max(128).optional(),
  subjects: z
    .array(subjectRef)
    .min(1, 'subjects: at least one')
    .max(MAX_INLINE_SUBJECTS, `subjects: at most ${MAX_INLINE_SUBJECTS} inline; larger sets go through POST /v1/checks with "joint": true`),
});
export type JointCheckRequest = z.infer<typeof jointCheckRequest>;

export const feedbackRequest = z.strictObject({
  subject: subjectRef,
  measure: z.string().min(1).max(64),
  applied: z.boolean(),
  reason: z.string().trim().max(1000).optional(),
});
export type FeedbackRequest = z.infer<typeof feedbackRequest>;

export const decisionEntryRequest = z.strictObject({
  subject: subjectRef,
  name: z.string().trim().min(1).max(200),
  basis: z.string().trim().min(1).max(1000),
  reasons: z.string().trim().min(1).max(2000),
});
export type DecisionEntryRequest = z.infer<typeof decisionEntryRequest>;

export const objectionRequest = z.strictObject({ reason: z.string().trim().min(1).max(2000) });
export const objectionDecisionRequest = z.strictObject({ upheld: z.boolean(), reason: z.string().trim().min(1).max(2000) });

export const shownBehaviourView = z.object({
  code: z.string(),
  name: z.string(),
  kind: z.string(),
  tier: z.string(),
  grade: z.string(),
  basis: z.string(),
  records: z.array(z.string()),
  since: z.string(),
  extendedFrom: z.string().optional(),
});

export const listStatusView = z.object({
  entryId: z.string(),
  code: z.string(),
  name: z.string(),
  kind: z.string(),
  status: z.enum(['NOTIFIED', 'LISTED', 'EXITED']),
  since: z.string(),
  until: z.string().nullable(),
});

export const measureView = z.object({
  code: z.string(),
  name: z.string(),
  binding: z.string(),
  side: z.string(),
  basis: z.string(),
  special: z.boolean(),
  behaviours: z.array(z.string()),
  lists: z.array(z.string()),
  until: z.string().nullable(),
  feedbackRequired: z.boolean(),
});

export const jointCheckResponse = z.object({
  checkId: z.string(),
  matter: z.string(),
  feedbackDueAt: z.string(),
  results: z.array(
    z.object({
      subject: z.object({ type: z.enum(SUBJECT_TYPES), id: z.string(), name: z.string().nullable() }),
      found: z.boolean(),
      behaviours: z.array(shownBehaviourView),
      lists: z.array(listStatusView),
      measures: z.array(measureView),
    }),
  ),
});
export type JointCheckResponse = z.infer<typeof jointCheckResponse>;
