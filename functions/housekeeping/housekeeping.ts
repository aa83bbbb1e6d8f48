/**
 * Scheduled housekeeping: links held records whose subject has registered since (a safety net
 * behind the immediate linking at registration time).
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '#adapters/clients';
import { tableName } from '#adapters/config';
import { lambdaHandler } from '#adapters/handler-stack';
import { logger, metrics } from '#adapters/powertools';
import type { StoredRecord } from '#adapters/subject-repo';
import { releaseHeld } from '../ingest/release-held.ts';
import { HOLD_MARKER } from '../ingest/subjects.ts';

export async function relinkHeld(): Promise<number> {
  let released = 0;
  let waiting = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await ddb.send(
      new ScanCommand({
        TableName: tableName('registry'),
        FilterExpression: 'begins_with(pk, :hold)',
        ExpressionAttributeValues: { ':hold': 'HOLD#' },
        ExclusiveStartKey: start,
      }),
    );
    const held = ((out.Items ?? []) as StoredRecord[]).filter((r) => r.sk !== HOLD_MARKER);
    waiting += held.length;
    if (held.length) released += await releaseHeld(held);
    start = out.LastEvaluatedKey;
  } while (start);
  metrics.addMetric('RecordsWaitingForSubject', 'Count', waiting - released);
  return released;
}

export const handler = lambdaHandler(async (): Promise<{ released: number }> => {
  const released = await relinkHeld();
  logger.info('housekeeping done', { released });
  return { released };
});
