/**
 * The published items counted by provider × subject type × record class × double-publicity type
 * (issue 16): kept on the catalog pointer when a version is published, so statistics and the annual
 * report read a few hundred counters instead of the 45,933 items of the reference catalog. Each
 * group also keeps its smallest item code, so a figure listed "in catalog order" (the first item of
 * each kind in code order) comes out in the same order as counting the items themselves would give.
 */
import type { InfoItem } from './catalog.ts';

export interface TallyGroup {
  provider: string;
  subjectType: string;
  recordClass: string;
  publicity: string | null;
  n: number;
  /** The smallest item code of the group. */
  first: string;
}

/** Groups keyed by `provider|subjectType|recordClass|publicity`. */
export type ItemTally = Record<string, TallyGroup>;

type Counted = Pick<InfoItem, 'code' | 'provider' | 'subjectType' | 'recordClass' | 'publicity'>;

const keyOf = (i: Counted) => [i.provider, i.subjectType, i.recordClass, i.publicity ?? ''].join('|');

/** Adds one item to `tally` (in place). */
export function countItem(tally: ItemTally, i: Counted): void {
  const k = keyOf(i);
  const g = tally[k];
  if (g) {
    g.n++;
    if (i.code < g.first) g.first = i.code;
  } else tally[k] = { provider: i.provider, subjectType: i.subjectType, recordClass: i.recordClass, publicity: i.publicity ?? null, n: 1, first: i.code };
}

export function tallyOf(items: readonly Counted[]): ItemTally {
  const t: ItemTally = {};
  for (const i of items) countItem(t, i);
  return t;
}

/** `tally` with the groups of `provider` replaced by `theirs` (a publish of one unit's list). */
export function replaceProvider(tally: ItemTally, provider: string, theirs: ItemTally): ItemTally {
  const out: ItemTally = {};
  for (const [k, g] of Object.entries(tally)) if (g.provider !== provider) out[k] = g;
  return { ...out, ...theirs };
}

/** The groups in code order of their first item: the order in which counting the items in code order meets them. */
export const tallyGroups = (tally: ItemTally): TallyGroup[] => Object.values(tally).sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));

/** Items per value of `by`, in the order counting the items in code order lists them. */
export function countBy(tally: ItemTally, by: (g: TallyGroup) => string): Array<{ key: string; n: number }> {
  const out = new Map<string, number>();
  for (const g of tallyGroups(tally)) out.set(by(g), (out.get(by(g)) ?? 0) + g.n);
  return [...out].map(([key, n]) => ({ key, n }));
}

export const tallyTotal = (tally: ItemTally) => Object.values(tally).reduce((n, g) => n + g.n, 0);
