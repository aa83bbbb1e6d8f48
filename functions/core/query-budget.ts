/**
 * Per-unit daily query budgets (每日查询限额) and the habit check behind the query-volume alarm.
 * Every government unit or credit agency may query so many subjects a China day: its own
 * `dailyQueryBudget` in the units register, else the default below. A credit-file query costs 1, a
 * bulk check 1 per identifier it submits. The counter is one item per unit and day, charged by
 * one conditional write per request (adapters/query-budget-repo.ts), so a request costs the same
 * whatever the tables hold. Pure: no I/O.
 */

/** A unit's budget when the register gives none: two full bulk checks (100,000 each) a day. */
export const DEFAULT_DAILY_QUERY_BUDGET = 200_000;
/** The most a register entry may set (a sanity bound, not a target). */
export const MAX_DAILY_QUERY_BUDGET = 10_000_000;

/** A unit's day is unusual when it exceeds this many times its median day of the last 30 days ... */
export const ANOMALY_FACTOR = 5;
/** ... and this many queries: a unit that queries rarely (median 0 or a handful) is not flagged for a normal morning. */
export const ANOMALY_FLOOR = 1_000;
/** The days the median is taken over (days without a query count as 0). */
export const MEDIAN_DAYS = 30;

/** The metric a refused request adds 1 to (alarm `query-budget-exceeded`). */
export const QUERY_BUDGET_EXCEEDED_METRIC = 'QueryBudgetExceeded';
/** The metric the volume watch emits each run: units whose day so far is unusual (alarm `query-volume-anomaly`). */
export const QUERY_VOLUME_ANOMALY_METRIC = 'QueryVolumeAnomalies';

/** The budget of a unit (a register entry, or nothing for a unit not in the register). */
export function dailyBudgetOf(unit: { dailyQueryBudget?: number } | undefined): number {
  return unit?.dailyQueryBudget ?? DEFAULT_DAILY_QUERY_BUDGET;
}

/** The middle value (mean of the two middle ones for an even count); 0 for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The `n` China days before `day` (YYYY-MM-DD), oldest first. */
export function daysBefore(day: string, n: number): string[] {
  const t = Date.parse(`${day}T00:00:00Z`);
  return Array.from({ length: n }, (_, i) => new Date(t - (n - i) * 86_400_000).toISOString().slice(0, 10));
}

export interface VolumeVerdict {
  used: number;
  median: number;
  /** The count above which the day is unusual: max(ANOMALY_FACTOR × median, ANOMALY_FLOOR). */
  threshold: number;
  anomalous: boolean;
}

/**
 * Whether a unit's day is unusual, from its count so far and its counts of the MEDIAN_DAYS days
 * before (by day; a day missing from `history` counted 0).
 */
export function judgeVolume(
  used: number,
  history: ReadonlyMap<string, number>,
  day: string,
  o = { factor: ANOMALY_FACTOR, floor: ANOMALY_FLOOR },
): VolumeVerdict {
  const m = median(daysBefore(day, MEDIAN_DAYS).map((d) => history.get(d) ?? 0));
  const threshold = Math.max(o.factor * m, o.floor);
  return { used, median: m, threshold, anomalous: used > threshold };
}

export interface BudgetRefusal {
  unit: string;
  day: string;
  budget: number;
  used: number;
  cost: number;
}

/** The English and Chinese sentences of a refusal (HTTP 429, code QUERY_BUDGET_EXCEEDED). */
export function budgetRefusalText(r: BudgetRefusal): { message: string; messageZh: string } {
  const left = Math.max(0, r.budget - r.used);
  return {
    message: `unit ${r.unit} has used ${r.used} of its daily query budget of ${r.budget} on ${r.day} (China time); this request needs ${r.cost}, ${left} remain; the budget renews at 00:00 Beijing time`,
    messageZh: `本单位今日（${r.day}）查询已达 ${r.used} 次，每日限额 ${r.budget} 次，本次需 ${r.cost} 次，剩余 ${left} 次；北京时间 0 时起恢复。如需提高限额，请联系平台管理员`,
  };
}
