/** 应用事项落实率 (core/stats/matters): what logged queries add, and the figures per matter, unit and level. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Catalog } from '#core/catalog';
import { applicationStats, fulfilmentByLevel, matterFulfilment, queryIncrements, type CounterRow, type LoggedQuery } from '#core/stats';
import { UNIT_LEVELS, type UnitLevel } from '#core/units';

const catalog = JSON.parse(readFileSync(new URL('../../local/seed/demo-catalog.json', import.meta.url), 'utf8')) as Catalog;
const matters = catalog.matters ?? [];
const q = (over: Partial<LoggedQuery>): LoggedQuery => ({
  at: '2026-05-01T02:00:00.000Z',
  role: 'gov',
  unit: 'SH-EPB',
  purpose: 'ADMIN_APPROVAL',
  channel: 'api',
  subjectType: 'LEGAL',
  outcome: 'ALLOWED',
  ...over,
});
/** The day rows the increments of these queries would leave (one row per day, sets merged). */
const rowsOf = (queries: LoggedQuery[]): CounterRow[] => queryIncrements(queries).map((i) => ({ bucket: i.bucket, attrs: {}, counts: i.counts, sets: i.sets }));
const fulfilled = (rows: CounterRow[]) =>
  matterFulfilment(rows, matters)
    .matters.filter((m) => m.fulfilled)
    .map((m) => [m.code, m.by]);

describe('matter fulfilment: what a query adds', () => {
  it('keeps the matter a query named, or the purpose and subject type of one naming none; refused and non-gov queries add nothing', () => {
    const [day] = queryIncrements([
      q({ matter: 'EPB-DISCHARGE-PERMIT' }),
      q({ purpose: 'PENALTY' }),
      q({ purpose: 'PENALTY', outcome: 'NOT_FOUND' }), // a check that found no file is still the matter applied
      q({ purpose: 'INSPECTION', outcome: 'REFUSED' }),
      q({ role: 'market', unit: 'SOME-AGENCY', purpose: 'INSPECTION' }),
    ]);
    expect(day!.sets.matters).toEqual(['SH-EPB|EPB-DISCHARGE-PERMIT']);
    expect(day!.sets.checked).toEqual(['SH-EPB|PENALTY|LEGAL']);
  });
});

describe('matter fulfilment: the figures', () => {
  it('counts a named matter for that matter only', () => {
    expect(fulfilled(rowsOf([q({ matter: 'EPB-DISCHARGE-PERMIT' })]))).toEqual([['EPB-DISCHARGE-PERMIT', 'MATTER']]);
  });

  it('counts a query naming no matter for every matter of its unit, purpose and subject type', () => {
    // SH-EPB declares two ADMIN_APPROVAL matters about legal persons: one such query cannot tell them apart
    expect(fulfilled(rowsOf([q({})]))).toEqual([
      ['EPB-EIA-APPROVAL', 'PURPOSE'],
      ['EPB-DISCHARGE-PERMIT', 'PURPOSE'],
    ]);
    // the same purpose about a natural person, or another unit's query, fulfils none of them
    expect(fulfilled(rowsOf([q({ subjectType: 'NATURAL' }), q({ unit: 'SH-DRC' })]))).toEqual([]);
  });

  it('counts per unit and in total over the days of the period', () => {
    const rows = rowsOf([
      q({ matter: 'EPB-PENALTY-DISCRETION', purpose: 'PENALTY' }),
      q({ at: '2026-07-01T02:00:00.000Z', unit: 'SH-DRC', purpose: 'BIDDING' }),
    ]);
    expect(rows).toHaveLength(2);
    const s = matterFulfilment(rows, matters);
    expect(s.declared).toBe(matters.length);
    expect(s.fulfilled).toBe(2);
    expect(s.rate).toBeCloseTo(2 / matters.length);
    expect(s.byUnit.find((u) => u.unit === 'SH-EPB')).toEqual({ unit: 'SH-EPB', declared: 3, fulfilled: 1, rate: 1 / 3 });
    expect(s.byUnit.find((u) => u.unit === 'SH-DRC')).toEqual({ unit: 'SH-DRC', declared: 3, fulfilled: 1, rate: 1 / 3 });
    expect(s.byUnit.find((u) => u.unit === 'SH-HOUSING')).toEqual({ unit: 'SH-HOUSING', declared: 2, fulfilled: 0, rate: 0 });
    // the statistics' applications figures carry the same
    expect(applicationStats(rows, catalog).matters).toEqual(s);
  });

  it('has no rate without declared matters', () => {
    expect(matterFulfilment(rowsOf([q({})]), [])).toEqual({ declared: 0, fulfilled: 0, rate: null, byUnit: [], matters: [] });
  });

  it('sums units by level; a unit not in the register counts as OTHER', () => {
    const level = new Map<string, UnitLevel>([
      ['SH-EPB', 'MUNICIPAL'],
      ['PD-GOV', 'DISTRICT'],
    ]);
    const rows = fulfilmentByLevel(
      [
        { unit: 'SH-EPB', declared: 3, fulfilled: 1 },
        { unit: 'PD-GOV', declared: 4, fulfilled: 3 },
        { unit: 'NOT-REGISTERED', declared: 2, fulfilled: 0 },
      ],
      UNIT_LEVELS,
      (u) => level.get(u) ?? 'OTHER',
    );
    expect(rows).toEqual([
      { level: 'MUNICIPAL', declared: 3, fulfilled: 1, rate: 1 / 3 },
      { level: 'DISTRICT', declared: 4, fulfilled: 3, rate: 0.75 },
      { level: 'CENTRAL', declared: 0, fulfilled: 0, rate: null },
      { level: 'OTHER', declared: 2, fulfilled: 0, rate: 0 },
    ]);
  });
});
