/**
 * The per-client limit of the anonymous routes: the fixed-window arithmetic and configuration
 * (core/rate-limit), the manifest's wiring (every limited route's function counts, no other does),
 * the 429 the HTTP adapter answers, and how the local gateway names the client.
 */
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMIT, parseRateLimit, refusal, windowKey, windowOf, type Verdict } from '#core/rate-limit';
import { API_ERROR_ZH } from '#core/api-messages';
import { httpHandler, json } from '#adapters/http';
import { CLIENT_LIMIT_EXEMPT, FUNCTIONS, isClientLimited, isPublicRoute } from '#lib/platform';
import { lambdaContext } from '#local/lambda-context';
import { sourceIpOf } from '#local/http-bridge';
import { ROUTE_ACCESS } from '../security/route-access.ts';

describe('fixed window', () => {
  const t = Date.parse('2026-12-07T10:00:00.000Z');

  it('aligns windows on the epoch and says how long until the next one', () => {
    const w = windowOf(t + 15_250, 60);
    expect(w.start).toBe(t / 1000);
    expect(w.retryAfterSeconds).toBe(45); // 44.75 s left, rounded up: retrying earlier would still be refused
    expect(w.expiresAt).toBe(t / 1000 + 120);
    expect(windowOf(t + 59_999, 60).retryAfterSeconds).toBe(1);
    expect(windowOf(t + 60_000, 60).start).toBe(t / 1000 + 60);
    expect(windowOf(t, 60).retryAfterSeconds).toBe(60);
  });

  it('gives each window length and start its own counter key', () => {
    expect(windowKey(windowOf(t, 60))).toBe(`W60#${t / 1000}`);
    expect(windowKey(windowOf(t + 1000, 60))).toBe(windowKey(windowOf(t + 59_000, 60)));
    expect(windowKey(windowOf(t + 60_000, 60))).not.toBe(windowKey(windowOf(t, 60)));
    expect(windowKey(windowOf(t, 30))).not.toBe(windowKey(windowOf(t, 60)));
    expect(refusal(windowOf(t + 30_000, 60))).toEqual({ admitted: false, retryAfterSeconds: 30 });
  });

  it('reads the configuration, with defaults, and refuses nonsense', () => {
    expect(parseRateLimit(undefined, '')).toEqual(DEFAULT_RATE_LIMIT);
    expect(parseRateLimit('30', 10)).toEqual({ limit: 30, windowSeconds: 10 });
    for (const [limit, window] of [
      ['0', '60'],
      ['-1', '60'],
      ['1.5', '60'],
      ['ten', '60'],
      ['10', '86401'],
      ['10', '0'],
    ]) {
      expect(() => parseRateLimit(limit, window)).toThrow(/publicRate/);
    }
  });
});

describe('which routes count', () => {
  const routes = Object.entries(FUNCTIONS).flatMap(([name, def]) => (def.trigger.kind === 'http' ? def.trigger.routes.map((r) => [name, r] as const) : []));

  it('every anonymous route but the fixed API description counts, and its function is wired for it', () => {
    const anonymous = Object.entries(ROUTE_ACCESS)
      .filter(([, roles]) => roles === 'public')
      .map(([r]) => r);
    expect(anonymous.filter(isClientLimited).sort()).toEqual(anonymous.filter((r) => !CLIENT_LIMIT_EXEMPT.includes(r)).sort());
    expect(CLIENT_LIMIT_EXEMPT).toEqual(['GET /v1/openapi.json']);
    for (const [name, route] of routes) {
      const def = FUNCTIONS[name as keyof typeof FUNCTIONS];
      if (isClientLimited(route)) expect([name, def.clientLimit, def.tables.rateLimits]).toEqual([name, true, 'count']);
    }
  });

  it('no function with a token-only route holds the counters or the client key', () => {
    for (const [name, def] of Object.entries(FUNCTIONS)) {
      const own = def.trigger.kind === 'http' ? def.trigger.routes : [];
      if (own.some((r) => !isPublicRoute(r)) || own.length === 0) expect([name, def.clientLimit, def.tables.rateLimits]).toEqual([name, undefined, undefined]);
    }
  });
});

describe('the HTTP adapter', () => {
  const event = (routeKey: string, sourceIp: string, lang?: string) =>
    ({
      routeKey,
      headers: lang ? { 'accept-language': lang } : {},
      requestContext: { http: { sourceIp } },
    }) as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;

  it('refuses to build a handler for a limited route without the limit', () => {
    expect(() => httpHandler({ 'GET /v1/public/lists': async () => ({ status: 200 }) })).toThrow(/per-client limit/);
    expect(() => httpHandler({ 'GET /v1/openapi.json': async () => ({ status: 200 }) })).not.toThrow();
  });

  it('answers 429 RATE_LIMITED with Retry-After, in the caller language, before the route runs', async () => {
    const asked: string[] = [];
    let ran = 0;
    const verdicts: Record<string, Verdict> = { '198.51.100.7': { admitted: false, retryAfterSeconds: 17 }, '203.0.113.9': { admitted: true } };
    const handler = httpHandler(
      {
        'GET /v1/public/lists': async () => {
          ran++;
          return json(200, { lists: [] });
        },
      },
      {
        clientLimit: async (ip) => {
          asked.push(ip);
          return verdicts[ip]!;
        },
      },
    );
    const refused = (await handler(event('GET /v1/public/lists', '198.51.100.7'), lambdaContext('test'))) as APIGatewayProxyStructuredResultV2;
    expect(refused.statusCode).toBe(429);
    expect(refused.headers?.['retry-after']).toBe('17');
    expect(JSON.parse(refused.body!)).toEqual({ error: { code: 'RATE_LIMITED', message: API_ERROR_ZH.RATE_LIMITED, details: [{ retryAfterSeconds: 17 }] } });
    const english = (await handler(event('GET /v1/public/lists', '198.51.100.7', 'en'), lambdaContext('test'))) as APIGatewayProxyStructuredResultV2;
    expect(JSON.parse(english.body!).error.message).toMatch(/retry after 17 s/);
    expect(ran).toBe(0);
    const admitted = (await handler(event('GET /v1/public/lists', '203.0.113.9'), lambdaContext('test'))) as APIGatewayProxyStructuredResultV2;
    expect([admitted.statusCode, ran]).toEqual([200, 1]);
    expect(asked).toEqual(['198.51.100.7', '198.51.100.7', '203.0.113.9']);
  });
});

describe('the local gateway names the client', () => {
  const req = (remoteAddress: string, forwarded?: string) =>
    ({ socket: { remoteAddress }, headers: forwarded ? { 'x-forwarded-for': forwarded } : {} }) as unknown as IncomingMessage;

  it('by the socket peer, or by X-Forwarded-For from this machine only', () => {
    expect(sourceIpOf(req('127.0.0.1'))).toBe('127.0.0.1');
    expect(sourceIpOf(req('127.0.0.1', '198.51.100.7, 10.0.0.1'))).toBe('198.51.100.7');
    expect(sourceIpOf(req('::ffff:127.0.0.1', '203.0.113.9'))).toBe('203.0.113.9');
    expect(sourceIpOf(req('::1', '2001:db8::1'))).toBe('2001:db8::1');
    expect(sourceIpOf(req('192.0.2.10', '198.51.100.7'))).toBe('192.0.2.10');
  });
});
