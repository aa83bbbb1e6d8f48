/**
 * Scheduled housekeeping: links held records whose subject has registered since (a safety net
 * behind the immediate linking at registration time). Reads the registry's byWaiting index — one
 * entry per waiting record — shard by shard from where the last run stopped
 * (adapters/job-position), never the registry itself: its cost follows what waits.
 */
import type { Context } from 'aws-lambda';
import { tableName } from '#adapters/config';
import { never, stopNearTimeout, sweep } from '#adapters/job-position';
import { lambdaHandler } from '#adapters/handler-stack';
import { logger, metrics } from '#adapters/powertools';
import { WAITING_SHARDS, type StoredRecord } from '#adapters/subject-repo';
import { releaseHeld } from '../ingest/index.ts';

export const HOUSEKEEPING_JOB = 'housekeeping';

export async function relinkHeld(stop = never): Promise<{ released: number; waiting: number; finished: boolean }> {
  let released = 0;
  const parts = Array.from({ length: WAITING_SHARDS }, (_, shard) => ({
    TableName: tableName('registry'),
    IndexName: 'byWaiting',
    KeyConditionExpression: 'waitpk = :pk',
    ExpressionAttributeValues: { ':pk': `WAIT#${shard}` },
  }));
  const { read, finished } = await sweep<StoredRecord>(
    HOUSEKEEPING_JOB,
    parts,
    async (held) => {
      released += await releaseHeld(held);
    },
    stop,
  );
  return { released, waiting: read - released, finished };
}

export const handler = lambdaHandler(async (_event?: unknown, context?: Context): Promise<{ released: number }> => {
  const { released, waiting, finished } = await relinkHeld(stopNearTimeout(context));
  if (finished) metrics.addMetric('RecordsWaitingForSubject', 'Count', waiting);
  logger.info('housekeeping done', { released, waiting, finished });
  return { released };
});
