/**
 * Government units (政府部门): look up a subject for a declared purpose (the file grouped by record
 * class); bulk check (批量核查) of a pasted or uploaded list with progress, summary and the results
 * to download; the unit's application list (应用清单: what it may query for which purpose).
 * Credit agencies (market) use the same lookup with a subject's written authorisation.
 */
import { useEffect, useState } from 'preact/hooks';
import { call, fullMessage, type Session } from './api.ts';
import { beijing, labelOf, num, POLARITY, PURPOSE, QUERY_OUTCOME_NAMES, RECORD_CLASS, SUBJECT_TYPE_NAMES } from './labels.ts';
import { useItems } from './item-labels.ts';
import { JointCheckView, JointListsView } from './joint-view.tsx';
import { loadPublishedLists, UnitMatters, type Matter } from './matters-view.tsx';
import { DataTable, ErrorLine, qs, Tabs, useCursorList, type Column } from './ui.tsx';

interface CreditRecord {
  recordId: string;
  item: string;
  itemName: string;
  recordClass: string;
  polarity: string;
  provider: string;
  fields: Record<string, unknown>;
  objection: null | { status?: string; objectionId?: string };
}
interface CreditFile {
  subject: { type: string; id: string; name: string };
  records: CreditRecord[];
  summary: { records: number; negative: number };
  queryId: string;
}

interface Application {
  unit: string;
  purpose: string;
  items: string[];
}
interface CatalogView {
  providers?: Array<{ code: string; name: string }>;
  applications?: Application[];
  matters?: Matter[];
  items: Array<{ code: string; name: string; provider: string; disclosure?: string; fields: Array<{ key: string; label: string }> }>;
}

/** The published catalog (items and their field labels, the applications and matters). */
export function useCatalog(session: Session) {
  const [catalog, setCatalog] = useState<CatalogView | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    loadPublishedLists<CatalogView>(session)
      .then(setCatalog)
      .catch((e: Error) => setError(e.message));
  }, [session]);
  return { catalog, error };
}

export function GovView({ session }: { session: Session }) {
  const { catalog, error } = useCatalog(session);
  const own = (catalog?.applications ?? []).filter((a) => a.unit === session.unit);
  const purposes = [...new Set(own.map((a) => a.purpose))];
  return (
    <>
      <ErrorLine error={error} />
      {catalog && (
        <Tabs
          label="政府部门功能"
          tabs={[
            { id: 'lookup', label: '信用查询', render: () => <LookupPanel session={session} purposes={purposes} /> },
            { id: 'checks', label: '批量核查', render: () => <BulkCheck session={session} purposes={purposes} /> },
            {
              id: 'applications',
              label: '应用清单',
              render: () => (
                <>
                  <Applications catalog={catalog} own={own} />
                  <UnitMatters lists={catalog} unit={session.unit ?? ''} />
                </>
              ),
            },
            { id: 'history', label: '查询记录', render: () => <UnitQueries session={session} /> },
            {
              id: 'joint',
              label: '联合奖惩',
              render: () => (
                <>
                  <JointCheckView session={session} />
                  <JointListsView />
                </>
              ),
            },
          ]}
        />
      )}
    </>
  );
}

/**
 * One subject's credit file for a purpose. `authorization`: the credit agency's form, with the
 * reference of the subject's written authorisation (书面授权) to see AUTHORIZED_QUERY records.
 */
export function LookupPanel({ session, purposes, authorization = false }: { session: Session; purposes: string[]; authorization?: boolean }) {
  const [type, setType] = useState<'legal' | 'natural'>('legal');
  const [id, setId] = useState('');
  const [purpose, setPurpose] = useState(authorization ? '' : (purposes[0] ?? ''));
  const [ref, setRef] = useState('');
  const [file, setFile] = useState<CreditFile | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    setFile(null);
    const params = new URLSearchParams();
    if (purpose) params.set('purpose', purpose);
    if (ref.trim()) params.set('authorization', ref.trim());
    try {
      setFile(await call<CreditFile>(session, 'GET', `/v1/subjects/${type}/${encodeURIComponent(id.trim())}?${params}`));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const items = useItems(session, file?.records.map((r) => r.item) ?? []);
  const groups = new Map<string, CreditRecord[]>();
  for (const r of file?.records ?? []) groups.set(r.recordClass, [...(groups.get(r.recordClass) ?? []), r]);

  return (
    <section aria-labelledby="lookup-title">
      <h2 id="lookup-title">信用信息查询</h2>
      <form onSubmit={submit} class="stack">
        <fieldset>
          <legend>主体类型</legend>
          <label>
            <input type="radio" name="type" checked={type === 'legal'} onChange={() => setType('legal')} /> 法人及非法人组织
          </label>
          <label>
            <input type="radio" name="type" checked={type === 'natural'} onChange={() => setType('natural')} /> 自然人
          </label>
        </fieldset>
        <label for="subject-id">{type === 'legal' ? '统一社会信用代码' : '身份证号码'}</label>
        <input id="subject-id" required value={id} onInput={(e) => setId((e.target as HTMLInputElement).value)} autoComplete="off" />
        {authorization && (
          <>
            <label for="authorization-ref">书面授权编号（查询授权查询类信息时必填）</label>
            <input id="authorization-ref" value={ref} autoComplete="off" onInput={(e) => setRef((e.target as HTMLInputElement).value)} />
          </>
        )}
        <label for="purpose">查询用途</label>
        <select id="purpose" value={purpose} onChange={(e) => setPurpose((e.target as HTMLSelectElement).value)}>
          {authorization && <option value="">未注明（仅公开信息）</option>}
          {purposes.map((p) => (
            <option value={p} key={p}>
              {PURPOSE[p] ?? p}
            </option>
          ))}
        </select>
        <button type="submit" disabled={busy || !id.trim() || (!authorization && !purpose)}>
          查询
        </button>
      </form>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {file && (
        <section aria-labelledby="file-title" class="card" aria-live="polite">
          <h3 id="file-title">{file.subject.name || file.subject.id}</h3>
          <p>
            {file.subject.id} · 共 {file.summary.records} 条记录，其中失信 {file.summary.negative} 条 · 查询编号{' '}
            <span data-testid="query-id">{file.queryId}</span>
          </p>
          {[...groups].map(([cls, records]) => (
            <section key={cls} aria-label={RECORD_CLASS[cls] ?? cls}>
              <h4>
                {RECORD_CLASS[cls] ?? cls}（{records.length}）
              </h4>
              <ul class="records">
                {records.map((r) => (
                  <li key={r.recordId} class={`record ${r.polarity.toLowerCase()}`} data-record-id={r.recordId}>
                    <strong>{r.itemName}</strong> <span class="tag">{POLARITY[r.polarity] ?? r.polarity}</span>
                    {r.objection && (
                      <span class="tag objection" title="该记录有异议正在处理">
                        异议处理中
                      </span>
                    )}
                    <span class="muted"> · {r.provider}</span>
                    <dl class="fields">
                      {Object.entries(r.fields)
                        .slice(0, 6)
                        .map(([k, v]) => (
                          <div key={k}>
                            <dt>{items.label(r.item, k)}</dt>
                            <dd>{Array.isArray(v) ? v.join('、') : String(v ?? '')}</dd>
                          </div>
                        ))}
                    </dl>
                  </li>
                ))}
              </ul>
            </section>
          ))}
          {file.records.length === 0 && <p>在该用途下没有可提供的记录。</p>}
        </section>
      )}
    </section>
  );
}

interface CheckStatus {
  checkId: string;
  status: 'RUNNING' | 'COMPLETED' | 'FAILED';
  done: number;
  total: number;
  hitSubjects: number;
  negativeRecords: number;
  invalid: number;
  resultUrl: string | null;
  resultJsonlUrl?: string | null;
  reason?: string | null;
}

/** The ids of a pasted or uploaded list: one a line (or the first CSV column), a header line and blanks skipped. */
export function idsOf(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) =>
      l
        .split(',')[0]!
        .replace(/^\uFEFF/, '')
        .replace(/"/g, '')
        .trim(),
    )
    .filter((l) => l !== '' && /\d/.test(l));
}

/** 批量核查: a list of subjects checked for a purpose and a case; progress, summary, results CSV. */
function BulkCheck({ session, purposes }: { session: Session; purposes: string[] }) {
  const [subjectType, setSubjectType] = useState<'LEGAL' | 'NATURAL'>('LEGAL');
  const [text, setText] = useState('');
  const [purpose, setPurpose] = useState(purposes[0] ?? '');
  const [ref, setRef] = useState('');
  const [check, setCheck] = useState<CheckStatus | null>(null);
  const [error, setError] = useState('');
  const ids = idsOf(text);

  useEffect(() => {
    if (!check || check.status !== 'RUNNING') return undefined;
    const t = setTimeout(async () => {
      try {
        setCheck(await call<CheckStatus>(session, 'GET', `/v1/checks/${check.checkId}`));
      } catch (err) {
        setError((err as Error).message);
      }
    }, 800);
    return () => clearTimeout(t);
  }, [check]);

  const onFile = async (e: Event) => {
    const f = (e.target as HTMLInputElement).files?.[0];
    if (f) setText(await f.text());
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    setCheck(null);
    try {
      const started = await call<{ checkId: string; total: number }>(session, 'POST', '/v1/checks', { subjectType, ids, purpose, ref: ref.trim() });
      setCheck({ checkId: started.checkId, status: 'RUNNING', done: 0, total: started.total, hitSubjects: 0, negativeRecords: 0, invalid: 0, resultUrl: null });
    } catch (err) {
      setError(fullMessage(err));
    }
  };
  return (
    <section aria-labelledby="check-title">
      <h2 id="check-title">批量核查</h2>
      <form onSubmit={submit} class="stack">
        <fieldset>
          <legend>主体类型</legend>
          <label>
            <input type="radio" name="check-type" checked={subjectType === 'LEGAL'} onChange={() => setSubjectType('LEGAL')} /> 法人及非法人组织
          </label>
          <label>
            <input type="radio" name="check-type" checked={subjectType === 'NATURAL'} onChange={() => setSubjectType('NATURAL')} /> 自然人
          </label>
        </fieldset>
        <label for="check-ids">核查名单（每行一个{subjectType === 'LEGAL' ? '统一社会信用代码' : '身份证号码'}）</label>
        <textarea id="check-ids" rows={6} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
        <label for="check-file">或上传名单文件（CSV / TXT，取第一列）</label>
        <input id="check-file" type="file" accept=".csv,.txt" onChange={onFile} />
        <label for="check-purpose">核查用途</label>
        <select id="check-purpose" value={purpose} onChange={(e) => setPurpose((e.target as HTMLSelectElement).value)}>
          {purposes.map((p) => (
            <option value={p} key={p}>
              {PURPOSE[p] ?? p}
            </option>
          ))}
        </select>
        <label for="check-ref">业务编号（案件或业务的编号）</label>
        <input id="check-ref" required value={ref} onInput={(e) => setRef((e.target as HTMLInputElement).value)} />
        <button type="submit" disabled={ids.length === 0 || !purpose || !ref.trim()}>
          开始核查（{num(ids.length)} 个主体）
        </button>
      </form>
      <ErrorLine error={error} />
      {check && (
        <section aria-labelledby="check-result-title" class="card" aria-live="polite">
          <h3 id="check-result-title">核查 {check.checkId}</h3>
          <div class="progress">
            <label for="check-progress">核查进度</label>
            <progress id="check-progress" max={check.total} value={check.done} />
            <span data-testid="check-status">
              {check.status === 'COMPLETED' ? '已完成' : check.status === 'FAILED' ? `失败${check.reason ? `：${check.reason}` : ''}` : '核查中'}（
              {num(check.done)}/{num(check.total)}）
            </span>
          </div>
          <dl class="figures">
            <div>
              <dt>核查主体</dt>
              <dd>{num(check.total)}</dd>
            </div>
            <div>
              <dt>有记录的主体</dt>
              <dd data-testid="check-hits">{num(check.hitSubjects)}</dd>
            </div>
            <div>
              <dt>失信记录</dt>
              <dd data-testid="check-negative">{num(check.negativeRecords)}</dd>
            </div>
            <div>
              <dt>无效编号</dt>
              <dd data-testid="check-invalid">{num(check.invalid)}</dd>
            </div>
          </dl>
          {check.resultUrl && (
            <p class="inline">
              <a class="button" href={check.resultUrl} download={`check-${check.checkId}.csv`} data-testid="check-result">
                下载核查结果（CSV）
              </a>
              {check.resultJsonlUrl && (
                <a href={check.resultJsonlUrl} download={`check-${check.checkId}.jsonl`}>
                  下载核查结果（JSON Lines）
                </a>
              )}
            </p>
          )}
        </section>
      )}
    </section>
  );
}

/** The unit's application list (应用清单): per purpose, the items it declared and may query. */
function Applications({ catalog, own }: { catalog: CatalogView; own: Application[] }) {
  const rows = own.flatMap((a) => a.items.map((code) => ({ purpose: a.purpose, code, item: catalog.items.find((i) => i.code === code) })));
  return (
    <section aria-labelledby="apps-title">
      <h2 id="apps-title">本单位应用清单</h2>
      <DataTable
        caption="本单位已申报的查询用途及信息事项"
        columns={[
          { label: '用途', value: (r) => PURPOSE[r.purpose] ?? r.purpose },
          { label: '信息事项', value: (r) => r.item?.name ?? r.code },
          { label: '事项代码', value: (r) => r.code },
          { label: '提供单位', value: (r) => catalog.providers?.find((p) => p.code === r.item?.provider)?.name ?? r.item?.provider ?? '' },
        ]}
        rows={rows}
        rowKey={(r) => `${r.purpose}-${r.code}`}
        empty="本单位没有申报应用清单。"
      />
    </section>
  );
}

interface UnitQuery {
  queryId: string;
  at: string;
  subject: { type: string; id: string };
  purpose: string | null;
  businessRef: string | null;
  authorizationRef: string | null;
  channel: string;
  outcome: string;
  records: number;
}

/** The unit's own query history (GET /v1/query-log/mine), newest first, a page at a time. */
export function UnitQueries({ session }: { session: Session }) {
  const list = useCursorList<UnitQuery>(async (cursor) => {
    const page = await call<{ queries: UnitQuery[]; next: string | null }>(session, 'GET', `/v1/query-log/mine${qs({ limit: 50, cursor })}`);
    return { rows: page.queries, next: page.next };
  }, []);
  const columns: Array<Column<UnitQuery>> = [
    { label: '查询时间', value: (q) => q.at, render: (q) => beijing(q.at) },
    { label: '主体', value: (q) => q.subject.id },
    { label: '主体类型', value: (q) => SUBJECT_TYPE_NAMES[q.subject.type] ?? q.subject.type },
    { label: '用途', value: (q) => (q.purpose ? (PURPOSE[q.purpose] ?? q.purpose) : '未注明') },
    { label: '业务编号', value: (q) => q.businessRef ?? '' },
    { label: '授权编号', value: (q) => q.authorizationRef ?? '' },
    { label: '结果', value: (q) => labelOf(q.outcome, QUERY_OUTCOME_NAMES) },
    { label: '提供记录数', value: (q) => q.records, numeric: true },
  ];
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">本单位查询记录</h2>
      <DataTable caption="查询记录" columns={columns} rows={list.rows} rowKey={(q) => q.queryId} list={list} testId="unit-queries" empty="尚无查询记录。" />
    </section>
  );
}
