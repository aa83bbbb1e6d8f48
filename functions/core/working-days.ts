/**
 * Working days (工作日) in China: weekends and the State Council's public holidays are off, the
 * make-up working days (调休, often a Saturday) are on. The calendar data is `chinese-days`, a
 * maintained package that follows each year's State Council notice. Dates are calendar days in
 * Asia/Shanghai (`YYYY-MM-DD`); deadlines end at the close of their last working day there.
 */
import chineseDays from 'chinese-days';

// a CommonJS package: Node's ESM loader sees only its default export
const { isWorkday } = chineseDays;

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000; // no daylight saving in China since 1991

/** The calendar day an instant falls on in Asia/Shanghai. */
export function shanghaiDay(at: Date | string): string {
  const ms = typeof at === 'string' ? Date.parse(at) : at.getTime();
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

function shiftDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The calendar answers slowly (it formats dates on every call); a day's answer never changes. */
const workingDayCache = new Map<string, boolean>();

export function isWorkingDay(day: string): boolean {
  let working = workingDayCache.get(day);
  if (working === undefined) {
    working = isWorkday(day);
    if (workingDayCache.size < 100_000) workingDayCache.set(day, working);
  }
  return working;
}

/**
 * The day `n` working days after `day` (the day itself is not counted: "within 5 working days of
 * receipt" ends on addWorkingDays(receiptDay, 5)). A negative `n` counts backwards.
 */
export function addWorkingDays(day: string, n: number): string {
  const step = n < 0 ? -1 : 1;
  let left = Math.abs(n);
  let d = day;
  while (left > 0) {
    d = shiftDays(d, step);
    if (isWorkingDay(d)) left--;
  }
  return d;
}

/** Working days in (from, to]: 0 when `to` is not after `from`. */
export function workingDaysBetween(from: string, to: string): number {
  let count = 0;
  for (let d = shiftDays(from, 1); d <= to; d = shiftDays(d, 1)) if (isWorkingDay(d)) count++;
  return count;
}

/** The last instant (ISO, UTC) of the working day `n` working days after the instant `from`. */
export function workingDeadline(from: Date | string, n: number): string {
  const day = addWorkingDays(shanghaiDay(from), n);
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS - SHANGHAI_OFFSET_MS - 1).toISOString();
}
