/** The subject rights (objections, repair, revocation, own report) API's request and response schemas (zod): the handlers validate with them, functions/query/openapi.ts documents them. No handler, adapter or SDK imports here. */
import { z } from 'zod';
import { ownJointFileView } from '../joint/schemas.ts';
import { OBJECTION_STATUSES, OUTCOMES, REMITS } from '#core/objections';
import { shanghaiDay } from '#core/working-days';

export const SubjectRef = z.strictObject({ type: z.enum(['LEGAL', 'NATURAL']), id: z.string().trim().min(1).max(64) });
export type SubjectRef = z.infer<typeof SubjectRef>;

/** Record ids are 22 base64url characters (core/record-id). */
export const RecordIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'must be a recordId as queries return it (22 characters)');

const FILE_NAME = /^[^/\\\u0000-\u001f\u007f]{1,128}$/;

export const CreateObjection = z.strictObject({
  recordId: RecordIdSchema,
  reason: z.string().trim().min(1, 'give the reason').max(4000),
  /** Evidence files: each gets a presigned PUT URL in the answer. */
  evidence: z
    .array(z.strictObject({ fileName: z.string().regex(FILE_NAME, 'a file name without "/" or control characters, at most 128') }))
    .max(10)
    .optional(),
  /** Admin at a service window: the applicant. A subject files for itself. */
  subject: SubjectRef.optional(),
});

export const RemitBody = z.strictObject({ remit: z.enum(REMITS), note: z.string().trim().max(2000).optional() });

export const DecisionBody = z
  .strictObject({
    outcome: z.enum(OUTCOMES),
    reasons: z.string().trim().min(1, 'give the reasons').max(4000),
    /** CORRECTED: the changed fields (item field keys → new values, as in a JSON Lines upload row). */
    fields: z.record(z.string(), z.union([z.string(), z.number(), z.array(z.string())])).optional(),
  })
  .refine((d) => d.outcome !== 'CORRECTED' || (d.fields && Object.keys(d.fields).length > 0), {
    message: 'a CORRECTED decision lists the corrected fields',
    path: ['fields'],
  })
  .refine((d) => d.outcome === 'CORRECTED' || d.fields === undefined, { message: 'only a CORRECTED decision changes fields', path: ['fields'] });

export const ObjectionListQuery = z.strictObject({
  status: z.enum(OBJECTION_STATUSES).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  provider: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  /** `next` of the previous page. */
  cursor: z.string().min(1).max(200).optional(),
});

export const RepairBody = z.strictObject({
  subject: SubjectRef,
  /** The provider's written proof of repair (信用修复证明). */
  certificateNo: z.string().trim().min(1).max(128),
  issuedOn: z.iso.date('must be a calendar date, YYYY-MM-DD').refine((d) => d <= shanghaiDay(new Date()), 'must not be after today (Asia/Shanghai)'),
  note: z.string().trim().max(2000).optional(),
});

export const RevocationBody = z.strictObject({
  subject: SubjectRef,
  reason: z.string().trim().min(1, 'say why the decision was revoked').max(2000),
  /** The decision that revoked it (administrative review, court judgment, the provider's own). */
  decisionNo: z.string().trim().min(1).max(128).optional(),
});

export const ReportQuery = z.strictObject({ format: z.enum(['json', 'html']).default('json') });

// ---------------------------------------------------------------- responses

const count = z.number().int().min(0);
const SUBJECT_TYPE = z.enum(['LEGAL', 'NATURAL']);
/** Who did a step; `sub` (the user) is shown to admins only. */
const Actor = z.object({ role: z.enum(['admin', 'provider', 'subject']), unit: z.string().optional(), sub: z.string().optional() });
const StepName = z.enum(['MARK', 'REMIT', 'DECISION']);
const deadline = z.string().nullable().describe('The end of the last working day allowed; null while not yet known');
const deadlineProvisional = z.boolean().describe('Counted over a year with no official calendar yet: publishing one may move it');

export const ObjectionView = z.object({
  objectionId: z.string(),
  recordId: z.string(),
  item: z.string(),
  provider: z.string(),
  subject: z.object({ type: SUBJECT_TYPE, id: z.string().describe('USCC, or the masked ID number') }),
  channel: z.enum(['ONLINE', 'WINDOW']),
  reason: z.string(),
  status: z.enum(OBJECTION_STATUSES),
  remit: z.enum(REMITS).nullable(),
  receivedAt: z.string(),
  steps: z.array(z.object({ step: StepName, deadline, deadlineProvisional, doneAt: z.string().nullable(), by: Actor.nullable(), overdue: z.boolean() })),
  overdue: z.boolean(),
  outcome: z.object({ decision: z.enum(OUTCOMES), reasons: z.string(), changes: z.record(z.string(), z.unknown()).optional() }).nullable(),
  history: z.array(
    z.object({ action: z.enum(['SUBMITTED', 'MARKED', 'KEPT', 'FORWARDED', 'DECIDED']), at: z.string(), by: Actor, note: z.string().optional() }),
  ),
  evidence: z.array(z.object({ key: z.string(), downloadUrl: z.string().describe('Presigned GET') })),
});

export const ObjectionFiled = z.object({
  objectionId: z.string(),
  status: z.enum(OBJECTION_STATUSES),
  deadlines: z.array(z.object({ step: StepName, deadline, deadlineProvisional })),
  evidenceUploads: z.array(z.object({ fileName: z.string(), key: z.string(), uploadUrl: z.string().describe('Presigned PUT for the evidence file') })),
});

/** GET /v1/objections/{objectionId}: the objection and the record as it stands (what the decision form starts from). */
export const ObjectionDetail = ObjectionView.extend({
  record: z
    .object({
      status: z.string(),
      subjectName: z.string().optional(),
      fields: z.record(z.string(), z.unknown()),
      batchId: z.string().optional(),
      row: z.number().int().optional(),
    })
    .nullable()
    .describe('null when the record is gone; ID numbers masked as everywhere'),
});

export const ObjectionList = z.object({
  objections: z.array(ObjectionView).describe('One page, newest first (by deadline for overdue=true); a filtered page may be short'),
  next: z.string().nullable().describe('Pass as `cursor`; null on the last page'),
});

export const RecordRepaired = z.object({
  recordId: z.string(),
  status: z.literal('REPAIRED'),
  repair: z.object({ certificateNo: z.string(), issuedOn: z.string(), note: z.string().optional(), at: z.string(), by: z.string() }),
});

export const RecordRevoked = z.object({
  recordId: z.string(),
  status: z.literal('REVOKED'),
  revokedAt: z.string(),
  revokedBy: z.string().optional(),
  reason: z.string().optional(),
});

/** GET /v1/me/report (JSON): the subject's own credit report. */
export const OwnReport = z.object({
  reportId: z.string(),
  generatedAt: z.string(),
  subject: z.object({ type: SUBJECT_TYPE, id: z.string(), name: z.string() }),
  records: z.array(
    z.object({
      recordId: z.string(),
      item: z.string(),
      itemName: z.string(),
      provider: z.string(),
      providerName: z.string(),
      recordClass: z.string(),
      polarity: z.string(),
      severity: z.string().nullable(),
      disclosure: z.string(),
      key: z.string(),
      fields: z.array(z.object({ key: z.string(), label: z.string(), value: z.string() })),
      receivedAt: z.string(),
      state: z.enum(['SERVED', 'REPAIRED', 'EXPIRED']).describe('SERVED, or why not'),
      servableUntil: z.string().nullable(),
      via: z.object({ uscc: z.string(), role: z.string() }).nullable(),
      objection: z.object({ status: z.string(), since: z.string() }).nullable(),
      repair: z.object({ certificateNo: z.string(), issuedOn: z.string(), at: z.string() }).nullable(),
    }),
  ),
  objections: z.array(
    z.object({
      objectionId: z.string(),
      recordId: z.string(),
      item: z.string(),
      status: z.string(),
      receivedAt: z.string(),
      decidedAt: z.string().nullable(),
      outcome: z.object({ decision: z.string(), reasons: z.string() }).nullable(),
    }),
  ),
  queries: z.array(
    z.object({
      at: z.string(),
      unit: z.string().nullable(),
      role: z.string(),
      purpose: z.string().nullable(),
      businessRef: z.string().nullable(),
      outcome: z.string(),
      records: count,
    }),
  ),
  summary: z.object({ records: count, served: count, negative: count, repaired: count, expired: count, objectionsOpen: count, queries: count }),
  quota: z.object({ year: z.string(), used: count, limit: count }).nullable().describe('Natural persons: free reports used this year'),
  queriesNext: z.string().nullable().describe('When the log holds more queries than the report carries: the cursor for GET /v1/me/queries'),
  joint: ownJointFileView
    .nullable()
    .describe(
      '联合奖惩: behaviours, credit-list entries and the measures that follow, with bases, and the feedback units gave (as GET /v1/me/joint); null before a catalog is published',
    ),
});
