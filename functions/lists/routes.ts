/**
 * The lists routes as the API documents them: functions/query/openapi-registry.ts assembles every context's
 * table into ROUTES (one entry per route of the manifest, keys as API Gateway route keys).
 */
import type { RouteDoc } from '../route-doc.ts';
import { PageQuery } from './schemas.ts';

export const LISTS_ROUTES = {
  'GET /v1/lists': {
    summary: "The credit centre's queue of units' lists in review (SUBMITTED, in public comment)",
    roles: ['admin'],
    status: 200,
    returns: 'One page of lists, oldest submission first, and a cursor `next`',
    query: PageQuery,
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
    query: PageQuery,
    response: 'UnitListHistory',
  },
} as const satisfies Record<string, RouteDoc>;
