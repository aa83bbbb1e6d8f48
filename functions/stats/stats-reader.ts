/**
 * Each statistics kind as a reader of counter streams (adapters/stats-repo) and a pure summary
 * (core/stats). A new kind is one entry here, one summary in core/stats, and the increments its
 * own path writes with addCounts.
 */
import {
  applicationStats,
  fulfilmentByLevel,
  exportStats,
  ingestionStats,
  objectionStats,
  openOverdueRows,
  publicityStats,
  qualityStats,
  queryIncrements,
  queryStats,
  type CounterRow,
  type Period,
  type StatsKind,
  yearsOf,
} from '#core/stats';
import type { Catalog } from '#core/catalog';
import type { ItemTally } from '#core/catalog-tally';
import { levelOf, nameOf, UNIT_LEVELS, type Unit } from '#core/units';
import { loadCalendar } from '#adapters/calendar-repo';
import { catalogTally, currentCatalog } from '#adapters/catalog-repo';
import { readStats } from '#adapters/export-repo';
import { openObjections } from '#adapters/objection-repo';
import { unitsByCode } from '#adapters/units-repo';
import { rollupEntries } from '#adapters/query-log-repo';
import { INGEST, QUERIES, RIGHTS, readCounters, rollupCursor, type Stream } from '#adapters/stats-repo';

type Summary<K extends StatsKind> = (
  rows: CounterRow[],
  catalog: Catalog | undefined,
  tally: ItemTally | undefined,
) => ReturnType<(typeof KINDS)[K]['summary']>;

const KINDS = {
  ingestion: { stream: INGEST, summary: ingestionStats },
  quality: { stream: INGEST, summary: qualityStats },
  publicity: {
    stream: INGEST,
    summary: (rows: CounterRow[], catalog: Catalog | undefined, tally: ItemTally | undefined) => publicityStats(rows, catalog, tally),
  },
  queries: { stream: QUERIES, summary: (rows: CounterRow[]) => queryStats(rows) },
  applications: { stream: QUERIES, summary: applicationStats },
  objections: { stream: RIGHTS, summary: objectionStats },
} satisfies Record<StatsKind, { stream: Stream; summary: (rows: CounterRow[], catalog: Catalog | undefined, tally: ItemTally | undefined) => unknown }>;

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

/**
 * Objection and repair counters plus the open objections now past a deadline (open ones only:
 * a short, sparse index), since an objection becomes late by the clock, not by an event.
 */
async function rightsRows(period: Period): Promise<CounterRow[]> {
  const now = new Date().toISOString();
  const [rows, open, cal] = await Promise.all([readCounters(RIGHTS, period), openObjections(), loadCalendar()]);
  const months = [period.from.slice(0, 7), period.to.slice(0, 7)];
  return [...rows, ...openOverdueRows(open, now, cal).filter((r) => r.bucket >= months[0]! && r.bucket <= months[1]!)];
}

const readRows = (stream: Stream, period: Period) =>
  stream === QUERIES ? queryRows(period) : stream === RIGHTS ? rightsRows(period) : readCounters(stream, period);

/**
 * One kind's figures: its counter rows, the catalog items those rows name (read by key, never the
 * whole catalog) and, for the item counts, the tally kept at publish time.
 */
export async function statsOf<K extends StatsKind>(kind: K, period: Period): Promise<ReturnType<Summary<K>>> {
  const { stream, summary } = KINDS[kind];
  const [rows, tally] = await Promise.all([readRows(stream, period), kind === 'publicity' ? catalogTally() : undefined]);
  const published = await currentCatalog({ items: rows.flatMap((r) => (r.attrs.item ? [r.attrs.item] : [])) });
  return (summary as Summary<K>)(rows, published?.catalog, tally);
}

/** 数据推送情况: the national export's yearly counters (adapters/export-repo) for the years the period touches. */
export async function exportStatsOf(period: Period) {
  return exportStats(await Promise.all(yearsOf(period).map(async (year) => ({ year, byType: await readStats(year) }))));
}

type ApplicationFigures = ReturnType<typeof applicationStats>;

/** 应用事项落实 per unit with the unit's registered name and level, and summed per level (市级 / 区级). */
export function mattersWithUnits(m: ApplicationFigures['matters'], units: ReadonlyMap<string, Unit>) {
  return {
    ...m,
    byUnit: m.byUnit.map((u) => ({ ...u, name: nameOf(units, u.unit), level: levelOf(units, u.unit) })),
    byLevel: fulfilmentByLevel(m.byUnit, UNIT_LEVELS, (u) => levelOf(units, u)),
  };
}

/** 应用清单落实 and 应用事项落实率 over a period; the matters' units are read from the register by key. */
export async function applicationStatsOf(period: Period) {
  const s = await statsOf('applications', period);
  const units = await unitsByCode(s.matters.byUnit.map((u) => u.unit));
  return { ...s, matters: mattersWithUnits(s.matters, units) };
}
