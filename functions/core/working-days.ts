/**
 * Working days (工作日) in China: weekends and the State Council's public holidays are off, the
 * make-up working days (调休, often a Saturday) are on. The calendar is data (core/work-calendar:
 * official arrangements per year, provisional ones where none is published yet), passed in by the
 * caller. Dates are calendar days in Asia/Shanghai (`YYYY-MM-DD`); deadlines end at the close of
 * their last working day there.
 */
import type { WorkCalendar } from './work-calendar.ts';

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

/**
 * The day `n` working days after `day` (the day itself is not counted: "within 5 working days of
 * receipt" ends on addWorkingDays(cal, receiptDay, 5)). A negative `n` counts backwards.
 */
export function addWorkingDays(cal: WorkCalendar, day: string, n: number): string {
  const step = n < 0 ? -1 : 1;
  let left = Math.abs(n);
  let d = day;
  while (left > 0) {
    d = shiftDays(d, step);
    if (cal.isWorkingDay(d)) left--;
  }
  return d;
}

/** Working days in (from, to]: 0 when `to` is not after `from`. */
export function workingDaysBetween(cal: WorkCalendar, from: string, to: string): number {
  let count = 0;
  for (let d = shiftDays(from, 1); d <= to; d = shiftDays(d, 1)) if (cal.isWorkingDay(d)) count++;
  return count;
}

/** The last instant (ISO, UTC) of a Shanghai day. */
export const endOfShanghaiDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS - SHANGHAI_OFFSET_MS - 1).toISOString();

/** The last instant (ISO, UTC) of the working day `n` working days after the instant `from`. */
export function workingDeadline(cal: WorkCalendar, from: Date | string, n: number): string {
  return endOfShanghaiDay(addWorkingDays(cal, shanghaiDay(from), n));
}

/**
 * A deadline and whether it was counted over a provisional year (no official arrangement yet):
 * the State Council's notice may move it, and GET /v1/calendar/{year} says which years are which.
 */
export function workingDeadlineOf(cal: WorkCalendar, from: Date | string, n: number): { deadline: string; provisional: boolean } {
  const start = shanghaiDay(from);
  const day = addWorkingDays(cal, start, n);
  return { deadline: endOfShanghaiDay(day), provisional: cal.provisionalBetween(start, day) };
}
