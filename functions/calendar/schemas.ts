/** The calendar API's request schemas (zod): the handler validates with them, functions/query/openapi.ts documents them. No handler, adapter or SDK imports here. */
import { z } from 'zod';

const day = z.string().max(10);
export const ArrangementBody = z.strictObject({
  holidays: z.array(day).max(366).describe('Days off other than ordinary weekends (YYYY-MM-DD), the weekend days inside a holiday may be listed'),
  workdays: z.array(day).max(366).describe('Adjusted working days (调休, YYYY-MM-DD): weekend days that are worked'),
});
