/** 查询情况 (queries) and 应用清单落实 (application-list fulfilment): what logged queries add, and the figures read back. */
import type { Catalog, SubjectType } from '../catalog.ts';
import type { Counts, CounterRow } from './counter-rows.ts';
import { checkedUnder, matterFulfilment, namedMatter } from './matters.ts';
import { dayOf } from './periods.ts';

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
  /** The application matter (应用事项) the query was made under, when it named one (core/stats/matters). */
  matter?: string;
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

/**
 * What a set of logged queries adds to the day rows: counters, used application items, and the
 * matters applied (core/stats/matters: the matter named, or the purpose × subject type of a query naming none).
 */
export function queryIncrements(queries: LoggedQuery[]): Array<{ bucket: string; counts: Counts; sets: Record<string, string[]> }> {
  const days = new Map<string, { counts: Counts; used: Set<string>; matters: Set<string>; checked: Set<string> }>();
  for (const q of queries) {
    const bucket = dayOf(q.at);
    const day = days.get(bucket) ?? { counts: {}, used: new Set<string>(), matters: new Set<string>(), checked: new Set<string>() };
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
    // a matter is applied by a check the access rules let through, whether the subject had a file or not
    if (q.outcome !== 'REFUSED' && q.role === 'gov' && q.unit && q.purpose) {
      if (q.matter) day.matters.add(namedMatter(q.unit, q.matter));
      else day.checked.add(checkedUnder(q.unit, q.purpose, q.subjectType));
    }
  }
  return [...days].map(([bucket, d]) => ({
    bucket,
    counts: d.counts,
    sets: Object.fromEntries(
      Object.entries({ used: d.used, matters: d.matters, checked: d.checked }).flatMap(([k, v]) => (v.size ? [[k, [...v]]] : [])),
    ) as Record<string, string[]>,
  }));
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

/**
 * 应用清单落实: declared (unit, purpose, item) entries a query actually served, per unit; and the
 * application matters applied (应用事项落实率, core/stats/matters), per matter and per unit.
 */
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
  return { declared, fulfilled, rate: rate({ declared, fulfilled }), byUnit, matters: matterFulfilment(rows, catalog?.matters ?? []) };
}
