/**
 * 可查询数据存量 — the current stock of queryable records per subject type and record class (the
 * reference platform's 3.14 亿), counted as records change rather than by reading the tables.
 *
 * The rule: a stored record is counted exactly while it carries the `stock` attribute
 * (`{subjectType}#{recordClass}`), and it carries it exactly while it is ACTIVE in a subject's own
 * file (held records waiting for their subject and copies filed under a legal representative are
 * not counted). Every write that sets or removes the attribute adds +1 / −1 to the counter in the
 * same transaction (or, for ingest's batched writes, once per chunk under the chunk's own marker),
 * so a retried write finds the attribute already as it wants it and counts nothing. Records stored
 * before the counters existed lack the attribute and are counted once by the backfill job.
 *
 * Counter rows are sharded (a shard per write, any shard will do: readers add them up), so that
 * concurrent writers seldom meet on one item. Pure: no I/O.
 */
import { RECORD_CLASSES, SUBJECT_TYPES, type RecordClass, type SubjectType } from './catalog.ts';

export const STOCK_PK = 'STOCK';
export const STOCK_SHARDS = 32;

export const stockKey = (subjectType: SubjectType, recordClass: string): string => `${subjectType}#${recordClass}`;

/** The `stock` value a record should carry after a write, or undefined when it must not be counted. */
export function stockOf(subjectType: SubjectType, record: { sk?: unknown; status?: unknown; via?: unknown; recordClass?: unknown }): string | undefined {
  if (typeof record.sk !== 'string' || !record.sk.startsWith('REC#') || record.sk.endsWith('#REP')) return undefined;
  if (record.via || record.status !== 'ACTIVE' || typeof record.recordClass !== 'string') return undefined;
  return stockKey(subjectType, record.recordClass);
}

/** A stable shard of any string (a record id, a chunk's id). */
export function stockShard(of: string): number {
  let h = 0;
  for (let i = 0; i < of.length; i++) h = (h * 31 + of.charCodeAt(i)) >>> 0;
  return h % STOCK_SHARDS;
}

export const stockSk = (key: string, shard: number): string => `${key}#${String(shard).padStart(2, '0')}`;

/** Net change of the counters from before/after `stock` values of the records one write touches; zero entries dropped. */
export function stockDeltas(changes: Iterable<{ before?: unknown; after?: unknown }>): Record<string, number> {
  const d: Record<string, number> = {};
  for (const { before, after } of changes) {
    if (before === after) continue;
    if (typeof before === 'string') d[before] = (d[before] ?? 0) - 1;
    if (typeof after === 'string') d[after] = (d[after] ?? 0) + 1;
  }
  for (const k of Object.keys(d)) if (d[k] === 0) delete d[k];
  return d;
}

export interface StockRow {
  subjectType: SubjectType;
  recordClass: RecordClass | string;
  records: number;
}

export interface StockSummary {
  total: number;
  bySubjectType: Record<SubjectType, number>;
  rows: StockRow[];
}

/** Adds up the counter rows (sk = {type}#{class}#{shard}) into per-type, per-class stock. */
export function summariseStock(rows: Array<{ sk: string; n?: number }>): StockSummary {
  const byKey = new Map<string, number>();
  for (const r of rows) {
    const key = r.sk.split('#').slice(0, 2).join('#');
    byKey.set(key, (byKey.get(key) ?? 0) + Number(r.n ?? 0));
  }
  const bySubjectType = Object.fromEntries(SUBJECT_TYPES.map((t) => [t, 0])) as Record<SubjectType, number>;
  const order = (c: string) => (RECORD_CLASSES as readonly string[]).indexOf(c);
  const out: StockRow[] = [];
  for (const [key, records] of byKey) {
    const [subjectType, recordClass] = key.split('#') as [SubjectType, string];
    if (!(subjectType in bySubjectType)) continue;
    bySubjectType[subjectType] += records;
    out.push({ subjectType, recordClass, records });
  }
  out.sort((a, b) => a.subjectType.localeCompare(b.subjectType) || order(a.recordClass) - order(b.recordClass));
  return { total: out.reduce((n, r) => n + r.records, 0), bySubjectType, rows: out };
}
