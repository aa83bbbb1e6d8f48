/** Sign-in. Locally: pick a demo account and get a token from POST /local/token. */
import { useState } from 'preact/hooks';
import { call, type Session } from './api.ts';

interface DemoAccount {
  id: string;
  label: string;
  role: Session['role'];
  unit?: string;
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { id: 'provider-amr', label: '上海市市场监督管理局（信息提供单位）', role: 'provider', unit: 'SH-AMR' },
  { id: 'provider-tax', label: '国家税务总局上海市税务局（信息提供单位）', role: 'provider', unit: 'SH-TAX' },
  { id: 'gov-epb', label: '市生态环境局 SH-EPB（政府部门）', role: 'gov', unit: 'SH-EPB' },
  { id: 'gov-drc', label: '市发展改革委 SH-DRC（政府部门）', role: 'gov', unit: 'SH-DRC' },
  { id: 'admin', label: '平台管理员', role: 'admin' },
];

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
      const { token } = await call<{ token: string }>(null, 'POST', '/local/token', { role: a.role, unit: a.unit, channel: 'console' });
      onSignedIn({ token, role: a.role, unit: a.unit, label: a.label });
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
