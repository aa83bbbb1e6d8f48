/** The statistics and annual report API's request and response schemas (zod): the handlers validate with them, functions/query/openapi.ts documents them. No handler, adapter or SDK imports here. */
import { z } from 'zod';
import { QUERY_DIMENSIONS } from '#core/stats';
import { UNIT_LEVELS } from '#core/units';
import { behaviourListView, jointFigures } from '../joint/schemas.ts';

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

// ---------------------------------------------------------------- responses (figures as core/stats computes them)

const n = z.number().int().min(0);
const rate = z.number().min(0).max(1).nullable().describe('0–1; null when nothing was counted');
const SUBJECT_TYPE = z.enum(['LEGAL', 'NATURAL']);
/** Items no longer in the catalog are reported with UNKNOWN class and subject type. */
const SUBJECT_TYPE_OR_UNKNOWN = z.enum(['LEGAL', 'NATURAL', 'UNKNOWN']);

const IngestionCounts = { batches: n, rows: n, accepted: n, rejected: n, linked: n, unlinked: n };
const ClassYear = z.object({ year: z.string(), subjectType: SUBJECT_TYPE_OR_UNKNOWN, recordClass: z.string(), accepted: n, rows: n });

export const IngestionFigures = z.object({
  totals: z.object(IngestionCounts),
  byProvider: z.array(z.object({ provider: z.string(), name: z.string(), ...IngestionCounts })),
  byItem: z.array(
    z.object({ item: z.string(), name: z.string(), provider: z.string(), recordClass: z.string(), subjectType: SUBJECT_TYPE_OR_UNKNOWN, ...IngestionCounts }),
  ),
  byClass: z.array(ClassYear),
  bySubjectType: z.array(z.object({ subjectType: SUBJECT_TYPE, accepted: n })),
});

const ProviderLinks = z.object({
  provider: z.string(),
  name: z.string(),
  subjectType: SUBJECT_TYPE_OR_UNKNOWN,
  accepted: n,
  linked: n,
  unlinked: n,
  linkRate: rate,
});
export const QualityFigures = z.object({
  linkRate: rate,
  accepted: n,
  linked: n,
  providers: z.array(ProviderLinks),
  fullyLinked: z.object({ LEGAL: z.array(ProviderLinks), NATURAL: z.array(ProviderLinks) }).describe('Providers whose accepted rows all linked'),
});

export const PublicityFigures = z.object({
  items: z.object({ PENALTY: n, LICENSING: n }).describe('Double-publicity items in the catalog'),
  providers: n,
  records: z.object({ PENALTY: n, LICENSING: n, total: n }),
  byProvider: z.array(z.object({ provider: z.string(), name: z.string(), PENALTY: n, LICENSING: n })),
});

const QueryGroup = z.object({ key: z.string(), queries: n, allowed: n, refused: n });
const QueryGroups = z.object(Object.fromEntries([...QUERY_DIMENSIONS, 'month'].map((d) => [d, z.array(QueryGroup)])));
const MonthPurpose = z.array(z.object({ month: z.string(), purpose: z.string(), queries: n }));

const UNIT_LEVEL = z.enum(UNIT_LEVELS);
const MatterFigures = z
  .object({
    declared: n.describe('Application matters declared in the published catalog'),
    fulfilled: n.describe('Of them, matters applied in the period'),
    rate,
    byUnit: z.array(z.object({ unit: z.string(), name: z.string(), level: UNIT_LEVEL, declared: n, fulfilled: n, rate })),
    byLevel: z.array(z.object({ level: UNIT_LEVEL, declared: n, fulfilled: n, rate })).describe('市级 / 区级 / 中央在沪 / 其他'),
    matters: z.array(
      z.object({
        code: z.string(),
        name: z.string(),
        unit: z.string(),
        subjectType: SUBJECT_TYPE,
        purpose: z.string(),
        fulfilled: z.boolean(),
        by: z
          .enum(['MATTER', 'PURPOSE'])
          .nullable()
          .describe('MATTER: a query named the matter; PURPOSE: a query under its purpose and subject type named no matter; null: not applied'),
      }),
    ),
  })
  .describe(
    '应用事项落实率: a matter is fulfilled when its unit made, in the period, a credit query the access rules let through that named the matter, or named none and was under its purpose about a subject of its subject type',
  );

export const ApplicationFigures = z.object({
  declared: n,
  fulfilled: n,
  rate,
  byUnit: z.array(z.object({ unit: z.string(), declared: n, fulfilled: n, rate })),
  matters: MatterFigures,
});

export const ObjectionFigures = z.object({
  years: z.array(
    z.object({
      year: z.string(),
      applications: n,
      completed: n,
      annotated: n,
      bySubjectType: z.object({ LEGAL: n, NATURAL: n }),
      byOutcome: z.object({ CORRECTED: n, DELETED: n, UPHELD: n }),
      overdue: n,
    }),
  ),
  total: z.object({ applications: n, completed: n, annotated: n, overdue: n }),
  bySubjectType: z.array(z.object({ subjectType: SUBJECT_TYPE, applications: n, completed: n, annotated: n })),
  repairs: z.object({
    repaired: n,
    revoked: n,
    bySubjectType: z.array(z.object({ subjectType: SUBJECT_TYPE, repaired: n, revoked: n })),
    byProvider: z.array(z.object({ provider: z.string(), name: z.string(), repaired: n, revoked: n })),
  }),
});

const ExportCounts = z.object({ records: n, withdrawals: n, rejections: n });
const ExportByType = z.object({ PENALTY: ExportCounts, LICENSING: ExportCounts });
export const ExportFigures = z.object({
  years: z.array(z.object({ year: z.string(), byType: ExportByType, total: n })),
  byType: ExportByType,
  total: n,
});

const Period = z.object({ from: z.string(), to: z.string() }).describe('Beijing-time days, inclusive');
/** The range asked for (`year`, `from`, `to` as given) and the days it covers (`period`). */
const RangeEcho = { year: z.string().nullable(), from: z.string(), to: z.string(), period: Period };
const statsResponse = <K extends string, S extends z.ZodRawShape>(kind: K, figures: z.ZodObject<S>) =>
  z.object({ kind: z.literal(kind), ...RangeEcho, ...figures.shape });

export const IngestionStats = statsResponse('ingestion', IngestionFigures);
export const QualityStats = statsResponse('quality', QualityFigures);
export const PublicityStats = statsResponse('publicity', PublicityFigures);
export const ApplicationStats = statsResponse('applications', ApplicationFigures);
export const ObjectionStats = statsResponse('objections', ObjectionFigures);
export const ExportPushStats = statsResponse('exports', ExportFigures);
const CrossTabRows = z.array(z.record(z.string(), z.union([z.string(), n])));
const CrossTabs = z
  .object({ roleBySubjectType: CrossTabRows, purposeBySubjectType: CrossTabRows })
  .describe('Role × subject type and purpose within subject type: {role|purpose, subjectType, queries, allowed, refused}');
export const QueryStats = z.object({
  kind: z.literal('queries'),
  ...RangeEcho,
  by: z.enum([...QUERY_DIMENSIONS, 'month']),
  total: n,
  groups: z.array(QueryGroup).describe('Grouped by `by`'),
  byGroup: QueryGroups.describe('Grouped by every dimension'),
  byMonthPurpose: MonthPurpose,
  crossTabs: CrossTabs,
});

/** GET /v1/stats/stock: the current stock of queryable records (not a period's figure). */
export const StockStats = z.object({
  kind: z.literal('stock'),
  at: z.string(),
  total: n,
  bySubjectType: z.object({ LEGAL: n, NATURAL: n }),
  rows: z.array(z.object({ subjectType: SUBJECT_TYPE, recordClass: z.string(), records: n })),
});

const KeyCount = z.array(z.object({ key: z.string(), n }));
const svg = z.string().nullable().describe('An SVG chart; null when it has no data');

/** GET /v1/reports/annual?format=json: the figures the HTML report is drawn from. */
export const AnnualReport = z.object({
  year: z.number().int(),
  period: Period,
  generatedAt: z.string(),
  catalog: z.object({
    version: z.string().nullable(),
    providers: n,
    providersByKind: KeyCount,
    items: n,
    itemsBySubjectType: KeyCount,
    itemsByClass: KeyCount,
    applications: z.object({ units: n, entries: n, byPurpose: KeyCount }),
  }),
  ingestion: IngestionFigures,
  collectionTrend: z.array(ClassYear).describe('Accepted rows by record class and subject type, the report year and the two before'),
  quality: QualityFigures,
  publicity: PublicityFigures,
  queries: z.object({
    total: n,
    groups: QueryGroups,
    byMonthPurpose: MonthPurpose,
    crossTabs: CrossTabs,
    byUnit: z.array(QueryGroup.extend({ name: z.string(), level: UNIT_LEVEL })),
  }),
  applications: ApplicationFigures.extend({
    byUnit: z.array(z.object({ unit: z.string(), declared: n, fulfilled: n, rate, name: z.string(), level: UNIT_LEVEL })),
  }),
  byLevel: z.array(z.object({ level: UNIT_LEVEL, items: n, queries: n, declared: n, fulfilled: n, rate })).describe('市级 / 区级'),
  exports: ExportFigures,
  objections: ObjectionFigures,
  charts: z
    .object({
      collection: svg,
      linkRates: svg,
      monthly: svg,
      purposes: svg,
      channels: svg,
      fulfilment: svg,
      exports: svg,
      objections: svg,
      behaviours: svg,
      measures: svg,
      jointMatters: svg,
      jointFeedback: svg,
    })
    .optional()
    .describe('With charts=svg'),
  chartData: z
    .record(z.string(), z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))))
    .optional()
    .describe("With charts=svg: each chart's data rows, with Chinese column names (the table under each chart)"),
  stock: z
    .object({
      total: n,
      bySubjectType: z.object({ LEGAL: n, NATURAL: n }),
      rows: z.array(z.object({ subjectType: SUBJECT_TYPE, recordClass: z.string(), records: n })),
    })
    .describe('可查询数据存量: the stock counters when the report is generated, not a figure of the year'),
  behaviourList: behaviourListView.describe('行为篇: the behaviour list and measures table as published'),
  joint: jointFigures
    .extend({ byUnit: z.array(jointFigures.shape.byUnit.element.extend({ name: z.string(), level: UNIT_LEVEL })) })
    .describe('联合奖惩情况: matter checks, feedback and credit lists of the year'),
});
