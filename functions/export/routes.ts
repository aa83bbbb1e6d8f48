/**
 * The export routes as the API documents them: functions/query/openapi-registry.ts assembles every context's
 * table into ROUTES (one entry per route of the manifest, keys as API Gateway route keys).
 */
import type { RouteDoc } from '../route-doc.ts';
import { ExportStatsQuery, HeldQuery, OverdueQuery, RunsQuery } from './schemas.ts';

export const EXPORT_ROUTES = {
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
} as const satisfies Record<string, RouteDoc>;
