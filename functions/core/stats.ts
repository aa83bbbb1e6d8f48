/**
 * Operations statistics (运行情况统计), pure: what one event adds to the counters, and how stored
 * counter rows read back as the figures of the annual report. Counters are kept as data arrives
 * (adapters/stats-repo); nothing here scans records.
 *
 *   ingestion  one row per month × provider × item: batches, rows, accepted, rejected, linked, unlinked
 *   queries    one row per day: `{dimension}|{value}|{outcome}` counters, the application items used and
 *              the application matters applied
 *   rights     one row per month × subject type for objections (month of receipt), and per
 *              month × provider × item for repairs and revocations
 * Quality (link rate), publicity and application-list fulfilment are read from the first two.
 *
 * One module per area under core/stats/; this module is their public face.
 */
export { INGESTION_COUNTERS, type CounterRow, type Counts } from './stats/counter-rows.ts';
export * from './stats/exports.ts';
export * from './stats/ingestion.ts';
export * from './stats/matters.ts';
export * from './stats/periods.ts';
export * from './stats/queries.ts';
export * from './stats/rights.ts';
export { CHANNEL_NAMES, NATIONAL_TYPE_NAMES, PURPOSE_NAMES, RECORD_CLASS_NAMES, SUBJECT_TYPE_NAMES } from './stat-labels.ts';

export const STATS_KINDS = ['ingestion', 'quality', 'publicity', 'queries', 'applications', 'objections'] as const;
export type StatsKind = (typeof STATS_KINDS)[number];
