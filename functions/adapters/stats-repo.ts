/**
 * Statistics counters (core/stats), one small item per stream × bucket × key:
 *   pk = {STREAM}#{year}, sk = {bucket}[#{key}]   bucket = YYYY-MM or YYYY-MM-DD (Beijing time)
 * Numbers are counters (UpdateItem ADD), strings describe the row, string sets collect distinct
 * values (ADD of a set is idempotent by itself). `once` guards an increment with a set of the
 * event ids already counted in that row, in the same UpdateItem: a redelivered event adds nothing.
 * Writers hold dynamodb:UpdateItem alone ('count' access).
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import type { Objection } from '#core/objections';
import type { WorkCalendar } from '#core/work-calendar';
import {
  batchIncrement,
  objectionIncrement,
  queryIncrements,
  recordRightIncrement,
  type BatchTotals,
  type CounterRow,
  type Counts,
  type LoggedQuery,
  type Period,
  type RecordRightEvent,
  yearsOf,
} from '#core/stats';
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
export const RIGHTS: Stream = { name: 'RIGHTS', granularity: 'month' };

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
  const pages = await pMap(
    yearsOf(period),
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

/** Logged queries, one counter update per day they fall on; `once` guards each day's update. */
export async function countQueries(queries: LoggedQuery[], once?: string): Promise<void> {
  await pMap(queryIncrements(queries), (inc) => addCounts(QUERIES, { ...inc, once }), { concurrency: 4 });
}

/** An objection filed or decided, counted once per step (core/stats objectionIncrement). */
export async function countObjection(o: Objection, now: string, cal: WorkCalendar): Promise<void> {
  await addCounts(RIGHTS, objectionIncrement(o, now, cal));
}

/** A repair or revocation, counted once per record. */
export async function countRecordRight(e: RecordRightEvent): Promise<void> {
  await addCounts(RIGHTS, recordRightIncrement(e));
}

/**
 * The query rollup's cursor: entries logged before `done` are counted; `pending` is the upper bound
 * of a window being counted (a run that stopped half-way is redone with the same bound, and each
 * day's update is guarded by it).
 */
export interface RollupCursor {
  done: string;
  pending?: string;
}

const CURSOR_KEY = { pk: 'QUERIES#CURSOR', sk: 'ROLLUP' };
/** Where counting starts on a new platform: the log of the last two years is counted once. */
const BACKFILL_MONTHS = 24;

export async function rollupCursor(now: Date): Promise<RollupCursor> {
  const out = await ddb.send(new GetCommand({ TableName: tableName('stats'), Key: CURSOR_KEY, ConsistentRead: true }));
  if (out.Item) return { done: String(out.Item.done), pending: out.Item.pending ? String(out.Item.pending) : undefined };
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - BACKFILL_MONTHS, 1));
  return { done: start.toISOString() };
}

/** Claims the window [done, upTo); false if another run moved the cursor first. */
export async function claimWindow(c: RollupCursor, upTo: string): Promise<boolean> {
  return conditionalCursorUpdate({
    UpdateExpression: 'SET done = :done, pending = :upTo',
    ConditionExpression: 'attribute_not_exists(pk) OR (done = :done AND attribute_not_exists(pending))',
    ExpressionAttributeValues: { ':done': c.done, ':upTo': upTo },
  });
}

/** Ends the claimed window: its entries are counted. */
export async function finishWindow(upTo: string): Promise<boolean> {
  return conditionalCursorUpdate({
    UpdateExpression: 'SET done = :upTo REMOVE pending',
    ConditionExpression: 'pending = :upTo',
    ExpressionAttributeValues: { ':upTo': upTo },
  });
}

async function conditionalCursorUpdate(u: {
  UpdateExpression: string;
  ConditionExpression: string;
  ExpressionAttributeValues: Record<string, unknown>;
}): Promise<boolean> {
  try {
    await ddb.send(new UpdateCommand({ TableName: tableName('stats'), Key: CURSOR_KEY, ...u }));
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}
