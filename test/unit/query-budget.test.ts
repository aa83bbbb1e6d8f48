/** The rules of per-unit daily query budgets and the volume check (core/query-budget.ts). */
import { describe, expect, it } from 'vitest';
import { DEFAULT_DAILY_QUERY_BUDGET, budgetRefusalText, dailyBudgetOf, daysBefore, judgeVolume, median } from '#core/query-budget';
import { unitBodySchema } from '#core/units';
import { demoUnits } from '#local/seed';

describe('query budgets', () => {
  it("takes a unit's budget from the register, else the documented default", () => {
    expect(dailyBudgetOf({ dailyQueryBudget: 50 })).toBe(50);
    expect(dailyBudgetOf({})).toBe(DEFAULT_DAILY_QUERY_BUDGET);
    expect(dailyBudgetOf(undefined)).toBe(200_000);
  });

  it('accepts only a positive whole budget in a register entry', () => {
    const { code: _code, ...unit } = demoUnits().find((u) => u.code === 'SH-HOUSING')!;
    expect(unitBodySchema.safeParse(unit).success).toBe(true);
    expect(unitBodySchema.safeParse({ ...unit, dailyQueryBudget: 1000 }).success).toBe(true);
    for (const bad of [0, -1, 1.5, 20_000_000, '1000']) expect(unitBodySchema.safeParse({ ...unit, dailyQueryBudget: bad }).success, String(bad)).toBe(false);
  });

  it('computes medians and the 30 days before a day', () => {
    expect(median([])).toBe(0);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    const days = daysBefore('2026-03-01', 30);
    expect(days).toHaveLength(30);
    expect([days[0], days[29]]).toEqual(['2026-01-30', '2026-02-28']);
  });

  it('flags a day above max(5 × median, 1,000), counting days without queries as 0', () => {
    const day = '2026-12-07';
    const every = (n: number) => new Map(daysBefore(day, 30).map((d) => [d, n]));
    expect(judgeVolume(1_001, new Map(), day)).toMatchObject({ median: 0, threshold: 1_000, anomalous: true });
    expect(judgeVolume(1_000, new Map(), day).anomalous).toBe(false);
    expect(judgeVolume(5_000, every(1_000), day)).toMatchObject({ median: 1_000, threshold: 5_000, anomalous: false });
    expect(judgeVolume(5_001, every(1_000), day).anomalous).toBe(true);
    // 14 busy days of 30 leave the median at 0: the floor decides
    const sparse = new Map(
      daysBefore(day, 30)
        .slice(0, 14)
        .map((d) => [d, 9_000]),
    );
    expect(judgeVolume(999, sparse, day).anomalous).toBe(false);
    // the day itself and days outside the window do not count
    expect(
      judgeVolume(
        1_500,
        new Map([
          [day, 100_000],
          ['2026-01-01', 100_000],
        ]),
        day,
      ).median,
    ).toBe(0);
  });

  it('says in Chinese and English how much is used, left and when it renews', () => {
    const t = budgetRefusalText({ unit: 'SH-HOUSING', day: '2026-12-07', budget: 100, used: 99, cost: 2 });
    expect(t.messageZh).toContain('每日限额 100 次');
    expect(t.messageZh).toContain('剩余 1 次');
    expect(t.message).toContain('daily query budget of 100');
  });
});
