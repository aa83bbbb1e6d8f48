/**
 * Who may call each route: one row per route of lib/platform.ts. The authorisation matrix test
 * (auth-matrix.test.ts) fails for a route without a row, so no route is added without deciding
 * who may call it. `public` routes need no token; the others name the roles the route admits —
 * data-level rules (whose file, which unit's check) come on top and are tested with each feature.
 */
import type { Role } from '#adapters/http';

const ALL: readonly Role[] = ['admin', 'provider', 'gov', 'market', 'subject'];

export const ROUTE_ACCESS: Record<string, readonly Role[] | 'public'> = {
  'PUT /v1/catalog': ['admin'],
  'GET /v1/catalog': ALL,
  'GET /v1/catalog/versions': ALL,
  'GET /v1/units': ALL,
  'PUT /v1/units/{code}': ['admin'],
  'POST /v1/uploads': ['provider'],
  'POST /v1/uploads/{batchId}/complete': ['provider'],
  'GET /v1/batches': ['provider', 'admin'],
  'GET /v1/batches/{batchId}': ['provider', 'admin'],
  'GET /v1/batches/{batchId}/rejections': ['provider', 'admin'],
  // providers are refused by the access rules (they read their own batches, not credit files)
  'GET /v1/subjects/legal/{uscc}': ['admin', 'gov', 'market', 'subject'],
  'GET /v1/subjects/natural/{idNumber}': ['admin', 'gov', 'market', 'subject'],
  'POST /v1/authorizations': ['subject'],
  'DELETE /v1/authorizations/{ref}': ['subject'],
  'GET /v1/authorizations': ['subject'],
  'GET /v1/me/queries': ['subject'],
  'GET /v1/query-log/mine': ['gov', 'market'],
  'GET /v1/query-log/verify': ['admin'],
  'POST /v1/checks': ['gov'],
  'GET /v1/checks/{checkId}': ['gov', 'admin'],
  'POST /v1/eligibility': ['gov', 'admin'],
  'GET /v1/public/publicity': 'public',
  'GET /v1/public/subjects/{uscc}': 'public',
  'GET /v1/public/catalog': 'public',
  'GET /v1/openapi.json': 'public',
  'POST /v1/objections': ['subject', 'admin'],
  'GET /v1/objections': ['admin', 'provider', 'subject'],
  'GET /v1/objections/{objectionId}': ['admin', 'provider', 'subject'],
  'POST /v1/objections/{objectionId}/remit': ['admin'],
  'POST /v1/objections/{objectionId}/decision': ['admin', 'provider'],
  'GET /v1/stats/objections': ['admin'],
  'GET /v1/stats/exports': ['admin'],
  'POST /v1/records/{recordId}/repair': ['provider'],
  'POST /v1/records/{recordId}/revocation': ['provider'],
  'GET /v1/me/report': ['subject'],
  'POST /v1/exports/run': ['admin'],
  'GET /v1/exports/runs': ['admin'],
  'GET /v1/exports/stats': ['admin'],
  'GET /v1/exports/overdue': ['admin'],
  'GET /v1/exports/held': ['admin'],
  'GET /v1/stats/ingestion': ['admin'],
  'GET /v1/stats/quality': ['admin'],
  'GET /v1/stats/publicity': ['admin'],
  'GET /v1/stats/queries': ['admin'],
  'GET /v1/stats/applications': ['admin'],
  'GET /v1/reports/annual': ['admin'],
  'GET /v1/calendar/{year}': ALL,
  'PUT /v1/calendar/{year}': ['admin'],
  // 联合奖惩: the list unit / the checking unit / the entry's subject are data-level rules on top
  'POST /v1/joint/checks': ['gov'],
  'GET /v1/joint/checks/{checkId}': ['gov'],
  'POST /v1/joint/checks/{checkId}/feedback': ['gov'],
  'GET /v1/joint/feedback': ['gov', 'admin'],
  'POST /v1/joint/lists/{code}/entries': ['gov'],
  'POST /v1/joint/entries/{entryId}/objection': ['subject'],
  'POST /v1/joint/entries/{entryId}/objection/decision': ['gov', 'admin'],
  'GET /v1/me/joint': ['subject'],
  'GET /v1/public/lists': 'public',
  'GET /v1/public/lists/{code}/entries': 'public',
};
