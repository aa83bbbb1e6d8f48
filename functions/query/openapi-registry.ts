/**
 * What the OpenAPI document is built from (functions/query/openapi.ts): the named request and
 * response schemas of every context's schemas.ts, and ROUTES, every context's route table
 * (functions/<context>/routes.ts) in one. Schemas and data only: no handler, adapter or SDK.
 */
import type { z } from 'zod';
import { catalogSchema } from '#core/catalog';
import { ArrangementBody, CalendarPublished, CalendarYear } from '../calendar/schemas.ts';
import {
  CatalogImport,
  CatalogImportStarted,
  CatalogItemPage,
  CatalogItemView,
  CatalogPublished,
  CatalogVersions,
  CurrentCatalog,
  PublicCatalog,
  PublicUnitList,
  UnitBody,
  UnitList,
  UnitView,
} from '../catalog/schemas.ts';
import {
  CommentPeriodBody,
  ListEntryBody,
  ReturnBody as ListReturnBody,
  RevBody as ListRevBody,
  UnitListApproved,
  PublicUnitLists,
  UnitListHistory,
  UnitListQueue,
  UnitListReview,
  UnitListView,
  ListMetaView,
} from '../lists/schemas.ts';
import { CheckRequestSchema, CheckStarted, CheckView, EligibilityRequestSchema, EligibilityResult } from '../checks/schemas.ts';
import { ExportStats, HeldList, OverdueList, RunList, RunStarted } from '../export/schemas.ts';
import { BatchList, CompleteRequest, ReceiptView, UploadCompleted, UploadRequest, UploadStarted } from '../ingest/schemas.ts';
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
  ObjectionView,
  OwnReport,
  RecordRepaired,
  RecordRevoked,
  RemitBody,
  RepairBody,
  RevocationBody,
} from '../rights/schemas.ts';
import {
  AnnualReport,
  ApplicationFigures,
  ApplicationStats,
  ExportFigures,
  ExportPushStats,
  IngestionFigures,
  IngestionStats,
  ObjectionFigures,
  ObjectionStats,
  PublicityFigures,
  PublicityStats,
  QualityFigures,
  QualityStats,
  QueryStats,
  StockStats,
} from '../stats/schemas.ts';
import {
  Authorization,
  AuthorizationCreated,
  AuthorizationList,
  CreateAuthorization,
  CreditFile,
  LogVerdict,
  MyQueries,
  OpenApiDocument,
  PublicRecord,
  PublicSearch,
  PublicSubject,
  SubjectRefIssued,
  SubjectRefRequest,
  UnitQueries,
} from './schemas.ts';
import { CATALOG_ROUTES } from '../catalog/routes.ts';
import { INGEST_ROUTES } from '../ingest/routes.ts';
import { QUERY_ROUTES } from './routes.ts';
import { STATS_ROUTES } from '../stats/routes.ts';
import { CHECKS_ROUTES } from '../checks/routes.ts';
import { RIGHTS_ROUTES } from '../rights/routes.ts';
import { EXPORT_ROUTES } from '../export/routes.ts';
import { CALENDAR_ROUTES } from '../calendar/routes.ts';
import { JOINT_ROUTES } from '../joint/routes.ts';
import { LISTS_ROUTES } from '../lists/routes.ts';
import type { RouteDoc } from '../route-doc.ts';

/** Named request bodies: components.schemas[name]. */
export const BODIES = {
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
export type BodyName = keyof typeof BODIES;

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
  PublicUnitList,
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
export const SHARED_PARTS = {
  Catalog: catalogSchema,
  PublicRecord,
  IngestionFigures,
  QualityFigures,
  PublicityFigures,
  ApplicationFigures,
  ObjectionFigures,
  ExportFigures,
} satisfies Record<string, z.ZodType>;
export type ResponseName = keyof typeof RESPONSES;

/** A route's documentation whose request body and response name schemas registered above. */
export interface DocumentedRoute extends RouteDoc {
  body?: BodyName;
  response?: ResponseName;
}

/**
 * One entry per manifest route, from each context's route table (functions/<context>/routes.ts);
 * keys are API Gateway route keys exactly as in lib/platform.ts. Each table is `as const`, so every
 * route keeps its response name and functions/api-routes.ts can type its handler; `satisfies` here
 * checks that each `body` and `response` names a schema registered above.
 */
export const ROUTES = {
  ...CATALOG_ROUTES,
  ...INGEST_ROUTES,
  ...QUERY_ROUTES,
  ...STATS_ROUTES,
  ...CHECKS_ROUTES,
  ...RIGHTS_ROUTES,
  ...EXPORT_ROUTES,
  ...CALENDAR_ROUTES,
  ...JOINT_ROUTES,
  ...LISTS_ROUTES,
} satisfies Record<string, DocumentedRoute>;
export const ROUTE_DOCS: Record<string, DocumentedRoute | undefined> = ROUTES;

/** The documented success status and JSON schema of a route (undefined for a route answering only CSV or HTML). */
export function successOf(routeKey: string): { status: number; schema: z.ZodType } | undefined {
  const doc = ROUTE_DOCS[routeKey];
  return doc?.response ? { status: doc.status, schema: RESPONSES[doc.response] } : undefined;
}
