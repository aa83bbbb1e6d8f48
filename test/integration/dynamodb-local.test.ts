/**
 * The local DynamoDB is AWS's DynamoDB Local: transactions are honoured and a failed condition
 * cancels the whole transaction with the reasons AWS reports; tables persist on disk across a
 * restart; two emulators never share a port; the Java process does not outlive its parent, even
 * one killed with SIGKILL; a missing Java says how to install it; test platforms sharing their Vitest
 * worker's DynamoDB Local (test/support/shared-dynamo.ts) see only their own tables, and one started
 * outside Vitest (the benchmarks, npm run reliability) starts an emulator of its own.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateTableCommand, DynamoDBClient, paginateListTables, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { JavaMissingError, startDynamoDbLocal, type DynamoDbLocal } from '#local/dynamodb-local';
import { publishDemoCatalog, startTestPlatform, type TestPlatform } from '../support/platform.ts';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
// tests that start DynamoDB Local themselves: a JVM start took 15–25 s on the shared 2-core machine, two of them 50–60 s
const JVM_STARTS_MS = 240_000;
const client = (endpoint: string) => DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint, region: 'cn-north-1', credentials, maxAttempts: 1 }));
const createTable = (db: DynamoDBDocumentClient, TableName: string) =>
  db.send(
    new CreateTableCommand({
      TableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    }),
  );

describe('DynamoDB Local in memory', () => {
  let ddb: DynamoDbLocal;
  let db: DynamoDBDocumentClient;
  beforeAll(async () => {
    ddb = await startDynamoDbLocal({ dbPath: null });
    db = client(ddb.endpoint);
    await createTable(db, 'txn');
  });
  afterAll(async () => {
    db?.destroy();
    await ddb?.stop();
  });

  it('honours TransactWriteItems: every write or none', async () => {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: 'txn', Item: { pk: 'OBJ#1', sk: 'A', state: 'OPEN' } } },
          { Put: { TableName: 'txn', Item: { pk: 'REC#1', sk: 'A', objection: 'OBJ#1' }, ConditionExpression: 'attribute_not_exists(pk)' } },
        ],
      }),
    );
    expect((await db.send(new GetCommand({ TableName: 'txn', Key: { pk: 'OBJ#1', sk: 'A' } }))).Item?.state).toBe('OPEN');
    expect((await db.send(new GetCommand({ TableName: 'txn', Key: { pk: 'REC#1', sk: 'A' } }))).Item?.objection).toBe('OBJ#1');
  });

  it('cancels the whole transaction on a failed condition, with CancellationReasons as AWS reports them', async () => {
    await db.send(new PutCommand({ TableName: 'txn', Item: { pk: 'REC#2', sk: 'A', objection: 'OBJ#0' } }));
    const err = await db
      .send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: 'txn', Item: { pk: 'OBJ#2', sk: 'A', state: 'OPEN' } } },
            {
              Update: {
                TableName: 'txn',
                Key: { pk: 'REC#2', sk: 'A' },
                UpdateExpression: 'SET objection = :o',
                ConditionExpression: 'attribute_not_exists(objection)',
                ExpressionAttributeValues: { ':o': 'OBJ#2' },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
          ],
        }),
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(TransactionCanceledException);
    const reasons = (err as TransactionCanceledException).CancellationReasons ?? [];
    expect(reasons.map((r) => r.Code)).toEqual(['None', 'ConditionalCheckFailed']);
    expect(reasons[1]?.Item?.objection).toEqual({ S: 'OBJ#0' });
    expect((err as Error).message).toMatch(/Transaction cancelled/);
    // nothing of the cancelled transaction was written
    expect((await db.send(new GetCommand({ TableName: 'txn', Key: { pk: 'OBJ#2', sk: 'A' } }))).Item).toBeUndefined();
    expect((await db.send(new GetCommand({ TableName: 'txn', Key: { pk: 'REC#2', sk: 'A' } }))).Item?.objection).toBe('OBJ#0');
  });

  it(
    'a second emulator started at the same time gets its own port',
    async () => {
      const [a, b] = await Promise.all([startDynamoDbLocal({ dbPath: null }), startDynamoDbLocal({ dbPath: null })]);
      try {
        expect(new Set([a.port, b.port, ddb.port]).size).toBe(3);
        const da = client(a.endpoint);
        await createTable(da, 'only-in-a');
        const db2 = client(b.endpoint);
        await createTable(db2, 'only-in-a'); // would fail with ResourceInUseException if both were one emulator
        da.destroy();
        db2.destroy();
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
    },
    JVM_STARTS_MS,
  );
});

describe('DynamoDB Local and a taken port', () => {
  it(
    'is not fooled by another HTTP server on its port: it moves to the next port',
    async () => {
      // what CI once met: another test file's S3/SQS emulator took the port between the free-port
      // probe and Java's bind, answered the readiness probe, and tables were created against it
      const squatter = createHttpServer((_req, res) => res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' }).end('{"__type":"InvalidAction"}'));
      await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
      const taken = (squatter.address() as AddressInfo).port;
      const ports = [taken];
      const pickPort = async () => {
        const next = ports.shift();
        if (next !== undefined) return next;
        const probe = createServer();
        await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
        const { port } = probe.address() as AddressInfo;
        await new Promise((resolve) => probe.close(resolve));
        return port;
      };
      const ddb = await startDynamoDbLocal({ dbPath: null, pickPort });
      try {
        expect(ddb.port).not.toBe(taken);
        const db = client(ddb.endpoint);
        await createTable(db, 'real');
        db.destroy();
      } finally {
        await ddb.stop();
        await new Promise((resolve) => squatter.close(resolve));
      }
    },
    JVM_STARTS_MS,
  );
});

describe('DynamoDB Local on disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ddb-local-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(
    'keeps tables and items across a restart',
    async () => {
      const first = await startDynamoDbLocal({ dbPath: dir });
      const a = client(first.endpoint);
      await createTable(a, 'kept');
      await a.send(new PutCommand({ TableName: 'kept', Item: { pk: 'p', sk: 's', n: 1 } }));
      a.destroy();
      await first.stop();
      const second = await startDynamoDbLocal({ dbPath: dir });
      const b = client(second.endpoint);
      try {
        expect((await b.send(new GetCommand({ TableName: 'kept', Key: { pk: 'p', sk: 's' } }))).Item?.n).toBe(1);
      } finally {
        b.destroy();
        await second.stop();
      }
    },
    JVM_STARTS_MS,
  );
});

describe('DynamoDB Local process', () => {
  it(
    'does not outlive a parent killed with SIGKILL',
    async () => {
      const script = `import { startDynamoDbLocal } from '#local/dynamodb-local'; const d = await startDynamoDbLocal({ dbPath: null }); console.log('PORT ' + d.port);`;
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: process.cwd(),
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const port = await new Promise<number>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (b: Buffer) => {
          out += b.toString();
          const m = /PORT (\d+)/.exec(out);
          if (m) resolve(Number(m[1]));
        });
        child.once('exit', (code) => reject(new Error(`child exited ${code} before the emulator started: ${out}`)));
      });
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(400);
      child.kill('SIGKILL');
      // the supervisor sees its stdin close and stops Java; poll until the port no longer answers
      const deadline = Date.now() + 30_000;
      let answering = true;
      while (answering && Date.now() < deadline) {
        answering = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) }).then(
          () => true,
          () => false,
        );
        if (answering) await new Promise((r) => setTimeout(r, 200));
      }
      expect(answering).toBe(false);
    },
    JVM_STARTS_MS,
  );

  it('without Java, says how to install it', async () => {
    const err = await startDynamoDbLocal({ dbPath: null, env: { PATH: '/nonexistent' } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(JavaMissingError);
    expect((err as JavaMissingError).code).toBe('JAVA_MISSING');
    expect((err as Error).message).toContain('apt-get install -y openjdk-17-jre-headless');
  });
});

describe("the Vitest worker's DynamoDB Local, shared by the test platforms", () => {
  const started: TestPlatform[] = [];
  afterAll(async () => {
    for (const p of started) await p.stop();
  });

  it('gives each platform tables of its own, and drops them when it stops', async () => {
    const first = await startTestPlatform();
    started.push(first);
    const second = await startTestPlatform();
    started.push(second);
    expect(second.emulators.dynamoEndpoint).toBe(first.emulators.dynamoEndpoint); // one emulator, no second JVM
    const firstTables = Object.values(first.emulators.tables);
    const secondTables = Object.values(second.emulators.tables);
    expect(firstTables.filter((t) => secondTables.includes(t))).toEqual([]);

    // the second platform's catalog is written to its table only
    await publishDemoCatalog(second);
    const db = client(first.emulators.dynamoEndpoint);
    try {
      const count = async (TableName: string) => (await db.send(new ScanCommand({ TableName, Select: 'COUNT' }))).Count;
      expect(await count(second.emulators.tables.catalog)).toBeGreaterThan(0);
      expect(await count(first.emulators.tables.catalog)).toBe(0);

      await second.stop();
      started.pop();
      const left = new Set<string>();
      const raw = new DynamoDBClient({ endpoint: first.emulators.dynamoEndpoint, region: 'cn-north-1', credentials });
      for await (const page of paginateListTables({ client: raw }, {})) for (const t of page.TableNames ?? []) left.add(t);
      raw.destroy();
      expect(secondTables.filter((t) => left.has(t))).toEqual([]);
      expect(firstTables.filter((t) => !left.has(t))).toEqual([]);
    } finally {
      db.destroy();
    }
  });
});

describe('a test platform started outside Vitest (the benchmarks in bench/, npm run reliability)', () => {
  it(
    'starts its own DynamoDB Local instead of asking for a Vitest worker’s',
    async () => {
      const script = `import { startTestPlatform } from './test/support/platform.ts'; const p = await startTestPlatform(); console.log('TABLE ' + p.emulators.tables.catalog); await p.stop();`;
      // without VITEST in its environment, as `npm run bench:*` runs it
      const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')));
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: process.cwd(),
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (b: Buffer) => (out += b.toString()));
      child.stderr.on('data', (b: Buffer) => (err += b.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(err).not.toContain('Vitest failed to access its internal state');
      expect(code).toBe(0);
      expect(out).toMatch(/TABLE \S+/);
    },
    JVM_STARTS_MS,
  );
});
