/**
 * The query routes as the API documents them: functions/query/openapi-registry.ts assembles every context's
 * table into ROUTES (one entry per route of the manifest, keys as API Gateway route keys).
 */
import { ROLES } from '#core/claims';
import { PURPOSES } from '#core/catalog';
import { z } from 'zod';
import type { RouteDoc } from '../route-doc.ts';
import { CatalogItemsQuery, UnitsQuery } from '../catalog/schemas.ts';
import { PageQuery as ListPageQuery } from '../lists/schemas.ts';
import { MeQuery, PublicSearchQuery, VerifyLogQuery } from './schemas.ts';

/**
 * The query parameters of the credit-file query. The handler reads them one by one (credit-file.ts)
 * and the access rules judge them; this schema only documents them.
 */
const CreditFileQuery = z.object({
  purpose: z.enum(PURPOSES).optional().describe('The purpose of the query; required for role gov, and it must be one the unit declared in the catalog'),
  matter: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe(
      "Role gov: the code of the unit's application matter (应用事项) the query is made under; it must be the unit's own, with this purpose and subject type (400 UNKNOWN_MATTER / MATTER_MISMATCH). Counted for that matter's fulfilment (GET /v1/stats/applications)",
    ),
  authorization: z.string().min(1).max(64).optional().describe('Ref of a written authorisation (书面授权) from the subject'),
  ref: z.string().min(1).max(128).optional().describe("The caller's business reference, kept in the query log"),
  audit: z
    .enum(['true', 'false'])
    .optional()
    .describe('Admins only: the audit view, which adds records no longer served (repaired, revoked, deleted, expired, withdrawn) with their status'),
});

const ALL = ROLES;

export const QUERY_ROUTES = {
  'GET /v1/subjects/legal/{uscc}': {
    summary: "A legal subject's credit file, under the access rules; logged",
    roles: ALL,
    status: 200,
    returns: 'The records the caller may see',
    query: CreditFileQuery,
    response: 'CreditFile',
  },
  'GET /v1/subjects/natural/{idNumber}': {
    summary: "A natural person's credit file, under the access rules; logged",
    roles: ALL,
    status: 200,
    returns: 'The records the caller may see',
    query: CreditFileQuery,
    response: 'CreditFile',
  },
  'POST /v1/subject-refs': {
    summary: "The opaque reference a subject user's token carries (custom:subject_ref) in place of its identifier",
    roles: ['admin'],
    status: 201,
    returns: 'The reference and the masked label of the subject it names',
    body: 'SubjectRefRequest',
    response: 'SubjectRefIssued',
  },
  'POST /v1/authorizations': {
    summary: 'Grant a written authorisation (书面授权) to a unit',
    roles: ['subject'],
    status: 201,
    returns: 'The authorisation with its ref',
    body: 'CreateAuthorization',
    response: 'AuthorizationCreated',
  },
  'DELETE /v1/authorizations/{ref}': {
    summary: 'Revoke an authorisation',
    roles: ['subject'],
    status: 200,
    returns: 'The revoked authorisation',
    response: 'Authorization',
  },
  'GET /v1/authorizations': {
    summary: "The caller's own authorisations",
    roles: ['subject'],
    status: 200,
    returns: 'The authorisations',
    response: 'AuthorizationList',
  },
  'GET /v1/me/queries': {
    summary: 'Who queried my credit file, and why',
    roles: ['subject'],
    status: 200,
    returns: 'Query log entries and a paging cursor',
    query: MeQuery,
    response: 'MyQueries',
  },
  'GET /v1/query-log/mine': {
    summary: "The caller unit's own query history",
    roles: ['gov', 'market'],
    status: 200,
    returns: 'Query log entries of the unit, newest first, and a paging cursor',
    query: MeQuery,
    response: 'UnitQueries',
  },
  'GET /v1/query-log/verify': {
    summary: "Recompute one China day's query-log hash chain",
    roles: ['admin'],
    status: 200,
    returns: 'ok, links and entries checked, and the first broken link or entry',
    query: VerifyLogQuery,
    response: 'LogVerdict',
  },
  'GET /v1/public/publicity': {
    summary: 'Public double-publicity (双公示) search',
    roles: 'public',
    status: 200,
    returns: 'What one read of at most pageSize + 1 entries found, and `next` (pass as `cursor`; null when the search has read everything)',
    query: PublicSearchQuery,
    response: 'PublicSearch',
  },
  'GET /v1/public/subjects/{uscc}': {
    summary: 'The public summary of one company',
    roles: 'public',
    status: 200,
    returns: 'The public summary',
    response: 'PublicSubject',
  },
  'GET /v1/public/catalog': {
    summary: 'The published catalog and application lists (what is collected from whom; which unit may query what, for which purpose)',
    roles: 'public',
    status: 200,
    returns:
      'The version, counts and the catalog; over 1,000 items the catalog comes without its items (`itemsPaged`: page them with GET /v1/public/catalog/items)',
    response: 'PublicCatalog',
  },
  'GET /v1/public/catalog/items': {
    summary: 'Published catalog items, one page at a time',
    roles: 'public',
    status: 200,
    returns: '`items` in code order and a paging cursor `next` (null on the last page)',
    query: CatalogItemsQuery,
    response: 'CatalogItemPage',
  },
  'GET /v1/public/units': {
    summary: 'The units register as published: who the catalog and application lists name (code, name, kind, level, district)',
    roles: 'public',
    status: 200,
    returns: 'Units in code order and a paging cursor `next` (null on the last page); a filtered page may hold fewer than `limit`',
    query: UnitsQuery,
    response: 'PublicUnitList',
  },
  'GET /v1/public/unit-lists': {
    summary: "Units' lists in their public comment period (公示): what each unit proposes to change in its list, before approval",
    roles: 'public',
    status: 200,
    returns: 'One page of lists whose comment period has not ended, with their start, end and change counts, and a cursor `next`',
    query: ListPageQuery,
    response: 'PublicUnitLists',
  },
  'GET /v1/openapi.json': { summary: 'This OpenAPI document', roles: 'public', status: 200, returns: 'The OpenAPI 3.1 document', response: 'OpenApiDocument' },
} as const satisfies Record<string, RouteDoc>;
