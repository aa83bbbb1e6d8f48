/**
 * Credit-list entries (ENTRY#{entryId} / ENTRY, with the byDue, bySubject, byList and byNational
 * index attributes) and the one-open-entry guard per subject and list (OPEN#… / OPEN).
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ListEntry } from '#core/credit-lists';
import { listEntryOp } from '#core/national-lists';
import { entryIncrement } from '#core/joint-stats';
import { batchGet } from '../batch-io.ts';
import { ddb } from '../clients.ts';
import { conditionally } from '../conditions.ts';
import { queryAll } from '../query-all.ts';
import type { TransactItem } from '../transact.ts';
import { countJoint } from './counters.ts';
import { table } from './table.ts';

/** Counts the status an entry has just reached (once per entry and status). */
const countEntry = (e: ListEntry) =>
  countJoint([entryIncrement({ entryId: e.entryId, list: e.list, status: e.status, at: e.history.at(-1)?.at ?? e.notifiedAt, exitReason: e.exitReason })]);

const guardPk = (e: Pick<ListEntry, 'list' | 'subject'>) => `OPEN#${e.list}#${e.subject.type}#${e.subject.key}`;

function entryItem(e: ListEntry, dueAt: string | null, rev = 0): Record<string, unknown> {
  return {
    ...e,
    rev,
    pk: `ENTRY#${e.entryId}`,
    sk: 'ENTRY',
    subjpk: `SUBJ#${e.subject.type}#${e.subject.key}`,
    subjsk: `E#${e.notifiedAt}#${e.entryId}`,
    listpk: `LIST#${e.list}#${e.status}`,
    listsk: `${e.notifiedAt}#${e.entryId}`,
    ...(dueAt ? { duepk: 'DUE', duesk: `${dueAt}#${e.entryId}` } : {}),
    // a listing or an exit from one goes to the national platform with the next export run
    ...(listEntryOp(e) ? { natpk: 'NAT', natsk: `${e.history.at(-1)?.at ?? e.notifiedAt}#${e.entryId}` } : {}),
  };
}

function toEntry(item: Record<string, unknown>): ListEntry {
  const { pk: _pk, sk: _sk, subjpk: _a, subjsk: _b, listpk: _c, listsk: _d, duepk: _e, duesk: _f, natpk: _g, natsk: _h, natError: _i, rev: _r, ...e } = item;
  return e as unknown as ListEntry;
}

/**
 * Stores a new entry unless the subject already has an open entry on that list (a redelivered chunk,
 * a second record of the same behaviour): then nothing changes and the open entry's id is returned.
 */
export async function openEntry(e: ListEntry, dueAt: string | null): Promise<{ created: boolean; entryId: string }> {
  const guarded = await conditionally(() =>
    ddb.send(new PutCommand({ TableName: table(), Item: { pk: guardPk(e), sk: 'OPEN', entryId: e.entryId }, ConditionExpression: 'attribute_not_exists(pk)' })),
  );
  if (!guarded) {
    const g = await ddb.send(new GetCommand({ TableName: table(), Key: { pk: guardPk(e), sk: 'OPEN' }, ConsistentRead: true }));
    const entryId = String(g.Item?.entryId ?? e.entryId);
    // the guard's writer may have stopped before the entry: write it (same id, once)
    if (entryId === e.entryId) {
      await conditionally(() => ddb.send(new PutCommand({ TableName: table(), Item: entryItem(e, dueAt), ConditionExpression: 'attribute_not_exists(pk)' })));
      await countEntry(e);
    }
    return { created: false, entryId };
  }
  const written = await conditionally(() =>
    ddb.send(new PutCommand({ TableName: table(), Item: entryItem(e, dueAt), ConditionExpression: 'attribute_not_exists(pk)' })),
  );
  if (!written) {
    // this very entry exists and has exited (a record redelivered after its exit): it is not reopened
    await ddb.send(new DeleteCommand({ TableName: table(), Key: { pk: guardPk(e), sk: 'OPEN' } }));
    return { created: false, entryId: e.entryId };
  }
  await countEntry(e);
  return { created: true, entryId: e.entryId };
}

/** An entry as stored, with its revision (each save adds one). */
export interface EntryAt {
  entry: ListEntry;
  rev: number;
}

/** An entry item as read, without its table attributes. */
export const entryAt = (item: Record<string, unknown>): EntryAt => ({ entry: toEntry(item), rev: Number(item.rev ?? 0) });

export async function getEntry(entryId: string): Promise<EntryAt | undefined> {
  const r = await ddb.send(new GetCommand({ TableName: table(), Key: { pk: `ENTRY#${entryId}`, sk: 'ENTRY' }, ConsistentRead: true }));
  return r.Item ? entryAt(r.Item) : undefined;
}

/**
 * Writes the entry's new state if it is still at revision `rev` — two runs advancing the same entry,
 * or an objection racing the clock, change it once. An exited entry frees its guard.
 */
export async function saveEntry(e: ListEntry, rev: number, dueAt: string | null): Promise<boolean> {
  const saved = await conditionally(() =>
    ddb.send(
      new PutCommand({
        TableName: table(),
        Item: entryItem(e, dueAt, rev + 1),
        ConditionExpression: rev === 0 ? 'attribute_not_exists(rev) OR rev = :r' : 'rev = :r',
        ExpressionAttributeValues: { ':r': rev },
      }),
    ),
  );
  if (saved) await countEntry(e);
  if (saved && e.status === 'EXITED') {
    await conditionally(() =>
      ddb.send(
        new DeleteCommand({
          TableName: table(),
          Key: { pk: guardPk(e), sk: 'OPEN' },
          ConditionExpression: 'entryId = :id',
          ExpressionAttributeValues: { ':id': e.entryId },
        }),
      ),
    );
  }
  return saved;
}

/**
 * The writes that save an entry's new state inside another change's transaction (a repair takes the
 * entries resting on the record out with it): the entry if still at `rev`, and an exited entry's guard.
 */
export async function entrySaveItems(e: ListEntry, rev: number, dueAt: string | null): Promise<TransactItem[]> {
  const items: TransactItem[] = [
    {
      Put: {
        TableName: table(),
        Item: entryItem(e, dueAt, rev + 1),
        ConditionExpression: rev === 0 ? 'attribute_not_exists(rev) OR rev = :r' : 'rev = :r',
        ExpressionAttributeValues: { ':r': rev },
      },
    },
  ];
  if (e.status !== 'EXITED') return items;
  // the guard of this entry goes with it (a guard already gone, or naming another entry, is left alone)
  const guard = await ddb.send(new GetCommand({ TableName: table(), Key: { pk: guardPk(e), sk: 'OPEN' }, ConsistentRead: true }));
  if (guard.Item?.entryId === e.entryId)
    items.push({
      Delete: {
        TableName: table(),
        Key: { pk: guardPk(e), sk: 'OPEN' },
        ConditionExpression: 'entryId = :id',
        ExpressionAttributeValues: { ':id': e.entryId },
      },
    });
  return items;
}

/** Counts entries saved by a transaction of their own caller (entrySaveItems). */
export async function countSavedEntries(entries: readonly ListEntry[]): Promise<void> {
  for (const e of entries) await countEntry(e);
}

/** Entries the clock moves by `now`, oldest first, at most `limit`. */
export async function dueEntries(now: string, limit: number): Promise<EntryAt[]> {
  const r = await ddb.send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'byDue',
      KeyConditionExpression: 'duepk = :p AND duesk <= :now',
      ExpressionAttributeValues: { ':p': 'DUE', ':now': `${now}#~` },
      Limit: limit,
    }),
  );
  return (r.Items ?? []).map(entryAt);
}

export async function entriesOfSubject(type: 'LEGAL' | 'NATURAL', key: string): Promise<EntryAt[]> {
  const items = await queryAll<Record<string, unknown>>({
    TableName: table(),
    IndexName: 'bySubject',
    KeyConditionExpression: 'subjpk = :p AND begins_with(subjsk, :e)',
    ExpressionAttributeValues: { ':p': `SUBJ#${type}#${key}`, ':e': 'E#' },
  });
  return items.map(entryAt);
}

/**
 * The open entries (NOTIFIED or LISTED) of many subjects on the given lists, by subject key: the
 * one-open-entry guards read by key (BatchGetItem, 100 keys a request), then the entries they name.
 * For a bulk check this is subjects × lists / 100 requests plus the few hits, instead of a Query per
 * subject. A guard whose entry has exited meanwhile (its delete still to come) is dropped.
 */
export async function openEntriesOf(type: 'LEGAL' | 'NATURAL', keys: readonly string[], lists: readonly string[]): Promise<Map<string, ListEntry[]>> {
  const guards = await batchGet(
    [...new Set(keys)].flatMap((key) =>
      lists.map((list) => ({ table: 'joint' as const, pk: guardPk({ list, subject: { type, key, label: '' } }), sk: 'OPEN' })),
    ),
    ['entryId'],
  );
  const out = new Map<string, ListEntry[]>();
  if (guards.size === 0) return out;
  const items = await batchGet([...guards.values()].map((g) => ({ table: 'joint' as const, pk: `ENTRY#${String(g.entryId)}`, sk: 'ENTRY' })));
  for (const item of items.values()) {
    const e = toEntry(item);
    if (e.status === 'EXITED') continue;
    const of = out.get(e.subject.key) ?? [];
    of.push(e);
    out.set(e.subject.key, of);
  }
  // in the order a subject's entries are read elsewhere (bySubject: notified first)
  for (const of of out.values()) of.sort((a, b) => a.notifiedAt.localeCompare(b.notifiedAt) || a.entryId.localeCompare(b.entryId));
  return out;
}

/** One page of a list's entries in a status, newest first. */
export async function entriesOfList(code: string, status: string, limit: number, after?: string): Promise<{ entries: EntryAt[]; next?: string }> {
  const r = await ddb.send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'byList',
      KeyConditionExpression: after ? 'listpk = :p AND listsk < :after' : 'listpk = :p',
      ExpressionAttributeValues: { ':p': `LIST#${code}#${status}`, ...(after ? { ':after': after } : {}) },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  const entries = (r.Items ?? []).map(entryAt);
  const last = entries.at(-1)?.entry;
  return { entries, ...(r.LastEvaluatedKey && last ? { next: `${last.notifiedAt}#${last.entryId}` } : {}) };
}
