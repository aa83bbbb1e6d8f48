/** The admin's statistics: the annual report's figures and charts (SVG rendered by the API), each chart with its data table, the query cross-tabulations, and the report itself. */
import { useEffect, useState } from 'preact/hooks';
import { call, callText, saveAs, type Session } from './api.ts';
import { labelOf, num, pct, PURPOSE, ROLE_NAMES, SUBJECT_TYPE_NAMES } from './labels.ts';
import { DataTable, ErrorLine, type Column } from './ui.tsx';

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

export function Statistics({ session }: { session: Session }) {
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
