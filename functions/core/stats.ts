/**
 * Operations statistics (运行情况统计), pure: what one event adds to the counters, and how stored
 * counter rows read back as the figures of the annual report. Counters are kept as data arrives
 * (adapters/stats-repo); nothing here scans records.
 *
 *   ingestion  one row per month × provider × item: batches, rows, accepted, rejected, linked, unlinked
 *   queries    one row per day: `{dimension}|{value}|{outcome}` counters and the application items used
 *   rights     one row per month × subject type for objections (month of receipt), and per
 *              month × provider × item for repairs and revocations
 * Quality (link rate), publicity and application-list fulfilment are read from the first two.
 */
import { RECORD_CLASSES, SUBJECT_TYPES, type Catalog, type RecordClass, type SubjectType } from './catalog.ts';
import { isOpen, steps, type Objection } from './objections.ts';
import type { WorkCalendar } from './work-calendar.ts';
import { shanghaiDay } from './working-days.ts';

export const STATS_KINDS = ['ingestion', 'quality', 'publicity', 'queries', 'applications', 'objections'] as const;
export type StatsKind = (typeof STATS_KINDS)[number];

export { CHANNEL_NAMES, NATIONAL_TYPE_NAMES, PURPOSE_NAMES, RECORD_CLASS_NAMES, SUBJECT_TYPE_NAMES } from './stat-labels.ts';

// ---------------------------------------------------------------- periods

/** A closed range of Beijing-time days, `YYYY-MM-DD`. */
export interface Period {
  from: string;
  to: string;
}

const lastDayOfMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
};

/** `year`, or `from`/`to` as YYYY, YYYY-MM or YYYY-MM-DD (a year or month means all of it). */
export function periodOf(q: { year?: string; from?: string; to?: string }, today: string): Period {
  const start = (v: string) => (v.length === 4 ? `${v}-01-01` : v.length === 7 ? `${v}-01` : v);
  const end = (v: string) => (v.length === 4 ? `${v}-12-31` : v.length === 7 ? lastDayOfMonth(v) : v);
  if (q.from || q.to) return { from: start(q.from ?? q.to!.slice(0, 4)), to: end(q.to ?? today) };
  const year = q.year ?? today.slice(0, 4);
  return { from: `${year}-01-01`, to: `${year}-12-31` };
}

/** The calendar years a period touches. */
export function yearsOf(p: Period): string[] {
  const years: string[] = [];
  for (let y = Number(p.from.slice(0, 4)); y <= Number(p.to.slice(0, 4)); y++) years.push(String(y));
  return years;
}

/** Counter buckets are Beijing-time days or months. */
export const dayOf = (at: string) => shanghaiDay(at);

// ---------------------------------------------------------------- what events add

export type Counts = Record<string, number>;

export interface BatchTotals {
  batchId: string;
  provider: string;
  item: string;
  completedAt: string;
  rows: number;
  accepted: number;
  rejected: number;
  linked: number;
  unlinked: number;
}

export const INGESTION_COUNTERS = ['batches', 'rows', 'accepted', 'rejected', 'linked', 'unlinked'] as const;

/** A completed batch adds to its month × provider × item row, once (guarded by the batch id). */
export function batchIncrement(b: BatchTotals) {
  return {
    bucket: dayOf(b.completedAt).slice(0, 7),
    key: `${b.provider}#${b.item}`,
    attrs: { provider: b.provider, item: b.item },
    counts: { batches: 1, rows: b.rows, accepted: b.accepted, rejected: b.rejected, linked: b.linked, unlinked: b.unlinked },
    once: b.batchId,
  };
}

export const QUERY_DIMENSIONS = ['purpose', 'unit', 'role', 'channel', 'subjectType'] as const;
export type QueryDimension = (typeof QUERY_DIMENSIONS)[number];
export type QueryOutcome = 'ALLOWED' | 'REFUSED' | 'NOT_FOUND';

export interface LoggedQuery {
  at: string;
  role: string;
  unit?: string;
  purpose?: string;
  channel: string;
  subjectType: SubjectType;
  outcome: QueryOutcome;
  /** Item codes of the records served (an allowed query). */
  items?: string[];
}

const NONE = '(none)';
/**
 * Cross-tabulations counted as queries are logged (a counter per pair, `{a}*{b}|{va}*{vb}|{outcome}`):
 * who queries which kind of subject, and for what within each subject type.
 */
export const QUERY_CROSS_TABS = [
  ['role', 'subjectType'],
  ['purpose', 'subjectType'],
] as const satisfies ReadonlyArray<readonly [QueryDimension, QueryDimension]>;

/** Attribute-safe value: counter names are `{dimension}|{value}|{outcome}`. */
const clean = (v: string | undefined) => (v ? v.replaceAll('|', '/').slice(0, 64) : NONE);

export function dimensionValue(q: LoggedQuery, d: QueryDimension): string {
  if (d === 'unit') return clean(q.unit ?? `(${q.role})`);
  return clean(q[d]);
}

/** A used application item: `{unit}|{purpose}|{item}` (应用事项落实). */
export const usedItem = (unit: string, purpose: string, item: string) => `${unit}|${purpose}|${item}`;

/** What a set of logged queries adds to the day rows: counters and used application items. */
export function queryIncrements(queries: LoggedQuery[]): Array<{ bucket: string; counts: Counts; sets: Record<string, string[]> }> {
  const days = new Map<string, { counts: Counts; used: Set<string> }>();
  for (const q of queries) {
    const bucket = dayOf(q.at);
    const day = days.get(bucket) ?? { counts: {}, used: new Set<string>() };
    days.set(bucket, day);
    day.counts.total = (day.counts.total ?? 0) + 1;
    for (const d of QUERY_DIMENSIONS) {
      const name = `${d}|${dimensionValue(q, d)}|${q.outcome}`;
      day.counts[name] = (day.counts[name] ?? 0) + 1;
    }
    for (const [a, b] of QUERY_CROSS_TABS) {
      const name = `${a}*${b}|${dimensionValue(q, a).replaceAll('*', '/')}*${dimensionValue(q, b).replaceAll('*', '/')}|${q.outcome}`;
      day.counts[name] = (day.counts[name] ?? 0) + 1;
    }
    if (q.outcome === 'ALLOWED' && q.role === 'gov' && q.unit && q.purpose) {
      for (const item of q.items ?? []) day.used.add(usedItem(q.unit, q.purpose, item));
    }
  }
  return [...days].map(([bucket, d]) => ({ bucket, counts: d.counts, sets: (d.used.size ? { used: [...d.used] } : {}) as Record<string, string[]> }));
}

// ---------------------------------------------------------------- reading counters back

/** A stored counter row: its bucket (day or month), key, attributes and counters. */
export interface CounterRow {
  bucket: string;
  key?: string;
  attrs: Record<string, string>;
  counts: Counts;
  sets: Record<string, string[]>;
}

interface IngestionCounts {
  batches: number;
  rows: number;
  accepted: number;
  rejected: number;
  linked: number;
  unlinked: number;
}
const zero = (): IngestionCounts => ({ batches: 0, rows: 0, accepted: 0, rejected: 0, linked: 0, unlinked: 0 });
function addInto(into: IngestionCounts, c: Counts) {
  for (const k of INGESTION_COUNTERS) into[k] += c[k] ?? 0;
}
const linkRate = (c: { accepted: number; linked: number }) => (c.accepted ? c.linked / c.accepted : null);

type ItemInfo = { name: string; provider: string; recordClass: RecordClass | 'UNKNOWN'; subjectType: SubjectType | 'UNKNOWN'; publicity: string | null };

function itemInfo(catalog: Catalog | undefined, code: string, provider: string): ItemInfo {
  const i = catalog?.items.find((x) => x.code === code);
  return i
    ? { name: i.name, provider: i.provider, recordClass: i.recordClass, subjectType: i.subjectType, publicity: i.publicity ?? null }
    : { name: code, provider, recordClass: 'UNKNOWN', subjectType: 'UNKNOWN', publicity: null };
}
const providerName = (catalog: Catalog | undefined, code: string) => catalog?.providers.find((p) => p.code === code)?.name ?? code;

function group<K extends string>(rows: CounterRow[], keyOf: (r: CounterRow) => K) {
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
export function ingestionStats(rows: CounterRow[], catalog: Catalog | undefined) {
  const info = (r: CounterRow) => itemInfo(catalog, r.attrs.item!, r.attrs.provider!);
  const totals = zero();
  for (const r of rows) addInto(totals, r.counts);
  const byProvider = [...group(rows, (r) => r.attrs.provider!)].map(([provider, c]) => ({ provider, name: providerName(catalog, provider), ...c }));
  const byItem = [...group(rows, (r) => r.attrs.item!)].map(([item, c]) => {
    const i = itemInfo(catalog, item, rows.find((r) => r.attrs.item === item)!.attrs.provider!);
    return { item, name: i.name, provider: i.provider, recordClass: i.recordClass, subjectType: i.subjectType, ...c };
  });
  const byClass = [...group(rows, (r) => `${r.bucket.slice(0, 4)}|${info(r).subjectType}|${info(r).recordClass}`)].map(([k, c]) => {
    const [year, subjectType, recordClass] = k.split('|') as [string, string, string];
    return { year, subjectType, recordClass, accepted: c.accepted, rows: c.rows };
  });
  const order = (a: { accepted: number }, b: { accepted: number }) => b.accepted - a.accepted;
  return {
    totals,
    byProvider: byProvider.sort(order),
    byItem: byItem.sort(order),
    byClass: byClass.sort(
      (a, b) => a.year.localeCompare(b.year) || classIndex(a.recordClass) - classIndex(b.recordClass) || a.subjectType.localeCompare(b.subjectType),
    ),
    bySubjectType: SUBJECT_TYPES.map((t) => ({ subjectType: t, accepted: byClass.filter((c) => c.subjectType === t).reduce((n, c) => n + c.accepted, 0) })),
  };
}
const classIndex = (c: string) => {
  const i = (RECORD_CLASSES as readonly string[]).indexOf(c);
  return i < 0 ? RECORD_CLASSES.length : i;
};

/** 数据提供质量: each provider's link rate (linked ÷ accepted) per subject type, and those at 100%. */
export function qualityStats(rows: CounterRow[], catalog: Catalog | undefined) {
  const byProviderType = group(rows, (r) => `${r.attrs.provider}|${itemInfo(catalog, r.attrs.item!, r.attrs.provider!).subjectType}`);
  const providers = [...byProviderType]
    .map(([k, c]) => {
      const [provider, subjectType] = k.split('|') as [string, string];
      return {
        provider,
        name: providerName(catalog, provider),
        subjectType,
        accepted: c.accepted,
        linked: c.linked,
        unlinked: c.unlinked,
        linkRate: linkRate(c),
      };
    })
    .filter((p) => p.accepted > 0)
    .sort((a, b) => (b.linkRate ?? 0) - (a.linkRate ?? 0) || b.accepted - a.accepted);
  const full = (t: SubjectType) => providers.filter((p) => p.subjectType === t && p.linked === p.accepted).sort((a, b) => b.accepted - a.accepted);
  const all = zero();
  for (const r of rows) addInto(all, r.counts);
  return { linkRate: linkRate(all), accepted: all.accepted, linked: all.linked, providers, fullyLinked: { LEGAL: full('LEGAL'), NATURAL: full('NATURAL') } };
}

/** 双公示: the catalog's double-publicity items, their providers, and the records collected. */
export function publicityStats(rows: CounterRow[], catalog: Catalog | undefined) {
  const items = (catalog?.items ?? []).filter((i) => i.publicity);
  const records = { PENALTY: 0, LICENSING: 0 } as Record<string, number>;
  const byProvider = new Map<string, { provider: string; name: string; PENALTY: number; LICENSING: number }>();
  for (const r of rows) {
    const i = itemInfo(catalog, r.attrs.item!, r.attrs.provider!);
    if (!i.publicity) continue;
    const accepted = r.counts.accepted ?? 0;
    records[i.publicity] = (records[i.publicity] ?? 0) + accepted;
    const p = byProvider.get(i.provider) ?? { provider: i.provider, name: providerName(catalog, i.provider), PENALTY: 0, LICENSING: 0 };
    p[i.publicity as 'PENALTY' | 'LICENSING'] += accepted;
    byProvider.set(i.provider, p);
  }
  return {
    items: { PENALTY: items.filter((i) => i.publicity === 'PENALTY').length, LICENSING: items.filter((i) => i.publicity === 'LICENSING').length },
    providers: new Set(items.map((i) => i.provider)).size,
    records: { PENALTY: records.PENALTY ?? 0, LICENSING: records.LICENSING ?? 0, total: (records.PENALTY ?? 0) + (records.LICENSING ?? 0) },
    byProvider: [...byProvider.values()].sort((a, b) => b.PENALTY + b.LICENSING - (a.PENALTY + a.LICENSING)),
  };
}

export type QueryGrouping = QueryDimension | 'month';
export interface QueryGroup {
  key: string;
  queries: number;
  allowed: number;
  refused: number;
}

/** 查询情况: totals and counts grouped by each dimension and by month. */
export function queryStats(rows: CounterRow[]) {
  const groups = Object.fromEntries([...QUERY_DIMENSIONS, 'month'].map((d) => [d, new Map<string, QueryGroup>()])) as Record<
    QueryGrouping,
    Map<string, QueryGroup>
  >;
  const add = (d: QueryGrouping, key: string, outcome: string, n: number) => {
    const g = groups[d].get(key) ?? { key, queries: 0, allowed: 0, refused: 0 };
    g.queries += n;
    if (outcome === 'ALLOWED') g.allowed += n;
    else if (outcome === 'REFUSED') g.refused += n;
    groups[d].set(key, g);
  };
  let total = 0;
  for (const r of rows) {
    total += r.counts.total ?? 0;
    for (const [name, n] of Object.entries(r.counts)) {
      const [d, value, outcome] = name.split('|');
      if (!outcome || !(QUERY_DIMENSIONS as readonly string[]).includes(d!)) continue;
      add(d as QueryDimension, value!, outcome, n);
      if (d === 'purpose') add('month', r.bucket.slice(0, 7), outcome, n);
    }
  }
  const sorted = (d: QueryGrouping) =>
    [...groups[d].values()].sort((a, b) => (d === 'month' ? a.key.localeCompare(b.key) : b.queries - a.queries || a.key.localeCompare(b.key)));
  const byMonthPurpose = new Map<string, number>();
  for (const r of rows) {
    for (const [name, n] of Object.entries(r.counts)) {
      if (name.startsWith('purpose|')) {
        const k = `${r.bucket.slice(0, 7)}|${name.split('|')[1]}`;
        byMonthPurpose.set(k, (byMonthPurpose.get(k) ?? 0) + n);
      }
    }
  }
  // the cross-tabulations: one row per pair of values, counted like the groups
  const crossTabs = Object.fromEntries(QUERY_CROSS_TABS.map(([a, b]) => [`${a}*${b}`, new Map<string, { a: string; b: string } & QueryGroup>()]));
  for (const r of rows) {
    for (const [name, n] of Object.entries(r.counts)) {
      const [d, pair, outcome] = name.split('|');
      const tab = crossTabs[d!];
      if (!tab || !outcome) continue;
      const [va, vb] = pair!.split('*') as [string, string];
      const g = tab.get(pair!) ?? { a: va, b: vb, key: pair!, queries: 0, allowed: 0, refused: 0 };
      g.queries += n;
      if (outcome === 'ALLOWED') g.allowed += n;
      else if (outcome === 'REFUSED') g.refused += n;
      tab.set(pair!, g);
    }
  }
  const crossRows = (a: string, b: string) =>
    [...crossTabs[`${a}*${b}`]!.values()]
      .sort((x, y) => x.a.localeCompare(y.a) || x.b.localeCompare(y.b))
      .map(({ a: va, b: vb, queries, allowed, refused }) => ({ [a]: va, [b]: vb, queries, allowed, refused }));
  return {
    total,
    /** Role × subject type and purpose within subject type (counted from the day this counter was added). */
    crossTabs: { roleBySubjectType: crossRows('role', 'subjectType'), purposeBySubjectType: crossRows('purpose', 'subjectType') },
    groups: Object.fromEntries([...QUERY_DIMENSIONS, 'month'].map((d) => [d, sorted(d as QueryGrouping)])) as Record<QueryGrouping, QueryGroup[]>,
    byMonthPurpose: [...byMonthPurpose]
      .map(([k, queries]) => ({ month: k.split('|')[0]!, purpose: k.split('|')[1]!, queries }))
      .sort((a, b) => a.month.localeCompare(b.month)),
  };
}

/** 应用清单落实: declared (unit, purpose, item) entries a query actually served, per unit. */
export function applicationStats(rows: CounterRow[], catalog: Catalog | undefined) {
  const used = new Set(rows.flatMap((r) => r.sets.used ?? []));
  const units = new Map<string, { unit: string; declared: number; fulfilled: number }>();
  for (const a of catalog?.applications ?? []) {
    const u = units.get(a.unit) ?? { unit: a.unit, declared: 0, fulfilled: 0 };
    for (const item of new Set(a.items)) {
      u.declared++;
      if (used.has(usedItem(a.unit, a.purpose, item))) u.fulfilled++;
    }
    units.set(a.unit, u);
  }
  const rate = (u: { declared: number; fulfilled: number }) => (u.declared ? u.fulfilled / u.declared : null);
  const byUnit = [...units.values()].map((u) => ({ ...u, rate: rate(u) })).sort((a, b) => (b.rate ?? 0) - (a.rate ?? 0) || b.declared - a.declared);
  const declared = byUnit.reduce((n, u) => n + u.declared, 0);
  const fulfilled = byUnit.reduce((n, u) => n + u.fulfilled, 0);
  return { declared, fulfilled, rate: rate({ declared, fulfilled }), byUnit };
}

// ---------------------------------------------------------------- objections, repairs, revocations (异议, 信用修复)

const monthOf = (at: string) => dayOf(at).slice(0, 7);
const objectionRow = (o: Pick<Objection, 'receivedAt' | 'subjectType'>) => ({
  bucket: monthOf(o.receivedAt),
  key: `objection#${o.subjectType}`,
  attrs: { kind: 'objection', subjectType: o.subjectType },
});

/**
 * What an objection adds to the row of its month of receipt × subject type: on filing it is
 * applied and annotated (the record is marked at once); once decided, completed with its outcome,
 * and late when any step was done after its deadline. Each is guarded by the objection id.
 */
export function objectionIncrement(
  o: Objection,
  now: string,
  cal: WorkCalendar,
): { bucket: string; key: string; attrs: Record<string, string>; counts: Counts; once: string } {
  if (isOpen(o.status)) return { ...objectionRow(o), counts: { applied: 1, annotated: 1 }, once: `${o.objectionId}:applied` };
  const late = steps(o, now, cal).some((s) => s.overdue) ? 1 : 0;
  return { ...objectionRow(o), counts: { completed: 1, [o.status.toLowerCase()]: 1, late }, once: `${o.objectionId}:completed` };
}

/** Open objections past a deadline now, as counter rows (read live: they are late only from `now`). */
export function openOverdueRows(open: readonly Objection[], now: string, cal: WorkCalendar): CounterRow[] {
  return open.filter((o) => isOpen(o.status) && steps(o, now, cal).some((s) => s.overdue)).map((o) => ({ ...objectionRow(o), counts: { late: 1 }, sets: {} }));
}

export interface RecordRightEvent {
  action: 'repaired' | 'revoked';
  recordId: string;
  provider: string;
  item: string;
  subjectType: SubjectType;
  at: string;
}

/** A repair (信用修复) or revocation (撤销) adds to its month × provider × item row, once per record. */
export function recordRightIncrement(e: RecordRightEvent) {
  return {
    bucket: monthOf(e.at),
    key: `record#${e.subjectType}#${e.provider}#${e.item}`,
    attrs: { kind: 'record', subjectType: e.subjectType, provider: e.provider, item: e.item },
    counts: { [e.action]: 1 },
    once: `${e.recordId}:${e.action}`,
  };
}

const OUTCOME_COUNTERS = { CORRECTED: 'corrected', DELETED: 'deleted', UPHELD: 'upheld' } as const;

/**
 * 异议处理情况 and 信用修复: per calendar year (of receipt) applications, completed, annotated, by
 * subject type and outcome, and overdue; by subject type over the period; repairs and revocations.
 */
export function objectionStats(rows: CounterRow[], catalog: Catalog | undefined) {
  const n = (r: CounterRow, k: string) => r.counts[k] ?? 0;
  const objections = rows.filter((r) => r.attrs.kind === 'objection');
  const records = rows.filter((r) => r.attrs.kind === 'record');
  const years = new Map<
    string,
    {
      year: string;
      applications: number;
      completed: number;
      annotated: number;
      bySubjectType: Record<SubjectType, number>;
      byOutcome: Record<keyof typeof OUTCOME_COUNTERS, number>;
      overdue: number;
    }
  >();
  for (const r of objections) {
    const year = r.bucket.slice(0, 4);
    const y = years.get(year) ?? {
      year,
      applications: 0,
      completed: 0,
      annotated: 0,
      bySubjectType: { LEGAL: 0, NATURAL: 0 },
      byOutcome: { CORRECTED: 0, DELETED: 0, UPHELD: 0 },
      overdue: 0,
    };
    y.applications += n(r, 'applied');
    y.completed += n(r, 'completed');
    y.annotated += n(r, 'annotated');
    y.bySubjectType[r.attrs.subjectType as SubjectType] += n(r, 'applied');
    for (const [outcome, counter] of Object.entries(OUTCOME_COUNTERS)) y.byOutcome[outcome as keyof typeof OUTCOME_COUNTERS] += n(r, counter);
    y.overdue += n(r, 'late');
    years.set(year, y);
  }
  const list = [...years.values()].sort((a, b) => a.year.localeCompare(b.year));
  const sum = (k: 'applications' | 'completed' | 'annotated' | 'overdue') => list.reduce((t, y) => t + y[k], 0);
  const ofType = <T extends string>(rs: CounterRow[], t: SubjectType, keys: readonly T[]) =>
    Object.fromEntries(keys.map((k) => [k, rs.filter((r) => r.attrs.subjectType === t).reduce((s, r) => s + n(r, k), 0)])) as Record<T, number>;
  const repairs = new Map<string, { provider: string; name: string; repaired: number; revoked: number }>();
  for (const r of records) {
    const p = repairs.get(r.attrs.provider!) ?? { provider: r.attrs.provider!, name: providerName(catalog, r.attrs.provider!), repaired: 0, revoked: 0 };
    p.repaired += n(r, 'repaired');
    p.revoked += n(r, 'revoked');
    repairs.set(p.provider, p);
  }
  const byProvider = [...repairs.values()].sort((a, b) => b.repaired + b.revoked - (a.repaired + a.revoked) || a.provider.localeCompare(b.provider));
  return {
    years: list,
    total: { applications: sum('applications'), completed: sum('completed'), annotated: sum('annotated'), overdue: sum('overdue') },
    bySubjectType: SUBJECT_TYPES.map((t) => {
      const c = ofType(objections, t, ['applied', 'completed', 'annotated']);
      return { subjectType: t, applications: c.applied, completed: c.completed, annotated: c.annotated };
    }),
    repairs: {
      repaired: byProvider.reduce((t, p) => t + p.repaired, 0),
      revoked: byProvider.reduce((t, p) => t + p.revoked, 0),
      bySubjectType: SUBJECT_TYPES.map((t) => ({ subjectType: t, ...ofType(records, t, ['repaired', 'revoked']) })),
      byProvider,
    },
  };
}

// ---------------------------------------------------------------- national export (数据推送情况)

export const NATIONAL_TYPES = ['PENALTY', 'LICENSING'] as const;
/**
 * What the national platform accepted in a year, per type, as the export keeps it: `records`
 * counts accepted adds and updates together (the export keeps no per-record state to tell them apart).
 */
export type ExportYear = Record<(typeof NATIONAL_TYPES)[number], { records: number; withdrawals: number; rejections: number }>;

/** 数据推送情况: per year and summed over the years, records pushed (adds and updates), withdrawals, rejections. */
export function exportStats(years: Array<{ year: string; byType: ExportYear }>) {
  const zero = () => ({ records: 0, withdrawals: 0, rejections: 0 });
  const byType = { PENALTY: zero(), LICENSING: zero() };
  for (const y of years) {
    for (const t of NATIONAL_TYPES) for (const k of Object.keys(byType[t]) as Array<keyof ReturnType<typeof zero>>) byType[t][k] += y.byType[t][k];
  }
  return {
    years: years.map((y) => ({ year: y.year, byType: y.byType, total: y.byType.PENALTY.records + y.byType.LICENSING.records })),
    byType,
    total: byType.PENALTY.records + byType.LICENSING.records,
  };
}
