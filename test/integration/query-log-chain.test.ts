/**
 * The query log's hash chain on the local emulators: queries and a bulk check append entries and
 * links; GET /v1/query-log/verify and `credit verify-log` recompute a day and name the first
 * entry an insider changed, deleted or slipped in.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { companies } from '#local/seed/generate';
import { shanghaiDay } from '#core/working-days';
import { appendQueries, appendQuery, chainPk, verifyDay, type QueryLogEntry } from '#adapters/query-log-repo';
import { publishDemoCatalog, startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;

/** The CLI in a child process (asynchronously: the platform it talks to runs in this process). */
function credit(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/credit.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CREDIT_TOKEN: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
const company = companies(1, 777)[0]!;

async function ddb() {
  return (await import('#adapters/clients')).ddb;
}

const entry = (n: number, at: string): QueryLogEntry => ({
  queryId: `q-${n}`,
  at,
  role: 'gov',
  unit: 'SH-EPB',
  sub: 'tester',
  channel: 'api',
  purpose: 'PENALTY',
  subjectType: 'LEGAL',
  subjectKey: `9131000000000${String(n).padStart(5, '0')}`,
  subjectLabel: 'x',
  outcome: 'ALLOWED',
  status: 200,
  records: n,
});

beforeAll(async () => {
  p = await startTestPlatform();
  await publishDemoCatalog(p);
});

afterAll(async () => {
  await p?.stop();
});

describe('the query log hash chain', () => {
  it('chains every entry of a day: credit queries, refused ones and bulk appends, racing appenders included', async () => {
    const day = '2026-03-04'; // a day of its own: nothing else in this file logs on it
    const at = (s: number) => `2026-03-04T0${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}:00.000Z`;
    await Promise.all(Array.from({ length: 8 }, (_, i) => appendQuery(entry(i, at(i))))); // 8 writers race for the head
    await appendQueries(Array.from({ length: 600 }, (_, i) => entry(100 + i, at(30)))); // 2 links of ≤500
    await appendQueries([entry(100, at(30))]); // a redelivered append names an entry again: harmless
    expect(await verifyDay(day)).toEqual({ day, ok: true, links: 8 + 2 + 1, entries: 608, firstBroken: null });

    const today = shanghaiDay(new Date());
    const gov = await p.as('gov', 'SH-EPB');
    expect((await p.api('GET', `/v1/subjects/legal/${company.uscc}?purpose=PENALTY&ref=C-1`, { token: gov })).status).toBe(404);
    expect((await p.api('GET', `/v1/subjects/legal/${company.uscc}?purpose=HONOURS`, { token: gov })).status).toBe(403);
    const res = await p.api('GET', `/v1/query-log/verify?day=${today}`, { token: await p.as('admin') });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ day: today, ok: true, firstBroken: null });
    expect(res.json.entries).toBeGreaterThanOrEqual(2);
  }, 180_000); // 600 conditional puts on the embedded emulator, on a machine shared by many test runs

  it('names the entry an insider overwrote, the one deleted, and one slipped in without a link', async () => {
    const day = '2026-03-05';
    const es = [1, 2, 3].map((n) => entry(n, `2026-03-05T02:0${n}:00.000Z`));
    for (const e of es) await appendQuery(e);
    const client = await ddb();
    const table = p.emulators.tables.queryLog;
    const stored = (
      await client.send(
        new QueryCommand({
          TableName: table,
          IndexName: 'byMonth',
          KeyConditionExpression: 'gsi2pk = :m AND begins_with(gsi2sk, :d)',
          ExpressionAttributeValues: { ':m': 'MONTH#2026-03', ':d': '2026-03-05' },
        }),
      )
    ).Items!;
    const second = stored.find((i) => i.queryId === 'q-2')!;

    // a PutItem without the condition: the writers' grant allows it, the chain shows it
    await client.send(new PutCommand({ TableName: table, Item: { ...second, outcome: 'REFUSED', records: 0 } }));
    expect(await verifyDay(day)).toMatchObject({
      ok: false,
      firstBroken: { seq: 2, entry: { queryId: 'q-2' }, reason: 'entry q-2 was altered after it was logged' },
    });

    await client.send(new PutCommand({ TableName: table, Item: second })); // restored
    expect((await verifyDay(day)).ok).toBe(true);
    await client.send(new DeleteCommand({ TableName: table, Key: { pk: second.pk, sk: second.sk } }));
    expect((await verifyDay(day)).firstBroken).toMatchObject({ seq: 2, reason: expect.stringMatching(/named by link 2 is missing/) });
    await client.send(new PutCommand({ TableName: table, Item: second }));

    const forged: Record<string, unknown> = {
      ...second,
      queryId: 'q-forged',
      sk: '2026-03-05T02:09:00.000Z#q-forged',
      gsi2sk: '2026-03-05T02:09:00.000Z#q-forged',
    };
    await client.send(new PutCommand({ TableName: table, Item: forged }));
    expect((await verifyDay(day)).firstBroken).toMatchObject({ seq: 0, entry: { queryId: 'q-forged' }, reason: expect.stringMatching(/in no link/) });
    await client.send(new DeleteCommand({ TableName: table, Key: { pk: forged.pk, sk: forged.sk } }));

    // and a removed link
    await client.send(new DeleteCommand({ TableName: table, Key: { pk: chainPk(day), sk: '0000000001' } }));
    expect((await verifyDay(day)).firstBroken).toMatchObject({ seq: 1, reason: 'link 1 is missing (the next stored link is 2)' });
  });

  it('appends an entry and its link in one transaction once the head is known; a retry or a lost race falls back, the chain whole', async () => {
    const day = '2026-03-06';
    const e = (n: number) => entry(n, `2026-03-06T02:0${n}:00.000Z`);
    const client = await ddb();
    const sent = vi.spyOn(client, 'send');
    const calls = () => sent.mock.calls.splice(0).map(([command]) => command.constructor.name);
    await appendQuery(e(1)); // this day's first append here: the entry, a head read, the link
    expect(calls()).toEqual(['PutCommand', 'QueryCommand', 'PutCommand']);
    await appendQuery(e(2)); // the head is the link just written: one round trip
    expect(calls()).toEqual(['TransactWriteCommand']);
    // a retry of the same entry: the transaction is refused whole, and the stored entry is linked again
    await appendQuery(e(2));
    expect(calls()).toEqual(['TransactWriteCommand', 'PutCommand', 'QueryCommand', 'PutCommand']);
    // another container (its own module state) takes the next seq: this one's transaction is refused
    vi.resetModules();
    const other = await import('#adapters/query-log-repo');
    await other.appendQuery(e(3));
    calls();
    await appendQuery(e(4));
    expect(calls()).toEqual(['TransactWriteCommand', 'PutCommand', 'QueryCommand', 'PutCommand']);
    sent.mockRestore();
    expect(await verifyDay(day)).toEqual({ day, ok: true, links: 5, entries: 4, firstBroken: null });
  });

  it("a bulk check part's appender stores each slice as it is added, and links and counts once after the last", async () => {
    const day = '2026-03-08';
    const at = '2026-03-08T03:00:00.000Z';
    // this module's own instances: a test above reset the module registry
    vi.resetModules();
    const { queryAppender, appendQueries, verifyDay, chainPk } = await import('#adapters/query-log-repo');
    const client = await ddb();
    const real = client.send.bind(client);
    const sent = vi.spyOn(client, 'send');
    const puts = () => sent.mock.calls.map(([c]) => c).filter((c) => c.constructor.name === 'PutCommand') as PutCommand[];
    const appender = queryAppender();
    appender.add(Array.from({ length: 40 }, (_, i) => entry(300 + i, at)));
    // the first slice's puts go out while its caller is still reading the next slice: no finish() yet
    await vi.waitFor(() => expect(puts()).toHaveLength(40), { timeout: 60_000 });
    expect(puts().every((c) => String(c.input.Item?.pk).startsWith('SUBJ#'))).toBe(true); // entries only, no link yet
    appender.add(Array.from({ length: 30 }, (_, i) => entry(340 + i, at)));
    await appender.finish();
    const links = puts().filter((c) => c.input.Item?.pk === chainPk(day));
    expect(links).toHaveLength(1); // 70 entries, one link, written after every put
    expect(puts().indexOf(links[0]!)).toBe(70);
    expect(await verifyDay(day)).toEqual({ day, ok: true, links: 1, entries: 70, firstBroken: null });

    // a put that fails fails finish(), and nothing is linked: the retry (a redelivered part) links all
    sent.mockImplementation(async (command: any, ...rest: any[]) => {
      if (command.input?.Item?.queryId === 'q-402') throw new Error('injected put failure');
      return (real as any)(command, ...rest);
    });
    const failing = queryAppender();
    failing.add(Array.from({ length: 10 }, (_, i) => entry(400 + i, '2026-03-09T03:00:00.000Z')));
    await expect(failing.finish()).rejects.toThrow('injected put failure');
    sent.mockRestore();
    const chain = await client.send(
      new QueryCommand({
        TableName: p.emulators.tables.queryLog,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': chainPk('2026-03-09') },
      }),
    );
    expect(chain.Items).toEqual([]);
    await appendQueries(Array.from({ length: 10 }, (_, i) => entry(400 + i, '2026-03-09T03:00:00.000Z')));
    expect(await verifyDay('2026-03-09')).toEqual({ day: '2026-03-09', ok: true, links: 1, entries: 10, firstBroken: null });
  }, 120_000); // a hundred conditional puts on the embedded emulator, on a machine shared by many test runs

  it('credit verify-log prints the verdict and exits 0 intact, 1 broken, 2 on a bad day', async () => {
    const run = (...args: string[]) => credit(['verify-log', '--api', p.url, '--local-admin', ...args]);
    const intact = await run('--day', '2026-03-04');
    expect(intact.stdout).toMatch(/^query log 2026-03-04: intact — 11 links, 608 entries recomputed/);
    expect(intact.status).toBe(0);
    const broken = await run('--day', '2026-03-05', '--json');
    expect(broken.status).toBe(1);
    expect(JSON.parse(broken.stdout)).toMatchObject({ ok: false, firstBroken: { seq: 1 } });
    const bad = await run('--day', '2026-02-30');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--day must be a calendar date/);
    const notAdmin = await credit(['verify-log', '--api', p.url, '--unit', 'SH-AMR']);
    expect(notAdmin.status).toBe(2);
    expect(notAdmin.stderr).toMatch(/HTTP 403/);
  }, 300_000); // five CLI processes, each loading tsx, on a machine shared by many test runs
});
