/**
 * The review of a unit's list: each staged change against the published entry (diff), what the
 * change would do (dry run) and every problem at once. Reads the unit's staged changes, the
 * published entries of those keys, the catalog's small sections, the unit's unfinished batches and
 * the record counts of the items it removes or changes: the cost follows the unit's list.
 */
import pMap from 'p-map';
import type { InfoItem } from '#core/catalog';
import { diffEntry, draftProblems, fieldTightenings, referencesTo, type EntryDiff, type ListChange, type ListSection } from '#core/unit-lists';
import { publishedEntries, publishedSmallSections, catalogPointer } from '#adapters/catalog-repo';
import { batchesInFlight, recordsUnder } from '#adapters/unit-list-facts';
import { getListMeta, listChanges, type ListMeta } from '#adapters/unit-list-repo';

/** Items whose records are counted in one review, and the count's cap per item. */
const RECORD_COUNT_ITEMS = 100;
const RECORD_COUNT_CAP = 10_000;

/** Each staged change against the published entry of its key (read fresh, by key). */
async function diffOf(changes: readonly ListChange[]) {
  const published = new Map<ListSection, Map<string, unknown>>();
  for (const section of ['items', 'matters', 'applications'] as const) {
    published.set(
      section,
      await publishedEntries(
        section,
        changes.filter((c) => c.section === section).map((c) => c.key),
      ),
    );
  }
  const diff: EntryDiff[] = changes.map((c) => diffEntry(c.section, c.key, published.get(c.section)!.get(c.key), c.entry));
  const summary = { added: 0, removed: 0, changed: 0, unchanged: 0 };
  for (const d of diff) summary[d.op.toLowerCase() as keyof typeof summary]++;
  return { published, diff, summary };
}

/** The counts of the unit's staged changes against the published list (no dry run): what its comment period shows publicly. */
export async function diffSummary(unit: string) {
  return (await diffOf(await listChanges(unit))).summary;
}

export async function reviewList(unit: string) {
  // meta first: a list in review cannot be edited, so the changes read next are those of this rev
  const meta = await getListMeta(unit);
  const changes = await listChanges(unit);
  const pointer = await catalogPointer({ fresh: true });
  const { published, diff, summary } = await diffOf(changes);
  const removedItems = new Set(diff.filter((d) => d.section === 'items' && d.op === 'REMOVED').map((d) => d.key));
  const changedItems = diff.filter((d) => d.section === 'items' && d.op === 'CHANGED').map((d) => d.key);
  const tightenings = changes
    .filter((c) => c.section === 'items' && c.entry !== undefined && published.get('items')!.has(c.key))
    .flatMap((c) => fieldTightenings(published.get('items')!.get(c.key) as InfoItem, c.entry as InfoItem));

  const small = await publishedSmallSections();
  const changedKeys = new Set(changes.map((c) => `${c.section}\u0000${c.key}`));
  const references = small ? referencesTo(removedItems, small, changedKeys) : [];
  // the published items the draft's matters and applications name (its own draft items are in the draft)
  const draftItems = new Set(changes.filter((c) => c.section === 'items').map((c) => c.key));
  const named = new Set<string>();
  for (const c of changes) {
    if (c.section === 'items' || c.entry === undefined) continue;
    for (const code of ((c.entry as { items?: unknown }).items as string[] | undefined) ?? [])
      if (typeof code === 'string' && !draftItems.has(code)) named.add(code);
  }
  const namedItems = await publishedEntries('items', [...named]);
  const problems = draftProblems(changes, { providers: small?.providers ?? [], items: [...namedItems.values()] as InfoItem[] }, references);

  const touched = [...removedItems, ...changedItems];
  const [batches, records] = await Promise.all([
    batchesInFlight(unit, new Set(touched)),
    pMap(
      touched.slice(0, RECORD_COUNT_ITEMS),
      async (item) => {
        const before = published.get('items')!.get(item) as InfoItem;
        const count = await recordsUnder(item, before.subjectType, RECORD_COUNT_CAP);
        return { item, op: removedItems.has(item) ? ('REMOVED' as const) : ('CHANGED' as const), ...count };
      },
      { concurrency: 4 },
    ),
  ]);

  return {
    meta,
    changes,
    view: {
      unit,
      status: meta?.status ?? ('NONE' as const),
      rev: meta?.rev ?? 0,
      catalogVersion: pointer?.version ?? null,
      diff,
      summary,
      dryRun: { batchesInFlight: batches, records, recordsNotCounted: Math.max(0, touched.length - RECORD_COUNT_ITEMS), references, tightenings },
      problems,
    },
  };
}

/** A list's state as the API shows it. */
export function metaView(unit: string, meta: ListMeta | null) {
  return {
    unit,
    status: meta?.status ?? ('NONE' as const),
    rev: meta?.rev ?? 0,
    changes: meta?.changes ?? 0,
    updatedAt: meta?.updatedAt ?? null,
    updatedBy: meta?.updatedBy ?? null,
    submittedAt: meta?.submittedAt ?? null,
    commentStart: meta?.commentStart ?? null,
    commentEnd: meta?.commentEnd ?? null,
    comments: meta?.comments ?? null,
    publishedVersion: meta?.publishedVersion ?? null,
  };
}

export const changeView = (c: ListChange) => ({
  section: c.section,
  key: c.key,
  op: c.entry === undefined ? ('REMOVE' as const) : ('PUT' as const),
  entry: (c.entry as Record<string, unknown> | undefined) ?? null,
});
