/**
 * Sign-in. Deployed (config.json names the hosted sign-in): the Cognito hosted UI, authorization
 * code with PKCE, tokens in sessionStorage. Locally: pick a demo account and get a token from
 * POST /local/token.
 */
import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import { useState } from 'preact/hooks';
import { call, type Session } from './api.ts';
import type { HostedSignInConfig } from './config.ts';
import { isSignInCallback, logoutUrl, userManagerSettings } from './hosted-sign-in.ts';
import { sessionFromClaims } from './session.ts';
import { DEMO_ACCOUNTS } from './demo-accounts.ts';

export function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const [account, setAccount] = useState(DEMO_ACCOUNTS[0]!.id);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const a = DEMO_ACCOUNTS.find((x) => x.id === account)!;
    setBusy(true);
    setError('');
    try {
      const { token } = await call<{ token: string }>(null, 'POST', '/local/token', { role: a.role, unit: a.unit, subject: a.subject, channel: 'console' });
      onSignedIn({ token, role: a.role, unit: a.unit, ...(a.subject ? { subject: { type: a.subject.type } } : {}), label: a.label });
    } catch (err) {
      setError(`登录失败：${(err as Error).message}（演示账号仅在本地平台 npm start 中可用）`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="sign-in">
      <h1>公共信用信息服务平台</h1>
      <form onSubmit={submit} aria-labelledby="sign-in-title">
        <h2 id="sign-in-title">登录</h2>
        <label for="account">演示账号</label>
        <select id="account" value={account} onChange={(e) => setAccount((e.target as HTMLSelectElement).value)}>
          {DEMO_ACCOUNTS.map((a) => (
            <option value={a.id} key={a.id}>
              {a.label}
            </option>
          ))}
        </select>
        <button type="submit" disabled={busy}>
          登录
        </button>
        {error && (
          <p role="alert" class="error">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}

/** The hosted UI sign-in as the app uses it. */
export interface HostedSignIn {
  /** The session after the hosted UI's redirect back, or the one kept in this tab; null when signed out. */
  restore(): Promise<Session | null>;
  /** Off to the hosted UI (the page navigates away). */
  start(): Promise<void>;
  /** Revokes the refresh token, forgets the tokens and ends the hosted UI session (the page navigates away). */
  signOut(): Promise<void>;
  /** Calls back with the renewed session each time the tokens are refreshed; returns the unsubscribe. */
  onRenewed(callback: (s: Session) => void): () => void;
}

export function hostedSignIn(config: HostedSignInConfig): HostedSignIn {
  const manager = new UserManager(userManagerSettings(config, new WebStorageStateStore({ store: window.sessionStorage })));
  const toSession = (user: User): Session => {
    if (!user.id_token) throw new Error('登录结果中缺少 ID 令牌');
    return sessionFromClaims(user.id_token, user.profile);
  };
  return {
    async restore() {
      if (isSignInCallback(window.location.href)) {
        try {
          return toSession(await manager.signinRedirectCallback());
        } finally {
          // the code and state are spent: keep them out of the history and of a reload
          window.history.replaceState(null, '', new URL(config.redirectUri).pathname);
        }
      }
      const user = await manager.getUser();
      return user && !user.expired ? toSession(user) : null;
    },
    start: () => manager.signinRedirect(),
    async signOut() {
      await manager.revokeTokens(['refresh_token']).catch(() => undefined);
      await manager.removeUser();
      window.location.assign(logoutUrl(config));
    },
    onRenewed(callback) {
      const loaded = (user: User) => {
        try {
          callback(toSession(user));
        } catch {
          // a renewed token without a role changes nothing: the next call answers 401 or 403
        }
      };
      manager.events.addUserLoaded(loaded);
      return () => manager.events.removeUserLoaded(loaded);
    },
  };
}

/** The deployed sign-in page: one button to the hosted UI; after a failed sign-in, the way out of the hosted UI session. */
export function HostedSignInPage({ hosted, busy, error }: { hosted: HostedSignIn; busy: boolean; error: string }) {
  const [leaving, setLeaving] = useState(false);
  const go = (action: () => Promise<void>) => (e: Event) => {
    e.preventDefault();
    setLeaving(true);
    action().catch(() => setLeaving(false));
  };
  return (
    <main class="sign-in">
      <h1>公共信用信息服务平台</h1>
      <form onSubmit={go(hosted.start)} aria-labelledby="sign-in-title">
        <h2 id="sign-in-title">登录</h2>
        <p>使用平台管理员为您开通的账号登录，登录页面由平台统一身份认证服务提供。</p>
        <button type="submit" disabled={busy || leaving}>
          登录
        </button>
        {error && (
          <>
            <p role="alert" class="error">
              {error}
            </p>
            <button type="button" disabled={leaving} onClick={go(hosted.signOut)}>
              退出并更换账号
            </button>
          </>
        )}
      </form>
    </main>
  );
}
