/**
 * The working-day calendar as data (core/work-calendar): provisional years computed from the
 * statutory holidays, validation of a published arrangement, and deadlines on a fake clock across
 * the turn of 2026 → 2027 (chinese-days, the seed, ends in 2026), before and after 2027's
 * arrangement is published.
 */
import chineseDays from 'chinese-days';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { assignRemit, isOverdue, pendingDeadline, receive, steps, type Actor } from '#core/objections';
import { publicationDeadline, publicationDeadlineProvisional } from '#core/export-plan';
import {
  arrangementProblems,
  nextYearMissing,
  provisionalArrangement,
  seededArrangements,
  seededCalendar,
  WorkCalendar,
  type Arrangement,
} from '#core/work-calendar';
import { shanghaiDay } from '#core/working-days';

const subject: Actor = { role: 'subject', sub: 's-1' };
const admin: Actor = { role: 'admin', sub: 'a-1' };
const endOf = (day: string) => new Date(Date.parse(`${day}T23:59:59.999+08:00`)).toISOString();
const objection = (at: string) =>
  receive(
    {
      objectionId: '00000000-0000-4000-8000-000000000001',
      recordId: 'R'.repeat(22),
      provider: 'SH-AMR',
      item: 'AMR-PENALTY',
      subjectType: 'LEGAL',
      subjectKey: 'K',
      subjectLabel: 'K',
      reason: 'r',
      evidence: [],
      by: subject,
    },
    at,
  );

/** A clock that reads the fake system time, as handlers do. */
const now = () => new Date().toISOString();

afterEach(() => {
  vi.useRealTimers();
});

describe('provisional arrangements', () => {
  it('2027: New Year, the Spring Festival from 除夕 (5 Feb), 清明, Labour Day, 端午, 中秋, National Day; no adjusted working days', () => {
    const a = provisionalArrangement(2027);
    expect(a).toEqual({
      year: 2027,
      source: 'provisional',
      holidays: [
        '2027-01-01',
        '2027-02-05',
        '2027-02-06',
        '2027-02-07',
        '2027-02-08',
        '2027-04-05',
        '2027-05-01',
        '2027-05-02',
        '2027-06-09',
        '2027-09-15',
        '2027-10-01',
        '2027-10-02',
        '2027-10-03',
      ],
      workdays: [],
    });
  });

  it('computes the lunar and solar-term days of 2027–2030 as published almanacs give them', () => {
    // 除夕, 清明, 端午, 中秋 of each year
    const known: Record<number, string[]> = {
      2027: ['2027-02-05', '2027-04-05', '2027-06-09', '2027-09-15'],
      2028: ['2028-01-25', '2028-04-04', '2028-05-28', '2028-10-03'],
      2029: ['2029-02-12', '2029-04-04', '2029-06-16', '2029-09-22'],
      2030: ['2030-02-02', '2030-04-05', '2030-06-05', '2030-09-12'],
    };
    for (const [year, days] of Object.entries(known)) {
      const holidays = provisionalArrangement(Number(year)).holidays;
      for (const d of days) expect(holidays, `${year}: ${d}`).toContain(d);
    }
  });

  it('agrees with the lunar tables of chinese-days (an independent implementation) for 2027–2035', () => {
    for (let year = 2027; year <= 2035; year++) {
      const holidays = new Set(provisionalArrangement(year).holidays);
      for (const lunar of [`${year}-05-05`, `${year}-08-15`]) {
        const solar = chineseDays.getSolarDateFromLunar(lunar).date as string;
        expect(holidays.has(solar), `${year} lunar ${lunar.slice(5)} = ${solar}`).toBe(true);
      }
      const newYear = chineseDays.getSolarDateFromLunar(`${year}-01-01`).date as string;
      const eve = new Date(Date.parse(`${newYear}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
      expect(holidays.has(eve), `${year} 除夕 ${eve}`).toBe(true);
    }
  });

  it('every statutory day of 2025 and 2026 computed is a holiday of the official arrangement (the 2025 rules)', () => {
    const official = new Map(seededArrangements().map((a) => [a.year, new Set(a.holidays)]));
    for (const year of [2025, 2026]) {
      for (const d of provisionalArrangement(year).holidays) expect(official.get(year)!.has(d), `${year}: ${d}`).toBe(true);
    }
  });

  it('seeds the years chinese-days knows as official, and none after 2026', () => {
    const years = seededArrangements().map((a) => a.year);
    expect(years).toContain(2026);
    expect(Math.max(...years)).toBe(2026);
    const cal = seededCalendar();
    expect(cal.arrangement(2026).source).toBe('official');
    expect(cal.arrangement(2027).source).toBe('provisional');
    expect(cal.isWorkingDay('2027-01-01')).toBe(false);
    expect(cal.isWorkingDay('2027-02-08')).toBe(false); // Monday, 初三
    expect(cal.isWorkingDay('2027-02-09')).toBe(true);
  });
});

describe('validating a published arrangement', () => {
  it('accepts real dates inside the year, each listed once', () => {
    expect(arrangementProblems(2027, ['2027-01-01', '2027-02-05'], ['2027-02-14'])).toEqual([]);
  });

  it('refuses impossible dates, dates of another year, duplicates and a day both off and worked, each with its code', () => {
    const problems = arrangementProblems(2027, ['2027-02-30', '2026-12-31', '2027-1-1', '2027-10-01', '2027-10-01', '2027-10-02'], ['2027-10-02']);
    expect(problems.map((p) => [p.code, p.value])).toEqual([
      ['INVALID_DATE', '2027-02-30'],
      ['DATE_OUTSIDE_YEAR', '2026-12-31'],
      ['INVALID_DATE', '2027-1-1'],
      ['DUPLICATE_DATE', '2027-10-01'],
      ['HOLIDAY_AND_WORKDAY', '2027-10-02'],
    ]);
  });
});

describe('deadlines on a fake clock across 2026-12 → 2027-02', () => {
  /** A hypothetical official 2027 arrangement: New Year 1–3 Jan, Spring Festival 5–12 Feb, Sunday 14 Feb worked. */
  const official2027: Arrangement = {
    year: 2027,
    source: 'official',
    holidays: ['2027-01-01', '2027-01-02', '2027-01-03', ...['05', '06', '07', '08', '09', '10', '11', '12'].map((d) => `2027-02-${d}`)],
    workdays: ['2027-02-14'],
  };

  it('an objection received on 30 Dec 2026: New Year 2027 is not a working day, and the deadlines into 2027 say they are provisional', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-12-30T02:00:00Z')); // Wednesday 10:00 in Shanghai
    const cal = seededCalendar();
    const o = objection(now());
    const [mark, remit] = steps(o, now(), cal);
    expect(mark).toMatchObject({ deadline: endOf('2026-12-31'), deadlineProvisional: false });
    expect(remit).toMatchObject({ deadline: endOf('2027-01-04'), deadlineProvisional: true }); // 31 Dec, (1 Jan off, weekend), 4 Jan
    const kept = assignRemit(o, 'PLATFORM', admin, now());
    expect(pendingDeadline(kept, cal)).toBe(endOf('2027-01-07')); // 31 Dec, 4, 5, 6, 7 Jan
    expect(steps(kept, now(), cal)[2]!.deadlineProvisional).toBe(true);

    vi.setSystemTime(new Date(endOf('2027-01-07')));
    expect(isOverdue(kept, now(), cal)).toBe(false);
    vi.setSystemTime(new Date(Date.parse(endOf('2027-01-07')) + 1));
    expect(isOverdue(kept, now(), cal)).toBe(true);
  });

  it('an objection received the day before 除夕 2027 waits out the four provisional Spring Festival days', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2027-02-04T03:00:00Z')); // Thursday
    const o = objection(now());
    expect(steps(o, now(), seededCalendar())[1]).toMatchObject({ deadline: endOf('2027-02-10'), deadlineProvisional: true }); // 9, 10 Feb
  });

  it('once 2027 is published the same objections get the official deadlines, no longer provisional', () => {
    const cal = new WorkCalendar([...seededArrangements(), official2027]);
    const o = objection('2027-02-04T03:00:00Z');
    expect(steps(o, '2027-02-04T03:00:00Z', cal)[1]).toMatchObject({ deadline: endOf('2027-02-15'), deadlineProvisional: false }); // Sun 14 (worked), Mon 15
    const december = objection('2026-12-30T02:00:00Z');
    expect(steps(december, '2026-12-30T02:00:00Z', cal)[1]).toMatchObject({ deadline: endOf('2027-01-04'), deadlineProvisional: false });
  });

  it('the 7-working-day publication deadline of a decision of 28 Dec 2026', () => {
    const provisional = seededCalendar();
    expect(publicationDeadline('2026-12-28', provisional)).toBe('2027-01-07'); // 29, 30, 31 Dec, 4, 5, 6, 7 Jan
    expect(publicationDeadlineProvisional('2026-12-28', provisional)).toBe(true);
    expect(publicationDeadlineProvisional('2026-12-01', provisional)).toBe(false);
    const published = new WorkCalendar([...seededArrangements(), official2027]);
    expect(publicationDeadline('2027-02-01', provisional)).toBe('2027-02-12'); // 2, 3, 4, (5–8 off), 9, 10, 11, 12 Feb
    expect(publicationDeadline('2027-02-01', published)).toBe('2027-02-17'); // 2, 3, 4, (5–13 off), Sun 14 worked, 15, 16, 17 Feb
  });

  it('from 1 November (Beijing day) a missing next-year arrangement is reported', () => {
    vi.useFakeTimers();
    const cal = seededCalendar();
    vi.setSystemTime(new Date('2026-10-31T15:59:59Z')); // 23:59:59 on 31 Oct in Shanghai
    expect(nextYearMissing(cal, shanghaiDay(new Date()))).toEqual({ year: 2027, missing: false });
    vi.setSystemTime(new Date('2026-10-31T16:00:00Z')); // 00:00 on 1 Nov in Shanghai
    expect(nextYearMissing(cal, shanghaiDay(new Date()))).toEqual({ year: 2027, missing: true });
    vi.setSystemTime(new Date('2026-12-31T12:00:00Z'));
    expect(nextYearMissing(new WorkCalendar([...seededArrangements(), official2027]), shanghaiDay(new Date()))).toEqual({ year: 2027, missing: false });
    vi.setSystemTime(new Date('2027-01-15T12:00:00Z')); // January: 2028 is not due yet
    expect(nextYearMissing(cal, shanghaiDay(new Date()))).toEqual({ year: 2028, missing: false });
  });
});
