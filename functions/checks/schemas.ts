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
