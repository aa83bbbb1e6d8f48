/** What an export run counts (functions/export/national-push.ts): its run item, the yearly statistics, and its metrics. */
import type { NationalType } from '#core/national-format';
import { EXPORT_METRICS } from '#core/export-plan';
import { shanghaiDay } from '#core/working-days';
import { addRunCounts, addStats, countIndex, type RunCounts, type StatCounts } from '#adapters/export-repo';
import { metrics } from '#adapters/powertools';

export type CounterSink = ReturnType<typeof counterSink>;

/**
 * The run's counters and the yearly statistics, added after each page's outbox write lands; one
 * update of each counter item in flight, carrying whatever accumulated meanwhile.
 */
export function counterSink(runId: string) {
  let run: Partial<RunCounts> = {};
  let stats = new Map<string, Partial<StatCounts>>();
  let flushing: Promise<void> | undefined;
  let failure: unknown;
  const pending = () => Object.keys(run).length > 0 || stats.size > 0;
  async function flush(): Promise<void> {
    while (pending()) {
      const [r, s] = [run, stats];
      [run, stats] = [{}, new Map()];
      await Promise.all([
        addRunCounts(runId, r),
        ...[...s].map(([key, counts]) => {
          const [year, type] = key.split('|') as [string, NationalType];
          return addStats(year, type, counts);
        }),
      ]);
    }
  }
  const kick = () => {
    flushing ??= flush()
      .catch((err) => {
        failure ??= err;
      })
      .finally(() => {
        flushing = undefined;
      });
  };
  return {
    add(counts: RunCounts, year: string, byType: Record<NationalType, Partial<StatCounts>>) {
      for (const [k, n] of Object.entries(counts) as Array<[keyof RunCounts, number]>) if (n) run[k] = (run[k] ?? 0) + n;
      for (const [type, c] of Object.entries(byType) as Array<[NationalType, Partial<StatCounts>]>) {
        const entries = Object.entries(c).filter(([, n]) => n);
        if (!entries.length) continue;
        const into = stats.get(`${year}|${type}`) ?? {};
        for (const [k, n] of entries as Array<[keyof StatCounts, number]>) into[k] = (into[k] ?? 0) + n;
        stats.set(`${year}|${type}`, into);
      }
      kick();
    },
    async drain() {
      while (flushing || pending()) {
        kick();
        await flushing;
        if (failure) throw failure;
      }
      if (failure) throw failure;
    },
  };
}

/** This run's counts, and the current number of overdue and held records as gauges for the alarms. */
export async function publishMetrics(now: Date, counts: RunCounts): Promise<void> {
  metrics.addMetric(EXPORT_METRICS.sent, 'Count', counts.sent);
  metrics.addMetric(EXPORT_METRICS.rejected, 'Count', counts.rejected);
  metrics.addMetric(EXPORT_METRICS.heldInRun, 'Count', counts.held);
  const [overdue, held] = await Promise.all([countIndex('byDeadline', shanghaiDay(now)), countIndex('byHeld')]);
  metrics.addMetric(EXPORT_METRICS.overdue, 'Count', overdue);
  metrics.addMetric(EXPORT_METRICS.held, 'Count', held);
}
