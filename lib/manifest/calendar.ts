/** The functions of the working-day calendar: its API and the yearly check (assembled into lib/platform.ts FUNCTIONS). */
import type { FunctionDef } from '../platform.ts';

export const CALENDAR_FUNCTIONS = {
  calendarApi: {
    entry: 'functions/calendar/calendar-api.ts',
    description: 'The working-day calendar: read a year (official or provisional); publish the official arrangement and move the open deadlines it changes',
    timeoutSeconds: 29,
    memoryMb: 512,
    tables: { calendar: 'readWrite', objections: 'readWrite', exports: 'readWrite' },
    buckets: {},
    sendsTo: [],
    trigger: { kind: 'http', routes: ['GET /v1/calendar/{year}', 'PUT /v1/calendar/{year}'] },
  },
  calendarCheck: {
    entry: 'functions/calendar/calendar-check.ts',
    description:
      "Seeds the calendar table with the years chinese-days knows; from 1 November emits NextYearCalendarMissing while next year's arrangement is not published",
    timeoutSeconds: 60,
    memoryMb: 256,
    tables: { calendar: 'readWrite' },
    buckets: {},
    sendsTo: [],
    // 09:00 Beijing time, every day
    trigger: { kind: 'schedule', expression: 'cron(0 9 * * ? *)', localEverySeconds: 300 },
  },
} satisfies Record<string, FunctionDef>;
