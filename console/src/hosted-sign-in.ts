/**
 * Sign-in through the Cognito hosted UI (managed login) when the console is deployed: the
 * authorization code flow with PKCE (S256) of oidc-client-ts, tokens in sessionStorage. This module
 * holds what is pure (settings, URLs) so the unit tests can check it; sign-in.tsx drives the browser.
 */
import type { StateStore, UserManagerSettings } from 'oidc-client-ts';
import type { HostedSignInConfig } from './config.ts';

/** The ID token with the user's attributes (email, name and the platform's custom claims); no aws.cognito.signin.user.admin. */
export const SCOPES = 'openid email profile';

/** Managed login pages in Simplified Chinese. */
export const LOGIN_LANGUAGE = 'zh-CN';

/**
 * oidc-client-ts settings for the console's app client. `store` keeps both the user (tokens) and
 * the pending request (PKCE verifier, state): the browser passes sessionStorage, never localStorage.
 */
export function userManagerSettings(signIn: HostedSignInConfig, store: StateStore): UserManagerSettings {
  return {
    authority: signIn.authority,
    client_id: signIn.clientId,
    redirect_uri: signIn.redirectUri,
    response_type: 'code',
    scope: SCOPES,
    // Cognito's OAuth endpoints under the hosted UI domain, named rather than discovered: one
    // round trip fewer before the redirect, and no dependence on the discovery document's CORS.
    metadata: {
      issuer: signIn.authority,
      authorization_endpoint: `${signIn.domain}/oauth2/authorize`,
      token_endpoint: `${signIn.domain}/oauth2/token`,
      userinfo_endpoint: `${signIn.domain}/oauth2/userInfo`,
      revocation_endpoint: `${signIn.domain}/oauth2/revoke`,
      jwks_uri: `${signIn.authority}/.well-known/jwks.json`,
    },
    extraQueryParams: { lang: LOGIN_LANGUAGE },
    userStore: store,
    stateStore: store,
    // renews with the refresh token before the ID token expires
    automaticSilentRenew: true,
    loadUserInfo: false,
    monitorSession: false,
  };
}

/** Cognito's logout endpoint: ends the hosted UI session, then returns to the console. */
export function logoutUrl(signIn: HostedSignInConfig): string {
  const url = new URL(`${signIn.domain}/logout`);
  url.searchParams.set('client_id', signIn.clientId);
  url.searchParams.set('logout_uri', signIn.redirectUri);
  return url.toString();
}

/** Whether the page was opened by the hosted UI returning from sign-in (`?code=&state=`, or `?error=&state=`). */
export function isSignInCallback(href: string): boolean {
  const params = new URL(href).searchParams;
  return params.has('state') && (params.has('code') || params.has('error'));
}
