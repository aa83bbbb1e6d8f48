/**
 * The calendar routes as the API documents them: functions/query/openapi-registry.ts assembles every context's
 * table into ROUTES (one entry per route of the manifest, keys as API Gateway route keys).
 */
import { ROLES } from '#core/claims';
import type { RouteDoc } from '../route-doc.ts';

const ALL = ROLES;

export const CALENDAR_ROUTES = {
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
} as const satisfies Record<string, RouteDoc>;
