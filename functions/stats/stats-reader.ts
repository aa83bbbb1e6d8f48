/**
 * Each statistics kind as a reader of counter streams (adapters/stats-repo) and a pure summary
 * (core/stats). A new kind is one entry here, one summary in core/stats, and the increments its
 * own path writes with addCounts.
 */
import { applicationStats, ingestionStats, publicityStats, qualityStats, queryIncrements, queryStats, type CounterRow, type Period, type StatsKind } from '#core/stats';
import type { Catalog } from '#core/catalog';
import { currentCatalog } from '#adapters/catalog-repo';
import { rollupEntries } from '#adapters/query-log-repo';
import { INGEST, QUERIES, readCounters, rollupCursor, type Stream } from '#adapters/stats-repo';

type Summary<K extends StatsKind> = (rows: CounterRow[], catalog: Catalog | undefined) => ReturnType<(typeof KINDS)[K]['summary']>;

const KINDS = {
  ingestion: { stream: INGEST, summary: ingestionStats },
  quality: { stream: INGEST, summary: qualityStats },
  publicity: { stream: INGEST, summary: publicityStats },
  queries: { stream: QUERIES, summary: (rows: CounterRow[]) => queryStats(rows) },
  applications: { stream: QUERIES, summary: applicationStats },
} satisfies Record<StatsKind, { stream: Stream; summary: (rows: CounterRow[], catalog: Catalog | undefined) => unknown }>;

/**
 * Query counters plus the queries logged since the rollup's last window (minutes of entries), so
 * the figures are current without waiting for the schedule.
 */
async function queryRows(period: Period): Promise<CounterRow[]> {
  const now = new Date();
  const [rows, cursor] = await Promise.all([readCounters(QUERIES, period), rollupCursor(now)]);
  const tail = queryIncrements(await rollupEntries(cursor.done, `${now.toISOString()}~`))
    .filter((inc) => inc.bucket >= period.from && inc.bucket <= period.to)
    .map((inc) => ({ bucket: inc.bucket, attrs: {}, counts: inc.counts, sets: inc.sets }));
  return [...rows, ...tail];
}

export async function statsOf<K extends StatsKind>(kind: K, period: Period): Promise<ReturnType<Summary<K>>> {
  const { stream, summary } = KINDS[kind];
  const [rows, published] = await Promise.all([stream === QUERIES ? queryRows(period) : readCounters(stream, period), currentCatalog()]);
  return (summary as Summary<K>)(rows, published?.catalog);
}
