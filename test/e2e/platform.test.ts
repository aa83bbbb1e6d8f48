/**
 * End to end through `npm start`'s entry point, as a newcomer would run it: a child process
 * with PORT, DATA_DIR and SEED, driven only over HTTP (and a presigned PUT). Proves the demo seed,
 * persistence across a restart, and a clean exit on SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { demoFiles } from '#local/seed/demo-files';
import { demoCatalog } from '../support/platform.ts';

const DEMO_FILES = demoFiles(demoCatalog()).length;

const root = new URL('../..', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'credit-e2e-'));
let child: ChildProcess | undefined;
let base = '';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

async function start(seed: 'demo' | 'none'): Promise<void> {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, ['--import', 'tsx', 'bin/local.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, SEED: seed, POWERTOOLS_LOG_LEVEL: 'ERROR' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const res = await fetch(`${base}/health`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`platform did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stop(): Promise<number | null> {
  if (!child || child.exitCode !== null) return child?.exitCode ?? null;
  const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  return exited;
}

async function call(method: string, path: string, token?: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const isJson = (res.headers.get('content-type') ?? '').includes('json');
  return { status: res.status, text, json: isJson && text ? JSON.parse(text) : undefined };
}

const token = async (role: string, unit?: string) => (await call('POST', '/local/token', undefined, { role, unit })).json.token as string;

async function allBatchesDone(admin: string) {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const list = await call('GET', '/v1/batches?limit=500', admin);
    const batches = list.json.batches as Array<{ status: string }>;
    if (batches.length >= DEMO_FILES && batches.every((b) => b.status === 'COMPLETED' || b.status === 'FAILED')) return list.json.batches;
    if (Date.now() > deadline) throw new Error(`batches still running: ${JSON.stringify(batches.map((b) => b.status))}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

afterAll(async () => {
  await stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('seeds the demo, answers over HTTP, and keeps its data across a restart', async () => {
    await start('demo');
    const admin = await token('admin');

    // /health answers once uploads are accepted; the demo seed publishes its catalog right after
    let catalog = await call('GET', '/v1/catalog', admin);
    for (let i = 0; i < 100 && catalog.status === 404; i++) {
      await new Promise((r) => setTimeout(r, 100));
      catalog = await call('GET', '/v1/catalog', admin);
    }
    expect(catalog.status).toBe(200);
    expect(catalog.json.catalog.providers.length).toBeGreaterThanOrEqual(6);
    expect(catalog.json.catalog.items.length).toBeGreaterThanOrEqual(12);

    const batches = await allBatchesDone(admin);
    expect(batches).toHaveLength(DEMO_FILES);
    for (const b of batches) {
      expect(b.status).toBe('COMPLETED');
      expect(b.rows).toBe(b.accepted + b.rejected);
      expect(b.accepted).toBe(b.linked + b.unlinked);
    }
    expect(batches.some((b: { rejected: number }) => b.rejected > 0)).toBe(true);
    expect(batches.some((b: { encoding?: string }) => b.encoding === 'gb18030')).toBe(true);

    // a provider uploads through the presigned URL, and reads the receipt and its rejections
    const amr = await token('provider', 'SH-AMR');
    const started = await call('POST', '/v1/uploads', amr, { item: 'AMR-REGISTRATION', fileName: 'e2e.csv' });
    expect(started.status).toBe(201);
    const csv =
      'partyName,partyType,partyUscc,establishedDate,legalRepName,enterpriseType,registeredAddress,registrationAuthority,status\r\n' +
      '上海端到端测试有限公司,法人及非法人组织,91310115MA1K3BTP2B,2015-06-01,王五,有限责任公司,上海市浦东新区张江路1号,上海市市场监督管理局,存续\r\n' +
      '上海坏数据有限公司,法人及非法人组织,91310115MA1K3BTP2C,2015-06-01,赵六,有限责任公司,上海市浦东新区张江路2号,上海市市场监督管理局,存续\r\n';
    const put = await fetch(started.json.uploadUrl, { method: 'PUT', body: csv, headers: { 'content-type': 'text/csv' } });
    expect(put.status).toBe(200);
    let receipt: { status: string; rows: number; accepted: number; rejected: number; errors: Array<{ row: number; field: string; code: string }> } | undefined;
    for (let i = 0; i < 200 && receipt?.status !== 'COMPLETED'; i++) {
      receipt = (await call('GET', `/v1/batches/${started.json.batchId}`, amr)).json;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(receipt).toMatchObject({ status: 'COMPLETED', rows: 2, accepted: 1, rejected: 1 });
    expect(receipt!.errors[0]).toMatchObject({ row: 3, field: 'partyUscc', code: 'CHECKSUM' });
    const rejections = await call('GET', `/v1/batches/${started.json.batchId}/rejections`, amr);
    expect(rejections.text).toContain('91310115MA1K3BTP2C');

    const file = await call('GET', '/v1/subjects/legal/91310115MA1K3BTP2B', admin);
    expect(file.status).toBe(200);
    expect(file.json.subject).toMatchObject({ name: '上海端到端测试有限公司', registered: true });

    // another provider cannot see that batch; no token, no answer
    expect((await call('GET', `/v1/batches/${started.json.batchId}`, await token('provider', 'SH-TAX'))).status).toBe(404);
    expect((await call('GET', '/v1/catalog')).status).toBe(401);

    expect(await stop()).toBe(0);

    // restart on the same DATA_DIR: the data is still there and the demo is not seeded twice
    await start('demo');
    const admin2 = await token('admin');
    const again = await call('GET', '/v1/subjects/legal/91310115MA1K3BTP2B', admin2);
    expect(again.status).toBe(200);
    expect(again.json.subject.name).toBe('上海端到端测试有限公司');
    const list = await call('GET', '/v1/batches?provider=SH-AMR&limit=500', admin2);
    expect(list.json.batches.filter((b: { fileName: string }) => b.fileName === 'e2e.csv')).toHaveLength(1);
    expect(await stop()).toBe(0);
  }, 300_000);
});
