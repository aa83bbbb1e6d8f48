/**
 * Publishing a catalog version (rows in catalog-repo.ts): under one lease (`CATALOG` / `LOCK`), the
 * version is claimed (immutable), the entries that changed are written (heads and history), the
 * item tally and the snapshot, then the pointer moves. A unit's own changes publish through
 * catalog-changes.ts with the same steps.
 */
import { createHash, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { countItem, replaceProvider, type ItemTally } from '#core/catalog-tally';
import { CATALOG_SECTIONS, entryKey, entryOwner, indexCatalog, type Catalog, type CatalogSection, type InfoItem } from '#core/catalog';
import { isConditionFailure } from './conditions.ts';
import { batchPut } from './batch-io.ts';
import { ddb } from './clients.ts';
import { queryAll } from './query-all.ts';
import {
  asOf,
  catalogPointer,
  countItems,
  forgetPointer,
  headPk,
  PK,
  table,
  tallySk,
  type CatalogPointer,
  type Head,
  type PublishedCatalog,
} from './catalog-read.ts';
import { writeSnapshot } from './catalog-snapshot.ts';

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

/**
 * Publishes take the `CATALOG` / `LOCK` row for this long: each one moves the pointer from the
 * version it read, so two at once would lose one's entries (the later pointer hides the other's
 * seq). A holder that died frees it when the lease ends; the same claim (an import resuming) may
 * take it back at once. The reference import publishes in ≈ 450 s.
 */
const LOCK_MS = 15 * 60_000;
/** Heads written at once while publishing (BatchWriteItem requests in flight are bounded in batch-io). */
const WRITE_SLICE = 500;
export const seqSk = (seq: number) => `S#${String(seq).padStart(10, '0')}`;
const hashOf = (doc: string) => createHash('sha256').update(doc).digest('base64url').slice(0, 22);

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

export async function nextSeq(): Promise<number> {
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

export function headRow(section: CatalogSection, key: string, doc: string | undefined, entry: unknown, seq: number, old: Head | undefined, oldSeqLive: number) {
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
export async function withPublishLock<T>(holder: string, fn: () => Promise<T>): Promise<T> {
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
export async function claimVersion(version: string, publishedAt: string, publishedBy: string, claim: string | undefined): Promise<void> {
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
export async function movePointer(pointer: CatalogPointer, extra: { changed: number; removed: number }): Promise<void> {
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
  forgetPointer();
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
export async function previousTally(seq: number): Promise<ItemTally> {
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
