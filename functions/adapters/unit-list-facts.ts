/**
 * The facts a unit list's dry run shows (functions/lists/review.ts): the provider's batches still in
 * flight for the list's items, and how many records an item holds (counted up to a cap). Each read
 * follows the unit's own data, never a table's size.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { EXPIRY_SHARDS, itemPk } from '#core/due-day';
import { ddb } from './clients.ts';
import { tableName } from './config.ts';
import { queryAll } from './query-all.ts';

/** How far back a batch may still be in flight. */
const IN_FLIGHT_DAYS = 14;

export interface BatchInFlight {
  batchId: string;
  item: string;
  status: string;
  receivedAt: string;
}

/** The provider's batches received in the last IN_FLIGHT_DAYS that are not finished, for `items`. */
export async function batchesInFlight(provider: string, items: ReadonlySet<string>): Promise<BatchInFlight[]> {
  if (items.size === 0) return [];
  const since = new Date(Date.now() - IN_FLIGHT_DAYS * 86_400_000).toISOString();
  const rows = await queryAll<BatchInFlight>({
    TableName: tableName('batches'),
    IndexName: 'byProvider',
    KeyConditionExpression: 'gsi1pk = :p AND gsi1sk >= :since',
    FilterExpression: '#s IN (:r, :p2)',
    ExpressionAttributeNames: { '#s': 'status', '#i': 'item' },
    ExpressionAttributeValues: { ':p': `PROVIDER#${provider}`, ':since': since, ':r': 'RECEIVED', ':p2': 'PROCESSING' },
    ProjectionExpression: 'batchId, #i, #s, receivedAt',
  });
  return rows.filter((b) => items.has(b.item));
}

/**
 * The queryable records stored under an item (the keys-only byItem index, counted), up to `cap`:
 * the count reads at most `cap` index entries, so an item with millions of records costs no more.
 */
export async function recordsUnder(item: string, subjectType: 'LEGAL' | 'NATURAL', cap: number): Promise<{ records: number; capped: boolean }> {
  let records = 0;
  for (let shard = 0; shard < EXPIRY_SHARDS && records < cap; shard++) {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await ddb.send(
        new QueryCommand({
          TableName: tableName(subjectType === 'LEGAL' ? 'legalSubjects' : 'naturalSubjects'),
          IndexName: 'byItem',
          KeyConditionExpression: 'itempk = :p',
          ExpressionAttributeValues: { ':p': itemPk(item, shard) },
          Select: 'COUNT',
          Limit: cap - records,
          ExclusiveStartKey: start,
        }),
      );
      records += out.Count ?? 0;
      start = out.LastEvaluatedKey;
    } while (start && records < cap);
  }
  return { records: Math.min(records, cap), capped: records >= cap };
}
