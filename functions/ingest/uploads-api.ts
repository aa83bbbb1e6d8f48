/**
 * POST /v1/uploads (presigned single or multipart upload), POST /v1/uploads/{batchId}/complete,
 * GET /v1/batches, GET /v1/batches/{batchId}, GET /v1/batches/{batchId}/rejections.
 */
import { DomainError } from '#core/errors';
import { Upload } from '@aws-sdk/lib-storage';
import { csvLine } from '#core/csv-out';
import { maskIdNumbersIn, maskRejectedRow } from '#core/redact';
import { failureReasonZh } from '#core/receipt';
import { itemLabels, type RowError } from '#core/row-validator';
import { formatOf, newUploadBatchId, presignedKey, safeFileName } from '#core/upload-key';
import { createReceipt, getReceipt, listReceipts, newReceipt, type Receipt } from '#adapters/batch-repo';
import { currentCatalog } from '#adapters/catalog-repo';
import { bucketName } from '#adapters/config';
import { body, httpHandler, json, langOf, requireRole, validate, type Caller, type HttpRequest } from '#adapters/http';
import { s3 } from '#adapters/clients';
import { getText, listKeys } from '#adapters/object-store';
import { presignGet } from '#adapters/presign-get';
import { completeMultipart, presignMultipart, presignPut } from '#adapters/presign';
import type { BatchListResponse, Receipt as ApiReceipt, UploadCompletedResponse, UploadStartedResponse } from '../api-types.ts';
import { idColumnsOf, rejectionsPrefix } from './chunk-report.ts';
import { CompleteRequest, ListQuery, UploadRequest } from './schemas.ts';
import type { Reply } from '../api-routes.ts';

/**
 * A rejections CSV larger than this (as the serialised Lambda response) is not answered inline:
 * Lambda refuses responses over 6 MB (local/http-bridge AWS_LIMITS). It is written to the work
 * bucket and the answer is a 303 to a presigned download, which clients follow as they would the CSV.
 */
export const INLINE_CSV_MAX_BYTES = 4 * 1024 * 1024;

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
    ...(r.reasonCode ? { reasonZh: failureReasonZh(r.reasonCode, r.errors ?? []) } : {}),
    reasonCode: r.reasonCode ?? null,
    receivedAt: r.receivedAt,
    completedAt: r.completedAt ?? null,
    rows: r.rows,
    accepted: r.accepted,
    rejected: r.rejected,
    linked: r.linked,
    unlinked: r.unlinked,
    errors: r.errors ?? [],
    // accepted rows the national push (双公示) holds back until corrected: known as soon as the batch ends
    ...(r.heldBack !== undefined ? { heldBack: r.heldBack, heldBackRows: r.heldBackRows ?? [] } : {}),
    ...(r.status === 'PROCESSING' ? { progress: { chunks: r.chunkCount ?? 0, chunksDone: r.chunksDone ?? 0, plannedRows: r.plannedRows ?? 0 } } : {}),
    ...(r.format ? { format: r.format, encoding: r.encoding } : {}),
    ...(r.catalogVersion ? { catalogVersion: r.catalogVersion } : {}),
  };
}

async function startUpload(req: HttpRequest): Promise<Reply<'POST /v1/uploads'>> {
  const caller = requireRole(req, 'provider');
  const input = body(req, UploadRequest);
  const published = await currentCatalog({ items: [input.item] });
  const item = published?.index.item(input.item);
  if (!item) throw new DomainError('notFound', 'UNKNOWN_ITEM', `item '${input.item}' is not in the published catalog`);
  if (item.provider !== caller.unit) {
    throw new DomainError(
      'forbidden',
      'NOT_YOUR_ITEM',
      `item '${input.item}' belongs to provider '${item.provider}'; you upload for '${caller.unit ?? '(no unit)'}'`,
    );
  }
  const fileName = safeFileName(input.fileName);
  if (!fileName)
    throw new DomainError('invalid', 'INVALID_FILE_NAME', 'fileName must be 1–200 characters without slashes, control characters or a leading dot');
  if (!formatOf(fileName)) throw new DomainError('invalid', 'UNSUPPORTED_FORMAT', 'fileName must end in .csv or .jsonl');

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

async function completeUpload(req: HttpRequest): Promise<Reply<'POST /v1/uploads/{batchId}/complete'>> {
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
    throw new DomainError('notFound', 'NOT_FOUND', `no batch '${batchId}'`);
  }
  return receipt;
}

async function getBatch(req: HttpRequest): Promise<Reply<'GET /v1/batches/{batchId}'>> {
  const caller = requireRole(req, 'provider', 'admin');
  return json(200, publicReceipt(await ownReceipt(caller, req.path.batchId!)));
}

async function listBatches(req: HttpRequest): Promise<Reply<'GET /v1/batches'>> {
  const caller = requireRole(req, 'provider', 'admin');
  const q = validate(ListQuery, req.query, 'query');
  if (caller.role === 'provider') {
    if (q.provider && q.provider !== caller.unit) throw new DomainError('forbidden', 'NOT_YOUR_PROVIDER', `you may list only the batches of '${caller.unit}'`);
    q.provider = caller.unit;
  }
  const providers = q.provider ? [q.provider] : ((await currentCatalog({ items: [] }))?.catalog.providers.map((p) => p.code) ?? []);
  if (providers.length > 1 && q.cursor) throw new DomainError('invalid', 'CURSOR_NEEDS_PROVIDER', 'paging with a cursor needs a provider');
  const results = await Promise.all(
    providers.map((provider) => listReceipts({ provider, item: q.item, from: q.from, to: q.to, limit: q.limit, cursor: q.cursor })),
  );
  const batches = results
    .flatMap((r) => r.batches)
    .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))
    .slice(0, q.limit)
    .map(publicReceipt);
  return json(200, { batches, cursor: providers.length === 1 ? (results[0]?.cursor ?? null) : null } satisfies BatchListResponse);
}

async function rejections(req: HttpRequest): Promise<Reply<'GET /v1/batches/{batchId}/rejections'>> {
  const caller = requireRole(req, 'provider', 'admin');
  const receipt = await ownReceipt(caller, req.path.batchId!);
  const bucket = bucketName('work');
  const parts = await listKeys(bucket, rejectionsPrefix(receipt.batchId));
  const rows: Array<{ row: number; errors: RowError[]; raw: Record<string, unknown> }> = [];
  for (const key of parts) {
    for (const line of (await getText(bucket, key)).split('\n')) if (line) rows.push(JSON.parse(line));
  }
  // a report whose files are gone (expired, deleted, a lost local store) must never read as "no rejected rows"
  if (receipt.status === 'COMPLETED' && rows.length < (receipt.rejected ?? 0)) {
    throw new DomainError(
      'gone',
      'REJECTIONS_GONE',
      `the rejection report of batch ${receipt.batchId} is no longer stored (${rows.length} of ${receipt.rejected} rejected rows found); the receipt's counts stand — upload the file again to get the report`,
    );
  }
  const columns = receipt.headerKeys?.length ? [...receipt.headerKeys] : [];
  for (const r of rows) for (const k of Object.keys(r.raw)) if (!columns.includes(k)) columns.push(k);
  // The file's own column headers head its columns, so the provider can fix the rows and upload them again;
  // the error columns and messages are Chinese with the catalog's labels unless English is asked for.
  const en = langOf(req) === 'en';
  const item = (await currentCatalog({ items: [receipt.item] }))?.index.item(receipt.item);
  const idColumns = idColumnsOf(item);
  const label = item ? itemLabels(item) : (k: string) => k;
  const ownHeader = new Map<string, string>();
  receipt.headerKeys?.forEach((k, i) => {
    const cell = receipt.headerCells?.[i];
    if (k && cell) ownHeader.set(k, cell);
  });
  const heading = (k: string) => (en ? k : (ownHeader.get(k) ?? label(k)));
  const tail = en ? ['row', 'field', 'code', 'message'] : ['行号', '出错字段', '错误代码', '错误说明'];
  let csv = '\uFEFF' + csvLine([...columns.map(heading), ...tail]);
  for (const stored of rows.sort((a, b) => a.row - b.row)) {
    const r = { ...stored, raw: maskRejectedRow(stored.raw, idColumns) };
    // masked when written; masked again here for files stored before that (admin and provider alike)
    for (const e of r.errors) {
      const field = e.field === null ? '' : en ? e.field : heading(e.field);
      csv += csvLine([...columns.map((c) => r.raw[c]), r.row, field, e.code, maskIdNumbersIn(en ? e.message : (e.messageZh ?? e.message))]);
    }
  }
  const fileName = `${receipt.batchId}-rejections.csv`;
  const inline = { status: 200, text: csv, contentType: 'text/csv; charset=utf-8', headers: { 'content-disposition': `attachment; filename="${fileName}"` } };
  if (Buffer.byteLength(JSON.stringify(inline)) <= INLINE_CSV_MAX_BYTES) return inline;
  // the same rows give the same file: a repeated request rewrites the same object
  const key = `rejections-csv/${receipt.batchId}/${rows.length}-${csv.length}.csv`;
  // tens of MB for a big file: a multipart-capable upload, as the bulk-check results are written
  await new Upload({
    client: s3,
    params: { Bucket: bucket, Key: key, Body: Buffer.from(csv, 'utf8'), ContentType: 'text/csv; charset=utf-8' },
    partSize: 8 * 1024 * 1024,
    queueSize: 4,
  }).done();
  const url = await presignGet(bucket, key, { fileName, contentType: 'text/csv; charset=utf-8' });
  return { status: 303, text: '', headers: { location: url } };
}

export const handler = httpHandler({
  'POST /v1/uploads': startUpload,
  'POST /v1/uploads/{batchId}/complete': completeUpload,
  'GET /v1/batches': listBatches,
  'GET /v1/batches/{batchId}': getBatch,
  'GET /v1/batches/{batchId}/rejections': rejections,
});
