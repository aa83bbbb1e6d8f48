/** The subject rights (objections, repair, revocation, own report) API's request and response schemas (zod): the handlers validate with them, functions/query/openapi.ts documents them. No handler, adapter or SDK imports here. */
import { z } from 'zod';
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
