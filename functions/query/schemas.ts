/** The query (credit files, authorisations, query log, public search) API's request and response schemas (zod): the handlers validate with them, functions/query/openapi.ts documents them. No handler, adapter or SDK imports here. */
import { z } from 'zod';
import { PUBLICITY_TYPES, PURPOSES } from '#core/catalog';

const UNIT_CODE = /^[A-Z0-9][A-Z0-9_-]{0,63}$/;
const MAX_ITEMS = 200;

export const CreateAuthorization = z.strictObject({
  grantee: z.string().regex(UNIT_CODE, 'must be a unit code (upper-case letters, digits, "-" or "_")'),
  purpose: z.enum(PURPOSES),
  items: z.array(z.string().min(1).max(64)).min(1, 'omit items to cover every item').max(MAX_ITEMS).optional(),
  expiresAt: z.iso.datetime({ offset: true }),
});

export const MeQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(2000).optional(),
});

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 50;
/** Deeper pages would read the index from its start each time: narrow the search instead. */
export const MAX_PAGE = 250;

const wholeFrom = (n: number) => `must be a whole number from ${n}`;

export const PublicSearchQuery = z.object({
  type: z.enum(PUBLICITY_TYPES, { error: `type is required and must be one of: ${PUBLICITY_TYPES.join(', ')}` }),
  q: z
    .string({ error: 'q is required: a USCC or part of a company name' })
    .trim()
    .min(2, 'q must be 2 to 100 characters')
    .max(100, 'q must be 2 to 100 characters'),
  page: z.coerce
    .number({ error: `page ${wholeFrom(1)}` })
    .int(`page ${wholeFrom(1)}`)
    .min(1, `page ${wholeFrom(1)}`)
    .max(MAX_PAGE, `page may be at most ${MAX_PAGE}; narrow the search`)
    .default(1),
  pageSize: z.coerce
    .number({ error: `pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
    .int(`pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE}`)
    .min(1, `pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE}`)
    .max(MAX_PAGE_SIZE, `pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE}`)
    .default(DEFAULT_PAGE_SIZE),
});

export const VerifyLogQuery = z.strictObject({
  day: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'day must be YYYY-MM-DD (a day in China)')
    .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'day must be a real calendar date')
    .optional(),
});

/** POST /v1/subject-refs: the subject an administrator is provisioning a `subject` user for. */
export const SubjectRefRequest = z.strictObject({
  type: z.enum(['LEGAL', 'NATURAL']),
  /** The USCC (LEGAL) or resident ID number (NATURAL); sealed into the answer, never stored. */
  id: z.string().min(1).max(64),
});
