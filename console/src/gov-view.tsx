/**
 * Government units (政府部门): look up a subject for a declared purpose (the file grouped by record
 * class); bulk check (批量核查) of a pasted or uploaded list with progress, summary and the results
 * to download; the unit's application list (应用清单: what it may query for which purpose).
 * Credit agencies (market) use the same lookup with a subject's written authorisation.
 */
import { useEffect, useState } from 'preact/hooks';
import { call, type Session } from './api.ts';
import { beijing, labelOf, PURPOSE, QUERY_OUTCOME_NAMES, SUBJECT_TYPE_NAMES } from './labels.ts';
import { JointCheckView, JointListsView } from './joint-view.tsx';
import { listedCodes, loadPublishedLists, UnitMatters, useListItems, type Matter } from './matters-view.tsx';
import { DataTable, ErrorLine, qs, Tabs, useCursorList, type Column } from './ui.tsx';
import { BulkCheck } from './bulk-check-view.tsx';
import { LookupPanel } from './lookup-view.tsx';

interface Application {
  unit: string;
  purpose: string;
  items: string[];
}
interface CatalogView {
  providers?: Array<{ code: string; name: string }>;
  applications?: Application[];
  matters?: Matter[];
  items: Array<{ code: string; name: string; provider: string; disclosure?: string; fields: Array<{ key: string; label: string }> }>;
}

/** The published catalog (items and their field labels, the applications and matters). */
export function useCatalog(session: Session) {
  const [catalog, setCatalog] = useState<CatalogView | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    loadPublishedLists<CatalogView>(session)
      .then(setCatalog)
      .catch((e: Error) => setError(e.message));
  }, [session]);
  return { catalog, error };
}

export function GovView({ session }: { session: Session }) {
  const { catalog, error } = useCatalog(session);
  const own = (catalog?.applications ?? []).filter((a) => a.unit === session.unit);
  const purposes = [...new Set(own.map((a) => a.purpose))];
  return (
    <>
      <ErrorLine error={error} />
      {catalog && (
        <Tabs
          label="政府部门功能"
          tabs={[
            { id: 'lookup', label: '信用查询', render: () => <LookupPanel session={session} purposes={purposes} /> },
            { id: 'checks', label: '批量核查', render: () => <BulkCheck session={session} purposes={purposes} /> },
            {
              id: 'applications',
              label: '应用清单',
              render: () => (
                <>
                  <Applications session={session} catalog={catalog} own={own} />
                  <UnitMatters session={session} lists={catalog} unit={session.unit ?? ''} />
                </>
              ),
            },
            { id: 'history', label: '查询记录', render: () => <UnitQueries session={session} /> },
            {
              id: 'joint',
              label: '联合奖惩',
              render: () => (
                <>
                  <JointCheckView session={session} />
                  <JointListsView />
                </>
              ),
            },
          ]}
        />
      )}
    </>
  );
}

/** The unit's application list (应用清单): per purpose, the items it declared and may query. */
function Applications({ session, catalog, own }: { session: Session; catalog: CatalogView; own: Application[] }) {
  const items = useListItems(session, catalog, listedCodes(own));
  const rows = own.flatMap((a) => a.items.map((code) => ({ purpose: a.purpose, code, item: items.item(code) })));
  return (
    <section aria-labelledby="apps-title">
      <h2 id="apps-title">本单位应用清单</h2>
      <DataTable
        caption="本单位已申报的查询用途及信息事项"
        columns={[
          { label: '用途', value: (r) => PURPOSE[r.purpose] ?? r.purpose },
          { label: '信息事项', value: (r) => r.item?.name ?? r.code },
          { label: '事项代码', value: (r) => r.code },
          { label: '提供单位', value: (r) => catalog.providers?.find((p) => p.code === r.item?.provider)?.name ?? r.item?.provider ?? '' },
        ]}
        rows={rows}
        rowKey={(r) => `${r.purpose}-${r.code}`}
        empty="本单位没有申报应用清单。"
      />
    </section>
  );
}

interface UnitQuery {
  queryId: string;
  at: string;
  subject: { type: string; id: string };
  purpose: string | null;
  businessRef: string | null;
  authorizationRef: string | null;
  channel: string;
  outcome: string;
  records: number;
}

/** The unit's own query history (GET /v1/query-log/mine), newest first, a page at a time. */
export function UnitQueries({ session }: { session: Session }) {
  const list = useCursorList<UnitQuery>(async (cursor) => {
    const page = await call<{ queries: UnitQuery[]; next: string | null }>(session, 'GET', `/v1/query-log/mine${qs({ limit: 50, cursor })}`);
    return { rows: page.queries, next: page.next };
  }, []);
  const columns: Array<Column<UnitQuery>> = [
    { label: '查询时间', value: (q) => q.at, render: (q) => beijing(q.at) },
    { label: '主体', value: (q) => q.subject.id },
    { label: '主体类型', value: (q) => SUBJECT_TYPE_NAMES[q.subject.type] ?? q.subject.type },
    { label: '用途', value: (q) => (q.purpose ? (PURPOSE[q.purpose] ?? q.purpose) : '未注明') },
    { label: '业务编号', value: (q) => q.businessRef ?? '' },
    { label: '授权编号', value: (q) => q.authorizationRef ?? '' },
    { label: '结果', value: (q) => labelOf(q.outcome, QUERY_OUTCOME_NAMES) },
    { label: '提供记录数', value: (q) => q.records, numeric: true },
  ];
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">本单位查询记录</h2>
      <DataTable caption="查询记录" columns={columns} rows={list.rows} rowKey={(q) => q.queryId} list={list} testId="unit-queries" empty="尚无查询记录。" />
    </section>
  );
}
