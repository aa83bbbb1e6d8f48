/** 归集 (records collected), 数据提供质量 (link rates) and 双公示 (double publicity): what a completed batch adds, and the figures read back. */
import { tallyOf, type ItemTally } from '../catalog-tally.ts';
import { RECORD_CLASSES, SUBJECT_TYPES, type Catalog, type SubjectType } from '../catalog.ts';
import { addInto, group, itemInfo, linkRate, providerName, zero, type CounterRow, type ItemInfo } from './counter-rows.ts';
import { dayOf } from './periods.ts';

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
    const [year, subjectType, recordClass] = k.split('|') as [string, ItemInfo['subjectType'], string];
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
      const [provider, subjectType] = k.split('|') as [string, ItemInfo['subjectType']];
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

/**
 * 双公示: the catalog's double-publicity items, their providers, and the records collected. The items
 * are counted from `tally` (kept at publish time; counted from `catalog.items` when not given).
 */
export function publicityStats(rows: CounterRow[], catalog: Catalog | undefined, tally: ItemTally = tallyOf(catalog?.items ?? [])) {
  const groups = Object.values(tally).filter((g) => g.publicity);
  const itemsOf = (type: string) => groups.filter((g) => g.publicity === type).reduce((n, g) => n + g.n, 0);
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
    items: { PENALTY: itemsOf('PENALTY'), LICENSING: itemsOf('LICENSING') },
    providers: new Set(groups.map((g) => g.provider)).size,
    records: { PENALTY: records.PENALTY ?? 0, LICENSING: records.LICENSING ?? 0, total: (records.PENALTY ?? 0) + (records.LICENSING ?? 0) },
    byProvider: [...byProvider.values()].sort((a, b) => b.PENALTY + b.LICENSING - (a.PENALTY + a.LICENSING)),
  };
}
