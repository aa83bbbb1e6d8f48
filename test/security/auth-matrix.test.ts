/**
 * The authorisation matrix: every route of lib/platform.ts × every role, plus every kind of bad
 * token, against the running local platform (the same JWT checks as API Gateway's authorizer,
 * the same handlers). A role a route does not admit gets 403 FORBIDDEN before anything is read
 * or written; a bad token gets 401 on every route that needs one.
 */
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '#adapters/http';
import { FUNCTIONS } from '#lib/platform';
import { LOCAL_AUDIENCE } from '#local/local-auth';
import { publishDemoCatalog, startTestPlatform, type TestPlatform } from '../support/platform.ts';
import { ROUTE_ACCESS } from './route-access.ts';

const ROUTES = Object.values(FUNCTIONS).flatMap((f) => (f.trigger.kind === 'http' ? f.trigger.routes : []));

/** Path parameters: well-formed values, so a refusal is about the caller, not the path. */
const SAMPLE_PARAMS: Record<string, string> = { uscc: '91310000631696382C', idNumber: '11010519491231002X' };
const concrete = (template: string) => template.replace(/\{(\w+)\}/g, (_, name: string) => SAMPLE_PARAMS[name] ?? 'MATRIX-1');

const UNIT: Partial<Record<Role, string>> = { provider: 'SH-AMR', gov: 'SH-EPB', market: 'CA-ORIENT' };

let p: TestPlatform;
const tokens = {} as Record<Role, string>;
const bad: Record<string, string> = {};

beforeAll(async () => {
  p = await startTestPlatform();
  await publishDemoCatalog(p);
  for (const role of ROLES) {
    tokens[role] = await p.token({ role, unit: UNIT[role], subject: role === 'subject' ? { type: 'LEGAL', id: '91310115MA1K3BTP2B' } : undefined });
  }
  const claims = { role: 'admin' as const };
  const good = await p.token(claims);
  const [h, b, sig] = good.split('.');
  const other = await generateKeyPair('ES256');
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  Object.assign(bad, {
    expired: await p.token({ ...claims, expiresIn: -60 }),
    'wrong issuer': await p.issuer.sign(claims, { issuer: 'https://cognito-idp.example.com/other-pool' }),
    'wrong audience': await p.issuer.sign(claims, { audience: 'another-app' }),
    'tampered signature': `${h}.${b}.${sig!.slice(0, -4)}${sig!.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`,
    'tampered claims': `${h}.${b64({ ...JSON.parse(Buffer.from(b!, 'base64url').toString()), 'custom:role': 'admin', 'custom:unit': 'X' })}.${sig}`,
    'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${b}.`,
    'signed by another key': await new SignJWT({ 'custom:role': 'admin' })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(p.issuer.issuer)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(other.privateKey),
    'not a JWT': 'not-a-token',
  });
}, 120_000);

afterAll(async () => {
  await p?.stop();
});

async function call(route: string, token?: string) {
  const [method, template] = route.split(' ') as [string, string];
  const body = method === 'GET' || method === 'DELETE' ? undefined : {};
  return p.api(method, concrete(template), { token, body });
}

describe('authorisation matrix', () => {
  it('has exactly one row for every route', () => {
    expect(Object.keys(ROUTE_ACCESS).sort()).toEqual([...ROUTES].sort());
  });

  for (const route of ROUTES) {
    const access = ROUTE_ACCESS[route];
    describe(route, () => {
      if (access === 'public') {
        it('answers without a token', async () => {
          const res = await call(route);
          expect(res.status).not.toBe(401);
          expect(res.status).toBeLessThan(500);
        });
        return;
      }
      it('refuses a request without a token (401)', async () => {
        expect((await call(route)).status).toBe(401);
      });
      it('refuses every bad token (401)', async () => {
        for (const [kind, token] of Object.entries(bad)) {
          const res = await call(route, token);
          expect(res.status, `${kind}: ${res.text.slice(0, 200)}`).toBe(401);
        }
      });
      for (const role of ROLES) {
        const admitted = access?.includes(role) ?? false;
        it(`${admitted ? 'admits' : 'refuses (403)'} ${role}`, async () => {
          const res = await call(route, tokens[role]);
          const refused = res.status === 403 && res.json?.error?.code === 'FORBIDDEN';
          expect(res.status, res.text.slice(0, 300)).not.toBe(401);
          expect(res.status, res.text.slice(0, 300)).toBeLessThan(500);
          expect(refused, `${role} on ${route}: ${res.status} ${res.text.slice(0, 300)}`).toBe(!admitted);
        });
      }
    });
  }
});
