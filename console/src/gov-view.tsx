/** Government units: look up a subject for a declared purpose; the file grouped by record class. */
import { useEffect, useState } from 'preact/hooks';
import { call, type Session } from './api.ts';
import { POLARITY, PURPOSE, RECORD_CLASS } from './labels.ts';

interface CreditRecord {
  recordId: string;
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

export function GovView({ session }: { session: Session }) {
  const [purposes, setPurposes] = useState<string[]>([]);
  const [labels, setLabels] = useState<Record<string, string>>({});
  const [type, setType] = useState<'legal' | 'natural'>('legal');
  const [id, setId] = useState('');
  const [purpose, setPurpose] = useState('');
  const [file, setFile] = useState<CreditFile | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    call<{ catalog: { applications?: Array<{ unit: string; purpose: string }>; items: Array<{ fields: Array<{ key: string; label: string }> }> } }>(
      session,
      'GET',
      '/v1/catalog',
    )
      .then((c) => {
        const own = [...new Set((c.catalog.applications ?? []).filter((a) => a.unit === session.unit).map((a) => a.purpose))];
        setPurposes(own);
        setPurpose(own[0] ?? '');
        setLabels(Object.fromEntries(c.catalog.items.flatMap((i) => i.fields.map((f) => [f.key, f.label]))));
      })
      .catch((e: Error) => setError(e.message));
  }, [session]);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    setFile(null);
    try {
      setFile(await call<CreditFile>(session, 'GET', `/v1/subjects/${type}/${encodeURIComponent(id.trim())}?purpose=${purpose}`));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

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
        <label for="purpose">查询用途</label>
        <select id="purpose" value={purpose} onChange={(e) => setPurpose((e.target as HTMLSelectElement).value)}>
          {purposes.map((p) => (
            <option value={p} key={p}>
              {PURPOSE[p] ?? p}
            </option>
          ))}
        </select>
        <button type="submit" disabled={busy || !id.trim() || !purpose}>
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
                            <dt>{labels[k] ?? k}</dt>
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
