/**
 * The gzipped whole document of the published version, the snapshot GET /v1/catalog presigns for a
 * large catalog. PUT /v1/catalog and an import write it as they publish; a unit's approved list
 * publishes its changes only (publishChanges), so the approval asks for it on the catalog-imports
 * queue and the import worker rebuilds it (`rebuildSnapshot`): the heads of every section are read
 * page by page into one gzip stream uploaded in parts, so the job holds a page at a time and costs
 * the catalog's size once per publish, never per request. A duplicate or late request finds the
 * pointer's snapshot current, or the pointer moved on, and writes nothing to it.
 */
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { CATALOG_SECTIONS } from '#core/catalog';
import { isConditionFailure } from './conditions.ts';
import { ddb, s3 } from './clients.ts';
import { bucketName, queueUrl, tableName } from './config.ts';
import { headObject } from './object-store.ts';
import { sendAll } from './queue.ts';
import { asOf, catalogPointer, forgetPointer, headPk, type CatalogPointer, type Head } from './catalog-read.ts';

/** Key of a version's gzipped whole document in the work bucket. */
export const snapshotKey = (version: string) => `catalog/snapshots/${encodeURIComponent(version)}.json.gz`;

export async function writeSnapshot(version: string, gzipped: Uint8Array): Promise<{ key: string; bytes: number }> {
  const key = snapshotKey(version);
  await s3.send(new PutObjectCommand({ Bucket: bucketName('work'), Key: key, Body: gzipped, ContentType: 'application/json', ContentEncoding: 'gzip' }));
  return { key, bytes: gzipped.length };
}

/** The message on the catalog-imports queue that asks for the current version's snapshot. */
export interface SnapshotRequest {
  kind: 'catalogSnapshot';
  /** The version published without one (for the log: the job rebuilds whatever version is current). */
  version: string;
}

export const isSnapshotRequest = (body: unknown): body is SnapshotRequest =>
  typeof body === 'object' && body !== null && (body as { kind?: unknown }).kind === 'catalogSnapshot';

export async function requestSnapshot(version: string): Promise<void> {
  await sendAll<SnapshotRequest>(queueUrl('catalogImports'), [{ kind: 'catalogSnapshot', version }]);
}

export type SnapshotOutcome =
  | { status: 'WRITTEN'; version: string; bytes: number }
  | { status: 'CURRENT' | 'MOVED'; version: string }
  | { status: 'NO_CATALOG' };

/** Writes the current version's snapshot unless the pointer already names one of that version. */
export async function rebuildSnapshot(): Promise<SnapshotOutcome> {
  const pointer = await catalogPointer({ fresh: true });
  if (!pointer) return { status: 'NO_CATALOG' };
  const key = snapshotKey(pointer.version);
  if (pointer.snapshotKey === key) return { status: 'CURRENT', version: pointer.version };
  await new Upload({
    client: s3,
    params: {
      Bucket: bucketName('work'),
      Key: key,
      Body: Readable.from(documentChunks(pointer)).pipe(createGzip()),
      ContentType: 'application/json',
      ContentEncoding: 'gzip',
    },
  }).done();
  const bytes = (await headObject(bucketName('work'), key))?.size ?? 0;
  try {
    // only while the pointer still names the version written: a later publish brings its own
    await ddb.send(
      new UpdateCommand({
        TableName: tableName('catalog'),
        Key: { pk: 'CATALOG', sk: 'CURRENT' },
        UpdateExpression: 'SET snapshotKey = :k, snapshotBytes = :b',
        ConditionExpression: 'seq = :seq',
        ExpressionAttributeValues: { ':k': key, ':b': bytes, ':seq': pointer.seq },
      }),
    );
  } catch (err) {
    if (isConditionFailure(err)) return { status: 'MOVED', version: pointer.version };
    throw err;
  }
  forgetPointer();
  return { status: 'WRITTEN', version: pointer.version, bytes };
}

/**
 * The document of the version `pointer` names (the shape of PUT /v1/catalog, as GET /v1/catalog
 * answers it inline), one page of heads per chunk: entries in key order, providers and items
 * always present, another section only when it has entries.
 */
async function* documentChunks(pointer: CatalogPointer): AsyncGenerator<string> {
  yield `{"version":${JSON.stringify(pointer.version)}`;
  for (const section of CATALOG_SECTIONS) {
    let entries = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await ddb.send(
        new QueryCommand({
          TableName: tableName('catalog'),
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': headPk(section) },
          ExclusiveStartKey: start,
        }),
      );
      const docs: string[] = [];
      for (const h of (page.Items ?? []) as Head[]) {
        const doc = asOf(h, pointer.seq);
        if (doc !== undefined) docs.push(doc);
      }
      if (docs.length > 0) yield `${entries === 0 ? `,${JSON.stringify(section)}:[` : ','}${docs.join(',')}`;
      entries += docs.length;
      start = page.LastEvaluatedKey;
    } while (start);
    if (entries > 0) yield ']';
    else if (section === 'providers' || section === 'items') yield `,${JSON.stringify(section)}:[]`;
  }
  yield '}';
}
