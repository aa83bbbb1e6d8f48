/** The national export API's request and response schemas (zod): the handlers validate with them, functions/query/openapi.ts documents them. No handler, adapter or SDK imports here. */
import { z } from 'zod';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const cursor = z.string().min(1).max(2000).optional();

export const RunsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  before: z.string().min(1).max(64).optional(),
});
export const ExportStatsQuery = z.strictObject({
  year: z
    .string()
    .regex(/^\d{4}$/, 'a four-digit year')
    .optional(),
});
export const OverdueQuery = z.strictObject({
  asOf: z.string().regex(DAY, 'a date YYYY-MM-DD').optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor,
});
export const HeldQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor,
});
