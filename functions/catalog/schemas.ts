/** The catalog and units API's request schemas (zod): the handlers validate with them, functions/query/openapi.ts documents them. No handler, adapter or SDK imports here. */
import { z } from 'zod';
import { catalogSchema, PROVIDER_KINDS, RECORD_CLASSES, SUBJECT_TYPES } from '#core/catalog';
import { SHANGHAI_DISTRICTS, UNIT_CODE, UNIT_LEVELS, UNIT_ROLES, unitBodySchema } from '#core/units';

export const UnitBody = unitBodySchema;

export const UnitsQuery = z.strictObject({
  kind: z.enum(PROVIDER_KINDS).optional(),
  level: z.enum(UNIT_LEVELS).optional(),
  district: z.enum(SHANGHAI_DISTRICTS).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional().describe('Units read per page (default 100); a filtered page may hold fewer'),
  cursor: z.string().min(1).max(200).optional().describe('`next` of the previous page'),
});

// ---------------------------------------------------------------- responses

export const CatalogPublished = z.object({
  version: z.string(),
  publishedAt: z.string(),
  items: z.number().int().min(0),
  providers: z.number().int().min(0),
});
export const CurrentCatalog = z.object({
  version: z.string(),
  publishedAt: z.string(),
  counts: z.record(z.string(), z.number().int().min(0)).optional().describe('Entries per catalog section'),
  catalog: catalogSchema.optional().describe('The document inline, for a catalog of up to 1,000 items'),
  snapshotUrl: z.string().optional().describe('A larger catalog: presigned URL of the gzipped document'),
  snapshotBytes: z.number().int().nullable().optional(),
});
export const PublicCatalog = z.object({
  version: z.string(),
  publishedAt: z.string(),
  counts: z.record(z.string(), z.number().int().min(0)).describe('Entries per catalog section'),
  catalog: catalogSchema,
  itemsPaged: z.boolean().describe('true: `catalog.items` is empty; page the items with GET /v1/public/catalog/items'),
});
export const CatalogItemView = catalogSchema.shape.items.element;
export const CatalogItemPage = z.object({
  items: z.array(CatalogItemView).describe('In code order'),
  next: z.string().nullable().describe('Pass as `cursor`; null on the last page'),
});
export const CatalogImportStarted = z.object({ importId: z.string(), uploadUrl: z.string(), statusUrl: z.string() });
const count = z.number().int().min(0);
export const CatalogImport = z.object({
  importId: z.string(),
  status: z.enum(['RECEIVED', 'VALIDATING', 'PUBLISHED', 'REJECTED', 'FAILED']),
  reason: z.string().nullable().describe('Why a FAILED import failed (its message failed every attempt); null otherwise'),
  version: z.string().nullable(),
  items: count.nullable(),
  providers: count.nullable(),
  problems: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })).describe('The first 1,000 problems'),
  problemCount: count,
  problemsUrl: z.string().nullable().describe('Every problem (gzipped JSON) when there are more than the first 1,000'),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export const CatalogVersions = z.object({
  versions: z
    .array(z.object({ version: z.string(), publishedAt: z.string(), publishedBy: z.string(), items: z.number().int(), providers: z.number().int() }))
    .describe('Newest first'),
});
export const UnitView = z.object({
  code: z.string(),
  name: z.string(),
  uscc: z.string(),
  kind: z.enum(PROVIDER_KINDS),
  level: z.enum(UNIT_LEVELS),
  district: z.enum(SHANGHAI_DISTRICTS).optional(),
  roles: z.array(z.enum(UNIT_ROLES)),
  dailyQueryBudget: z.number().int().min(1).optional().describe('Queries per China day (default 200,000)'),
  updatedAt: z.string(),
  updatedBy: z.string(),
});
export const UnitList = z.object({
  units: z.array(UnitView).describe('In code order'),
  next: z.string().nullable().describe('Pass as `cursor`; null on the last page'),
});

/** The units register as published (GET /v1/public/units): who a unit is, never its USCC, roles or budget. */
export const PublicUnitView = UnitView.pick({ code: true, name: true, kind: true, level: true, district: true });
export const PublicUnitList = z.object({
  units: z.array(PublicUnitView).describe('In code order'),
  next: z.string().nullable().describe('Pass as `cursor`; null on the last page'),
});

/** Most item codes one by-key lookup (`codes=`) names: one BatchGetItem-sized read set per request. */
export const MAX_ITEM_CODES = 100;

export const CatalogItemsQuery = z
  .strictObject({
    provider: z.string().min(1).max(64).optional().describe('Items of this provider only (read through the byProvider index)'),
    subjectType: z.enum(SUBJECT_TYPES).optional(),
    recordClass: z.enum(RECORD_CLASSES).optional(),
    q: z.string().min(1).max(100).optional().describe('Matches the item code or name (substring, case-insensitive)'),
    limit: z.coerce.number().int().min(1).max(500).optional().describe('Items read per page (default 100); a filtered page may hold fewer'),
    cursor: z.string().min(1).max(200).optional().describe('`next` of the previous page'),
    codes: z
      .string()
      .min(1)
      .max(MAX_ITEM_CODES * 65)
      .transform((s) => [...new Set(s.split(','))])
      .pipe(z.array(z.string().regex(UNIT_CODE, 'an item code (upper-case letters, digits, "-", "_")')).min(1).max(MAX_ITEM_CODES))
      .optional()
      .describe(
        `By-key lookup: up to ${MAX_ITEM_CODES} item codes, comma-separated; answers those published, in code order (an unknown code is left out), \`next\` null. Not combined with the other parameters`,
      ),
  })
  .refine((q) => q.codes === undefined || Object.keys(q).length === 1, {
    message: '`codes` is a lookup by key and takes no other parameter',
    path: ['codes'],
  });
