/**
 * Objections (异议) as every role that handles them sees them: the list (status, overdue, cursor
 * paging), one objection with its steps and working-day deadlines, the record objected to and
 * the evidence; the admin remits (平台核查 / 转提供单位) and the deciding party — the admin on its
 * own remit, the provider on a forwarded one — decides: UPHELD, DELETED, or CORRECTED with the
 * changed fields, which the API validates like an upload row (its row errors shown as they come).
 */
import { useEffect, useState } from 'preact/hooks';
import { call, fullMessage, type Session } from './api.ts';
import { beijing, labelOf, OBJECTION_REMIT_NAMES, OBJECTION_STATUS, ROLE_NAMES, SUBJECT_TYPE_NAMES } from './labels.ts';
import { useItems, type CatalogItem } from './item-labels.ts';
import { DataTable, ErrorLine, qs, useCursorList, type Column } from './ui.tsx';

export type { CatalogItem } from './item-labels.ts';

interface Step {
  step: 'MARK' | 'REMIT' | 'DECISION';
  deadline: string | null;
  deadlineProvisional: boolean;
  doneAt: string | null;
  by: { role: string; unit?: string } | null;
  overdue: boolean;
}
export interface Objection {
  objectionId: string;
  recordId: string;
  item: string;
  provider: string;
  subject: { type: string; id: string };
  reason: string;
  status: string;
  remit: string | null;
  receivedAt: string;
  steps: Step[];
  overdue: boolean;
  outcome: null | { outcome: string; reasons: string; fields?: Record<string, unknown> };
  history: Array<{ event: string; at: string; by: { role: string; unit?: string } | null; note?: string }>;
  evidence: Array<{ key: string; downloadUrl: string }>;
  record?: null | { status: string; subjectName: string; fields: Record<string, unknown>; batchId: string; row: number };
}

const STEP_NAMES: Record<string, string> = { MARK: '标注异议', REMIT: '分办（平台核查或转提供单位）', DECISION: '核查决定' };
export const OUTCOME_NAMES: Record<string, string> = { UPHELD: '维持原记录', CORRECTED: '更正', DELETED: '删除' };
const OPEN = ['RECEIVED', 'UNDER_REVIEW', 'FORWARDED'];

/** The next open step's deadline (the China day it ends), marked when counted over a provisional calendar year. */
export function nextDeadline(o: Objection): string {
  const step = o.steps.find((s) => !s.doneAt);
  return step?.deadline ? `${beijing(step.deadline, 'day')}${step.deadlineProvisional ? '（暂定）' : ''}` : '—';
}

const who = (by: Step['by']) => (by ? `${ROLE_NAMES[by.role] ?? by.role}${by.unit ? ` ${by.unit}` : ''}` : '—');
const show = (v: unknown) => (Array.isArray(v) ? v.join('、') : v === null || v === undefined || v === '' ? '—' : String(v));

/** The objection list with status / overdue filters; choosing one opens it below the list. */
export function ObjectionList({ session, title }: { session: Session; title: string }) {
  const [status, setStatus] = useState('');
  const [overdue, setOverdue] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const [changed, setChanged] = useState(0);
  const list = useCursorList<Objection>(
    async (cursor) => {
      const page = await call<{ objections: Objection[]; next: string | null }>(session, 'GET', `/v1/objections${qs({ status, overdue, limit: 50, cursor })}`);
      return { rows: page.objections, next: page.next };
    },
    [status, overdue, changed],
  );
  const items = useItems(
    session,
    list.rows.map((o) => o.item),
  );
  const columns: Array<Column<Objection>> = [
    { label: '受理时间', value: (o) => o.receivedAt, render: (o) => beijing(o.receivedAt) },
    { label: '主体', value: (o) => o.subject.id },
    { label: '信息事项', value: (o) => items.name(o.item) },
    { label: '状态', value: (o) => OBJECTION_STATUS[o.status] ?? o.status },
    { label: '办理期限', value: nextDeadline },
    { label: '是否逾期', value: (o) => (o.overdue ? '逾期' : '') },
    {
      label: '操作',
      value: () => '',
      render: (o) => (
        <button type="button" class="link" onClick={() => setOpen(o.objectionId)} aria-label={`办理 ${o.subject.id} 的异议`}>
          {OPEN.includes(o.status) ? '办理' : '查看'}
        </button>
      ),
    },
  ];
  return (
    <section aria-labelledby="objections-title" class="card" data-testid="objection-queue">
      <h3 id="objections-title">{title}</h3>
      <form class="inline" onSubmit={(e) => e.preventDefault()}>
        <label for="objection-status">状态</label>
        <select id="objection-status" value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value)}>
          <option value="">全部</option>
          {Object.entries(OBJECTION_STATUS).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </select>
        <label for="objection-overdue">期限</label>
        <select id="objection-overdue" value={overdue} onChange={(e) => setOverdue((e.target as HTMLSelectElement).value)}>
          <option value="">全部</option>
          <option value="true">仅逾期</option>
          <option value="false">未逾期</option>
        </select>
      </form>
      <DataTable caption={title} columns={columns} rows={list.rows} rowKey={(o) => o.objectionId} list={list} empty="暂无异议。" />
      {open && (
        <ObjectionDetail
          key={`${open}-${changed}`}
          session={session}
          objectionId={open}
          onChanged={() => setChanged((n) => n + 1)}
          onClose={() => setOpen(null)}
        />
      )}
    </section>
  );
}

/** One objection: steps with deadlines, the record, the evidence, and the actions the caller may take. */
export function ObjectionDetail({
  session,
  objectionId,
  onChanged,
  onClose,
}: {
  session: Session;
  objectionId: string;
  onChanged: () => void;
  onClose: () => void;
}) {
  const [o, setO] = useState<Objection | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    call<Objection>(session, 'GET', `/v1/objections/${objectionId}`)
      .then(setO)
      .catch((e: Error) => setError(e.message));
  }, [objectionId]);
  const item = useItems(session, o ? [o.item] : []).item(o?.item ?? '');
  if (!o) return <ErrorLine error={error} />;
  const canRemit = session.role === 'admin' && o.status === 'RECEIVED';
  const canDecide = (session.role === 'admin' && o.status === 'UNDER_REVIEW') || (session.role === 'provider' && o.status === 'FORWARDED');
  return (
    <section aria-labelledby="objection-title" class="card detail" data-testid="objection-detail">
      <h4 id="objection-title">
        异议 {o.subject.id}（{SUBJECT_TYPE_NAMES[o.subject.type] ?? o.subject.type}）· {item?.name ?? o.item} ·{' '}
        <span data-testid="objection-status">{OBJECTION_STATUS[o.status] ?? o.status}</span>
      </h4>
      <p>
        异议理由：{o.reason}
        {o.remit && ` · 分办：${labelOf(o.remit, OBJECTION_REMIT_NAMES)}`}
      </p>
      <table>
        <caption>办理步骤及工作日期限</caption>
        <thead>
          <tr>
            <th scope="col">步骤</th>
            <th scope="col">期限（当日 24 时前）</th>
            <th scope="col">完成时间</th>
            <th scope="col">办理人</th>
            <th scope="col">逾期</th>
          </tr>
        </thead>
        <tbody>
          {o.steps.map((s) => (
            <tr key={s.step}>
              <td>{STEP_NAMES[s.step]}</td>
              <td>{s.deadline ? `${beijing(s.deadline, 'day')}${s.deadlineProvisional ? '（暂定）' : ''}` : '—'}</td>
              <td>{s.doneAt ? beijing(s.doneAt) : '未完成'}</td>
              <td>{who(s.by)}</td>
              <td>{s.overdue ? '逾期' : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {o.record && (
        <dl class="fields record-fields" aria-label="异议所指记录">
          <div>
            <dt>主体名称</dt>
            <dd>{o.record.subjectName}</dd>
          </div>
          {(item?.fields ?? Object.keys(o.record.fields).map((key) => ({ key, label: key }))).map((f) => (
            <div key={f.key}>
              <dt>{f.label}</dt>
              <dd>{show(o.record!.fields[f.key])}</dd>
            </div>
          ))}
          <div>
            <dt>来源批次</dt>
            <dd>
              {o.record.batchId} 第 {o.record.row} 行
            </dd>
          </div>
        </dl>
      )}
      {o.evidence.length > 0 && (
        <ul aria-label="证明材料">
          {o.evidence.map((e) => (
            <li key={e.key}>
              <a href={e.downloadUrl} target="_blank" rel="noreferrer">
                证明材料：{e.key.split('/').pop()}
              </a>
            </li>
          ))}
        </ul>
      )}
      {o.outcome && (
        <p>
          核查结果：<strong>{OUTCOME_NAMES[o.outcome.outcome] ?? o.outcome.outcome}</strong> · {o.outcome.reasons}
        </p>
      )}
      {canRemit && <RemitForm session={session} o={o} onDone={onChanged} />}
      {canDecide && <DecisionForm session={session} o={o} item={item} onDone={onChanged} />}
      <ErrorLine error={error} />
      <button type="button" class="secondary" onClick={onClose}>
        关闭
      </button>
    </section>
  );
}

function RemitForm({ session, o, onDone }: { session: Session; o: Objection; onDone: () => void }) {
  const [remit, setRemit] = useState<'PLATFORM' | 'PROVIDER'>('PROVIDER');
  const [note, setNote] = useState('');
  const [error, setError] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    try {
      await call(session, 'POST', `/v1/objections/${o.objectionId}/remit`, { remit, ...(note.trim() ? { note: note.trim() } : {}) });
      onDone();
    } catch (err) {
      setError(fullMessage(err));
    }
  };
  return (
    <form onSubmit={submit} class="stack" aria-label="分办异议">
      <fieldset>
        <legend>分办</legend>
        <label>
          <input type="radio" name="remit" checked={remit === 'PROVIDER'} onChange={() => setRemit('PROVIDER')} /> 转提供单位核查（{o.provider}）
        </label>
        <label>
          <input type="radio" name="remit" checked={remit === 'PLATFORM'} onChange={() => setRemit('PLATFORM')} /> 平台核查
        </label>
      </fieldset>
      <label for="remit-note">备注（可选）</label>
      <input id="remit-note" value={note} onInput={(e) => setNote((e.target as HTMLInputElement).value)} />
      <button type="submit">确认分办</button>
      <ErrorLine error={error} />
    </form>
  );
}

/**
 * UPHELD / DELETED / CORRECTED. For CORRECTED every field of the item is shown with its current
 * value; only the changed ones are sent, and the API validates them as an upload row (a failed
 * check answers 422 CORRECTION_INVALID with each row error in Chinese).
 */
function DecisionForm({ session, o, item, onDone }: { session: Session; o: Objection; item: CatalogItem | undefined; onDone: () => void }) {
  const [outcome, setOutcome] = useState<'UPHELD' | 'CORRECTED' | 'DELETED'>('UPHELD');
  const [reasons, setReasons] = useState('');
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [error, setError] = useState('');
  const current = o.record?.fields ?? {};
  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    const fields = Object.fromEntries(Object.entries(edits).filter(([k, v]) => v !== show(current[k])));
    if (outcome === 'CORRECTED' && Object.keys(fields).length === 0) return setError('请至少修改一个字段。');
    try {
      await call(session, 'POST', `/v1/objections/${o.objectionId}/decision`, { outcome, reasons, ...(outcome === 'CORRECTED' ? { fields } : {}) });
      onDone();
    } catch (err) {
      setError(fullMessage(err));
    }
  };
  return (
    <form onSubmit={submit} class="stack" aria-label="核查决定">
      <fieldset>
        <legend>核查决定</legend>
        {(['UPHELD', 'CORRECTED', 'DELETED'] as const).map((k) => (
          <label key={k}>
            <input type="radio" name="outcome" checked={outcome === k} onChange={() => setOutcome(k)} /> {OUTCOME_NAMES[k]}
          </label>
        ))}
      </fieldset>
      {outcome === 'CORRECTED' && (
        <fieldset class="grid" aria-label="更正字段">
          <legend>更正字段（仅提交修改过的字段）</legend>
          {(item?.fields ?? []).map((f) => (
            <div key={f.key}>
              <label for={`fix-${f.key}`}>{f.label}</label>
              <input
                id={`fix-${f.key}`}
                value={edits[f.key] ?? show(current[f.key]).replace(/^—$/, '')}
                inputMode={f.type === 'decimal' || f.type === 'integer' ? 'decimal' : undefined}
                onInput={(e) => setEdits({ ...edits, [f.key]: (e.target as HTMLInputElement).value })}
              />
            </div>
          ))}
        </fieldset>
      )}
      <label for="decision-reasons">决定理由</label>
      <textarea id="decision-reasons" required rows={3} value={reasons} onInput={(e) => setReasons((e.target as HTMLTextAreaElement).value)} />
      <button type="submit">提交决定</button>
      <ErrorLine error={error} />
    </form>
  );
}
