/**
 * SQS (check-parts) → check one part of a bulk check; partial batch failures reported. A part that
 * fails on its last allowed receive ends the check FAILED with the reason, instead of leaving it
 * RUNNING with a message in the dead-letter queue.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { QUEUES } from '#lib/platform';
import { lambdaHandler } from '#adapters/handler-stack';
import { logger } from '#adapters/powertools';
import { checkPart, PartMessageSchema } from './check-part.ts';
import { markFailed } from './check-repo.ts';

const processor = new BatchProcessor(EventType.SQS);
const MAX_RECEIVES = QUEUES.checkParts.maxReceiveCount;

async function recordHandler(record: SQSRecord): Promise<void> {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    body = undefined;
  }
  const msg = PartMessageSchema.safeParse(body);
  if (!msg.success) {
    // nothing to retry and no check to fail: record it and drop the message
    logger.error('malformed check-part message dropped', { messageId: record.messageId, issues: msg.error.issues });
    return;
  }
  try {
    await checkPart(msg.data);
  } catch (err) {
    const receives = Number(record.attributes.ApproximateReceiveCount ?? '1');
    if (receives < MAX_RECEIVES) throw err;
    const reason = `part ${msg.data.part + 1} of ${msg.data.partCount} failed ${receives} times: ${(err as Error).message}`;
    logger.error('check part failed on its last attempt', { checkId: msg.data.checkId, part: msg.data.part, receives, error: err as Error });
    await markFailed(msg.data.checkId, reason);
  }
}

export const handler = lambdaHandler(async (event: SQSEvent, context: Context) => processPartialResponse(event, recordHandler, processor, { context }));
