/**
 * The embedded AWS emulators: DynamoDB Local (AWS's DynamoDB emulator, a Java process; in memory
 * or SQLite on disk), fauxqs (SQS + S3) in-process — in memory, or with DATA_DIR its queues and
 * messages in SQLite (fauxqs/) and its objects as files (s3/), written through on every change. Tables, queues and buckets are provisioned
 * from lib/platform.ts, the same description the CDK stack is built from.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient, ListTablesCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { ChangeMessageVisibilityBatchCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { BUCKETS, QUEUES, TABLES, type BucketName, type QueueName, type TableName } from '#lib/platform';
import { startDynamoDbLocal } from './dynamodb-local.ts';

export interface Emulators {
  dynamoEndpoint: string;
  awsEndpoint: string;
  fauxqs: FauxqsServer;
  tables: Record<TableName, string>;
  buckets: Record<BucketName, string>;
  queues: Record<QueueName, { url: string; dlqUrl: string; name: string; dlqName: string }>;
  stop(): Promise<void>;
}

export interface EmulatorOptions {
  /** Directory for the persistent state (DynamoDB Local's SQLite file under dynamodb-local/); null keeps everything in memory. */
  dataDir: string | null;
  /** Visibility timeout of the queues, seconds; by default the deployed value from the manifest. */
  visibilityTimeoutSeconds?: number;
  /** Port of the local S3/SQS endpoint; 0 (the default) takes any free one. */
  awsPort?: number;
  /**
   * An in-memory DynamoDB Local that is already running (the test suite's one per Vitest worker:
   * test/support/shared-dynamo.ts), used instead of starting one: the tables are created under
   * `tablePrefix` and deleted on stop(), the emulator left running. Only without dataDir.
   */
  sharedDynamo?: { endpoint: string; tablePrefix: string };
}

const REGION = 'cn-north-1';

export function tableDefinition(name: string, t: (typeof TABLES)[TableName]): CreateTableCommandInput {
  const attrs = new Set([t.partitionKey, t.sortKey, ...t.indexes.flatMap((i) => [i.partitionKey, i.sortKey])]);
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attrs].map((a) => ({ AttributeName: a, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: t.partitionKey, KeyType: 'HASH' },
      { AttributeName: t.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: t.indexes.length
      ? t.indexes.map((i) => ({
          IndexName: i.name,
          KeySchema: [
            { AttributeName: i.partitionKey, KeyType: 'HASH' },
            { AttributeName: i.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: i.keysOnly ? 'KEYS_ONLY' : 'ALL' },
        }))
      : undefined,
  };
}

/**
 * Creates the queue, or keeps the one restored from DATA_DIR with its messages (fauxqs's
 * createQueue replaces a queue, messages and all) and gives it the manifest's attributes.
 */
async function ensureQueue(fauxqs: FauxqsServer, sqs: SQSClient, name: string, attributes: Record<string, string>) {
  const kept = fauxqs.inspectQueue(name);
  // fauxqs names queues `http://sqs.{region}.{host}:{port}/…`, not a valid URL when the host is an IP
  // address (an SDK client that sends to the queue URL fails on it); and a restored URL names the port of
  // the last run. fauxqs looks queues up by name: every caller gets this run's plain address.
  const here = (url: string) => url.replace(/^https?:\/\/[^/]+/, `http://127.0.0.1:${fauxqs.port}`);
  if (!kept) {
    const created = fauxqs.createQueue(name, { region: REGION, attributes });
    return { ...created, queueUrl: here(created.queueUrl) };
  }
  const queueUrl = here(kept.url);
  const { FifoQueue: _fifo, ...mutable } = attributes;
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: mutable }));
  // Messages the last run had received but not deleted are offered again now. In AWS they wait for
  // their visibility timeout (30–90 min in the manifest) because the queue cannot tell a dead consumer
  // from a slow one; here it can: DATA_DIR admits one instance (data-dir-lock.ts), so every receipt
  // handle restored in flight belongs to a process that no longer runs. The receive count is kept, so
  // a message that kills its consumer every time still reaches the DLQ after maxReceiveCount.
  // (Needs the patched fauxqs: 2.4.1 lost a message on ChangeMessageVisibility 0 over SQLite.)
  const inFlight = kept.messages.inflight.map((m) => m.receiptHandle);
  for (let i = 0; i < inFlight.length; i += 10) {
    const out = await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: inFlight.slice(i, i + 10).map((handle, j) => ({ Id: String(j), ReceiptHandle: handle, VisibilityTimeout: 0 })),
      }),
    );
    if (out.Failed?.length) throw new Error(`could not release ${out.Failed.length} restored in-flight message(s) of ${name}: ${out.Failed[0]!.Message}`);
  }
  return { queueUrl, queueArn: kept.arn, queueName: name };
}

export async function startEmulators(opts: EmulatorOptions): Promise<Emulators> {
  let dbPath: string | null = null;
  if (opts.dataDir) {
    dbPath = join(opts.dataDir, 'dynamodb-local');
    mkdirSync(dbPath, { recursive: true });
  }
  if (opts.sharedDynamo && opts.dataDir) throw new Error('a shared DynamoDB Local keeps nothing on disk: no dataDir with sharedDynamo');
  const shared = opts.sharedDynamo;
  const prefix = shared?.tablePrefix ?? 'credit-';
  const dynamo = shared
    ? { endpoint: shared.endpoint, stop: () => deleteTables(shared.endpoint, Object.values(tables)) }
    : await startDynamoDbLocal({ dbPath });
  let fauxqs: FauxqsServer | undefined;
  const tables = {} as Record<TableName, string>;
  try {
    fauxqs = await startFauxqs({
      port: opts.awsPort ?? 0,
      logger: false,
      host: '127.0.0.1',
      defaultRegion: REGION,
      ...(opts.dataDir ? { dataDir: join(opts.dataDir, 'fauxqs'), s3StorageDir: join(opts.dataDir, 's3') } : {}),
    });
    const client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      const existing = new Set((await client.send(new ListTablesCommand({}))).TableNames ?? []);
      for (const [logical, def] of Object.entries(TABLES) as Array<[TableName, (typeof TABLES)[TableName]]>) {
        const name = `${prefix}${logical}`;
        tables[logical] = name;
        if (!existing.has(name)) await client.send(new CreateTableCommand(tableDefinition(name, def)));
      }
    } finally {
      client.destroy();
    }
  } catch (err) {
    await fauxqs?.stop();
    await dynamo.stop(); // no Java process (or shared tables) left behind when the rest cannot start
    throw err;
  }
  const awsEndpoint = `http://127.0.0.1:${fauxqs.port}`;

  const buckets = {} as Record<BucketName, string>;
  for (const logical of Object.keys(BUCKETS) as BucketName[]) {
    buckets[logical] = `credit-${logical.toLowerCase()}`;
    fauxqs.createBucket(buckets[logical]);
  }
  const queues = {} as Emulators['queues'];
  const sqs = new SQSClient({
    endpoint: awsEndpoint,
    region: REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    useQueueUrlAsEndpoint: false,
  });
  for (const [logical, def] of Object.entries(QUEUES) as Array<[QueueName, (typeof QUEUES)[QueueName]]>) {
    const suffix = def.fifo ? '.fifo' : '';
    const fifo: Record<string, string> = def.fifo ? { FifoQueue: 'true' } : {};
    const dlq = await ensureQueue(fauxqs, sqs, `credit-${logical}-dlq${suffix}`, fifo);
    const q = await ensureQueue(fauxqs, sqs, `credit-${logical}${suffix}`, {
      ...fifo,
      VisibilityTimeout: String(opts.visibilityTimeoutSeconds ?? def.visibilityTimeoutSeconds),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.queueArn, maxReceiveCount: def.maxReceiveCount }),
    });
    queues[logical] = { url: q.queueUrl, dlqUrl: dlq.queueUrl, name: q.queueName, dlqName: dlq.queueName };
  }
  sqs.destroy();

  return {
    dynamoEndpoint: dynamo.endpoint,
    awsEndpoint,
    fauxqs,
    tables,
    buckets,
    queues,
    stop: async () => {
      await fauxqs.stop();
      await dynamo.stop();
    },
  };
}

/** Drops one platform's tables from a shared DynamoDB Local, so that the next test file's start finds it as new. */
async function deleteTables(endpoint: string, names: string[]): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const out = await Promise.allSettled(names.map((TableName) => client.send(new DeleteTableCommand({ TableName }))));
    // a table that was never created (its creation failed) is not an error here
    const failed = out.find((o): o is PromiseRejectedResult => o.status === 'rejected' && (o.reason as Error).name !== 'ResourceNotFoundException');
    if (failed) throw failed.reason;
  } finally {
    client.destroy();
  }
}
