/**
 * Listings of the published catalog (rows in catalog-repo.ts): items a page at a time, the versions,
 * one owner's entries (its list) and published entries by key read fresh (the lists' review).
 */
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { CatalogSection, InfoItem } from '#core/catalog';
import { batchGet, keyOf } from './batch-io.ts';
import { ddb } from './clients.ts';
import { queryAll } from './query-all.ts';
import { asOf, catalogPointer, headPk, PK, table, type Head } from './catalog-read.ts';

export interface CatalogVersion {
  version: string;
  publishedAt: string;
  publishedBy: string;
  items: number;
  providers: number;
}
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
