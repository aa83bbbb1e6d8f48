/**
 * SQS (the ingest DLQs) → a message that failed every attempt ends its batch instead of leaving it
 * stuck. A dead chunk's rows are all rejected with code PROCESSING_FAILED (so the receipt still
 * balances) and the batch ends FAILED with the reason; a dead upload event fails its batch.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { MAX_RECEIPT_ERRORS } from '#core/receipt';
import { decodeEventKey, objectBatchId, parseUploadKey } from '#core/upload-key';
import { rowMessageZh, type RowError } from '#core/row-validator';
import { completeBatch, getReceipt, markChunkDone, markFailed, putChunkResult } from '#adapters/batch-repo';
import { lambdaHandler } from '#adapters/handler-stack';
import { logger, metrics } from '#adapters/powertools';
import { ChunkMessageSchema } from './chunk-message.ts';

const processor = new BatchProcessor(EventType.SQS);

async function deadChunk(body: unknown): Promise<boolean> {
  const parsed = ChunkMessageSchema.safeParse(body);
  if (!parsed.success) return false;
  const msg = parsed.data;
  const { index, firstRow, rows } = msg.chunk;
  const reason = `chunk ${index + 1} of ${msg.chunkCount} (rows ${firstRow}–${firstRow + rows - 1}) could not be processed after repeated attempts`;
  const errors: RowError[] = [];
  for (let i = 0; i < Math.min(rows, MAX_RECEIPT_ERRORS); i++) {
    const zh = `第 ${index + 1} 块（共 ${msg.chunkCount} 块，第 ${firstRow}–${firstRow + rows - 1} 行）多次重试后仍未能处理`;
    errors.push({ row: firstRow + i, field: null, code: 'PROCESSING_FAILED', message: reason, messageZh: rowMessageZh(firstRow + i, null, zh) });
  }
  await putChunkResult(msg.batchId, { index, rows, accepted: 0, rejected: rows, linked: 0, unlinked: 0, errors, failure: reason });
  if (await markChunkDone(msg.batchId, index, msg.chunkCount)) await completeBatch(msg.batchId);
  logger.error('chunk dead-lettered', { batchId: msg.batchId, chunk: index });
  return true;
}

async function deadUploadEvent(body: { Records?: Array<{ s3?: { bucket?: { name?: string }; object?: { key?: string; eTag?: string } } }> }): Promise<boolean> {
  if (!Array.isArray(body.Records)) return false;
  for (const r of body.Records) {
    const bucket = r.s3?.bucket?.name;
    const rawKey = r.s3?.object?.key;
    if (!bucket || !rawKey) continue;
    const key = decodeEventKey(rawKey);
    const etag = (r.s3?.object?.eTag ?? '').replace(/"/g, '');
    const parsed = parseUploadKey(key);
    const candidates = [parsed.ok && parsed.value.batchId, objectBatchId(bucket, key, etag)].filter(Boolean) as string[];
    for (const batchId of candidates) {
      if (await getReceipt(batchId)) await markFailed(batchId, 'PROCESSING_FAILED', `the file '${key}' could not be registered after repeated attempts`);
    }
  }
  return true;
}

async function recordHandler(record: SQSRecord): Promise<void> {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    logger.error('undecodable dead letter dropped after logging', { messageId: record.messageId, body: record.body.slice(0, 500) });
    return;
  }
  metrics.addMetric('DeadLetters', 'Count', 1);
  if (await deadChunk(body)) return;
  if (await deadUploadEvent(body as Parameters<typeof deadUploadEvent>[0])) return;
  logger.error('unrecognised dead letter', { messageId: record.messageId, body: record.body.slice(0, 500) });
}

export const handler = lambdaHandler(async (event: SQSEvent, context: Context) => processPartialResponse(event, recordHandler, processor, { context }));
