/**
 * Publishing one unit's changes (its list, approved: issue 16 part 4), with the steps and the lease
 * of catalog-publish.ts, reading and writing only the heads of the changed keys.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { replaceProvider, tallyOf } from '#core/catalog-tally';
import { entryKey, entryOwner, type CatalogSection, type InfoItem } from '#core/catalog';
import { batchGet, batchPut, keyOf } from './batch-io.ts';
import { ddb } from './clients.ts';
import { catalogPointer, headPk, PK, table, tallySk, asOf, type Head } from './catalog-read.ts';
import { ownerEntries } from './catalog-listing.ts';
import { claimVersion, headRow, movePointer, nextSeq, previousTally, seqSk, withPublishLock, type PublishResult } from './catalog-publish.ts';

/** One entry of a unit's list as approved: `entry` is the new entry, absent when the entry is removed. */
export interface EntryChange {
  section: CatalogSection;
  key: string;
  entry?: unknown;
}

/**
 * Publishes a new version that differs from the current one in `changes` only: reads the heads of
 * those keys, writes those heads and their history, and moves the pointer, under the publish lock.
 * Every change must belong to `owner` (before and after), so no other unit's entry is written; the
 * cost follows the number of changes, never the catalog's size. No snapshot is written (that would
 * read the whole catalog): the approval asks the import worker to rebuild it (adapters/catalog-snapshot);
 * until then GET /v1/catalog answers a large catalog with its counts, to be paged.
 * `claim` lets the same approval resume a publish it did not finish.
 */
export async function publishChanges(
  src: { version: string; claim: string; owner: string; changes: readonly EntryChange[] },
  publishedBy: string,
): Promise<PublishResult> {
  return withPublishLock(src.claim, async () => {
    const publishedAt = new Date().toISOString();
    await claimVersion(src.version, publishedAt, publishedBy, src.claim);
    const before = await catalogPointer({ fresh: true });
    if (!before) throw new Error('no catalog has been published yet');
    const liveSeq = before.seq;
    const seq = await nextSeq();
    const counts = { ...before.counts };
    const heads = await batchGet(src.changes.map((c) => ({ table: 'catalog' as const, pk: headPk(c.section), sk: c.key })));
    const rows: Array<{ table: 'catalog'; item: Record<string, unknown> }> = [];
    let changed = 0;
    let removed = 0;
    for (const c of src.changes) {
      const old = heads.get(keyOf({ table: 'catalog', pk: headPk(c.section), sk: c.key })) as Head | undefined;
      const liveDoc = asOf(old, liveSeq);
      const owners = [
        c.entry === undefined ? undefined : entryOwner(c.section, c.entry),
        liveDoc === undefined ? undefined : entryOwner(c.section, JSON.parse(liveDoc)),
      ];
      if (owners.some((o) => o !== undefined && o !== src.owner)) throw new Error(`${c.section} '${c.key}' is not in the list of '${src.owner}'`);
      if (c.entry !== undefined && entryKey(c.section, c.entry) !== c.key) throw new Error(`${c.section} '${c.key}': the entry's key differs`);
      const doc = c.entry === undefined ? undefined : JSON.stringify(c.entry);
      if (doc === liveDoc) continue; // unchanged (also a change already published by an attempt that resumed)
      const entry = c.entry ?? (liveDoc === undefined ? {} : JSON.parse(liveDoc));
      rows.push({ table: 'catalog', item: headRow(c.section, c.key, doc, entry, seq, old, liveSeq) });
      rows.push({
        table: 'catalog',
        item: { pk: `HIST#${c.section}#${c.key}`, sk: seqSk(seq), version: src.version, ...(doc === undefined ? { gone: true } : { doc }) },
      });
      counts[c.section] = (counts[c.section] ?? 0) + (doc === undefined ? 0 : 1) - (liveDoc === undefined ? 0 : 1);
      if (doc === undefined) removed++;
      else changed++;
    }
    // the new version's item tally: the unit's own items as they will be, the other providers' as they were
    // (its cost follows the unit's list, like the rest of the publish)
    let tally = await previousTally(liveSeq);
    const itemChanges = src.changes.filter((c) => c.section === 'items');
    if (itemChanges.length) {
      const mine = new Map(((await ownerEntries('items', src.owner)) as InfoItem[]).map((i) => [i.code, i]));
      for (const c of itemChanges) {
        if (c.entry === undefined) mine.delete(c.key);
        else mine.set(c.key, c.entry as InfoItem);
      }
      tally = replaceProvider(tally, src.owner, tallyOf([...mine.values()]));
    }
    await batchPut(rows, 'catalogPublish');
    await ddb.send(new PutCommand({ TableName: table(), Item: { pk: PK, sk: tallySk(seq), tally } }));
    await movePointer({ version: src.version, seq, publishedAt, publishedBy, items: counts.items, providers: counts.providers, counts }, { changed, removed });
    return { version: src.version, seq, publishedAt, changed, removed, counts };
  });
}
