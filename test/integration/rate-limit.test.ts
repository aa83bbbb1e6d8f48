/**
 * The per-client limit of the anonymous routes, for real: the counter (adapters/rate-limit) on
 * DynamoDB Local, and the local API end to end. The local gateway takes the client from
 * X-Forwarded-For when the request comes from this machine (local/http-bridge sourceIpOf), which
 * is how this test acts as several clients.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RateLimit } from '#core/rate-limit';
import { scanTable } from '../support/tables.ts';
import { demoCatalog, startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
let limiter: typeof import('#adapters/rate-limit');
// a 20 s window, entered at most 2 s in: the calls below have 18 s before the window turns, even on a loaded machine
const RATE: RateLimit = { limit: 3, windowSeconds: 20 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  p = await startTestPlatform({ publicRateLimit: RATE });
  // the public lists answer 200 once a catalog names them
  expect((await p.api('PUT', '/v1/catalog', { token: await p.as('admin'), body: demoCatalog() })).status).toBe(201);
  // adapters are imported once the platform has set the emulator endpoints
  limiter = await import('#adapters/rate-limit');
}, 180_000);

afterAll(async () => {
  await p?.stop();
});

describe('the counter on DynamoDB Local', () => {
  const t = Date.parse('2026-12-07T10:00:00.000Z');

  it('admits exactly `limit` of many concurrent requests in a window, and the next window afresh', async () => {
    const key = await limiter.clientKey('192.0.2.44');
    const rate = { limit: 5, windowSeconds: 60 };
    const verdicts = await Promise.all(Array.from({ length: 20 }, () => limiter.countRequest(key, t + 1_000, rate)));
    expect(verdicts.filter((v) => v.admitted)).toHaveLength(5);
    expect(verdicts.filter((v) => !v.admitted)).toEqual(Array(15).fill({ admitted: false, retryAfterSeconds: 59 }));
    expect(await limiter.countRequest(key, t + 60_000, rate)).toEqual({ admitted: true });
    // another client's count is its own
    expect(await limiter.countRequest(await limiter.clientKey('192.0.2.45'), t + 1_000, rate)).toEqual({ admitted: true });
  });

  it('stores a keyed hash, never the address, with the window and a TTL', async () => {
    await limiter.countRequest(await limiter.clientKey('192.0.2.77'), t, { limit: 5, windowSeconds: 60 });
    const items = await scanTable(p, 'rateLimits');
    expect(items.length).toBeGreaterThan(0);
    const text = JSON.stringify(items);
    for (const ip of ['192.0.2.44', '192.0.2.45', '192.0.2.77']) expect(text).not.toContain(ip);
    const key = await limiter.clientKey('192.0.2.77');
    expect(items.find((i) => i.pk === `C#${key}` && i.sk === `W60#${t / 1000}`)).toMatchObject({ n: 1, expiresAt: t / 1000 + 120 });
    for (const i of items) {
      expect(i.pk).toMatch(/^C#[0-9a-f]{64}$/);
      expect(Object.keys(i).sort()).toEqual(['expiresAt', 'n', 'pk', 'sk']);
    }
  });
});

describe('through the local API', () => {
  const call = (client: string, path = '/v1/public/lists') => p.api('GET', path, { headers: { 'x-forwarded-for': client } });

  it('the limit+1-th call of a client in a window is 429 with Retry-After; another client is unaffected; the next window is free', async () => {
    // start early in a window, so the calls below cannot straddle two (they take well under 18 s)
    const into = (Date.now() / 1000) % RATE.windowSeconds;
    if (into > 2) await sleep((RATE.windowSeconds - into) * 1000 + 200);

    const a = '198.51.100.7';
    const admitted = [await call(a), await call(a, `/v1/public/publicity?type=PENALTY&q=${encodeURIComponent('上海某某公司')}`), await call(a)];
    expect(admitted.map((r) => r.status)).toEqual([200, 200, 200]);
    const res = await fetch(`${p.url}/v1/public/lists`, { headers: { 'x-forwarded-for': a } });
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(RATE.windowSeconds);
    const body = (await res.json()) as { error: { code: string; message: string; details: unknown[] } };
    expect(body.error).toEqual({ code: 'RATE_LIMITED', message: expect.stringContaining('请求过于频繁'), details: [{ retryAfterSeconds: retryAfter }] });
    // the public search of the same client is refused too: one budget across the anonymous routes
    expect((await call(a, '/v1/public/subjects/91310000MA1FL8LQ5X')).status).toBe(429);
    // the API description is outside the per-client limit (lib/platform.ts CLIENT_LIMIT_EXEMPT)
    expect((await call(a, '/v1/openapi.json')).status).toBe(200);

    const b = await call('203.0.113.9');
    expect(b.status).toBe(200);

    await sleep(retryAfter * 1000 + 200);
    expect((await call(a)).status).toBe(200);
  }, 90_000);
});
