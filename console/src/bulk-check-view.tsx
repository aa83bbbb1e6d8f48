/** 批量核查 for a government unit: paste or upload a list of subjects, check them for a purpose and a case, watch the progress, read the summary, download the results. */
import { useEffect, useState } from 'preact/hooks';
import { call, fullMessage, type Session } from './api.ts';
import { num, PURPOSE } from './labels.ts';
import { ErrorLine } from './ui.tsx';

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
export function BulkCheck({ session, purposes }: { session: Session; purposes: string[] }) {
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
