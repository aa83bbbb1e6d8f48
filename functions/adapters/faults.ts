/**
 * Fault injection for the local runtime and the tests — off by default, and never switched on in
 * AWS (only `startPlatform({ faults })`, the CREDIT_FAULTS variable of `npm start`, and tests
 * turn it on). An AWS SDK middleware on the shared clients injects what AWS does under load:
 * DynamoDB throttling (retried by the SDK) and UnprocessedItems (retried by batch-io), S3 read
 * errors and truncated range reads; the local SQS event source redelivers handled messages as
 * duplicates; and a worker can die after N subject-table writes, or right after a named one (the
 * rights transactions: adapters/transact).
 */
import { Readable } from 'node:stream';

export class InjectedCrashError extends Error {
  constructor(point: string) {
    super(`injected crash at ${point}`);
    this.name = 'InjectedCrashError';
  }
}

export interface FaultMix {
  /** Share of DynamoDB requests refused with ProvisionedThroughputExceededException / ThrottlingException. */
  dynamoThrottleRate?: number;
  /** Share of BatchWriteItem / BatchGetItem requests that leave half their items unprocessed. */
  unprocessedRate?: number;
  /** Share of S3 GetObject requests failing with a 500 InternalError. */
  s3ReadErrorRate?: number;
  /** Share of S3 ranged reads that return fewer bytes than asked for. */
  s3TruncateRate?: number;
  /** Share of handled SQS messages delivered once more (at-least-once delivery). */
  sqsDuplicateRate?: number;
  /** A worker that dies after this many subject-table writes, `times` times. */
  crashAfterWrites?: { writes: number; times?: number };
  /** A request that dies right after the write named so (adapters/transact points), `times` times. */
  crashAtPoint?: { point: string; times?: number };
  /** An export run that dies after this many answered national batches (once). */
  crashAfterExportBatches?: number;
  /** Seed of the fault dice, for reproducible runs. */
  seed?: number;
}

export type FaultCounts = Record<'throttled' | 'unprocessed' | 's3Errors' | 'truncated' | 'duplicates' | 'crashes', number>;

const zero = (): FaultCounts => ({ throttled: 0, unprocessed: 0, s3Errors: 0, truncated: 0, duplicates: 0, crashes: 0 });
const state: { mix: FaultMix; writes: number; crashesLeft: number; pointCrashesLeft: number; exportBatches: number; counts: FaultCounts; roll: () => number } =
  {
    mix: {},
    writes: 0,
    crashesLeft: 0,
    pointCrashesLeft: 0,
    exportBatches: 0,
    counts: zero(),
    roll: Math.random,
  };

/** mulberry32: reproducible dice for a seeded fault run. */
function dice(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hit = (rate: number | undefined) => rate !== undefined && rate > 0 && state.roll() < rate;

export const faults = {
  configure(mix: FaultMix): void {
    state.mix = { ...mix };
    state.writes = 0;
    state.exportBatches = 0;
    state.crashesLeft = mix.crashAfterWrites ? (mix.crashAfterWrites.times ?? 1) : 0;
    state.pointCrashesLeft = mix.crashAtPoint ? (mix.crashAtPoint.times ?? 1) : 0;
    state.counts = zero();
    state.roll = dice(mix.seed ?? 1);
  },
  crashAfterWrites(writes: number, times = 1): void {
    faults.configure({ ...state.mix, crashAfterWrites: { writes, times } });
  },
  crashAtPoint(point: string, times = 1): void {
    faults.configure({ ...state.mix, crashAtPoint: { point, times } });
  },
  crashAfterExportBatches(batches: number): void {
    faults.configure({ ...state.mix, crashAfterExportBatches: batches });
  },
  clear(): void {
    faults.configure({});
  },
  /** How many faults of each kind were injected since the last configure. */
  counts(): FaultCounts {
    return { ...state.counts };
  },
  /** Asked by the local SQS event source for each handled message: deliver it once more? */
  duplicateDelivery(): boolean {
    if (!hit(state.mix.sqsDuplicateRate)) return false;
    state.counts.duplicates++;
    return true;
  },
};

const fromEnv = process.env.CREDIT_FAULTS;
if (fromEnv) faults.configure(JSON.parse(fromEnv) as FaultMix);

/** Called after each subject-table write. */
export function afterWrite(point: string): void {
  if (state.mix.crashAtPoint?.point === point && state.pointCrashesLeft > 0) {
    state.pointCrashesLeft--;
    state.counts.crashes++;
    throw new InjectedCrashError(point);
  }
  const crash = state.mix.crashAfterWrites;
  if (!crash || state.crashesLeft <= 0) return;
  if (++state.writes < crash.writes) return;
  state.writes = 0;
  state.crashesLeft--;
  state.counts.crashes++;
  throw new InjectedCrashError(point);
}

/** Called after each national batch an export run got an answer for. */
export function afterExportBatch(): void {
  const limit = state.mix.crashAfterExportBatches;
  if (!limit || ++state.exportBatches < limit) return;
  state.mix = { ...state.mix, crashAfterExportBatches: undefined };
  state.counts.crashes++;
  throw new InjectedCrashError('export batch');
}

function awsError(name: string, status: number, message: string): Error {
  return Object.assign(new Error(`${message} (injected)`), { name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } });
}

type Middleware = (next: (args: any) => Promise<any>, context: { commandName?: string }) => (args: any) => Promise<any>;
interface MiddlewareClient {
  middlewareStack: { add(mw: Middleware, options: { step: 'initialize' | 'deserialize'; name: string }): void };
}

/** Moves half of a batch request's entries into the response's unprocessed part. */
function splitBatch(input: Record<string, any>, field: 'RequestItems'): { sent: any; held: Record<string, any> } | null {
  const requests = input[field] as Record<string, any>;
  const sent: Record<string, any> = {};
  const held: Record<string, any> = {};
  let moved = 0;
  for (const [table, entry] of Object.entries(requests)) {
    const list: unknown[] = Array.isArray(entry) ? entry : entry.Keys;
    const keep = list.slice(0, Math.ceil(list.length / 2));
    const rest = list.slice(keep.length);
    moved += rest.length;
    sent[table] = Array.isArray(entry) ? keep : { ...entry, Keys: keep };
    if (rest.length) held[table] = Array.isArray(entry) ? rest : { ...entry, Keys: rest };
  }
  return moved ? { sent: { ...input, [field]: sent }, held } : null;
}

/** Installs the fault middleware on an SDK client (a no-op pass-through while faults are off). */
export function withFaults<T>(client: T, service: 'dynamodb' | 's3'): T {
  const stack = (client as MiddlewareClient).middlewareStack;
  // inside the SDK's retry loop: a throttled or failed attempt is retried as AWS's would be
  stack.add(
    (next, context) => async (args) => {
      const mix = state.mix;
      if (service === 'dynamodb' && hit(mix.dynamoThrottleRate)) {
        state.counts.throttled++;
        throw state.roll() < 0.5
          ? awsError('ProvisionedThroughputExceededException', 400, 'The level of configured provisioned throughput for the table was exceeded')
          : awsError('ThrottlingException', 400, 'Rate of requests exceeds the allowed throughput');
      }
      if (service === 's3' && context.commandName === 'GetObjectCommand' && hit(mix.s3ReadErrorRate)) {
        state.counts.s3Errors++;
        throw awsError('InternalError', 500, 'We encountered an internal error. Please try again.');
      }
      return next(args);
    },
    { step: 'deserialize', name: 'injectRequestFaults' },
  );
  // around the whole call: partial batch results and short reads, which the SDK hands back as success
  stack.add(
    (next, context) => async (args) => {
      const mix = state.mix;
      const command = context.commandName;
      if (service === 'dynamodb' && (command === 'BatchWriteItemCommand' || command === 'BatchGetItemCommand') && hit(mix.unprocessedRate)) {
        const split = splitBatch(args.input, 'RequestItems');
        if (split) {
          state.counts.unprocessed++;
          const out = await next({ ...args, input: split.sent });
          const field = command === 'BatchWriteItemCommand' ? 'UnprocessedItems' : 'UnprocessedKeys';
          out.output[field] = { ...(out.output[field] ?? {}), ...split.held };
          return out;
        }
      }
      if (service === 's3' && command === 'GetObjectCommand' && args.input.Range && hit(mix.s3TruncateRate)) {
        const out = await next(args);
        const bytes: Uint8Array = await out.output.Body.transformToByteArray();
        state.counts.truncated++;
        const short = Buffer.from(bytes.subarray(0, Math.floor(bytes.length / 2)));
        out.output.Body = Object.assign(Readable.from([short]), {
          transformToByteArray: async () => short,
          transformToString: async (enc?: BufferEncoding) => short.toString(enc),
        });
        return out;
      }
      return next(args);
    },
    { step: 'initialize', name: 'injectResultFaults' },
  );
  return client;
}
