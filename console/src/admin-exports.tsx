/** The admin's national export screens: "run now", the runs, the records past their deadline, the held records. */
import { useState } from 'preact/hooks';
import { call, type Session } from './api.ts';
import { beijing, EXPORT_RUN_STATUS_NAMES, labelOf, NATIONAL_TYPE_NAMES, num } from './labels.ts';
import { useItems } from './item-labels.ts';
import { DataTable, qs, useCursorList, type Column } from './ui.tsx';

type Row = Record<string, unknown>;

/** "Run now": starts a national export run; a run already holding the lease answers 409 (shown as its message). */
function RunNow({ session, onStarted }: { session: Session; onStarted: () => void }) {
  const [message, setMessage] = useState('');
  const start = async () => {
    try {
      const r = await call<{ runId: string }>(session, 'POST', '/v1/exports/run');
      setMessage(`已启动推送 ${r.runId}`);
      onStarted();
    } catch (err) {
      setMessage((err as Error).message);
    }
  };
  return (
    <p class="inline">
      <button type="button" onClick={start}>
        立即推送国家平台
      </button>{' '}
      <span role="status">{message}</span>
    </p>
  );
}

const RUN_TRIGGERS: Record<string, string> = { API: '手动', SCHEDULE: '定时' };
const EXPORT_OUTCOMES: Record<string, string> = { PENDING: '待推送', REJECTED: '被退回', HELD: '暂缓推送' };

/** The national export: run now, the runs, the records past their 7-working-day deadline, the held records. */
export function Exports({ session }: { session: Session }) {
  const [started, setStarted] = useState(0);
  const [asOf, setAsOf] = useState('');
  const runs = useCursorList<Row>(
    async (cursor) => {
      const page = await call<{ runs: Row[]; next: string | null }>(session, 'GET', `/v1/exports/runs${qs({ limit: 20, before: cursor })}`);
      return { rows: page.runs, next: page.next };
    },
    [started],
  );
  const overdue = useCursorList<Row>(
    async (cursor) => {
      const page = await call<{ records: Row[]; next: string | null }>(session, 'GET', `/v1/exports/overdue${qs({ asOf, limit: 100, cursor })}`);
      return { rows: page.records, next: page.next };
    },
    [asOf, started],
  );
  const held = useCursorList<Row>(
    async (cursor) => {
      const page = await call<{ records: Row[]; next: string | null }>(session, 'GET', `/v1/exports/held${qs({ limit: 100, cursor })}`);
      return { rows: page.records, next: page.next };
    },
    [started],
  );
  const text = (k: string) => (r: Row) => (r[k] ?? '') as string;
  // the records' items by name, read by key (a hundred codes a request), at any catalog size
  const items = useItems(
    session,
    [...overdue.rows, ...held.rows].map((r) => String(r.item ?? '')),
  );
  const count = (k: string, label: string): Column<Row> => ({ label, value: (r) => r[k] as number, render: (r) => num(r[k] as number), numeric: true });
  const record: Array<Column<Row>> = [
    { label: '类型', value: (r) => labelOf(r.type, NATIONAL_TYPE_NAMES) },
    { label: '当事人', value: text('partyName') },
    { label: '信息事项', value: (r) => items.name(String(r.item ?? '')) },
    { label: '提供单位', value: text('provider') },
  ];
  return (
    <section aria-labelledby="exports-title">
      <h2 id="exports-title">国家平台推送</h2>
      <RunNow session={session} onStarted={() => setStarted((n) => n + 1)} />
      <section class="card" aria-labelledby="runs-title">
        <h3 id="runs-title">推送记录</h3>
        <DataTable
          caption="国家平台推送记录"
          testId="export-runs"
          columns={[
            { label: '开始时间', value: text('started'), render: (r) => beijing(r.started) },
            { label: '结束时间', value: text('finished'), render: (r) => beijing(r.finished) },
            { label: '方式', value: (r) => labelOf(r.trigger, RUN_TRIGGERS) },
            { label: '状态', value: (r) => labelOf(r.status, EXPORT_RUN_STATUS_NAMES) },
            count('sent', '推送'),
            count('accepted', '接收'),
            count('rejected', '退回'),
            count('held', '暂缓'),
            count('withdrawn', '撤回'),
            { label: '失败原因', value: text('reason') },
          ]}
          rows={runs.rows}
          rowKey={(r) => String(r.runId)}
          list={runs}
        />
      </section>
      <section class="card" aria-labelledby="overdue-title">
        <h3 id="overdue-title">逾期未推送（决定日起超过 7 个工作日）</h3>
        <form class="inline" onSubmit={(e) => e.preventDefault()}>
          <label for="overdue-as-of">判定日期</label>
          <input id="overdue-as-of" type="date" value={asOf} onChange={(e) => setAsOf((e.target as HTMLInputElement).value)} />
        </form>
        <DataTable
          caption="逾期未推送记录"
          testId="export-overdue"
          columns={[
            ...record,
            { label: '决定日期', value: text('decisionDate') },
            { label: '推送期限', value: (r) => `${r.deadline ?? '—'}${r.deadlineProvisional ? '（暂定）' : ''}` },
            count('workingDaysLate', '逾期工作日'),
            { label: '状态', value: (r) => labelOf(r.outcome, EXPORT_OUTCOMES) },
            { label: '原因', value: text('error') },
          ]}
          rows={overdue.rows}
          rowKey={(r) => String(r.recordId)}
          list={overdue}
          empty="没有逾期未推送的记录。"
        />
      </section>
      <section class="card" aria-labelledby="held-title">
        <h3 id="held-title">暂缓推送（不符合国家平台格式）</h3>
        <DataTable
          caption="暂缓推送记录"
          testId="export-held"
          columns={[...record, { label: '暂缓时间', value: text('heldAt'), render: (r) => beijing(r.heldAt) }, { label: '原因', value: text('reason') }]}
          rows={held.rows}
          rowKey={(r) => String(r.recordId)}
          list={held}
          empty="没有暂缓推送的记录。"
        />
      </section>
    </section>
  );
}
