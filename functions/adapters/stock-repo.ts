/**
 * The stock counters (core/stock) in the stats table: pk = STOCK, sk = {subjectType}#{recordClass}#{shard},
 * n = records. Every change of a record's `stock` attribute writes its counter row in the same
 * transaction; ingest, which writes records by BatchWriteItem, keeps its chunk's net change on a
 * marker item of the batch (batches table, sk = STOCK#{chunk}, or STOCK#{chunk}#{block} for each
 * block of rows a chunk writes) before writing and applies it after, once, in one transaction with
 * the markers — a redelivered chunk re-applies nothing and re-reads the change it computed the
 * first time (its records may already be written by then).
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { STOCK_PK, stockShard, stockSk, summariseStock, type StockSummary } from '#core/stock';
import { ddb } from './clients.ts';
import { tableName } from './config.ts';
import type { TransactItem } from './transact.ts';

/** One counter row's change, as one item of a transaction. */
export function stockCounterItem(key: string, delta: number, shardOf: string): TransactItem {
  return {
    Update: {
      TableName: tableName('stats'),
      Key: { pk: STOCK_PK, sk: stockSk(key, stockShard(shardOf)) },
      UpdateExpression: 'ADD n :d',
      ExpressionAttributeValues: { ':d': delta },
    },
  };
}

export const stockCounterItems = (deltas: Record<string, number>, shardOf: string): TransactItem[] =>
  Object.entries(deltas)
    .filter(([, d]) => d !== 0)
    .map(([key, d]) => stockCounterItem(key, d, shardOf));

const CONFLICT_ATTEMPTS = 8;

/**
 * Writes a transaction that carries counter rows: true when applied, false when a condition refused
 * it. Two transactions meeting on one counter row cancel one another (TransactionConflict): those
 * are retried, since the change itself was not refused.
 */
export async function transactCounted(items: TransactItem[]): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      await ddb.send(new TransactWriteCommand({ TransactItems: items }));
      return true;
    } catch (err) {
      if (!(err instanceof TransactionCanceledException) && (err as Error)?.name !== 'TransactionCanceledException') throw err;
      const codes = ((err as TransactionCanceledException).CancellationReasons ?? []).map((r) => r.Code ?? 'None');
      if (codes.includes('ConditionalCheckFailed')) return false;
      if (!codes.includes('TransactionConflict') || attempt >= CONFLICT_ATTEMPTS) throw err;
      await new Promise((r) => setTimeout(r, 10 * 2 ** attempt + Math.floor(attempt * 7)));
    }
  }
}

/** The current stock, added up from every counter row (one Query of a few hundred small items at most). */
export async function readStock(): Promise<StockSummary> {
  const rows: Array<{ sk: string; n?: number }> = [];
  let key: Record<string, unknown> | undefined;
  do {
    const out = await ddb.send(
      new QueryCommand({
        TableName: tableName('stats'),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': STOCK_PK },
        ExclusiveStartKey: key,
        ConsistentRead: true,
      }),
    );
    rows.push(...((out.Items ?? []) as typeof rows));
    key = out.LastEvaluatedKey;
  } while (key);
  return summariseStock(rows);
}

const chunkStockKey = (batchId: string, chunk: number, block?: number) => ({
  pk: `BATCH#${batchId}`,
  sk: `STOCK#${String(chunk).padStart(6, '0')}${block === undefined ? '' : `#${String(block).padStart(3, '0')}`}`,
});

/**
 * Keeps a chunk's (or one block of its rows') net change before its records are written, and
 * returns the change kept by the first attempt (a redelivery computes its change against records
 * the first attempt may already have written; the first attempt's is the true one) and whether it
 * was applied already.
 */
export async function keepChunkStock(
  batchId: string,
  chunk: number,
  deltas: Record<string, number>,
  block?: number,
): Promise<{ deltas: Record<string, number>; applied: boolean }> {
  const out = await ddb.send(
    new UpdateCommand({
      TableName: tableName('batches'),
      Key: chunkStockKey(batchId, chunk, block),
      UpdateExpression: 'SET deltas = if_not_exists(deltas, :d)',
      ExpressionAttributeValues: { ':d': deltas },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return { deltas: (out.Attributes?.deltas ?? deltas) as Record<string, number>, applied: out.Attributes?.applied === true };
}

/**
 * Applies a kept chunk change to the counters, once: the markers' `applied` and the counters in one
 * transaction. `deltas` is the sum of what the markers keep; `blocks` names the block markers
 * (keepChunkStock's `block`) when the chunk kept its change per block of rows.
 */
export async function applyChunkStock(batchId: string, chunk: number, deltas: Record<string, number>, blocks?: readonly number[]): Promise<boolean> {
  const counters = stockCounterItems(deltas, `${batchId}#${chunk}`);
  if (!counters.length) return false;
  const markers: TransactItem[] = (blocks ?? [undefined]).map((block) => ({
    Update: {
      TableName: tableName('batches'),
      Key: chunkStockKey(batchId, chunk, block),
      UpdateExpression: 'SET applied = :t',
      ConditionExpression: 'attribute_exists(deltas) AND attribute_not_exists(applied)',
      ExpressionAttributeValues: { ':t': true },
    },
  }));
  return transactCounted([...markers, ...counters]);
}
