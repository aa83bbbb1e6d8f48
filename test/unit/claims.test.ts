/**
 * Who is calling, from a verified token's claims (functions/core/claims.ts): the Cognito ID
 * tokens of the deployed stack and the local issuer's tokens map to the same caller, and a token
 * issued to the web console's app client counts under the console channel.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { CLAIMS, USER_ATTRIBUTES, callerFromClaims, channelOf } from '#core/claims';
import { httpHandler, json, type HttpRequest } from '#adapters/http';
import { ENV } from '#lib/platform';
import type { RouteTable } from '../../functions/api-routes.ts';

const CONSOLE = '5n1consoleclientid';

/** The claims API Gateway passes on for a Cognito ID token of the console's app client. */
const cognitoIdToken = (extra: Record<string, string> = {}) => ({
  sub: '7f1c-uuid',
  aud: CONSOLE,
  iss: 'https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_Abc',
  token_use: 'id',
  'cognito:username': 'zhangsan',
  email: 'zhangsan@example.gov.cn',
  ...extra,
});

describe('claims', () => {
  it('names each user attribute after the claim it becomes (custom:{attribute})', () => {
    expect(USER_ATTRIBUTES).toEqual(['role', 'unit', 'subject_type', 'subject_ref']);
    for (const attribute of USER_ATTRIBUTES) expect(Object.values(CLAIMS)).toContain(`custom:${attribute}`);
    // the channel belongs to the client, never to a user
    expect(USER_ATTRIBUTES).not.toContain('channel');
  });

  it('reads role, unit and subject from a Cognito ID token', () => {
    expect(callerFromClaims(cognitoIdToken({ 'custom:role': 'gov', 'custom:unit': 'SH-EPB' }), CONSOLE)).toEqual({
      sub: '7f1c-uuid',
      role: 'gov',
      unit: 'SH-EPB',
      subject: undefined,
      channel: 'console',
    });
    const subject = callerFromClaims(
      cognitoIdToken({ 'custom:role': 'subject', 'custom:subject_type': 'NATURAL', 'custom:subject_ref': 'v1.wrapped.iv.ct.tag' }),
      CONSOLE,
    );
    expect(subject?.subject).toEqual({ type: 'NATURAL', ref: 'v1.wrapped.iv.ct.tag' });
    // the retired attribute that held the identifier names nobody any more
    const retired = callerFromClaims(
      cognitoIdToken({ 'custom:role': 'subject', 'custom:subject_type': 'NATURAL', 'custom:subject_id': '11010519491231002X' }),
      CONSOLE,
    );
    expect(retired?.subject).toBeUndefined();
  });

  it('refuses a token without a known role', () => {
    expect(callerFromClaims(undefined)).toBeUndefined();
    expect(callerFromClaims(cognitoIdToken(), CONSOLE)).toBeUndefined();
    expect(callerFromClaims(cognitoIdToken({ 'custom:role': 'root' }), CONSOLE)).toBeUndefined();
  });

  it('counts a token under its channel claim, else the console client, else api', () => {
    expect(channelOf({ [CLAIMS.channel]: 'window', aud: CONSOLE }, CONSOLE)).toBe('window');
    expect(channelOf({ aud: CONSOLE }, CONSOLE)).toBe('console');
    expect(channelOf({ client_id: CONSOLE, token_use: 'access' }, CONSOLE)).toBe('console');
    expect(channelOf({ aud: 'the-api-client' }, CONSOLE)).toBe('api');
    expect(channelOf({ aud: CONSOLE })).toBe('api');
    expect(channelOf({ [CLAIMS.channel]: 'carrier-pigeon' }, CONSOLE)).toBe('api');
  });
});

describe('httpHandler', () => {
  afterEach(() => {
    delete process.env[ENV.consoleClientId];
  });

  const event = (claims: Record<string, string>) =>
    ({
      routeKey: 'GET /v1/me',
      requestContext: { authorizer: { jwt: { claims, scopes: null } } },
      isBase64Encoded: false,
    }) as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
  // a route of this test only, outside the API's typed route table
  const whoAmI = httpHandler({ 'GET /v1/me': async (req: HttpRequest) => json(200, req.caller) } as unknown as RouteTable);
  const call = async (claims: Record<string, string>) => {
    const res = (await whoAmI(event(claims), { functionName: 'test', awsRequestId: 'r' } as Context)) as { body: string };
    return JSON.parse(res.body) as { channel: string; role: string };
  };

  it('hands the route the caller, in the console channel for the console client named in the environment', async () => {
    process.env[ENV.consoleClientId] = CONSOLE;
    await expect(call(cognitoIdToken({ 'custom:role': 'admin' }))).resolves.toMatchObject({ role: 'admin', channel: 'console' });
    await expect(call(cognitoIdToken({ 'custom:role': 'admin', aud: 'the-api-client' }))).resolves.toMatchObject({ channel: 'api' });
  });
});
