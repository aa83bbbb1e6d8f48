/** The provider's upload: a file with a progress bar (one presigned PUT, or multipart above 8 MiB), then its receipt as it fills in. */
import { useEffect, useState } from 'preact/hooks';
import { call, putWithProgress, type Session } from './api.ts';
import type { Receipt } from '../../functions/api-types.ts';
import type { CatalogItem } from './objections.tsx';
import { ReceiptCard } from './provider-receipt.tsx';

type Item = CatalogItem;

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

export function UploadPanel({ session, items }: { session: Session; items: Item[] }) {
  const [item, setItem] = useState(items[0]?.code ?? '');
  const [file, setFile] = useState<File | null>(null);
  const [sent, setSent] = useState(0);
  const [batchId, setBatchId] = useState('');
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    // the current choice, not this render's: the effect can run after the user (or a test) picked an
    // item in the freshly drawn list, and must not put the first item back over that choice
    if (items[0]) setItem((chosen) => chosen || items[0]!.code);
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
