/** S3 access: streamed and ranged reads of uploads, small artifact writes, listing by prefix. */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type GetObjectCommandOutput,
} from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { s3 } from './clients.ts';

export interface ObjectInfo {
  size: number;
  etag: string;
}

export async function headObject(bucket: string, key: string): Promise<ObjectInfo | null> {
  try {
    const out = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return { size: out.ContentLength ?? 0, etag: out.ETag ?? '' };
  } catch (err) {
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404 || (err as Error).name === 'NotFound' || (err as Error).name === 'NoSuchKey') return null;
    throw err;
  }
}

/**
 * Deletes an uploaded file once its batch is done, if the key still holds that very upload (same
 * ETag): a file uploaded again under the same key meanwhile is a new batch and stays. False when
 * there was nothing of this upload left to delete. (In the versioned uploads bucket this leaves a
 * delete marker; the lifecycle purges the hidden version within a day — lib/storage-construct.ts.)
 */
export async function discardUpload(bucket: string, key: string, etag: string): Promise<boolean> {
  const head = await headObject(bucket, key);
  if (!head || head.etag.replace(/"/g, '') !== etag.replace(/"/g, '')) return false;
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  return true;
}

/** Reads of a range that came back short (a body cut off mid-transfer) before the read fails. */
const RANGE_READ_ATTEMPTS = 3;

/**
 * Bytes [start, end) of an object, pinned to the version the batch was planned on (If-Match). A
 * body that arrives short is read again (the SDK retries failed requests, not truncated bodies);
 * after RANGE_READ_ATTEMPTS short reads it throws, so a chunk is never processed from part of its bytes.
 */
export async function readRange(bucket: string, key: string, start: number, end: number, etag?: string): Promise<Buffer> {
  if (end <= start) return Buffer.alloc(0);
  for (let attempt = 1; ; attempt++) {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${start}-${end - 1}`, IfMatch: quoted(etag) }));
    const bytes = Buffer.from(await out.Body!.transformToByteArray());
    if (bytes.length === end - start) return bytes;
    if (attempt >= RANGE_READ_ATTEMPTS) {
      throw new Error(`short read of s3://${bucket}/${key} bytes ${start}-${end - 1}: got ${bytes.length} bytes (${attempt} attempts)`);
    }
  }
}

/** The whole object as a stream of buffers: never held in memory at once. */
export async function* streamObject(bucket: string, key: string, etag?: string): AsyncGenerator<Uint8Array> {
  const out: GetObjectCommandOutput = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, IfMatch: quoted(etag) }));
  for await (const chunk of out.Body as Readable) yield chunk as Uint8Array;
}

export async function putText(bucket: string, key: string, body: string, contentType: string): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
}

export async function getText(bucket: string, key: string): Promise<string> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return out.Body!.transformToString('utf-8');
}

export async function listKeys(bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of out.Contents ?? []) if (o.Key) keys.push(o.Key);
    token = out.IsTruncated ? out.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

/** ETags travel unquoted in S3 events; If-Match wants the quoted entity tag. */
function quoted(etag: string | undefined): string | undefined {
  return etag ? `"${etag.replace(/"/g, '')}"` : undefined;
}
