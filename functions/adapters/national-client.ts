/**
 * The national platform's record endpoint: one signed POST per batch of at most 500 records.
 * The body is signed with HMAC-SHA256 (`X-Signature: sha256=<hex>`) under a key from Secrets
 * Manager (local: LOCAL_NATIONAL_SECRET). 5xx answers, 429 and timeouts are retried with
 * exponential backoff and full jitter; each record carries its own idempotency key, so a retried
 * batch the platform had already applied changes nothing twice.
 */
import { createHmac } from 'node:crypto';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import type { ExportOp } from '#core/export-plan';
import type { NationalFields, NationalType } from '#core/national-format';
import type { CREDIT_LIST_TYPE } from '#core/national-lists';
import { ENV } from '#lib/platform';

export const MAX_BATCH = 500;
const MAX_ATTEMPTS = 6;
const BASE_DELAY_MS = 200;
const MAX_DELAY_MS = 5_000;
const DEFAULT_TIMEOUT_MS = 30_000;

export interface NationalRecord {
  key: string;
  /** A double-publicity record, or a credit-list entry (core/national-lists). */
  type: NationalType | typeof CREDIT_LIST_TYPE;
  op: ExportOp;
  seq: number;
  version: string;
  idempotencyKey: string;
  fields?: NationalFields;
}

export const NationalResultSchema = z.object({
  idempotencyKey: z.string(),
  status: z.enum(['ACCEPTED', 'REJECTED']),
  nationalId: z.string().nullable().optional(),
  error: z.string().optional(),
});
export type NationalResult = z.infer<typeof NationalResultSchema>;

/**
 * The answer's results when every one has the shape of NationalResultSchema, checked in place: a
 * batch answers 500 of them, and a schema parse copied each one on the run's thread.
 */
export function resultsOf(answer: unknown): NationalResult[] | undefined {
  const results = (answer as { results?: unknown } | null)?.results;
  if (!Array.isArray(results)) return undefined;
  for (const r of results as Array<Partial<Record<keyof NationalResult, unknown>> | null>) {
    if (typeof r !== 'object' || r === null || typeof r.idempotencyKey !== 'string') return undefined;
    if (r.status !== 'ACCEPTED' && r.status !== 'REJECTED') return undefined;
    if (r.nationalId !== undefined && r.nationalId !== null && typeof r.nationalId !== 'string') return undefined;
    if (r.error !== undefined && typeof r.error !== 'string') return undefined;
  }
  return results as NationalResult[];
}

/** The platform gave no usable answer after every retry: the batch stays unacknowledged. */
export class NationalUnavailableError extends Error {
  constructor(
    message: string,
    readonly retries: number,
  ) {
    super(message);
    this.name = 'NationalUnavailableError';
  }
}

/** A 4xx other than 429: the request itself is wrong (signature, format); retrying cannot help. */
export class NationalRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'NationalRequestError';
  }
}

export const signBody = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

let signingKey: Promise<string> | undefined;

function loadSigningKey(): Promise<string> {
  signingKey ??= (async () => {
    const local = process.env[ENV.localNationalSecret];
    if (local) return local;
    const arn = process.env[ENV.nationalSecretArn];
    if (!arn) throw new Error(`${ENV.nationalSecretArn} or ${ENV.localNationalSecret} must be set`);
    // imported when needed: the local runtime loads this module (its stand-in signs like the
    // client) before it has pointed the AWS clients at the emulators
    const { secrets } = await import('./clients.ts');
    const out = await secrets.send(new GetSecretValueCommand({ SecretId: arn }));
    if (!out.SecretString) throw new Error('the national signing secret is empty');
    return out.SecretString;
  })().catch((err) => {
    signingKey = undefined;
    throw err;
  });
  return signingKey;
}

export interface SendOutcome {
  results: NationalResult[];
  /** Requests repeated after a 5xx, 429 or timeout. */
  retries: number;
}

export interface NationalClient {
  send(batchId: string, records: NationalRecord[]): Promise<SendOutcome>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function nationalClient(): Promise<NationalClient> {
  const endpoint = process.env[ENV.nationalEndpoint];
  if (!endpoint) throw new Error(`${ENV.nationalEndpoint} is not configured for this stage (CDK context nationalEndpoint)`);
  const secret = await loadSigningKey();
  const timeoutMs = Number(process.env[ENV.nationalTimeoutMs] ?? DEFAULT_TIMEOUT_MS);
  return {
    async send(batchId, records) {
      if (records.length > MAX_BATCH) throw new Error(`a batch holds at most ${MAX_BATCH} records`);
      const body = JSON.stringify({ batchId, records });
      const headers = { 'content-type': 'application/json', 'x-signature': signBody(secret, body), 'x-batch-id': batchId };
      let last = '';
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        if (attempt > 0) await sleep(Math.random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt));
        let res: Response;
        try {
          res = await fetch(endpoint, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
        } catch (err) {
          last = (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (err as Error).message;
          continue;
        }
        const text = await res.text().catch(() => '');
        if (res.status >= 500 || res.status === 429) {
          last = `HTTP ${res.status}`;
          continue;
        }
        if (!res.ok) throw new NationalRequestError(res.status, `national platform refused batch ${batchId}: HTTP ${res.status} ${text.slice(0, 300)}`);
        const results = resultsOf(safeJson(text));
        if (!results) {
          last = `unreadable answer: ${text.slice(0, 200)}`;
          continue;
        }
        return { results, retries: attempt };
      }
      throw new NationalUnavailableError(`batch ${batchId}: no answer after ${MAX_ATTEMPTS} attempts (last: ${last})`, MAX_ATTEMPTS - 1);
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
