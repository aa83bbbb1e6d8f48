/**
 * Each statistics kind as a reader of counter streams (adapters/stats-repo) and a pure summary
 * (core/stats). A new kind is one entry here, one summary in core/stats, and the increments its
 * own path writes with addCounts.
 */
import { applicationStats, ingestionStats, publicityStats, qualityStats, queryStats, type CounterRow, type Period, type StatsKind } from '#core/stats';
import type { Catalog } from '#core/catalog';
import { currentCatalog } from '#adapters/catalog-repo';
import { INGEST, QUERIES, readCounters, type Stream } from '#adapters/stats-repo';

type Summary<K extends StatsKind> = (rows: CounterRow[], catalog: Catalog | undefined) => ReturnType<(typeof KINDS)[K]['summary']>;

const KINDS = {
  ingestion: { stream: INGEST, summary: ingestionStats },
  quality: { stream: INGEST, summary: qualityStats },
  publicity: { stream: INGEST, summary: publicityStats },
  queries: { stream: QUERIES, summary: (rows: CounterRow[]) => queryStats(rows) },
  applications: { stream: QUERIES, summary: applicationStats },
} satisfies Record<StatsKind, { stream: Stream; summary: (rows: CounterRow[], catalog: Catalog | undefined) => unknown }>;

export async function statsOf<K extends StatsKind>(kind: K, period: Period): Promise<ReturnType<Summary<K>>> {
  const { stream, summary } = KINDS[kind];
  const [rows, published] = await Promise.all([readCounters(stream, period), currentCatalog()]);
  return (summary as Summary<K>)(rows, published?.catalog);
}
