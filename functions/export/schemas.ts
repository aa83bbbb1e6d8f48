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

const NATIONAL_TYPE = z.enum(['PENALTY', 'LICENSING']);
const count = z.number().int().min(0);

export const RunStarted = z.object({ runId: z.string(), status: z.literal('RUNNING') });

export const RunList = z.object({
  runs: z
    .array(
      z.object({
        runId: z.string(),
        status: z.enum(['RUNNING', 'COMPLETED', 'FAILED']),
        trigger: z.enum(['API', 'SCHEDULE']),
        started: z.string(),
        finished: z.string().nullable(),
        sent: count,
        accepted: count,
        rejected: count,
        retried: count,
        held: count,
        withdrawn: count,
        skipped: count,
        listEntries: count.describe('Credit-list entries among the sent (listings and withdrawals)'),
        reason: z.string().nullable().describe('Why a run FAILED'),
      }),
    )
    .describe('Newest first'),
  next: z.string().nullable().describe('Pass as `before` for older runs; null on the last page'),
});

const StatCounts = z.object({ records: count.describe('First published'), withdrawals: count, rejections: count });
export const ExportStats = z.object({
  year: z.string(),
  byType: z.object({ PENALTY: StatCounts, LICENSING: StatCounts }),
  total: count.describe('Records first published, both types'),
});

const ListedRecord = z.object({
  recordId: z.string(),
  type: NATIONAL_TYPE,
  item: z.string(),
  provider: z.string(),
  key: z.string().describe('The business key of the record'),
  partyName: z.string(),
});

export const OverdueList = z.object({
  asOf: z.string(),
  records: z.array(
    ListedRecord.extend({
      decisionDate: z.string().nullable(),
      deadline: z.string().nullable(),
      deadlineProvisional: z.boolean().describe('The deadline falls in a year whose calendar is not yet official'),
      workingDaysLate: z.number().int().nullable(),
      outcome: z.enum(['ACCEPTED', 'REJECTED', 'PENDING', 'HELD']),
      error: z.string().nullable(),
    }),
  ),
  next: z.string().nullable(),
});

export const HeldList = z.object({
  records: z.array(ListedRecord.extend({ heldAt: z.string().nullable(), reason: z.string().nullable() })),
  next: z.string().nullable(),
});
