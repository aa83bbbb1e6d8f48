/**
 * The byExpiry index (lib/platform.ts): an ACTIVE record carries the day the next scheduled change
 * about it falls due — its query period ends (Art 35: it becomes EXPIRED) or its publicity period
 * ends (it leaves the public search index) — written with the record. The recordExpiry run reads
 * the entries due by today and nothing else, so its cost follows the records that change, not the
 * tables. Pure: no I/O, no clock.
 *
 *   exppk = EXP#{shard}, expsk = {due day}#{recordId}
 *
 * Shards spread one day's writes (a bulk upload of old decisions lands on few days) over
 * partitions; the run queries every shard with `expsk <= {today}#~`.
 */
import type { InfoItem } from './catalog.ts';
import { OPEN_ENDED } from './publicity.ts';
import { servableUntil, type RecordLike } from './record-view.ts';

export const EXPIRY_SHARDS = 16;

export interface DueKeys {
  exppk: string;
  expsk: string;
}

/** Index attributes a record drops when it has nothing due (or leaves ACTIVE). */
export const DUE_ATTRIBUTES = ['exppk', 'expsk'] as const;

/** A stable shard of a record id (base64url): the same record always lands in the same shard. */
export function expiryShard(recordId: string): number {
  let h = 0;
  for (let i = 0; i < recordId.length; i++) h = (h * 31 + recordId.charCodeAt(i)) >>> 0;
  return h % EXPIRY_SHARDS;
}

/** The calendar day after `iso` (YYYY-MM-DD). */
export function nextDay(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

export interface DueRecord extends Pick<RecordLike, 'recordId' | 'status' | 'fields'> {
  /** Present while the record is in the public search index. */
  pubpk?: string;
  /** The last day shown publicly (OPEN_ENDED when without end). */
  publicUntil?: string;
}

/**
 * The first day something about the record falls due: the day its query period has ended (the
 * day `servableUntil` names, from which it is no longer served) or the day after its last public
 * day while it is in the public index. Undefined when nothing ever falls due or it is not ACTIVE.
 */
export function dueDay(record: DueRecord, item: InfoItem | undefined): string | undefined {
  if (record.status !== 'ACTIVE') return undefined;
  const days: string[] = [];
  const until = servableUntil({ ...record, item: item?.code ?? '', provider: '', recordClass: '', polarity: '' }, item);
  if (until !== null) days.push(until);
  if (record.pubpk !== undefined && record.publicUntil && record.publicUntil !== OPEN_ENDED) days.push(nextDay(record.publicUntil));
  return days.sort()[0];
}

/** The index keys for a record, or undefined when it has nothing due. */
export function dueKeys(record: DueRecord, item: InfoItem | undefined): DueKeys | undefined {
  const day = dueDay(record, item);
  return day === undefined ? undefined : { exppk: `EXP#${expiryShard(record.recordId)}`, expsk: `${day}#${record.recordId}` };
}

/** The upper bound of the index's sort keys due by `today`: `expsk <= dueBy(today)`. */
export const dueBy = (today: string): string => `${today}#~`;

/**
 * The byItem index (lib/platform.ts, keys only): every ACTIVE record under its item, sharded like
 * byExpiry, so that a change of the item's query period re-keys its own records and reads nothing else.
 *   itempk = ITEM#{item}#{shard}, itemsk = {recordId}
 */
export const ITEM_ATTRIBUTES = ['itempk', 'itemsk'] as const;

export function itemKeys(record: { item: string; recordId: string }): { itempk: string; itemsk: string } {
  return { itempk: itemPk(record.item, expiryShard(record.recordId)), itemsk: record.recordId };
}

export const itemPk = (item: string, shard: number): string => `ITEM#${item}#${shard}`;
