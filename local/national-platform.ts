/**
 * A stand-in for the national credit information sharing platform (国家信用信息共享平台), served by
 * the local HTTP bridge under /local/national/. It checks each batch's HMAC-SHA256 signature,
 * validates every record strictly against the Version B format (core/national-format, the same
 * rules the exporter applies; credit-list entries, type CREDIT_LIST, against core/national-lists),
 * and keeps one entry per record key:
 *   - a record's idempotency key is applied once; a repeat gets the first answer again;
 *   - the highest sequence number wins, so a late retry of an older version changes nothing;
 *   - a withdrawal marks the entry WITHDRAWN; a withdrawal of a key it never held is accepted and
 *     leaves nothing listed, but its sequence is kept, so an older add arriving later changes nothing.
 * Tests make it misbehave with POST /local/national/faults: a share of batches answered 503, a
 * share that time out (applied, but answered only after the client has given up), and keys it rejects.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { describeProblems, validateNational, type NationalFields, type NationalType } from '#core/national-format';
import { CREDIT_LIST_TYPE, validateListEntry } from '#core/national-lists';
import { shanghaiDay } from '#core/working-days';
import { MAX_BATCH, signBody, type NationalResult } from '#adapters/national-client';
import type { LocalRoute } from './http-bridge.ts';

export interface HeldRecord {
  key: string;
  type: NationalType | typeof CREDIT_LIST_TYPE;
  status: 'ACTIVE' | 'WITHDRAWN';
  version: string;
  seq: number;
  nationalId: string;
  fields: NationalFields;
  updatedAt: string;
}

const FaultsSchema = z.strictObject({
  errorRate: z.number().min(0).max(1).default(0),
  timeoutRate: z.number().min(0).max(1).default(0),
  rejectKeys: z.array(z.string()).max(100_000).default([]),
  /** The next n batches are refused with 503 / answered late whatever the rates (deterministic faults for tests). */
  failNext: z.number().int().min(0).max(1000).default(0),
  timeOutNext: z.number().int().min(0).max(1000).default(0),
  /** How long a "timed out" answer is held back, ms (default: the client's timeout + 1 s). */
  timeoutDelayMs: z.number().int().min(0).max(120_000).optional(),
});
type Faults = z.infer<typeof FaultsSchema>;

const RecordSchema = z.strictObject({
  key: z.string().min(1).max(64),
  type: z.enum(['PENALTY', 'LICENSING', CREDIT_LIST_TYPE]),
  op: z.enum(['UPSERT', 'WITHDRAW']),
  seq: z.number().int().min(1),
  version: z.string().min(1).max(64),
  idempotencyKey: z.string().min(1).max(200),
  fields: z.record(z.string(), z.string()).optional(),
});
const BatchSchema = z.strictObject({ batchId: z.string().min(1).max(200), records: z.array(RecordSchema).min(1).max(MAX_BATCH) });

export interface NationalPlatform {
  routes: Record<string, LocalRoute>;
  records(): HeldRecord[];
  setFaults(faults: Partial<Faults>): void;
  /** Batches received (including refused and timed-out ones). */
  stats(): { batches: number; applied: number; failedOnPurpose: number; timedOutOnPurpose: number };
}

/** National ids: 处罚 CF…, 许可 XK…, 名单 MD…. */
const PREFIX = { PENALTY: 'CF', LICENSING: 'XK', [CREDIT_LIST_TYPE]: 'MD' } as const;

const error = (status: number, code: string, message: string) => ({ status, body: { error: { code, message, details: [] } } });

export function startNationalPlatform(o: { secret: () => string; clientTimeoutMs: () => number; today?: () => string }): NationalPlatform {
  const held = new Map<string, HeldRecord>();
  const answered = new Map<string, NationalResult>();
  /** The sequence of withdrawals of keys it never held (not listed: nothing is held for them). */
  const withdrawnUnheld = new Map<string, number>();
  let faults: Faults = FaultsSchema.parse({});
  let rejectKeys = new Set<string>();
  let nextId = 1;
  const counters = { batches: 0, applied: 0, failedOnPurpose: 0, timedOutOnPurpose: 0 };
  const today = o.today ?? (() => shanghaiDay(new Date()));

  function apply(r: z.infer<typeof RecordSchema>, at: string, day: string): NationalResult {
    const prior = answered.get(r.idempotencyKey);
    if (prior) return prior;
    const current = held.get(r.key);
    let result: NationalResult;
    if (rejectKeys.has(r.key)) {
      result = { idempotencyKey: r.idempotencyKey, status: 'REJECTED', error: 'rejected on purpose (fault injection)' };
    } else if (current ? r.seq < current.seq : r.seq < (withdrawnUnheld.get(r.key) ?? 0)) {
      // an older version arriving late: the newer one stays
      result = { idempotencyKey: r.idempotencyKey, status: 'ACCEPTED', nationalId: current?.nationalId ?? null };
    } else if (r.op === 'WITHDRAW') {
      if (current) held.set(r.key, { ...current, status: 'WITHDRAWN', version: r.version, seq: r.seq, updatedAt: at });
      else withdrawnUnheld.set(r.key, r.seq);
      result = { idempotencyKey: r.idempotencyKey, status: 'ACCEPTED', nationalId: current?.nationalId ?? null };
    } else {
      const problems = !r.fields
        ? [{ field: 'fields', message: 'an upsert carries the record fields' }]
        : r.type === CREDIT_LIST_TYPE
          ? validateListEntry(r.fields, { today: day })
          : validateNational(r.type, r.fields, { today: day });
      if (current && current.type !== r.type) problems.push({ field: 'type', message: `key ${r.key} is held as ${current.type}` });
      if (problems.length) {
        result = { idempotencyKey: r.idempotencyKey, status: 'REJECTED', error: describeProblems(problems) };
      } else {
        const nationalId = current?.nationalId ?? `${PREFIX[r.type]}${String(nextId++).padStart(10, '0')}`;
        held.set(r.key, { key: r.key, type: r.type, status: 'ACTIVE', version: r.version, seq: r.seq, nationalId, fields: r.fields!, updatedAt: at });
        result = { idempotencyKey: r.idempotencyKey, status: 'ACCEPTED', nationalId };
      }
    }
    answered.set(r.idempotencyKey, result);
    counters.applied++;
    return result;
  }

  const receive: LocalRoute = async (req: IncomingMessage, body: string) => {
    counters.batches++;
    const signature = String(req.headers['x-signature'] ?? '');
    const expected = signBody(o.secret(), body);
    if (signature.length !== expected.length || !timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) {
      return error(401, 'BAD_SIGNATURE', 'X-Signature is not the HMAC-SHA256 of the body under the shared key');
    }
    if (faults.failNext > 0 || Math.random() < faults.errorRate) {
      if (faults.failNext > 0) faults.failNext--;
      counters.failedOnPurpose++;
      return error(503, 'UNAVAILABLE', 'temporarily unavailable (fault injection)');
    }
    let parsed;
    try {
      parsed = BatchSchema.safeParse(JSON.parse(body));
    } catch {
      return error(400, 'INVALID_JSON', 'the body is not JSON');
    }
    if (!parsed.success) return error(400, 'INVALID_BATCH', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const at = new Date().toISOString();
    const day = today();
    const results = parsed.data.records.map((r) => apply(r, at, day));
    if (faults.timeOutNext > 0 || Math.random() < faults.timeoutRate) {
      // applied, but the answer comes after the client has stopped waiting
      if (faults.timeOutNext > 0) faults.timeOutNext--;
      counters.timedOutOnPurpose++;
      await new Promise((r) => setTimeout(r, faults.timeoutDelayMs ?? o.clientTimeoutMs() + 1000));
      return error(504, 'LATE', 'answered after the timeout (fault injection)');
    }
    return { status: 200, body: { results } };
  };

  return {
    routes: {
      'POST /local/national/batches': receive,
      'GET /local/national/records': async () => ({ status: 200, body: { records: [...held.values()].sort((a, b) => (a.key < b.key ? -1 : 1)) } }),
      'POST /local/national/faults': async (_req, body) => {
        let parsed;
        try {
          parsed = FaultsSchema.safeParse(JSON.parse(body || '{}'));
        } catch {
          return error(400, 'INVALID_JSON', 'the body is not JSON');
        }
        if (!parsed.success) return error(400, 'VALIDATION_FAILED', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
        faults = parsed.data;
        rejectKeys = new Set(faults.rejectKeys);
        return { status: 200, body: { faults } };
      },
    },
    records: () => [...held.values()],
    setFaults: (f) => {
      faults = FaultsSchema.parse(f);
      rejectKeys = new Set(faults.rejectKeys);
    },
    stats: () => ({ ...counters }),
  };
}
