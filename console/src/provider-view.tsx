/** Providers: upload a file with a progress bar, watch its receipt (回执), download rejected rows. */
import { useEffect, useState } from 'preact/hooks';
import { call, callText, putWithProgress, saveAs, type Session } from './api.ts';
import { num, STATUS } from './labels.ts';
import type { Receipt } from '../../functions/api-types.ts';

interface Item {
  code: string;
  name: string;
  provider: string;
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
            <div><dt>总行数</dt><dd data-testid="receipt-rows">{num(receipt.rows)}</dd></div>
            <div><dt>入库</dt><dd data-testid="receipt-accepted">{num(receipt.accepted)}</dd></div>
            <div><dt>拒收</dt><dd data-testid="receipt-rejected">{num(receipt.rejected)}</dd></div>
            <div><dt>已关联</dt><dd>{num(receipt.linked)}</dd></div>
            <div><dt>未关联</dt><dd>{num(receipt.unlinked)}</dd></div>
          </dl>
          {receipt.rejected > 0 && receipt.status === 'COMPLETED' && (
            <>
              <table>
                <caption>拒收明细（前 {receipt.errors.length} 条）</caption>
                <thead>
                  <tr><th scope="col">行号</th><th scope="col">字段</th><th scope="col">错误代码</th><th scope="col">说明</th></tr>
                </thead>
                <tbody>
                  {receipt.errors.slice(0, 20).map((e) => (
                    <tr key={`${e.row}-${e.field}-${e.code}`}><td>{e.row}</td><td>{e.field ?? ''}</td><td>{e.code}</td><td>{e.message}</td></tr>
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
