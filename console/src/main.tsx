/** The console: sign in, then the views of the signed-in role. */
import { render } from 'preact';
import { useState } from 'preact/hooks';
import { loadConfig, type Session } from './api.ts';
import { SignIn } from './sign-in.tsx';
import { ProviderView } from './provider-view.tsx';
import { GovView } from './gov-view.tsx';
import { AdminView } from './admin-view.tsx';
import './style.css';

const ROLE_NAMES: Record<string, string> = { admin: '平台管理员', provider: '信息提供单位', gov: '政府部门', market: '信用服务机构', subject: '信息主体' };

function App() {
  const [session, setSession] = useState<Session | null>(null);
  if (!session) return <SignIn onSignedIn={setSession} />;
  return (
    <>
      <header class="bar">
        <h1>公共信用信息服务平台</h1>
        <span class="who" aria-label="当前用户">
          {ROLE_NAMES[session.role]} · {session.label}
        </span>
        <button type="button" onClick={() => setSession(null)}>
          切换账号
        </button>
      </header>
      <main>
        {session.role === 'provider' && <ProviderView session={session} />}
        {session.role === 'gov' && <GovView session={session} />}
        {session.role === 'admin' && <AdminView session={session} />}
        {!['provider', 'gov', 'admin'].includes(session.role) && <p>此角色暂无控制台功能。</p>}
      </main>
    </>
  );
}

await loadConfig();
render(<App />, document.getElementById('app')!);
