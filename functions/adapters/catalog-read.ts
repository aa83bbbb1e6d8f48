/**
 * Reading the published catalog (the rows are described in catalog-repo.ts): the pointer, entries
 * by key, the small sections, the item tally, and `currentCatalog`. Per container, the pointer is
 * cached CACHE_MS and each entry read is cached while the pointer stays the same, so the hot paths
 * (upload gate, queries) read one small row per item they meet.
 */
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { countItem, type ItemTally } from '#core/catalog-tally';
import { CATALOG_SECTIONS, indexCatalog, type Catalog, type CatalogIndex, type CatalogSection, type InfoItem, type SectionEntry } from '#core/catalog';
import { batchGet, keyOf } from './batch-io.ts';
import { ddb } from './clients.ts';
import { queryAll } from './query-all.ts';
import { tableName } from './config.ts';

/**
 * A catalog of up to this many items is answered inline by GET /v1/catalog and GET /v1/public/catalog;
 * a larger one by its version, counts and (signed in) a presigned URL of the gzipped snapshot or (public)
 * its small sections with the items paged (the reference catalog's 45,933 items are ≈ 38 MB of JSON,
 * over Lambda's 6 MB response limit).
 */
export const INLINE_CATALOG_ITEMS = 1000;

export interface PublishedCatalog {
  catalog: Catalog;
  version: string;
  publishedAt: string;
  publishedBy: string;
  index: ReturnType<typeof indexCatalog>;
}

export interface CatalogPointer {
  version: string;
  seq: number;
  publishedAt: string;
  publishedBy: string;
  items: number;
  providers: number;
  /** Entries per section. */
  counts: Record<CatalogSection, number>;
  /** Work-bucket key of the gzipped whole document of this version. */
  snapshotKey?: string;
  snapshotBytes?: number;
}

export const PK = 'CATALOG';
const CACHE_MS = 5_000;

export const table = () => tableName('catalog');
export const headPk = (section: CatalogSection) => `HEAD#${section}`;
export const tallySk = (seq: number) => `T#${String(seq).padStart(10, '0')}`;

let pointerCache: { at: number; value: CatalogPointer | null } | undefined;
/** Entries read by key, valid while the pointer's seq is the one they were read under. */
const entryCache = new Map<string, { seq: number; value: unknown }>();
let wholeCache: { seq: number; value: PublishedCatalog } | undefined;
let sectionsCache: { seq: number; value: Omit<Catalog, 'items'> } | undefined;
let tallyCache: { seq: number; value: ItemTally } | undefined;

export async function catalogPointer(opts: { fresh?: boolean } = {}): Promise<CatalogPointer | null> {
  if (!opts.fresh && pointerCache && Date.now() - pointerCache.at < CACHE_MS) return pointerCache.value;
  const out = await ddb.send(new GetCommand({ TableName: table(), Key: { pk: PK, sk: 'CURRENT' }, ConsistentRead: true }));
  const value = out.Item && typeof out.Item.seq === 'number' ? (out.Item as unknown as CatalogPointer) : null;
  if (pointerCache?.value?.seq !== value?.seq) entryCache.clear();
  pointerCache = { at: Date.now(), value };
  return value;
}

export interface Head {
  sk: string;
  seq: number;
  doc?: string;
  hash?: string;
  prevSeq?: number;
  prevDoc?: string;
}

/** Drops the cached pointer (after a write to it), so this container's next read sees the change. */
export function forgetPointer(): void {
  pointerCache = undefined;
  entryCache.clear();
}

/** The entry a head row holds as of pointer seq `seq` (undefined: not in that version). */
export function asOf(head: Head | undefined, seq: number): string | undefined {
  if (!head) return undefined;
  if (head.seq <= seq) return head.doc;
  return head.prevSeq !== undefined && head.prevSeq <= seq ? head.prevDoc : undefined;
}

/** Entries of one section by key, as of the published version; cached per entry. */
export async function catalogEntries<S extends CatalogSection>(section: S, keys: readonly string[]): Promise<Map<string, SectionEntry<S>>> {
  const found = new Map<string, SectionEntry<S>>();
  const pointer = await catalogPointer();
  if (!pointer) return found;
  const missing: string[] = [];
  for (const key of new Set(keys)) {
    const hit = entryCache.get(`${section}\u0000${key}`);
    if (hit && hit.seq === pointer.seq) {
      if (hit.value !== undefined) found.set(key, hit.value as SectionEntry<S>);
    } else missing.push(key);
  }
  if (missing.length > 0) {
    const rows = await batchGet(missing.map((sk) => ({ table: 'catalog' as const, pk: headPk(section), sk })));
    for (const key of missing) {
      const head = rows.get(keyOf({ table: 'catalog', pk: headPk(section), sk: key }));
      const doc = asOf(head as Head | undefined, pointer.seq);
      const value = doc === undefined ? undefined : (JSON.parse(doc) as SectionEntry<S>);
      entryCache.set(`${section}\u0000${key}`, { seq: pointer.seq, value });
      if (value !== undefined) found.set(key, value);
    }
  }
  return found;
}

/**
 * The published items of `codes` (at most a page's worth: GET /v1/catalog/items?codes=), read by
 * key and cached per entry, in code order; a code not in the published version is left out.
 */
export async function itemsByCode(codes: readonly string[]): Promise<InfoItem[]> {
  const found = await catalogEntries('items', codes);
  return [...found.keys()].sort().map((code) => found.get(code)!);
}

/** One item of the published catalog, by code. */
export async function catalogItem(code: string): Promise<InfoItem | undefined> {
  return (await catalogEntries('items', [code])).get(code);
}

async function sectionRows(section: CatalogSection, seq: number): Promise<unknown[]> {
  const heads = await queryAll<Head>({ TableName: table(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': headPk(section) } });
  const out: unknown[] = [];
  for (const h of heads) {
    const doc = asOf(h, seq);
    if (doc !== undefined) out.push(JSON.parse(doc));
  }
  return out;
}

/** Every section except items (small: providers, applications, rule sets, the joint lists), cached per version. */
async function smallSections(pointer: CatalogPointer): Promise<Omit<Catalog, 'items'>> {
  if (sectionsCache?.seq === pointer.seq) return sectionsCache.value;
  const value: Record<string, unknown> = { version: pointer.version };
  for (const section of CATALOG_SECTIONS) {
    if (section === 'items') continue;
    const rows = await sectionRows(section, pointer.seq);
    if (section === 'providers' || rows.length > 0) value[section] = rows;
  }
  sectionsCache = { seq: pointer.seq, value: value as Omit<Catalog, 'items'> };
  return sectionsCache.value;
}

/**
 * `index` answering `item` also for the items `codes` (read by key, cached per publish): for a
 * path that holds the small sections and meets records one subject at a time.
 */
export async function indexWithItems(index: CatalogIndex, codes: readonly string[]): Promise<CatalogIndex> {
  const items = await catalogEntries('items', codes);
  return { ...index, item: (code) => items.get(code) ?? index.item(code) };
}

let wholeCatalogReads = 0;
/**
 * How many times `currentCatalog` was asked for every item (in this process): the scheduled jobs,
 * statistics and the report must never be (test/integration/catalog-reads.test.ts holds them to it).
 */
export const wholeCatalogReadCount = () => wholeCatalogReads;

/**
 * The published items counted by provider, subject type, class and publicity (core/catalog-tally),
 * as of the published version: one row written at publish time. A version published before the
 * tally existed gets it here once, by paging through the item heads (one page in memory at a time).
 */
export async function catalogTally(): Promise<ItemTally> {
  const pointer = await catalogPointer();
  if (!pointer) return {};
  const cached = tallyCache?.seq === pointer.seq ? tallyCache.value : undefined;
  if (cached) return cached;
  const out = await ddb.send(new GetCommand({ TableName: table(), Key: { pk: PK, sk: tallySk(pointer.seq) } }));
  let tally = out.Item?.tally as ItemTally | undefined;
  if (!tally) {
    tally = await countItems(pointer.seq);
    await ddb.send(new PutCommand({ TableName: table(), Item: { pk: PK, sk: tallySk(pointer.seq), tally } }));
  }
  tallyCache = { seq: pointer.seq, value: tally };
  return tally;
}

/** Counts the items live at `seq` page by page, never holding more than a page. */
export async function countItems(seq: number): Promise<ItemTally> {
  const tally: ItemTally = {};
  let start: Record<string, unknown> | undefined;
  do {
    const page = await ddb.send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': headPk('items') },
        ExclusiveStartKey: start,
      }),
    );
    for (const h of (page.Items ?? []) as Head[]) {
      const doc = asOf(h, seq);
      if (doc !== undefined) countItem(tally, JSON.parse(doc) as InfoItem);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return tally;
}

/**
 * The published catalog as one document, for the readers that work over the whole of it.
 *
 * With `items`, only those items are read (by key, cached) next to the small sections: `catalog.items`
 * and `index.item` hold just them — the upload gate and the query paths pass the codes they meet.
 * Without it, every item is read (reports, statistics, the joint lists' rule runs, the export).
 */
export async function currentCatalog(opts: { fresh?: boolean; items?: readonly string[] } = {}): Promise<PublishedCatalog | null> {
  const pointer = await catalogPointer(opts);
  if (!pointer) return null;
  const small = await smallSections(pointer);
  let items: InfoItem[];
  if (opts.items) {
    items = [...(await catalogEntries('items', opts.items)).values()];
  } else {
    wholeCatalogReads++;
    if (wholeCache?.seq === pointer.seq) return wholeCache.value;
    items = (await sectionRows('items', pointer.seq)) as InfoItem[];
  }
  const catalog = { ...small, items } as Catalog;
  const value = { catalog, version: pointer.version, publishedAt: pointer.publishedAt, publishedBy: pointer.publishedBy, index: indexCatalog(catalog) };
  if (!opts.items) wholeCache = { seq: pointer.seq, value };
  return value;
}

/** The small sections of the published catalog (everything but items), read fresh. */
export async function publishedSmallSections(): Promise<Omit<Catalog, 'items'> | null> {
  const pointer = await catalogPointer({ fresh: true });
  return pointer ? smallSections(pointer) : null;
}
