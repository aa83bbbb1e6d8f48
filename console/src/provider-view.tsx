/**
 * Providers (信息提供单位), the role with the most daily use: upload a file with a progress bar and
 * watch its receipt (回执); the batch history (filter by item, status, date; failed batches with
 * their reason; any batch's receipt, rejected rows and CSV); the objection inbox (objections the
 * admin forwarded, with deadlines and the decision form); credit repair and revocation.
 */
import { useEffect, useState } from 'preact/hooks';
import { call, callText, fullMessage, putWithProgress, saveAs, type Session } from './api.ts';
import { SUBJECT_COLUMNS } from '../../functions/core/subject-columns.ts';
import { beijing, labelOf, num, ROW_ERROR_NAMES, STATUS } from './labels.ts';
import type { Receipt } from '../../functions/api-types.ts';
import { ObjectionList, type CatalogItem } from './objections.tsx';
import { DataTable, ErrorLine, qs, Tabs, useCursorList, type Column } from './ui.tsx';
import { OwnListPanel } from './unit-lists.tsx';

type Item = CatalogItem;

/** The catalog label of a field key ('fineWan' → 罚款金额（万元）), the subject columns' included. */
const SUBJECT_LABELS: Record<string, string> = Object.fromEntries(SUBJECT_COLUMNS.map((c) => [c.key, c.label]));
function fieldLabel(item: Item | undefined, key: string | null | undefined): string {
  if (!key) return '—';
  return item?.fields?.find((f) => f.key === key)?.label ?? SUBJECT_LABELS[key] ?? key;
}

/** Rejected rows grouped by error code and field, most frequent first. */
function groupErrors(errors: Receipt['errors']): Array<{ code: string; field: string | null; rows: number[] }> {
  const groups = new Map<string, { code: string; field: string | null; rows: number[] }>();
  for (const e of errors) {
    const k = `${e.code}\u0000${e.field ?? ''}`;
    const g = groups.get(k) ?? { code: e.code, field: e.field ?? null, rows: [] };
    g.rows.push(e.row);
    groups.set(k, g);
  }
  return [...groups.values()].sort((a, b) => b.rows.length - a.rows.length || a.code.localeCompare(b.code));
}

const PART = 8 * 1024 * 1024;

/** One presigned PUT up to 8 MiB, a presigned multipart upload above (as bin/credit.ts does). */
async function upload(session: Session, item: string, file: File, onProgress: (sent: number) => void): Promise<string> {
  const parts = Math.ceil(file.size / PART);
  if (parts <= 1) {
    const started = await call<{ batchId: string; uploadUrl: string }>(session, 'POST', '/v1/uploads', { item, fileName: file.name });
    await putWithProgress(started.uploadUrl, file, onProgress);
    return started.batchId;
  }
  const started = await call<{ batchId: string; uploadId: string; partUrls: string[] }>(session, 'POST', '/v1/uploads', { item, fileName: file.name, parts });
  const sent = new Array<number>(parts).fill(0);
  const etags: Array<{ partNumber: number; etag: string }> = [];
  for (let i = 0; i < parts; i++) {
    const etag = await putWithProgress(started.partUrls[i]!, file.slice(i * PART, (i + 1) * PART), (n) => {
      sent[i] = n;
      onProgress(sent.reduce((a, b) => a + b, 0));
    });
    etags.push({ partNumber: i + 1, etag });
  }
  await call(session, 'POST', `/v1/uploads/${started.batchId}/complete`, { uploadId: started.uploadId, parts: etags });
  return started.batchId;
}

/**
 * The provider's own items from the published catalog, read page by page through the catalog's
 * byProvider index (GET /v1/catalog/items?provider=): the whole catalog (45,933 items at reference
 * scale) is never loaded, and is not answered inline past 1,000 items anyway.
 */
function useOwnItems(session: Session) {
  const [items, setItems] = useState<Item[]>([]);
  const [error, setError] = useState('');
  useEffect(() => {
    (async () => {
      const own: Item[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: Item[]; next: string | null } = await call(
          session,
          'GET',
          `/v1/catalog/items${qs({ provider: session.unit, limit: 500, cursor })}`,
        );
        own.push(...page.items);
        cursor = page.next;
      } while (cursor);
      setItems(own);
    })().catch((e: Error) => setError(e.message));
  }, [session]);
  return { items, error };
}

export function ProviderView({ session }: { session: Session }) {
  const { items, error } = useOwnItems(session);
  return (
    <>
      <ErrorLine error={error} />
      <Tabs
        label="信息提供单位功能"
        tabs={[
          { id: 'upload', label: '上传数据', render: () => <UploadPanel session={session} items={items} /> },
          { id: 'batches', label: '批次记录', render: () => <BatchHistory session={session} items={items} /> },
          { id: 'objections', label: '异议处理', render: () => <ObjectionList session={session} title="转来核查的异议" /> },
          { id: 'rights', label: '信用修复与撤销', render: () => <RecordRights session={session} /> },
          { id: 'own-list', label: '本单位清单', render: () => <OwnListPanel session={session} /> },
        ]}
      />
    </>
  );
}

function UploadPanel({ session, items }: { session: Session; items: Item[] }) {
  const [item, setItem] = useState(items[0]?.code ?? '');
  const [file, setFile] = useState<File | null>(null);
  const [sent, setSent] = useState(0);
  const [batchId, setBatchId] = useState('');
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    if (!item && items[0]) setItem(items[0].code);
  }, [items]);

  useEffect(() => {
    if (!batchId) return;
    let stop = false;
    const poll = async () => {
      try {
        const r = await call<Receipt>(session, 'GET', `/v1/batches/${batchId}`);
        if (stop) return;
        setReceipt(r);
        if (r.status === 'COMPLETED' || r.status === 'FAILED') return;
      } catch (e) {
        if (!stop) setError((e as Error).message);
      }
      if (!stop) setTimeout(poll, 800);
    };
    void poll();
    return () => {
      stop = true;
    };
  }, [batchId]);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!file || !item) return;
    setError('');
    setReceipt(null);
    setBatchId('');
    setSent(0);
    try {
      setBatchId(await upload(session, item, file, setSent));
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <section aria-labelledby="upload-title">
      <h2 id="upload-title">上传数据文件</h2>
      <form onSubmit={submit} class="stack">
        <label for="item">信息事项</label>
        <select id="item" value={item} onChange={(e) => setItem((e.target as HTMLSelectElement).value)}>
          {items.map((i) => (
            <option value={i.code} key={i.code}>
              {i.name}（{i.code}）
            </option>
          ))}
        </select>
        <label for="file">数据文件（CSV 或 JSON Lines）</label>
        <input id="file" type="file" accept=".csv,.jsonl" onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)} />
        <button type="submit" disabled={!file || !item}>
          上传
        </button>
      </form>
      {file && sent > 0 && (
        <div class="progress">
          <label for="upload-progress">上传进度</label>
          <progress id="upload-progress" max={file.size} value={sent}>
            {Math.round((sent / file.size) * 100)}%
          </progress>
          <span>{Math.round((sent / file.size) * 100)}%</span>
        </div>
      )}
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {receipt && <ReceiptCard session={session} receipt={receipt} items={items} />}
    </section>
  );
}

/** A batch's receipt: counts, rows held back from the national push, rejected rows grouped by code and field, the CSV. */
function ReceiptCard({ session, receipt, items }: { session: Session; receipt: Receipt; items: Item[] }) {
  const current = items.find((i) => i.code === receipt.item);
  const [error, setError] = useState('');
  const downloadRejections = async () => {
    setError('');
    try {
      saveAs(`${receipt.batchId}-rejections.csv`, await callText(session, `/v1/batches/${receipt.batchId}/rejections`), 'text/csv');
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <section aria-labelledby="receipt-title" aria-live="polite" class="card">
      <h3 id="receipt-title">回执 {receipt.fileName}</h3>
      <p>
        状态：<strong data-testid="receipt-status">{STATUS[receipt.status] ?? receipt.status}</strong>
        {receipt.progress && `（${receipt.progress.chunksDone}/${receipt.progress.chunks} 块）`}
        {receipt.reason && `：${receipt.reason}`}
      </p>
      <dl class="figures">
        <div>
          <dt>总行数</dt>
          <dd data-testid="receipt-rows">{num(receipt.rows)}</dd>
        </div>
        <div>
          <dt>入库</dt>
          <dd data-testid="receipt-accepted">{num(receipt.accepted)}</dd>
        </div>
        <div>
          <dt>拒收</dt>
          <dd data-testid="receipt-rejected">{num(receipt.rejected)}</dd>
        </div>
        <div>
          <dt>已关联</dt>
          <dd>{num(receipt.linked)}</dd>
        </div>
        <div>
          <dt>未关联</dt>
          <dd>{num(receipt.unlinked)}</dd>
        </div>
        {receipt.heldBack !== undefined && (
          <div>
            <dt>暂不推送国家平台</dt>
            <dd data-testid="receipt-held-back">{num(receipt.heldBack)}</dd>
          </div>
        )}
      </dl>
      {(receipt.heldBack ?? 0) > 0 && (
        <div class="notice" role="note">
          <p>
            以下 {num(receipt.heldBack)} 行已入库、可以查询，但不符合国家平台双公示格式，<strong>在更正前不会推送国家平台</strong>
            （平台管理员的“暂缓推送”列表中也可看到）。请补正后重新上传这些行。
          </p>
          <ul>
            {(receipt.heldBackRows ?? []).slice(0, 20).map((h) => (
              <li key={h.row}>{h.reason}</li>
            ))}
          </ul>
        </div>
      )}
      {receipt.rejected > 0 && receipt.status === 'COMPLETED' && (
        <>
          <table>
            <caption>拒收原因汇总（按错误类型和字段，前 {receipt.errors.length} 条错误）</caption>
            <thead>
              <tr>
                <th scope="col">错误类型</th>
                <th scope="col">字段</th>
                <th scope="col">条数</th>
                <th scope="col">行号</th>
              </tr>
            </thead>
            <tbody>
              {groupErrors(receipt.errors).map((g) => (
                <tr key={`${g.code}-${g.field}`}>
                  <td title={g.code}>{labelOf(g.code, ROW_ERROR_NAMES)}</td>
                  <td>{fieldLabel(current, g.field)}</td>
                  <td>{num(g.rows.length)}</td>
                  <td>
                    {g.rows.slice(0, 10).join('、')}
                    {g.rows.length > 10 ? ' 等' : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <table>
            <caption>拒收明细（前 {Math.min(20, receipt.errors.length)} 条）</caption>
            <thead>
              <tr>
                <th scope="col">行号</th>
                <th scope="col">字段</th>
                <th scope="col">错误类型</th>
                <th scope="col">说明</th>
              </tr>
            </thead>
            <tbody>
              {receipt.errors.slice(0, 20).map((e) => (
                <tr key={`${e.row}-${e.field}-${e.code}`}>
                  <td>{e.row}</td>
                  <td>{fieldLabel(current, e.field)}</td>
                  <td title={e.code}>{labelOf(e.code, ROW_ERROR_NAMES)}</td>
                  <td>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" onClick={downloadRejections}>
            下载拒收明细（CSV）
          </button>
          <ErrorLine error={error} />
        </>
      )}
    </section>
  );
}

/**
 * The provider's batches, newest first, a page at a time (the API's cursor): filtered by item and
 * date on the server, by status over the loaded pages; a failed batch shows its reason, and any
 * batch opens its receipt with the rejected rows.
 */
function BatchHistory({ session, items }: { session: Session; items: Item[] }) {
  const [item, setItem] = useState('');
  const [status, setStatus] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [open, setOpen] = useState<Receipt | null>(null);
  const list = useCursorList<Receipt>(
    async (cursor) => {
      const page = await call<{ batches: Receipt[]; cursor: string | null }>(
        session,
        'GET',
        `/v1/batches${qs({ provider: session.unit, item, from, to, limit: 50, cursor })}`,
      );
      return { rows: page.batches, next: page.cursor };
    },
    [item, from, to],
  );
  const rows = status ? list.rows.filter((b) => b.status === status) : list.rows;
  const itemName = (code: string) => items.find((i) => i.code === code)?.name ?? code;
  const columns: Array<Column<Receipt>> = [
    { label: '接收时间', value: (b) => b.receivedAt, render: (b) => beijing(b.receivedAt) },
    { label: '文件', value: (b) => b.fileName },
    { label: '信息事项', value: (b) => itemName(b.item) },
    { label: '状态', value: (b) => STATUS[b.status] ?? b.status },
    { label: '总行数', value: (b) => b.rows, render: (b) => num(b.rows), numeric: true },
    { label: '入库', value: (b) => b.accepted, render: (b) => num(b.accepted), numeric: true },
    { label: '拒收', value: (b) => b.rejected, render: (b) => num(b.rejected), numeric: true },
    { label: '失败原因', value: (b) => b.reason ?? '' },
    {
      label: '回执',
      value: () => '',
      render: (b) => (
        <button type="button" class="link" onClick={() => setOpen(b)} aria-label={`查看 ${b.fileName} 的回执`}>
          查看
        </button>
      ),
    },
  ];
  return (
    <section aria-labelledby="batches-title">
      <h2 id="batches-title">批次记录</h2>
      <form class="inline" onSubmit={(e) => e.preventDefault()}>
        <label for="batch-item">信息事项</label>
        <select id="batch-item" value={item} onChange={(e) => setItem((e.target as HTMLSelectElement).value)}>
          <option value="">全部</option>
          {items.map((i) => (
            <option key={i.code} value={i.code}>
              {i.name}
            </option>
          ))}
        </select>
        <label for="batch-status">状态</label>
        <select id="batch-status" value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value)}>
          <option value="">全部</option>
          {Object.entries(STATUS).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </select>
        <label for="batch-from">起始日期</label>
        <input id="batch-from" type="date" value={from} onChange={(e) => setFrom((e.target as HTMLInputElement).value)} />
        <label for="batch-to">截止日期</label>
        <input id="batch-to" type="date" value={to} onChange={(e) => setTo((e.target as HTMLInputElement).value)} />
      </form>
      <DataTable caption="批次" columns={columns} rows={rows} rowKey={(b) => b.batchId} list={list} testId="batch-history" empty="没有符合条件的批次。" />
      {open && <ReceiptCard key={open.batchId} session={session} receipt={open} items={items} />}
    </section>
  );
}

/** Credit repair (信用修复, Art 38) and revocation (撤销, Art 37) of one of the provider's records. */
function RecordRights({ session }: { session: Session }) {
  const [kind, setKind] = useState<'repair' | 'revocation'>('repair');
  const [recordId, setRecordId] = useState('');
  const [subjectType, setSubjectType] = useState<'LEGAL' | 'NATURAL'>('LEGAL');
  const [subjectId, setSubjectId] = useState('');
  const [certificateNo, setCertificateNo] = useState('');
  const [issuedOn, setIssuedOn] = useState('');
  const [reason, setReason] = useState('');
  const [decisionNo, setDecisionNo] = useState('');
  const [note, setNote] = useState('');
  const [done, setDone] = useState('');
  const [error, setError] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    setDone('');
    const subject = { type: subjectType, id: subjectId.trim() };
    try {
      if (kind === 'repair') {
        await call(session, 'POST', `/v1/records/${recordId.trim()}/repair`, { subject, certificateNo, issuedOn, ...(note.trim() ? { note } : {}) });
        setDone(`记录 ${recordId.trim()} 已信用修复，已从所有查询中移除。`);
      } else {
        await call(session, 'POST', `/v1/records/${recordId.trim()}/revocation`, { subject, reason, ...(decisionNo.trim() ? { decisionNo } : {}) });
        setDone(`记录 ${recordId.trim()} 已撤销，将在下次推送时从国家平台撤回。`);
      }
    } catch (err) {
      setError(fullMessage(err));
    }
  };
  return (
    <section aria-labelledby="rights-title">
      <h2 id="rights-title">信用修复与撤销</h2>
      <form onSubmit={submit} class="stack">
        <fieldset>
          <legend>办理事项</legend>
          <label>
            <input type="radio" name="kind" checked={kind === 'repair'} onChange={() => setKind('repair')} /> 信用修复
          </label>
          <label>
            <input type="radio" name="kind" checked={kind === 'revocation'} onChange={() => setKind('revocation')} /> 撤销记录
          </label>
        </fieldset>
        <label for="rights-record">记录编号</label>
        <input id="rights-record" required pattern="[A-Za-z0-9_\-]{22}" value={recordId} onInput={(e) => setRecordId((e.target as HTMLInputElement).value)} />
        <fieldset>
          <legend>主体类型</legend>
          <label>
            <input type="radio" name="rights-type" checked={subjectType === 'LEGAL'} onChange={() => setSubjectType('LEGAL')} /> 法人及非法人组织
          </label>
          <label>
            <input type="radio" name="rights-type" checked={subjectType === 'NATURAL'} onChange={() => setSubjectType('NATURAL')} /> 自然人
          </label>
        </fieldset>
        <label for="rights-subject">{subjectType === 'LEGAL' ? '统一社会信用代码' : '身份证号码'}</label>
        <input id="rights-subject" required autoComplete="off" value={subjectId} onInput={(e) => setSubjectId((e.target as HTMLInputElement).value)} />
        {kind === 'repair' ? (
          <>
            <label for="rights-cert">信用修复证明编号</label>
            <input id="rights-cert" required value={certificateNo} onInput={(e) => setCertificateNo((e.target as HTMLInputElement).value)} />
            <label for="rights-issued">出具日期</label>
            <input id="rights-issued" type="date" required value={issuedOn} onChange={(e) => setIssuedOn((e.target as HTMLInputElement).value)} />
            <label for="rights-note">备注（可选）</label>
            <input id="rights-note" value={note} onInput={(e) => setNote((e.target as HTMLInputElement).value)} />
          </>
        ) : (
          <>
            <label for="rights-reason">撤销理由</label>
            <textarea id="rights-reason" required rows={3} value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} />
            <label for="rights-decision">撤销决定文书号（可选）</label>
            <input id="rights-decision" value={decisionNo} onInput={(e) => setDecisionNo((e.target as HTMLInputElement).value)} />
          </>
        )}
        <button type="submit">{kind === 'repair' ? '提交信用修复' : '提交撤销'}</button>
      </form>
      {done && (
        <p role="status" class="ok">
          {done}
        </p>
      )}
      <ErrorLine error={error} />
    </section>
  );
}
