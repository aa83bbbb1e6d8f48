/** SQS (record-chunks) → validate, link and write one chunk; partial batch failures reported. */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { lambdaHandler } from '#adapters/handler-stack';
import { ChunkMessageSchema } from './chunk-message.ts';
import { ingestChunk } from './ingest-chunk.ts';

const processor = new BatchProcessor(EventType.SQS);

async function recordHandler(record: SQSRecord): Promise<void> {
  await ingestChunk(ChunkMessageSchema.parse(JSON.parse(record.body)));
}

export const handler = lambdaHandler(async (event: SQSEvent, context: Context) => processPartialResponse(event, recordHandler, processor, { context }));
