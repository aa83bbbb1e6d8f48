/** The console: sign in, then the views of the signed-in role. */
import { render, type ComponentType } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { loadConfig, type Session } from './api.ts';
import type { ConsoleConfig } from './config.ts';
import { HostedSignInPage, SignIn, hostedSignIn } from './sign-in.tsx';
import './style.css';

/** Each role's screens are their own chunk, loaded once signed in: the sign-in page stays small. */
const VIEWS: Record<string, () => Promise<ComponentType<{ session: Session }>>> = {
  provider: () => import('./provider-view.tsx').then((m) => m.ProviderView),
  gov: () => import('./gov-view.tsx').then((m) => m.GovView),
  admin: () => import('./admin-view.tsx').then((m) => m.AdminView),
  subject: () => import('./subject-view.tsx').then((m) => m.SubjectView),
  market: () => import('./market-view.tsx').then((m) => m.MarketView),
};

function Loaded<P extends object>({ load, props }: { load: () => Promise<ComponentType<P>>; props: P }) {
  const [View, setView] = useState<ComponentType<P> | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    load()
      .then((v) => setView(() => v))
      .catch((e: Error) => setError(`页面加载失败：${e.message}`));
  }, [load]);
  if (error)
    return (
      <p role="alert" class="error">
        {error}
      </p>
    );
  return View ? <View {...props} /> : <p role="status">加载中…</p>;
}
const loadPublic = () => import('./public-view.tsx').then((m) => m.PublicView as ComponentType<object>);

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
          <Loaded load={loadPublic} props={{}} />
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
        <Loaded key={session.role} load={VIEWS[session.role]!} props={{ session }} />
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
