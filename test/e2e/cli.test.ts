/**
 * The provider CLI (bin/credit.js) end to end: the platform runs in this process on ephemeral
 * ports, the CLI runs as a child process exactly as a provider would run it, and talks to the
 * platform only over HTTP (API + presigned S3 URLs).
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orgCodeCheckChar, usccCheckChar } from '#core/identifiers';
import { startPlatform, type Platform } from '#local/runtime';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'bin', 'credit.js');
const MiB = 1024 * 1024;

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/credit.js ARGS` with a clean CREDIT_*, API and PORT environment, plus `extraEnv`. */
function credit(args: string[], timeoutMs = 60_000, extraEnv: Record<string, string> = {}): Promise<CliRun> {
  const env = { ...process.env };
  delete env.CREDIT_API;
  delete env.CREDIT_TOKEN;
  delete env.API;
  delete env.PORT;
  Object.assign(env, extraEnv);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const HEADER = 'partyName,partyType,partyUscc,establishedDate,legalRepName,enterpriseType,registeredAddress,registrationAuthority,status';
const SMALL_CSV = [
  HEADER,
  '上海浦江电子有限公司,法人及非法人组织,91310000631696382C,2001-05-10,张三,有限责任公司,上海市浦东新区世纪大道1号,上海市市场监督管理局,存续',
  '北京长城机械股份有限公司,法人及非法人组织,91110000600037341L,1998-03-02,李四,股份有限公司,北京市朝阳区建国路2号,北京市市场监督管理局,在业',
  '上海张江软件有限公司,法人及非法人组织,91310115MA1K3BTP2B,2016-08-20,王五,有限责任公司,上海市浦东新区张江路3号,上海市浦东新区市场监督管理局,存续',
  // the last character should be C: a CHECKSUM rejection on spreadsheet row 5
  '上海校验错误有限公司,法人及非法人组织,91310000631696382D,2010-01-01,赵六,有限责任公司,上海市黄浦区南京东路4号,上海市市场监督管理局,存续',
].join('\r\n');

const USCC_BODY_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** A valid USCC (and valid embedded organisation code) for every n: 9131 0115 + 8 chars + checks. */
function uscc(n: number): string {
  let body = '';
  for (let k = n, i = 0; i < 8; i++, k = Math.floor(k / USCC_BODY_ALPHABET.length)) body = USCC_BODY_ALPHABET[k % USCC_BODY_ALPHABET.length] + body;
  const first17 = `91310115${body}${orgCodeCheckChar(body)}`;
  return first17 + usccCheckChar(first17);
}

/**
 * Streams a registration CSV of at least `bytes` bytes to `file`; returns the data rows written.
 * Rows carry a long 经营范围 (near the 4000-character limit of a text field) and a long 住所, so
 * 20 MiB takes about 1600 rows: a real multipart upload, processed by the local emulators
 * (roughly 40 registration rows a second) in test time.
 */
async function writeLargeCsv(file: string, bytes: number): Promise<number> {
  const out = createWriteStream(file);
  const scope = '技术开发、技术咨询、技术交流、技术转让、技术推广；软件开发；信息系统集成服务；'.repeat(100).slice(0, 3980);
  const building = '（张江高科技园区创新创业中心）'.repeat(20).slice(0, 220);
  let written = 0;
  let rows = 0;
  const write = async (line: string) => {
    written += Buffer.byteLength(line);
    if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  };
  await write(`${HEADER},businessScope\n`);
  while (written < bytes) {
    await write(
      `上海测试企业${rows}有限公司,法人及非法人组织,${uscc(rows)},2015-06-01,法定代表人${rows},有限责任公司,上海市浦东新区测试路${rows}号${building},上海市市场监督管理局,存续,"${scope}${rows}"\n`,
    );
    rows++;
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return rows;
}

let platform: Platform;
let dir: string;
let api: string[];

beforeAll(async () => {
  platform = await startPlatform({
    port: 0,
    dataDir: null,
    notifyEveryMs: 100,
    // chunks of the large file take longer than the local default of 5 s: no redelivery meanwhile
    visibilityTimeoutSeconds: 120,
    concurrency: { processChunk: 4 },
  });
  const admin = await platform.token({ role: 'admin' });
  const res = await fetch(`${platform.url}/v1/catalog`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: readFileSync(join(ROOT, 'local', 'seed', 'demo-catalog.json'), 'utf8'),
  });
  expect(res.status, await res.text()).toBe(201);
  dir = mkdtempSync(join(tmpdir(), 'credit-cli-'));
  writeFileSync(join(dir, '2026-11-registrations.csv'), SMALL_CSV);
  api = ['--api', platform.url, '--unit', 'SH-AMR'];
});

afterAll(async () => {
  await platform?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('credit upload', () => {
  let batchId: string;

  it('uploads a small CSV, waits for the receipt and exits 0 on COMPLETED', async () => {
    const run = await credit(['upload', join(dir, '2026-11-registrations.csv'), '--item', 'AMR-REGISTRATION', ...api, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const receipt = JSON.parse(run.stdout);
    batchId = receipt.batchId;
    expect(receipt).toMatchObject({
      status: 'COMPLETED',
      provider: 'SH-AMR',
      item: 'AMR-REGISTRATION',
      fileName: '2026-11-registrations.csv',
      rows: 4,
      accepted: 3,
      rejected: 1,
    });
    expect(receipt.rows).toBe(receipt.accepted + receipt.rejected);
    expect(receipt.accepted).toBe(receipt.linked + receipt.unlinked);
    expect(receipt.errors).toEqual([expect.objectContaining({ row: 5, field: 'partyUscc', code: 'CHECKSUM' })]);
    expect(run.stderr).toContain(`batch ${batchId}: uploaded`);
  });

  it('prints a receipt as a summary and as JSON (credit batch)', async () => {
    const text = await credit(['batch', batchId, ...api]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^status\s+COMPLETED$/m);
    expect(text.stdout).toMatch(/^rows\s+4$/m);
    expect(text.stdout).toMatch(/^accepted\s+3$/m);
    expect(text.stdout).toMatch(/^rejected\s+1$/m);
    expect(text.stdout).toMatch(/^\s+ROW\s+FIELD\s+CODE\s+MESSAGE$/m);
    expect(text.stdout).toMatch(/^\s+5\s+partyUscc\s+CHECKSUM\s+\S/m);

    const json = await credit(['batch', batchId, ...api, '--json']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ batchId, status: 'COMPLETED', rows: 4, accepted: 3, rejected: 1 });
  });

  it('downloads the rejected rows as CSV (credit rejections), to stdout or to --out', async () => {
    const run = await credit(['rejections', batchId, ...api]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^partyName,.*,行号,出错字段,错误代码,错误说明$/); // the file's own headers, Chinese error columns
    expect(lines[1]).toContain('91310000631696382D');
    expect(lines[1]).toMatch(/,5,partyUscc,CHECKSUM,/);

    const out = join(dir, 'rejections.csv');
    const saved = await credit(['rejections', batchId, ...api, '--out', out]);
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(run.stdout);
  });

  it("prints a closing hint that works as printed, and finds the API from the walk-through's API or PORT", async () => {
    const text = await credit(['batch', batchId, ...api]);
    const hint = /^all rejected rows: (.+)$/m.exec(text.stdout)?.[1];
    expect(hint).toBe(`npx credit-platform rejections ${batchId} --out ${batchId}-rejections.csv --api ${platform.url} --unit SH-AMR`);
    const args = hint!.replace(/^npx credit-platform /, '').split(' ');
    const ran = await credit(args.map((a) => (a === `${batchId}-rejections.csv` ? join(dir, a) : a)));
    expect(ran.code, ran.stderr).toBe(0);
    expect(readFileSync(join(dir, `${batchId}-rejections.csv`), 'utf8')).toMatch(/,5,partyUscc,CHECKSUM,/);

    const port = new URL(platform.url).port;
    for (const env of [{ API: platform.url }, { PORT: port }] as Array<Record<string, string>>) {
      const run = await credit(['batch', batchId, '--unit', 'SH-AMR', '--json'], 60_000, env);
      expect(run.code, `${JSON.stringify(env)}: ${run.stderr}`).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ batchId, status: 'COMPLETED' });
    }
    // without --api on the command line, the hint repeats only the unit
    const viaEnv = await credit(['batch', batchId, '--unit', 'SH-AMR'], 60_000, { PORT: port });
    expect(viaEnv.stdout).toContain(`all rejected rows: npx credit-platform rejections ${batchId} --out ${batchId}-rejections.csv --unit SH-AMR`);
    // five CLI runs, each a new node process loading tsx: ~10 s apiece on the busy 2-core machine
  }, 180_000);

  it('with --no-wait returns the batch id at once; credit batch --wait follows it to the end', async () => {
    const started = await credit(['upload', join(dir, '2026-11-registrations.csv'), '--item', 'AMR-REGISTRATION', ...api, '--no-wait']);
    expect(started.code, started.stderr).toBe(0);
    const id = started.stdout.trim();
    expect(id).toMatch(/^u[0-9a-z]{24}$/);
    expect(id).not.toBe(batchId);

    const waited = await credit(['batch', id, ...api, '--wait', '--timeout', '30', '--json']);
    expect(waited.code, waited.stderr).toBe(0);
    // the same rows again: updated in place, the counts of the first upload
    expect(JSON.parse(waited.stdout)).toMatchObject({ batchId: id, status: 'COMPLETED', rows: 4, accepted: 3, rejected: 1 });
  });

  it('exits 1 when the batch ends FAILED, printing the reason', async () => {
    writeFileSync(join(dir, 'empty.csv'), '');
    const run = await credit(['upload', join(dir, 'empty.csv'), '--item', 'AMR-REGISTRATION', ...api]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^status\s+FAILED$/m);
    expect(run.stdout).toMatch(/^reason\s+\S/m);
  });

  it('exits 2 with the API error for an item that is not in the catalog', async () => {
    const run = await credit(['upload', join(dir, '2026-11-registrations.csv'), '--item', 'NO-SUCH-ITEM', ...api]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('UNKNOWN_ITEM');
    // the platform answers in Chinese unless English is asked for; the CLI shows what it says
    expect(run.stderr).toContain('目录中没有这个信息项');
    expect(run.stdout).toBe('');
  });

  it('exits 2 on usage errors: another provider’s item, no token, no --item', async () => {
    const notOurs = await credit(['upload', join(dir, '2026-11-registrations.csv'), '--item', 'TAX-ARREARS', ...api]);
    expect(notOurs.code).toBe(2);
    expect(notOurs.stderr).toContain('NOT_YOUR_ITEM');

    const noToken = await credit(['batch', 'u000000000000000000000000', '--api', platform.url]);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/no token/);

    const noItem = await credit(['upload', join(dir, '2026-11-registrations.csv'), ...api]);
    expect(noItem.code).toBe(2);
    expect(noItem.stderr).toMatch(/--item/);
  });

  it('uploads a 20 MiB file as a multipart upload, all rows accounted for', { timeout: 150_000 }, async () => {
    const file = join(dir, 'registrations-large.csv');
    const rows = await writeLargeCsv(file, 20 * MiB);
    const size = statSync(file).size;
    expect(size).toBeGreaterThan(16 * MiB);

    const run = await credit(['upload', file, '--item', 'AMR-REGISTRATION', ...api, '--json', '--timeout', '140'], 150_000);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/3 parts of 8\.00 MiB/);
    const receipt = JSON.parse(run.stdout);
    expect(receipt).toMatchObject({ status: 'COMPLETED', rows, accepted: rows, rejected: 0, linked: rows, unlinked: 0, errors: [] });

    // every row of the assembled file was read; then the raw file (ID numbers in clear) was deleted
    const s3 = new S3Client({
      region: 'cn-north-1',
      endpoint: platform.emulators.awsEndpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      const head = s3.send(new HeadObjectCommand({ Bucket: platform.emulators.buckets.uploads, Key: receipt.key }));
      await expect(head).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    } finally {
      s3.destroy();
    }
  });
});

/**
 * Part retries, against a stand-in API and storage that fail on purpose: part 2 answers 500
 * once, part 3 loses its connection mid-transfer once; with `failAlways` part 2 never succeeds.
 */
describe('credit upload against flaky storage', () => {
  let server: Server;
  let base: string;
  let file: string;
  let content: Buffer;
  let failAlways = false;
  let attempts: Map<number, number>;
  let received: Map<number, string>;
  let completed: unknown;
  const partOf = (path: string) => Number(/^\/s3\/part\/(\d+)$/.exec(path)?.[1] ?? 0);

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const part = partOf(url.pathname);
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => {
        chunks.push(c);
        // part 3, first attempt: the connection drops after the first bytes
        if (part === 3 && attempts.get(3) === 1 && chunks.length === 1) req.socket.destroy();
      });
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const send = (status: number, json: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
        if (req.method === 'POST' && url.pathname === '/local/token') return send(200, { token: 'test-token' });
        if (req.method === 'PUT' && part) {
          const n = attempts.get(part) ?? 0;
          if (part === 2 && (failAlways || n === 1)) {
            return res
              .writeHead(500, { 'content-type': 'application/xml' })
              .end('<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>');
          }
          received.set(part, createHash('sha256').update(body).digest('hex'));
          return res.writeHead(200, { etag: `"etag-${part}"` }).end();
        }
        // presigned part URLs carry no token; the API does
        if (req.headers.authorization !== 'Bearer test-token') return send(401, { message: 'Unauthorized' });
        if (req.method === 'POST' && url.pathname === '/v1/uploads') {
          const { parts } = JSON.parse(body.toString('utf8'));
          const partUrls = Array.from({ length: parts }, (_, i) => `${base}/s3/part/${i + 1}`);
          return send(201, {
            batchId: 'ufake',
            key: 'incoming/SH-AMR/AMR-REGISTRATION/ufake/big.csv',
            uploadId: 'mpu-1',
            partUrls,
            completeUrl: '/v1/uploads/ufake/complete',
          });
        }
        if (req.method === 'POST' && url.pathname === '/v1/uploads/ufake/complete') {
          completed = JSON.parse(body.toString('utf8'));
          return send(200, { batchId: 'ufake' });
        }
        if (req.method === 'GET' && url.pathname === '/v1/batches/ufake') {
          return send(200, {
            batchId: 'ufake',
            provider: 'SH-AMR',
            item: 'AMR-REGISTRATION',
            fileName: 'big.csv',
            status: 'COMPLETED',
            reason: null,
            receivedAt: new Date().toISOString(),
            completedAt: new Date().toISOString(),
            rows: 1,
            accepted: 1,
            rejected: 0,
            linked: 1,
            unlinked: 0,
            errors: [],
          });
        }
        if (req.method === 'GET' && url.pathname === '/v1/batches/uslow') {
          return send(200, {
            batchId: 'uslow',
            provider: 'SH-AMR',
            item: 'AMR-REGISTRATION',
            fileName: 'slow.csv',
            status: 'PROCESSING',
            reason: null,
            receivedAt: new Date().toISOString(),
            completedAt: null,
            rows: 0,
            accepted: 0,
            rejected: 0,
            linked: 0,
            unlinked: 0,
            errors: [],
          });
        }
        send(404, { error: { code: 'NOT_FOUND', message: `no route ${req.method} ${url.pathname}`, details: [] } });
      });
    });
    // count attempts as requests arrive, before any body is read
    server.prependListener('request', (req) => {
      const part = partOf(req.url ?? '');
      if (part) attempts.set(part, (attempts.get(part) ?? 0) + 1);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    file = join(mkdtempSync(join(tmpdir(), 'credit-cli-flaky-')), 'big.csv');
    content = randomBytes(2 * 8 * MiB + 100 * 1024);
    writeFileSync(file, content);
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server?.closeAllConnections();
    if (file) rmSync(join(file, '..'), { recursive: true, force: true });
  });

  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

  it('retries a part that failed (HTTP 500, dropped connection) and completes with every ETag', async () => {
    failAlways = false;
    attempts = new Map();
    received = new Map();
    const run = await credit(['upload', file, '--item', 'AMR-REGISTRATION', '--api', base, '--unit', 'SH-AMR']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/part 2 of 3 failed \(attempt 1 of 3: HTTP 500 InternalError: We encountered an internal error\.\); retrying/);
    expect(run.stderr).toMatch(/part 3 of 3 failed \(attempt 1 of 3: [^)]+\); retrying/);
    expect(attempts).toEqual(
      new Map([
        [1, 1],
        [2, 2],
        [3, 2],
      ]),
    );
    expect(received.get(1)).toBe(sha(content.subarray(0, 8 * MiB)));
    expect(received.get(2)).toBe(sha(content.subarray(8 * MiB, 16 * MiB)));
    expect(received.get(3)).toBe(sha(content.subarray(16 * MiB)));
    expect(completed).toEqual({ uploadId: 'mpu-1', parts: [1, 2, 3].map((n) => ({ partNumber: n, etag: `"etag-${n}"` })) });
    expect(run.stdout).toMatch(/^status\s+COMPLETED$/m);
  });

  it('gives up after 3 attempts and exits 2 with the storage error', async () => {
    failAlways = true;
    attempts = new Map();
    received = new Map();
    completed = undefined;
    const run = await credit(['upload', file, '--item', 'AMR-REGISTRATION', '--api', base, '--token', 'test-token']);
    expect(run.code).toBe(2);
    expect(attempts.get(2)).toBe(3);
    expect(run.stderr).toMatch(/credit-platform: part 2 of 3 failed: HTTP 500 InternalError: We encountered an internal error\./);
    expect(completed).toBeUndefined();
  });

  it('exits 3 when the batch is still in progress at --timeout', async () => {
    const run = await credit(['batch', 'uslow', '--wait', '--timeout', '1', '--api', base, '--token', 'test-token']);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/^status\s+PROCESSING$/m);
    expect(run.stderr).toContain('batch uslow is still PROCESSING after 1 s');
  });
});
