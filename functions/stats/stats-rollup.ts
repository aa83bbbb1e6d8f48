/**
 * Scheduled: counts the interactive credit queries logged since the last run into the query
 * statistics, so the query path itself writes only its log entry. Each run takes the window
 * [cursor, now − lag) — a query logs the time it started when it ends, up to the API timeout
 * later — counts it per day with the window's bound as the guard, then moves the cursor. A run that
 * stops half-way leaves the window pending; the next run redoes it and the guard skips what was
 * counted. (Bulk-check entries are counted when appended.)
 */
import { ENV } from '#lib/platform';
import { lambdaHandler } from '#adapters/handler-stack';
import { logger } from '#adapters/powertools';
import { rollupEntries } from '#adapters/query-log-repo';
import { claimWindow, countQueries, finishWindow, rollupCursor } from '#adapters/stats-repo';

const lagMs = () => Number(process.env[ENV.statsLagSeconds] ?? 120) * 1000;

export async function rollUpQueries(now = new Date()): Promise<{ window: [string, string] | null; entries: number }> {
  const cursor = await rollupCursor(now);
  let upTo = cursor.pending;
  if (!upTo) {
    upTo = new Date(now.getTime() - lagMs()).toISOString();
    if (upTo <= cursor.done) return { window: null, entries: 0 };
    if (!(await claimWindow(cursor, upTo))) return { window: null, entries: 0 }; // another run has it
  }
  const entries = await rollupEntries(cursor.done, upTo);
  await countQueries(entries, `rollup:${upTo}`);
  await finishWindow(upTo);
  return { window: [cursor.done, upTo], entries: entries.length };
}

export const handler = lambdaHandler(async (): Promise<{ entries: number }> => {
  const out = await rollUpQueries();
  logger.info('query statistics rolled up', { window: out.window, entries: out.entries });
  return { entries: out.entries };
});
