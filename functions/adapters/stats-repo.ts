/**
 * Statistics counters (core/stats), one small item per stream × bucket × key:
 *   pk = {STREAM}#{year}, sk = {bucket}[#{key}]   bucket = YYYY-MM or YYYY-MM-DD (Beijing time)
 * Numbers are counters (UpdateItem ADD), strings describe the row, string sets collect distinct
 * values (ADD of a set is idempotent by itself). `once` guards an increment with a set of the
 * event ids already counted in that row, in the same UpdateItem: a redelivered event adds nothing.
 * Writers hold dynamodb:UpdateItem alone ('count' access).
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import { batchIncrement, queryIncrements, type BatchTotals, type CounterRow, type Counts, type LoggedQuery, type Period } from '#core/stats';
import { ddb } from './clients.ts';
import { isConditionFailure } from './conditions.ts';
import { tableName } from './config.ts';
import { queryAll } from './query-all.ts';

/** A counter stream: its name in the table and whether its buckets are days or months. */
export interface Stream {
  name: string;
  granularity: 'day' | 'month';
}
export const INGEST: Stream = { name: 'INGEST', granularity: 'month' };
export const QUERIES: Stream = { name: 'QUERIES', granularity: 'day' };

export interface Increment {
  bucket: string;
  key?: string;
  counts: Counts;
  /** String attributes describing the row (set, not added). */
  attrs?: Record<string, string>;
  /** Values added to string sets. */
  sets?: Record<string, string[]>;
  /** An event id: the increment is applied at most once per row. */
  once?: string;
}

const ONCE = '_once';
const RESERVED = new Set(['pk', 'sk', ONCE]);

/** Adds to one counter row; false when `once` was already counted there. */
export async function addCounts(stream: Stream, inc: Increment): Promise<boolean> {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const adds: string[] = [];
  const sets: string[] = [];
  let n = 0;
  const name = (attr: string) => {
    if (RESERVED.has(attr)) throw new Error(`'${attr}' is not a counter name`);
    const k = `#n${n++}`;
    names[k] = attr;
    return k;
  };
  for (const [attr, v] of Object.entries(inc.counts)) {
    if (!v) continue;
    const k = name(attr);
    values[`:v${k.slice(2)}`] = v;
    adds.push(`${k} :v${k.slice(2)}`);
  }
  for (const [attr, members] of Object.entries(inc.sets ?? {})) {
    if (!members.length) continue;
    const k = name(attr);
    values[`:v${k.slice(2)}`] = new Set(members);
    adds.push(`${k} :v${k.slice(2)}`);
  }
  for (const [attr, v] of Object.entries(inc.attrs ?? {})) {
    const k = name(attr);
    values[`:v${k.slice(2)}`] = v;
    sets.push(`${k} = :v${k.slice(2)}`);
  }
  let condition: string | undefined;
  if (inc.once) {
    names['#once'] = ONCE;
    values[':onceSet'] = new Set([inc.once]);
    values[':once'] = inc.once;
    adds.push('#once :onceSet');
    condition = 'NOT contains(#once, :once)';
  }
  if (!adds.length && !sets.length) return true;
  try {
    await ddb.send(
      new UpdateCommand({
        TableName: tableName('stats'),
        Key: { pk: `${stream.name}#${inc.bucket.slice(0, 4)}`, sk: inc.key ? `${inc.bucket}#${inc.key}` : inc.bucket },
        UpdateExpression: [adds.length ? `ADD ${adds.join(', ')}` : '', sets.length ? `SET ${sets.join(', ')}` : ''].join(' ').trim(),
        ConditionExpression: condition,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}

function toRow(item: Record<string, unknown>): CounterRow {
  const sk = String(item.sk);
  const cut = sk.indexOf('#');
  const row: CounterRow = { bucket: cut < 0 ? sk : sk.slice(0, cut), key: cut < 0 ? undefined : sk.slice(cut + 1), attrs: {}, counts: {}, sets: {} };
  for (const [k, v] of Object.entries(item)) {
    if (RESERVED.has(k)) continue;
    if (typeof v === 'number') row.counts[k] = v;
    else if (typeof v === 'string') row.attrs[k] = v;
    else if (v instanceof Set) row.sets[k] = [...v].map(String);
  }
  return row;
}

/** The rows of a stream whose bucket lies in the period (month buckets: the months it touches). */
export async function readCounters(stream: Stream, period: Period): Promise<CounterRow[]> {
  const cut = stream.granularity === 'month' ? 7 : 10;
  const from = period.from.slice(0, cut);
  const to = `${period.to.slice(0, cut)}~`;
  const years: string[] = [];
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y++) years.push(String(y));
  const pages = await pMap(
    years,
    (year) =>
      queryAll<Record<string, unknown>>({
        TableName: tableName('stats'),
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': `${stream.name}#${year}`, ':from': from, ':to': to },
      }),
    { concurrency: 4 },
  );
  return pages.flat().map(toRow);
}

/** A completed batch, counted once into its month × provider × item row. */
export async function countBatch(b: BatchTotals): Promise<void> {
  await addCounts(INGEST, batchIncrement(b));
}

/** Newly logged queries, one counter update per day they fall on. */
export async function countQueries(queries: LoggedQuery[]): Promise<void> {
  await pMap(queryIncrements(queries), (inc) => addCounts(QUERIES, inc), { concurrency: 4 });
}
