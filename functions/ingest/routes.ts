/**
 * The ingest routes as the API documents them: functions/query/openapi-registry.ts assembles every context's
 * table into ROUTES (one entry per route of the manifest, keys as API Gateway route keys).
 */
import type { RouteDoc } from '../route-doc.ts';
import { ListQuery } from './schemas.ts';

export const INGEST_ROUTES = {
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
} as const satisfies Record<string, RouteDoc>;
