/**
 * The checks routes as the API documents them: functions/query/openapi-registry.ts assembles every context's
 * table into ROUTES (one entry per route of the manifest, keys as API Gateway route keys).
 */
import type { RouteDoc } from '../route-doc.ts';

export const CHECKS_ROUTES = {
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
} as const satisfies Record<string, RouteDoc>;
