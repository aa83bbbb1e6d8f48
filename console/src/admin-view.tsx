/**
 * Admins (平台管理员, the credit centre): the statistics with the report's own charts (SVG rendered
 * by the API), each with its data table, the query cross-tabulations and the annual report; the
 * objection queue with remit and decision; the national export (runs, "run now", overdue and held
 * records); the working-day calendar; the units register.
 */
import { useEffect, useState } from 'preact/hooks';
import { call, callText, fullMessage, saveAs, type Session } from './api.ts';
import { JointListsView, JointStatsView } from './joint-view.tsx';
import { AdminApplications } from './matters-view.tsx';
import {
  beijing,
  EXPORT_RUN_STATUS_NAMES,
  labelOf,
  NATIONAL_TYPE_NAMES,
  num,
  pct,
  PROVIDER_KIND_NAMES,
  PURPOSE,
  ROLE_NAMES,
  SUBJECT_TYPE_NAMES,
} from './labels.ts';
import { ObjectionList } from './objections.tsx';
import { DataTable, ErrorLine, qs, Tabs, useCursorList, type Column } from './ui.tsx';
import { ListReviewPanel } from './unit-lists.tsx';

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
  chartData?: Record<string, Array<Record<string, unknown>>>;
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

/** Column names of the chart rows the API gives in English ('value' is the measure the chart plots). */
const CHART_VALUE_NAMES: Record<string, string> = {
  linkRates: '关联入库有效性',
  purposes: '查询量（次）',
  channels: '查询量（次）',
  fulfilment: '应用清单落实率',
  exports: '条数',
  objections: '件数',
};
const RATE_CHARTS = new Set(['linkRates', 'fulfilment']);

/** A chart and, under it, the data it draws as a table (sortable and filterable like every list). */
function Chart({ id, title, svg, rows }: { id: string; title: string; svg: string; rows: Array<Record<string, unknown>> }) {
  const keys = Object.keys(rows[0] ?? {}).filter((k) => k !== '序');
  const columns: Array<Column<Record<string, unknown>>> = keys.map((k) => ({
    label: k === 'value' ? (CHART_VALUE_NAMES[id] ?? '数值') : k,
    value: (r) => r[k] as string | number,
    render: k === 'value' && RATE_CHARTS.has(id) ? (r) => pct(r[k] as number) : typeof rows[0]?.[k] === 'number' ? (r) => num(r[k] as number) : undefined,
    numeric: typeof rows[0]?.[k] === 'number',
  }));
  // the SVG is rendered by the platform's own API (vega, text escaped), not user markup
  return (
    <figure class="chart" data-testid={`chart-${id}`}>
      <div role="img" aria-label={title} dangerouslySetInnerHTML={{ __html: svg }} />
      <figcaption>{title}</figcaption>
      {rows.length > 0 && (
        <details>
          <summary>数据表</summary>
          <DataTable caption={`${title}（数据）`} columns={columns} rows={rows} rowKey={(_, i) => String(i)} filter={rows.length > 10} />
        </details>
      )}
    </figure>
  );
}

type Row = Record<string, unknown>;

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
  return (
    <>
      <CalendarBanner session={session} />
      <Tabs
        label="平台管理功能"
        tabs={[
          { id: 'stats', label: '运行统计', render: () => <Statistics session={session} /> },
          { id: 'objections', label: '异议处理', render: () => <ObjectionList session={session} title="异议处理队列" /> },
          { id: 'exports', label: '国家平台推送', render: () => <Exports session={session} /> },
          { id: 'calendar', label: '工作日历', render: () => <CalendarEditor session={session} /> },
          { id: 'units', label: '单位库', render: () => <Units session={session} /> },
          { id: 'applications', label: '应用清单', render: () => <AdminApplications session={session} /> },
          { id: 'list-review', label: '清单审核', render: () => <ListReviewPanel session={session} /> },
          {
            id: 'joint',
            label: '联合奖惩',
            render: () => (
              <>
                <JointStatsView session={session} />
                <JointListsView />
              </>
            ),
          },
        ]}
      />
    </>
  );
}

function Statistics({ session }: { session: Session }) {
  const [year, setYear] = useState(String(new Date().getFullYear()));
  const [report, setReport] = useState<ReportJson | null>(null);
  const [html, setHtml] = useState('');
  const [error, setError] = useState('');

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
          <div class="charts">
            {Object.entries(report.charts).map(
              ([k, svg]) => svg && <Chart key={k} id={k} title={CHART_TITLES[k] ?? k} svg={svg} rows={report.chartData?.[k] ?? []} />,
            )}
          </div>
          <CrossTabs session={session} year={report.year} />
        </>
      )}
      {html && <iframe title="年度运行情况报告" class="report" srcDoc={html} sandbox="" />}
    </section>
  );
}

interface QueryStats {
  crossTabs?: {
    roleBySubjectType: Array<{ role: string; subjectType: string; queries: number; allowed: number; refused: number }>;
    purposeBySubjectType: Array<{ purpose: string; subjectType: string; queries: number; allowed: number; refused: number }>;
  };
}

/** The query cross-tabulations: who queries which kind of subject, and for what within each subject type. */
function CrossTabs({ session, year }: { session: Session; year: number }) {
  const [stats, setStats] = useState<QueryStats | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    call<QueryStats>(session, 'GET', `/v1/stats/queries?year=${year}&by=role`)
      .then(setStats)
      .catch((e: Error) => setError(e.message));
  }, [year]);
  const counts = <T extends { queries: number; allowed: number; refused: number }>(): Array<Column<T>> => [
    { label: '查询（次）', value: (r) => r.queries, render: (r) => num(r.queries), numeric: true },
    { label: '已提供', value: (r) => r.allowed, render: (r) => num(r.allowed), numeric: true },
    { label: '已拒绝', value: (r) => r.refused, render: (r) => num(r.refused), numeric: true },
  ];
  const subjectType = { label: '主体类型', value: (r: { subjectType: string }) => SUBJECT_TYPE_NAMES[r.subjectType] ?? labelOf(r.subjectType) };
  return (
    <section aria-labelledby="crosstab-title" class="card" data-testid="cross-tabs">
      <h3 id="crosstab-title">查询交叉统计（{year} 年）</h3>
      <ErrorLine error={error} />
      {stats && (
        <div class="charts">
          <DataTable
            caption="查询角色 × 主体类型"
            columns={[{ label: '查询角色', value: (r) => ROLE_NAMES[r.role] ?? r.role }, subjectType, ...counts()]}
            rows={stats.crossTabs?.roleBySubjectType ?? []}
            rowKey={(r) => `${r.role}-${r.subjectType}`}
          />
          <DataTable
            caption="主体类型内的查询用途"
            columns={[subjectType, { label: '查询用途', value: (r) => PURPOSE[r.purpose] ?? labelOf(r.purpose) }, ...counts()]}
            rows={stats.crossTabs?.purposeBySubjectType ?? []}
            rowKey={(r) => `${r.purpose}-${r.subjectType}`}
          />
        </div>
      )}
    </section>
  );
}

const RUN_TRIGGERS: Record<string, string> = { API: '手动', SCHEDULE: '定时' };
const EXPORT_OUTCOMES: Record<string, string> = { PENDING: '待推送', REJECTED: '被退回', HELD: '暂缓推送' };

/** The national export: run now, the runs, the records past their 7-working-day deadline, the held records. */
function Exports({ session }: { session: Session }) {
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
  const count = (k: string, label: string): Column<Row> => ({ label, value: (r) => r[k] as number, render: (r) => num(r[k] as number), numeric: true });
  const record: Array<Column<Row>> = [
    { label: '类型', value: (r) => labelOf(r.type, NATIONAL_TYPE_NAMES) },
    { label: '当事人', value: text('partyName') },
    { label: '信息事项', value: text('item') },
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

interface CalendarYear {
  year: number;
  source: 'official' | 'provisional';
  holidays: string[];
  workdays: string[];
}
const dates = (text: string) => text.split(/[\s,，、]+/).filter(Boolean);

/** The working-day calendar of a year: read it, and publish the State Council's arrangement (节假日安排). */
function CalendarEditor({ session }: { session: Session }) {
  const [year, setYear] = useState(String(new Date().getFullYear() + 1));
  const [cal, setCal] = useState<CalendarYear | null>(null);
  const [holidays, setHolidays] = useState('');
  const [workdays, setWorkdays] = useState('');
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');
  const load = async (e?: Event) => {
    e?.preventDefault();
    setError('');
    setMessage('');
    try {
      const c = await call<CalendarYear>(session, 'GET', `/v1/calendar/${year}`);
      setCal(c);
      setHolidays(c.holidays.join('\n'));
      setWorkdays(c.workdays.join('\n'));
    } catch (err) {
      setError(fullMessage(err));
    }
  };
  useEffect(() => void load(), []);
  const publish = async (e: Event) => {
    e.preventDefault();
    setError('');
    setMessage('');
    try {
      const r = await call<CalendarYear & { deadlinesMoved: { objections: number; exports: number } }>(session, 'PUT', `/v1/calendar/${year}`, {
        holidays: dates(holidays),
        workdays: dates(workdays),
      });
      setCal(r);
      setMessage(`${r.year} 年节假日安排已发布；重新计算期限：异议 ${num(r.deadlinesMoved.objections)} 件，推送 ${num(r.deadlinesMoved.exports)} 条。`);
    } catch (err) {
      setError(fullMessage(err));
    }
  };
  return (
    <section aria-labelledby="calendar-title">
      <h2 id="calendar-title">工作日历</h2>
      <form class="inline" onSubmit={load}>
        <label for="calendar-year">年度</label>
        <input id="calendar-year" inputMode="numeric" pattern="\d{4}" value={year} onInput={(e) => setYear((e.target as HTMLInputElement).value)} />
        <button type="submit">读取</button>
      </form>
      {cal && (
        <form onSubmit={publish} class="stack">
          <p data-testid="calendar-source">
            {cal.year} 年：
            {cal.source === 'official' ? '已发布的国务院办公厅节假日安排' : '暂定（仅按法定节假日推算，尚无调休安排），跨入该年的期限均为暂定'}
            ；节假日 {cal.holidays.length} 天，调休上班 {cal.workdays.length} 天。
          </p>
          <label for="calendar-holidays">放假日期（每行一个 YYYY-MM-DD）</label>
          <textarea id="calendar-holidays" rows={8} value={holidays} onInput={(e) => setHolidays((e.target as HTMLTextAreaElement).value)} />
          <label for="calendar-workdays">调休上班日期（每行一个 YYYY-MM-DD）</label>
          <textarea id="calendar-workdays" rows={4} value={workdays} onInput={(e) => setWorkdays((e.target as HTMLTextAreaElement).value)} />
          <button type="submit">发布 {cal.year} 年节假日安排</button>
        </form>
      )}
      {message && (
        <p role="status" class="ok">
          {message}
        </p>
      )}
      <ErrorLine error={error} />
    </section>
  );
}

const LEVEL_NAMES: Record<string, string> = { MUNICIPAL: '市级', DISTRICT: '区级', CENTRAL: '中央在沪单位', OTHER: '其他' };
const UNIT_ROLE_NAMES: Record<string, string> = { PROVIDER: '信息提供', GOV_QUERY: '政务查询', CREDIT_AGENCY: '信用服务机构', SERVICE_WINDOW: '服务窗口' };

/** The units register (单位库), filtered by level on the server, a page at a time. */
function Units({ session }: { session: Session }) {
  const [level, setLevel] = useState('');
  const [editing, setEditing] = useState<Row | null>(null);
  const list = useCursorList<Row>(
    async (cursor) => {
      const page = await call<{ units: Row[]; next: string | null }>(session, 'GET', `/v1/units${qs({ level, limit: 100, cursor })}`);
      return { rows: page.units, next: page.next };
    },
    [level],
  );
  return (
    <section aria-labelledby="units-title">
      <h2 id="units-title">单位库</h2>
      <form class="inline" onSubmit={(e) => e.preventDefault()}>
        <label for="unit-level">层级</label>
        <select id="unit-level" value={level} onChange={(e) => setLevel((e.target as HTMLSelectElement).value)}>
          <option value="">全部</option>
          {Object.entries(LEVEL_NAMES).map(([k, v]) => (
            <option key={k} value={k}>
              {v}
            </option>
          ))}
        </select>
      </form>
      <DataTable
        caption="单位"
        testId="units"
        columns={[
          { label: '代码', value: (u) => u.code as string },
          { label: '名称', value: (u) => u.name as string },
          { label: '统一社会信用代码', value: (u) => u.uscc as string },
          { label: '类别', value: (u) => labelOf(u.kind, PROVIDER_KIND_NAMES) },
          { label: '层级', value: (u) => labelOf(u.level, LEVEL_NAMES) },
          { label: '所属区', value: (u) => (u.district as string) ?? '' },
          { label: '职能', value: (u) => ((u.roles as string[]) ?? []).map((r) => UNIT_ROLE_NAMES[r] ?? r).join('、') },
          { label: '更新时间', value: (u) => u.updatedAt as string, render: (u) => beijing(u.updatedAt) },
          {
            label: '操作',
            value: () => '',
            render: (u) => (
              <button type="button" class="link" onClick={() => setEditing(u)} aria-label={`修改单位 ${String(u.code)}`}>
                修改
              </button>
            ),
          },
        ]}
        rows={list.rows}
        rowKey={(u) => String(u.code)}
        list={list}
      />
      {editing && (
        <p class="inline">
          <button type="button" class="secondary" onClick={() => setEditing(null)}>
            登记新单位
          </button>
        </p>
      )}
      <UnitForm key={String(editing?.code ?? 'new')} session={session} unit={editing} onSaved={list.reload} />
    </section>
  );
}

/**
 * Register a unit or update one (PUT /v1/units/{code}): the API checks the USCC, the level and
 * district rule and the roles, and answers its problems in Chinese, shown under the form.
 */
function UnitForm({ session, unit, onSaved }: { session: Session; unit: Row | null; onSaved: () => void }) {
  const [code, setCode] = useState(String(unit?.code ?? ''));
  const [name, setName] = useState(String(unit?.name ?? ''));
  const [uscc, setUscc] = useState(String(unit?.uscc ?? ''));
  const [kind, setKind] = useState(String(unit?.kind ?? 'MUNICIPAL_AGENCY'));
  const [level, setLevel] = useState(String(unit?.level ?? 'MUNICIPAL'));
  const [district, setDistrict] = useState(String(unit?.district ?? ''));
  const [roles, setRoles] = useState<string[]>((unit?.roles as string[] | undefined) ?? ['GOV_QUERY']);
  const [budget, setBudget] = useState(unit?.dailyQueryBudget === undefined ? '' : String(unit.dailyQueryBudget));
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');
  const save = async (e: Event) => {
    e.preventDefault();
    setMessage('');
    setError('');
    const body = {
      name: name.trim(),
      uscc: uscc.trim(),
      kind,
      level,
      roles,
      ...(district.trim() ? { district: district.trim() } : {}),
      ...(budget.trim() ? { dailyQueryBudget: Number(budget) } : {}),
    };
    try {
      await call(session, 'PUT', `/v1/units/${encodeURIComponent(code.trim())}`, body);
      setMessage(`单位 ${code.trim()} 已保存`);
      onSaved();
    } catch (err) {
      setError(fullMessage(err));
    }
  };
  return (
    <form class="card stack" onSubmit={save} aria-labelledby="unit-form-title">
      <h3 id="unit-form-title">{unit ? `修改单位 ${String(unit.code)}` : '登记单位'}</h3>
      <fieldset class="grid">
        <legend>单位信息</legend>
        <div>
          <label for="unit-code">单位代码</label>
          <input id="unit-code" required value={code} readOnly={Boolean(unit)} onInput={(e) => setCode((e.target as HTMLInputElement).value)} />
        </div>
        <div>
          <label for="unit-name">单位名称</label>
          <input id="unit-name" required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </div>
        <div>
          <label for="unit-uscc">统一社会信用代码</label>
          <input id="unit-uscc" required value={uscc} onInput={(e) => setUscc((e.target as HTMLInputElement).value)} />
        </div>
        <div>
          <label for="unit-kind">类别</label>
          <select id="unit-kind" value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value)}>
            {Object.entries(PROVIDER_KIND_NAMES).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="unit-form-level">层级</label>
          <select id="unit-form-level" value={level} onChange={(e) => setLevel((e.target as HTMLSelectElement).value)}>
            {Object.entries(LEVEL_NAMES).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="unit-district">所属区（区级单位填写，如 浦东新区）</label>
          <input id="unit-district" value={district} onInput={(e) => setDistrict((e.target as HTMLInputElement).value)} />
        </div>
        <div>
          <label for="unit-budget">每日查询限额（可不填）</label>
          <input id="unit-budget" inputMode="numeric" value={budget} onInput={(e) => setBudget((e.target as HTMLInputElement).value)} />
        </div>
      </fieldset>
      <fieldset>
        <legend>职能</legend>
        {Object.entries(UNIT_ROLE_NAMES).map(([k, v]) => (
          <label key={k}>
            <input
              type="checkbox"
              checked={roles.includes(k)}
              onChange={(e) => setRoles((r) => ((e.target as HTMLInputElement).checked ? [...r, k] : r.filter((x) => x !== k)))}
            />{' '}
            {v}
          </label>
        ))}
      </fieldset>
      <p class="inline">
        <button type="submit">保存单位</button>
        <span role="status" class="ok">
          {message}
        </span>
      </p>
      <ErrorLine error={error} />
    </form>
  );
}
