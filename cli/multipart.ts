/**
 * Uploads a file straight to storage through the presigned URLs the API hands out: one PUT up to
 * 8 MiB, a multipart upload in 8 MiB parts above, several parts at a time, each streamed from disk
 * when it is sent and retried (3 attempts, exponential backoff) when it fails.
 */
import { createReadStream } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import pMap from 'p-map';
import type { UploadStartedResponse } from '../functions/api-types.ts';
import { CliError } from './errors.ts';
import { formatBytes, oneLine } from './format.ts';
import { describeNetworkError, type ApiClient } from './http.ts';
import { makeBar, sleep, type Ui } from './ui.ts';

const MiB = 1024 * 1024;
/** Files up to this size go in one PUT; larger ones as a multipart upload. */
export const SINGLE_PUT_LIMIT = 8 * MiB;
export const PART_SIZE = 8 * MiB;
const MAX_PARTS = 10_000;
const PART_ATTEMPTS = 3;
const PART_TIMEOUT_MS = 120_000;

type SingleUpload = Extract<UploadStartedResponse, { uploadUrl: string }>;
type MultipartUpload = Extract<UploadStartedResponse, { uploadId: string }>;

interface PutResult {
  status: number;
  etag: string | undefined;
  body: string;
}

/**
 * PUTs `length` bytes of `file` from `start` to a presigned URL, streaming from disk. `onBytes`
 * reports bytes as they are handed to the socket.
 */
function putRange(url: string, file: string, start: number, length: number, agents: Agents, onBytes: (n: number) => void): Promise<PutResult> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const https = target.protocol === 'https:';
    let source: ReturnType<typeof createReadStream> | undefined;
    const req = (https ? httpsRequest : httpRequest)(
      target,
      { method: 'PUT', headers: { 'content-length': String(length), 'content-type': 'application/octet-stream' }, agent: https ? agents.https : agents.http },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          source?.destroy();
          const etag = res.headers.etag;
          resolve({ status: res.statusCode ?? 0, etag: Array.isArray(etag) ? etag[0] : etag, body: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    req.on('error', (err) => {
      source?.destroy();
      reject(err);
    });
    req.setTimeout(PART_TIMEOUT_MS, () => req.destroy(new Error(`no progress for ${PART_TIMEOUT_MS / 1000} s`)));
    if (length === 0) {
      req.end();
      return;
    }
    source = createReadStream(file, { start, end: start + length - 1, highWaterMark: 256 * 1024 });
    let read = 0;
    source.on('data', (chunk) => {
      read += chunk.length;
      onBytes(chunk.length);
    });
    // a file that shrank while it was being sent would leave the request waiting for bytes forever
    source.on('end', () => {
      if (read !== length)
        req.destroy(new CliError(`${file} changed while it was being uploaded (${read} of ${length} bytes at offset ${start} could be read)`));
    });
    source.on('error', (err) => req.destroy(err));
    source.pipe(req);
  });
}

interface Agents {
  http: HttpAgent;
  https: HttpsAgent;
}

/** S3's error document: <Error><Code>..</Code><Message>..</Message></Error>. */
function s3Error(body: string): string {
  const code = /<Code>([^<]*)<\/Code>/.exec(body)?.[1];
  const message = /<Message>([^<]*)<\/Message>/.exec(body)?.[1];
  if (code || message) return [code, message].filter(Boolean).join(': ');
  return oneLine(body).slice(0, 200);
}

const retryable = (status: number) => status === 408 || status === 429 || status >= 500;

/** One PUT with up to PART_ATTEMPTS attempts; progress of a failed attempt is taken back. */
async function putWithRetries(
  what: string,
  url: string,
  file: string,
  start: number,
  length: number,
  agents: Agents,
  progress: (delta: number) => void,
  log: (msg: string) => void,
): Promise<string | undefined> {
  let lastProblem = '';
  for (let attempt = 1; attempt <= PART_ATTEMPTS; attempt++) {
    let sent = 0;
    let retry = true;
    try {
      const r = await putRange(url, file, start, length, agents, (n) => {
        sent += n;
        progress(n);
      });
      if (r.status >= 200 && r.status < 300) return r.etag;
      lastProblem = `HTTP ${r.status} ${s3Error(r.body)}`;
      retry = retryable(r.status);
    } catch (err) {
      if (err instanceof CliError) throw err;
      const e = err as NodeJS.ErrnoException;
      if (e.code === 'ENOENT' || e.code === 'EACCES' || e.code === 'EISDIR') throw new CliError(`${what}: cannot read ${file}: ${e.message}`);
      lastProblem = describeNetworkError(err);
    }
    progress(-sent);
    if (!retry || attempt === PART_ATTEMPTS) break;
    const delay = 500 * 2 ** (attempt - 1) + Math.floor(Math.random() * 250);
    log(`${what} failed (attempt ${attempt} of ${PART_ATTEMPTS}: ${lastProblem}); retrying in ${(delay / 1000).toFixed(1)} s`);
    await sleep(delay);
  }
  throw new CliError(`${what} failed: ${lastProblem}`);
}

export function planParts(size: number): { parts: number; partSize: number } {
  if (size <= SINGLE_PUT_LIMIT) return { parts: 1, partSize: size };
  // stay within S3's 10 000 parts: grow the part size (in whole MiB) for very large files
  const partSize = Math.max(PART_SIZE, Math.ceil(size / MAX_PARTS / MiB) * MiB);
  return { parts: Math.ceil(size / partSize), partSize };
}

export async function uploadFile(
  api: ApiClient,
  file: string,
  item: string,
  fileName: string,
  size: number,
  concurrency: number,
  ui: Ui,
): Promise<{ batchId: string }> {
  const { parts, partSize } = planParts(size);
  const started =
    parts > 1
      ? await api.json<MultipartUpload>('POST', '/v1/uploads', { item, fileName, parts }, 'starting the upload')
      : await api.json<SingleUpload>('POST', '/v1/uploads', { item, fileName }, 'starting the upload');
  ui.log(`batch ${started.batchId}: uploading ${fileName} (${formatBytes(size)}${parts > 1 ? `, ${parts} parts of ${formatBytes(partSize)}` : ''})`);

  const bar = makeBar(ui, 'upload   {bar} {percentage}% | {sent}/{size} | {rate} | ETA {eta_formatted}');
  const t0 = Date.now();
  let sent = 0;
  const payload = () => {
    const seconds = (Date.now() - t0) / 1000;
    return { sent: formatBytes(sent), size: formatBytes(size), rate: seconds > 0 ? `${formatBytes(Math.round(sent / seconds))}/s` : '–' };
  };
  bar?.start(Math.max(size, 1), 0, payload());
  const progress = (delta: number) => {
    sent += delta;
    bar?.update(sent, payload());
  };
  // a retry notice must not be overwritten by the bar
  const log = (msg: string) => {
    if (bar) bar.stop();
    ui.log(msg);
    if (bar) bar.start(Math.max(size, 1), sent, payload());
  };
  const agents: Agents = {
    http: new HttpAgent({ keepAlive: true, maxSockets: concurrency }),
    https: new HttpsAgent({ keepAlive: true, maxSockets: concurrency }),
  };
  try {
    if (parts === 1) {
      const single = started as SingleUpload;
      await putWithRetries('upload', single.uploadUrl, file, 0, size, agents, progress, log);
    } else {
      const multi = started as MultipartUpload;
      if (!Array.isArray(multi.partUrls) || multi.partUrls.length !== parts) {
        throw new CliError(`the API handed out ${multi.partUrls?.length ?? 0} part URLs for ${parts} parts`);
      }
      const etags = await pMap(
        multi.partUrls,
        async (url, i) => {
          const start = i * partSize;
          const length = Math.min(partSize, size - start);
          const etag = await putWithRetries(`part ${i + 1} of ${parts}`, url, file, start, length, agents, progress, log);
          if (!etag) throw new CliError(`part ${i + 1} of ${parts}: the storage answered without an ETag header`);
          return { partNumber: i + 1, etag };
        },
        { concurrency },
      );
      await api.json('POST', multi.completeUrl, { uploadId: multi.uploadId, parts: etags }, 'completing the multipart upload');
    }
  } finally {
    bar?.update(sent, payload());
    bar?.stop();
    agents.http.destroy();
    agents.https.destroy();
  }
  const seconds = (Date.now() - t0) / 1000;
  ui.log(`batch ${started.batchId}: uploaded ${formatBytes(size)} in ${seconds.toFixed(1)} s (${formatBytes(Math.round(size / Math.max(seconds, 0.001)))}/s)`);
  return { batchId: started.batchId };
}
