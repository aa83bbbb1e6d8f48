/** The upload and batch API's request and response schemas (zod): the handlers validate with them, functions/query/openapi.ts documents them. No handler, adapter or SDK imports here. */
import { z } from 'zod';
import { FAILURE_CODES } from '#core/receipt';

const MAX_PARTS = 10_000;

export const UploadRequest = z.strictObject({
  item: z.string().min(1).max(64),
  fileName: z.string().min(1).max(200),
  /** Multipart upload in this many parts (for files over 100 MB; parts of 5 MB–5 GB). */
  parts: z.number().int().min(1).max(MAX_PARTS).optional(),
});

export const CompleteRequest = z.strictObject({
  uploadId: z.string().min(1),
  parts: z.array(z.strictObject({ partNumber: z.number().int().min(1).max(MAX_PARTS), etag: z.string().min(1) })).min(1),
});

export const ListQuery = z.object({
  provider: z.string().min(1).optional(),
  item: z.string().min(1).optional(),
  from: z.iso.date().or(z.iso.datetime()).optional(),
  to: z.iso.date().or(z.iso.datetime()).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().optional(),
});

export const BATCH_STATUSES = ['RECEIVED', 'PROCESSING', 'COMPLETED', 'FAILED'] as const;

const RowErrorView = z.object({
  row: z.number().int().describe('Data row in the file, from 1 (a CSV header is row 0)'),
  field: z.string().nullable().describe('The field key, or null for a whole-row problem'),
  code: z.string().describe('Stable code, e.g. REQUIRED, INVALID_USCC, DUPLICATE_IN_FILE'),
  message: z.string(),
});

/** A batch receipt (回执) as clients see it: one file, its counts and the first row errors. */
export const ReceiptView = z.object({
  batchId: z.string(),
  provider: z.string(),
  item: z.string(),
  fileName: z.string(),
  key: z.string().describe('The object key of the uploaded file'),
  status: z.enum(BATCH_STATUSES),
  reason: z.string().nullable().describe('Why the batch FAILED, for people'),
  reasonCode: z.enum(FAILURE_CODES).nullable().describe('Why the batch FAILED, for machines'),
  receivedAt: z.string(),
  completedAt: z.string().nullable(),
  rows: z.number().int().describe('Data rows = accepted + rejected'),
  accepted: z.number().int(),
  rejected: z.number().int(),
  linked: z.number().int().describe('Accepted rows linked to a registered subject'),
  unlinked: z.number().int().describe('Accepted rows waiting for their subject to register'),
  errors: z.array(RowErrorView).describe('The first row errors; every rejected row is in GET /v1/batches/{batchId}/rejections'),
  progress: z.object({ chunks: z.number().int(), chunksDone: z.number().int(), plannedRows: z.number().int() }).optional().describe('While PROCESSING'),
  format: z.enum(['csv', 'jsonl']).optional(),
  encoding: z.enum(['utf-8', 'gb18030']).optional(),
  catalogVersion: z.string().optional(),
  heldBack: z
    .number()
    .int()
    .optional()
    .describe('Once ended: accepted double-publicity rows the national push holds back until corrected (e.g. a penalty without legalRepName)'),
  heldBackRows: z
    .array(z.object({ row: z.number().int(), reason: z.string() }))
    .optional()
    .describe('The first of those rows and why'),
});

export const BatchList = z.object({
  batches: z.array(ReceiptView).describe('Newest first'),
  cursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last'),
});

export const UploadStarted = z.union([
  z.object({ batchId: z.string(), key: z.string(), uploadUrl: z.string().describe('Presigned PUT URL for the whole file') }),
  z.object({
    batchId: z.string(),
    key: z.string(),
    uploadId: z.string(),
    partUrls: z.array(z.string()).describe('Presigned PUT URL per part, in order'),
    completeUrl: z.string().describe('POST here with the parts and their ETags'),
  }),
]);

export const UploadCompleted = z.object({ batchId: z.string(), key: z.string() });
