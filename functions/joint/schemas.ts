/** 联合奖惩 request and response schemas (zod): the handlers validate with them, docs/api.md describes them. */
import { z } from 'zod';
import { catalogSchema, PURPOSES, SUBJECT_TYPES } from '#core/catalog';

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

// ---------------------------------------------------------------- more responses (functions/query/openapi.ts; parsed in tests)

const SUBJECT_TYPE = z.enum(SUBJECT_TYPES);
const ENTRY_STATUS = z.enum(['NOTIFIED', 'LISTED', 'EXITED']);

/** A credit-list entry (core/credit-lists ListEntry) as the API shows it, without its subject (each view names it its own way). */
const entryFields = {
  entryId: z.string(),
  list: z.string(),
  subjectName: z.string(),
  by: z.enum(['RULE', 'DECISION']),
  basis: z.string(),
  reasons: z.string(),
  behaviours: z.array(z.string()),
  records: z.array(z.string()),
  decidedBy: z.string().optional(),
  status: ENTRY_STATUS,
  notifiedAt: z.string(),
  noticeEndsAt: z.string().describe('The last instant of the notice period'),
  listedOn: z.string().optional(),
  until: z.string().optional().describe('The day the listing ends (exclusive)'),
  exitedOn: z.string().optional(),
  exitReason: z.enum(['EXPIRED', 'RECORD_ENDED', 'OBJECTION_UPHELD']).optional(),
  exitDetail: z.string().optional(),
  objection: z.object({ objectionId: z.string(), status: z.enum(['OPEN', 'UPHELD', 'REJECTED']), at: z.string(), reason: z.string().optional() }).optional(),
  history: z.array(z.object({ status: ENTRY_STATUS, at: z.string(), reason: z.string().optional() })),
};
/** The subject by its USCC or masked ID number, never the stored key (a person's keyed hash). */
const shownSubject = z.object({ type: SUBJECT_TYPE, id: z.string().describe('USCC, or the masked ID number') });
export const listEntryView = z.object({ ...entryFields, subject: shownSubject });
export type ListEntryView = z.infer<typeof listEntryView>;

/** A stored joint check (GET /v1/joint/checks/{checkId}): what POST answered, with who and when. */
export const storedJointCheck = z.object({
  checkId: z.string(),
  unit: z.string(),
  matter: z.string(),
  caseRef: z.string().optional(),
  at: z.string(),
  by: z.string(),
  feedbackDueAt: z.string(),
  results: jointCheckResponse.shape.results.describe("A bulk check's answers are its result files: empty here"),
  bulk: z.boolean().optional().describe('A bulk check (POST /v1/checks with "joint": true) whose measures want feedback'),
});
export type StoredJointCheckView = z.infer<typeof storedJointCheck>;

/**
 * Feedback on one measure for one subject of a check (inline or bulk), as the API shows it: the
 * subject by its USCC or masked ID number (never the stored key), the feedback once given.
 */
export const feedbackView = z.object({
  checkId: z.string(),
  unit: z.string(),
  matter: z.string(),
  subject: shownSubject,
  measure: z.string(),
  binding: z.string(),
  dueAt: z.string().describe('Feedback is due by this instant (N working days after the check)'),
  feedback: z
    .object({ applied: z.boolean(), reason: z.string().optional(), at: z.string(), by: z.string(), late: z.boolean() })
    .optional()
    .describe('Absent until the unit answers'),
});
export type FeedbackView = z.infer<typeof feedbackView>;
export const overdueFeedback = z.object({ overdue: z.array(feedbackView).describe('Oldest first') });

export const ownJointFileView = z.object({
  behaviours: z.array(shownBehaviourView.omit({ tier: true })),
  lists: z.array(z.object({ ...entryFields, name: z.string(), remedy: z.string(), exit: z.string() })),
  measures: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      side: z.string(),
      binding: z.string(),
      units: z.array(z.string()),
      matters: z.array(z.string()),
      basis: z.string(),
      until: z.string().nullable(),
      inForce: z.boolean(),
    }),
  ),
  feedback: z.array(
    z.object({
      checkId: z.string(),
      unit: z.string(),
      matter: z.string(),
      measure: z.string(),
      applied: z.boolean().nullable(),
      reason: z.string().nullable(),
      at: z.string().nullable(),
    }),
  ),
});

const creditList = catalogSchema.shape.creditLists.unwrap().element;
export const publicListsView = z.object({ lists: z.array(creditList.omit({ entry: true }).extend({ entry: z.enum(['RULE', 'DECISION']) })) });
export const publicListEntries = z.object({
  list: z.object({ code: z.string(), name: z.string(), kind: z.string() }),
  entries: z.array(
    z.object({
      entryId: z.string(),
      subject: z.object({ type: SUBJECT_TYPE, id: z.string().describe('USCC, or the masked ID number'), name: z.string().describe('A person masked: 张**') }),
      status: ENTRY_STATUS,
      listedOn: z.string().nullable(),
      until: z.string().nullable(),
      basis: z.string(),
      reasons: z.string(),
    }),
  ),
  next: z.string().nullable(),
});

const tally = z.number().int().min(0);
const share = z.number().min(0).nullable().describe('A ratio from 0; null when there is nothing to divide by');
const bySubjectType = z.object({ LEGAL: tally, NATURAL: tally });
/** A count per value, most first (行为篇: by kind, tier, grade, …). */
const countedBy = z.array(z.object({ key: z.string(), n: tally }));
/** A count per value of one dimension, and per value of a second within it (e.g. tier × kind). */
const crossedBy = z.array(z.object({ key: z.string(), by: z.record(z.string(), tally), total: tally }));

/** Measures answered, and the feedback due and given on them: of the period, and of each unit. */
const measureTallies = {
  measures: tally,
  feedbackDue: tally,
  feedback: tally,
  feedbackRate: share,
  applied: tally,
  notApplied: tally,
  late: tally,
};

/** 联合奖惩 figures of a period (core/joint-stats jointStats), read from the JOINT counters. */
export const jointFigures = z.object({
  totals: z
    .object({
      subjects: tally,
      hits: tally,
      hitRate: share,
      punishmentHits: tally,
      incentiveHits: tally,
      listedHits: tally,
      ...measureTallies,
      overdueOpen: tally.describe('Feedback past its due time and not given, now'),
      bySubjectType,
    })
    .describe('Checks, hits, measures, feedback (applied, not applied, late, overdue) of the period'),
  byMatter: z
    .array(z.object({ matter: z.enum(PURPOSES), subjects: tally, bySubjectType, hits: tally, hitRate: share }))
    .describe('Checks by matter × subject type, every matter listed'),
  byUnit: z
    .array(
      z.object({
        unit: z.string(),
        subjects: tally,
        hits: tally,
        hitRate: share,
        ...measureTallies,
        lateRate: share,
        overdueOpen: tally,
      }),
    )
    .describe('Measures applied / not applied, feedback rate and lateness per unit'),
  byMeasure: z.array(z.object({ measure: z.string(), name: z.string(), applied: tally, notApplied: tally, late: tally })),
  byList: z
    .array(
      z.object({
        list: z.string(),
        name: z.string(),
        entered: tally,
        listed: tally,
        exited: tally,
        exitReasons: z.object({ EXPIRED: tally, RECORD_ENDED: tally, OBJECTION_UPHELD: tally }),
      }),
    )
    .describe('List entries, listings and exits per credit list'),
  byListMonth: z.array(z.object({ month: z.string(), list: z.string(), entered: tally, listed: tally, exited: tally })),
});

/** 行为篇 (core/joint-stats behaviourListSummary): the behaviour list, measures table and credit lists as published. */
export const behaviourListView = z
  .object({
    behaviours: z.object({
      total: tally,
      units: tally,
      byKind: countedBy,
      byTier: countedBy,
      byGrade: countedBy,
      byUnitLevel: countedBy,
      byTierKind: crossedBy,
    }),
    measures: z.object({ total: tally, units: tally, bySide: countedBy, byBinding: countedBy, bySideLevel: crossedBy, byMatter: countedBy }),
    lists: z.array(z.object({ code: z.string(), name: z.string(), kind: z.string(), unit: z.string(), public: z.boolean(), years: z.number().int() })),
  })
  .describe('The behaviour list and measures table as published');

/** GET /v1/joint/stats: 联合奖惩 figures of a period and the behaviour list as published (行为篇). */
export const jointStatsView = z.object({
  kind: z.literal('joint'),
  year: z.string().nullable(),
  period: z.object({ from: z.string(), to: z.string() }),
  ...jointFigures.shape,
  behaviourList: behaviourListView,
});
