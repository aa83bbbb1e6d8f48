/**
 * Scheduled: records past their item's query period (SH-REG-2017 Art 35) become EXPIRED. Reads
 * already never serve them (core/record-view isServable); the status makes stored counts and
 * statistics agree with what is served, and tells the national export to withdraw them.
 *
 * The same daily run takes double-publicity records past their publicity period (公示期) out of the
 * public search index (`unlistPastPublicity`), so that index holds only what is shown.
 */
import { paginateScan, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import { servableUntil } from '#core/record-view';
import { currentCatalog } from '#adapters/catalog-repo';
import { ddb } from '#adapters/clients';
import { conditionally } from '#adapters/conditions';
import { tableName } from '#adapters/config';
import { lambdaHandler } from '#adapters/handler-stack';
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

const UNLIST_CONCURRENCY = 8;

/**
 * Removes the byPublicity keys (pubpk, pubsk) of records no longer shown publicly: past their last
 * public day, or no longer ACTIVE (records changed before record-state-repo removed the keys itself).
 * The public search reads that index with a Limit sized to one page, and every entry its filter
 * discards is a read wasted, so the index must not fill up with records that stopped being shown —
 * penalties are shown for 3 months to 3 years but kept for the 5-year query period. `publicUntil`
 * stays on the record, so a correction can give it its keys back. Days are Asia/Shanghai calendar
 * days, as the public search counts them, so a record leaves the index only once the search no longer shows it.
 * Reads the sparse index, not the table: the cost follows the records currently shown.
 */
export async function unlistPastPublicity(now: string): Promise<number> {
  const today = shanghaiDay(now);
  const names = { '#status': 'status' };
  const values = { ':today': today, ':active': 'ACTIVE' };
  const unshown = 'attribute_not_exists(publicUntil) OR publicUntil < :today OR #status <> :active';
  let unlisted = 0;
  const pages = paginateScan(
    { client: ddb },
    {
      TableName: tableName('legalSubjects'),
      IndexName: 'byPublicity',
      FilterExpression: unshown,
      ProjectionExpression: 'pk, sk',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  );
  for await (const page of pages) {
    const removed = await pMap(
      page.Items ?? [],
      (r) =>
        conditionally(() =>
          ddb.send(
            new UpdateCommand({
              TableName: tableName('legalSubjects'),
              Key: { pk: r.pk, sk: r.sk },
              UpdateExpression: 'REMOVE pubpk, pubsk',
              // re-checked on the item: a correction or re-upload may have given it a new period meanwhile
              ConditionExpression: `attribute_exists(pubpk) AND (${unshown})`,
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: values,
            }),
          ),
        ),
      { concurrency: UNLIST_CONCURRENCY },
    );
    unlisted += removed.filter(Boolean).length;
  }
  return unlisted;
}

export const handler = lambdaHandler(async (): Promise<{ expired: number; unlisted: number }> => {
  const now = new Date().toISOString();
  const expired = await expireRecords(now);
  const unlisted = await unlistPastPublicity(now);
  logger.info('record expiry done', { expired, unlisted });
  metrics.addMetric('RecordsExpired', 'Count', expired);
  metrics.addMetric('RecordsUnlistedFromPublicSearch', 'Count', unlisted);
  return { expired, unlisted };
});
