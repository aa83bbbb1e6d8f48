/**
 * Scheduled: objection steps past their working-day deadline (SH-REG-2017 Art 36). Reads the open
 * objections due by now from the byDeadline index, logs each, and emits OverdueObjectionSteps —
 * the metric the OverdueObjections alarm watches (lib/rights-construct.ts), and OpenObjections
 * (a count of the open ones, for the stage's dashboard).
 */
import { OPEN_OBJECTIONS_METRIC, OVERDUE_OBJECTIONS_METRIC, isOverdue, pendingDeadlineOf } from '#core/objections';
import { loadCalendar } from '#adapters/calendar-repo';
import { lambdaHandler } from '#adapters/handler-stack';
import { countOpenObjections, openObjections } from '#adapters/objection-repo';
import { logger, metrics } from '#adapters/powertools';

export async function overdueObjections(now: string) {
  const [due, cal] = await Promise.all([openObjections(now), loadCalendar()]);
  return due
    .filter((o) => isOverdue(o, now, cal))
    .map((o) => {
      const d = pendingDeadlineOf(o, cal);
      return {
        objectionId: o.objectionId,
        status: o.status,
        provider: o.provider,
        deadline: d?.deadline ?? null,
        deadlineProvisional: d?.provisional ?? false,
      };
    });
}

export const handler = lambdaHandler(async (): Promise<{ overdue: number }> => {
  const [overdue, open] = await Promise.all([overdueObjections(new Date().toISOString()), countOpenObjections()]);
  for (const o of overdue) logger.warn('objection step overdue', o);
  metrics.addMetric(OVERDUE_OBJECTIONS_METRIC, 'Count', overdue.length);
  metrics.addMetric(OPEN_OBJECTIONS_METRIC, 'Count', open);
  return { overdue: overdue.length };
});
