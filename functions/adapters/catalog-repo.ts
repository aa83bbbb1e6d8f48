/**
 * The published catalog, stored entry by entry (issue 16): one row per provider, item,
 * application, rule set, behaviour, measure and credit list, so a reader fetches what it needs by
 * key and publishing changes only the entries that changed. Rows in the catalog table:
 *
 * - `CATALOG` / `CURRENT`: the pointer — version, publish sequence number `seq`, counts, snapshot key;
 * - `CATALOG` / `V#{version}`: one per published version (immutable: a version is published once);
 * - `CATALOG` / `T#{seq}`: the items counted by provider, subject type, class and publicity as of that
 *   publish (core/catalog-tally), for the statistics and the report;
 * - `HEAD#{section}` / `{key}`: the entry as of its last change, `seq` of that publish, and the
 *   entry it replaced (`prevSeq`, `prevDoc`). A reader whose pointer is older than `seq` (a publish
 *   under way) takes `prev*`, so every reader sees one version until the pointer moves. Item heads
 *   carry the listing attributes and `ppk` = `P#{provider}` for the byProvider index;
 * - `HIST#{section}#{key}` / `S#{seq}`: the entry as published at that seq (`gone` once removed) — history.
 *
 *
 * The code is in parts: reading (catalog-read.ts), listings (catalog-listing.ts), publishing a
 * version (catalog-publish.ts), publishing one unit's changes (catalog-changes.ts) and the snapshot
 * (catalog-snapshot.ts). This module is what the rest of the code imports.
 */
export {
  INLINE_CATALOG_ITEMS,
  catalogEntries,
  catalogItem,
  catalogPointer,
  catalogTally,
  currentCatalog,
  indexWithItems,
  itemsByCode,
  publishedSmallSections,
  wholeCatalogReadCount,
  type CatalogPointer,
  type PublishedCatalog,
} from './catalog-read.ts';
export { catalogVersions, listItems, ownerEntries, publishedEntries, type CatalogVersion, type ItemFilter } from './catalog-listing.ts';
export {
  CatalogBusyError,
  VersionExistsError,
  publishCatalog,
  publishEntries,
  releaseClaim,
  type PublishResult,
  type PublishSource,
} from './catalog-publish.ts';
export { publishChanges, type EntryChange } from './catalog-changes.ts';
export { snapshotKey, writeSnapshot } from './catalog-snapshot.ts';
