/**
 * How a route is documented in the OpenAPI description: each context's route table
 * (functions/<context>/routes.ts) holds one entry per route, and functions/query/openapi-registry.ts assembles
 * them and checks that every `body` and `response` names a registered schema. Types only.
 */
import type { z } from 'zod';
import type { Role } from '#core/claims';

export interface RouteDoc {
  summary: string;
  /** Roles allowed; 'public' = no token. */
  roles: readonly Role[] | 'public';
  status: number;
  /** Description of the success response. */
  returns: string;
  /** A non-JSON success content type (CSV, HTML); with `response` too, either is answered (a query parameter chooses). */
  contentType?: string;
  query?: z.ZodType;
  /** The request body's schema, by its name in BODIES (functions/query/openapi-registry.ts). */
  body?: string;
  /** The JSON success body's schema, by its name in RESPONSES; every route answering JSON names one. */
  response?: string;
}
