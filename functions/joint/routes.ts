/**
 * The joint routes as the API documents them: functions/query/openapi-registry.ts assembles every context's
 * table into ROUTES (one entry per route of the manifest, keys as API Gateway route keys).
 */
import type { RouteDoc } from '../route-doc.ts';
import { PeriodQuery } from '../stats/schemas.ts';

export const JOINT_ROUTES = {
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
} as const satisfies Record<string, RouteDoc>;
