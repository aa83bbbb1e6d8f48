/**
 * 联合奖惩 screens: a government unit's matter check (behaviours, list status and the measures that
 * bind it, on their bases) with the feedback form; the public credit lists; the admin statistics.
 */
import { useEffect, useState } from 'preact/hooks';
import { call, type Session } from './api.ts';
import { PURPOSE, beijing, num, pct } from './labels.ts';
import { DataTable, qs, useCursorList } from './ui.tsx';

const KIND: Record<string, string> = { PUNISHMENT: '联合惩戒', INCENTIVE: '联合激励' };
const GRADE: Record<string, string> = { SERIOUS: '严重', GENERAL: '一般', GOOD: '良好' };
const BINDING: Record<string, string> = { MANDATORY: '强制性', RECOMMENDED: '推荐性' };
const SIDE: Record<string, string> = { INITIATING: '发起部门', IMPLEMENTING: '实施部门' };
const ENTRY_STATUS: Record<string, string> = { NOTIFIED: '告知中', LISTED: '已列入', EXITED: '已移出' };

interface Measure {
  code: string;
  name: string;
  binding: string;
  side: string;
  basis: string;
  until: string | null;
  feedbackRequired: boolean;
}
interface CheckResult {
  subject: { type: 'LEGAL' | 'NATURAL'; id: string; name: string | null };
  found: boolean;
  behaviours: Array<{ code: string; name: string; kind: string; grade: string; basis: string; since: string; extendedFrom?: string }>;
  lists: Array<{ code: string; name: string; status: string; since: string; until: string | null }>;
  measures: Measure[];
}
interface JointCheck {
  checkId: string;
  matter: string;
  feedbackDueAt: string;
  results: CheckResult[];
}

const errorText = (e: unknown) => (e as Error).message;

/** The unit's matter check: subjects one per line, a matter the unit declared, and feedback per measure. */
export function JointCheckView({ session }: { session: Session }) {
  const [matters, setMatters] = useState<string[]>([]);
  const [matter, setMatter] = useState('');
  const [caseRef, setCaseRef] = useState('');
  const [ids, setIds] = useState('');
  const [check, setCheck] = useState<JointCheck | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    call<{ catalog: { applications?: Array<{ unit: string; purpose: string }> } }>(session, 'GET', '/v1/catalog')
      .then((c) => {
        const own = [...new Set((c.catalog.applications ?? []).filter((a) => a.unit === session.unit).map((a) => a.purpose))];
        setMatters(own);
        setMatter(own[0] ?? '');
      })
      .catch((e) => setError(errorText(e)));
  }, [session]);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    setCheck(null);
    // an 18-character code is a USCC, anything else an ID number: the API says which one is invalid
    const subjects = ids
      .split(/[\s,，]+/)
      .map((s) => s.trim())
      .filter(Boolean)
      .map((id) => ({ type: /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(id) ? 'LEGAL' : 'NATURAL', id }));
    try {
      setCheck(await call<JointCheck>(session, 'POST', '/v1/joint/checks', { matter, ...(caseRef.trim() ? { caseRef: caseRef.trim() } : {}), subjects }));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="joint-check-title">
      <h2 id="joint-check-title">联合奖惩核查</h2>
      <form onSubmit={submit} class="stack">
        <label for="joint-matter">办理事项</label>
        <select id="joint-matter" value={matter} onChange={(e) => setMatter((e.target as HTMLSelectElement).value)}>
          {matters.map((m) => (
            <option value={m} key={m}>
              {PURPOSE[m] ?? m}
            </option>
          ))}
        </select>
        <label for="joint-case">业务编号（可选）</label>
        <input id="joint-case" value={caseRef} onInput={(e) => setCaseRef((e.target as HTMLInputElement).value)} autoComplete="off" />
        <label for="joint-subjects">核查对象（统一社会信用代码或身份证号码，每行一个，最多 100 个）</label>
        <textarea id="joint-subjects" rows={4} required value={ids} onInput={(e) => setIds((e.target as HTMLTextAreaElement).value)} />
        <button type="submit" disabled={busy || !ids.trim() || !matter}>
          核查
        </button>
      </form>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {check && (
        <section aria-label="核查结果" aria-live="polite" class="card">
          <p>
            核查编号 <span data-testid="joint-check-id">{check.checkId}</span> · 措施采取情况请于 {beijing(check.feedbackDueAt, 'day')} 前反馈
          </p>
          {check.results.map((r) => (
            <JointResult key={r.subject.id} session={session} checkId={check.checkId} result={r} />
          ))}
        </section>
      )}
    </section>
  );
}

function JointResult({ session, checkId, result: r }: { session: Session; checkId: string; result: CheckResult }) {
  return (
    <article class="card" aria-label={`核查对象 ${r.subject.name ?? r.subject.id}`}>
      <h3>
        {r.subject.name ?? r.subject.id} <span class="muted">{r.subject.id}</span>
      </h3>
      {!r.found && <p class="muted">平台中没有该主体的信息。</p>}
      <h4>行为清单（{r.behaviours.length}）</h4>
      {r.behaviours.length === 0 ? (
        <p class="muted">未命中行为清单。</p>
      ) : (
        <ul>
          {r.behaviours.map((b) => (
            <li key={b.code + (b.extendedFrom ?? '')}>
              <strong>{b.name}</strong> <span class="tag">{KIND[b.kind] ?? b.kind}</span> <span class="tag">{GRADE[b.grade] ?? b.grade}</span>
              {b.extendedFrom && <span class="tag">因法定代表人关联（{b.extendedFrom}）</span>}
              <span class="muted">
                {' '}
                · 依据：{b.basis} · 自 {b.since}
              </span>
            </li>
          ))}
        </ul>
      )}
      <h4>信用名单</h4>
      {r.lists.length === 0 ? (
        <p class="muted">不在信用名单中。</p>
      ) : (
        <ul>
          {r.lists.map((l) => (
            <li key={l.code}>
              {l.name} <span class="tag">{ENTRY_STATUS[l.status] ?? l.status}</span>
              <span class="muted">
                {' '}
                · 自 {l.since}
                {l.until ? ` 至 ${l.until}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
      <h4>本单位在该事项中的措施（{r.measures.length}）</h4>
      {r.measures.length === 0 ? (
        <p class="muted">没有约束本单位的措施。</p>
      ) : (
        <ul>
          {r.measures.map((m) => (
            <li key={m.code}>
              <strong>{m.name}</strong> <span class="tag">{BINDING[m.binding] ?? m.binding}</span> <span class="tag">{SIDE[m.side] ?? m.side}</span>
              <span class="muted">
                {' '}
                · 依据：{m.basis}
                {m.until ? ` · 至 ${m.until}` : ''}
              </span>
              {m.feedbackRequired && <FeedbackForm session={session} checkId={checkId} subject={r.subject} measure={m} />}
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}

/** 反馈: applied or not; a MANDATORY measure not applied needs a reason (the API refuses without one). */
function FeedbackForm({ session, checkId, subject, measure }: { session: Session; checkId: string; subject: CheckResult['subject']; measure: Measure }) {
  const [applied, setApplied] = useState<'yes' | 'no'>('yes');
  const [reason, setReason] = useState('');
  const [done, setDone] = useState('');
  const [error, setError] = useState('');
  const id = `fb-${measure.code}-${subject.id}`;
  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    try {
      const r = await call<{ feedback: { at: string; late: boolean } }>(session, 'POST', `/v1/joint/checks/${checkId}/feedback`, {
        subject: { type: subject.type, id: subject.id },
        measure: measure.code,
        applied: applied === 'yes',
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
      setDone(`已反馈（${beijing(r.feedback.at)}${r.feedback.late ? '，逾期' : ''}）`);
    } catch (err) {
      setError(errorText(err));
    }
  };
  if (done)
    return (
      <p class="ok" role="status">
        {done}
      </p>
    );
  return (
    <form class="feedback" onSubmit={submit} aria-label={`反馈：${measure.name}`}>
      <label>
        <input type="radio" name={id} checked={applied === 'yes'} onChange={() => setApplied('yes')} /> 已采取
      </label>
      <label>
        <input type="radio" name={id} checked={applied === 'no'} onChange={() => setApplied('no')} /> 未采取
      </label>
      <label for={`${id}-reason`}>{measure.binding === 'MANDATORY' && applied === 'no' ? '未采取的理由（必填）' : '说明'}</label>
      <input id={`${id}-reason`} value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
      <button type="submit">提交反馈</button>
      {error && (
        <span role="alert" class="error">
          {error}
        </span>
      )}
    </form>
  );
}

interface PublicList {
  code: string;
  name: string;
  kind: string;
  unit: string;
  criteria: string;
  remedy: string;
  exit: string;
}

/** The public credit lists (no token needed): criteria, remedy and exit, and the LISTED entries a page at a time. */
export function JointListsView() {
  const [lists, setLists] = useState<PublicList[]>([]);
  const [open, setOpen] = useState('');
  const [error, setError] = useState('');
  useEffect(() => {
    call<{ lists: PublicList[] }>(null, 'GET', '/v1/public/lists')
      .then((r) => setLists(r.lists))
      .catch((e) => setError(errorText(e)));
  }, []);
  return (
    <section aria-labelledby="joint-lists-title">
      <h2 id="joint-lists-title">信用名单（公开）</h2>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {lists.map((l) => (
        <article key={l.code} class="card" aria-label={l.name}>
          <h3>{l.name}</h3>
          <dl class="fields">
            <div>
              <dt>认定标准</dt>
              <dd>{l.criteria}</dd>
            </div>
            <div>
              <dt>信用修复</dt>
              <dd>{l.remedy}</dd>
            </div>
            <div>
              <dt>移出条件</dt>
              <dd>{l.exit}</dd>
            </div>
          </dl>
          <button type="button" onClick={() => setOpen(l.code)}>
            查看名单
          </button>
          {open === l.code && <ListEntries list={l} />}
        </article>
      ))}
    </section>
  );
}

interface ListEntry {
  entryId: string;
  subject: { id: string; name: string };
  listedOn: string | null;
  until: string | null;
}

/** A list's LISTED entries, 50 a page (加载下一页 follows the API's cursor), sortable and filterable. */
function ListEntries({ list }: { list: PublicList }) {
  const entries = useCursorList<ListEntry>(async (cursor) => {
    const page = await call<{ entries: ListEntry[]; next: string | null }>(
      null,
      'GET',
      `/v1/public/lists/${encodeURIComponent(list.code)}/entries${qs({ cursor })}`,
    );
    return { rows: page.entries, next: page.next };
  }, []);
  return (
    <DataTable
      caption={`${list.name}：列入主体`}
      columns={[
        { label: '主体', value: (e) => e.subject.name },
        { label: '标识', value: (e) => e.subject.id },
        { label: '列入日期', value: (e) => e.listedOn ?? '' },
        { label: '有效期至', value: (e) => e.until ?? '' },
      ]}
      rows={entries.rows}
      rowKey={(e) => e.entryId}
      list={entries}
      empty="名单中暂无主体。"
    />
  );
}

interface JointStats {
  totals: { subjects: number; hits: number; hitRate: number | null; feedbackDue: number; feedback: number; feedbackRate: number | null; overdueOpen: number };
  byMatter: Array<{ matter: string; subjects: number; bySubjectType: { LEGAL: number; NATURAL: number }; hits: number; hitRate: number | null }>;
  byUnit: Array<{
    unit: string;
    subjects: number;
    hitRate: number | null;
    feedbackDue: number;
    feedback: number;
    feedbackRate: number | null;
    applied: number;
    notApplied: number;
    late: number;
    overdueOpen: number;
  }>;
  byList: Array<{ list: string; name: string; entered: number; listed: number; exited: number }>;
}

/** Admin: the year's joint statistics (checks by matter × subject type, feedback by unit, list movements). */
export function JointStatsView({ session }: { session: Session }) {
  const [year, setYear] = useState(() => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 4));
  const [s, setS] = useState<JointStats | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    setError('');
    call<JointStats>(session, 'GET', `/v1/joint/stats?year=${year}`)
      .then(setS)
      .catch((e) => setError(errorText(e)));
  }, [session, year]);
  return (
    <section aria-labelledby="joint-stats-title">
      <h2 id="joint-stats-title">联合奖惩统计</h2>
      <label for="joint-year">年度</label>{' '}
      <input id="joint-year" type="number" min="2000" max="2100" value={year} onChange={(e) => setYear((e.target as HTMLInputElement).value)} />
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {s && (
        <>
          <p data-testid="joint-totals">
            核查 {num(s.totals.subjects)} 次，命中 {num(s.totals.hits)} 次（{pct(s.totals.hitRate)}）；应反馈 {num(s.totals.feedbackDue)} 项，已反馈{' '}
            {num(s.totals.feedback)} 项（{pct(s.totals.feedbackRate)}），逾期未反馈 {num(s.totals.overdueOpen)} 项
          </p>
          <table aria-label="按事项核查">
            <thead>
              <tr>
                <th>事项</th>
                <th>法人</th>
                <th>自然人</th>
                <th>命中</th>
                <th>命中率</th>
              </tr>
            </thead>
            <tbody>
              {s.byMatter
                .filter((m) => m.subjects > 0)
                .map((m) => (
                  <tr key={m.matter}>
                    <td>{PURPOSE[m.matter] ?? m.matter}</td>
                    <td>{num(m.bySubjectType.LEGAL)}</td>
                    <td>{num(m.bySubjectType.NATURAL)}</td>
                    <td>{num(m.hits)}</td>
                    <td>{pct(m.hitRate)}</td>
                  </tr>
                ))}
            </tbody>
          </table>
          <table aria-label="各单位反馈">
            <thead>
              <tr>
                <th>单位</th>
                <th>核查</th>
                <th>应反馈</th>
                <th>已反馈</th>
                <th>反馈率</th>
                <th>已采取</th>
                <th>未采取</th>
                <th>逾期反馈</th>
                <th>逾期未反馈</th>
              </tr>
            </thead>
            <tbody>
              {s.byUnit.map((u) => (
                <tr key={u.unit}>
                  <td>{u.unit}</td>
                  <td>{num(u.subjects)}</td>
                  <td>{num(u.feedbackDue)}</td>
                  <td>{num(u.feedback)}</td>
                  <td>{pct(u.feedbackRate)}</td>
                  <td>{num(u.applied)}</td>
                  <td>{num(u.notApplied)}</td>
                  <td>{num(u.late)}</td>
                  <td>{num(u.overdueOpen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table aria-label="信用名单列入与移出">
            <thead>
              <tr>
                <th>名单</th>
                <th>告知</th>
                <th>列入</th>
                <th>移出</th>
              </tr>
            </thead>
            <tbody>
              {s.byList.map((l) => (
                <tr key={l.list}>
                  <td>{l.name}</td>
                  <td>{num(l.entered)}</td>
                  <td>{num(l.listed)}</td>
                  <td>{num(l.exited)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
