/**
 * A subject's joint state read from storage: its records (one partition read), its list entries
 * advanced to `now` (a transition found on read is saved, once), and the shown behaviours.
 */
import type { Catalog, CatalogIndex } from '#core/catalog';
import { isServable } from '#core/record-view';
import { shanghaiDay } from '#core/working-days';
import { indexWithItems } from '#adapters/catalog-repo';
import { entriesOfSubject, entrySaveItems, saveEntry, type EntryAt } from '#adapters/joint-repo';
import type { TransactItem } from '#adapters/transact';
import { subjectPartition, type StoredRecord } from '#adapters/subject-repo';
import { advanceEntry, nextDueAt, type EntryFacts, type ListEntry } from './rules.ts';

export interface SubjectState {
  registration?: Record<string, unknown>;
  records: StoredRecord[];
  entries: ListEntry[];
  /** The index given, answering also for the items of `records` (read by key: never the whole catalog). */
  index: CatalogIndex;
}

/** Null while a record behind the entry is served; else the statuses of its records (e.g. "REPAIRED"). */
export function entryFacts(entry: ListEntry, records: readonly StoredRecord[], index: CatalogIndex, today: string): EntryFacts {
  const behind = records.filter((r) => entry.records.includes(r.recordId) && !r.via);
  if (behind.some((r) => isServable(r, index.item(r.item), today))) return { recordsEnded: null };
  return { recordsEnded: behind.length ? [...new Set(behind.map((r) => (r.status === 'ACTIVE' ? 'QUERY_PERIOD_ENDED' : r.status)))].join(',') : 'RECORD_GONE' };
}

/** Advances one stored entry to `now` and saves a change; returns the entry as it now stands. */
export async function advanceStored(at: EntryAt, records: readonly StoredRecord[], catalog: Catalog, index: CatalogIndex, now: string): Promise<ListEntry> {
  const list = index.creditList(at.entry.list);
  if (!list) return at.entry; // the list left the catalog: shown as stored
  const next = advanceEntry(at.entry, list, now, entryFacts(at.entry, records, index, shanghaiDay(now)));
  if (next === at.entry) return next;
  // a concurrent run may have saved the same transition: either way the entry now stands as computed
  await saveEntry(next, at.rev, nextDueAt(next));
  return next;
}

export async function subjectState(type: 'LEGAL' | 'NATURAL', key: string, catalog: Catalog, index: CatalogIndex, now: string): Promise<SubjectState> {
  const [{ registration, records }, stored] = await Promise.all([
    subjectPartition(type === 'LEGAL' ? 'legalSubjects' : 'naturalSubjects', key),
    entriesOfSubject(type, key),
  ]);
  const withItems = await indexWithItems(
    index,
    records.map((r) => r.item),
  );
  const entries = await Promise.all(stored.map((e) => advanceStored(e, records, catalog, withItems, now)));
  return { registration, records, entries, index: withItems };
}

/**
 * The entries a record's end (repair, revocation) takes out at once: the subject's open rule entries
 * resting on `recordId` with no other record behind them still served, advanced to EXITED, and the
 * writes that save them — for the caller to put in the same transaction as the record's change, so
 * the record and the entries on it never disagree. `loadRecords`: the subject's records as stored (read only when an entry rests on the record).
 */
export async function exitsOnRecordEnd(
  subject: { type: 'LEGAL' | 'NATURAL'; key: string },
  ended: { recordId: string; status: StoredRecord['status'] },
  loadRecords: () => Promise<readonly StoredRecord[]>,
  index: CatalogIndex,
  now: string,
): Promise<{ items: TransactItem[]; exited: ListEntry[] }> {
  const stored = (await entriesOfSubject(subject.type, subject.key)).filter(
    (at) => at.entry.status !== 'EXITED' && at.entry.by === 'RULE' && at.entry.records.includes(ended.recordId),
  );
  if (stored.length === 0) return { items: [], exited: [] };
  const after = (await loadRecords()).map((r) => (r.recordId === ended.recordId ? { ...r, status: ended.status } : r));
  const items: TransactItem[] = [];
  const exited: ListEntry[] = [];
  for (const at of stored) {
    const list = index.creditList(at.entry.list);
    if (!list) continue;
    const next = advanceEntry(at.entry, list, now, entryFacts(at.entry, after, index, shanghaiDay(now)));
    if (next.status !== 'EXITED') continue;
    items.push(...(await entrySaveItems(next, at.rev, nextDueAt(next))));
    exited.push(next);
  }
  return { items, exited };
}
