/**
 * DynamoDB batch reads and writes across tables: BatchGetItem (100 keys) and BatchWriteItem
 * (25 puts) with their unprocessed leftovers retried under exponential backoff with jitter, a
 * bounded number of requests in flight. The ingest hot path uses these instead of one request
 * per item.
 */
import { BatchGetCommand, BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import pLimit from 'p-limit';
import pMap from 'p-map';
import type { TableName } from '#lib/platform';
import { ddb } from './clients.ts';
import { tableName } from './config.ts';
import { afterWrite } from './faults.ts';

export interface ItemKey {
  table: TableName;
  pk: string;
  sk: string;
}

const CONCURRENCY = 8;
const MAX_ATTEMPTS = 10;

export const keyOf = (k: ItemKey) => `${k.table}\u0000${k.pk}\u0000${k.sk}`;

const backoff = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * Math.min(1000, 20 * 2 ** attempt)));

/**
 * Reads many items by key (strongly consistent). The map is keyed by `keyOf`. `attributes`
 * projects the read to those attributes (pk and sk are always included).
 */
export async function batchGet(keys: ItemKey[], attributes?: string[]): Promise<Map<string, Record<string, unknown>>> {
  const projection = attributes
    ? {
        ProjectionExpression: ['pk', 'sk', ...attributes].map((_, i) => `#a${i}`).join(', '),
        ExpressionAttributeNames: Object.fromEntries(['pk', 'sk', ...attributes].map((a, i) => [`#a${i}`, a])),
      }
    : {};
  const found = new Map<string, Record<string, unknown>>();
  const unique = [...new Map(keys.map((k) => [keyOf(k), k])).values()];
  const groups: ItemKey[][] = [];
  for (let i = 0; i < unique.length; i += 100) groups.push(unique.slice(i, i + 100));
  const byName = new Map<string, TableName>();
  await pMap(
    groups,
    async (group) => {
      let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> | undefined = {};
      for (const k of group) {
        const name = tableName(k.table);
        byName.set(name, k.table);
        (request[name] ??= { Keys: [], ConsistentRead: true, ...projection }).Keys.push({ pk: k.pk, sk: k.sk });
      }
      for (let attempt = 0; request && Object.keys(request).length; attempt++) {
        if (attempt >= MAX_ATTEMPTS) throw new Error(`BatchGetItem: keys still unprocessed after ${MAX_ATTEMPTS} attempts`);
        if (attempt > 0) await backoff(attempt);
        const out = await ddb.send(new BatchGetCommand({ RequestItems: request }));
        for (const [name, items] of Object.entries(out.Responses ?? {})) {
          const table = byName.get(name)!;
          for (const item of items) found.set(keyOf({ table, pk: item.pk as string, sk: item.sk as string }), item);
        }
        request = out.UnprocessedKeys as typeof request;
      }
    },
    { concurrency: CONCURRENCY },
  );
  return found;
}

/**
 * Requests in flight shared by several batchPut calls: a caller that writes in steps (ingest's
 * blocks of rows) keeps CONCURRENCY requests going across its steps instead of letting each step's
 * last requests drain alone. Slots are handed over in order; after a failure the requests still
 * waiting are not sent (as p-map stops), so a failed chunk stops writing at once.
 */
export interface WriteSlots {
  run<T>(task: () => Promise<T>): Promise<T>;
  readonly failed: boolean;
}

export function writeSlots(limit = CONCURRENCY): WriteSlots {
  const slot = pLimit(limit); // first come, first served
  let failure: { error: unknown } | undefined;
  return {
    get failed() {
      return failure !== undefined;
    },
    run: (task) =>
      slot(async () => {
        if (failure) throw failure.error;
        try {
          return await task();
        } catch (err) {
          failure ??= { error: err };
          throw err;
        }
      }),
  };
}

/**
 * Writes many items (unconditional puts; callers decide beforehand what may be written), 25 a
 * request, CONCURRENCY requests in flight — or within `slots` when given.
 */
export async function batchPut(items: Array<{ table: TableName; item: Record<string, unknown> }>, faultPoint = 'batchPut', slots?: WriteSlots): Promise<void> {
  const groups: Array<typeof items> = [];
  for (let i = 0; i < items.length; i += 25) groups.push(items.slice(i, i + 25));
  const write = async (group: typeof items) => {
    let request: Record<string, Array<{ PutRequest: { Item: Record<string, unknown> } }>> | undefined = {};
    for (const { table, item } of group) (request[tableName(table)] ??= []).push({ PutRequest: { Item: item } });
    for (let attempt = 0; request && Object.keys(request).length; attempt++) {
      if (attempt >= MAX_ATTEMPTS) throw new Error(`BatchWriteItem: items still unprocessed after ${MAX_ATTEMPTS} attempts`);
      if (attempt > 0) await backoff(attempt);
      const out = await ddb.send(new BatchWriteCommand({ RequestItems: request }));
      request = out.UnprocessedItems as typeof request;
    }
    for (let i = 0; i < group.length; i++) afterWrite(faultPoint);
  };
  if (slots) await Promise.all(groups.map((group) => slots.run(() => write(group))));
  else await pMap(groups, write, { concurrency: CONCURRENCY });
}
