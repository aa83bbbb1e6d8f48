/** The console: sign in, then the views of the signed-in role. */
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { loadConfig, type Session } from './api.ts';
import type { ConsoleConfig } from './config.ts';
import { HostedSignInPage, SignIn, hostedSignIn } from './sign-in.tsx';
import { ProviderView } from './provider-view.tsx';
import { GovView } from './gov-view.tsx';
import { AdminView } from './admin-view.tsx';
import { SubjectView } from './subject-view.tsx';
import { MarketView } from './market-view.tsx';
import { PublicView } from './public-view.tsx';
import './style.css';

const ROLE_NAMES: Record<string, string> = { admin: '平台管理员', provider: '信息提供单位', gov: '政府部门', market: '信用服务机构', subject: '信息主体' };

function App({ config }: { config: ConsoleConfig }) {
  const hosted = useMemo(() => (config.signIn ? hostedSignIn(config.signIn) : null), [config]);
  const [session, setSession] = useState<Session | null>(null);
  const [restoring, setRestoring] = useState(hosted !== null);
  const [error, setError] = useState('');
  // the public page (#page=public) answers without signing in
  const isPublic = () => new URLSearchParams(location.hash.slice(1)).get('page') === 'public';
  const [publicPage, setPublicPage] = useState(isPublic());
  useEffect(() => {
    const onHash = () => setPublicPage(isPublic());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    if (!hosted) return undefined;
    hosted
      .restore()
      .then(setSession)
      .catch((err: Error) => setError(`登录失败：${err.message}`))
      .finally(() => setRestoring(false));
    return hosted.onRenewed(setSession);
  }, [hosted]);
  if (publicPage)
    return (
      <>
        <header class="bar">
          <h1>公共信用信息服务平台 · 公开查询</h1>
          <a class="bar-link" href="#tab=">
            {session ? '返回控制台' : '登录控制台'}
          </a>
        </header>
        <main>
          <PublicView />
        </main>
      </>
    );
  if (!session)
    return (
      <>
        {hosted ? <HostedSignInPage hosted={hosted} busy={restoring} error={error} /> : <SignIn onSignedIn={setSession} />}
        <p class="public-link">
          <a href="#page=public">公开查询（无需登录）：双公示、信息目录、应用清单、信用名单</a>
        </p>
      </>
    );
  return (
    <>
      <header class="bar">
        <h1>公共信用信息服务平台</h1>
        <span class="who" aria-label="当前用户">
          {ROLE_NAMES[session.role]} · {session.label}
        </span>
        {hosted ? (
          <button type="button" onClick={() => void hosted.signOut()}>
            退出登录
          </button>
        ) : (
          <button type="button" onClick={() => setSession(null)}>
            切换账号
          </button>
        )}
      </header>
      <main>
        {session.role === 'provider' && <ProviderView session={session} />}
        {session.role === 'gov' && <GovView session={session} />}
        {session.role === 'admin' && <AdminView session={session} />}
        {session.role === 'subject' && <SubjectView session={session} />}
        {session.role === 'market' && <MarketView session={session} />}
      </main>
    </>
  );
}

const root = document.getElementById('app')!;
try {
  render(<App config={await loadConfig()} />, root);
} catch (err) {
  render(
    <main class="sign-in">
      <h1>公共信用信息服务平台</h1>
      <p role="alert" class="error">
        控制台配置错误：{(err as Error).message}
      </p>
    </main>,
    root,
  );
}
