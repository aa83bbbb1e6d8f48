/** The statistics and annual report API's request and response schemas (zod): the handlers validate with them, functions/query/openapi.ts documents them. No handler, adapter or SDK imports here. */
import { z } from 'zod';
import { QUERY_DIMENSIONS } from '#core/stats';

const YEAR_MONTH_OR_DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;
const MAX_MONTHS = 36;

/** Months since year 0; a bare year starts in January (`from`) or ends in December (`to`). */
const monthIndex = (v: string, yearEnd: boolean) => Number(v.slice(0, 4)) * 12 + (v.length === 4 ? (yearEnd ? 12 : 1) : Number(v.slice(5, 7)));

const PeriodFields = {
  year: z
    .string()
    .regex(/^\d{4}$/, 'must be YYYY')
    .optional(),
  from: z.string().regex(YEAR_MONTH_OR_DATE, 'must be YYYY, YYYY-MM or YYYY-MM-DD').optional(),
  to: z.string().regex(YEAR_MONTH_OR_DATE, 'must be YYYY, YYYY-MM or YYYY-MM-DD').optional(),
};

function checkPeriod(q: { year?: string; from?: string; to?: string }, ctx: z.RefinementCtx) {
  const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (q.year && (q.from || q.to)) problem('year', 'give either year or from/to');
  else if (Boolean(q.from) !== Boolean(q.to)) problem('to', 'from and to go together');
  else if (q.from && q.to && q.from > `${q.to}~`) problem('from', 'from must not be after to');
  else if (q.from && q.to && monthIndex(q.to, true) - monthIndex(q.from, false) >= MAX_MONTHS) problem('to', `the range spans more than ${MAX_MONTHS} months`);
}

export const PeriodQuery = z.strictObject(PeriodFields).superRefine(checkPeriod);
export const QueryStatsQuery = z.strictObject({ ...PeriodFields, by: z.enum([...QUERY_DIMENSIONS, 'month']).default('purpose') }).superRefine(checkPeriod);

export const AnnualReportQuery = z.strictObject({
  year: z
    .string()
    .regex(/^(19|20|21)\d{2}$/, 'must be a four-digit year')
    .optional(),
  format: z.enum(['html', 'json']).default('html'),
  charts: z.enum(['svg']).optional().describe('format=json only: include the charts as SVG strings'),
});
