/**
 * The local API Gateway enforces API Gateway's and Lambda's limits with the answers AWS gives: a
 * request body over 10 MB (413), a Lambda response over 6 MB (500), no answer within the 30 s
 * integration timeout (503). Synthetic public routes on a bridge of its own; the timeout is
 * narrowed to 300 ms so the test does not wait 30 s (AWS_LIMITS holds the real values).
 */
import type { AddressInfo, Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_LIMITS, startHttpBridge, type HttpLambda, type RouteBinding } from '#local/http-bridge';
import type { LocalIssuer } from '#local/local-auth';

const MB = 1024 * 1024;
let server: Server;
let base: string;
const errors: unknown[] = [];

/** A JSON answer whose serialised invocation response is exactly `total` bytes. */
function answerOf(total: number): Awaited<ReturnType<HttpLambda>> {
  const shell = { statusCode: 200, headers: { 'content-type': 'text/plain' }, body: '' };
  return { ...shell, body: 'x'.repeat(total - Buffer.byteLength(JSON.stringify(shell))) };
}

const route = (template: string, h: HttpLambda, method = 'GET'): RouteBinding => ({ method, template, functionName: 'test', handler: async () => h });

beforeAll(async () => {
  server = await startHttpBridge({
    port: 0,
    issuer: {} as LocalIssuer,
    local: {},
    onError: (e) => errors.push(e),
    limits: { timeoutMs: 300 },
    routes: [
      route('/v1/public/echo', async (e) => ({ statusCode: 200, body: String(e.body?.length ?? 0) }), 'POST'),
      route('/v1/public/at-limit', async () => answerOf(AWS_LIMITS.responseBytes)),
      route('/v1/public/over-limit', async () => answerOf(AWS_LIMITS.responseBytes + 1)),
      route('/v1/public/slow', () => new Promise((resolve) => setTimeout(() => resolve({ statusCode: 200, body: 'late' }), 1_000))),
      route('/v1/public/quick', () => new Promise((resolve) => setTimeout(() => resolve({ statusCode: 200, body: 'in time' }), 50))),
    ],
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server?.close(() => resolve())));

describe('the local API Gateway', () => {
  it('holds the real AWS limits by default', () => {
    expect(AWS_LIMITS).toEqual({ requestBytes: 10 * MB, responseBytes: 6_291_556, timeoutMs: 30_000 });
  });

  it('takes a 10 MB request body and refuses one byte more with 413, as API Gateway does', async () => {
    const ok = await fetch(`${base}/v1/public/echo`, { method: 'POST', body: 'a'.repeat(10 * MB) });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe(String(10 * MB));
    const over = await fetch(`${base}/v1/public/echo`, { method: 'POST', body: 'a'.repeat(10 * MB + 1) });
    expect(over.status).toBe(413);
    expect(await over.text()).toBe('HTTP content length exceeded 10485760 bytes.');
  });

  it('passes a 6 MB Lambda response and answers 500 for one byte more', async () => {
    const ok = await fetch(`${base}/v1/public/at-limit`);
    expect(ok.status).toBe(200);
    expect((await ok.text()).length).toBeGreaterThan(6 * MB);
    const over = await fetch(`${base}/v1/public/over-limit`);
    expect(over.status).toBe(500);
    expect(await over.json()).toEqual({ message: 'Internal Server Error' });
    expect(String(errors.at(-1))).toContain('exceeds Lambda');
  });

  it('answers 503 when the function does not answer within the integration timeout', async () => {
    const started = Date.now();
    const slow = await fetch(`${base}/v1/public/slow`);
    expect(slow.status).toBe(503);
    expect(await slow.json()).toEqual({ message: 'Service Unavailable' });
    expect(Date.now() - started).toBeLessThan(1_000); // answered at the timeout, not when the function ended
    const quick = await fetch(`${base}/v1/public/quick`);
    expect(await quick.text()).toBe('in time');
  });
});
