/**
 * `credit`: the provider command line (信息提供单位客户端).
 *
 *   credit upload FILE --item CODE [--no-wait] [--timeout SECONDS] [--json]
 *   credit batch ID [--wait] [--json]
 *   credit rejections ID [--out FILE]
 *   credit verify-log [--day YYYY-MM-DD] [--json]   (admins: the query log's hash chain, bin/verify-log.ts)
 *
 * Every command takes --api URL (env CREDIT_API, default http://127.0.0.1:3000) and --token TOKEN
 * (env CREDIT_TOKEN); against the local platform, --unit UNIT fetches a provider token from
 * POST /local/token instead.
 *
 * Uploads stream the file: a file up to 8 MiB goes in one presigned PUT, a larger one as a
 * multipart upload in 8 MiB parts, 4 at a time, each part read from disk when it is sent and
 * retried (3 attempts, exponential backoff) when it fails. Progress goes to stderr, results to
 * stdout (`--json`: the receipt exactly as the API returns it).
 *
 * Exit codes: 0 the batch COMPLETED (or was uploaded, with --no-wait); 1 the batch FAILED;
 * 2 usage, file or HTTP error (the API's error code and message are printed);
 * 3 the batch was still in progress when --timeout ran out.
 */
import { createReadStream, createWriteStream, realpathSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import cliProgress from 'cli-progress';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import pMap from 'p-map';
import { registerVerifyLog } from './verify-log.ts';

const MiB = 1024 * 1024;
/** Files up to this size go in one PUT; larger ones as a multipart upload. */
export const SINGLE_PUT_LIMIT = 8 * MiB;
export const PART_SIZE = 8 * MiB;
const MAX_PARTS = 10_000;
const PART_ATTEMPTS = 3;
const PART_TIMEOUT_MS = 120_000;
const DEFAULT_API = 'http://127.0.0.1:3000';

export const EXIT = { ok: 0, failed: 1, error: 2, timeout: 3 } as const;

type Status = 'RECEIVED' | 'PROCESSING' | 'COMPLETED' | 'FAILED';

export interface Receipt {
  batchId: string;
  provider: string;
  item: string;
  fileName: string;
  status: Status;
  reason: string | null;
  receivedAt: string;
  completedAt: string | null;
  rows: number;
  accepted: number;
  rejected: number;
  linked: number;
  unlinked: number;
  errors: Array<{ row: number; field?: string; code: string; message: string }>;
  [more: string]: unknown;
}

interface SingleUpload {
  batchId: string;
  key: string;
  uploadUrl: string;
}

interface MultipartUpload {
  batchId: string;
  key: string;
  uploadId: string;
  partUrls: string[];
  completeUrl: string;
}

/** Something the user must fix or know: printed as is, exit code 2. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.error,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** An HTTP error answer of the API, with its `{"error": {code, message, details}}` body. */
export class ApiError extends CliError {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly apiMessage: string,
    readonly details: unknown[] = [],
    what = '',
  ) {
    super(`${what ? `${what}: ` : ''}HTTP ${status} ${code}: ${apiMessage}${formatDetails(details)}`);
    this.name = 'ApiError';
  }
}

function formatDetails(details: unknown[]): string {
  if (!Array.isArray(details) || details.length === 0) return '';
  const lines = details.slice(0, 20).map((d) => {
    if (d && typeof d === 'object') {
      const o = d as Record<string, unknown>;
      const where = o.path ?? o.field ?? o.row;
      const text = o.message ?? o.code;
      if (text !== undefined) return `  - ${where !== undefined ? `${Array.isArray(where) ? where.join('.') : String(where)}: ` : ''}${String(text)}`;
    }
    return `  - ${typeof d === 'string' ? d : JSON.stringify(d)}`;
  });
  if (details.length > 20) lines.push(`  … and ${details.length - 20} more`);
  return `\n${lines.join('\n')}`;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// Formatting

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}

/** Terminal columns a string takes: CJK and full-width characters count two. */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const wide =
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) ||
      (c >= 0x20000 && c <= 0x3fffd);
    w += wide ? 2 : 1;
  }
  return w;
}

const pad = (s: string, width: number) => s + ' '.repeat(Math.max(0, width - displayWidth(s)));

/** A plain text table; the last column is not padded. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** One line, so a message with line breaks or control characters cannot break the table. */
const oneLine = (s: unknown) => String(s ?? '').replace(/[\u0000-\u001f\u007f]+/g, ' ');

export function formatReceipt(r: Receipt, maxErrors: number): string {
  const fields: Array<[string, string]> = [
    ['batch', r.batchId],
    ['provider', r.provider],
    ['item', r.item],
    ['file', r.fileName],
    ['status', r.status],
  ];
  if (r.reason) fields.push(['reason', oneLine(r.reason)]);
  fields.push(['received', r.receivedAt ?? '']);
  if (r.completedAt) fields.push(['completed', r.completedAt]);
  fields.push(
    ['rows', String(r.rows)],
    ['accepted', String(r.accepted)],
    ['rejected', String(r.rejected)],
    ['linked', String(r.linked)],
    ['unlinked', String(r.unlinked)],
  );
  const out = fields.map(([k, v]) => `${pad(k, 10)} ${v}`);
  const errors = r.errors ?? [];
  if (errors.length > 0 && maxErrors > 0) {
    const shown = errors.slice(0, maxErrors);
    out.push('', `errors (first ${shown.length} of ${errors.length} in the receipt):`);
    out.push(
      table(
        ['ROW', 'FIELD', 'CODE', 'MESSAGE'],
        shown.map((e) => [String(e.row), oneLine(e.field ?? ''), oneLine(e.code), oneLine(e.message)]),
      )
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n'),
    );
  }
  if (r.rejected > 0) out.push('', `all rejected rows: credit rejections ${r.batchId} --out ${r.batchId}-rejections.csv`);
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// HTTP

function describeNetworkError(err: unknown): string {
  const e = err as Error & { cause?: Error & { code?: string }; code?: string };
  const cause = e.cause ?? e;
  return cause.code ? `${cause.code}${cause.message && !cause.message.includes(cause.code) ? ` (${cause.message})` : ''}` : (cause.message ?? String(err));
}

async function apiErrorOf(res: Response, what: string): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string; details?: unknown[] }; message?: string };
    if (body.error && typeof body.error === 'object') {
      return new ApiError(res.status, body.error.code ?? 'ERROR', body.error.message ?? res.statusText, body.error.details ?? [], what);
    }
    // API Gateway's own answers (JWT authorizer, throttling) are {"message": "..."}
    if (typeof body.message === 'string') {
      const hint = res.status === 401 ? ' (the token is missing, expired or not issued for this API)' : '';
      return new ApiError(res.status, res.status === 401 ? 'UNAUTHORIZED' : 'HTTP_ERROR', body.message + hint, [], what);
    }
  } catch {
    // not JSON: fall through
  }
  return new ApiError(res.status, 'HTTP_ERROR', oneLine(text).slice(0, 300) || res.statusText, [], what);
}

export class ApiClient {
  readonly base: string;

  constructor(
    base: string,
    private token?: string,
  ) {
    this.base = base.replace(/\/+$/, '');
  }

  setToken(token: string) {
    this.token = token;
  }

  /** An API path ('/v1/...') or an absolute URL the API handed out. */
  url(pathOrUrl: string): string {
    return /^https?:\/\//i.test(pathOrUrl) ? pathOrUrl : `${this.base}${pathOrUrl.startsWith('/') ? '' : '/'}${pathOrUrl}`;
  }

  async fetch(method: string, path: string, body?: unknown, what = `${method} ${path}`): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(this.url(path), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (err) {
      throw new CliError(`${what}: cannot reach the API at ${this.base}: ${describeNetworkError(err)}`);
    }
    if (!res.ok) throw await apiErrorOf(res, what);
    return res;
  }

  async json<T>(method: string, path: string, body?: unknown, what?: string): Promise<T> {
    const res = await this.fetch(method, path, body, what);
    const text = await res.text();
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new CliError(`${what ?? `${method} ${path}`}: the API answered ${res.status} with a body that is not JSON: ${oneLine(text).slice(0, 200)}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Upload

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
      if (read !== length) req.destroy(new CliError(`${file} changed while it was being uploaded (${read} of ${length} bytes at offset ${start} could be read)`));
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

interface Ui {
  progress: boolean;
  log(msg: string): void;
}

function makeBar(ui: Ui, format: string): cliProgress.SingleBar | null {
  if (!ui.progress || !process.stderr.isTTY) return null;
  return new cliProgress.SingleBar(
    { format, stream: process.stderr, hideCursor: true, clearOnComplete: false, fps: 10, etaBuffer: 50, barsize: 30 },
    cliProgress.Presets.shades_classic,
  );
}

async function uploadFile(api: ApiClient, file: string, item: string, fileName: string, size: number, concurrency: number, ui: Ui): Promise<{ batchId: string }> {
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
  const agents: Agents = { http: new HttpAgent({ keepAlive: true, maxSockets: concurrency }), https: new HttpsAgent({ keepAlive: true, maxSockets: concurrency }) };
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

// ---------------------------------------------------------------------------------------------
// Receipts

const DONE: ReadonlySet<Status> = new Set(['COMPLETED', 'FAILED']);
const PHASE: Record<Status, number> = { RECEIVED: 1, PROCESSING: 2, COMPLETED: 3, FAILED: 3 };
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

const getReceipt = (api: ApiClient, batchId: string) => api.json<Receipt>('GET', `/v1/batches/${encodeURIComponent(batchId)}`, undefined, `batch ${batchId}`);

/** Rows known so far: the final count, or the planned count where the API reports one. */
function rowsText(r: Receipt | null): string {
  if (!r) return '';
  if (r.rows > 0) return `, ${r.rows} rows`;
  const planned = r.plannedRows;
  return typeof planned === 'number' && planned > 0 ? `, ${planned} rows planned` : '';
}

/** Polls the receipt until COMPLETED or FAILED, or until timeoutSeconds ran out (done: false). */
async function waitForReceipt(api: ApiClient, batchId: string, timeoutSeconds: number, ui: Ui): Promise<{ receipt: Receipt; done: boolean }> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  const bar = makeBar(ui, 'process  {bar} {spinner} {status}{rows} | {duration_formatted}');
  let spin = 0;
  let last: Receipt | null = null;
  const payload = () => ({
    spinner: last && DONE.has(last.status) ? ' ' : SPINNER[spin++ % SPINNER.length],
    status: last?.status ?? 'waiting',
    rows: rowsText(last),
  });
  bar?.start(3, 0, payload());
  // the spinner turns between polls, so a long batch visibly is still being waited for
  const phase = () => (last ? (PHASE[last.status] ?? 0) : 0);
  const ticker = bar ? setInterval(() => bar.update(phase(), payload()), 120) : null;
  let interval = 250;
  let transient = 0;
  try {
    for (;;) {
      try {
        last = await getReceipt(api, batchId);
        transient = 0;
      } catch (err) {
        // a blip (network, 5xx) while polling is waited out; anything else is an answer
        const blip = !(err instanceof ApiError) || err.status >= 500 || err.status === 429;
        if (!blip || ++transient > 5) throw err;
      }
      bar?.update(phase(), payload());
      if (last && DONE.has(last.status)) return { receipt: last, done: true };
      if (Date.now() + interval > deadline) {
        if (last) return { receipt: last, done: false };
        throw new CliError(`batch ${batchId}: no receipt within ${timeoutSeconds} s`, EXIT.timeout);
      }
      await sleep(interval);
      interval = Math.min(Math.round(interval * 1.5), 2000);
    }
  } finally {
    if (ticker) clearInterval(ticker);
    bar?.stop();
  }
}

function exitCodeOf(r: Receipt, done: boolean): number {
  if (!done) return EXIT.timeout;
  return r.status === 'FAILED' ? EXIT.failed : EXIT.ok;
}

function report(r: Receipt, done: boolean, opts: { json?: boolean; errors: number }, timeoutSeconds: number | null, ui: Ui): number {
  if (opts.json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
  else process.stdout.write(`${formatReceipt(r, opts.errors)}\n`);
  if (!done && timeoutSeconds !== null) ui.log(`batch ${r.batchId} is still ${r.status} after ${timeoutSeconds} s; see how it ends with: credit batch ${r.batchId} --wait`);
  return exitCodeOf(r, done || timeoutSeconds === null);
}

// ---------------------------------------------------------------------------------------------
// Commands

interface ConnectionOptions {
  api: string;
  token?: string;
  unit?: string;
}

async function connect(cmd: Command): Promise<ApiClient> {
  const o = cmd.opts<ConnectionOptions>();
  let base: URL;
  try {
    base = new URL(o.api);
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    throw new CliError(`--api must be an http:// or https:// URL, not '${o.api}'`);
  }
  const api = new ApiClient(base.href);
  // an explicit --token wins, then --unit (local token), then CREDIT_TOKEN from the environment
  const tokenFromFlag = o.token && cmd.getOptionValueSource('token') === 'cli';
  if (tokenFromFlag) {
    api.setToken(o.token!);
  } else if (o.unit) {
    const res = await api
      .json<{ token: string }>('POST', '/local/token', { role: 'provider', unit: o.unit }, 'getting a local provider token')
      .catch((err: unknown) => {
        if (err instanceof ApiError && (err.status === 404 || err.status === 405)) {
          throw new CliError(`${api.base} issues no local tokens (only the local platform has POST /local/token); pass --token or set CREDIT_TOKEN`);
        }
        throw err;
      });
    api.setToken(res.token);
  } else if (o.token) {
    api.setToken(o.token);
  } else {
    throw new CliError('no token: pass --token TOKEN or set CREDIT_TOKEN (against a local platform, --unit UNIT gets one)');
  }
  return api;
}

function positiveInt(name: string, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`${name} must be a whole number from 1 to ${max}`);
    return n;
  };
}

function nonNegativeInt(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError(`${name} must be a whole number, 0 or more`);
    return n;
  };
}

function withConnection(cmd: Command): Command {
  return cmd
    .addOption(new Option('--api <url>', 'platform API base URL').env('CREDIT_API').default(DEFAULT_API))
    .addOption(new Option('--token <token>', 'bearer token of a provider user').env('CREDIT_TOKEN'))
    .option('--unit <code>', 'local platform only: get a provider token for this unit from POST /local/token')
    .option('--no-progress', 'no progress bars on stderr');
}

function uiOf(cmd: Command): Ui {
  const o = cmd.opts<{ progress?: boolean }>();
  return { progress: o.progress !== false, log: (msg) => process.stderr.write(`${msg}\n`) };
}

export function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command('credit')
    .description('Provider client of the public credit information platform (公共信用信息平台): upload files, read receipts and rejections.')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Environment: CREDIT_API (default ${DEFAULT_API}), CREDIT_TOKEN.
Exit codes: 0 completed, 1 batch FAILED, 2 usage/file/HTTP error, 3 still in progress at --timeout.`,
    );

  withConnection(
    program
      .command('upload')
      .description('upload a CSV or JSON Lines file for a catalog item and wait for its receipt')
      .argument('<file>', '.csv or .jsonl file')
      .requiredOption('--item <code>', 'catalog item code, e.g. AMR-PENALTY')
      .option('--name <fileName>', 'file name recorded on the receipt (default: the file’s own name)')
      .option('--no-wait', 'return once the file is uploaded, without waiting for the receipt')
      .option('--timeout <seconds>', 'how long to wait for the receipt', positiveInt('--timeout'), 600)
      .option('--concurrency <n>', 'parts uploaded in parallel', positiveInt('--concurrency', 32), 4)
      .option('--errors <n>', 'receipt errors to print', nonNegativeInt('--errors'), 10)
      .option('--json', 'print the receipt as JSON on stdout'),
  ).action(async (file: string, o: { item: string; name?: string; wait: boolean; timeout: number; concurrency: number; errors: number; json?: boolean }, cmd: Command) => {
    let size: number;
    try {
      const s = await stat(file);
      if (!s.isFile()) throw new CliError(`${file} is not a file`);
      size = s.size;
    } catch (err) {
      if (err instanceof CliError) throw err;
      throw new CliError(`cannot read ${file}: ${(err as Error).message}`);
    }
    const ui = uiOf(cmd);
    const api = await connect(cmd);
    const { batchId } = await uploadFile(api, file, o.item, o.name ?? basename(file), size, o.concurrency, ui);
    if (!o.wait) {
      const receipt = await getReceipt(api, batchId);
      if (o.json) process.stdout.write(`${JSON.stringify(receipt, null, 2)}\n`);
      else process.stdout.write(`${batchId}\n`);
      ui.log(`not waiting; follow the batch with: credit batch ${batchId} --wait`);
      setExitCode(EXIT.ok);
      return;
    }
    const { receipt, done } = await waitForReceipt(api, batchId, o.timeout, ui);
    setExitCode(report(receipt, done, o, o.timeout, ui));
  });

  withConnection(
    program
      .command('batch')
      .description('print a batch receipt (回执)')
      .argument('<batchId>', 'batch id, as printed by upload')
      .option('--wait', 'wait until the batch is COMPLETED or FAILED')
      .option('--timeout <seconds>', 'with --wait: how long to wait', positiveInt('--timeout'), 600)
      .option('--errors <n>', 'receipt errors to print', nonNegativeInt('--errors'), 10)
      .option('--json', 'print the receipt as JSON on stdout'),
  ).action(async (batchId: string, o: { wait?: boolean; timeout: number; errors: number; json?: boolean }, cmd: Command) => {
    const ui = uiOf(cmd);
    const api = await connect(cmd);
    if (o.wait) {
      const { receipt, done } = await waitForReceipt(api, batchId, o.timeout, ui);
      setExitCode(report(receipt, done, o, o.timeout, ui));
    } else {
      setExitCode(report(await getReceipt(api, batchId), true, o, null, ui));
    }
  });

  withConnection(
    program
      .command('rejections')
      .description('download all rejected rows of a batch as CSV (original columns plus row, field, code, message)')
      .argument('<batchId>', 'batch id')
      .option('--out <file>', 'write to this file instead of stdout'),
  ).action(async (batchId: string, o: { out?: string }, cmd: Command) => {
    const ui = uiOf(cmd);
    const api = await connect(cmd);
    const res = await api.fetch('GET', `/v1/batches/${encodeURIComponent(batchId)}/rejections`, undefined, `rejections of batch ${batchId}`);
    const body = res.body ? Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>) : Readable.from([]);
    if (o.out) {
      let bytes = 0;
      body.on('data', (c: Buffer) => (bytes += c.length));
      try {
        await pipeline(body, createWriteStream(o.out));
      } catch (err) {
        throw new CliError(`cannot write ${o.out}: ${(err as Error).message}`);
      }
      ui.log(`wrote the rejections of batch ${batchId} to ${o.out} (${formatBytes(bytes)})`);
    } else {
      await pipeline(body, process.stdout, { end: false });
    }
    setExitCode(EXIT.ok);
  });

  registerVerifyLog(program, { withConnection, connect, setExitCode });
  return program;
}

/** Runs the CLI with process.argv-style arguments and exits with its code. */
export async function main(argv: string[]): Promise<never> {
  let code: number = EXIT.ok;
  const program = buildProgram((c) => (code = c));
  program.exitOverride();
  for (const sub of program.commands) sub.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version end with exit code 0; every other commander error is a usage error
      code = err.exitCode === 0 ? EXIT.ok : EXIT.error;
    } else if (err instanceof CliError) {
      process.stderr.write(`credit: ${err.message}\n`);
      code = err.exitCode;
    } else {
      process.stderr.write(`credit: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
      code = EXIT.error;
    }
  }
  // let stdout drain (it may be a pipe) before exiting
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  process.exit(code);
}

// `tsx bin/credit.ts ...` runs it directly too (bin/credit.js imports it and calls main itself)
const invokedPath = process.argv[1] ? realpathSafe(process.argv[1]) : '';
if (invokedPath && import.meta.url === pathToFileURL(invokedPath).href) await main(process.argv);

function realpathSafe(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return '';
  }
}
