/** Test helpers: a local platform per test file, and HTTP calls against it as a client makes them. */
import { readFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { inject } from 'vitest';
import type { Catalog } from '#core/catalog';
import { objectBatchId } from '#core/upload-key';
import { startPlatform, type Platform, type PlatformOptions } from '#local/runtime';
import { waitForBatch } from '#local/seed-wait';
import { responseProblem } from './response-check.ts';

export const demoCatalog = (): Catalog => JSON.parse(readFileSync(new URL('../../local/seed/demo-catalog.json', import.meta.url), 'utf8')) as Catalog;

export interface TestPlatform extends Platform {
  /** headers: extra request headers (e.g. accept-language). */
  api(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; json: any; text: string }>;
  as(role: 'admin' | 'provider' | 'gov' | 'market' | 'subject', unit?: string): Promise<string>;
  /** Uploads through POST /v1/uploads and the presigned PUT; returns the batch id. */
  upload(provider: string, item: string, fileName: string, body: Buffer | string): Promise<string>;
  /** Uploads straight into the bucket (a provider with its own credentials); returns the batch id. */
  putObject(key: string, body: Buffer | string | Readable): Promise<string>;
  receipt(batchId: string, timeoutMs?: number): Promise<any>;
}

let platforms = 0;

/**
 * The DynamoDB Local of this Vitest worker (test/support/shared-dynamo.ts), with a table prefix of
 * this platform's own; undefined when the platform keeps its data on disk, runs outside Vitest or the
 * run has no global setup, and then it starts an emulator of its own.
 */
async function sharedDynamo(opts: PlatformOptions): Promise<PlatformOptions['sharedDynamo']> {
  if (opts.dataDir && opts.dataDir !== ':memory:') return undefined;
  // benchmarks and scripts (bench/, scripts/reliability.ts) start platforms outside Vitest, where inject() throws
  const url = process.env.VITEST ? inject('sharedDynamoUrl') : undefined;
  if (!url) return undefined;
  const res = await fetch(`${url}/${process.env.VITEST_POOL_ID ?? '0'}`);
  const body = await res.text();
  if (!res.ok) throw new Error(`the worker's DynamoDB Local did not start: ${body}`);
  // process ids are unique among the files running at once (forks), the counter among one file's platforms
  return { endpoint: body, tablePrefix: `t${process.pid}-${++platforms}-` };
}

export async function startTestPlatform(opts: PlatformOptions = {}): Promise<TestPlatform> {
  // upload() and putObject() scan for the new object at once; the interval only serves presigned PUTs a test
  // sends itself. It is the runtime's (npm start's) 250 ms: at 100 ms the listing cost an idle platform
  // 1.45 CPU-s every 30 s, more than its pollers (docs/testing.md)
  const p = await startPlatform({ port: 0, dataDir: null, notifyEveryMs: 250, sharedDynamo: await sharedDynamo(opts), ...opts });
  const s3 = new S3Client({
    region: 'cn-north-1',
    endpoint: p.emulators.awsEndpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const api: TestPlatform['api'] = async (method, path, o = {}) => {
    const res = await fetch(`${p.url}${path}`, {
      method,
      headers: { ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), 'content-type': 'application/json', ...o.headers },
      body: o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    // every 2xx JSON answer must match the response schema docs/openapi.json publishes for its route
    const problem = responseProblem(method, path, res.status, json);
    if (problem) throw new Error(problem);
    return { status: res.status, json, text };
  };
  const as: TestPlatform['as'] = (role, unit) => p.token({ role, unit });
  const stop = p.stop;
  return Object.assign(p, {
    api,
    as,
    async upload(provider: string, item: string, fileName: string, body: Buffer | string) {
      const token = await as('provider', provider);
      const started = await api('POST', '/v1/uploads', { token, body: { item, fileName } });
      if (started.status !== 201) throw new Error(`upload refused: ${started.text}`);
      // no content-type, as `curl -T` sends it: S3 (and the local S3) stores any body, an empty one too
      const put = await fetch(started.json.uploadUrl, { method: 'PUT', body });
      if (!put.ok) throw new Error(`PUT failed: ${put.status}`);
      await p.notifyUploads();
      return started.json.batchId as string;
    },
    async putObject(key: string, body: Buffer | string | Readable) {
      // multipart above 5 MiB: the local S3, like a real client should, takes big files in parts
      const bucket = p.emulators.buckets.uploads;
      const out = await new Upload({ client: s3, params: { Bucket: bucket, Key: key, Body: body }, partSize: 5 * 1024 * 1024 }).done();
      await p.notifyUploads();
      return objectBatchId(bucket, key, (out.ETag ?? '').replace(/"/g, ''));
    },
    async receipt(batchId: string, timeoutMs = 60_000) {
      return waitForBatch(p, await as('admin'), batchId, timeoutMs);
    },
    stop: async () => {
      s3.destroy();
      await stop();
    },
  }) as TestPlatform;
}

export async function publishDemoCatalog(p: TestPlatform): Promise<Catalog> {
  const catalog = demoCatalog();
  const res = await p.api('PUT', '/v1/catalog', { token: await p.as('admin'), body: catalog });
  if (res.status !== 201) throw new Error(`catalog refused: ${res.text}`);
  return catalog;
}
