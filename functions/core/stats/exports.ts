/** 数据推送情况: what the national export pushed, per year and type. */

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
