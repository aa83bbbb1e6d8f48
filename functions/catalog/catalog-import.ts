/**
 * SQS (catalog-imports) → a bulk catalog import (issue 16 part 3). The document PUT to the
 * imports bucket is read twice as a stream, never whole: the first pass checks it (every problem,
 * as PUT /v1/catalog reports them); a rejected document changes nothing. The second pass
 * publishes it entry by entry (adapters/catalog-repo), then the gzipped document becomes the
 * version's snapshot. A redelivered message resumes a publish its import began, or does nothing
 * once the import has ended. The same queue carries a unit list approval's request for the
 * snapshot of the version it published (adapters/catalog-snapshot).
 */
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { Upload } from '@aws-sdk/lib-storage';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { CATALOG_SECTIONS, type CatalogProblem, type CatalogSection } from '#core/catalog';
import { CatalogSyntaxError, checkCatalogStream, streamCatalog } from '#core/catalog-stream';
import { decodeEventKey } from '#core/upload-key';
import { endImport, getImport, noteVersion, startImport } from '#adapters/catalog-import-repo';
import { publishEntries, snapshotKey, VersionExistsError } from '#adapters/catalog-repo';
import { isSnapshotRequest, rebuildSnapshot } from '#adapters/catalog-snapshot';
import { s3 } from '#adapters/clients';
import { bucketName } from '#adapters/config';
import { lambdaHandler } from '#adapters/handler-stack';
import { headObject, readRange, streamObject } from '#adapters/object-store';
import { logger } from '#adapters/powertools';

const S3EventSchema = z.object({
  Records: z.array(
    z.object({
      eventName: z.string(),
      s3: z.object({ bucket: z.object({ name: z.string() }), object: z.object({ key: z.string(), eTag: z.string().optional() }) }),
    }),
  ),
});

/** Items handed to one publish write (each becomes a head and a history row). */
const SLICE = 500;

export async function runImport(bucket: string, key: string, etag: string): Promise<{ importId: string; status: string }> {
  const importId = key.slice('catalog/'.length);
  const imp = await getImport(importId);
  if (!imp || imp.key !== key) {
    logger.warn('catalog document without an import', { key });
    return { importId, status: 'UNKNOWN' };
  }
  if (!(await startImport(importId))) return { importId, status: imp.status };
  const read = () => streamObject(bucket, key, etag);

  let checked: Awaited<ReturnType<typeof checkCatalogStream>>;
  try {
    checked = await checkCatalogStream(read());
  } catch (err) {
    if (!(err instanceof CatalogSyntaxError)) throw err;
    await endImport(importId, { status: 'REJECTED', problems: [{ path: '', code: 'INVALID_JSON', message: err.message }] });
    return { importId, status: 'REJECTED' };
  }
  const counts = { items: checked.items, providers: checked.providers, ...(typeof checked.version === 'string' ? { version: checked.version } : {}) };
  if (checked.problems.length > 0) {
    await endImport(importId, { status: 'REJECTED', problems: checked.problems, ...counts });
    return { importId, status: 'REJECTED' };
  }

  const version = checked.version as string;
  await noteVersion(importId, version);
  const entries: Partial<Record<CatalogSection, readonly unknown[]>> = {};
  for (const s of CATALOG_SECTIONS) if (s !== 'items') entries[s] = (checked.rest[s] as unknown[] | undefined) ?? [];
  try {
    await publishEntries(
      {
        version,
        sections: CATALOG_SECTIONS,
        entries,
        claim: importId,
        items: async (write) => {
          let slice: unknown[] = [];
          await streamCatalog(read(), {
            item: (_i, v) => {
              slice.push(v);
              if (slice.length < SLICE) return;
              const full = slice;
              slice = [];
              return write(full);
            },
            property: () => undefined,
          });
          await write(slice);
        },
        snapshot: () => writeSnapshotFrom(bucket, key, etag, version),
      },
      imp.createdBy,
    );
  } catch (err) {
    if (!(err instanceof VersionExistsError)) throw err;
    const problem: CatalogProblem = { path: 'version', code: 'VERSION_EXISTS', message: err.message };
    await endImport(importId, { status: 'REJECTED', problems: [problem], ...counts });
    return { importId, status: 'REJECTED' };
  }
  await endImport(importId, { status: 'PUBLISHED', ...counts });
  return { importId, status: 'PUBLISHED' };
}

/** The uploaded document, gzipped (as uploaded when it already is), as the version's snapshot. */
async function writeSnapshotFrom(bucket: string, key: string, etag: string, version: string): Promise<{ key: string; bytes: number }> {
  const head = await readRange(bucket, key, 0, 2, etag);
  const gzipped = head[0] === 0x1f && head[1] === 0x8b;
  const source = Readable.from(streamObject(bucket, key, etag));
  const body = gzipped ? source : source.pipe(createGzip());
  const target = snapshotKey(version);
  await new Upload({
    client: s3,
    params: { Bucket: bucketName('work'), Key: target, Body: body, ContentType: 'application/json', ContentEncoding: 'gzip' },
  }).done();
  return { key: target, bytes: (await headObject(bucketName('work'), target))?.size ?? 0 };
}

const processor = new BatchProcessor(EventType.SQS);

async function recordHandler(record: SQSRecord): Promise<void> {
  const body = JSON.parse(record.body) as { Event?: string };
  if (body.Event === 's3:TestEvent') return;
  if (isSnapshotRequest(body)) {
    logger.info('catalog snapshot', { requestedFor: body.version, ...(await rebuildSnapshot()) });
    return;
  }
  for (const r of S3EventSchema.parse(body).Records) {
    if (!r.eventName.startsWith('ObjectCreated')) continue;
    const result = await runImport(r.s3.bucket.name, decodeEventKey(r.s3.object.key), (r.s3.object.eTag ?? '').replace(/"/g, ''));
    logger.info('catalog import', result);
  }
}

export const handler = lambdaHandler(async (event: SQSEvent, context: Context) => processPartialResponse(event, recordHandler, processor, { context }));
