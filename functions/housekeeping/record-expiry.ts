/**
 * Scheduled: records past their item's query period (SH-REG-2017 Art 35) become EXPIRED. Reads
 * already never serve them (core/record-view isServable); the status makes stored counts and
 * statistics agree with what is served, and tells the national export to withdraw them.
 *
 * The same run takes double-publicity records past their publicity period (公示期) out of the
 * public search index, so that index holds only what is shown.
 *
 * It reads only the byExpiry index entries due by today (core/due-day: every ACTIVE record carries
 * the day its next change falls due, written with it), shard by shard, from where the last run
 * stopped (adapters/job-position): no table scan, no list built from the catalog. Every entry read
 * leaves the due range — expired, re-keyed to its next due day, or dropped — so the entries read
 * follow the records that change.
 */
import { UpdateCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import pMap from 'p-map';
import { DUE_ATTRIBUTES, EXPIRY_SHARDS, dueBy, dueKeys } from '#core/due-day';
import { isShownOn } from '#core/publicity';
import { servableUntil } from '#core/record-view';
import { shanghaiDay } from '#core/working-days';
import { catalogEntries, catalogPointer } from '#adapters/catalog-repo';
import { ddb } from '#adapters/clients';
import { conditionally } from '#adapters/conditions';
import { tableName } from '#adapters/config';
import { never, stopNearTimeout, sweep } from '#adapters/job-position';
import { lambdaHandler } from '#adapters/handler-stack';
import { logger, metrics } from '#adapters/powertools';
import { changeRecord } from '#adapters/record-state-repo';
import type { StoredRecord, SubjectTable } from '#adapters/subject-repo';
import { backfillIndexKeys, rekeyChangedItems, type BackfillRun } from './expiry-keys.ts';

const TABLES: SubjectTable[] = ['legalSubjects', 'naturalSubjects'];
const CONCURRENCY = 8;
export const RECORD_EXPIRY_JOB = 'recordExpiry';

export interface ExpiryRun {
  expired: number;
  unlisted: number;
  /** Index entries read. */
  read: number;
  /** The run got through every shard (false: it ran out of time; the next run resumes). */
  finished: boolean;
}

/** The due queries: every shard of both tables' byExpiry index, up to today. */
function dueQueries(today: string): Array<QueryCommandInput & { table: SubjectTable }> {
  return TABLES.flatMap((table) =>
    Array.from({ length: EXPIRY_SHARDS }, (_, shard) => ({
      table,
      TableName: tableName(table),
      IndexName: 'byExpiry',
      KeyConditionExpression: 'exppk = :pk AND expsk <= :due',
      ExpressionAttributeValues: { ':pk': `EXP#${shard}`, ':due': dueBy(today) },
    })),
  );
}

export async function expireRecords(now: string, stop = never): Promise<ExpiryRun> {
  // the items a page meets are read by key (cached per publish), never the whole catalog
  await catalogPointer({ fresh: true });
  const today = shanghaiDay(now);
  const queries = dueQueries(today);
  let expired = 0;
  let unlisted = 0;
  const result = await sweep<StoredRecord>(
    RECORD_EXPIRY_JOB,
    queries.map(({ table: _table, ...q }) => q),
    async (page, part) => {
      const table = queries[part]!.table;
      const items = await catalogEntries(
        'items',
        page.map((r) => r.item),
      );
      await pMap(
        page,
        async (r) => {
          const outcome = await settle(table, r, items.get(r.item), today, now);
          if (outcome === 'expired') expired++;
          if (outcome === 'unlisted') unlisted++;
        },
        { concurrency: CONCURRENCY },
      );
    },
    stop,
  );
  return { expired, unlisted, read: result.read, finished: result.finished };
}

/**
 * One due entry: EXPIRED when its query period has ended (which also takes it out of both
 * indexes); otherwise out of the public search index when its last public day has passed, and
 * re-keyed to its next due day (or out of byExpiry when nothing more falls due — also when the
 * catalog lengthened or dropped its item's query period since it was written).
 */
async function settle(
  table: SubjectTable,
  r: StoredRecord,
  item: Parameters<typeof servableUntil>[1],
  today: string,
  now: string,
): Promise<'expired' | 'unlisted' | 'moved'> {
  const until = r.status === 'ACTIVE' ? servableUntil(r, item) : null;
  if (until !== null && until <= today) {
    const changed = await changeRecord(table, r, { set: { status: 'EXPIRED', expiredAt: now }, expectStatus: 'ACTIVE', exported: !r.via }, now);
    if (changed) return 'expired';
  }
  const unlist = r.pubpk !== undefined && !isShownOn(r.publicUntil, today);
  const next = dueKeys({ ...r, pubpk: unlist ? undefined : r.pubpk }, item);
  const values: Record<string, unknown> = { ':seen': r.expsk };
  const sets: string[] = [];
  const removes: string[] = unlist ? ['pubpk', 'pubsk'] : [];
  if (next) {
    sets.push('exppk = :exppk', 'expsk = :expsk');
    values[':exppk'] = next.exppk;
    values[':expsk'] = next.expsk;
  } else removes.push(...DUE_ATTRIBUTES);
  // re-checked on the item: a correction, re-upload or status change may have re-keyed it meanwhile
  const applied = await conditionally(() =>
    ddb.send(
      new UpdateCommand({
        TableName: tableName(table),
        Key: { pk: r.pk, sk: r.sk },
        UpdateExpression: [sets.length ? `SET ${sets.join(', ')}` : '', removes.length ? `REMOVE ${removes.join(', ')}` : ''].join(' ').trim(),
        ConditionExpression: 'expsk = :seen',
        ExpressionAttributeValues: values,
      }),
    ),
  );
  return applied && unlist ? 'unlisted' : 'moved';
}

/**
 * Scheduled: first re-keys the records of items whose query period the catalog changed (so that a
 * shortened period's records are due in this very run), then expires what is due. Invoked with
 * `{"job": "backfill"}` by an operator, it runs the one-off index backfill instead (expiry-keys.ts).
 */
export const handler = lambdaHandler(async (event?: unknown, context?: Context): Promise<ExpiryRun | (BackfillRun & { job: 'backfill' })> => {
  const stop = stopNearTimeout(context, 840_000);
  if ((event as { job?: unknown } | undefined)?.job === 'backfill') {
    const backfill = await backfillIndexKeys(stop);
    logger.info('index backfill', { ...backfill });
    metrics.addMetric('BackfillItemsRead', 'Count', backfill.read);
    return { job: 'backfill', ...backfill };
  }
  const rekey = await rekeyChangedItems(stop);
  logger.info('expiry re-key', { ...rekey });
  metrics.addMetric('ExpiryRecordsRekeyed', 'Count', rekey.rekeyed);
  const now = new Date().toISOString();
  const run = await expireRecords(now, stop);
  logger.info('record expiry done', { ...run });
  metrics.addMetric('RecordsExpired', 'Count', run.expired);
  metrics.addMetric('RecordsUnlistedFromPublicSearch', 'Count', run.unlisted);
  metrics.addMetric('ExpiryIndexEntriesRead', 'Count', run.read);
  return run;
});
