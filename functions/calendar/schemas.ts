/** The calendar API's request schemas (zod): the handler validates with them, functions/query/openapi.ts documents them. No handler, adapter or SDK imports here. */
import { z } from 'zod';

const day = z.string().max(10);
export const ArrangementBody = z.strictObject({
  holidays: z.array(day).max(366).describe('Days off other than ordinary weekends (YYYY-MM-DD), the weekend days inside a holiday may be listed'),
  workdays: z.array(day).max(366).describe('Adjusted working days (调休, YYYY-MM-DD): weekend days that are worked'),
});

const days = z.array(z.string()).describe('YYYY-MM-DD, ascending');
export const CalendarYear = z.object({
  year: z.number().int(),
  source: z.enum(['official', 'provisional']).describe('provisional: statutory holidays computed, no adjusted working days'),
  holidays: days,
  workdays: days,
});
export const CalendarPublished = CalendarYear.extend({
  source: z.literal('official'),
  deadlinesMoved: z.object({ objections: z.number().int().min(0), exports: z.number().int().min(0) }).describe('Open deadlines re-indexed'),
});
