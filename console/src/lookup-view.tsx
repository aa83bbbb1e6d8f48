/** Looking a subject up (信用查询): a government unit for a declared purpose, a credit agency under the subject's written authorisation; the file grouped by record class, its fields with their catalog labels. */
import { useState } from 'preact/hooks';
import { call, type Session } from './api.ts';
import { POLARITY, PURPOSE, RECORD_CLASS } from './labels.ts';
import { useItems } from './item-labels.ts';
import type { CreditFileRecord, CreditFileResponse as CreditFile } from '../../functions/api-types.ts';

type CreditRecord = CreditFileRecord;

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
