/**
 * 联合奖惩 storage (the `joint` table, lib/platform.ts):
 *   list entries  ENTRY#{entryId} / ENTRY
 *                 byDue      DUE / {next due instant}#{entryId}        (sparse: while the clock moves it)
 *                 bySubject  SUBJ#{type}#{key} / {notifiedAt}#{entryId}
 *                 byList     LIST#{code}#{status} / {notifiedAt}#{entryId}
 *   open guard    OPEN#{list}#{type}#{key} / OPEN → entryId   (one open entry per subject and list)
 *                 byNational NAT / {changed at}#{entryId}           (sparse: a state the national platform has not had)
 *                 byNational NAT_REJECTED / …                        (its last send was rejected; sent again on its next change)
 *   checks        CHECK#{checkId} / CHECK
 *   feedback      CHECK#{checkId} / FB#{subject key}#{measure}
 *                 byFeedback FEEDBACK_DUE / {due instant}#{checkId}#…  (sparse: until the feedback arrives)
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import pMap from 'p-map';
import { indexCatalog, type Catalog } from '#core/catalog';
import { nextDueAt, notifyEntry, type ListEntry } from '#core/credit-lists';
import { listEntryOp } from '#core/national-lists';
import { listsEnteredBy, ruleEntryItems } from '#core/joint-triggers';
import { isServable, type RecordLike } from '#core/record-view';
import { shanghaiDay } from '#core/working-days';
import { entryIncrement, type JointIncrement } from '#core/joint-stats';
import { batchGet } from './batch-io.ts';
import { loadCalendar } from './calendar-repo.ts';
import { ddb } from './clients.ts';
import { conditionally } from './conditions.ts';
import { tableName } from './config.ts';
import { queryAll } from './query-all.ts';
import type { TransactItem } from './transact.ts';
import { addCounts, type Stream } from './stats-repo.ts';

const table = () => tableName('joint');

/** 联合奖惩 statistics counters (core/joint-stats), one row per month × key in the stats table. */
export const JOINT: Stream = { name: 'JOINT', granularity: 'month' };

export async function countJoint(incs: readonly JointIncrement[]): Promise<void> {
  for (const inc of incs) await addCounts(JOINT, inc);
}

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

const entryAt = (item: Record<string, unknown>): EntryAt => ({ entry: toEntry(item), rev: Number(item.rev ?? 0) });

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

/** Entries whose current state the national platform has not had (byNational), oldest change first, at most `limit`. */
export async function nationalPending(limit: number): Promise<EntryAt[]> {
  const r = await ddb.send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'byNational',
      KeyConditionExpression: 'natpk = :p',
      ExpressionAttributeValues: { ':p': 'NAT' },
      Limit: limit,
    }),
  );
  return (r.Items ?? []).map(entryAt);
}

/**
 * The national platform answered the entry's state at revision `rev`: accepted (or nothing to send)
 * takes it off the pending index; rejected keeps it, with the error, under NAT_REJECTED (not sent
 * again until the entry changes). A save since `rev` left a new pending state: it is left alone.
 */
export async function settleNational(at: EntryAt, rejected?: string): Promise<void> {
  await conditionally(() =>
    ddb.send(
      new UpdateCommand({
        TableName: table(),
        Key: { pk: `ENTRY#${at.entry.entryId}`, sk: 'ENTRY' },
        ...(rejected
          ? { UpdateExpression: 'SET natpk = :rej, natError = :e', ExpressionAttributeValues: { ':r': at.rev, ':rej': 'NAT_REJECTED', ':e': rejected } }
          : { UpdateExpression: 'REMOVE natpk, natsk, natError', ExpressionAttributeValues: { ':r': at.rev } }),
        ConditionExpression: 'attribute_exists(pk) AND rev = :r',
      }),
    ),
  );
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

// ---------------------------------------------------------------------------------------------
// Checks and feedback

export interface StoredCheck {
  checkId: string;
  unit: string;
  matter: string;
  caseRef?: string;
  at: string;
  by: string;
  feedbackDueAt: string;
  results: unknown[];
  /** A bulk check (POST /v1/checks with "joint": true): its answers are its result files, not stored here. */
  bulk?: boolean;
}

export interface PendingFeedback {
  checkId: string;
  unit: string;
  matter: string;
  subject: { type: 'LEGAL' | 'NATURAL'; key: string; label: string };
  measure: string;
  binding: string;
  dueAt: string;
  feedback?: { applied: boolean; reason?: string; at: string; by: string; late: boolean };
}

const fbSk = (subjectKey: string, measure: string) => `FB#${subjectKey}#${measure}`;

/** A stored feedback item without the table's key attributes (pk, sk, fbpk, fbsk, subjpk, subjsk). */
function toPending(item: Record<string, unknown>): PendingFeedback {
  const { pk: _pk, sk: _sk, fbpk: _a, fbsk: _b, subjpk: _c, subjsk: _d, ...p } = item;
  return p as unknown as PendingFeedback;
}

const pendingItem = (p: PendingFeedback) => ({
  ...p,
  pk: `CHECK#${p.checkId}`,
  sk: fbSk(p.subject.key, p.measure),
  fbpk: 'FEEDBACK_DUE',
  fbsk: `${p.dueAt}#${p.checkId}#${p.subject.key}#${p.measure}`,
});

const BULK_WRITES = 16;

/**
 * A bulk check's part opens its feedback: the check (once, by whichever part comes first) and the
 * measures wanting feedback for its subjects. Written only where absent, so a redelivered part
 * changes nothing — above all not feedback already given.
 */
export async function putBulkPending(c: StoredCheck, pending: readonly PendingFeedback[]): Promise<void> {
  const once = (Item: Record<string, unknown>) =>
    conditionally(() => ddb.send(new PutCommand({ TableName: table(), Item, ConditionExpression: 'attribute_not_exists(pk)' })));
  await once({ ...c, pk: `CHECK#${c.checkId}`, sk: 'CHECK' });
  await pMap(pending, (p) => once(pendingItem(p)), { concurrency: BULK_WRITES });
}

export async function putCheck(c: StoredCheck, pending: PendingFeedback[]): Promise<void> {
  await ddb.send(new PutCommand({ TableName: table(), Item: { ...c, pk: `CHECK#${c.checkId}`, sk: 'CHECK' } }));
  for (const p of pending) await ddb.send(new PutCommand({ TableName: table(), Item: pendingItem(p) }));
}

export async function getCheck(checkId: string): Promise<StoredCheck | undefined> {
  const r = await ddb.send(new GetCommand({ TableName: table(), Key: { pk: `CHECK#${checkId}`, sk: 'CHECK' } }));
  if (!r.Item) return undefined;
  const { pk: _pk, sk: _sk, ...c } = r.Item;
  return c as StoredCheck;
}

export async function getFeedback(checkId: string, subjectKey: string, measure: string): Promise<PendingFeedback | undefined> {
  const r = await ddb.send(new GetCommand({ TableName: table(), Key: { pk: `CHECK#${checkId}`, sk: fbSk(subjectKey, measure) }, ConsistentRead: true }));
  return r.Item ? toPending(r.Item) : undefined;
}

/** Records the feedback once; false when feedback is already recorded (a retry or a second answer). */
export async function recordFeedback(p: PendingFeedback, feedback: NonNullable<PendingFeedback['feedback']>): Promise<boolean> {
  return conditionally(() =>
    ddb.send(
      new UpdateCommand({
        TableName: table(),
        Key: { pk: `CHECK#${p.checkId}`, sk: fbSk(p.subject.key, p.measure) },
        UpdateExpression: 'SET feedback = :f, subjpk = :sp, subjsk = :ss REMOVE fbpk, fbsk',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(feedback)',
        ExpressionAttributeValues: { ':f': feedback, ':sp': `SUBJ#${p.subject.type}#${p.subject.key}`, ':ss': `F#${feedback.at}#${p.checkId}#${p.measure}` },
      }),
    ),
  );
}

/** Feedback due before `now` and not given, oldest first, at most `limit`; of one unit when given. */
export async function overdueFeedback(now: string, limit: number, unit?: string): Promise<PendingFeedback[]> {
  const r = await ddb.send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'byFeedback',
      KeyConditionExpression: 'fbpk = :p AND fbsk < :now',
      ...(unit ? { FilterExpression: '#u = :u', ExpressionAttributeNames: { '#u': 'unit' } } : {}),
      ExpressionAttributeValues: { ':p': 'FEEDBACK_DUE', ':now': now, ...(unit ? { ':u': unit } : {}) },
      Limit: limit,
    }),
  );
  return (r.Items ?? []).map(toPending);
}

// ---------------------------------------------------------------------------------------------
// Entry by rule, as records are written (ingest)

const entryIdFor = (list: string, type: string, key: string, recordId: string) =>
  `${list}-${createHash('sha256').update(`${type}|${key}|${recordId}`).digest('hex').slice(0, 20)}`;

/**
 * Puts the subjects of newly written records on the lists a rule enters them on (NOTIFIED, told
 * now). Only served records of the subject itself count; a subject already on the list (an open
 * entry) is not entered twice, so a redelivered chunk changes nothing. Returns the entries created.
 */
export async function enterListsByRule(
  catalog: Catalog,
  written: ReadonlyArray<{ table: string; item: Record<string, unknown> }>,
  now: string,
): Promise<number> {
  const items = ruleEntryItems(catalog);
  if (items.size === 0) return 0;
  const index = indexCatalog(catalog);
  const today = shanghaiDay(now);
  let created = 0;
  for (const { table: t, item: r } of written) {
    if ((t !== 'legalSubjects' && t !== 'naturalSubjects') || r.via || !items.has(String(r.item))) continue;
    const record = r as unknown as RecordLike & { subjectName?: string; subjectIdMasked?: string; pk: string };
    if (!isServable(record, index.item(record.item), today)) continue;
    const type = t === 'legalSubjects' ? 'LEGAL' : 'NATURAL';
    const key = record.pk;
    for (const { list, behaviours } of listsEnteredBy(catalog, record)) {
      const entry = notifyEntry(
        list,
        {
          entryId: entryIdFor(list.code, type, key, record.recordId),
          subject: { type, key, label: type === 'LEGAL' ? key : String(record.subjectIdMasked ?? '') },
          subjectName: String(record.subjectName ?? ''),
          by: 'RULE',
          basis: list.criteria,
          reasons: behaviours.map((b) => index.behaviour(b)?.name ?? b).join('；'),
          behaviours,
          records: [record.recordId],
        },
        now,
        await loadCalendar(),
      );
      if ((await openEntry(entry, nextDueAt(entry))).created) created++;
    }
  }
  return created;
}

/** The feedback units gave about a subject (the measures applied to it, or not, and why). */
export async function feedbackOfSubject(type: 'LEGAL' | 'NATURAL', key: string): Promise<PendingFeedback[]> {
  const items = await queryAll<Record<string, unknown>>({
    TableName: table(),
    IndexName: 'bySubject',
    KeyConditionExpression: 'subjpk = :p AND begins_with(subjsk, :f)',
    ExpressionAttributeValues: { ':p': `SUBJ#${type}#${key}`, ':f': 'F#' },
  });
  return items.map(toPending);
}
