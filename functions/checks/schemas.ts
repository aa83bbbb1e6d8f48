/** The bulk check and eligibility API's request and response schemas (zod): the handlers validate with them, functions/query/openapi.ts documents them. No handler, adapter or SDK imports here. */
import { z } from 'zod';
import { PURPOSES, SUBJECT_TYPES } from '#core/catalog';

export const MAX_CHECK_IDS = 100_000;
export const MAX_ELIGIBILITY_IDS = 1_000;
const MAX_ID_LENGTH = 256;

const itemCode = z.string().min(1).max(64);
const idString = z.string().max(MAX_ID_LENGTH, `an id is at most ${MAX_ID_LENGTH} characters`);

export const CheckRequestSchema = z.strictObject({
  subjectType: z.enum(SUBJECT_TYPES),
  ids: z.array(idString).min(1, 'at least one id').max(MAX_CHECK_IDS, `at most ${MAX_CHECK_IDS} ids per check`),
  purpose: z.enum(PURPOSES),
  items: z.array(itemCode).min(1).max(500).optional(),
  /** 联合奖惩: also answer each subject's behaviours, list entries and the measures binding the unit in the matter (`purpose`). */
  joint: z.boolean().optional(),
  // the case (案件/业务) the check serves: a bulk check of thousands of subjects always names one
  ref: z
    .string({ error: 'ref (the case reference the check serves) is required' })
    .trim()
    .min(1, 'ref (the case reference the check serves) is required')
    .max(128),
});

export const EligibilityRequestSchema = z.strictObject({
  ruleSet: z.string().min(1).max(64),
  ids: z.array(idString).min(1, 'at least one id').max(MAX_ELIGIBILITY_IDS, `at most ${MAX_ELIGIBILITY_IDS} ids per call`),
  purpose: z.enum(PURPOSES).optional(),
  ref: z.string().min(1).max(128).optional(),
});

// ---------------------------------------------------------------- responses

const count = z.number().int().min(0);
const CHECK_STATUS = z.enum(['RUNNING', 'COMPLETED', 'FAILED']);

export const CheckStarted = z.object({ checkId: z.string(), status: CHECK_STATUS, total: count, createdAt: z.string() });

export const CheckView = z.object({
  checkId: z.string(),
  status: CHECK_STATUS,
  reason: z.string().nullable().describe('Why the check FAILED'),
  subjectType: z.enum(SUBJECT_TYPES),
  purpose: z.string(),
  items: z.array(z.string()).nullable(),
  ref: z.string().nullable(),
  unit: z.string().nullable(),
  total: count,
  done: count.describe('Subjects checked so far'),
  hitSubjects: count.describe('Subjects with at least one record served'),
  negativeRecords: count,
  invalid: count.describe('Ids that are not valid identifiers'),
  resultUrl: z.string().nullable().describe('Once COMPLETED: presigned GET of the result CSV'),
  resultJsonlUrl: z.string().nullable().describe('Once COMPLETED: presigned GET of the result as JSON lines'),
  resultUrlExpiresAt: z.string().nullable(),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
});

export const EligibilityResult = z.object({
  ruleSet: z.object({
    code: z.string(),
    name: z.string(),
    subjectType: z.enum(SUBJECT_TYPES),
    failIfAnyOf: z.array(z.string()),
    lookbackYears: z.number().int().nullable(),
  }),
  dateBasis: z.string().describe('Which date of a record the look-back counts from'),
  evaluatedAt: z.string(),
  uncheckedItems: z.array(z.string()).describe('Rule items the caller may not see: the outcome cannot speak for them'),
  summary: z.object({ subjects: count, eligible: count, ineligible: count, notEvaluated: count }),
  results: z.array(
    z.object({
      row: z.number().int().min(1),
      id: z.string().describe('The identifier as shown (an ID number masked)'),
      eligible: z.boolean().nullable().describe('null: not evaluated (see error)'),
      found: z.boolean(),
      reasons: z
        .array(z.object({ item: z.string(), recordId: z.string(), date: z.string() }))
        .describe('The records that make the subject ineligible, newest first'),
      error: z.object({ code: z.string(), message: z.string() }).optional(),
    }),
  ),
});
