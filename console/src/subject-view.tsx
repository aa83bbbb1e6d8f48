/**
 * Subjects (信息主体, a company or a person; SH-REG-2017 Arts 34–38): the own credit file, with an
 * objection filed against any record; the own credit report (a natural person: 2 free a year, the
 * count shown); who queried the file and why; the own objections and their steps; the written
 * authorisations (书面授权) granted, granting and revoking one.
 */
import { useEffect, useState } from 'preact/hooks';
import { call, callText, fullMessage, type Session } from './api.ts';
import { beijing, labelOf, num, POLARITY, PURPOSE, QUERY_OUTCOME_NAMES, RECORD_CLASS, ROLE_NAMES } from './labels.ts';
import { useItems, type CatalogItem } from './item-labels.ts';
import { ItemPicker } from './item-picker.tsx';
import { ObjectionList } from './objections.tsx';
import type { CreditFileRecord } from '../../functions/api-types.ts';
import { DataTable, ErrorLine, qs, Tabs, useCursorList, type Column } from './ui.tsx';

type FileRecord = CreditFileRecord;

export function SubjectView({ session }: { session: Session }) {
  if (!session.subject) return <p role="alert">此账号未关联信息主体（custom:subject_type / custom:subject_ref），请联系平台管理员。</p>;
  return (
    <Tabs
      label="信息主体功能"
      tabs={[
        { id: 'file', label: '我的信用档案', render: () => <OwnFile session={session} /> },
        { id: 'report', label: '信用报告', render: () => <OwnReport session={session} /> },
        { id: 'queries', label: '查询记录', render: () => <WhoQueried session={session} /> },
        { id: 'objections', label: '我的异议', render: () => <ObjectionList session={session} title="我的异议申请" /> },
        { id: 'authorizations', label: '授权管理', render: () => <Authorizations session={session} /> },
      ]}
    />
  );
}

/** The own file, every record with its fields; any record not yet under objection can be objected to. */
function OwnFile({ session }: { session: Session }) {
  const own = session.subject!;
  const [file, setFile] = useState<{ subject: { name: string; id: string }; records: FileRecord[] } | null>(null);
  const [error, setError] = useState('');
  const [objecting, setObjecting] = useState<FileRecord | null>(null);
  const [filed, setFiled] = useState(0);
  useEffect(() => {
    call<{ subject: { name: string; id: string }; records: FileRecord[] }>(session, 'GET', `/v1/subjects/${own.type === 'LEGAL' ? 'legal' : 'natural'}/me`)
      .then(setFile)
      .catch((e: Error) => setError(e.message));
  }, [filed]);
  const items = useItems(session, file?.records.map((r) => r.item) ?? []);
  return (
    <section aria-labelledby="own-file-title">
      <h2 id="own-file-title">我的信用档案{file ? `：${file.subject.name || file.subject.id}` : ''}</h2>
      <ErrorLine error={error} />
      {file && (
        <ul class="records">
          {file.records.map((r) => (
            <li key={r.recordId} class={`record ${r.polarity.toLowerCase()}`} data-record-id={r.recordId}>
              <strong>{r.itemName}</strong> <span class="tag">{RECORD_CLASS[r.recordClass] ?? r.recordClass}</span>{' '}
              <span class="tag">{POLARITY[r.polarity] ?? r.polarity}</span>
              {r.objection && <span class="tag objection">异议处理中</span>}
              <span class="muted"> · {r.provider}</span>
              <dl class="fields">
                {Object.entries(r.fields).map(([k, v]) => (
                  <div key={k}>
                    <dt>{items.label(r.item, k)}</dt>
                    <dd>{Array.isArray(v) ? v.join('、') : String(v ?? '')}</dd>
                  </div>
                ))}
              </dl>
              {!r.objection && (
                <button type="button" class="link" onClick={() => setObjecting(r)} aria-label={`对「${r.itemName}」记录提出异议`}>
                  提出异议
                </button>
              )}
            </li>
          ))}
          {file.records.length === 0 && <li>档案中没有记录。</li>}
        </ul>
      )}
      {objecting && (
        <ObjectionForm
          session={session}
          record={objecting}
          onDone={() => {
            setObjecting(null);
            setFiled((n) => n + 1);
          }}
        />
      )}
    </section>
  );
}

function ObjectionForm({ session, record, onDone }: { session: Session; record: FileRecord; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    try {
      const r = await call<{ objectionId: string; deadlines: Array<{ step: string; deadline: string }> }>(session, 'POST', '/v1/objections', {
        recordId: record.recordId,
        reason,
      });
      const decision = r.deadlines.find((d) => d.step === 'DECISION')?.deadline;
      setDone(`异议已受理（编号 ${r.objectionId}）${decision ? `，核查决定期限 ${beijing(decision, 'day')}` : ''}。`);
      setTimeout(onDone, 0);
    } catch (err) {
      setError(fullMessage(err));
    }
  };
  return (
    <form onSubmit={submit} class="stack card" aria-labelledby="objection-form-title">
      <h3 id="objection-form-title">对「{record.itemName}」提出异议</h3>
      <label for="objection-reason">异议理由</label>
      <textarea id="objection-reason" required rows={3} value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} />
      <button type="submit">提交异议</button>
      {done && (
        <p role="status" class="ok">
          {done}
        </p>
      )}
      <ErrorLine error={error} />
    </form>
  );
}

interface Report {
  reportId: string;
  generatedAt: string;
  summary: { records: number; served: number; negative: number; repaired: number; expired: number; objectionsOpen: number; queries: number };
  quota: null | { year: string; used: number; limit: number };
}

/**
 * The own report. Each issue counts against a natural person's free reports, so it is fetched on
 * request; the printable page is fetched with the same Idempotency-Key, which makes it the same issue.
 */
function OwnReport({ session }: { session: Session }) {
  const [report, setReport] = useState<Report | null>(null);
  const [html, setHtml] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const issue = async () => {
    setBusy(true);
    setError('');
    const key = crypto.randomUUID();
    try {
      setReport(await call<Report>(session, 'GET', '/v1/me/report?format=json', undefined, { 'idempotency-key': key }));
      setHtml(await callText(session, '/v1/me/report?format=html', { 'idempotency-key': key }));
    } catch (err) {
      setError(fullMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="report-title">
      <h2 id="report-title">信用报告</h2>
      <p>
        {session.subject?.type === 'NATURAL'
          ? '自然人每年可免费获取 2 次本人信用报告（同一次获取的网页版与数据版只计 1 次）。'
          : '法人及非法人组织可随时获取本单位信用报告。'}
      </p>
      <button type="button" onClick={issue} disabled={busy}>
        获取信用报告
      </button>
      <ErrorLine error={error} />
      {report && (
        <>
          <dl class="figures">
            <div>
              <dt>记录</dt>
              <dd data-testid="report-records">{num(report.summary.records)}</dd>
            </div>
            <div>
              <dt>失信记录</dt>
              <dd>{num(report.summary.negative)}</dd>
            </div>
            <div>
              <dt>已修复</dt>
              <dd>{num(report.summary.repaired)}</dd>
            </div>
            <div>
              <dt>办理中的异议</dt>
              <dd>{num(report.summary.objectionsOpen)}</dd>
            </div>
            <div>
              <dt>被查询（次）</dt>
              <dd>{num(report.summary.queries)}</dd>
            </div>
            {report.quota && (
              <div>
                <dt>{report.quota.year} 年免费报告</dt>
                <dd data-testid="report-quota">
                  已用 {report.quota.used} / {report.quota.limit} 次
                </dd>
              </div>
            )}
          </dl>
          <p class="muted">
            报告编号 {report.reportId} · 生成于 {beijing(report.generatedAt)}
          </p>
        </>
      )}
      {html && <iframe title="本人信用报告" class="report" srcDoc={html} sandbox="" />}
    </section>
  );
}

interface LoggedQuery {
  queryId: string;
  at: string;
  unit: string | null;
  role: string;
  purpose: string | null;
  businessRef: string | null;
  authorizationRef: string | null;
  outcome: string;
  records: number;
}

/** Who queried my file, when and why (Art 34), newest first, a page at a time. */
function WhoQueried({ session }: { session: Session }) {
  const list = useCursorList<LoggedQuery>(async (cursor) => {
    const page = await call<{ queries: LoggedQuery[]; next: string | null }>(session, 'GET', `/v1/me/queries${qs({ limit: 50, cursor })}`);
    return { rows: page.queries, next: page.next };
  }, []);
  const columns: Array<Column<LoggedQuery>> = [
    { label: '查询时间', value: (q) => q.at, render: (q) => beijing(q.at) },
    { label: '查询方', value: (q) => `${ROLE_NAMES[q.role] ?? q.role}${q.unit ? ` ${q.unit}` : ''}` },
    { label: '用途', value: (q) => (q.purpose ? (PURPOSE[q.purpose] ?? q.purpose) : '未注明') },
    { label: '业务编号', value: (q) => q.businessRef ?? '' },
    { label: '授权编号', value: (q) => q.authorizationRef ?? '' },
    { label: '结果', value: (q) => labelOf(q.outcome, QUERY_OUTCOME_NAMES) },
    { label: '提供记录数', value: (q) => q.records, numeric: true },
  ];
  return (
    <section aria-labelledby="who-title">
      <h2 id="who-title">谁查询了我</h2>
      <DataTable caption="查询记录" columns={columns} rows={list.rows} rowKey={(q) => q.queryId} list={list} testId="who-queried" empty="尚无查询记录。" />
    </section>
  );
}

interface Grant {
  ref: string;
  grantee: string;
  purpose: string;
  items: string[] | null;
  expiresAt: string;
  createdAt: string;
  revokedAt: string | null;
  status: 'ACTIVE' | 'EXPIRED' | 'REVOKED';
}
const GRANT_STATUS: Record<string, string> = { ACTIVE: '有效', EXPIRED: '已过期', REVOKED: '已撤销' };
const PURPOSES = Object.keys(PURPOSE).filter((p) => p !== '(none)');
/** What a written authorisation opens to a credit agency: the subject's AUTHORIZED_QUERY items. */
const authorizable = (i: CatalogItem) => i.disclosure === 'AUTHORIZED_QUERY';

/** The written authorisations (书面授权) this subject granted: grant one, revoke one. */
function Authorizations({ session }: { session: Session }) {
  const [grants, setGrants] = useState<Grant[]>([]);
  const [changed, setChanged] = useState(0);
  const [grantee, setGrantee] = useState('');
  const [purpose, setPurpose] = useState(PURPOSES[0]!);
  const [chosen, setChosen] = useState<string[]>([]);
  const [days, setDays] = useState('30');
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');
  useEffect(() => {
    call<{ authorizations: Grant[] }>(session, 'GET', '/v1/authorizations')
      .then((r) => setGrants(r.authorizations))
      .catch((e: Error) => setError(e.message));
  }, [changed]);
  const items = useItems(
    session,
    grants.flatMap((g) => g.items ?? []),
  );
  const grant = async (e: Event) => {
    e.preventDefault();
    setError('');
    setMessage('');
    try {
      const expiresAt = new Date(Date.now() + Number(days) * 86_400_000).toISOString();
      const r = await call<Grant>(session, 'POST', '/v1/authorizations', {
        grantee: grantee.trim(),
        purpose,
        expiresAt,
        ...(chosen.length ? { items: chosen } : {}),
      });
      setMessage(`已授权 ${r.grantee}，授权编号 ${r.ref}（请将编号告知被授权机构）。`);
      setChanged((n) => n + 1);
    } catch (err) {
      setError(fullMessage(err));
    }
  };
  const revoke = async (ref: string) => {
    setError('');
    try {
      await call(session, 'DELETE', `/v1/authorizations/${ref}`);
      setMessage(`授权 ${ref} 已撤销。`);
      setChanged((n) => n + 1);
    } catch (err) {
      setError(fullMessage(err));
    }
  };
  const columns: Array<Column<Grant>> = [
    { label: '授权编号', value: (g) => g.ref },
    { label: '被授权机构', value: (g) => g.grantee },
    { label: '用途', value: (g) => PURPOSE[g.purpose] ?? g.purpose },
    { label: '信息事项', value: (g) => (g.items ? g.items.map((c) => items.name(c)).join('、') : '全部') },
    { label: '有效期至', value: (g) => g.expiresAt, render: (g) => beijing(g.expiresAt) },
    { label: '状态', value: (g) => GRANT_STATUS[g.status] ?? g.status },
    {
      label: '操作',
      value: () => '',
      render: (g) =>
        g.status === 'ACTIVE' ? (
          <button type="button" class="link" onClick={() => revoke(g.ref)} aria-label={`撤销授权 ${g.ref}`}>
            撤销
          </button>
        ) : (
          ''
        ),
    },
  ];
  return (
    <section aria-labelledby="auth-title">
      <h2 id="auth-title">授权管理</h2>
      <form onSubmit={grant} class="stack card" aria-labelledby="grant-title">
        <h3 id="grant-title">新增书面授权</h3>
        <label for="grantee">被授权机构代码</label>
        <input id="grantee" required pattern="[A-Z0-9_\-]+" value={grantee} onInput={(e) => setGrantee((e.target as HTMLInputElement).value.toUpperCase())} />
        <label for="grant-purpose">授权用途</label>
        <select id="grant-purpose" value={purpose} onChange={(e) => setPurpose((e.target as HTMLSelectElement).value)}>
          {PURPOSES.map((p) => (
            <option key={p} value={p}>
              {PURPOSE[p]}
            </option>
          ))}
        </select>
        {/* searched a page at a time: a reference-scale catalog is never read whole; none chosen = every item (the API's default) */}
        <ItemPicker
          session={session}
          id="grant-items"
          legend="授权信息事项（不选则为全部）"
          subjectType={session.subject?.type}
          accept={authorizable}
          chosen={chosen}
          onChange={setChosen}
        />
        <label for="grant-days">有效天数</label>
        <input id="grant-days" type="number" min="1" max="365" required value={days} onInput={(e) => setDays((e.target as HTMLInputElement).value)} />
        <button type="submit">授权</button>
      </form>
      {message && (
        <p role="status" class="ok" data-testid="grant-message">
          {message}
        </p>
      )}
      <ErrorLine error={error} />
      <DataTable caption="我授予的书面授权" columns={columns} rows={grants} rowKey={(g) => g.ref} testId="grants" empty="尚未授权任何机构。" />
    </section>
  );
}
