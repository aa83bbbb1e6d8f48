/**
 * The public page (公开查询, no sign-in): double-publicity (双公示) search by company name or USCC
 * a page at a time ("加载下一页" with the API's cursor); a company's public summary; the published catalog and application lists (Arts 9
 * and 15: what is collected, and who may query what for which purpose); the public credit lists
 * with their criteria, remedy and exit conditions, and their entries a page at a time (public-lists.tsx); the units'
 * lists in their public comment period (清单公示, Art 9) with their change counts.
 */
import { useEffect, useState } from 'preact/hooks';
import { call } from './api.ts';
import { DISCLOSURE_NAMES, labelOf, PURPOSE, RECORD_CLASS, SUBJECT_TYPE_LONG_NAMES } from './labels.ts';
import { useItems } from './item-labels.ts';
import { listedCodes, MATTERS_PAGE, matterColumns, useListItems, type Matter } from './matters-view.tsx';
import { CreditLists } from './public-lists.tsx';
import { type Column, DataTable, ErrorLine, qs, Tabs, useCursorList } from './ui.tsx';

interface PublicRecord {
  recordId: string;
  item: string;
  itemName: string;
  subject: { name: string; uscc: string };
  fields: Record<string, unknown>;
  decisionDate: string | null;
  publicUntil: string | null;
  objection: null | { status: string };
}
interface Catalog {
  providers: Array<{ code: string; name: string }>;
  items: Array<{
    code: string;
    name: string;
    provider: string;
    subjectType: string;
    recordClass: string;
    disclosure: string;
    legalBasis?: string[];
    fields: Array<{ key: string; label: string }>;
  }>;
  applications?: Array<{ unit: string; purpose: string; items: string[] }>;
  matters?: Matter[];
}

export function PublicView() {
  const [catalog, setCatalog] = useState<Catalog | null>(null);
  const [itemsPaged, setItemsPaged] = useState(false);
  const [error, setError] = useState('');
  useEffect(() => {
    call<{ catalog: Catalog; itemsPaged?: boolean }>(null, 'GET', '/v1/public/catalog')
      .then((c) => {
        setCatalog(c.catalog);
        setItemsPaged(c.itemsPaged === true);
      })
      .catch((e: Error) => setError(e.message));
  }, []);
  return (
    <>
      <ErrorLine error={error} />
      <Tabs
        label="公开查询"
        tabs={[
          { id: 'publicity', label: '双公示查询', render: () => <PublicitySearch catalog={catalog} /> },
          {
            id: 'catalog',
            label: '信息目录',
            render: () => (catalog ? itemsPaged ? <PagedCatalogList catalog={catalog} /> : <CatalogList catalog={catalog} /> : null),
          },
          { id: 'applications', label: '应用清单', render: () => (catalog ? <ApplicationList catalog={catalog} /> : null) },
          { id: 'lists', label: '信用名单', render: () => <CreditLists /> },
          { id: 'unit-lists', label: '清单公示', render: () => <UnitListsInComment catalog={catalog} /> },
        ]}
      />
    </>
  );
}

const PAGE_SIZE = 20;

/** What the public search answers: one page's read, and `next` while the search has more to read. */
interface PublicSearchPage {
  match: 'uscc' | 'prefix' | 'contains';
  results: PublicRecord[];
  next: string | null;
}

function PublicitySearch({ catalog }: { catalog: Catalog | null }) {
  const [type, setType] = useState<'PENALTY' | 'LICENSING'>('PENALTY');
  const [q, setQ] = useState('');
  // the search submitted (a new object on every submit, so the same terms can be searched again)
  const [submitted, setSubmitted] = useState<null | { type: string; q: string }>(null);
  const [match, setMatch] = useState<PublicSearchPage['match'] | null>(null);
  const [summary, setSummary] = useState<null | { uscc: string; name: string | null; registered: boolean; publicity: Record<string, { count: number }> }>(null);
  const [error, setError] = useState('');
  // each request reads one page of the index (a page may come back short, even empty, while `next`
  // goes on): "加载下一页" continues with the cursor the API returned
  const found = useCursorList<PublicRecord>(
    async (cursor) => {
      if (!submitted) return { rows: [], next: null };
      const page = await call<PublicSearchPage>(null, 'GET', `/v1/public/publicity${qs({ ...submitted, pageSize: PAGE_SIZE, cursor })}`);
      setMatch(page.match);
      return { rows: page.results, next: page.next };
    },
    [submitted],
  );
  const search = () => {
    setError('');
    setSummary(null);
    setMatch(null);
    setSubmitted({ type, q: q.trim() });
  };
  const openSummary = async (uscc: string) => {
    setError('');
    try {
      setSummary(await call(null, 'GET', `/v1/public/subjects/${encodeURIComponent(uscc)}`));
    } catch (err) {
      setError((err as Error).message);
    }
  };
  // the field labels of the items on screen: from an inline catalog, or read by key (a catalog over
  // 1,000 items comes without its items; GET /v1/public/catalog/items?codes=)
  const inline = (item: string) => catalog?.items.find((i) => i.code === item);
  const looked = useItems(null, catalog ? found.rows.map((r) => r.item).filter((c) => !inline(c)) : []);
  const label = (item: string, key: string) => (inline(item)?.fields ?? looked.item(item)?.fields)?.find((f) => f.key === key)?.label ?? key;
  return (
    <section aria-labelledby="publicity-title">
      <h2 id="publicity-title">行政许可和行政处罚信息公示（双公示）</h2>
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          search();
        }}
      >
        <label for="publicity-type">类别</label>
        <select id="publicity-type" value={type} onChange={(e) => setType((e.target as HTMLSelectElement).value as 'PENALTY')}>
          <option value="PENALTY">行政处罚</option>
          <option value="LICENSING">行政许可</option>
        </select>
        <label for="publicity-q">企业名称或统一社会信用代码</label>
        <input id="publicity-q" required value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
        <button type="submit">查询</button>
      </form>
      <ErrorLine error={error} />
      {submitted && (
        <>
          {match === 'contains' && <p>没有以该词开头的企业名称，以下为名称中包含该词的记录（逐页查找）。</p>}
          <DataTable
            caption="查询结果"
            testId="publicity-results"
            columns={[
              { label: '当事人', value: (r: PublicRecord) => r.subject.name },
              { label: '统一社会信用代码', value: (r) => r.subject.uscc },
              { label: '信息事项', value: (r) => r.itemName },
              { label: '决定日期', value: (r) => r.decisionDate ?? '' },
              {
                label: '内容',
                wide: true,
                value: (r) =>
                  Object.entries(r.fields)
                    .map(([k, v]) => `${label(r.item, k)}：${Array.isArray(v) ? v.join('、') : String(v)}`)
                    .join('；'),
              },
              { label: '公示截止', value: (r) => r.publicUntil ?? '长期' },
              { label: '异议', value: (r) => (r.objection ? '异议处理中' : '') },
              {
                label: '企业概况',
                value: () => '',
                render: (r) => (
                  <button type="button" class="link" onClick={() => openSummary(r.subject.uscc)} aria-label={`查看 ${r.subject.name} 的公示概况`}>
                    查看
                  </button>
                ),
              },
            ]}
            rows={found.rows}
            rowKey={(r) => r.recordId}
            list={found}
            empty={found.next ? '已读的部分中没有匹配的记录，可继续加载下一页。' : '没有公示中的记录。'}
          />
        </>
      )}
      {summary && (
        <section class="card" aria-labelledby="summary-title" data-testid="public-summary">
          <h3 id="summary-title">{summary.name ?? summary.uscc}</h3>
          <p>
            统一社会信用代码 {summary.uscc} · {summary.registered ? '已登记' : '未在平台登记'} · 行政处罚公示 {summary.publicity.PENALTY?.count ?? 0} 条 ·
            行政许可公示 {summary.publicity.LICENSING?.count ?? 0} 条
          </p>
        </section>
      )}
    </section>
  );
}

type CatalogItem = Catalog['items'][number];

function catalogColumns(catalog: Catalog): Array<Column<CatalogItem>> {
  const provider = (code: string) => catalog.providers.find((p) => p.code === code)?.name ?? code;
  return [
    { label: '信息事项', value: (i) => i.name },
    { label: '提供单位', value: (i) => provider(i.provider) },
    { label: '主体类型', value: (i) => labelOf(i.subjectType, SUBJECT_TYPE_LONG_NAMES) },
    { label: '类别', value: (i) => RECORD_CLASS[i.recordClass] ?? i.recordClass },
    { label: '公开方式', value: (i) => labelOf(i.disclosure, DISCLOSURE_NAMES) },
    { label: '归集内容', value: (i) => i.fields.map((f) => f.label).join('、'), wide: true },
    { label: '依据', value: (i) => (i.legalBasis ?? []).join('；'), wide: true },
  ];
}

function CatalogList({ catalog }: { catalog: Catalog }) {
  return (
    <section aria-labelledby="catalog-title">
      <h2 id="catalog-title">公共信用信息目录</h2>
      <DataTable
        caption="目录中的信息事项"
        testId="public-catalog"
        columns={catalogColumns(catalog)}
        rows={catalog.items}
        pageSize={MATTERS_PAGE}
        rowKey={(i) => i.code}
      />
    </section>
  );
}

/**
 * A catalog over 1,000 items comes without its items (`itemsPaged`): they are read a page at a
 * time from GET /v1/public/catalog/items ("加载下一页"), never all at once.
 */
function PagedCatalogList({ catalog }: { catalog: Catalog }) {
  const items = useCursorList<CatalogItem>(async (cursor) => {
    const page = await call<{ items: CatalogItem[]; next: string | null }>(null, 'GET', `/v1/public/catalog/items${qs({ limit: CATALOG_PAGE, cursor })}`);
    return { rows: page.items, next: page.next };
  }, []);
  return (
    <section aria-labelledby="catalog-title">
      <h2 id="catalog-title">公共信用信息目录</h2>
      <DataTable caption="目录中的信息事项" testId="public-catalog" columns={catalogColumns(catalog)} rows={items.rows} list={items} rowKey={(i) => i.code} />
    </section>
  );
}

const CATALOG_PAGE = 100;

/**
 * The names of the registered units (GET /v1/public/units, the register's public fields), read a
 * page of 500 at a time until its end: the register holds the platform's units — hundreds, not a
 * table that grows with use. Until it arrives, or for a code it lacks, the code stands for the name.
 */
function useUnitNames(): (code: string) => string {
  const [names, setNames] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    let live = true;
    (async () => {
      const found = new Map<string, string>();
      let cursor: string | null = null;
      do {
        const page: { units: Array<{ code: string; name: string }>; next: string | null } = await call(
          null,
          'GET',
          `/v1/public/units${qs({ limit: 500, cursor })}`,
        );
        for (const u of page.units) found.set(u.code, u.name);
        cursor = page.next;
      } while (cursor && live);
      if (live) setNames(found);
    })().catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  return (code) => names.get(code) ?? code;
}

function ApplicationList({ catalog }: { catalog: Catalog }) {
  const unitName = useUnitNames();
  const items = useListItems(null, catalog, listedCodes([...(catalog.applications ?? []), ...(catalog.matters ?? [])]));
  const rows = (catalog.applications ?? []).map((a) => ({ ...a, names: a.items.map(items.name).join('、') }));
  return (
    <section aria-labelledby="applications-title">
      <h2 id="applications-title">公共信用信息应用清单</h2>
      <DataTable
        caption="各单位可查询的信息事项及用途"
        testId="public-applications"
        columns={[
          { label: '单位', value: (a) => unitName(a.unit) },
          { label: '用途', value: (a) => PURPOSE[a.purpose] ?? a.purpose },
          { label: '可查询的信息事项', value: (a) => a.names, wide: true },
        ]}
        rows={rows}
        pageSize={MATTERS_PAGE}
        rowKey={(a) => `${a.unit}-${a.purpose}`}
      />
      <h3>应用事项</h3>
      <DataTable
        caption="各单位在哪些事项中查询公共信用信息，依据什么"
        testId="public-matters"
        columns={matterColumns(items.name, unitName)}
        rows={catalog.matters ?? []}
        pageSize={MATTERS_PAGE}
        rowKey={(m) => m.code}
        empty="目录中没有应用事项。"
      />
    </section>
  );
}

/** A unit's list in its public comment period (GET /v1/public/unit-lists). */
interface ListInComment {
  unit: string;
  rev: number;
  commentStart: string;
  commentEnd: string;
  summary: { added: number; changed: number; removed: number; unchanged: number } | null;
}

const shanghaiTime = (iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

function UnitListsInComment({ catalog }: { catalog: Catalog | null }) {
  const lists = useCursorList<ListInComment>(async (cursor) => {
    const page = await call<{ lists: ListInComment[]; next: string | null }>(null, 'GET', `/v1/public/unit-lists${qs({ cursor })}`);
    return { rows: page.lists, next: page.next };
  }, []);
  const unitName = (code: string) => catalog?.providers.find((p) => p.code === code)?.name ?? code;
  return (
    <section aria-labelledby="unit-lists-title">
      <h2 id="unit-lists-title">清单公示</h2>
      <p>以下单位的数据清单或应用清单修订正在公示，公示期结束后方可审核发布。</p>
      <DataTable
        caption="公示中的清单修订"
        columns={[
          { label: '单位', value: (l: ListInComment) => unitName(l.unit) },
          { label: '公示开始', value: (l) => shanghaiTime(l.commentStart) },
          { label: '公示结束', value: (l) => shanghaiTime(l.commentEnd) },
          { label: '新增', value: (l) => String(l.summary?.added ?? '—') },
          { label: '修改', value: (l) => String(l.summary?.changed ?? '—') },
          { label: '删除', value: (l) => String(l.summary?.removed ?? '—') },
        ]}
        rows={lists.rows}
        rowKey={(l) => `${l.unit}#${l.rev}`}
        list={lists}
        empty="目前没有公示中的清单。"
      />
    </section>
  );
}
