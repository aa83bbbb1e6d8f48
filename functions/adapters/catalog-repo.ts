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
 * Per container, the pointer is cached CACHE_MS and each entry read is cached while the pointer
 * stays the same, so the hot paths (upload gate, queries) read one small row per item they meet.
 */
import { createHash, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { isConditionFailure } from './conditions.ts';
import { countItem, replaceProvider, tallyOf, type ItemTally } from '#core/catalog-tally';
import {
  CATALOG_SECTIONS,
  entryKey,
  entryOwner,
  indexCatalog,
  type Catalog,
  type CatalogIndex,
  type CatalogSection,
  type InfoItem,
  type SectionEntry,
} from '#core/catalog';
import { batchGet, batchPut, keyOf } from './batch-io.ts';
import { ddb, s3 } from './clients.ts';
import { queryAll } from './query-all.ts';
import { bucketName, tableName } from './config.ts';

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

export interface CatalogVersion {
  version: string;
  publishedAt: string;
  publishedBy: string;
  items: number;
  providers: number;
}

export class VersionExistsError extends Error {
  constructor(version: string) {
    super(`catalog version '${version}' was already published; versions are immutable, publish a new one`);
    this.name = 'VersionExistsError';
  }
}

export class CatalogBusyError extends Error {
  constructor() {
    super('another catalog publish is under way; try again when it has finished');
    this.name = 'CatalogBusyError';
  }
}

const PK = 'CATALOG';
/**
 * Publishes take the `CATALOG` / `LOCK` row for this long: each one moves the pointer from the
 * version it read, so two at once would lose one's entries (the later pointer hides the other's
 * seq). A holder that died frees it when the lease ends; the same claim (an import resuming) may
 * take it back at once. The reference import publishes in ≈ 450 s.
 */
const LOCK_MS = 15 * 60_000;
const CACHE_MS = 5_000;
/** Heads written at once while publishing (BatchWriteItem requests in flight are bounded in batch-io). */
const WRITE_SLICE = 500;

const table = () => tableName('catalog');
export const headPk = (section: CatalogSection) => `HEAD#${section}`;
const seqSk = (seq: number) => `S#${String(seq).padStart(10, '0')}`;
const hashOf = (doc: string) => createHash('sha256').update(doc).digest('base64url').slice(0, 22);

let pointerCache: { at: number; value: CatalogPointer | null } | undefined;
/** Entries read by key, valid while the pointer's seq is the one they were read under. */
const entryCache = new Map<string, { seq: number; value: unknown }>();
let wholeCache: { seq: number; value: PublishedCatalog } | undefined;
let sectionsCache: { seq: number; value: Omit<Catalog, 'items'> } | undefined;
let tallyCache: { seq: number; value: ItemTally } | undefined;
const tallySk = (seq: number) => `T#${String(seq).padStart(10, '0')}`;

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
async function countItems(seq: number): Promise<ItemTally> {
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

// ---------------------------------------------------------------------------------------------
// Listing

export interface ItemFilter {
  provider?: string;
  subjectType?: string;
  recordClass?: string;
  /** Matches the code or the name (substring). */
  q?: string;
}

/**
 * One page of the published items in code order (by provider through the byProvider index).
 * Filters other than provider are applied to the page read, so a page may hold fewer than `limit`.
 */
export async function listItems(filter: ItemFilter, after: string | undefined, limit: number): Promise<{ items: InfoItem[]; next: string | undefined }> {
  const pointer = await catalogPointer();
  if (!pointer) return { items: [], next: undefined };
  const values: Record<string, unknown> = {};
  const byProvider = filter.provider !== undefined;
  const input: QueryCommandInput = {
    TableName: table(),
    ...(byProvider
      ? {
          IndexName: 'byProvider',
          KeyConditionExpression: 'ppk = :p',
          ExclusiveStartKey: after ? { pk: headPk('items'), sk: after, ppk: `P#${filter.provider}`, psk: after } : undefined,
        }
      : { KeyConditionExpression: 'pk = :p', ExclusiveStartKey: after ? { pk: headPk('items'), sk: after } : undefined }),
    Limit: limit,
  };
  values[':p'] = byProvider ? `P#${filter.provider}` : headPk('items');
  const out = await ddb.send(new QueryCommand({ ...input, ExpressionAttributeValues: values }));
  const items: InfoItem[] = [];
  const q = filter.q?.toLowerCase();
  for (const h of (out.Items ?? []) as Head[]) {
    const doc = asOf(h, pointer.seq);
    if (doc === undefined) continue;
    const item = JSON.parse(doc) as InfoItem;
    if (filter.subjectType && item.subjectType !== filter.subjectType) continue;
    if (filter.recordClass && item.recordClass !== filter.recordClass) continue;
    if (q && !item.code.toLowerCase().includes(q) && !item.name.toLowerCase().includes(q)) continue;
    items.push(item);
  }
  const last = out.LastEvaluatedKey as { sk?: string } | undefined;
  return { items, next: last?.sk };
}

export async function catalogVersions(): Promise<CatalogVersion[]> {
  const versions = await queryAll<CatalogVersion>({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
    ExpressionAttributeValues: { ':pk': PK, ':v': 'V#' },
    ProjectionExpression: 'version, publishedAt, publishedBy, #items, providers',
    ExpressionAttributeNames: { '#items': 'items' },
  });
  return versions.sort((a, b) => b.publishedAt.localeCompare(a.publishedAt));
}

// ---------------------------------------------------------------------------------------------
// Publishing

/** The entries of a document to publish, section by section; items may come as a stream. */
export interface PublishSource {
  version: string;
  /** Sections published whole (the entries of a section not named here are left as they are). */
  sections: readonly CatalogSection[];
  /** Small sections' entries. */
  entries: Partial<Record<CatalogSection, readonly unknown[]>>;
  /** The items, when `sections` names them: handed to `write` slice by slice (a streamed import reads them twice, never whole). */
  items?: (write: (entries: readonly unknown[]) => Promise<void>) => Promise<void>;
  /** Who claims the version (an import's id): the same claimant may resume a publish it did not finish. */
  claim?: string;
  /** Limit the publish to one owner's entries (a unit's list): entries of others are never touched. */
  owner?: string;
  /** Writes the gzipped whole document of the new version (for GET /v1/catalog). */
  snapshot: () => Promise<{ bytes: number; key: string } | undefined>;
}

export interface PublishResult {
  version: string;
  seq: number;
  publishedAt: string;
  changed: number;
  removed: number;
  counts: Record<CatalogSection, number>;
}

async function nextSeq(): Promise<number> {
  const out = await ddb.send(
    new UpdateCommand({
      TableName: table(),
      Key: { pk: PK, sk: 'SEQ' },
      UpdateExpression: 'ADD #n :one',
      ExpressionAttributeNames: { '#n': 'n' },
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return out.Attributes!.n as number;
}

function headRow(section: CatalogSection, key: string, doc: string | undefined, entry: unknown, seq: number, old: Head | undefined, oldSeqLive: number) {
  const prevDoc = asOf(old, oldSeqLive);
  const row: Record<string, unknown> = { pk: headPk(section), sk: key, seq, hash: doc ? hashOf(doc) : 'GONE' };
  if (doc !== undefined) row.doc = doc;
  if (old) {
    row.prevSeq = old.seq <= oldSeqLive ? old.seq : (old.prevSeq ?? 0);
    if (prevDoc !== undefined) row.prevDoc = prevDoc;
  }
  const owner = entryOwner(section, entry);
  if (owner) row.owner = owner;
  if (section === 'items' && doc !== undefined) Object.assign(row, { ppk: `P#${owner}`, psk: key });
  return row;
}

/**
 * Publishes a new version: claims the version (immutable), writes the entries that changed (heads
 * and history), writes the snapshot, then moves the pointer. Entries of sections not published,
 * and of other owners when `owner` is set, are not written at all.
 */
export async function publishEntries(src: PublishSource, publishedBy: string): Promise<PublishResult> {
  return withPublishLock(src.claim ?? randomUUID(), () => publishLocked(src, publishedBy));
}

/** Runs `fn` holding the publish lock (CatalogBusyError when another publish holds it). */
async function withPublishLock<T>(holder: string, fn: () => Promise<T>): Promise<T> {
  const now = Date.now();
  try {
    await ddb.send(
      new PutCommand({
        TableName: table(),
        Item: { pk: PK, sk: 'LOCK', holder, until: now + LOCK_MS },
        ConditionExpression: 'attribute_not_exists(pk) OR #u < :now OR holder = :h',
        ExpressionAttributeNames: { '#u': 'until' },
        ExpressionAttributeValues: { ':now': now, ':h': holder },
      }),
    );
  } catch (err) {
    if (isConditionFailure(err)) throw new CatalogBusyError();
    throw err;
  }
  try {
    return await fn();
  } finally {
    await ddb
      .send(
        new DeleteCommand({
          TableName: table(),
          Key: { pk: PK, sk: 'LOCK' },
          ConditionExpression: 'holder = :h',
          ExpressionAttributeValues: { ':h': holder },
        }),
      )
      .catch((err) => {
        if (!isConditionFailure(err)) throw err;
      });
  }
}

/** Claims `V#{version}` (versions are immutable; the same claimant may resume its own unfinished publish). */
async function claimVersion(version: string, publishedAt: string, publishedBy: string, claim: string | undefined): Promise<void> {
  try {
    await ddb.send(
      new PutCommand({
        TableName: table(),
        Item: {
          pk: PK,
          sk: `V#${version}`,
          version,
          publishedAt,
          publishedBy,
          status: 'PUBLISHING',
          ...(claim ? { claim } : {}),
        },
        ConditionExpression: claim ? 'attribute_not_exists(pk) OR (#st = :publishing AND claim = :claim)' : 'attribute_not_exists(pk)',
        ...(claim ? { ExpressionAttributeNames: { '#st': 'status' }, ExpressionAttributeValues: { ':publishing': 'PUBLISHING', ':claim': claim } } : {}),
      }),
    );
  } catch (err) {
    if (isConditionFailure(err)) throw new VersionExistsError(version);
    throw err;
  }
}

/** Moves the pointer to the new version and marks the version published. */
async function movePointer(pointer: CatalogPointer, extra: { changed: number; removed: number }): Promise<void> {
  await ddb.send(new PutCommand({ TableName: table(), Item: { pk: PK, sk: 'CURRENT', ...pointer } }));
  await ddb.send(
    new PutCommand({
      TableName: table(),
      Item: {
        pk: PK,
        sk: `V#${pointer.version}`,
        version: pointer.version,
        publishedAt: pointer.publishedAt,
        publishedBy: pointer.publishedBy,
        status: 'PUBLISHED',
        seq: pointer.seq,
        items: pointer.items,
        providers: pointer.providers,
        ...extra,
      },
    }),
  );
  pointerCache = undefined;
  entryCache.clear();
}

async function publishLocked(src: PublishSource, publishedBy: string): Promise<PublishResult> {
  const publishedAt = new Date().toISOString();
  await claimVersion(src.version, publishedAt, publishedBy, src.claim);
  const before = await catalogPointer({ fresh: true });
  const liveSeq = before?.seq ?? 0;
  const seq = await nextSeq();
  const counts = { ...(before?.counts ?? Object.fromEntries(CATALOG_SECTIONS.map((s) => [s, 0]))) } as Record<CatalogSection, number>;
  let changed = 0;
  let removed = 0;
  /** The items counted as they are written (an owner's publish counts that owner's, then merges). */
  const counted: ItemTally = {};

  for (const section of src.sections) {
    const existing = await queryAll<Head>({
      TableName: table(),
      KeyConditionExpression: 'pk = :pk',
      ...(src.owner
        ? { FilterExpression: '#o = :o', ExpressionAttributeNames: { '#o': 'owner' }, ExpressionAttributeValues: { ':pk': headPk(section), ':o': src.owner } }
        : { ExpressionAttributeValues: { ':pk': headPk(section) } }),
    });
    const heads = new Map(existing.map((h) => [h.sk, h]));
    const seen = new Set<string>();
    let count = 0;
    const write = async (entries: readonly unknown[]) => {
      const rows: Array<{ table: 'catalog'; item: Record<string, unknown> }> = [];
      for (const entry of entries) {
        const key = entryKey(section, entry);
        seen.add(key);
        count++;
        if (section === 'items') countItem(counted, entry as InfoItem);
        const doc = JSON.stringify(entry);
        const old = heads.get(key);
        if (old && asOf(old, liveSeq) !== undefined && old.hash === hashOf(doc) && old.seq <= liveSeq) continue;
        rows.push({ table: 'catalog', item: headRow(section, key, doc, entry, seq, old, liveSeq) });
        rows.push({ table: 'catalog', item: { pk: `HIST#${section}#${key}`, sk: seqSk(seq), doc, version: src.version } });
        changed++;
      }
      await batchPut(rows, 'catalogPublish');
    };
    if (section === 'items' && src.items) {
      await src.items(write);
    } else {
      const entries = src.entries[section] ?? [];
      for (let i = 0; i < entries.length; i += WRITE_SLICE) await write(entries.slice(i, i + WRITE_SLICE));
    }
    // entries no longer in the document: a head without doc (and its history row)
    const gone: Array<{ table: 'catalog'; item: Record<string, unknown> }> = [];
    let goneLive = 0;
    for (const [key, old] of heads) {
      if (seen.has(key)) continue;
      const wasLive = asOf(old, liveSeq) !== undefined;
      if (!wasLive && old.seq <= liveSeq) continue; // already gone
      if (wasLive) goneLive++;
      gone.push({ table: 'catalog', item: headRow(section, key, undefined, old.doc ? JSON.parse(old.doc) : {}, seq, old, liveSeq) });
      gone.push({ table: 'catalog', item: { pk: `HIST#${section}#${key}`, sk: seqSk(seq), gone: true, version: src.version } });
    }
    await batchPut(gone, 'catalogPublish');
    removed += goneLive;
    // an owner's publish replaces that owner's entries only
    counts[section] = src.owner ? (counts[section] ?? 0) - existing.filter((h) => asOf(h, liveSeq) !== undefined).length + count : count;
  }

  // the item tally of the new version, before the pointer names it (core/catalog-tally)
  if (src.sections.includes('items') || liveSeq > 0) {
    let tally = counted;
    if (!src.sections.includes('items')) tally = await previousTally(liveSeq);
    else if (src.owner) tally = replaceProvider(await previousTally(liveSeq), src.owner, counted);
    await ddb.send(new PutCommand({ TableName: table(), Item: { pk: PK, sk: tallySk(seq), tally } }));
  }
  const snapshot = await src.snapshot();
  const pointer: CatalogPointer = {
    version: src.version,
    seq,
    publishedAt,
    publishedBy,
    items: counts.items,
    providers: counts.providers,
    counts,
    ...(snapshot ? { snapshotKey: snapshot.key, snapshotBytes: snapshot.bytes } : {}),
  };
  await movePointer(pointer, { changed, removed });
  return { version: src.version, seq, publishedAt, changed, removed, counts };
}

/** The tally of the version live at `seq` (counted from its items when it has no tally row). */
async function previousTally(seq: number): Promise<ItemTally> {
  const out = await ddb.send(new GetCommand({ TableName: table(), Key: { pk: PK, sk: tallySk(seq) }, ConsistentRead: true }));
  return (out.Item?.tally as ItemTally | undefined) ?? (await countItems(seq));
}

/**
 * Gives up `claim`'s unfinished publish of `version` (a failed import): the version row goes, so
 * the version may be published again; the heads it wrote carry a seq the pointer never named, which
 * readers skip and the next publish overwrites. False when the version is published or claimed by another.
 */
export async function releaseClaim(version: string, claim: string): Promise<boolean> {
  try {
    await ddb.send(
      new DeleteCommand({
        TableName: table(),
        Key: { pk: PK, sk: `V#${version}` },
        ConditionExpression: '#st = :publishing AND claim = :claim',
        ExpressionAttributeNames: { '#st': 'status' },
        ExpressionAttributeValues: { ':publishing': 'PUBLISHING', ':claim': claim },
      }),
    );
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}

/** Key of a version's gzipped whole document in the work bucket. */
export const snapshotKey = (version: string) => `catalog/snapshots/${encodeURIComponent(version)}.json.gz`;

export async function writeSnapshot(version: string, gzipped: Uint8Array): Promise<{ key: string; bytes: number }> {
  const key = snapshotKey(version);
  await s3.send(new PutObjectCommand({ Bucket: bucketName('work'), Key: key, Body: gzipped, ContentType: 'application/json', ContentEncoding: 'gzip' }));
  return { key, bytes: gzipped.length };
}

/** Publishes a whole document already in memory (PUT /v1/catalog, the seed). */
export async function publishCatalog(catalog: Catalog, publishedBy: string): Promise<PublishedCatalog> {
  const entries: Partial<Record<CatalogSection, readonly unknown[]>> = {};
  for (const s of CATALOG_SECTIONS) entries[s] = (catalog[s] as unknown[] | undefined) ?? [];
  const result = await publishEntries(
    {
      version: catalog.version,
      sections: CATALOG_SECTIONS,
      entries,
      snapshot: () => writeSnapshot(catalog.version, gzipSync(JSON.stringify(catalog))),
    },
    publishedBy,
  );
  return { catalog, version: catalog.version, publishedAt: result.publishedAt, publishedBy, index: indexCatalog(catalog) };
}

// ---------------------------------------------------------------------------------------------
// Publishing one unit's changes (its list, approved: issue 16 part 4)

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

/**
 * The published entries of one owner in a section (its list): items through the byProvider index,
 * the other sections (small: hundreds to a few thousand entries) by their heads.
 */
export async function ownerEntries(section: CatalogSection, owner: string): Promise<unknown[]> {
  const pointer = await catalogPointer({ fresh: true });
  if (!pointer) return [];
  const heads =
    section === 'items'
      ? await queryAll<Head>({
          TableName: table(),
          IndexName: 'byProvider',
          KeyConditionExpression: 'ppk = :p',
          ExpressionAttributeValues: { ':p': `P#${owner}` },
        })
      : await queryAll<Head>({
          TableName: table(),
          KeyConditionExpression: 'pk = :pk',
          FilterExpression: '#o = :o',
          ExpressionAttributeNames: { '#o': 'owner' },
          ExpressionAttributeValues: { ':pk': headPk(section), ':o': owner },
        });
  const out: unknown[] = [];
  for (const h of heads) {
    const doc = asOf(h, pointer.seq);
    if (doc !== undefined) out.push(JSON.parse(doc));
  }
  return out;
}

/** Published entries by key, read fresh (consistent): the review compares a draft with them. */
export async function publishedEntries(section: CatalogSection, keys: readonly string[]): Promise<Map<string, unknown>> {
  const pointer = await catalogPointer({ fresh: true });
  const found = new Map<string, unknown>();
  if (!pointer || keys.length === 0) return found;
  const rows = await batchGet(keys.map((sk) => ({ table: 'catalog' as const, pk: headPk(section), sk })));
  for (const key of keys) {
    const doc = asOf(rows.get(keyOf({ table: 'catalog', pk: headPk(section), sk: key })) as Head | undefined, pointer.seq);
    if (doc !== undefined) found.set(key, JSON.parse(doc));
  }
  return found;
}

/** The small sections of the published catalog (everything but items), read fresh. */
export async function publishedSmallSections(): Promise<Omit<Catalog, 'items'> | null> {
  const pointer = await catalogPointer({ fresh: true });
  return pointer ? smallSections(pointer) : null;
}
