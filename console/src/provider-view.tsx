/** Providers: upload a file with a progress bar, watch its receipt (回执), download rejected rows. */
import { useEffect, useState } from 'preact/hooks';
import { call, callText, putWithProgress, saveAs, type Session } from './api.ts';
import { SUBJECT_COLUMNS } from '../../functions/core/subject-columns.ts';
import { labelOf, num, ROW_ERROR_NAMES, STATUS } from './labels.ts';
import type { Receipt } from '../../functions/api-types.ts';

interface Item {
  code: string;
  name: string;
  provider: string;
  fields?: Array<{ key: string; label: string }>;
}

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

export function ProviderView({ session }: { session: Session }) {
  const [items, setItems] = useState<Item[]>([]);
  const [item, setItem] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [sent, setSent] = useState(0);
  const [batchId, setBatchId] = useState('');
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    call<{ catalog: { items: Item[] } }>(session, 'GET', '/v1/catalog')
      .then((c) => {
        const own = c.catalog.items.filter((i) => i.provider === session.unit);
        setItems(own);
        setItem(own[0]?.code ?? '');
      })
      .catch((e: Error) => setError(e.message));
  }, [session]);

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

  const current = items.find((i) => i.code === receipt?.item);

  const downloadRejections = async () => {
    if (!receipt) return;
    saveAs(`${receipt.batchId}-rejections.csv`, await callText(session, `/v1/batches/${receipt.batchId}/rejections`), 'text/csv');
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
      {receipt && (
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
            </>
          )}
        </section>
      )}
    </section>
  );
}
