/**
 * 联合奖惩核查: a government unit's matter check (behaviours, list status and the measures that bind
 * it, on their bases) with the feedback form per measure.
 */
import { useEffect, useState } from 'preact/hooks';
import type { JointCheckResponse, JointFeedbackResponse } from '../../functions/api-types.ts';
import { call, type Session } from './api.ts';
import { PURPOSE, beijing } from './labels.ts';
import { loadPublishedLists } from './matters-view.tsx';

const KIND: Record<string, string> = { PUNISHMENT: '联合惩戒', INCENTIVE: '联合激励' };
const GRADE: Record<string, string> = { SERIOUS: '严重', GENERAL: '一般', GOOD: '良好' };
const BINDING: Record<string, string> = { MANDATORY: '强制性', RECOMMENDED: '推荐性' };
const SIDE: Record<string, string> = { INITIATING: '发起部门', IMPLEMENTING: '实施部门' };
const ENTRY_STATUS: Record<string, string> = { NOTIFIED: '告知中', LISTED: '已列入', EXITED: '已移出' };

type CheckResult = JointCheckResponse['results'][number];
type Measure = CheckResult['measures'][number];

/** The unit's matter check: subjects one per line, a matter the unit declared, and feedback per measure. */
export function JointCheckView({ session }: { session: Session }) {
  const [matters, setMatters] = useState<string[]>([]);
  const [matter, setMatter] = useState('');
  const [caseRef, setCaseRef] = useState('');
  const [ids, setIds] = useState('');
  const [check, setCheck] = useState<JointCheckResponse | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    // the application lists come inline with a small catalog, from the public catalog with one over 1,000 items
    loadPublishedLists(session)
      .then((c) => {
        const own = [...new Set((c.applications ?? []).filter((a) => a.unit === session.unit).map((a) => a.purpose))];
        setMatters(own);
        setMatter(own[0] ?? '');
      })
      .catch((e) => setError((e as Error).message));
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
      setCheck(
        await call<JointCheckResponse>(session, 'POST', '/v1/joint/checks', { matter, ...(caseRef.trim() ? { caseRef: caseRef.trim() } : {}), subjects }),
      );
    } catch (err) {
      setError((err as Error).message);
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
      const r = await call<JointFeedbackResponse>(session, 'POST', `/v1/joint/checks/${checkId}/feedback`, {
        subject: { type: subject.type, id: subject.id },
        measure: measure.code,
        applied: applied === 'yes',
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
      setDone(r.feedback ? `已反馈（${beijing(r.feedback.at)}${r.feedback.late ? '，逾期' : ''}）` : '已反馈');
    } catch (err) {
      setError((err as Error).message);
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
