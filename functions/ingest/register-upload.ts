/**
 * SQS (upload-events) → register each uploaded object as a batch. One S3 event per message;
 * S3's s3:TestEvent (sent when the notification is created) is acknowledged and ignored.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { decodeEventKey } from '#core/upload-key';
import { annotate, lambdaHandler } from '#adapters/handler-stack';
import { logger } from '#adapters/powertools';
import { registerObject } from './register-object.ts';

const S3EventSchema = z.object({
  Records: z.array(
    z.object({
      eventName: z.string(),
      eventTime: z.string().optional(),
      s3: z.object({
        bucket: z.object({ name: z.string() }),
        object: z.object({ key: z.string(), size: z.number().default(0), eTag: z.string().optional() }),
      }),
    }),
  ),
});

const processor = new BatchProcessor(EventType.SQS);

async function recordHandler(record: SQSRecord): Promise<void> {
  const body = JSON.parse(record.body) as { Event?: string };
  if (body.Event === 's3:TestEvent') return;
  const event = S3EventSchema.parse(body);
  for (const r of event.Records) {
    if (!r.eventName.startsWith('ObjectCreated')) continue;
    const key = decodeEventKey(r.s3.object.key);
    const etag = (r.s3.object.eTag ?? '').replace(/"/g, '');
    const result = await registerObject({ bucket: r.s3.bucket.name, key, etag, size: r.s3.object.size, eventTime: r.eventTime });
    annotate({ batchId: result.batchId });
    logger.info('upload registered', { key, ...result });
  }
}

export const handler = lambdaHandler(async (event: SQSEvent, context: Context) => processPartialResponse(event, recordHandler, processor, { context }));
