/**
 * The published catalog, versioned. Each version is stored gzip-compressed (a full municipal
 * catalog runs to megabytes of JSON; compressed it stays far below DynamoDB's 400 KB item
 * limit); CURRENT points at the published one. Readers cache it briefly per container.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from './conditions.ts';
import { indexCatalog, type Catalog } from '#core/catalog';
import { ddb } from './clients.ts';
import { queryAll } from './query-all.ts';
import { tableName } from './config.ts';

export interface PublishedCatalog {
  catalog: Catalog;
  version: string;
  publishedAt: string;
  publishedBy: string;
  index: ReturnType<typeof indexCatalog>;
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

const PK = 'CATALOG';
const CACHE_MS = 5_000;
let cached: { at: number; value: PublishedCatalog | null } | undefined;

export async function currentCatalog(opts: { fresh?: boolean } = {}): Promise<PublishedCatalog | null> {
  if (!opts.fresh && cached && Date.now() - cached.at < CACHE_MS) return cached.value;
  const out = await ddb.send(new GetCommand({ TableName: tableName('catalog'), Key: { pk: PK, sk: 'CURRENT' }, ConsistentRead: true }));
  const value = out.Item ? fromItem(out.Item) : null;
  cached = { at: Date.now(), value };
  return value;
}

export async function publishCatalog(catalog: Catalog, publishedBy: string): Promise<PublishedCatalog> {
  const publishedAt = new Date().toISOString();
  const item = {
    version: catalog.version,
    publishedAt,
    publishedBy,
    items: catalog.items.length,
    providers: catalog.providers.length,
    doc: gzipSync(JSON.stringify(catalog)),
  };
  try {
    await ddb.send(
      new PutCommand({
        TableName: tableName('catalog'),
        Item: { pk: PK, sk: `V#${catalog.version}`, ...item },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (err) {
    if (isConditionFailure(err)) throw new VersionExistsError(catalog.version);
    throw err;
  }
  await ddb.send(new PutCommand({ TableName: tableName('catalog'), Item: { pk: PK, sk: 'CURRENT', ...item } }));
  cached = undefined;
  return { catalog, version: catalog.version, publishedAt, publishedBy, index: indexCatalog(catalog) };
}

export async function catalogVersions(): Promise<CatalogVersion[]> {
  const versions = await queryAll<CatalogVersion>({
    TableName: tableName('catalog'),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
    ExpressionAttributeValues: { ':pk': PK, ':v': 'V#' },
    ProjectionExpression: 'version, publishedAt, publishedBy, #items, providers',
    ExpressionAttributeNames: { '#items': 'items' },
  });
  return versions.sort((a, b) => b.publishedAt.localeCompare(a.publishedAt));
}

function fromItem(item: Record<string, unknown>): PublishedCatalog {
  const catalog = JSON.parse(gunzipSync(item.doc as Uint8Array).toString('utf8')) as Catalog;
  return {
    catalog,
    version: item.version as string,
    publishedAt: item.publishedAt as string,
    publishedBy: item.publishedBy as string,
    index: indexCatalog(catalog),
  };
}
