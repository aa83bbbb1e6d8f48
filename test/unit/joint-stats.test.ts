/** 联合奖惩 statistics, pure: what checks, feedback and list transitions add, and how rows read back. */
import { describe, expect, it } from 'vitest';
import { behaviourListSummary, checkIncrements, entryIncrement, feedbackIncrement, jointStats } from '#core/joint-stats';
import type { Behaviour } from '#core/catalog';
import type { CounterRow } from '#core/stats';

const row = (inc: { bucket: string; key: string; attrs: Record<string, string>; counts: Record<string, number> }): CounterRow => ({ ...inc, sets: {} });

describe('joint statistics increments', () => {
  it('a check counts subjects, hits and feedback due per subject type, in its Beijing month, guarded by the check id', () => {
    const incs = checkIncrements({ checkId: 'c1', unit: 'SH-DRC', matter: 'FUNDING', at: '2026-01-31T17:00:00Z' }, [
      { subjectType: 'LEGAL', found: true, behaviours: [{ kind: 'PUNISHMENT' }], lists: [{ status: 'NOTIFIED' }], measures: [{ feedbackRequired: true }] },
      { subjectType: 'LEGAL', found: true, behaviours: [], lists: [{ status: 'LISTED' }], measures: [{ feedbackRequired: true }, { feedbackRequired: false }] },
      { subjectType: 'LEGAL', found: false, behaviours: [], lists: [{ status: 'NOTIFIED' }], measures: [] },
      { subjectType: 'NATURAL', found: true, behaviours: [{ kind: 'INCENTIVE' }], lists: [], measures: [] },
    ]);
    expect(incs.map((i) => [i.bucket, i.key, i.once])).toEqual([
      ['2026-02', 'CHECK#SH-DRC#FUNDING#LEGAL', 'c1'],
      ['2026-02', 'CHECK#SH-DRC#FUNDING#NATURAL', 'c1'],
    ]);
    // a NOTIFIED entry alone is no hit: measures follow LISTED entries only
    expect(incs[0]!.counts).toEqual({ subjects: 3, hits: 2, punishmentHits: 1, incentiveHits: 0, listedHits: 1, measures: 3, feedbackDue: 2 });
    expect(incs[1]!.counts).toMatchObject({ subjects: 1, hits: 1, incentiveHits: 1 });
  });

  it('feedback and entries are counted once per event', () => {
    const f = feedbackIncrement({ checkId: 'c1', unit: 'SH-DRC', measure: 'M-1', subjectKey: 'K', applied: false, late: true, at: '2026-03-01T00:00:00Z' });
    expect(f).toMatchObject({ key: 'FB#SH-DRC#M-1', counts: { feedback: 1, applied: 0, notApplied: 1, late: 1 }, once: 'c1#K' });
    const e = entryIncrement({ entryId: 'e1', list: 'L-S', status: 'EXITED', at: '2026-03-01T00:00:00Z', exitReason: 'RECORD_ENDED' });
    expect(e).toMatchObject({ key: 'LIST#L-S', counts: { exited: 1, exit_RECORD_ENDED: 1 }, once: 'e1#EXITED' });
    expect(entryIncrement({ entryId: 'e1', list: 'L-S', status: 'NOTIFIED', at: '2026-03-01T00:00:00Z' }).once).toBe('e1#NOTIFIED');
  });
});

describe('joint statistics read back', () => {
  const rows: CounterRow[] = [
    ...checkIncrements({ checkId: 'a', unit: 'U1', matter: 'ADMIN_APPROVAL', at: '2026-01-05T00:00:00Z' }, [
      { subjectType: 'LEGAL', found: true, behaviours: [{ kind: 'PUNISHMENT' }], lists: [], measures: [{ feedbackRequired: true }] },
      { subjectType: 'NATURAL', found: true, behaviours: [], lists: [], measures: [] },
    ]).map(row),
    ...checkIncrements({ checkId: 'b', unit: 'U2', matter: 'INSPECTION', at: '2026-02-05T00:00:00Z' }, [
      {
        subjectType: 'LEGAL',
        found: true,
        behaviours: [{ kind: 'PUNISHMENT' }],
        lists: [{ status: 'LISTED' }],
        measures: [{ feedbackRequired: true }, { feedbackRequired: true }],
      },
    ]).map(row),
    row(feedbackIncrement({ checkId: 'b', unit: 'U2', measure: 'M-1', subjectKey: 'K', applied: true, late: false, at: '2026-02-06T00:00:00Z' })),
    row(entryIncrement({ entryId: 'e', list: 'L-S', status: 'NOTIFIED', at: '2026-01-05T00:00:00Z' })),
    row(entryIncrement({ entryId: 'e', list: 'L-S', status: 'LISTED', at: '2026-01-15T00:00:00Z' })),
    row(entryIncrement({ entryId: 'e', list: 'L-S', status: 'EXITED', at: '2026-02-15T00:00:00Z', exitReason: 'RECORD_ENDED' })),
  ];
  const s = jointStats(rows, { measures: [], creditLists: [] }, new Map([['U1', 1]]));

  it('checks by matter × subject type with hit rates', () => {
    expect(s.totals).toMatchObject({ subjects: 3, hits: 2, feedbackDue: 3, feedback: 1, applied: 1, overdueOpen: 1, bySubjectType: { LEGAL: 2, NATURAL: 1 } });
    expect(s.byMatter.find((m) => m.matter === 'ADMIN_APPROVAL')).toEqual({
      matter: 'ADMIN_APPROVAL',
      subjects: 2,
      bySubjectType: { LEGAL: 1, NATURAL: 1 },
      hits: 1,
      hitRate: 0.5,
    });
    expect(s.byMatter.find((m) => m.matter === 'HONOURS')).toMatchObject({ subjects: 0, hitRate: null });
  });

  it('feedback rate and lateness per unit; entries and exits by list and month', () => {
    expect(s.byUnit.map((u) => [u.unit, u.feedbackDue, u.feedback, u.feedbackRate, u.overdueOpen])).toEqual([
      ['U1', 1, 0, 0, 1],
      ['U2', 2, 1, 0.5, 0],
    ]);
    expect(s.byList).toEqual([
      { list: 'L-S', name: 'L-S', entered: 1, listed: 1, exited: 1, exitReasons: { EXPIRED: 0, RECORD_ENDED: 1, OBJECTION_UPHELD: 0 } },
    ]);
    expect(s.byListMonth).toEqual([
      { month: '2026-01', list: 'L-S', entered: 1, listed: 1, exited: 0 },
      { month: '2026-02', list: 'L-S', entered: 0, listed: 0, exited: 1 },
    ]);
  });
});

describe('行为篇 summary', () => {
  it('counts behaviours by kind, tier and unit level, and measures per applying unit by side and level', () => {
    const b = (code: string, kind: 'PUNISHMENT' | 'INCENTIVE', tier: 'NATIONAL' | 'MUNICIPAL', unit: string): Behaviour => ({
      code,
      name: code,
      kind,
      tier,
      grade: kind === 'INCENTIVE' ? 'GOOD' : 'SERIOUS',
      unit,
      basis: 'x',
      trigger: { items: ['I'] },
    });
    const summary = behaviourListSummary(
      {
        behaviours: [b('B1', 'PUNISHMENT', 'NATIONAL', 'A'), b('B2', 'PUNISHMENT', 'MUNICIPAL', 'D'), b('B3', 'INCENTIVE', 'MUNICIPAL', 'A')],
        measures: [
          { code: 'M1', name: 'm', side: 'IMPLEMENTING', units: ['A', 'D'], binding: 'MANDATORY', matters: ['FUNDING'], basis: 'x', behaviours: ['B1'] },
          { code: 'M2', name: 'm', side: 'INITIATING', units: ['A'], binding: 'RECOMMENDED', matters: ['FUNDING', 'HONOURS'], basis: 'x', behaviours: ['B3'] },
        ],
        creditLists: [],
      },
      (u) => (u === 'D' ? 'DISTRICT' : 'MUNICIPAL'),
    );
    expect(summary.behaviours).toMatchObject({
      total: 3,
      units: 2,
      byKind: [
        { key: 'PUNISHMENT', n: 2 },
        { key: 'INCENTIVE', n: 1 },
      ],
    });
    expect(summary.behaviours.byUnitLevel).toEqual([
      { key: 'MUNICIPAL', n: 2 },
      { key: 'DISTRICT', n: 1 },
    ]);
    expect(summary.measures.bySideLevel).toEqual([
      { key: 'IMPLEMENTING', by: { MUNICIPAL: 1, DISTRICT: 1 }, total: 2 },
      { key: 'INITIATING', by: { MUNICIPAL: 1 }, total: 1 },
    ]);
    expect(summary.measures.byMatter).toEqual([
      { key: 'FUNDING', n: 2 },
      { key: 'HONOURS', n: 1 },
    ]);
  });
});
