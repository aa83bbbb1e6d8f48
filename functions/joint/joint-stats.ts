/**
 * 联合奖惩 statistics read back: the JOINT counter rows of a period (adapters/stats-repo, written as
 * checks, feedback and list transitions happen) and the open feedback now past its due time (the
 * sparse byFeedback index holds only feedback not yet given; at most OVERDUE_READ are read, as the
 * alarm's metric does). Nothing here scans checks, entries or records.
 */
import { behaviourListSummary, jointStats } from '#core/joint-stats';
import type { Period } from '#core/stats';
import { shanghaiDay } from '#core/working-days';
import { levelOf } from '#core/units';
import { currentCatalog } from '#adapters/catalog-repo';
import { JOINT, overdueFeedback } from '#adapters/joint-repo';
import { readCounters } from '#adapters/stats-repo';
import { unitsByCode } from '#adapters/units-repo';

const OVERDUE_READ = 1000;

export async function jointStatsOf(period: Period, now = new Date().toISOString()) {
  // the measures' and lists' names: small sections, no item read
  const [rows, published, overdue] = await Promise.all([readCounters(JOINT, period), currentCatalog({ items: [] }), overdueFeedback(now, OVERDUE_READ)]);
  const byUnit = new Map<string, number>();
  // overdue now counts in the period that contains today (a past year has no open feedback left to chase)
  const today = shanghaiDay(now);
  if (today >= period.from && today <= `${period.to}~`) for (const f of overdue) byUnit.set(f.unit, (byUnit.get(f.unit) ?? 0) + 1);
  return jointStats(rows, published?.catalog, byUnit);
}

/** 行为篇: the published behaviour list, measures table and credit lists, with unit levels from the register. */
export async function behaviourListOf() {
  const published = await currentCatalog({ items: [] });
  const c = published?.catalog;
  const units = await unitsByCode([...(c?.behaviours ?? []).map((b) => b.unit), ...(c?.measures ?? []).flatMap((m) => m.units)]);
  return behaviourListSummary(c, (u) => levelOf(units, u));
}
