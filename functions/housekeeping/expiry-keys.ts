/**
 * Keeping the index keys of stored records true when the records themselves do not change:
 *
 * - backfillIndexKeys — a one-off migration, run by an operator (`{"job": "backfill"}` to the
 *   recordExpiry function, repeated until it answers `finished: true`; docs/operations.md): records
 *   stored before the byExpiry / byItem indexes and the stock counters get their keys and are
 *   counted once (core/stock), held records before the byWaiting index get theirs. It Scans the
 *   subject tables and the registry — that is its work — a page at a time from its saved position
 *   (adapters/job-position), and is never scheduled.
 *
 * - rekeyChangedItems — part of the scheduled expiry run: when a published catalog changes an
 *   item's query period (queryPeriodFrom / queryYears), the item's ACTIVE records move to their new
 *   due day. It reads the byItem index of that item only (keys only, then the records by key), a
 *   page at a time from its saved position; with the catalog unchanged it reads one item.
 *
 * Every write is conditional on what was read, so a repeated page (two overlapping invocations, a
 * crash before the position was saved) changes nothing twice.
 */
import { GetCommand, PutCommand, ScanCommand, UpdateCommand, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import type { InfoItem } from '#core/catalog';
import { EXPIRY_SHARDS, dueKeys, itemKeys, itemPk } from '#core/due-day';
import { stockOf } from '#core/stock';
import { batchGet, batchPut, keyOf } from '#adapters/batch-io';
import { catalogEntries, catalogPointer, listItems } from '#adapters/catalog-repo';
import { ddb } from '#adapters/clients';
import { conditionally } from '#adapters/conditions';
import { tableName } from '#adapters/config';
import { loadPosition, never, savePosition, sweep } from '#adapters/job-position';
import { stockCounterItem, transactCounted } from '#adapters/stock-repo';
import { holdPk, waitKeys, type StoredRecord, type SubjectTable } from '#adapters/subject-repo';

export const INDEX_BACKFILL_JOB = 'indexBackfill';
export const EXPIRY_REKEY_JOB = 'expiryRekey';
const CONCURRENCY = 8;

export interface BackfillRun {
  /** Items read (scanned) in this invocation. */
  read: number;
  /** Records given byExpiry / byItem keys. */
  keyed: number;
  /** Records counted into the stock. */
  counted: number;
  /** Held records given byWaiting keys. */
  waiting: number;
  finished: boolean;
}

const SUBJECT_TABLES: SubjectTable[] = ['legalSubjects', 'naturalSubjects'];

/** What the backfill reads: ACTIVE records lacking a key or their count, and first hold entries lacking byWaiting keys. */
function backfillScans(): Array<ScanCommandInput & { table: SubjectTable | 'registry' }> {
  return [
    ...SUBJECT_TABLES.map((table) => ({
      table,
      TableName: tableName(table),
      FilterExpression:
        'begins_with(sk, :rec) AND #status = :active AND (attribute_not_exists(#stock) OR attribute_not_exists(itempk) OR attribute_not_exists(exppk))',
      ExpressionAttributeNames: { '#status': 'status', '#stock': 'stock' },
      ExpressionAttributeValues: { ':rec': 'REC#', ':active': 'ACTIVE' },
    })),
    {
      table: 'registry' as const,
      TableName: tableName('registry'),
      FilterExpression: 'begins_with(pk, :hold) AND attribute_exists(holdKeys) AND attribute_not_exists(waitpk)',
      ExpressionAttributeValues: { ':hold': 'HOLD#' },
    },
  ];
}

export async function backfillIndexKeys(stop = never): Promise<BackfillRun> {
  await catalogPointer({ fresh: true });
  const scans = backfillScans();
  const run: BackfillRun = { read: 0, keyed: 0, counted: 0, waiting: 0, finished: false };
  const position = await loadPosition(INDEX_BACKFILL_JOB);
  if (position.part >= scans.length) Object.assign(position, { part: 0, lastKey: undefined });
  for (; position.part < scans.length; position.part++, position.lastKey = undefined) {
    const { table, ...scan } = scans[position.part]!;
    do {
      if (stop()) {
        await savePosition(INDEX_BACKFILL_JOB, position, new Date().toISOString());
        return run;
      }
      const out = await ddb.send(new ScanCommand({ ...scan, ExclusiveStartKey: position.lastKey }));
      run.read += out.ScannedCount ?? 0;
      // the items this page's records name, by key (cached per publish): never the whole catalog
      const items = await catalogEntries(
        'items',
        ((out.Items ?? []) as StoredRecord[]).flatMap((r) => (typeof r.item === 'string' ? [r.item] : [])),
      );
      await pMap(
        (out.Items ?? []) as StoredRecord[],
        async (r) => {
          if (table === 'registry') {
            if (await keyWaiting(r)) run.waiting++;
            return;
          }
          const done = await backfillRecord(table, r, items.get(r.item));
          if (done.keyed) run.keyed++;
          if (done.counted) run.counted++;
        },
        { concurrency: CONCURRENCY },
      );
      position.lastKey = out.LastEvaluatedKey;
      if (position.lastKey) await savePosition(INDEX_BACKFILL_JOB, position, new Date().toISOString());
    } while (position.lastKey);
  }
  await savePosition(INDEX_BACKFILL_JOB, { part: scans.length }, new Date().toISOString());
  return { ...run, finished: true };
}

/**
 * One ACTIVE record: the keys it lacks and, when it is not yet counted, its count — one conditional
 * update (in one transaction with its counter row when it counts), refused when anything it read
 * has changed meanwhile (the write that changed it wrote its own keys and count).
 */
async function backfillRecord(table: SubjectTable, r: StoredRecord, item: InfoItem | undefined): Promise<{ keyed: boolean; counted: boolean }> {
  const set: Record<string, unknown> = {};
  const stock = r.stock ? undefined : stockOf(table === 'legalSubjects' ? 'LEGAL' : 'NATURAL', r);
  if (stock) set.stock = stock;
  if (!r.itempk) Object.assign(set, itemKeys(r));
  const due = r.exppk ? undefined : dueKeys(r, item);
  if (due) Object.assign(set, due);
  if (!Object.keys(set).length) return { keyed: false, counted: false };
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = { ':active': 'ACTIVE' };
  const assignments = Object.entries(set).map(([k, v], i) => {
    names[`#k${i}`] = k;
    values[`:v${i}`] = v;
    return `#k${i} = :v${i}`;
  });
  // absent when read, absent now: nothing wrote the record in between
  const absent = ['stock', 'itempk', 'exppk'].filter((k) => r[k as keyof StoredRecord] === undefined).map((k) => `attribute_not_exists(${k})`);
  const update = {
    TableName: tableName(table),
    Key: { pk: r.pk, sk: r.sk },
    UpdateExpression: `SET ${assignments.join(', ')}`,
    ConditionExpression: ['#status = :active', ...absent].join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
  const keyed = Boolean(set.itempk || set.exppk);
  if (!stock) return { keyed: (await conditionally(() => ddb.send(new UpdateCommand(update)))) && keyed, counted: false };
  const applied = await transactCounted([{ Update: update }, stockCounterItem(stock, 1, r.recordId)]);
  return { keyed: applied && keyed, counted: applied };
}

/** A held record's first hold entry gets its byWaiting keys (the other entries of the same record do not). */
async function keyWaiting(r: StoredRecord): Promise<boolean> {
  const first = r.holdKeys?.[0];
  if (!first || r.pk !== holdPk(first) || r.waitpk) return false;
  return conditionally(() =>
    ddb.send(
      new UpdateCommand({
        TableName: tableName('registry'),
        Key: { pk: r.pk, sk: r.sk },
        UpdateExpression: 'SET waitpk = :pk, waitsk = :sk',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(waitpk)',
        ExpressionAttributeValues: { ':pk': waitKeys(r.recordId, r.receivedAt).waitpk, ':sk': waitKeys(r.recordId, r.receivedAt).waitsk },
      }),
    ),
  );
}

/** What decides an item's due days: the date field its query period runs from and its length. */
export const periodSignature = (item: Pick<InfoItem, 'queryPeriodFrom' | 'queryYears'>): string => `${item.queryPeriodFrom ?? ''}:${item.queryYears ?? ''}`;

export interface RekeyRun {
  /** Catalog items compared with the period they were last keyed by. */
  compared: number;
  /** Items whose query period changed (their records re-keyed, or being re-keyed). */
  changed: number;
  /** byItem entries read. */
  read: number;
  /** Records moved to another due day (or out of byExpiry). */
  rekeyed: number;
  finished: boolean;
}

/** Where the re-key stands: the catalog version it is comparing and how far through its items (in code order). */
interface RekeyState {
  version?: string;
  /** The version every item's period was last compared at. */
  settled?: string;
  /** The last item code compared (the items page's cursor); absent: from the first. */
  after?: string;
  /** Written by the earlier design (an offset into the whole catalog): a state holding it starts over, which re-keys nothing twice. */
  offset?: number;
}

const stateKey = { pk: `JOB#${EXPIRY_REKEY_JOB}`, sk: 'STATE' };
const periodPk = `JOB#${EXPIRY_REKEY_JOB}#PERIOD`;
const ITEMS_PER_STEP = 100;

/**
 * Compares each published item's query period with the one its records were keyed by (kept per
 * item in the jobs table) and re-keys the records of each item whose period changed. With the
 * catalog version already settled it reads one item; after a publication it reads the kept
 * periods once (100 items a request) and the changed items' own records. An item seen for the
 * first time is only remembered: its records were keyed by the catalog they were written under.
 */
export async function rekeyChangedItems(stop = never): Promise<RekeyRun> {
  const run: RekeyRun = { compared: 0, changed: 0, read: 0, rekeyed: 0, finished: false };
  const pointer = await catalogPointer({ fresh: true });
  if (!pointer) return { ...run, finished: true };
  const version = pointer.version;
  const state = ((await ddb.send(new GetCommand({ TableName: tableName('jobs'), Key: stateKey, ConsistentRead: true }))).Item ?? {}) as RekeyState;
  if (state.settled === version) return { ...run, finished: true };
  if (state.version !== version || state.offset !== undefined) {
    state.version = version;
    delete state.after;
    delete state.offset;
  }
  const saveState = () => ddb.send(new PutCommand({ TableName: tableName('jobs'), Item: { ...stateKey, ...state, savedAt: new Date().toISOString() } }));
  // the published items a page at a time, in code order (never the whole catalog in memory)
  for (let more = true; more; ) {
    if (stop()) {
      await saveState();
      return run;
    }
    const page = await listItems({}, state.after, ITEMS_PER_STEP);
    const slice = page.items;
    const kept = await batchGet(slice.map((i) => ({ table: 'jobs' as const, pk: periodPk, sk: i.code })));
    const changed = slice.filter((i) => {
      const was = kept.get(keyOf({ table: 'jobs', pk: periodPk, sk: i.code }))?.signature;
      return was !== undefined && was !== periodSignature(i);
    });
    run.compared += slice.length;
    for (const item of changed) {
      const done = await rekeyItem(item, stop);
      run.read += done.read;
      run.rekeyed += done.rekeyed;
      if (!done.finished) {
        await saveState();
        return run;
      }
      run.changed++;
    }
    // remembered only once its records are re-keyed: a run cut off re-keys the item again (conditional writes; nothing moves twice)
    const remember = slice.filter((i) => kept.get(keyOf({ table: 'jobs', pk: periodPk, sk: i.code }))?.signature !== periodSignature(i));
    if (remember.length)
      await batchPut(
        remember.map((i) => ({ table: 'jobs' as const, item: { pk: periodPk, sk: i.code, signature: periodSignature(i), version } })),
        'expiry-rekey',
      );
    more = page.next !== undefined;
    if (page.next !== undefined) state.after = page.next;
    await saveState();
  }
  delete state.after;
  Object.assign(state, { settled: version });
  await saveState();
  return { ...run, finished: true };
}

/** Moves every ACTIVE record of one item to the due day its current period gives, shard by shard from the saved position. */
async function rekeyItem(item: InfoItem, stop: () => boolean): Promise<{ read: number; rekeyed: number; finished: boolean }> {
  const table: SubjectTable = item.subjectType === 'LEGAL' ? 'legalSubjects' : 'naturalSubjects';
  let rekeyed = 0;
  // a responsible person's copy of a legal subject's record lives in the natural table under the same item
  const tables: SubjectTable[] = item.subjectType === 'LEGAL' ? [table, 'naturalSubjects'] : [table];
  const parts = tables.flatMap((t) =>
    Array.from({ length: EXPIRY_SHARDS }, (_, shard) => ({
      TableName: tableName(t),
      IndexName: 'byItem',
      KeyConditionExpression: 'itempk = :pk',
      ExpressionAttributeValues: { ':pk': itemPk(item.code, shard) },
    })),
  );
  const tableOfPart = (part: number) => tables[Math.floor(part / EXPIRY_SHARDS)]!;
  const result = await sweep<{ pk: string; sk: string }>(
    `${EXPIRY_REKEY_JOB}#${item.code}`,
    parts,
    async (keys, part) => {
      const t = tableOfPart(part);
      const records = await batchGet(keys.map((k) => ({ table: t, pk: k.pk, sk: k.sk })));
      await pMap(
        [...records.values()] as unknown as StoredRecord[],
        async (r) => {
          if (await rekeyRecord(t, r, item)) rekeyed++;
        },
        { concurrency: CONCURRENCY },
      );
    },
    stop,
  );
  return { read: result.read, rekeyed, finished: result.finished };
}

/** One record to the due day its item's current period gives; refused when it changed since it was read. */
async function rekeyRecord(table: SubjectTable, r: StoredRecord, item: InfoItem): Promise<boolean> {
  if (r.status !== 'ACTIVE') return false;
  const next = dueKeys(r, item);
  if (next?.expsk === r.expsk) return false;
  const values: Record<string, unknown> = { ':active': 'ACTIVE' };
  const seen = r.expsk === undefined ? 'attribute_not_exists(expsk)' : 'expsk = :seen';
  if (r.expsk !== undefined) values[':seen'] = r.expsk;
  if (next) Object.assign(values, { ':exppk': next.exppk, ':expsk': next.expsk });
  return conditionally(() =>
    ddb.send(
      new UpdateCommand({
        TableName: tableName(table),
        Key: { pk: r.pk, sk: r.sk },
        UpdateExpression: next ? 'SET exppk = :exppk, expsk = :expsk' : 'REMOVE exppk, expsk',
        ConditionExpression: `#status = :active AND ${seen}`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: values,
      }),
    ),
  );
}
