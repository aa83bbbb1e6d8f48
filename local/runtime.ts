/**
 * The whole platform on one machine: emulators, the same handler modules Lambda runs, the SQS
 * event sources, the S3 notification bridge, the local API Gateway and the schedules.
 * `startPlatform` is used by `npm start`, the integration and e2e tests and the benchmarks.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { parseRateLimit, type RateLimit } from '#core/rate-limit';
import { BUCKETS, ENV, FUNCTIONS, QUEUES, TABLES, type FunctionName } from '#lib/platform';
import { faults, type FaultMix } from '#adapters/faults';
import { lockDataDir } from './data-dir-lock.ts';
import { startEmulators, type Emulators } from './emulators.ts';
import { startPoller, type Poller, type SqsHandler } from './event-sources.ts';
import { startHttpBridge, type HttpLambda, type RouteBinding } from './http-bridge.ts';
import { lambdaContext } from './lambda-context.ts';
import { createLocalIssuer, TokenRequest, type LocalIssuer } from './local-auth.ts';
import { startNotificationBridge, type NotificationBridge } from './s3-notifications.ts';
import { startS3CorsProxy } from './s3-cors-proxy.ts';
import { providerCredentials, startS3Endpoint } from './s3-endpoint.ts';
import { CLAIMS } from '#core/claims';

/** The built web console (npm run build:console), served at `/` when present. */
const CONSOLE_DIR = new URL('../console/dist', import.meta.url).pathname;
import { startNationalPlatform, type NationalPlatform } from './national-platform.ts';

export interface PlatformOptions {
  port?: number;
  /** Directory for persistent state; null (or ':memory:') keeps nothing. */
  dataDir?: string | null;
  /** Visibility timeout of the local queues, seconds (default: the deployed value). */
  visibilityTimeoutSeconds?: number;
  /** A running in-memory DynamoDB Local to create this platform's tables in (EmulatorOptions.sharedDynamo). */
  sharedDynamo?: { endpoint: string; tablePrefix: string };
  /** Seconds before a failed message is retried (default 1). */
  retryDelaySeconds?: number;
  /** Parallel pollers per queue-triggered function. */
  concurrency?: Partial<Record<FunctionName, number>>;
  /** How often the S3 notification bridge looks for new uploads, ms. */
  notifyEveryMs?: number;
  /** Run the scheduled functions on their local interval (off in most tests). */
  schedules?: boolean;
  log?: (msg: string, extra?: unknown) => void;
  /** Port of the local S3 (and SQS) endpoint; 0 or absent takes any free one. */
  s3Port?: number;
  /** Faults to inject (off by default; `npm start` also reads CREDIT_FAULTS as JSON). */
  faults?: FaultMix;
  /**
   * Per-client limit of the anonymous routes; default PUBLIC_RATE_LIMIT / PUBLIC_RATE_WINDOW_SECONDS
   * from the environment, else core/rate-limit's defaults (as deployed).
   */
  publicRateLimit?: RateLimit;
}

export interface Platform {
  url: string;
  port: number;
  /** The local S3 (and SQS) endpoint at S3_PORT, which checks credentials (s3-endpoint.ts). */
  s3Endpoint: string;
  emulators: Emulators;
  issuer: LocalIssuer;
  token(req: TokenRequest): Promise<string>;
  /** Emits pending S3 notifications now. */
  notifyUploads(): Promise<void>;
  /** Invokes a function directly, as a schedule would. */
  invoke(name: FunctionName, event?: unknown): Promise<unknown>;
  /** The stand-in national platform (also at /local/national/...). */
  national: NationalPlatform;
  stop(): Promise<void>;
}

function localSecrets(dataDir: string | null): { pepper: string; dataKey: string; s3Key: string } {
  const fresh = () => ({ pepper: randomBytes(32).toString('hex'), dataKey: randomBytes(32).toString('hex'), s3Key: randomBytes(32).toString('hex') });
  if (!dataDir) return fresh();
  // the pepper and data key must survive restarts, or stored hashes and sealed IDs become unreadable;
  // the S3 key too, or the providers' local S3 credentials change under them
  const file = join(dataDir, 'local-secrets.json');
  if (existsSync(file)) {
    const kept = JSON.parse(readFileSync(file, 'utf8'));
    if (kept.s3Key) return kept;
    const completed = { ...kept, s3Key: fresh().s3Key }; // a DATA_DIR from before the per-provider credentials
    writeFileSync(file, JSON.stringify(completed), { mode: 0o600 });
    return completed;
  }
  const secrets = fresh();
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

/** The limit as the operator's environment set it (read before a platform of this process writes its own). */
const RATE_LIMIT_ENV = { limit: process.env[ENV.publicRateLimit], window: process.env[ENV.publicRateWindowSeconds] };

export async function startPlatform(opts: PlatformOptions = {}): Promise<Platform> {
  const log = opts.log ?? (() => undefined);
  const dataDir = opts.dataDir && opts.dataDir !== ':memory:' ? opts.dataDir : null;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const unlock = dataDir ? lockDataDir(dataDir) : () => undefined;
  let emulators: Emulators;
  try {
    emulators = await startEmulators({ dataDir, visibilityTimeoutSeconds: opts.visibilityTimeoutSeconds, sharedDynamo: opts.sharedDynamo });
  } catch (err) {
    unlock();
    throw err;
  }
  const secrets = localSecrets(dataDir);
  // S3_PORT: the endpoint providers' own tools use, with per-provider credentials (s3-endpoint.ts)
  let s3Endpoint: Awaited<ReturnType<typeof startS3Endpoint>>;
  try {
    s3Endpoint = await startS3Endpoint({
      target: emulators.awsEndpoint,
      port: opts.s3Port ?? 0,
      localKey: secrets.s3Key,
      uploadBucket: emulators.buckets.uploads,
    });
  } catch (err) {
    await emulators.stop();
    unlock();
    throw err;
  }
  const s3Cors = await startS3CorsProxy(emulators.awsEndpoint);
  const retryDelaySeconds = opts.retryDelaySeconds ?? 1;
  if (opts.faults) faults.configure(opts.faults);

  // the environment the handlers see, as CDK wires it in AWS
  const rateLimit =
    opts.publicRateLimit ?? parseRateLimit(RATE_LIMIT_ENV.limit, RATE_LIMIT_ENV.window, { limit: ENV.publicRateLimit, window: ENV.publicRateWindowSeconds });
  Object.assign(process.env, {
    AWS_REGION: 'cn-north-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: emulators.dynamoEndpoint,
    AWS_ENDPOINT_URL_S3: emulators.awsEndpoint,
    AWS_ENDPOINT_URL_SQS: emulators.awsEndpoint,
    [ENV.stage]: 'local',
    [ENV.localPepper]: secrets.pepper,
    [ENV.localDataKey]: secrets.dataKey,
    [ENV.publicS3Endpoint]: s3Cors.url,
    // the national export signs for the stand-in national platform below; it reads what changed
    // a moment ago only (writes land within milliseconds here) and gives up on a request after 2 s
    [ENV.localNationalSecret]: randomBytes(32).toString('hex'),
    [ENV.exportLagSeconds]: process.env[ENV.exportLagSeconds] ?? '1',
    [ENV.nationalTimeoutMs]: process.env[ENV.nationalTimeoutMs] ?? '2000',
    // the per-client limit on anonymous routes, enforced here as in AWS; the key for source IPs
    // is fresh each start (counters last one window, so nothing needs it afterwards)
    [ENV.localClientKey]: randomBytes(32).toString('hex'),
    [ENV.publicRateLimit]: String(rateLimit.limit),
    [ENV.publicRateWindowSeconds]: String(rateLimit.windowSeconds),
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN',
  });
  for (const [t, def] of Object.entries(TABLES)) process.env[def.env] = emulators.tables[t as keyof typeof TABLES];
  for (const [b, def] of Object.entries(BUCKETS)) process.env[def.env] = emulators.buckets[b as keyof typeof BUCKETS];
  for (const [q, def] of Object.entries(QUEUES)) process.env[def.env] = emulators.queues[q as keyof typeof QUEUES].url;

  const clientConfig = { region: 'cn-north-1', endpoint: emulators.awsEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
  const sqs = new SQSClient({ ...clientConfig, useQueueUrlAsEndpoint: false });
  const s3 = new S3Client({ ...clientConfig, forcePathStyle: true });
  const onError = (where: string) => (err: unknown) => log(`error in ${where}`, err);

  // handler modules are imported after the environment is set: their SDK clients read it at load
  const modules = new Map<FunctionName, Promise<{ handler: unknown }>>();
  const load = <T>(name: FunctionName) => {
    if (!modules.has(name)) modules.set(name, import(new URL(`../${FUNCTIONS[name].entry}`, import.meta.url).href));
    return modules.get(name)!.then((m) => m.handler as T);
  };

  const pollers: Poller[] = [];
  for (const [name, def] of Object.entries(FUNCTIONS) as Array<[FunctionName, (typeof FUNCTIONS)[FunctionName]]>) {
    const t = def.trigger;
    if (t.kind === 'queue') {
      const q = emulators.queues[t.queue];
      pollers.push(
        startPoller({
          sqs,
          queueUrl: q.url,
          queueArn: `arn:aws:sqs:cn-north-1:000000000000:${q.name}`,
          functionName: name,
          batchSize: t.batchSize,
          concurrency: opts.concurrency?.[name] ?? (name === 'processChunk' ? 2 : 1),
          handler: () => load<SqsHandler>(name),
          onError: onError(name),
          retryDelaySeconds,
        }),
      );
    } else if (t.kind === 'deadLetters') {
      for (const queue of t.queues) {
        const q = emulators.queues[queue];
        pollers.push(
          startPoller({
            sqs,
            queueUrl: q.dlqUrl,
            queueArn: `arn:aws:sqs:cn-north-1:000000000000:${q.dlqName}`,
            functionName: name,
            batchSize: t.batchSize,
            concurrency: 1,
            handler: () => load<SqsHandler>(name),
            onError: onError(name),
            retryDelaySeconds,
          }),
        );
      }
    }
  }

  const timers: NodeJS.Timeout[] = [];
  const invoke = async (
    name: FunctionName,
    event: unknown = { source: 'aws.scheduler', 'detail-type': 'Scheduled Event', time: new Date().toISOString(), detail: {} },
  ) => {
    const handler = await load<(e: unknown, c: unknown) => Promise<unknown>>(name);
    return handler(event, lambdaContext(name));
  };
  if (opts.schedules) {
    for (const [name, def] of Object.entries(FUNCTIONS) as Array<[FunctionName, (typeof FUNCTIONS)[FunctionName]]>) {
      if (def.trigger.kind === 'schedule') {
        timers.push(setInterval(() => void invoke(name).catch(onError(name)), def.trigger.localEverySeconds * 1000));
      }
      const t = def.trigger;
      if (t.kind === 'queue' && t.schedule) {
        // EventBridge Scheduler's SQS target: a message on the function's queue
        const queueUrl = emulators.queues[t.queue].url;
        const tick = () => sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ trigger: 'SCHEDULE' }) }));
        timers.push(setInterval(() => void tick().catch(onError(name)), t.schedule.localEverySeconds * 1000));
      }
    }
  }

  // one bridge per bucket whose manifest entry asks for notifications (uploads → uploadEvents, imports → catalogImports)
  const bridges: NotificationBridge[] = [];
  for (const [b, def] of Object.entries(BUCKETS) as Array<[keyof typeof BUCKETS, (typeof BUCKETS)[keyof typeof BUCKETS]]>) {
    if (!def.notify) continue;
    bridges.push(
      startNotificationBridge({
        s3,
        sqs,
        bucket: emulators.buckets[b],
        prefix: def.notify.prefix,
        queueUrl: emulators.queues[def.notify.queue].url,
        everyMs: opts.notifyEveryMs ?? 250,
        onError: onError('s3-notifications'),
      }),
    );
  }
  const bridge = {
    scan: () => Promise.all(bridges.map((x) => x.scan())).then(() => undefined),
    stop: () => Promise.all(bridges.map((x) => x.stop())).then(() => undefined),
  };

  const routes: RouteBinding[] = [];
  for (const [name, def] of Object.entries(FUNCTIONS) as Array<[FunctionName, (typeof FUNCTIONS)[FunctionName]]>) {
    if (def.trigger.kind !== 'http') continue;
    for (const key of def.trigger.routes) {
      const [method, template] = key.split(' ') as [string, string];
      routes.push({ method, template, functionName: name, handler: () => load<HttpLambda>(name) });
    }
  }
  const national = startNationalPlatform({
    secret: () => process.env[ENV.localNationalSecret]!,
    clientTimeoutMs: () => Number(process.env[ENV.nationalTimeoutMs]),
  });
  let port = opts.port ?? 3000;
  let issuer = await createLocalIssuer(`http://127.0.0.1:${port}/local`);
  let ready = false;
  const server: Server = await startHttpBridge({
    port,
    routes,
    get issuer() {
      return issuer;
    },
    local: {
      ...national.routes,
      // the console's config: the API is this origin and the demo accounts sign in (a deployed site has the stack's file)
      'GET /config.json': async () => ({ status: 200, body: { apiUrl: '' } }),
      // a provider's credentials for the local S3 endpoint, confined to incoming/{its code}/ (in AWS:
      // assuming the upload role with its provider tag)
      'POST /local/s3-credentials': async (req) => {
        const claims = await issuer.verify(String(req.headers.authorization ?? '').replace(/^Bearer /, '')).catch(() => undefined);
        const unit = claims?.[CLAIMS.unit];
        if (claims?.[CLAIMS.role] !== 'provider' || typeof unit !== 'string')
          return {
            status: 403,
            body: { error: { code: 'FORBIDDEN', message: 'a provider token is required (POST /local/token with role provider and its unit)', details: [] } },
          };
        const c = providerCredentials(secrets.s3Key, unit);
        return {
          status: 200,
          body: { ...c, region: 'cn-north-1', endpoint: s3Endpoint.url, bucket: emulators.buckets.uploads, prefix: `incoming/${unit}/` },
        };
      },
      'GET /health': async () => (ready ? { status: 200, body: { status: 'ok' } } : { status: 503, body: { status: 'starting' } }),
      'POST /local/token': async (_req, body) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body || '{}');
        } catch {
          return { status: 400, body: { error: { code: 'INVALID_JSON', message: 'the request body is not valid JSON', details: [] } } };
        }
        const r = TokenRequest.safeParse(parsed);
        if (!r.success)
          return {
            status: 400,
            body: {
              error: { code: 'VALIDATION_FAILED', message: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), details: r.error.issues },
            },
          };
        return { status: 200, body: { token: await issuer.sign(r.data) } };
      },
    },
    staticDir: existsSync(CONSOLE_DIR) ? CONSOLE_DIR : undefined,
    onError: onError('http'),
  } as Parameters<typeof startHttpBridge>[0]);
  const address = server.address();
  if (address && typeof address === 'object' && address.port !== port) {
    port = address.port; // an ephemeral port (tests pass 0)
    issuer = await createLocalIssuer(`http://127.0.0.1:${port}/local`);
  }
  ready = true;
  const url = `http://127.0.0.1:${port}`;
  process.env[ENV.nationalEndpoint] = `${url}/local/national/batches`;

  return {
    url,
    port,
    s3Endpoint: s3Endpoint.url,
    emulators,
    get issuer() {
      return issuer;
    },
    token: (req) => issuer.sign(req),
    notifyUploads: () => bridge.scan(),
    invoke,
    national,
    stop: async () => {
      ready = false;
      for (const t of timers) clearInterval(t);
      await bridge.stop();
      await Promise.all(pollers.map((p) => p.stop())); // drains in-flight work
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
      sqs.destroy();
      s3.destroy();
      await s3Cors.stop();
      await s3Endpoint.stop();
      await emulators.stop();
      unlock();
    },
  };
}
