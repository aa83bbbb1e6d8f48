/** The units' lists API's request and response schemas (zod): the handlers validate with them, functions/query/openapi.ts documents them. No handler, adapter or SDK imports here. */
import { z } from 'zod';
import { HISTORY_EVENTS, LIST_SECTIONS, LIST_STATUSES } from '#core/unit-lists';

const rev = z.number().int().min(0).describe('The `rev` of the list as last read: the action applies only if nobody changed the list since');

export const RevBody = z.strictObject({ rev });
export const ReturnBody = z.strictObject({ rev, comments: z.string().trim().min(1).max(4000).describe('意见: what the unit should change') });
export const CommentPeriodBody = z.strictObject({
  rev,
  start: z.iso.datetime({ offset: true }).describe('公示 (public comment period, Art 9) start'),
  end: z.iso.datetime({ offset: true }).describe('公示 end; the list can be approved once it has passed'),
});
export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).optional().describe('Entries per page (default 50)'),
  cursor: z.string().min(1).max(300).optional().describe('`next` of the previous page'),
});
export const ListSectionParam = z.enum(LIST_SECTIONS);
// checked per section by core/unit-lists entryProblems (the catalog's own schemas), every problem listed
export const ListEntryBody = z
  .looseObject({
    code: z.string().optional().describe('Items and matters: the code (the path key)'),
    name: z.string().optional(),
    provider: z.string().optional().describe('Items: the unit itself'),
    unit: z.string().optional().describe('Matters and applications: the unit itself'),
    purpose: z.string().optional().describe('Applications: the purpose (the path key is {unit}#{purpose})'),
  })
  .describe('An item (section items), a matter (matters) or an application (applications), exactly as in the catalog document (components Catalog)');

// ---------------------------------------------------------------- responses

const count = z.number().int().min(0);
export const ListMetaView = z.object({
  unit: z.string(),
  status: z.enum([...LIST_STATUSES, 'NONE']).describe('NONE: the unit has never edited its list'),
  rev: count,
  changes: count.describe('Staged changes in the draft'),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
  submittedAt: z.string().nullable(),
  commentStart: z.string().nullable(),
  commentEnd: z.string().nullable(),
  comments: z.string().nullable().describe("The credit centre's comments of the last return"),
  publishedVersion: z.string().nullable().describe('Catalog version the last approval published'),
});
const ChangeView = z.object({
  section: z.enum(LIST_SECTIONS),
  key: z.string(),
  op: z.enum(['PUT', 'REMOVE']),
  entry: z.record(z.string(), z.unknown()).nullable().describe('The entry as the draft has it; null for REMOVE'),
});
export const UnitListView = ListMetaView.extend({
  draft: z.array(ChangeView).describe('The staged changes over the published list'),
  published: z
    .object({ items: count, matters: count, applications: count })
    .describe("Entries of the unit's published list per section (page items with GET /v1/catalog/items?provider=)"),
});
export const UnitListQueue = z.object({
  lists: z.array(ListMetaView).describe('Lists in review (SUBMITTED, COMMENT), oldest submission first'),
  next: z.string().nullable(),
});
export const PublicUnitLists = z.object({
  lists: z
    .array(
      z.object({
        unit: z.string(),
        rev: count.describe('The rev the comment period was opened at'),
        commentStart: z.string().describe('公示 start'),
        commentEnd: z.string().describe('公示 end'),
        summary: z
          .object({ added: count, removed: count, changed: count, unchanged: count })
          .nullable()
          .describe("The draft's entries against the published list (null: the period was opened before the counts were kept)"),
      }),
    )
    .describe('Lists in public comment (Art 9) whose period has not ended, oldest submission first'),
  next: z.string().nullable().describe('Cursor of the next page (a page may hold fewer lists than `limit` while `next` is not null)'),
});
const PropertyChangeView = z.object({ path: z.string(), label: z.string(), before: z.unknown().optional(), after: z.unknown().optional() });
const ProblemView = z.object({ section: z.enum(LIST_SECTIONS), key: z.string(), path: z.string(), code: z.string(), message: z.string(), where: z.string() });
export const UnitListReview = z.object({
  unit: z.string(),
  status: ListMetaView.shape.status,
  rev: count,
  catalogVersion: z.string().nullable(),
  diff: z
    .array(
      z.object({
        section: z.enum(LIST_SECTIONS),
        key: z.string(),
        name: z.string(),
        op: z.enum(['ADDED', 'REMOVED', 'CHANGED', 'UNCHANGED']),
        changes: z.array(PropertyChangeView),
      }),
    )
    .describe('Each staged change against the published entry'),
  summary: z.object({ added: count, removed: count, changed: count, unchanged: count }),
  dryRun: z.object({
    batchesInFlight: z
      .array(z.object({ batchId: z.string(), item: z.string(), status: z.string(), receivedAt: z.string() }))
      .describe('Unfinished uploads for removed or changed items'),
    records: z
      .array(z.object({ item: z.string(), op: z.enum(['REMOVED', 'CHANGED']), records: count, capped: z.boolean().describe('true: at least this many') }))
      .describe('Queryable records stored under removed or changed items (the first 100 such items)'),
    recordsNotCounted: count.describe('Removed or changed items beyond the first 100, whose records were not counted'),
    references: z
      .array(z.object({ section: z.string(), key: z.string(), name: z.string(), owner: z.string().optional(), item: z.string() }))
      .describe("Other lists' entries (applications, matters, rule sets, behaviours) naming a removed item"),
    tightenings: z
      .array(z.object({ item: z.string(), field: z.string(), label: z.string(), code: z.string(), message: z.string() }))
      .describe('Field changes that would reject rows the published item accepted'),
  }),
  problems: z.array(ProblemView).describe('Every problem at once, named with the catalog labels; approval needs none'),
  approvable: z.boolean(),
});
export const UnitListHistory = z.object({
  history: z
    .array(
      z.object({
        event: z.enum(HISTORY_EVENTS),
        at: z.string(),
        by: z.string(),
        rev: count,
        comments: z.string().optional(),
        commentStart: z.string().optional(),
        commentEnd: z.string().optional(),
        version: z.string().optional(),
        added: count.optional(),
        changed: count.optional(),
        removed: count.optional(),
      }),
    )
    .describe('Newest first'),
  next: z.string().nullable(),
});
export const UnitListApproved = z.object({
  unit: z.string(),
  version: z.string().describe('The catalog version that published the list'),
  rev: count,
  added: count,
  changed: count,
  removed: count,
});
