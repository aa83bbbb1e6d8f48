/**
 * Admins: the statistics with the report's own charts (SVG rendered by the API), the annual
 * report itself, and — where those APIs answer — the objection queue and the export runs.
 */
import { useEffect, useState } from 'preact/hooks';
import { answers, call, callText, saveAs, type Session } from './api.ts';
import { beijing, EXPORT_RUN_STATUS_NAMES, labelOf, num, OBJECTION_STATUS, pct } from './labels.ts';

interface ReportJson {
  year: number;
  ingestion: { totals: { batches: number; rows: number; accepted: number; rejected: number } };
  quality: { linkRate: number | null };
  publicity: { records: { total: number } };
  queries: { total: number };
  applications: { rate: number | null; declared: number; fulfilled: number };
  exports: { total: number };
  objections: { total: { applications: number; completed: number }; repairs: { repaired: number } };
  charts: Record<string, string | null>;
}

const CHART_TITLES: Record<string, string> = {
  collection: '历年直接归集数据（按信息类别）',
  linkRates: '各单位关联入库有效性',
  monthly: '每月查询量（按用途）',
  purposes: '查询用途分布',
  channels: '各渠道查询量',
  fulfilment: '各单位应用清单落实率',
  exports: '推送国家平台数据（按类型）',
  objections: '异议申请、办结、标注（按主体类型）',
};

function Chart({ title, svg }: { title: string; svg: string }) {
  // the SVG is rendered by the platform's own API (vega, text escaped), not user markup
  return (
    <figure class="chart">
      <div role="img" aria-label={title} dangerouslySetInnerHTML={{ __html: svg }} />
      <figcaption>{title}</figcaption>
    </figure>
  );
}

type Row = Record<string, unknown>;
type Column = [label: string, cell: (row: Row) => unknown];

function OptionalTable({ session, path, title, columns, testId }: { session: Session; path: string; title: string; columns: Column[]; testId?: string }) {
  const [rows, setRows] = useState<Row[] | null>(null);
  useEffect(() => {
    answers(session, path).then(async (ok) => {
      if (!ok) return setRows(null);
      const body = await call<Row>(session, 'GET', path);
      const list = Object.values(body).find(Array.isArray) as Row[] | undefined;
      setRows(list ?? []);
    });
  }, [path]);
  if (!rows) return null; // the API is not there (yet): no panel
  return (
    <section aria-label={title} class="card" data-testid={testId}>
      <h3>{title}</h3>
      <table>
        <thead>
          <tr>
            {columns.map(([label]) => (
              <th scope="col" key={label}>
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.slice(0, 20).map((r, i) => (
            <tr key={i}>
              {columns.map(([label, cell]) => (
                <td key={label}>{String(cell(r) ?? '')}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && <p>暂无。</p>}
    </section>
  );
}

/** The next open step's working-day deadline (the Beijing day it ends), marked when counted over a provisional calendar year. */
const nextDeadline = (o: Row) => {
  const step = (o.steps as Array<{ deadline?: string; doneAt?: string; deadlineProvisional?: boolean }> | undefined)?.find((s) => !s.doneAt);
  return step?.deadline ? `${beijing(step.deadline, 'day')}${step.deadlineProvisional ? '（暂定）' : ''}` : '';
};

/**
 * From 1 November (Beijing day): a banner while next year's working-day arrangement (the State
 * Council's notice) is not published — deadlines reaching into it are provisional until it is.
 */
function CalendarBanner({ session }: { session: Session }) {
  const [missing, setMissing] = useState<number | null>(null);
  useEffect(() => {
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString(); // Beijing time: UTC+8, no daylight saving
    if (today.slice(5, 10) < '11-01') return;
    const year = Number(today.slice(0, 4)) + 1;
    call<{ source: string }>(session, 'GET', `/v1/calendar/${year}`)
      .then((c) => setMissing(c.source === 'provisional' ? year : null))
      .catch(() => setMissing(null));
  }, []);
  if (missing === null) return null;
  return (
    <p role="status" class="error" data-testid="calendar-banner">
      {missing} 年节假日安排尚未发布：跨入 {missing} 年的办理期限按法定节假日暂定计算。请在国务院办公厅通知发布后通过 PUT /v1/calendar/{missing} 录入。
    </p>
  );
}
const OBJECTION_COLUMNS: Column[] = [
  ['受理时间', (o) => beijing(o.receivedAt)],
  ['主体', (o) => (o.subject as { id?: string } | undefined)?.id],
  ['信息事项', (o) => o.item],
  ['状态', (o) => OBJECTION_STATUS[o.status as string] ?? o.status],
  ['办理期限', nextDeadline],
  ['是否逾期', (o) => (o.overdue ? '逾期' : '')],
];
const RUN_TRIGGERS: Record<string, string> = { API: '手动', SCHEDULE: '定时' };
const EXPORT_COLUMNS: Column[] = [
  ['开始时间', (r) => beijing(r.started)],
  ['结束时间', (r) => beijing(r.finished)],
  ['方式', (r) => labelOf(r.trigger, RUN_TRIGGERS)],
  ['状态', (r) => labelOf(r.status, EXPORT_RUN_STATUS_NAMES)],
  ['推送', (r) => num(r.sent as number)],
  ['接收', (r) => num(r.accepted as number)],
  ['退回', (r) => num(r.rejected as number)],
  ['暂缓', (r) => num(r.held as number)],
];

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

export function AdminView({ session }: { session: Session }) {
  const [year, setYear] = useState(String(new Date().getFullYear()));
  const [report, setReport] = useState<ReportJson | null>(null);
  const [html, setHtml] = useState('');
  const [error, setError] = useState('');
  const [runs, setRuns] = useState(0);

  const load = async (e?: Event) => {
    e?.preventDefault();
    setError('');
    try {
      setReport(await call<ReportJson>(session, 'GET', `/v1/reports/annual?year=${year}&format=json&charts=svg`));
    } catch (err) {
      setError((err as Error).message);
    }
  };
  useEffect(() => void load(), []);

  const openReport = async () => setHtml(await callText(session, `/v1/reports/annual?year=${year}`));

  return (
    <section aria-labelledby="stats-title">
      <CalendarBanner session={session} />
      <h2 id="stats-title">运行统计</h2>
      <form onSubmit={load} class="inline">
        <label for="year">年度</label>
        <input id="year" inputMode="numeric" pattern="\d{4}" value={year} onInput={(e) => setYear((e.target as HTMLInputElement).value)} />
        <button type="submit">刷新</button>
        <button type="button" onClick={openReport}>
          打开年度报告
        </button>
        {html && (
          <button type="button" onClick={() => saveAs(`annual-report-${year}.html`, html, 'text/html')}>
            下载报告
          </button>
        )}
      </form>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {report && (
        <>
          <dl class="figures">
            <div>
              <dt>归集数据（条）</dt>
              <dd data-testid="stat-accepted">{num(report.ingestion.totals.accepted)}</dd>
            </div>
            <div>
              <dt>批次</dt>
              <dd>{num(report.ingestion.totals.batches)}</dd>
            </div>
            <div>
              <dt>关联入库有效性</dt>
              <dd>{pct(report.quality.linkRate)}</dd>
            </div>
            <div>
              <dt>双公示数据（条）</dt>
              <dd>{num(report.publicity.records.total)}</dd>
            </div>
            <div>
              <dt>查询（次）</dt>
              <dd data-testid="stat-queries">{num(report.queries.total)}</dd>
            </div>
            <div>
              <dt>应用清单落实率</dt>
              <dd>{pct(report.applications.rate)}</dd>
            </div>
            <div>
              <dt>推送国家平台（条）</dt>
              <dd>{num(report.exports.total)}</dd>
            </div>
            <div>
              <dt>异议申请 / 办结（件）</dt>
              <dd data-testid="stat-objections">
                {num(report.objections.total.applications)} / {num(report.objections.total.completed)}
              </dd>
            </div>
            <div>
              <dt>信用修复（条）</dt>
              <dd>{num(report.objections.repairs.repaired)}</dd>
            </div>
          </dl>
          <div class="charts">{Object.entries(report.charts).map(([k, svg]) => svg && <Chart key={k} title={CHART_TITLES[k] ?? k} svg={svg} />)}</div>
        </>
      )}
      <OptionalTable session={session} path="/v1/objections" title="异议处理队列" columns={OBJECTION_COLUMNS} testId="objection-queue" />
      <RunNow session={session} onStarted={() => setRuns((n) => n + 1)} />
      <OptionalTable key={`runs-${runs}`} session={session} path="/v1/exports/runs" title="国家平台推送记录" columns={EXPORT_COLUMNS} />
      {html && <iframe title="年度运行情况报告" class="report" srcDoc={html} sandbox="" />}
    </section>
  );
}
