/** The units register (单位库) for the admin: the list filtered on the server, and the form that registers or changes a unit. */
import { useState } from 'preact/hooks';
import { call, fullMessage, type Session } from './api.ts';
import { beijing, labelOf, PROVIDER_KIND_NAMES } from './labels.ts';
import { DataTable, ErrorLine, qs, useCursorList } from './ui.tsx';

type Row = Record<string, unknown>;

const LEVEL_NAMES: Record<string, string> = { MUNICIPAL: '市级', DISTRICT: '区级', CENTRAL: '中央在沪单位', OTHER: '其他' };
const UNIT_ROLE_NAMES: Record<string, string> = { PROVIDER: '信息提供', GOV_QUERY: '政务查询', CREDIT_AGENCY: '信用服务机构', SERVICE_WINDOW: '服务窗口' };

/** The units register (单位库), filtered by level on the server, a page at a time. */
export function Units({ session }: { session: Session }) {
  const [level, setLevel] = useState('');
  const [editing, setEditing] = useState<Row | null>(null);
  const list = useCursorList<Row>(
    async (cursor) => {
      const page = await call<{ units: Row[]; next: string | null }>(session, 'GET', `/v1/units${qs({ level, limit: 100, cursor })}`);
      return { rows: page.units, next: page.next };
    },
    [level],
  );
  return (
    <section aria-labelledby="units-title">
      <h2 id="units-title">单位库</h2>
      <form class="inline" onSubmit={(e) => e.preventDefault()}>
        <label for="unit-level">层级</label>
        <select id="unit-level" value={level} onChange={(e) => setLevel((e.target as HTMLSelectElement).value)}>
          <option value="">全部</option>
          {Object.entries(LEVEL_NAMES).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </select>
      </form>
      <DataTable
        caption="单位"
        testId="units"
        columns={[
          { label: '代码', value: (u) => u.code as string },
          { label: '名称', value: (u) => u.name as string },
          { label: '统一社会信用代码', value: (u) => u.uscc as string },
          { label: '类别', value: (u) => labelOf(u.kind, PROVIDER_KIND_NAMES) },
          { label: '层级', value: (u) => labelOf(u.level, LEVEL_NAMES) },
          { label: '所属区', value: (u) => (u.district as string) ?? '' },
          { label: '职能', value: (u) => ((u.roles as string[]) ?? []).map((r) => UNIT_ROLE_NAMES[r] ?? r).join('、') },
          { label: '更新时间', value: (u) => u.updatedAt as string, render: (u) => beijing(u.updatedAt) },
          {
            label: '操作',
            value: () => '',
            render: (u) => (
              <button type="button" class="link" onClick={() => setEditing(u)} aria-label={`修改单位 ${String(u.code)}`}>
                修改
              </button>
            ),
          },
        ]}
        rows={list.rows}
        rowKey={(u) => String(u.code)}
        list={list}
      />
      {editing && (
        <p class="inline">
          <button type="button" class="secondary" onClick={() => setEditing(null)}>
            登记新单位
          </button>
        </p>
      )}
      <UnitForm key={String(editing?.code ?? 'new')} session={session} unit={editing} onSaved={list.reload} />
    </section>
  );
}

/**
 * Register a unit or update one (PUT /v1/units/{code}): the API checks the USCC, the level and
 * district rule and the roles, and answers its problems in Chinese, shown under the form.
 */
function UnitForm({ session, unit, onSaved }: { session: Session; unit: Row | null; onSaved: () => void }) {
  const [code, setCode] = useState(String(unit?.code ?? ''));
  const [name, setName] = useState(String(unit?.name ?? ''));
  const [uscc, setUscc] = useState(String(unit?.uscc ?? ''));
  const [kind, setKind] = useState(String(unit?.kind ?? 'MUNICIPAL_AGENCY'));
  const [level, setLevel] = useState(String(unit?.level ?? 'MUNICIPAL'));
  const [district, setDistrict] = useState(String(unit?.district ?? ''));
  const [roles, setRoles] = useState<string[]>((unit?.roles as string[] | undefined) ?? ['GOV_QUERY']);
  const [budget, setBudget] = useState(unit?.dailyQueryBudget === undefined ? '' : String(unit.dailyQueryBudget));
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');
  const save = async (e: Event) => {
    e.preventDefault();
    setMessage('');
    setError('');
    const body = {
      name: name.trim(),
      uscc: uscc.trim(),
      kind,
      level,
      roles,
      ...(district.trim() ? { district: district.trim() } : {}),
      ...(budget.trim() ? { dailyQueryBudget: Number(budget) } : {}),
    };
    try {
      await call(session, 'PUT', `/v1/units/${encodeURIComponent(code.trim())}`, body);
      setMessage(`单位 ${code.trim()} 已保存`);
      onSaved();
    } catch (err) {
      setError(fullMessage(err));
    }
  };
  return (
    <form class="card stack" onSubmit={save} aria-labelledby="unit-form-title">
      <h3 id="unit-form-title">{unit ? `修改单位 ${String(unit.code)}` : '登记单位'}</h3>
      <fieldset class="grid">
        <legend>单位信息</legend>
        <div>
          <label for="unit-code">单位代码</label>
          <input id="unit-code" required value={code} readOnly={Boolean(unit)} onInput={(e) => setCode((e.target as HTMLInputElement).value)} />
        </div>
        <div>
          <label for="unit-name">单位名称</label>
          <input id="unit-name" required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </div>
        <div>
          <label for="unit-uscc">统一社会信用代码</label>
          <input id="unit-uscc" required value={uscc} onInput={(e) => setUscc((e.target as HTMLInputElement).value)} />
        </div>
        <div>
          <label for="unit-kind">类别</label>
          <select id="unit-kind" value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value)}>
            {Object.entries(PROVIDER_KIND_NAMES).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="unit-form-level">层级</label>
          <select id="unit-form-level" value={level} onChange={(e) => setLevel((e.target as HTMLSelectElement).value)}>
            {Object.entries(LEVEL_NAMES).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="unit-district">所属区（区级单位填写，如 浦东新区）</label>
          <input id="unit-district" value={district} onInput={(e) => setDistrict((e.target as HTMLInputElement).value)} />
        </div>
        <div>
          <label for="unit-budget">每日查询限额（可不填）</label>
          <input id="unit-budget" inputMode="numeric" value={budget} onInput={(e) => setBudget((e.target as HTMLInputElement).value)} />
        </div>
      </fieldset>
      <fieldset>
        <legend>职能</legend>
        {Object.entries(UNIT_ROLE_NAMES).map(([k, v]) => (
          <label key={k}>
            <input
              type="checkbox"
              checked={roles.includes(k)}
              onChange={(e) => setRoles((r) => ((e.target as HTMLInputElement).checked ? [...r, k] : r.filter((x) => x !== k)))}
            />{' '}
            {v}
          </label>
        ))}
      </fieldset>
      <p class="inline">
        <button type="submit">保存单位</button>
        <span role="status" class="ok">
          {message}
        </span>
      </p>
      <ErrorLine error={error} />
    </form>
  );
}
