/**
 * SQS (the catalog-imports DLQ) → an import whose message failed every attempt (a crash or timeout
 * on each delivery) ends FAILED with the reason, seen on GET /v1/catalog/imports/{importId},
 * instead of staying VALIDATING for ever. A publish it had begun gives up its claim on the version,
 * so the admin can import the same document again. Redelivered, or after the import ended, it
 * changes nothing (catalog-import-repo failImport is conditional).
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { decodeEventKey } from '#core/upload-key';
import { failImport, getImport } from '#adapters/catalog-import-repo';
import { releaseClaim } from '#adapters/catalog-repo';
import { isSnapshotRequest } from '#adapters/catalog-snapshot';
import { lambdaHandler } from '#adapters/handler-stack';
import { logger, metrics } from '#adapters/powertools';

const processor = new BatchProcessor(EventType.SQS);

/** The reason a dead-lettered import shows (the admin's route is in English, as its problems are). */
export const DEAD_IMPORT_REASON =
  'the import could not be completed after repeated attempts (each attempt crashed or ran out of time); nothing was published — start a new import of the document';

type S3Body = { Records?: Array<{ eventName?: string; s3?: { object?: { key?: string } } }> };

async function recordHandler(record: SQSRecord): Promise<void> {
  let body: S3Body;
  try {
    body = JSON.parse(record.body) as S3Body;
  } catch {
    logger.error('undecodable dead letter dropped after logging', { messageId: record.messageId, body: record.body.slice(0, 500) });
    return;
  }
  metrics.addMetric('DeadLetters', 'Count', 1);
  if (isSnapshotRequest(body)) {
    // the published version stays served inline or paged; the next approval's request, or a PUT, brings a snapshot
    logger.error('catalog snapshot request dead-lettered', { messageId: record.messageId, version: body.version });
    return;
  }
  if (!Array.isArray(body.Records)) {
    logger.error('unrecognised dead letter', { messageId: record.messageId, body: record.body.slice(0, 500) });
    return;
  }
  for (const r of body.Records) {
    const rawKey = r.s3?.object?.key;
    if (!rawKey || !r.eventName?.startsWith('ObjectCreated')) continue;
    const key = decodeEventKey(rawKey);
    const importId = key.slice('catalog/'.length);
    const imp = await getImport(importId);
    if (!imp || imp.key !== key) {
      logger.warn('dead-lettered catalog document without an import', { key });
      continue;
    }
    const failed = await failImport(importId, DEAD_IMPORT_REASON);
    // the version noted when its publish began: free it for a new import (only while this import holds it)
    const released = imp.version ? await releaseClaim(imp.version, importId) : false;
    logger.error('catalog import dead-lettered', { importId, failed, released, version: imp.version });
  }
}

export const handler = lambdaHandler(async (event: SQSEvent, context: Context) => processPartialResponse(event, recordHandler, processor, { context }));
