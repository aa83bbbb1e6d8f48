/**
 * Scheduled: records past their item's query period (SH-REG-2017 Art 35) become EXPIRED. Reads
 * already never serve them (core/record-view isServable); the status makes stored counts and
 * statistics agree with what is served, and tells the national export to withdraw them.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { servableUntil } from '#core/record-view';
import { currentCatalog } from '#adapters/catalog-repo';
import { ddb } from '#adapters/clients';
import { tableName } from '#adapters/config';
import { logger, metrics } from '#adapters/powertools';
import { changeRecord } from '#adapters/record-state-repo';
import type { StoredRecord, SubjectTable } from '#adapters/subject-repo';
import { shanghaiDay } from '#core/working-days';

const TABLES: SubjectTable[] = ['legalSubjects', 'naturalSubjects'];

export async function expireRecords(now: string): Promise<number> {
  const published = await currentCatalog({ fresh: true });
  if (!published) return 0;
  // only items with a query period can expire
  const items = published.catalog.items.filter((i) => i.queryYears && i.queryPeriodFrom);
  if (!items.length) return 0;
  const today = shanghaiDay(now);
  const itemValues = Object.fromEntries(items.map((i, n) => [`:i${n}`, i.code]));
  let expired = 0;
  for (const table of TABLES) {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await ddb.send(
        new ScanCommand({
          TableName: tableName(table),
          FilterExpression: `#status = :active AND begins_with(sk, :rec) AND #item IN (${Object.keys(itemValues).join(', ')})`,
          ProjectionExpression: 'pk, sk, recordId, #item, #status, publicity, #fields, via',
          ExpressionAttributeNames: { '#status': 'status', '#item': 'item', '#fields': 'fields' },
          ExpressionAttributeValues: { ':active': 'ACTIVE', ':rec': 'REC#', ...itemValues },
          ExclusiveStartKey: start,
        }),
      );
      for (const r of (out.Items ?? []) as StoredRecord[]) {
        const until = servableUntil(r as never, published.index.item(r.item));
        if (until === null || today < until) continue;
        const changed = await changeRecord(table, r, { set: { status: 'EXPIRED', expiredAt: now }, expectStatus: 'ACTIVE', exported: !r.via }, now);
        if (changed) expired++;
      }
      start = out.LastEvaluatedKey;
    } while (start);
  }
  return expired;
}

export const handler = async (): Promise<{ expired: number }> => {
  const expired = await expireRecords(new Date().toISOString());
  logger.info('record expiry done', { expired });
  metrics.addMetric('RecordsExpired', 'Count', expired);
  await metrics.publishStoredMetrics();
  return { expired };
};
