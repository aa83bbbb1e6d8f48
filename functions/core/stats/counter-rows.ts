/** Counter rows as stored (adapters/stats-repo), and the helpers the summaries share to read them. */
import type { Catalog, RecordClass, SubjectType } from '../catalog.ts';

export type Counts = Record<string, number>;

/** A stored counter row: its bucket (day or month), key, attributes and counters. */
export interface CounterRow {
  bucket: string;
  key?: string;
  attrs: Record<string, string>;
  counts: Counts;
  sets: Record<string, string[]>;
}

export const INGESTION_COUNTERS = ['batches', 'rows', 'accepted', 'rejected', 'linked', 'unlinked'] as const;

export interface IngestionCounts {
  batches: number;
  rows: number;
  accepted: number;
  rejected: number;
  linked: number;
  unlinked: number;
}
export const zero = (): IngestionCounts => ({ batches: 0, rows: 0, accepted: 0, rejected: 0, linked: 0, unlinked: 0 });
export function addInto(into: IngestionCounts, c: Counts) {
  for (const k of INGESTION_COUNTERS) into[k] += c[k] ?? 0;
}
export const linkRate = (c: { accepted: number; linked: number }) => (c.accepted ? c.linked / c.accepted : null);

export type ItemInfo = { name: string; provider: string; recordClass: RecordClass | 'UNKNOWN'; subjectType: SubjectType | 'UNKNOWN'; publicity: string | null };

export function itemInfo(catalog: Catalog | undefined, code: string, provider: string): ItemInfo {
  const i = catalog?.items.find((x) => x.code === code);
  return i
    ? { name: i.name, provider: i.provider, recordClass: i.recordClass, subjectType: i.subjectType, publicity: i.publicity ?? null }
    : { name: code, provider, recordClass: 'UNKNOWN', subjectType: 'UNKNOWN', publicity: null };
}
export const providerName = (catalog: Catalog | undefined, code: string) => catalog?.providers.find((p) => p.code === code)?.name ?? code;

export function group<K extends string>(rows: CounterRow[], keyOf: (r: CounterRow) => K) {
  const out = new Map<K, IngestionCounts>();
  for (const r of rows) {
    const k = keyOf(r);
    const c = out.get(k) ?? zero();
    addInto(c, r.counts);
    out.set(k, c);
  }
  return out;
}

/** 归集数据量: by provider, item, record class × subject type, year. */
