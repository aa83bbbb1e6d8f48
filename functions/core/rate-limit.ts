/**
 * The per-client limit on anonymous routes: a fixed window. Time is cut into windows of
 * `windowSeconds` (aligned on the epoch); each client may make `limit` requests in a window, and
 * the next window starts from nothing. The counting itself is one conditional increment per
 * request (adapters/rate-limit); this module holds the arithmetic and the configuration.
 */

export interface RateLimit {
  /** Requests one client may make in one window. */
  limit: number;
  windowSeconds: number;
}

/**
 * 120 requests a minute per client: about two a second sustained, several times what a person
 * paging through the public search makes, while clients behind one carrier-grade NAT (common on
 * mobile networks) still share a generous budget. Configurable per stage (CDK context
 * publicRateLimit / publicRateWindowSeconds) and locally (PUBLIC_RATE_LIMIT / PUBLIC_RATE_WINDOW_SECONDS).
 */
export const DEFAULT_RATE_LIMIT: RateLimit = { limit: 120, windowSeconds: 60 };

/** Windows from one second to one day; a limit from 1 to 1,000,000 requests. */
const WINDOW_RANGE = [1, 86_400] as const;
const LIMIT_RANGE = [1, 1_000_000] as const;

function positiveInt(value: unknown, name: string, [min, max]: readonly [number, number], fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`Invalid ${name} ${JSON.stringify(value)}: expected a whole number from ${min} to ${max}.`);
  return n;
}

/** The limit from configuration text (environment, CDK context); absent values take the defaults. */
export function parseRateLimit(limit: unknown, windowSeconds: unknown, names = { limit: 'publicRateLimit', window: 'publicRateWindowSeconds' }): RateLimit {
  return {
    limit: positiveInt(limit, names.limit, LIMIT_RANGE, DEFAULT_RATE_LIMIT.limit),
    windowSeconds: positiveInt(windowSeconds, names.window, WINDOW_RANGE, DEFAULT_RATE_LIMIT.windowSeconds),
  };
}

export interface RateWindow {
  /** The window's first second (epoch seconds). */
  start: number;
  /** Its length, part of the counter's key so a changed configuration starts fresh counters. */
  seconds: number;
  /** Seconds from `now` until the next window starts (at least 1): the 429's Retry-After. */
  retryAfterSeconds: number;
  /**
   * When the counter may be deleted (epoch seconds, DynamoDB TTL): a minute after the window ends.
   * TTL deletion runs late (up to days), so the count never relies on it — a later window has another key.
   */
  expiresAt: number;
}

export function windowOf(nowMs: number, windowSeconds: number): RateWindow {
  const now = nowMs / 1000;
  const start = Math.floor(now / windowSeconds) * windowSeconds;
  const end = start + windowSeconds;
  return { start, seconds: windowSeconds, retryAfterSeconds: Math.max(1, Math.ceil(end - now)), expiresAt: end + 60 };
}

/** The counter's sort key: the window's length and start. */
export const windowKey = (w: Pick<RateWindow, 'start' | 'seconds'>) => `W${w.seconds}#${w.start}`;

/** Requests refused by the per-client limit (namespace CreditPlatform; on the stage's dashboard). */
export const RATE_LIMITED_METRIC = 'AnonymousRequestsRateLimited';

export type Verdict = { admitted: true } | { admitted: false; retryAfterSeconds: number };

/** The answer to a client over its limit: come back when the window ends. */
export const refusal = (w: RateWindow): Verdict => ({ admitted: false, retryAfterSeconds: w.retryAfterSeconds });
