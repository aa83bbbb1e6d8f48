/**
 * Scheduled, daily: seeds the calendar table with the arrangements chinese-days knows, then, from
 * 1 November (Beijing day), emits NextYearCalendarMissing = 1 while next year has no official
 * arrangement (0 otherwise) — the metric the NextYearCalendarMissing alarm watches (lib/rights-construct.ts).
 * Constant cost: one small item per year.
 */
import { MISSING_CALENDAR_METRIC, nextYearMissing } from '#core/work-calendar';
import { shanghaiDay } from '#core/working-days';
import { loadCalendar, seedCalendar } from '#adapters/calendar-repo';
import { lambdaHandler } from '#adapters/handler-stack';
import { logger, metrics } from '#adapters/powertools';

export async function checkCalendar(now: Date): Promise<{ seeded: number; year: number; missing: boolean }> {
  const seeded = await seedCalendar(now.toISOString());
  const { year, missing } = nextYearMissing(await loadCalendar({ fresh: true }), shanghaiDay(now));
  return { seeded, year, missing };
}

export const handler = lambdaHandler(async (): Promise<{ seeded: number; year: number; missing: boolean }> => {
  const result = await checkCalendar(new Date());
  if (result.missing) logger.warn('next year has no official working-day arrangement: deadlines reaching into it are provisional', { year: result.year });
  metrics.addMetric(MISSING_CALENDAR_METRIC, 'Count', result.missing ? 1 : 0);
  return result;
});
