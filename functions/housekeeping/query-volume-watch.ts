/**
 * Scheduled (hourly): units querying far beyond their habit. For each unit that queried today
 * (the queryBudgets byDay index), its count so far against its median day of the 30 days before
 * (core/query-budget: above max(5 × median, 1,000) is unusual). Emits QueryVolumeAnomalies, the
 * metric the query-volume-anomaly alarm watches, and logs each unusual unit. A run reads one item
 * per active unit plus at most 30 per such unit: it grows with the units that queried, never with
 * the table. The first run after midnight also judges the day that just ended, so a burst in its
 * last hour is not missed.
 */
import { QUERY_VOLUME_ANOMALY_METRIC, daysBefore, judgeVolume, MEDIAN_DAYS, type VolumeVerdict } from '#core/query-budget';
import { shanghaiDay } from '#core/working-days';
import { lambdaHandler } from '#adapters/handler-stack';
import { logger, metrics } from '#adapters/powertools';
import { unitDays, unitsOfDay } from '#adapters/query-budget-repo';

export interface UnusualDay extends VolumeVerdict {
  unit: string;
  day: string;
}

/** The unusual unit-days among `days` (China days, YYYY-MM-DD). */
export async function unusualUnits(days: readonly string[]): Promise<UnusualDay[]> {
  const found: UnusualDay[] = [];
  for (const day of days) {
    const units = await unitsOfDay(day);
    const window = daysBefore(day, MEDIAN_DAYS);
    for (const [unit, used] of units) {
      const history = await unitDays(unit, window[0]!, window[window.length - 1]!);
      const verdict = judgeVolume(used, history, day);
      if (verdict.anomalous) found.push({ unit, day, ...verdict });
    }
  }
  return found;
}

export const handler = lambdaHandler(async (): Promise<{ unusual: number }> => {
  const now = new Date();
  const today = shanghaiDay(now);
  // Beijing is UTC+8 all year: the hour of the China day
  const firstRunOfDay = (now.getUTCHours() + 8) % 24 === 0;
  const days = firstRunOfDay ? [daysBefore(today, 1)[0]!, today] : [today];
  const unusual = await unusualUnits(days);
  for (const u of unusual) logger.warn('unit querying far beyond its habit', { ...u });
  metrics.addMetric(QUERY_VOLUME_ANOMALY_METRIC, 'Count', unusual.length);
  return { unusual: unusual.length };
});
