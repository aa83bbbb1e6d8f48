/**
 * Units' own lists (issue 16 part 4, issue 18 parts 1 and 3): the provider's 本单位清单 (edit an
 * item of its draft as the catalog's JSON, remove one, submit, see status, comments and history)
 * and the admin's 清单审核 (the queue, the diff and dry run of one list, return with comments,
 * the comment period, approve).
 */
import { useEffect, useState } from 'preact/hooks';
import { call, fullMessage, type Session } from './api.ts';
import { beijing } from './labels.ts';
import { ErrorLine } from './ui.tsx';

const STATUS_ZH: Record<string, string> = {
  NONE: '无草稿',
  DRAFT: '草稿',
  SUBMITTED: '已提交，待审核',
  COMMENT: '公示中',
  RETURNED: '已退回',
  APPROVING: '发布中',
  PUBLISHED: '已发布',
};
const EVENT_ZH: Record<string, string> = { SUBMITTED: '提交审核', COMMENT_OPENED: '开始公示', RETURNED: '退回', APPROVED: '批准发布' };
const OP_ZH: Record<string, string> = { ADDED: '新增', REMOVED: '删除', CHANGED: '修改', UNCHANGED: '未变', PUT: '新增或修改', REMOVE: '删除' };

interface ListState {
  unit: string;
  status: string;
  rev: number;
  changes: number;
  comments: string | null;
  commentEnd: string | null;
  publishedVersion: string | null;
  draft: Array<{ section: string; key: string; op: string }>;
}
interface HistoryEntry {
  event: string;
  at: string;
  by: string;
  comments?: string;
  version?: string;
}
interface Item {
  code: string;
  name: string;
}

const show = (v: unknown) => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

function History({ session, unit, reload }: { session: Session; unit: string; reload: number }) {
  const [rows, setRows] = useState<HistoryEntry[]>([]);
  useEffect(() => {
    call<{ history: HistoryEntry[] }>(session, 'GET', `/v1/lists/${unit}/history`)
      .then((h) => setRows(h.history))
      .catch(() => setRows([]));
  }, [unit, reload]);
  return (
    <table data-testid="list-history">
      <caption>清单历史</caption>
      <thead>
        <tr>
          <th scope="col">时间</th>
          <th scope="col">事项</th>
          <th scope="col">意见或版本</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((h) => (
          <tr key={`${h.at}${h.event}`}>
            <td>{beijing(h.at)}</td>
            <td>{EVENT_ZH[h.event] ?? h.event}</td>
            <td>{h.comments ?? h.version ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The provider's own list: its items from the catalog (all of them, paged in by the provider view), the draft, submit, status and history. */
export function OwnListPanel({ session, items }: { session: Session; items: Item[] }) {
  const unit = session.unit ?? '';
  const [state, setState] = useState<ListState | null>(null);
  const [code, setCode] = useState('');
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [reload, setReload] = useState(0);

  useEffect(() => {
    call<ListState>(session, 'GET', `/v1/lists/${unit}`)
      .then(setState)
      .catch((e) => setError(fullMessage(e)));
  }, [reload]);

  const open = async (c: string) => {
    setCode(c);
    setError('');
    if (!c) return setText('');
    const staged = state?.draft.find((d) => d.section === 'items' && d.key === c) as { entry?: unknown } | undefined;
    const entry = staged?.entry ?? (await call(session, 'GET', `/v1/catalog/items/${c}`).catch(() => null));
    setText(JSON.stringify(entry, null, 2));
  };
  const act = actionRunner(setError, setNotice, setReload);
  const save = () =>
    act('已保存到草稿', async () => {
      const entry = JSON.parse(text) as { code?: string };
      await call(session, 'PUT', `/v1/lists/${unit}/entries/items/${encodeURIComponent(entry.code ?? code)}`, entry);
    });

  return (
    <section aria-labelledby="own-list-title">
      <h2 id="own-list-title">本单位清单</h2>
      {state && (
        <p data-testid="list-status">
          状态：{STATUS_ZH[state.status] ?? state.status}；草稿变更 {state.changes} 项{state.publishedVersion ? `；最近发布版本 ${state.publishedVersion}` : ''}
          {state.commentEnd && state.status === 'COMMENT' ? `；公示至 ${beijing(state.commentEnd)}` : ''}
        </p>
      )}
      {state?.comments && (
        <p data-testid="list-comments" class="notice">
          审核意见：{state.comments}
        </p>
      )}
      <form class="stack" onSubmit={(e) => e.preventDefault()}>
        <label for="list-item">信息事项</label>
        <select id="list-item" value={code} onChange={(e) => void open((e.target as HTMLSelectElement).value)}>
          <option value="">（选择要修改的事项）</option>
          {items.map((i) => (
            <option key={i.code} value={i.code}>
              {i.name}（{i.code}）
            </option>
          ))}
        </select>
        <label for="list-entry">事项定义（目录 JSON；修改 code 即新增事项）</label>
        <textarea id="list-entry" rows={14} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
        <div class="inline">
          <button type="button" onClick={save} disabled={!text}>
            保存到草稿
          </button>
          <button
            type="button"
            disabled={!code}
            onClick={() => act('已在草稿中删除该事项', () => call(session, 'DELETE', `/v1/lists/${unit}/entries/items/${code}`))}
          >
            删除该事项
          </button>
          <button
            type="button"
            disabled={!state || state.changes === 0}
            onClick={() => act('已提交审核', () => call(session, 'POST', `/v1/lists/${unit}/submit`, { rev: state!.rev }))}
          >
            提交审核
          </button>
        </div>
      </form>
      <ErrorLine error={error} />
      {notice && <p role="status">{notice}</p>}
      {state && state.draft.length > 0 && (
        <table data-testid="list-draft">
          <caption>草稿中的变更</caption>
          <thead>
            <tr>
              <th scope="col">事项</th>
              <th scope="col">变更</th>
            </tr>
          </thead>
          <tbody>
            {state.draft.map((d) => (
              <tr key={d.key}>
                <td>{d.key}</td>
                <td>{OP_ZH[d.op] ?? d.op}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <History session={session} unit={unit} reload={reload} />
    </section>
  );
}

interface Review {
  rev: number;
  status: string;
  approvable: boolean;
  diff: Array<{ key: string; name: string; op: string; changes: Array<{ label: string; before?: unknown; after?: unknown }> }>;
  dryRun: {
    batchesInFlight: Array<{ batchId: string; item: string }>;
    records: Array<{ item: string; records: number; capped: boolean }>;
    references: Array<{ section: string; key: string; name: string; item: string }>;
    tightenings: Array<{ item: string; message: string }>;
  };
  problems: Array<{ where: string; code: string; message: string }>;
}

/** The admin's review: the queue, one list's diff and dry run, return / comment period / approve. */
export function ListReviewPanel({ session }: { session: Session }) {
  const [queue, setQueue] = useState<ListState[]>([]);
  const [unit, setUnit] = useState('');
  const [review, setReview] = useState<Review | null>(null);
  const [comments, setComments] = useState('');
  const [days, setDays] = useState('7');
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [reload, setReload] = useState(0);

  useEffect(() => {
    call<{ lists: ListState[] }>(session, 'GET', '/v1/lists')
      .then((q) => setQueue(q.lists))
      .catch((e) => setError(fullMessage(e)));
  }, [reload]);
  useEffect(() => {
    setReview(null);
    if (unit) {
      call<Review>(session, 'GET', `/v1/lists/${unit}/review`)
        .then(setReview)
        .catch((e) => setError(fullMessage(e)));
    }
  }, [unit, reload]);

  const act = actionRunner(setError, setNotice, setReload);

  return (
    <section aria-labelledby="list-review-title">
      <h2 id="list-review-title">清单审核</h2>
      <table data-testid="list-queue">
        <caption>待审核的单位清单</caption>
        <thead>
          <tr>
            <th scope="col">单位</th>
            <th scope="col">状态</th>
            <th scope="col">变更</th>
            <th scope="col">操作</th>
          </tr>
        </thead>
        <tbody>
          {queue.map((l) => (
            <tr key={l.unit}>
              <td>{l.unit}</td>
              <td>{STATUS_ZH[l.status] ?? l.status}</td>
              <td>{l.changes}</td>
              <td>
                <button type="button" onClick={() => setUnit(l.unit)}>
                  审核 {l.unit}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {queue.length === 0 && <p>没有待审核的清单。</p>}
      <ErrorLine error={error} />
      {notice && <p role="status">{notice}</p>}
      {review && (
        <>
          <table data-testid="list-diff">
            <caption>{unit} 清单变更对比（与已发布清单）</caption>
            <thead>
              <tr>
                <th scope="col">事项</th>
                <th scope="col">变更</th>
                <th scope="col">内容</th>
                <th scope="col">原值</th>
                <th scope="col">新值</th>
              </tr>
            </thead>
            <tbody>
              {review.diff.flatMap((d) =>
                (d.changes.length ? d.changes : [{ label: '', before: undefined, after: undefined }]).map((c, i) => (
                  <tr key={`${d.key}${i}`}>
                    <td>{i === 0 ? `${d.name}（${d.key}）` : ''}</td>
                    <td>{i === 0 ? (OP_ZH[d.op] ?? d.op) : ''}</td>
                    <td>{c.label}</td>
                    <td>{c.label ? show(c.before) : ''}</td>
                    <td>{c.label ? show(c.after) : ''}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
          <h3>试运行</h3>
          <ul data-testid="list-dry-run">
            {review.dryRun.records.map((r) => (
              <li key={r.item}>
                {r.item}：已存储可查询记录 {r.capped ? '不少于 ' : ''}
                {r.records} 条
              </li>
            ))}
            {review.dryRun.batchesInFlight.map((b) => (
              <li key={b.batchId}>
                {b.item}：处理中的批次 {b.batchId}
              </li>
            ))}
            {review.dryRun.tightenings.map((t) => (
              <li key={t.item + t.message}>
                {t.item}：{t.message}
              </li>
            ))}
            {review.dryRun.references.map((r) => (
              <li key={r.section + r.key}>
                {r.item}：仍被「{r.name}」（{r.key}）使用
              </li>
            ))}
          </ul>
          {review.problems.length > 0 && (
            <ul data-testid="list-problems" class="error">
              {review.problems.map((p) => (
                <li key={p.where + p.code + p.message}>
                  {p.where}：{p.message}（{p.code}）
                </li>
              ))}
            </ul>
          )}
          <form class="stack" onSubmit={(e) => e.preventDefault()}>
            <label for="list-comments-input">审核意见</label>
            <textarea id="list-comments-input" rows={3} value={comments} onInput={(e) => setComments((e.target as HTMLTextAreaElement).value)} />
            <label for="list-comment-days">公示天数</label>
            <input id="list-comment-days" type="number" min={1} max={60} value={days} onInput={(e) => setDays((e.target as HTMLInputElement).value)} />
            <div class="inline">
              <button
                type="button"
                disabled={!review.approvable}
                onClick={() => act(`${unit} 清单已批准发布`, () => call(session, 'POST', `/v1/lists/${unit}/approve`, { rev: review.rev }))}
              >
                批准发布
              </button>
              <button
                type="button"
                disabled={!comments.trim()}
                onClick={() => act(`${unit} 清单已退回`, () => call(session, 'POST', `/v1/lists/${unit}/return`, { rev: review.rev, comments }))}
              >
                退回修改
              </button>
              <button
                type="button"
                disabled={review.status !== 'SUBMITTED'}
                onClick={() =>
                  act(`${unit} 清单开始公示`, () =>
                    call(session, 'POST', `/v1/lists/${unit}/comment-period`, {
                      rev: review.rev,
                      start: new Date().toISOString(),
                      end: new Date(Date.now() + Number(days) * 86_400_000).toISOString(),
                    }),
                  )
                }
              >
                开始公示
              </button>
            </div>
          </form>
          <History session={session} unit={unit} reload={reload} />
        </>
      )}
    </section>
  );
}

/** A list action: clears the messages, then shows `what` and reloads when it succeeds, or the API's message when not. */
function actionRunner(setError: (m: string) => void, setNotice: (m: string) => void, setReload: (f: (n: number) => number) => void) {
  return async (what: string, run: () => Promise<unknown>) => {
    setError('');
    setNotice('');
    try {
      await run();
      setNotice(what);
      setReload((n) => n + 1);
    } catch (e) {
      setError(fullMessage(e));
    }
  };
}
