/**
 * What a credit file shows: which stored records are servable (active and within the item's
 * query period, Art 35) and the summary of a credit file (docs/api.md).
 */
import type { InfoItem } from './catalog.ts';

export interface RecordLike {
  recordId: string;
  item: string;
  provider: string;
  status: string;
  fields: Record<string, unknown>;
  recordClass: string;
  polarity: string;
  severity?: string;
}

/** The date a record stops being served, or null when the item has no query period. */
export function servableUntil(record: RecordLike, item: InfoItem | undefined): string | null {
  if (!item?.queryYears || !item.queryPeriodFrom) return null;
  const from = record.fields[item.queryPeriodFrom];
  if (typeof from !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(from)) return null;
  const year = Number(from.slice(0, 4)) + item.queryYears;
  const md = from.slice(5);
  // 29 Feb plus whole years lands on 28 Feb in a non-leap year
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return `${year}-${md === '02-29' && !leap ? '02-28' : md}`;
}

export function isServable(record: RecordLike, item: InfoItem | undefined, today: string): boolean {
  if (record.status !== 'ACTIVE') return false;
  const until = servableUntil(record, item);
  return until === null || today < until;
}

export function summarise(records: RecordLike[]): { records: number; negative: number; byClass: Record<string, number> } {
  const byClass: Record<string, number> = {};
  let negative = 0;
  for (const r of records) {
    byClass[r.recordClass] = (byClass[r.recordClass] ?? 0) + 1;
    if (r.polarity === 'NEGATIVE') negative++;
  }
  return { records: records.length, negative, byClass };
}
