/**
 * The working-day calendar (工作日历) as data. Each year has an arrangement: the public holidays
 * and the adjusted working days (调休, weekend days worked) of the State Council's notice.
 *
 *   official     published for the year: seeded from `chinese-days` for the years it knows
 *                (2004–2026 in 1.5.7), and set by an admin (PUT /v1/calendar/{year}) each autumn
 *   provisional  no arrangement published yet: the statutory holidays of 全国年节及纪念日放假办法
 *                (元旦 1 day, 春节 4 days from 除夕, 清明, 劳动节 2 days, 端午, 中秋, 国庆 3 days),
 *                lunar dates and the 清明 solar term computed by `tyme4ts` (docs/working-days.md),
 *                no adjusted working days
 *
 * Pure: the adapter (functions/adapters/calendar-repo) loads the stored arrangements and builds a
 * WorkCalendar; core/working-days counts on it.
 */
import chineseDaysData from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { LunarDay, SolarDay, SolarTerm } from 'tyme4ts';

export type CalendarSource = 'official' | 'provisional';

export interface Arrangement {
  year: number;
  source: CalendarSource;
  /** Days off other than ordinary weekends (may include the weekend days inside a holiday), sorted. */
  holidays: string[];
  /** Weekend days that are worked (调休), sorted. */
  workdays: string[];
}

/** Years a calendar can answer for: the platform's records start after 2000; beyond 2200 is an error. */
export const MIN_YEAR = 2000;
export const MAX_YEAR = 2200;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const pad = (n: number) => String(n).padStart(2, '0');
const ymd = (d: SolarDay) => `${d.getYear()}-${pad(d.getMonth())}-${pad(d.getDay())}`;

/** A real calendar date `YYYY-MM-DD` (no 2027-02-30). */
export function isRealDate(day: string): boolean {
  const m = DAY.exec(day);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** The statutory holidays of a year nobody has published an arrangement for. */
export function provisionalArrangement(year: number): Arrangement {
  const days = new Set<string>();
  const run = (first: SolarDay, n: number) => {
    for (let i = 0; i < n; i++) days.add(ymd(first.next(i)));
  };
  run(SolarDay.fromYmd(year, 1, 1), 1); // 元旦
  run(LunarDay.fromYmd(year, 1, 1).getSolarDay().next(-1), 4); // 春节: 除夕 and 正月初一 to 初三
  run(SolarTerm.fromName(year, '清明').getSolarDay(), 1); // 清明, the solar term's day
  run(SolarDay.fromYmd(year, 5, 1), 2); // 劳动节
  run(LunarDay.fromYmd(year, 5, 5).getSolarDay(), 1); // 端午
  run(LunarDay.fromYmd(year, 8, 15).getSolarDay(), 1); // 中秋
  run(SolarDay.fromYmd(year, 10, 1), 3); // 国庆
  // the lunar new year falls between 21 January and 20 February, so every day above is inside the year
  return { year, source: 'provisional', holidays: [...days].sort(), workdays: [] };
}

/** The arrangements `chinese-days` knows (the State Council notices up to its release), as official ones. */
export function seededArrangements(): Arrangement[] {
  const years = new Map<number, Arrangement>();
  const of = (day: string) => {
    const year = Number(day.slice(0, 4));
    let a = years.get(year);
    if (!a) years.set(year, (a = { year, source: 'official', holidays: [], workdays: [] }));
    return a;
  };
  for (const day of Object.keys(chineseDaysData.holidays)) of(day).holidays.push(day);
  for (const day of Object.keys(chineseDaysData.workdays)) of(day).workdays.push(day);
  for (const a of years.values()) {
    a.holidays.sort();
    a.workdays.sort();
  }
  return [...years.values()].sort((a, b) => a.year - b.year);
}

export interface CalendarProblem {
  code: 'INVALID_DATE' | 'DATE_OUTSIDE_YEAR' | 'DUPLICATE_DATE' | 'HOLIDAY_AND_WORKDAY';
  field: 'holidays' | 'workdays';
  value: string;
  message: string;
}

/**
 * Checks an official arrangement for `year`: every date real and inside the year, none listed twice,
 * no day both a holiday and a working day. Returns the problems (empty when it is sound).
 */
export function arrangementProblems(year: number, holidays: readonly string[], workdays: readonly string[]): CalendarProblem[] {
  const problems: CalendarProblem[] = [];
  const seen = new Map<string, 'holidays' | 'workdays'>();
  for (const [field, list] of [
    ['holidays', holidays],
    ['workdays', workdays],
  ] as const) {
    for (const value of list) {
      if (!isRealDate(value)) {
        problems.push({ code: 'INVALID_DATE', field, value, message: `${value} 不是有效日期 (YYYY-MM-DD)` });
      } else if (Number(value.slice(0, 4)) !== year) {
        problems.push({ code: 'DATE_OUTSIDE_YEAR', field, value, message: `${value} 不在 ${year} 年内` });
      } else if (seen.get(value) === field) {
        problems.push({ code: 'DUPLICATE_DATE', field, value, message: `${value} 重复列出` });
      } else if (seen.has(value)) {
        problems.push({ code: 'HOLIDAY_AND_WORKDAY', field, value, message: `${value} 不能既是节假日又是调休工作日` });
      } else {
        seen.set(value, field);
      }
    }
  }
  return problems;
}

const weekend = (day: string) => {
  const wd = new Date(`${day}T00:00:00Z`).getUTCDay();
  return wd === 0 || wd === 6;
};

interface YearDays {
  arrangement: Arrangement;
  off: Set<string>;
  on: Set<string>;
}

/**
 * Working days of every year: the official arrangement where one is given, the provisional one
 * (computed once per year) elsewhere. Immutable once built; the adapter builds a new one when an
 * arrangement is published.
 */
export class WorkCalendar {
  private readonly official = new Map<number, Arrangement>();
  private readonly years = new Map<number, YearDays>();

  constructor(official: Iterable<Arrangement>) {
    for (const a of official) this.official.set(a.year, { ...a, source: 'official' });
  }

  private yearDays(year: number): YearDays {
    let y = this.years.get(year);
    if (!y) {
      if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) throw new RangeError(`no working-day calendar for year ${year}`);
      const arrangement = this.official.get(year) ?? provisionalArrangement(year);
      y = { arrangement, off: new Set(arrangement.holidays), on: new Set(arrangement.workdays) };
      this.years.set(year, y);
    }
    return y;
  }

  /** The year's arrangement, official or provisional. */
  arrangement(year: number): Arrangement {
    return this.yearDays(year).arrangement;
  }

  /** Years with an official arrangement. */
  officialYears(): number[] {
    return [...this.official.keys()].sort((a, b) => a - b);
  }

  isOfficial(year: number): boolean {
    return this.official.has(year);
  }

  isWorkingDay(day: string): boolean {
    const y = this.yearDays(Number(day.slice(0, 4)));
    if (y.on.has(day)) return true;
    if (y.off.has(day)) return false;
    return !weekend(day);
  }

  /** Whether counting days in (from, to] touches a year whose arrangement is provisional. */
  provisionalBetween(from: string, to: string): boolean {
    const [a, b] = [Number(from.slice(0, 4)), Number(to.slice(0, 4))].sort((x, y) => x - y) as [number, number];
    for (let year = a; year <= b; year++) if (!this.official.has(year)) return true;
    return false;
  }
}

/** The calendar with only the seeded (chinese-days) arrangements: for tests and tools, not for handlers. */
export const seededCalendar = () => new WorkCalendar(seededArrangements());

/** The metric the scheduled calendar check emits: 1 from 1 November while next year has no official arrangement. */
export const MISSING_CALENDAR_METRIC = 'NextYearCalendarMissing';

/** From 1 November (Beijing day) next year's arrangement is due; before that its absence is normal. */
export function nextYearMissing(cal: WorkCalendar, today: string): { year: number; missing: boolean } {
  const year = Number(today.slice(0, 4)) + 1;
  return { year, missing: today.slice(5) >= '11-01' && !cal.isOfficial(year) };
}
