/**
 * The rights routes as the API documents them: functions/query/openapi-registry.ts assembles every context's
 * table into ROUTES (one entry per route of the manifest, keys as API Gateway route keys).
 */
import type { RouteDoc } from '../route-doc.ts';
import { ObjectionListQuery, ReportQuery } from './schemas.ts';

export const RIGHTS_ROUTES = {
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
} as const satisfies Record<string, RouteDoc>;
