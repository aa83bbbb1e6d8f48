/** A provider's batches: the batch history (filter by item, status, date) and a batch's receipt — counts, held-back rows, rejected rows grouped by code and field with their catalog labels, the rejection CSV. */
import { useState } from 'preact/hooks';
import { call, callText, saveAs, type Session } from './api.ts';
import { SUBJECT_COLUMNS } from '../../functions/core/subject-columns.ts';
import { beijing, labelOf, num, ROW_ERROR_NAMES, STATUS } from './labels.ts';
import type { Receipt } from '../../functions/api-types.ts';
import type { CatalogItem } from './objections.tsx';
import { DataTable, ErrorLine, qs, useCursorList, type Column } from './ui.tsx';
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

/** A batch's receipt: counts, rows held back from the national push, rejected rows grouped by code and field, the CSV. */
export function ReceiptCard({ session, receipt, items }: { session: Session; receipt: Receipt; items: Item[] }) {
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
export function BatchHistory({ session, items }: { session: Session; items: Item[] }) {
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
