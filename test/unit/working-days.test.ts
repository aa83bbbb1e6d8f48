import { describe, expect, it } from 'vitest';
import { seededCalendar } from '#core/work-calendar';
import { addWorkingDays as addWD, shanghaiDay, workingDaysBetween as between, workingDeadline as deadline } from '#core/working-days';

// the seeded (chinese-days) arrangements: the years these tests use are all official
const cal = seededCalendar();
const isWorkingDay = (day: string) => cal.isWorkingDay(day);
const addWorkingDays = (day: string, n: number) => addWD(cal, day, n);
const workingDaysBetween = (from: string, to: string) => between(cal, from, to);
const workingDeadline = (from: string, n: number) => deadline(cal, from, n);

describe('working-day calendar', () => {
  it('knows holidays and make-up Saturdays of 2025 and 2026', () => {
    expect(isWorkingDay('2025-10-01')).toBe(false); // National Day
    expect(isWorkingDay('2025-10-08')).toBe(false); // National Day + Mid-autumn, 8 days
    expect(isWorkingDay('2025-10-11')).toBe(true); // make-up Saturday
    expect(isWorkingDay('2025-09-28')).toBe(true); // make-up Sunday
    expect(isWorkingDay('2026-02-16')).toBe(false); // Spring Festival
    expect(isWorkingDay('2026-02-14')).toBe(true); // make-up Saturday
    expect(isWorkingDay('2026-02-28')).toBe(true); // make-up Saturday
    expect(isWorkingDay('2026-11-28')).toBe(false); // an ordinary Saturday
    expect(isWorkingDay('2026-11-26')).toBe(true); // an ordinary Thursday
  });

  it('counts across the 2025 National Day week', () => {
    // Tue 30 Sep 2025 → 1–8 Oct off, Sat 11 Oct on
    expect(addWorkingDays('2025-09-30', 1)).toBe('2025-10-09');
    expect(addWorkingDays('2025-09-30', 3)).toBe('2025-10-11');
    expect(addWorkingDays('2025-09-30', 5)).toBe('2025-10-14');
    expect(workingDaysBetween('2025-09-30', '2025-10-14')).toBe(5);
  });

  it('counts across the 2026 Spring Festival and National Day', () => {
    // Fri 13 Feb 2026 → Sat 14 Feb on, 15–23 Feb off
    expect(addWorkingDays('2026-02-13', 1)).toBe('2026-02-14');
    expect(addWorkingDays('2026-02-13', 2)).toBe('2026-02-24');
    expect(workingDaysBetween('2026-02-13', '2026-02-28')).toBe(6); // 14, 24, 25, 26, 27, 28
    // Wed 30 Sep 2026 → 1–7 Oct off, Sat 10 Oct on
    expect(addWorkingDays('2026-09-30', 2)).toBe('2026-10-09');
    expect(addWorkingDays('2026-09-30', 3)).toBe('2026-10-10');
  });

  it('counts backwards and is the inverse of workingDaysBetween', () => {
    expect(addWorkingDays('2026-10-08', -1)).toBe('2026-09-30');
    for (const [day, n] of [
      ['2026-02-10', 7],
      ['2025-09-25', 12],
      ['2026-11-26', 5],
    ] as const) {
      expect(workingDaysBetween(day, addWorkingDays(day, n))).toBe(n);
    }
    expect(workingDaysBetween('2026-11-27', '2026-11-26')).toBe(0);
  });

  it('counts across the 2025 Spring Festival (make-up Sunday 26 Jan and Saturday 8 Feb)', () => {
    expect(isWorkingDay('2025-01-26')).toBe(true); // make-up Sunday
    expect(isWorkingDay('2025-01-28')).toBe(false); // New Year's Eve, off
    expect(isWorkingDay('2025-02-04')).toBe(false);
    expect(isWorkingDay('2025-02-08')).toBe(true); // make-up Saturday
    // Sun 26 Jan → Mon 27 Jan, then 28 Jan–4 Feb off, Wed 5 Feb on
    expect(addWorkingDays('2025-01-26', 2)).toBe('2025-02-05');
    expect(addWorkingDays('2025-01-27', 5)).toBe('2025-02-10'); // 5, 6, 7, 8 (Sat), 10
    expect(workingDaysBetween('2025-01-24', '2025-02-10')).toBe(7); // 26, 27, 5, 6, 7, 8, 10
  });

  it('computes days and deadlines in Asia/Shanghai', () => {
    expect(shanghaiDay('2026-11-26T16:30:00Z')).toBe('2026-11-27'); // 00:30 next day in Shanghai
    expect(shanghaiDay('2026-11-26T15:59:59Z')).toBe('2026-11-26');
    // received Friday evening Shanghai time → 1 working day → Monday, ends 23:59:59.999 +08:00
    expect(workingDeadline('2026-11-27T12:00:00Z', 1)).toBe('2026-11-30T15:59:59.999Z');
  });
});
