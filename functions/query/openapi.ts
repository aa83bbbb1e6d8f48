/**
 * The OpenAPI 3.1 description of the HTTP API, built from the manifest (lib/platform.ts: every
 * `http` trigger route) and the zod schemas of functions/<context>/schemas.ts — never from the
 * handlers, so nothing here pulls in an SDK client. Pure and deterministic: `npm run openapi` writes
 * it to docs/openapi.json, GET /v1/openapi.json serves that file (openapi-api.ts), and
 * test/unit/openapi.test.ts fails when the two drift. A route in the manifest without an entry in
 * ROUTES below makes the build throw, so no route goes undocumented.
 */
import { z } from 'zod';
import { FUNCTIONS, isClientLimited, isPublicRoute } from '#lib/platform';
import { catalogSchema, PURPOSES } from '#core/catalog';
import { ROLES, type Role } from '#core/claims';
import { ArrangementBody, CalendarPublished, CalendarYear } from '../calendar/schemas.ts';
import {
  CatalogImport,
  CatalogImportStarted,
  CatalogItemPage,
  CatalogItemView,
  CatalogItemsQuery,
  CatalogPublished,
  CatalogVersions,
  CurrentCatalog,
  PublicCatalog,
  UnitBody,
  UnitList,
  UnitsQuery,
  UnitView,
} from '../catalog/schemas.ts';
import {
  CommentPeriodBody,
  ListEntryBody,
  PageQuery as ListPageQuery,
  ReturnBody as ListReturnBody,
  RevBody as ListRevBody,
  PublicUnitLists,
  UnitListApproved,
  UnitListHistory,
  UnitListQueue,
  UnitListReview,
  UnitListView,
  ListMetaView,
} from '../lists/schemas.ts';
import { CheckRequestSchema, CheckStarted, CheckView, EligibilityRequestSchema, EligibilityResult } from '../checks/schemas.ts';
import { ExportStats, ExportStatsQuery, HeldList, HeldQuery, OverdueList, OverdueQuery, RunList, RunStarted, RunsQuery } from '../export/schemas.ts';
import { BatchList, CompleteRequest, ListQuery, ReceiptView, UploadCompleted, UploadRequest, UploadStarted } from '../ingest/schemas.ts';
import {
  decisionEntryRequest,
  feedbackRequest,
  feedbackView,
  jointCheckRequest,
  jointCheckResponse,
  jointStatsView,
  listEntryView,
  objectionDecisionRequest,
  objectionRequest,
  overdueFeedback,
  ownJointFileView,
  publicListEntries,
  publicListsView,
  storedJointCheck,
} from '../joint/schemas.ts';
import {
  CreateObjection,
  DecisionBody,
  ObjectionDetail,
  ObjectionFiled,
  ObjectionList,
  ObjectionListQuery,
  ObjectionView,
  OwnReport,
  RecordRepaired,
  RecordRevoked,
  RemitBody,
  RepairBody,
  ReportQuery,
  RevocationBody,
} from '../rights/schemas.ts';
import {
  AnnualReport,
  AnnualReportQuery,
  ApplicationFigures,
  ApplicationStats,
  ExportFigures,
  ExportPushStats,
  IngestionFigures,
  IngestionStats,
  ObjectionFigures,
  ObjectionStats,
  PeriodQuery,
  PublicityFigures,
  PublicityStats,
  QualityFigures,
  QualityStats,
  QueryStats,
  QueryStatsQuery,
  StockStats,
} from '../stats/schemas.ts';
import {
  Authorization,
  AuthorizationCreated,
  AuthorizationList,
  CreateAuthorization,
  CreditFile,
  LogVerdict,
  MeQuery,
  MyQueries,
  OpenApiDocument,
  PublicRecord,
  PublicSearch,
  PublicSearchQuery,
  PublicSubject,
  SubjectRefIssued,
  SubjectRefRequest,
  UnitQueries,
  VerifyLogQuery,
} from './schemas.ts';

export const OPENAPI_VERSION = '3.1.0';
export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/**
 * The query parameters of the credit-file query. The handler reads them one by one (credit-file.ts)
 * and the access rules judge them; this schema only documents them.
 */
const CreditFileQuery = z.object({
  purpose: z.enum(PURPOSES).optional().describe('The purpose of the query; required for role gov, and it must be one the unit declared in the catalog'),
  authorization: z.string().min(1).max(64).optional().describe('Ref of a written authorisation (书面授权) from the subject'),
  ref: z.string().min(1).max(128).optional().describe("The caller's business reference, kept in the query log"),
  audit: z
    .enum(['true', 'false'])
    .optional()
    .describe('Admins only: the audit view, which adds records no longer served (repaired, revoked, deleted, expired, withdrawn) with their status'),
});

type JsonSchema = Record<string, unknown>;

/** Named request bodies: components.schemas[name]. */
const BODIES = {
  Catalog: catalogSchema,
  Unit: UnitBody,
  UploadRequest,
  CompleteUploadRequest: CompleteRequest,
  CreateAuthorization,
  SubjectRefRequest,
  CheckRequest: CheckRequestSchema,
  EligibilityRequest: EligibilityRequestSchema,
  CreateObjection,
  ObjectionRemit: RemitBody,
  ObjectionDecision: DecisionBody,
  RepairRequest: RepairBody,
  RevocationRequest: RevocationBody,
  CalendarArrangement: ArrangementBody,
  JointCheckRequest: jointCheckRequest,
  JointFeedback: feedbackRequest,
  ListEntryDecision: decisionEntryRequest,
  ListEntryObjection: objectionRequest,
  ListEntryObjectionDecision: objectionDecisionRequest,
  UnitListEntry: ListEntryBody,
  UnitListRev: ListRevBody,
  UnitListReturn: ListReturnBody,
  UnitListCommentPeriod: CommentPeriodBody,
} satisfies Record<string, z.ZodType>;
type BodyName = keyof typeof BODIES;

/**
 * Named success responses: components.schemas[name]. Tests parse what the handlers answer with them
 * (test/support/response-check.ts), so a handler and its documented shape cannot drift apart.
 */
export const RESPONSES = {
  Receipt: ReceiptView,
  BatchList,
  UploadStarted,
  UploadCompleted,
  CatalogPublished,
  CurrentCatalog,
  CatalogVersions,
  CatalogItemPage,
  CatalogItem: CatalogItemView,
  CatalogImportStarted,
  CatalogImport,
  PublicCatalog,
  Unit: UnitView,
  UnitList,
  CreditFile,
  AuthorizationCreated,
  Authorization,
  AuthorizationList,
  MyQueries,
  LogVerdict,
  QueryStats,
  IngestionStats,
  QualityStats,
  PublicityStats,
  ApplicationStats,
  ObjectionStats,
  ExportPushStats,
  AnnualReport,
  CheckStarted,
  Check: CheckView,
  EligibilityResult,
  PublicSearch,
  PublicSubject,
  SubjectRefIssued,
  UnitQueries,
  StockStats,
  JointStats: jointStatsView,
  ObjectionFiled,
  ObjectionList,
  Objection: ObjectionView,
  ObjectionDetail,
  RecordRepaired,
  RecordRevoked,
  OwnReport,
  ExportRunStarted: RunStarted,
  ExportRuns: RunList,
  ExportStats,
  ExportsOverdue: OverdueList,
  ExportsHeld: HeldList,
  CalendarYear,
  CalendarPublished,
  OpenApiDocument,
  JointCheck: jointCheckResponse,
  StoredJointCheck: storedJointCheck,
  JointFeedbackRecorded: feedbackView,
  OverdueFeedback: overdueFeedback,
  ListEntry: listEntryView,
  OwnJointFile: ownJointFileView,
  PublicLists: publicListsView,
  PublicListEntries: publicListEntries,
  UnitListState: ListMetaView,
  UnitOwnList: UnitListView,
  UnitListQueue,
  UnitListReview,
  UnitListHistory,
  UnitListApproved,
  PublicUnitLists,
} satisfies Record<string, z.ZodType>;

/** Parts of several responses, named once so the document refers to them instead of repeating them. */
const SHARED_PARTS = {
  Catalog: catalogSchema,
  PublicRecord,
  IngestionFigures,
  QualityFigures,
  PublicityFigures,
  ApplicationFigures,
  ObjectionFigures,
  ExportFigures,
} satisfies Record<string, z.ZodType>;
type ResponseName = keyof typeof RESPONSES;

interface RouteDoc {
  summary: string;
  /** Roles allowed; 'public' = no token. */
  roles: readonly Role[] | 'public';
  status: number;
  /** Description of the success response. */
  returns: string;
  /** A non-JSON success content type (CSV, HTML); with `response` too, either is answered (a query parameter chooses). */
  contentType?: string;
  query?: z.ZodType;
  body?: BodyName;
  /** The JSON success body's schema; every route answering JSON names one. */
  response?: ResponseName;
}

const ALL: readonly Role[] = ROLES;

/**
 * One entry per manifest route; keys are API Gateway route keys exactly as in lib/platform.ts.
 * `satisfies` keeps each route's response name, so functions/api-routes.ts can type its handler.
 */
export const ROUTES = {
  'PUT /v1/catalog': {
    summary: 'Publish a new catalog version',
    roles: ['admin'],
    status: 201,
    returns: 'The published version',
    body: 'Catalog',
    response: 'CatalogPublished',
  },
  'GET /v1/catalog': {
    summary: 'The current catalog',
    roles: ALL,
    status: 200,
    returns:
      'The version and counts per section; the document inline (`catalog`) for a catalog of up to 1,000 items, otherwise `snapshotUrl`, a presigned URL of the gzipped document (the shape PUT /v1/catalog takes)',
    response: 'CurrentCatalog',
  },
  'GET /v1/catalog/versions': {
    summary: 'Every published catalog version',
    roles: ALL,
    status: 200,
    returns: 'The versions, newest first',
    response: 'CatalogVersions',
  },
  'GET /v1/catalog/items': {
    summary: 'Published catalog items, one page at a time',
    roles: ALL,
    status: 200,
    returns:
      '`items` in code order (as in the catalog document) and a paging cursor `next` (null on the last page); a filtered page may hold fewer than `limit`',
    query: CatalogItemsQuery,
    response: 'CatalogItemPage',
  },
  'GET /v1/catalog/items/{code}': {
    summary: 'One published catalog item',
    roles: ALL,
    status: 200,
    returns: 'The item as in the catalog document',
    response: 'CatalogItem',
  },
  'POST /v1/catalog/imports': {
    summary: 'Start a bulk catalog import',
    roles: ['admin'],
    status: 201,
    returns:
      '`importId` and `uploadUrl`, a presigned URL to PUT the whole document to (the catalog JSON of PUT /v1/catalog, optionally gzip-compressed); its arrival starts the import',
    response: 'CatalogImportStarted',
  },
  'GET /v1/catalog/imports/{importId}': {
    summary: 'A bulk catalog import',
    roles: ['admin'],
    status: 200,
    returns:
      '`status` RECEIVED | VALIDATING | PUBLISHED | REJECTED | FAILED (`reason`: its message failed every attempt), `version`, `items`, `providers`, `problems` [{path, code, message}] (the first 1,000; `problemCount` all, `problemsUrl` the whole list when longer)',
    response: 'CatalogImport',
  },
  'GET /v1/units': {
    summary: 'The units register: providers, government query units, credit agencies, service windows',
    roles: ALL,
    status: 200,
    returns: 'Units in code order and a paging cursor `next` (null on the last page)',
    query: UnitsQuery,
    response: 'UnitList',
  },
  'PUT /v1/units/{code}': {
    summary: 'Register or update a unit (name, USCC, kind, level, district, roles)',
    roles: ['admin'],
    status: 200,
    returns: 'The unit as stored',
    body: 'Unit',
    response: 'Unit',
  },
  'POST /v1/uploads': {
    summary: 'Start an upload: a presigned PUT URL, or multipart part URLs',
    roles: ['provider'],
    status: 201,
    returns: 'The batch id and upload URL(s)',
    body: 'UploadRequest',
    response: 'UploadStarted',
  },
  'POST /v1/uploads/{batchId}/complete': {
    summary: 'Complete a multipart upload',
    roles: ['provider'],
    status: 200,
    returns: 'The batch id and object key',
    body: 'CompleteUploadRequest',
    response: 'UploadCompleted',
  },
  'GET /v1/batches': {
    summary: 'List batch receipts',
    roles: ['provider', 'admin'],
    status: 200,
    returns: 'Receipts and a paging cursor',
    query: ListQuery,
    response: 'BatchList',
  },
  'GET /v1/batches/{batchId}': { summary: "One batch's receipt", roles: ['provider', 'admin'], status: 200, returns: 'The receipt', response: 'Receipt' },
  'GET /v1/batches/{batchId}/rejections': {
    summary: "A batch's rejected rows as CSV",
    roles: ['provider', 'admin'],
    status: 200,
    returns: 'The rejected rows with their errors',
    contentType: 'text/csv',
  },
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
  'GET /v1/stats/queries': {
    summary: 'Query statistics: by purpose, unit, role, channel, subject type and month',
    roles: ['admin'],
    status: 200,
    returns: 'Query counts, grouped as asked in `groups` and by every dimension in `byGroup`',
    query: QueryStatsQuery,
    response: 'QueryStats',
  },
  'GET /v1/stats/ingestion': {
    summary: 'Records collected: by provider, item, record class × subject type, year',
    roles: ['admin'],
    status: 200,
    returns: 'Ingestion counts of the batches completed in the period',
    query: PeriodQuery,
    response: 'IngestionStats',
  },
  'GET /v1/stats/quality': {
    summary: "Data quality: each provider's link rate (关联入库有效性 = linked ÷ accepted) and the providers at 100%",
    roles: ['admin'],
    status: 200,
    returns: 'Link rates per provider and subject type',
    query: PeriodQuery,
    response: 'QualityStats',
  },
  'GET /v1/stats/publicity': {
    summary: 'Double publicity (双公示): items in the catalog and records collected',
    roles: ['admin'],
    status: 200,
    returns: 'Items, providers and records by type',
    query: PeriodQuery,
    response: 'PublicityStats',
  },
  'GET /v1/stats/applications': {
    summary: 'Application-list fulfilment (应用清单落实): declared items actually served by a query',
    roles: ['admin'],
    status: 200,
    returns: 'Declared, fulfilled and the rate, per unit',
    query: PeriodQuery,
    response: 'ApplicationStats',
  },
  'GET /v1/reports/annual': {
    summary: 'The annual operations report (运行情况报告) with charts',
    roles: ['admin'],
    status: 200,
    returns: 'A self-contained HTML page, or its figures as JSON with format=json',
    contentType: 'text/html',
    query: AnnualReportQuery,
    response: 'AnnualReport',
  },
  'POST /v1/checks': {
    summary: 'Start a bulk check (批量核查) of up to 100,000 subjects',
    roles: ['gov'],
    status: 202,
    returns: 'The check id and status',
    body: 'CheckRequest',
    response: 'CheckStarted',
  },
  'GET /v1/checks/{checkId}': {
    summary: "A bulk check's status, progress, summary and result URL",
    roles: ['gov', 'admin'],
    status: 200,
    returns: 'The check',
    response: 'Check',
  },
  'POST /v1/eligibility': {
    summary: 'Evaluate an eligibility rule set (信用状况良好) for subjects',
    roles: ['gov', 'admin'],
    status: 200,
    returns: 'Per subject: eligible and the reasons',
    body: 'EligibilityRequest',
    response: 'EligibilityResult',
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
  'GET /v1/public/unit-lists': {
    summary: "Units' lists in their public comment period (公示): what each unit proposes to change in its list, before approval",
    roles: 'public',
    status: 200,
    returns: 'One page of lists whose comment period has not ended, with their start, end and change counts, and a cursor `next`',
    query: ListPageQuery,
    response: 'PublicUnitLists',
  },

  'POST /v1/objections': {
    summary: 'File an objection (异议) to a record; the record is marked at once',
    roles: ['subject', 'admin'],
    status: 201,
    returns: 'The objection id, status, step deadlines and presigned evidence upload URLs',
    body: 'CreateObjection',
    response: 'ObjectionFiled',
  },
  'GET /v1/objections': {
    summary: 'Objections: all (admin), forwarded to the caller (provider), own (subject); filter by status and overdue',
    roles: ['admin', 'provider', 'subject'],
    status: 200,
    returns: 'Objections newest first with each step, its deadline and overdue flag; `total` and a paging cursor `next`',
    query: ObjectionListQuery,
    response: 'ObjectionList',
  },
  'GET /v1/objections/{objectionId}': {
    summary: 'One objection: steps, deadlines, history and outcome',
    roles: ['admin', 'provider', 'subject'],
    status: 200,
    returns: 'The objection',
    response: 'ObjectionDetail',
  },
  'POST /v1/objections/{objectionId}/remit': {
    summary: "Keep an objection on the platform's remit or forward it to the provider",
    roles: ['admin'],
    status: 200,
    returns: 'The objection',
    body: 'ObjectionRemit',
    response: 'Objection',
  },
  'POST /v1/objections/{objectionId}/decision': {
    summary: 'Decide an objection: CORRECTED (validated like an upload), DELETED or UPHELD',
    roles: ['admin', 'provider'],
    status: 200,
    returns: 'The decided objection',
    body: 'ObjectionDecision',
    response: 'Objection',
  },
  'GET /v1/stats/objections': {
    summary: 'Objections (异议) and credit repairs (信用修复): applications, completed, annotated per year and subject type; repairs and revocations',
    roles: ['admin'],
    status: 200,
    returns: 'Counts per calendar year of receipt (`years`), `total`, `bySubjectType`, and `repairs` by subject type and provider',
    query: PeriodQuery,
    response: 'ObjectionStats',
  },
  'GET /v1/stats/exports': {
    summary: 'Records pushed to the national platform (数据推送情况), by type (PENALTY, LICENSING)',
    roles: ['admin'],
    status: 200,
    returns: 'Per year and summed: records (first published), updates, withdrawals, rejections',
    query: PeriodQuery,
    response: 'ExportPushStats',
  },
  'GET /v1/stats/stock': {
    summary:
      'The current stock of queryable records (可查询数据存量) per subject type and record class, kept as records are written, expire, are withdrawn or repaired',
    roles: ['admin'],
    status: 200,
    returns: '`total`, `bySubjectType.{LEGAL,NATURAL}`, `rows[]` of `{subjectType, recordClass, records}`',
    response: 'StockStats',
  },
  'POST /v1/records/{recordId}/repair': {
    summary: "Record a credit repair (信用修复) certificate for one of the provider's negative records",
    roles: ['provider'],
    status: 200,
    returns: 'The repaired record id and the repair',
    body: 'RepairRequest',
    response: 'RecordRepaired',
  },
  'POST /v1/records/{recordId}/revocation': {
    summary: "Record that the decision behind one of the provider's records was revoked (撤销)",
    roles: ['provider'],
    status: 200,
    returns: 'The revoked record id, who, when and why',
    body: 'RevocationRequest',
    response: 'RecordRevoked',
  },
  'GET /v1/me/report': {
    summary: "The subject's own credit report (JSON or printable HTML); 2 free a year for natural persons",
    roles: ['subject'],
    status: 200,
    returns: 'The report; printable HTML with format=html',
    contentType: 'text/html',
    query: ReportQuery,
    response: 'OwnReport',
  },
  'POST /v1/exports/run': {
    summary: 'Start a national export run (双公示 push) now; 409 EXPORT_RUNNING while another run holds the lease',
    roles: ['admin'],
    status: 202,
    returns: 'The run id; follow it in GET /v1/exports/runs',
    response: 'ExportRunStarted',
  },
  'GET /v1/exports/runs': {
    summary: 'National export runs, newest first',
    roles: ['admin'],
    status: 200,
    returns: 'Runs: status RUNNING | COMPLETED | FAILED, started, finished, sent, accepted, rejected, retried, held, withdrawn, skipped, reason',
    query: RunsQuery,
    response: 'ExportRuns',
  },
  'GET /v1/exports/stats': {
    summary: 'Records the national platform accepted in a year, by type (PENALTY, LICENSING)',
    roles: ['admin'],
    status: 200,
    returns: 'Per type: records (first published), updates, withdrawals, rejections',
    query: ExportStatsQuery,
    response: 'ExportStats',
  },
  'GET /v1/exports/overdue': {
    summary: 'Active double-publicity records more than 7 working days after their decision and not yet accepted nationally',
    roles: ['admin'],
    status: 200,
    returns: 'Records with decision date, deadline, working days late, outcome and error; asOf sets the day judged',
    query: OverdueQuery,
    response: 'ExportsOverdue',
  },
  'GET /v1/exports/held': {
    summary: 'Records held back because they cannot be mapped to the national format (Version B)',
    roles: ['admin'],
    status: 200,
    returns: 'Records with the reason each is held',
    query: HeldQuery,
    response: 'ExportsHeld',
  },
  'GET /v1/calendar/{year}': {
    summary: 'The working-day calendar of a year: official (published) or provisional (statutory holidays computed, no adjusted working days)',
    roles: ALL,
    status: 200,
    returns: '{year, source: official | provisional, holidays, workdays}',
    response: 'CalendarYear',
  },
  'PUT /v1/calendar/{year}': {
    summary: "Publish a year's official arrangement (State Council notice); open objection and export deadlines it moves are re-indexed",
    roles: ['admin'],
    status: 200,
    returns: 'The arrangement as stored and how many open deadlines moved',
    body: 'CalendarArrangement',
    response: 'CalendarPublished',
  },
  'GET /v1/openapi.json': { summary: 'This OpenAPI document', roles: 'public', status: 200, returns: 'The OpenAPI 3.1 document', response: 'OpenApiDocument' },
  'POST /v1/joint/checks': {
    summary: '联合奖惩 matter check of up to 100 subjects: behaviours, list status and the measures binding the unit; logged',
    roles: ['gov'],
    status: 201,
    returns: 'The check id, feedback due time and per subject behaviours, lists and measures with bases',
    body: 'JointCheckRequest',
    response: 'JointCheck',
  },
  'GET /v1/joint/checks/{checkId}': {
    summary: "A joint check of the caller's unit",
    roles: ['gov'],
    status: 200,
    returns: 'The stored check',
    response: 'StoredJointCheck',
  },
  'POST /v1/joint/checks/{checkId}/feedback': {
    summary: 'Feedback (反馈): whether a measure was applied; a MANDATORY one not applied needs a reason',
    roles: ['gov'],
    status: 201,
    returns: 'The recorded feedback (200: the same answer again)',
    body: 'JointFeedback',
    response: 'JointFeedbackRecorded',
  },
  'GET /v1/joint/feedback': {
    summary: 'Feedback past its due time (overdue=true): own unit, or every unit for admins',
    roles: ['gov', 'admin'],
    status: 200,
    returns: 'Overdue feedback, oldest first',
    response: 'OverdueFeedback',
  },
  'POST /v1/joint/lists/{code}/entries': {
    summary: "Enter a subject on the unit's list by decision (NOTIFIED for the notice period)",
    roles: ['gov'],
    status: 201,
    returns: 'The entry (200: the open entry already there)',
    body: 'ListEntryDecision',
    response: 'ListEntry',
  },
  'POST /v1/joint/entries/{entryId}/objection': {
    summary: 'Object to an own list entry; holds a NOTIFIED entry until decided',
    roles: ['subject'],
    status: 201,
    returns: 'The entry with its open objection',
    body: 'ListEntryObjection',
    response: 'ListEntry',
  },
  'POST /v1/joint/entries/{entryId}/objection/decision': {
    summary: "Decide an objection to a list entry (the list's unit)",
    roles: ['gov', 'admin'],
    status: 200,
    returns: 'The entry (EXITED when upheld)',
    body: 'ListEntryObjectionDecision',
    response: 'ListEntry',
  },
  'GET /v1/me/joint': {
    summary: "The subject's own joint file: behaviours, list entries, measures with bases, feedback",
    roles: ['subject'],
    status: 200,
    returns: 'The joint file',
    response: 'OwnJointFile',
  },
  'GET /v1/joint/stats': {
    summary: '联合奖惩 statistics: checks by matter × subject type, hit rates, feedback by unit and measure, list entries and exits by month',
    roles: ['admin'],
    status: 200,
    returns: 'totals, byMatter, byUnit, byMeasure, byList, byListMonth and the published behaviour list (behaviourList)',
    query: PeriodQuery,
    response: 'JointStats',
  },
  'GET /v1/public/lists': {
    summary: 'Public credit lists with criteria, remedy and exit conditions',
    roles: 'public',
    status: 200,
    returns: 'The public lists',
    response: 'PublicLists',
  },
  'GET /v1/public/lists/{code}/entries': {
    summary: 'LISTED entries of a public list (natural persons masked)',
    roles: 'public',
    status: 200,
    returns: 'One page of entries and a cursor `next`',
    response: 'PublicListEntries',
  },
  'GET /v1/lists': {
    summary: "The credit centre's queue of units' lists in review (SUBMITTED, in public comment)",
    roles: ['admin'],
    status: 200,
    returns: 'One page of lists, oldest submission first, and a cursor `next`',
    query: ListPageQuery,
    response: 'UnitListQueue',
  },
  'GET /v1/lists/{unit}': {
    summary: "A unit's own list: status, rev, the staged draft, the comments of the last return",
    roles: ['admin', 'provider', 'gov'],
    status: 200,
    returns: "The list's state, its staged changes and the published entries per section",
    response: 'UnitOwnList',
  },
  'PUT /v1/lists/{unit}/entries/{section}/{key}': {
    summary: "Stage an entry of the unit's draft (added or changed): an item (providers), a matter or application (government units)",
    roles: ['admin', 'provider', 'gov'],
    status: 200,
    returns: "The list's state; 409 UNIT_LIST_NOT_EDITABLE while it is in review",
    body: 'UnitListEntry',
    response: 'UnitListState',
  },
  'DELETE /v1/lists/{unit}/entries/{section}/{key}': {
    summary: 'Stage the removal of a published entry, or drop an entry staged but never published',
    roles: ['admin', 'provider', 'gov'],
    status: 200,
    returns: "The list's state",
    response: 'UnitListState',
  },
  'POST /v1/lists/{unit}/submit': {
    summary: 'Submit the draft for review by the credit centre',
    roles: ['admin', 'provider', 'gov'],
    status: 200,
    returns: "The list's state (SUBMITTED)",
    body: 'UnitListRev',
    response: 'UnitListState',
  },
  'GET /v1/lists/{unit}/review': {
    summary:
      'Diff of the draft against the published list, dry run (batches in flight, stored records, references, fields that would reject rows) and every problem',
    roles: ['admin', 'provider', 'gov'],
    status: 200,
    returns: 'Diff, summary, dry run, problems with the catalog labels, and whether it may be approved now',
    response: 'UnitListReview',
  },
  'POST /v1/lists/{unit}/comment-period': {
    summary: 'Put a submitted list to public comment (Art 9) from `start` to `end`',
    roles: ['admin'],
    status: 200,
    returns: "The list's state (COMMENT)",
    body: 'UnitListCommentPeriod',
    response: 'UnitListState',
  },
  'POST /v1/lists/{unit}/approve': {
    summary: "Approve: publish the unit's changes as a new catalog version (nobody else's entries are written)",
    roles: ['admin'],
    status: 200,
    returns: 'The catalog version published and the counts; 422 UNIT_LIST_HAS_PROBLEMS lists every problem',
    body: 'UnitListRev',
    response: 'UnitListApproved',
  },
  'POST /v1/lists/{unit}/return': {
    summary: 'Return the list to the unit with comments',
    roles: ['admin'],
    status: 200,
    returns: "The list's state (RETURNED)",
    body: 'UnitListReturn',
    response: 'UnitListState',
  },
  'GET /v1/lists/{unit}/history': {
    summary: "The unit's list history: submissions, comment periods, returns with comments, approvals",
    roles: ['admin', 'provider', 'gov'],
    status: 200,
    returns: 'One page of events, newest first, and a cursor `next`',
    query: ListPageQuery,
    response: 'UnitListHistory',
  },
} satisfies Record<string, RouteDoc>;
const ROUTE_DOCS: Record<string, RouteDoc | undefined> = ROUTES;

/** The documented success status and JSON schema of a route (undefined for a route answering only CSV or HTML). */
export function successOf(routeKey: string): { status: number; schema: z.ZodType } | undefined {
  const doc = ROUTE_DOCS[routeKey];
  return doc?.response ? { status: doc.status, schema: RESPONSES[doc.response] } : undefined;
}

const PATH_PARAMS: Record<string, string> = {
  batchId: 'Batch id from POST /v1/uploads',
  importId: 'Import id from POST /v1/catalog/imports',
  code: 'Unit code (upper-case letters, digits, "-", "_") under /v1/units; item code under /v1/catalog/items; credit list code from the catalog (creditLists[].code) under /v1/joint/lists and /v1/public/lists',
  uscc: 'Unified social credit code (统一社会信用代码), 18 characters',
  idNumber: 'Resident ID number (居民身份证号码), 18 characters',
  ref: 'Authorisation ref',
  checkId: 'Check id from POST /v1/checks',
  objectionId: 'Objection id from POST /v1/objections',
  recordId: 'Record id as credit-file queries return it (22 characters)',
  year: 'Calendar year, four digits (2000–2200)',
  entryId: 'List entry id',
  unit: 'Unit code (the unit whose list it is)',
  section: "A unit list's section: items | matters | applications",
  key: 'Entry key: the item or matter code; an application is {unit}#{purpose} (URL-encoded)',
};

function toSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io }) as JsonSchema;
  return rest;
}

/**
 * JSON Schemas of named zod schemas, one component each; a named schema inside another is a $ref to
 * its component. Requests are described as accepted (input), responses as answered (output).
 */
function components(named: Record<string, z.ZodType>, io: 'input' | 'output'): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(named)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { target: 'draft-2020-12', io, uri: (id) => `#/components/schemas/${id}` });
  return Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _dialect, $id: _id, ...rest }]) => [id, rest as JsonSchema]));
}

function queryParameters(schema: z.ZodType): JsonSchema[] {
  const js = toSchema(schema);
  const properties = (js.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((js.required ?? []) as string[]);
  return Object.entries(properties).map(([name, prop]) => {
    const { description, ...rest } = prop;
    return {
      name,
      in: 'query',
      required: required.has(name),
      ...(description === undefined ? {} : { description }),
      schema: rest,
    };
  });
}

function operationId(method: string, path: string): string {
  const words = path
    .replace(/^\/v1\//, '')
    .replace(/\.json$/, '')
    .split('/')
    .map((seg) => (seg.startsWith('{') ? `by-${seg.slice(1, -1)}` : seg))
    .flatMap((seg) => seg.split(/[^A-Za-z0-9]+/))
    .filter(Boolean);
  return [method.toLowerCase(), ...words.map((w) => w[0]!.toUpperCase() + w.slice(1))].join('');
}

const errorRef = (name: string) => ({ $ref: `#/components/responses/${name}` });

export interface HttpRouteOfManifest {
  fn: string;
  method: string;
  path: string;
  routeKey: string;
}

/** Every http route of the manifest, in manifest order. */
export function manifestRoutes(): HttpRouteOfManifest[] {
  return Object.entries(FUNCTIONS).flatMap(([fn, def]) =>
    def.trigger.kind === 'http'
      ? def.trigger.routes.map((routeKey) => {
          const [method, path] = routeKey.split(' ') as [string, string];
          return { fn, method, path, routeKey };
        })
      : [],
  );
}

function operation(route: HttpRouteOfManifest, doc: RouteDoc): JsonSchema {
  const isPublic = isPublicRoute(route.routeKey);
  if (isPublic !== (doc.roles === 'public')) {
    throw new Error(
      `OpenAPI: ${route.routeKey} is ${isPublic ? '' : 'not '}public in lib/platform.ts but documented as ${doc.roles === 'public' ? 'public' : 'authenticated'}`,
    );
  }
  const pathNames = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const parameters = [
    ...pathNames.map((name) => {
      const description = PATH_PARAMS[name];
      if (!description) throw new Error(`OpenAPI: no description for path parameter {${name}} of ${route.routeKey}`);
      return { name, in: 'path', required: true, description, schema: { type: 'string', minLength: 1 } };
    }),
    ...(doc.query ? queryParameters(doc.query) : []),
  ];
  const roles = doc.roles === 'public' ? 'none (no token)' : doc.roles.join(', ');
  if (!doc.response && !doc.contentType) throw new Error(`OpenAPI: ${route.routeKey} answers JSON but names no response schema`);
  const content = {
    ...(doc.response ? { 'application/json': { schema: { $ref: `#/components/schemas/${doc.response}` } } } : {}),
    ...(doc.contentType ? { [doc.contentType]: { schema: { type: 'string' } } } : {}),
  };
  const responses: Record<string, unknown> = { [String(doc.status)]: { description: doc.returns, content } };
  if (parameters.length > 0 || doc.body) responses['400'] = errorRef('BadRequest');
  if (doc.roles !== 'public') {
    responses['401'] = errorRef('Unauthenticated');
    responses['403'] = errorRef('Forbidden');
  }
  if (pathNames.length > 0) responses['404'] = errorRef('NotFound');
  responses['429'] = errorRef(isClientLimited(route.routeKey) ? 'RateLimited' : 'Throttled');
  responses['500'] = errorRef('Internal');
  responses['503'] = errorRef('Unavailable');
  return {
    operationId: operationId(route.method, route.path),
    summary: doc.summary,
    description: `${FUNCTIONS[route.fn as keyof typeof FUNCTIONS].description}. Roles: ${roles}.`,
    tags: [route.fn],
    security: doc.roles === 'public' ? [] : [{ bearerAuth: [] }],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(doc.body ? { requestBody: { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${doc.body}` } } } } } : {}),
    responses,
  };
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

/** The OpenAPI 3.1 document. Throws when a manifest route has no entry in ROUTES, or ROUTES one the manifest lacks. */
export function buildOpenApi(): Record<string, unknown> {
  const routes = manifestRoutes();
  const known = new Set(routes.map((r) => r.routeKey));
  const stale = Object.keys(ROUTES).filter((k) => !known.has(k));
  if (stale.length > 0) throw new Error(`OpenAPI: documented routes not in lib/platform.ts: ${stale.join(', ')}`);

  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const doc = ROUTE_DOCS[route.routeKey];
    if (!doc) throw new Error(`OpenAPI: route ${route.routeKey} (${route.fn}) has no entry in functions/query/openapi.ts ROUTES`);
    const item = (paths[route.path] ??= {});
    const method = route.method.toLowerCase();
    if (item[method]) throw new Error(`OpenAPI: route ${route.routeKey} appears twice in the manifest`);
    item[method] = operation(route, doc);
  }

  const tags = Object.entries(FUNCTIONS)
    .filter(([, def]) => def.trigger.kind === 'http')
    .map(([name, def]) => ({ name, description: def.description }));

  const schemas: Record<string, unknown> = {
    Error: {
      type: 'object',
      properties: {
        error: {
          type: 'object',
          properties: {
            code: { type: 'string', description: 'Machine-readable code, e.g. VALIDATION_FAILED' },
            message: { type: 'string', description: 'What went wrong, for people' },
            details: { type: 'array', description: 'Specific problems, e.g. {path, message} per invalid field', items: {} },
          },
          required: ['code', 'message', 'details'],
          additionalProperties: false,
        },
      },
      required: ['error'],
      additionalProperties: false,
    },
  };
  schemas.GatewayError = {
    type: 'object',
    description: 'What API Gateway itself answers (no token, throttled, the function timed out) before or instead of a handler',
    properties: { message: { type: 'string', examples: ['Unauthorized', 'Too Many Requests', 'Service Unavailable'] } },
    required: ['message'],
  };
  Object.assign(schemas, components(BODIES, 'input'), components({ ...RESPONSES, ...SHARED_PARTS }, 'output'));

  return {
    openapi: OPENAPI_VERSION,
    jsonSchemaDialect: JSON_SCHEMA_DIALECT,
    info: {
      title: 'Public credit information platform API',
      version: '1',
      description:
        'Generated from lib/platform.ts and the zod schemas in functions/<context>/schemas.ts (functions/query/openapi.ts). Errors from a handler have the Error shape with a stable `code`; API Gateway answers some statuses itself (401 without a valid token, 429 when throttled, 503 when a function times out) with the GatewayError shape. Do not edit docs/openapi.json by hand: run `npm run openapi`.',
    },
    tags,
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Cognito ID token (locally: POST /local/token)' },
      },
      schemas,
      responses: {
        BadRequest: errorResponse('Invalid JSON, path, query or body; details lists every problem'),
        Unauthenticated: {
          description: 'No valid bearer token (API Gateway answers {"message": "Unauthorized"})',
          content: { 'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/GatewayError' }, { $ref: '#/components/schemas/Error' }] } } },
        },
        Forbidden: errorResponse('The role or scope does not allow this request'),
        NotFound: errorResponse('No such resource'),
        Internal: errorResponse('Internal error (logged; never a stack trace)'),
        Throttled: {
          description: 'Too many requests (API Gateway throttling; public routes are throttled more tightly)',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/GatewayError' } } },
        },
        RateLimited: {
          description:
            'Too many requests: API Gateway throttling (GatewayError), or this client (source IP) used up its requests of the current window on the anonymous routes (Error, code RATE_LIMITED; `details[0].retryAfterSeconds`)',
          headers: { 'Retry-After': { description: 'Seconds until the next window (RATE_LIMITED only)', schema: { type: 'integer', minimum: 1 } } },
          content: { 'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/GatewayError' }, { $ref: '#/components/schemas/Error' }] } } },
        },
        Unavailable: {
          description: 'The function did not answer in time (API Gateway)',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/GatewayError' } } },
        },
      },
    },
  };
}
