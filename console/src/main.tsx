/** The console: sign in, then the views of the signed-in role. */
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { loadConfig, type Session } from './api.ts';
import type { ConsoleConfig } from './config.ts';
import { HostedSignInPage, SignIn, hostedSignIn } from './sign-in.tsx';
import { ProviderView } from './provider-view.tsx';
import { GovView } from './gov-view.tsx';
import { AdminView } from './admin-view.tsx';
import { JointCheckView, JointListsView, JointStatsView } from './joint-view.tsx';
import './style.css';

const ROLE_NAMES: Record<string, string> = { admin: '平台管理员', provider: '信息提供单位', gov: '政府部门', market: '信用服务机构', subject: '信息主体' };

function App({ config }: { config: ConsoleConfig }) {
  const hosted = useMemo(() => (config.signIn ? hostedSignIn(config.signIn) : null), [config]);
  const [session, setSession] = useState<Session | null>(null);
  const [restoring, setRestoring] = useState(hosted !== null);
  const [error, setError] = useState('');
  useEffect(() => {
    if (!hosted) return undefined;
    hosted
      .restore()
      .then(setSession)
      .catch((err: Error) => setError(`登录失败：${err.message}`))
      .finally(() => setRestoring(false));
    return hosted.onRenewed(setSession);
  }, [hosted]);
  if (!session) return hosted ? <HostedSignInPage hosted={hosted} busy={restoring} error={error} /> : <SignIn onSignedIn={setSession} />;
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
        {session.role === 'gov' && <JointCheckView session={session} />}
        {session.role === 'admin' && <JointStatsView session={session} />}
        {['gov', 'admin'].includes(session.role) && <JointListsView />}
        {!['provider', 'gov', 'admin'].includes(session.role) && <p>此角色暂无控制台功能。</p>}
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
