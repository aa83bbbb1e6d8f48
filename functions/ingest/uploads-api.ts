/**
 * POST /v1/uploads (presigned single or multipart upload), POST /v1/uploads/{batchId}/complete,
 * GET /v1/batches, GET /v1/batches/{batchId}, GET /v1/batches/{batchId}/rejections.
 */
import { csvLine } from '#core/csv-out';
import type { RowError } from '#core/row-validator';
import { formatOf, newUploadBatchId, presignedKey, safeFileName } from '#core/upload-key';
import { createReceipt, getReceipt, listReceipts, newReceipt, type Receipt } from '#adapters/batch-repo';
import { currentCatalog } from '#adapters/catalog-repo';
import { bucketName } from '#adapters/config';
import { HttpError, body, httpHandler, json, requireRole, validate, type Caller, type HttpRequest } from '#adapters/http';
import { getText, listKeys } from '#adapters/object-store';
import { completeMultipart, presignMultipart, presignPut } from '#adapters/presign';
import type { BatchListResponse, Receipt as ApiReceipt, UploadCompletedResponse, UploadStartedResponse } from '../api-types.ts';
import { rejectionsPrefix } from './ingest-chunk.ts';
import { CompleteRequest, ListQuery, UploadRequest } from './schemas.ts';

/** The receipt as clients see it (ReceiptView in ./schemas.ts). */
export function publicReceipt(r: Receipt): ApiReceipt {
  return {
    batchId: r.batchId,
    provider: r.provider,
    item: r.item,
    fileName: r.fileName,
    key: r.key,
    status: r.status,
    reason: r.reason ?? null,
    reasonCode: r.reasonCode ?? null,
    receivedAt: r.receivedAt,
    completedAt: r.completedAt ?? null,
    rows: r.rows,
    accepted: r.accepted,
    rejected: r.rejected,
    linked: r.linked,
    unlinked: r.unlinked,
    errors: r.errors ?? [],
    ...(r.status === 'PROCESSING' ? { progress: { chunks: r.chunkCount ?? 0, chunksDone: r.chunksDone ?? 0, plannedRows: r.plannedRows ?? 0 } } : {}),
    ...(r.format ? { format: r.format, encoding: r.encoding } : {}),
    ...(r.catalogVersion ? { catalogVersion: r.catalogVersion } : {}),
  };
}

async function startUpload(req: HttpRequest) {
  const caller = requireRole(req, 'provider');
  const input = body(req, UploadRequest);
  const published = await currentCatalog();
  const item = published?.index.item(input.item);
  if (!item) throw new HttpError(404, 'UNKNOWN_ITEM', `item '${input.item}' is not in the published catalog`);
  if (item.provider !== caller.unit) {
    throw new HttpError(403, 'NOT_YOUR_ITEM', `item '${input.item}' belongs to provider '${item.provider}'; you upload for '${caller.unit ?? '(no unit)'}'`);
  }
  const fileName = safeFileName(input.fileName);
  if (!fileName) throw new HttpError(400, 'INVALID_FILE_NAME', 'fileName must be 1–200 characters without slashes, control characters or a leading dot');
  if (!formatOf(fileName)) throw new HttpError(400, 'UNSUPPORTED_FORMAT', 'fileName must end in .csv or .jsonl');

  const batchId = newUploadBatchId();
  const bucket = bucketName('uploads');
  const key = presignedKey(item.provider, item.code, batchId, fileName);
  await createReceipt(newReceipt({ batchId, provider: item.provider, item: item.code, fileName, bucket, key }));
  if (input.parts && input.parts > 1) {
    const { uploadId, partUrls } = await presignMultipart(bucket, key, input.parts);
    return json(201, { batchId, key, uploadId, partUrls, completeUrl: `/v1/uploads/${batchId}/complete` } satisfies UploadStartedResponse);
  }
  return json(201, { batchId, key, uploadUrl: await presignPut(bucket, key) } satisfies UploadStartedResponse);
}

async function completeUpload(req: HttpRequest) {
  const caller = requireRole(req, 'provider');
  const input = body(req, CompleteRequest);
  const receipt = await ownReceipt(caller, req.path.batchId!);
  await completeMultipart(bucketName('uploads'), receipt.key, input.uploadId, input.parts);
  return json(200, { batchId: receipt.batchId, key: receipt.key } satisfies UploadCompletedResponse);
}

async function ownReceipt(caller: Caller, batchId: string): Promise<Receipt> {
  const receipt = await getReceipt(batchId);
  // a provider asking for another provider's batch learns nothing about it
  if (!receipt || (caller.role === 'provider' && receipt.provider !== caller.unit)) {
    throw new HttpError(404, 'NOT_FOUND', `no batch '${batchId}'`);
  }
  return receipt;
}

async function getBatch(req: HttpRequest) {
  const caller = requireRole(req, 'provider', 'admin');
  return json(200, publicReceipt(await ownReceipt(caller, req.path.batchId!)));
}

async function listBatches(req: HttpRequest) {
  const caller = requireRole(req, 'provider', 'admin');
  const q = validate(ListQuery, req.query, 'query');
  if (caller.role === 'provider') {
    if (q.provider && q.provider !== caller.unit) throw new HttpError(403, 'NOT_YOUR_PROVIDER', `you may list only the batches of '${caller.unit}'`);
    q.provider = caller.unit;
  }
  const providers = q.provider ? [q.provider] : ((await currentCatalog())?.catalog.providers.map((p) => p.code) ?? []);
  if (providers.length > 1 && q.cursor) throw new HttpError(400, 'CURSOR_NEEDS_PROVIDER', 'paging with a cursor needs a provider');
  const results = await Promise.all(providers.map((provider) => listReceipts({ provider, item: q.item, from: q.from, to: q.to, limit: q.limit, cursor: q.cursor })));
  const batches = results
    .flatMap((r) => r.batches)
    .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))
    .slice(0, q.limit)
    .map(publicReceipt);
  return json(200, { batches, cursor: providers.length === 1 ? (results[0]?.cursor ?? null) : null } satisfies BatchListResponse);
}

async function rejections(req: HttpRequest) {
  const caller = requireRole(req, 'provider', 'admin');
  const receipt = await ownReceipt(caller, req.path.batchId!);
  const bucket = bucketName('work');
  const parts = await listKeys(bucket, rejectionsPrefix(receipt.batchId));
  const rows: Array<{ row: number; errors: RowError[]; raw: Record<string, unknown> }> = [];
  for (const key of parts) {
    for (const line of (await getText(bucket, key)).split('\n')) if (line) rows.push(JSON.parse(line));
  }
  const columns = receipt.headerKeys?.length ? [...receipt.headerKeys] : [];
  for (const r of rows) for (const k of Object.keys(r.raw)) if (!columns.includes(k)) columns.push(k);
  let csv = '\uFEFF' + csvLine([...columns, 'row', 'field', 'code', 'message']);
  for (const r of rows.sort((a, b) => a.row - b.row)) {
    for (const e of r.errors) csv += csvLine([...columns.map((c) => r.raw[c]), r.row, e.field, e.code, e.message]);
  }
  return {
    status: 200,
    text: csv,
    contentType: 'text/csv; charset=utf-8',
    headers: { 'content-disposition': `attachment; filename="${receipt.batchId}-rejections.csv"` },
  };
}

export const handler = httpHandler({
  'POST /v1/uploads': startUpload,
  'POST /v1/uploads/{batchId}/complete': completeUpload,
  'GET /v1/batches': listBatches,
  'GET /v1/batches/{batchId}': getBatch,
  'GET /v1/batches/{batchId}/rejections': rejections,
});
