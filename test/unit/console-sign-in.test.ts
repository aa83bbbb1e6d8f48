/**
 * The console's sign-in settings (console/src): config.json parsing, the session an ID token
 * stands for, and the hosted UI request oidc-client-ts builds from the settings — authorization
 * code with PKCE (S256) to the Cognito domain, state kept in the store it is given.
 */
import { createHash } from 'node:crypto';
import { InMemoryWebStorage, OidcClient, WebStorageStateStore } from 'oidc-client-ts';
import { describe, expect, it } from 'vitest';
import { ConsoleConfigError, parseConsoleConfig, type HostedSignInConfig } from '../../console/src/config.ts';
import { isSignInCallback, logoutUrl, SCOPES, userManagerSettings } from '../../console/src/hosted-sign-in.ts';
import { SignInError, sessionFromClaims } from '../../console/src/session.ts';

const signIn: HostedSignInConfig = {
  authority: 'https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_Abc',
  domain: 'https://credit-platform-prod-123456789012.auth.cn-north-1.amazoncognito.com',
  clientId: '5n1consoleclientid',
  redirectUri: 'https://d111111abcdef8.cloudfront.net/',
};

describe('config.json', () => {
  it('is absent locally: same-origin API, demo accounts', () => {
    expect(parseConsoleConfig(undefined)).toEqual({ apiUrl: '' });
    expect(parseConsoleConfig({ apiUrl: 'https://api.example.org/' })).toEqual({ apiUrl: 'https://api.example.org' });
  });

  it('carries the hosted sign-in when deployed', () => {
    const config = parseConsoleConfig({ apiUrl: 'https://abc.execute-api.cn-north-1.amazonaws.com.cn/', signIn: { ...signIn, domain: `${signIn.domain}/` } });
    expect(config).toEqual({ apiUrl: 'https://abc.execute-api.cn-north-1.amazonaws.com.cn', signIn });
  });

  it('refuses an incomplete or insecure sign-in instead of falling back to demo accounts', () => {
    expect(() => parseConsoleConfig({ apiUrl: '', signIn: { ...signIn, clientId: '' } })).toThrow(/clientId/);
    expect(() => parseConsoleConfig({ apiUrl: '', signIn: { ...signIn, domain: 'http://example.org' } })).toThrow(/domain/);
    expect(() => parseConsoleConfig({ apiUrl: '', signIn: { ...signIn, redirectUri: 'http://d111111abcdef8.cloudfront.net/' } })).toThrow(/redirectUri/);
    // a console on this machine may be called back over http, as Cognito allows for localhost
    expect(parseConsoleConfig({ apiUrl: '', signIn: { ...signIn, redirectUri: 'http://127.0.0.1:3000/' } }).signIn?.redirectUri).toBe('http://127.0.0.1:3000/');
    expect(() => parseConsoleConfig({ signIn: null })).toThrow(/authority, domain, redirectUri, clientId/);
    expect(() => parseConsoleConfig([1])).toThrow(ConsoleConfigError);
    expect(() => parseConsoleConfig({ apiUrl: 42 })).toThrow(ConsoleConfigError);
  });
});

describe('session from an ID token', () => {
  it('takes the role and unit from the platform claims and names the user', () => {
    expect(sessionFromClaims('t', { sub: 's', name: '张三', email: 'z@example.org', 'custom:role': 'gov', 'custom:unit': 'SH-EPB' })).toEqual({
      token: 't',
      role: 'gov',
      unit: 'SH-EPB',
      label: '张三（SH-EPB）',
    });
    expect(sessionFromClaims('t', { sub: 's', email: 'ops@example.org', 'custom:role': 'admin' })).toEqual({
      token: 't',
      role: 'admin',
      unit: undefined,
      label: 'ops@example.org',
    });
  });

  it("knows a subject user's type from the subject claims, never its identifier (the token carries an opaque reference)", () => {
    const claims = {
      sub: 's',
      name: '上海申城科技有限公司',
      'custom:role': 'subject',
      'custom:subject_type': 'LEGAL',
      'custom:subject_ref': 'opaque-sealed-reference',
    };
    expect(sessionFromClaims('t', claims).subject).toEqual({ type: 'LEGAL' });
    expect(sessionFromClaims('t', { ...claims, 'custom:subject_ref': '' }).subject).toBeUndefined();
    expect(sessionFromClaims('t', { ...claims, 'custom:subject_type': 'OTHER' }).subject).toBeUndefined();
  });

  it('refuses a user without a platform role', () => {
    expect(() => sessionFromClaims('t', { sub: 's' })).toThrow(SignInError);
    expect(() => sessionFromClaims('t', { sub: 's', 'custom:role': 'root' })).toThrow(/custom:role/);
  });
});

describe('hosted UI request', () => {
  it('sends the browser to the Cognito authorize endpoint with the code flow and PKCE S256', async () => {
    const storage = new InMemoryWebStorage();
    const client = new OidcClient(userManagerSettings(signIn, new WebStorageStateStore({ store: storage })));
    const request = await client.createSigninRequest({});
    const url = new URL(request.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${signIn.domain}/oauth2/authorize`);
    const params = Object.fromEntries(url.searchParams);
    expect(params).toMatchObject({
      response_type: 'code',
      client_id: signIn.clientId,
      redirect_uri: signIn.redirectUri,
      scope: SCOPES,
      code_challenge_method: 'S256',
      lang: 'zh-CN',
    });
    expect(SCOPES.split(' ')).not.toContain('aws.cognito.signin.user.admin');
    // the verifier stays in the store it was given; the challenge is its SHA-256
    expect(storage.length).toBe(1);
    const pending = JSON.parse(storage.getItem(storage.key(0)!)!) as { id: string; code_verifier: string };
    expect(pending.id).toBe(params.state);
    expect(params.code_challenge).toBe(createHash('sha256').update(pending.code_verifier).digest('base64url'));
  });

  it('signs out through the hosted UI logout endpoint, back to the console', () => {
    const url = new URL(logoutUrl(signIn));
    expect(`${url.origin}${url.pathname}`).toBe(`${signIn.domain}/logout`);
    expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: signIn.clientId, logout_uri: signIn.redirectUri });
  });

  it('recognises the redirect back from the hosted UI', () => {
    expect(isSignInCallback('https://d1.cloudfront.net/?code=abc&state=xyz')).toBe(true);
    expect(isSignInCallback('https://d1.cloudfront.net/?error=access_denied&state=xyz')).toBe(true);
    expect(isSignInCallback('https://d1.cloudfront.net/')).toBe(false);
    expect(isSignInCallback('https://d1.cloudfront.net/?code=abc')).toBe(false);
  });
});
