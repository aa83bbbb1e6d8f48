/** The query (credit files, authorisations, query log, public search) API's request and response schemas (zod): the handlers validate with them, functions/query/openapi.ts documents them. No handler, adapter or SDK imports here. */
import { z } from 'zod';
import { DISCLOSURES, POLARITIES, PUBLICITY_TYPES, PURPOSES, RECORD_CLASSES, SEVERITIES } from '#core/catalog';
import { OBJECTION_STATUSES } from '#core/objections';

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

export const PublicSearchQuery = z.object({
  type: z.enum(PUBLICITY_TYPES, { error: `type is required and must be one of: ${PUBLICITY_TYPES.join(', ')}` }),
  q: z
    .string({ error: 'q is required: a USCC or part of a company name' })
    .trim()
    .min(2, 'q must be 2 to 100 characters')
    .max(100, 'q must be 2 to 100 characters'),
  pageSize: z.coerce
    .number({ error: `pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
    .int(`pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE}`)
    .min(1, `pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE}`)
    .max(MAX_PAGE_SIZE, `pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE}`)
    .default(DEFAULT_PAGE_SIZE),
  cursor: z.string().min(1).optional().describe('`next` of the previous page of the same search (same type and q)'),
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

// ---------------------------------------------------------------- responses

const SUBJECT_TYPE = z.enum(['LEGAL', 'NATURAL']);
const count = z.number().int().min(0);
/** 异议标注: shown while an objection about the record runs. */
const ObjectionMark = z.object({ status: z.enum(OBJECTION_STATUSES), since: z.string() }).nullable();

/** One record of a credit file as the caller may see it; the audit view adds its state. */
const FileRecord = z.object({
  recordId: z.string(),
  item: z.string(),
  itemName: z.string(),
  recordClass: z.enum(RECORD_CLASSES),
  polarity: z.enum(POLARITIES),
  severity: z.enum(SEVERITIES).nullable(),
  disclosure: z.enum(DISCLOSURES),
  provider: z.string(),
  key: z.string().describe('The business key of the record'),
  fields: z.record(z.string(), z.unknown()).describe("The item's fields as the provider sent them"),
  receivedAt: z.string(),
  via: z
    .object({ uscc: z.string(), role: z.literal('LEGAL_REPRESENTATIVE') })
    .optional()
    .describe("A copy of a company's record, on its legal representative's file"),
  objection: ObjectionMark,
  // audit=true (admins) only
  status: z.string().optional().describe('audit=true: ACTIVE, REPAIRED, REVOKED, DELETED, EXPIRED, WITHDRAWN'),
  updatedAt: z.string().optional(),
  repair: z.object({ certificateNo: z.string(), issuedOn: z.string(), note: z.string().optional(), at: z.string(), by: z.string() }).optional(),
  revokedAt: z.string().optional(),
  revokedBy: z.string().optional(),
  reason: z.string().optional(),
  deletedAt: z.string().optional(),
  deletedBy: z.string().optional(),
  expiredAt: z.string().optional(),
  withdrawnAt: z.string().optional(),
  withdrawnBy: z.string().optional(),
});

/** POST /v1/subject-refs: what the administrator puts into the user's custom:subject_ref attribute. */
export const SubjectRefIssued = z.object({
  type: SUBJECT_TYPE,
  label: z.string().describe('The subject, masked'),
  ref: z.string().describe('The opaque reference (the identifier sealed under the personal-data key)'),
  attribute: z.literal('custom:subject_ref'),
});

export const CreditFile = z.object({
  subject: z.object({
    type: SUBJECT_TYPE,
    id: z.string().describe('The USCC, or the ID number masked unless the caller may see it whole'),
    name: z.string(),
    registered: z.boolean().optional().describe('LEGAL: whether the company is in the registration records'),
    regNo: z.string().optional(),
    orgCode: z.string().optional(),
  }),
  records: z.array(FileRecord),
  summary: z.object({ records: count, negative: count, byClass: z.record(z.string(), count) }),
  queryId: z.string().describe('The query-log entry of this query'),
});

export const AuthorizationView = z.object({
  ref: z.string(),
  grantee: z.string(),
  purpose: z.enum(PURPOSES),
  items: z.array(z.string()).nullable().describe('null: every item'),
  expiresAt: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  status: z.enum(['ACTIVE', 'EXPIRED', 'REVOKED']),
});
export const AuthorizationCreated = AuthorizationView.pick({ ref: true, grantee: true, purpose: true, items: true, expiresAt: true, createdAt: true });
export const Authorization = AuthorizationView;
export const AuthorizationList = z.object({ authorizations: z.array(AuthorizationView) });

export const MyQueries = z.object({
  subject: z.object({ type: SUBJECT_TYPE, id: z.string().describe('USCC, or the masked ID number') }),
  queries: z.array(
    z.object({
      queryId: z.string(),
      at: z.string(),
      unit: z.string().nullable(),
      role: z.string(),
      purpose: z.string().nullable(),
      businessRef: z.string().nullable(),
      authorizationRef: z.string().nullable(),
      channel: z.string(),
      outcome: z.enum(['ALLOWED', 'REFUSED', 'NOT_FOUND']),
      records: count,
    }),
  ),
  next: z.string().nullable(),
});

/** GET /v1/query-log/mine: a unit's own query history, newest first. */
export const UnitQueries = z.object({
  unit: z.string(),
  queries: z.array(
    z.object({
      queryId: z.string(),
      at: z.string(),
      subject: z.object({ type: SUBJECT_TYPE, id: z.string().describe('USCC, or the masked ID number') }),
      purpose: z.string().nullable(),
      businessRef: z.string().nullable(),
      authorizationRef: z.string().nullable(),
      channel: z.string(),
      outcome: z.enum(['ALLOWED', 'REFUSED', 'NOT_FOUND']),
      records: count,
      checkId: z.string().nullable().describe('The bulk check the query belonged to'),
    }),
  ),
  next: z.string().nullable(),
});

export const LogVerdict = z.object({
  day: z.string(),
  ok: z.boolean(),
  links: count,
  entries: count.describe('Entries the chain names'),
  firstBroken: z
    .object({
      seq: count.describe('The link where recomputation first fails; 0 for an entry no link names'),
      entry: z.object({ pk: z.string(), sk: z.string(), queryId: z.string().optional() }).optional(),
      reason: z.string(),
    })
    .nullable(),
});

export const PublicRecord = z.object({
  recordId: z.string(),
  item: z.string(),
  itemName: z.string(),
  subject: z.object({ name: z.string(), uscc: z.string() }),
  fields: z.record(z.string(), z.unknown()).describe('The public fields; never an ID number'),
  decisionDate: z.string().nullable(),
  publicUntil: z.string().nullable().describe('null: shown without end'),
  objection: ObjectionMark,
});

export const PublicSearch = z.object({
  type: z.enum(PUBLICITY_TYPES),
  q: z.string().describe('The term searched (a USCC normalised)'),
  match: z.enum(['uscc', 'prefix', 'contains']),
  pageSize: count,
  results: z.array(PublicRecord).describe('What the page read passed; fewer than pageSize (even none) while `next` is not null'),
  next: z.string().nullable().describe('Pass as `cursor` with the same type and q for the next page; null when the search has read everything'),
});

const PublicityOfType = z.object({ count, latest: z.array(PublicRecord) });
export const PublicSubject = z.object({
  uscc: z.string(),
  name: z.string().nullable(),
  registered: z.boolean(),
  publicity: z.object({ PENALTY: PublicityOfType, LICENSING: PublicityOfType }),
});

/** GET /v1/openapi.json: an OpenAPI 3.1 document (its own schema is the OpenAPI specification). */
export const OpenApiDocument = z.object({ openapi: z.string(), info: z.record(z.string(), z.unknown()), paths: z.record(z.string(), z.unknown()) }).loose();
