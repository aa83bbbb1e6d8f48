/** The pure statistics: what events add to the counters, and how counter rows read back. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Catalog } from '#core/catalog';
import { applicationStats, batchIncrement, periodOf, qualityStats, queryIncrements, queryStats, type CounterRow, type LoggedQuery } from '#core/stats';

const catalog = JSON.parse(readFileSync(new URL('../../local/seed/demo-catalog.json', import.meta.url), 'utf8')) as Catalog;
const row = (bucket: string, counts: Record<string, number>, attrs: Record<string, string> = {}, sets: Record<string, string[]> = {}): CounterRow => ({
  bucket,
  attrs,
  counts,
  sets,
});

describe('periods', () => {
  it('reads a year, months and days in Beijing time', () => {
    expect(periodOf({ year: '2025' }, '2026-03-01')).toEqual({ from: '2025-01-01', to: '2025-12-31' });
    expect(periodOf({}, '2026-03-01')).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(periodOf({ from: '2024-02', to: '2024-02' }, '2026-03-01')).toEqual({ from: '2024-02-01', to: '2024-02-29' });
    expect(periodOf({ from: '2026-01-15', to: '2026-03' }, '2026-03-01')).toEqual({ from: '2026-01-15', to: '2026-03-31' });
  });
});

describe('increments', () => {
  it('puts a batch in the Beijing month it completed in, guarded by its id', () => {
    const inc = batchIncrement({
      batchId: 'b1',
      provider: 'SH-AMR',
      item: 'AMR-PENALTY',
      completedAt: '2025-12-31T17:00:00.000Z',
      rows: 10,
      accepted: 8,
      rejected: 2,
      linked: 7,
      unlinked: 1,
    });
    expect(inc).toMatchObject({ bucket: '2026-01', key: 'SH-AMR#AMR-PENALTY', once: 'b1', counts: { batches: 1, rows: 10, accepted: 8, linked: 7 } });
  });

  it('counts queries per Beijing day by every dimension, and the application items served', () => {
    const q = (over: Partial<LoggedQuery>): LoggedQuery => ({
      at: '2026-05-01T02:00:00.000Z',
      role: 'gov',
      unit: 'SH-EPB',
      purpose: 'PENALTY',
      channel: 'console',
      subjectType: 'LEGAL',
      outcome: 'ALLOWED',
      ...over,
    });
    const incs = queryIncrements([
      q({ items: ['AMR-PENALTY'] }),
      q({ outcome: 'REFUSED', purpose: 'HONOURS', items: ['X'] }),
      q({ at: '2026-05-01T16:30:00.000Z', unit: 'A|B' }),
    ]);
    expect(incs.map((i) => i.bucket)).toEqual(['2026-05-01', '2026-05-02']);
    expect(incs[0]!.counts).toMatchObject({
      total: 2,
      'purpose|PENALTY|ALLOWED': 1,
      'purpose|HONOURS|REFUSED': 1,
      'channel|console|ALLOWED': 1,
      'unit|SH-EPB|REFUSED': 1,
    });
    expect(incs[0]!.counts).toMatchObject({ 'role*subjectType|gov*LEGAL|ALLOWED': 1, 'purpose*subjectType|HONOURS*LEGAL|REFUSED': 1 });
    // a refused query uses nothing; the allowed one applied the unit's PENALTY matters (core/stats/matters)
    expect(incs[0]!.sets).toEqual({ used: ['SH-EPB|PENALTY|AMR-PENALTY'], checked: ['SH-EPB|PENALTY|LEGAL'] });
    expect(incs[1]!.counts['unit|A/B|ALLOWED']).toBe(1);
    expect(incs[1]!.sets.used).toBeUndefined();
  });
});

describe('reading counters back', () => {
  it('groups queries as the old statistics did, and by month', () => {
    const s = queryStats([
      row('2026-01-03', { total: 3, 'purpose|PENALTY|ALLOWED': 2, 'purpose|PENALTY|REFUSED': 1 }),
      row('2026-02-01', { total: 1, 'purpose|BIDDING|NOT_FOUND': 1 }),
    ]);
    expect(s.total).toBe(4);
    expect(s.groups.purpose).toEqual([
      { key: 'PENALTY', queries: 3, allowed: 2, refused: 1 },
      { key: 'BIDDING', queries: 1, allowed: 0, refused: 0 },
    ]);
    expect(s.groups.month.map((m) => [m.key, m.queries])).toEqual([
      ['2026-01', 3],
      ['2026-02', 1],
    ]);
  });

  it('cross-tabulates role by subject type and purpose within subject type', () => {
    const s = queryStats([
      row('2026-01-03', {
        total: 3,
        'role*subjectType|gov*LEGAL|ALLOWED': 2,
        'role*subjectType|market*NATURAL|REFUSED': 1,
        'purpose*subjectType|PENALTY*LEGAL|ALLOWED': 2,
      }),
      row('2026-01-04', { total: 1, 'role*subjectType|gov*LEGAL|REFUSED': 1 }),
    ]);
    expect(s.crossTabs.roleBySubjectType).toEqual([
      { role: 'gov', subjectType: 'LEGAL', queries: 3, allowed: 2, refused: 1 },
      { role: 'market', subjectType: 'NATURAL', queries: 1, allowed: 0, refused: 1 },
    ]);
    expect(s.crossTabs.purposeBySubjectType).toEqual([{ purpose: 'PENALTY', subjectType: 'LEGAL', queries: 2, allowed: 2, refused: 0 }]);
    expect(s.groups.role).toEqual([]); // the pairs are not counted again as single dimensions
  });

  it('gives link rates per provider and subject type, and those at 100%', () => {
    const s = qualityStats(
      [
        row('2026-01', { accepted: 10, linked: 10 }, { provider: 'SH-TAX', item: 'TAX-ARREARS' }),
        row('2026-01', { accepted: 4, linked: 3, unlinked: 1 }, { provider: 'SH-AMR', item: 'AMR-PENALTY' }),
        row('2026-02', { accepted: 5, linked: 5 }, { provider: 'SH-HRSS', item: 'HRSS-SI-ARREARS' }),
      ],
      catalog,
    );
    expect(s.providers.map((p) => [p.provider, p.subjectType, p.linkRate])).toEqual([
      ['SH-TAX', 'LEGAL', 1],
      ['SH-HRSS', 'NATURAL', 1],
      ['SH-AMR', 'LEGAL', 0.75],
    ]);
    expect(s.fullyLinked.LEGAL.map((p) => p.name)).toEqual(['国家税务总局上海市税务局']);
    expect(s.linkRate).toBeCloseTo(18 / 19);
  });

  it('measures application-list fulfilment against the declared (unit, purpose, item) entries', () => {
    const s = applicationStats([row('2026-01-01', {}, {}, { used: ['SH-EPB|PENALTY|AMR-PENALTY', 'SH-EPB|PENALTY|NOT-DECLARED'] })], catalog);
    const epb = s.byUnit.find((u) => u.unit === 'SH-EPB')!;
    expect(epb).toEqual({ unit: 'SH-EPB', declared: 7, fulfilled: 1, rate: 1 / 7 });
    expect(s.fulfilled).toBe(1);
  });
});
