/**
 * 应用事项 (application matters, Art 15's 应用清单: matters, subjects, purpose, legal basis, items)
 * as the catalog publishes them. A government unit sees its own matters next to its application
 * list; the admin sees every unit's matters and application lists and the fulfilment (落实率) per
 * unit from GET /v1/stats/applications.
 *
 * The published lists come from GET /v1/catalog; a catalog too large to answer inline (over 1,000
 * items) comes from GET /v1/public/catalog instead, which always carries the small sections — the
 * matters and applications — with its items paged: the names of the items the lists use are then
 * read by key (GET /v1/catalog/items?codes=, a hundred a lookup; useListItems).
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { call, type Session } from './api.ts';
import { useItems } from './item-labels.ts';
import { labelOf, num, pct, PURPOSE, SUBJECT_TYPE_NAMES } from './labels.ts';
import { DataTable, ErrorLine, type Column } from './ui.tsx';
import { MatterFulfilment } from './matter-fulfilment.tsx';

export interface Matter {
  code: string;
  name: string;
  unit: string;
  subjectType: string;
  purpose: string;
  legalBasis: string[];
  items: string[];
}
interface Application {
  unit: string;
  purpose: string;
  items: string[];
}
export interface PublishedLists {
  items: Array<{ code: string; name: string; provider?: string }>;
  applications?: Application[];
  matters?: Matter[];
}

/** The catalog with its matters and applications, inline or (a large catalog) from the public catalog. */
export async function loadPublishedLists<C extends PublishedLists>(session: Session): Promise<C> {
  const current = await call<{ catalog?: C }>(session, 'GET', '/v1/catalog');
  if (current.catalog) return current.catalog;
  return (await call<{ catalog: C }>(null, 'GET', '/v1/public/catalog')).catalog;
}

/** Rows of a matters or applications table shown at a time (the catalog's sections come whole). */
export const MATTERS_PAGE = 50;

/**
 * The items `codes` name in the published lists: from the inline catalog, or (a catalog over 1,000
 * items, which comes without its items) read by key through the session's item cache — the public
 * page's with `session` null. A code not answered for stands as its name.
 */
export function useListItems(session: Session | null, lists: PublishedLists | null, codes: string[]) {
  const inline = useMemo(() => new Map((lists?.items ?? []).map((i) => [i.code, i])), [lists]);
  const cache = useItems(session, lists ? codes.filter((c) => !inline.has(c)) : []);
  const item = (code: string): PublishedLists['items'][number] | undefined => inline.get(code) ?? cache.item(code);
  return { item, name: (code: string) => item(code)?.name ?? code };
}

/** Every item code the matters and applications use. */
export const listedCodes = (rows: Array<{ items: string[] }>) => [...new Set(rows.flatMap((r) => r.items))];

const itemNames = (name: (code: string) => string, codes: string[]) => codes.map(name).join('、');

export function matterColumns(name: (code: string) => string, unitName?: (code: string) => string): Array<Column<Matter>> {
  return [
    ...(unitName ? [{ label: '单位', value: (m: Matter) => unitName(m.unit) }] : []),
    { label: '事项代码', value: (m) => m.code },
    { label: '应用事项', value: (m) => m.name },
    { label: '主体类型', value: (m) => labelOf(m.subjectType, SUBJECT_TYPE_NAMES) },
    { label: '查询用途', value: (m) => PURPOSE[m.purpose] ?? m.purpose },
    { label: '法律依据', value: (m) => m.legalBasis.join('；'), wide: true },
    { label: '使用的信息事项', value: (m) => itemNames(name, m.items), wide: true },
  ];
}

/** The government unit's own matters (its part of the published 应用清单). */
export function UnitMatters({ session, lists, unit }: { session: Session; lists: PublishedLists; unit: string }) {
  const own = (lists.matters ?? []).filter((m) => m.unit === unit);
  const items = useListItems(session, lists, listedCodes(own));
  return (
    <section aria-labelledby="unit-matters-title">
      <h2 id="unit-matters-title">本单位应用事项</h2>
      <DataTable
        caption="本单位在哪些事项中查询公共信用信息，依据什么"
        testId="unit-matters"
        columns={matterColumns(items.name)}
        rows={own}
        pageSize={MATTERS_PAGE}
        rowKey={(m) => m.code}
        empty="目录中没有本单位的应用事项。"
      />
    </section>
  );
}

interface Fulfilment {
  unit: string;
  declared: number;
  fulfilled: number;
  rate: number | null;
}

/** The admin's view: fulfilment per unit, every unit's matters (narrowed by unit), every application list. */
export function AdminApplications({ session }: { session: Session }) {
  const [lists, setLists] = useState<PublishedLists | null>(null);
  const [names, setNames] = useState<Record<string, string>>({});
  const [year, setYear] = useState(String(new Date().getFullYear()));
  const [stats, setStats] = useState<{ declared: number; fulfilled: number; rate: number | null; byUnit: Fulfilment[] } | null>(null);
  const [unit, setUnit] = useState('');
  const [error, setError] = useState('');

  useEffect(() => {
    loadPublishedLists(session)
      .then(setLists)
      .catch((e: Error) => setError(e.message));
    // unit names from the register's first page (500 units); a unit beyond it shows its code
    call<{ units: Array<{ code: string; name: string }> }>(session, 'GET', '/v1/units?limit=500')
      .then((r) => setNames(Object.fromEntries(r.units.map((u) => [u.code, u.name]))))
      .catch(() => setNames({}));
  }, [session]);
  const loadStats = async (e?: Event) => {
    e?.preventDefault();
    setError('');
    try {
      setStats(await call(session, 'GET', `/v1/stats/applications?year=${encodeURIComponent(year)}`));
    } catch (err) {
      setError((err as Error).message);
    }
  };
  useEffect(() => void loadStats(), []);

  const unitName = (code: string) => (names[code] ? `${names[code]}（${code}）` : code);
  const units = [...new Set([...(lists?.matters ?? []), ...(lists?.applications ?? [])].map((m) => m.unit))].sort();
  const matters = (lists?.matters ?? []).filter((m) => !unit || m.unit === unit);
  const applications = (lists?.applications ?? []).filter((a) => !unit || a.unit === unit);
  const items = useListItems(session, lists, listedCodes([...matters, ...applications]));
  return (
    <section aria-labelledby="admin-apps-title">
      <h2 id="admin-apps-title">应用清单与应用事项</h2>
      <ErrorLine error={error} />
      <form class="inline" onSubmit={loadStats}>
        <label for="apps-year">落实率年度</label>
        <input id="apps-year" inputMode="numeric" pattern="\d{4}" value={year} onInput={(e) => setYear((e.target as HTMLInputElement).value)} />
        <button type="submit">刷新</button>
      </form>
      {stats && (
        <>
          <p data-testid="apps-rate">
            {year} 年应用清单落实率 {pct(stats.rate)}（已落实 {num(stats.fulfilled)} / 填报 {num(stats.declared)} 项：单位 × 用途 ×
            信息事项，一年内实际查询到的为已落实）
          </p>
          <DataTable
            caption="各单位应用清单落实情况"
            testId="apps-fulfilment"
            columns={[
              { label: '单位', value: (u: Fulfilment) => unitName(u.unit) },
              { label: '填报', value: (u) => u.declared, numeric: true },
              { label: '已落实', value: (u) => u.fulfilled, numeric: true },
              { label: '落实率', value: (u) => u.rate, render: (u) => pct(u.rate), numeric: true },
            ]}
            rows={stats.byUnit}
            rowKey={(u) => u.unit}
            empty="目录中没有应用清单。"
          />
          <MatterFulfilment stats={stats} year={year} />
        </>
      )}
      {lists && (
        <>
          <form class="inline" onSubmit={(e) => e.preventDefault()}>
            <label for="apps-unit">单位</label>
            <select id="apps-unit" value={unit} onChange={(e) => setUnit((e.target as HTMLSelectElement).value)}>
              <option value="">全部单位</option>
              {units.map((u) => (
                <option key={u} value={u}>
                  {unitName(u)}
                </option>
              ))}
            </select>
          </form>
          <DataTable
            caption="应用事项"
            testId="admin-matters"
            columns={matterColumns(items.name, unitName)}
            rows={matters}
            pageSize={MATTERS_PAGE}
            rowKey={(m) => m.code}
            empty="目录中没有应用事项。"
          />
          <DataTable
            caption="应用清单（各单位可查询的信息事项及用途）"
            testId="admin-applications"
            columns={[
              { label: '单位', value: (a: Application) => unitName(a.unit) },
              { label: '查询用途', value: (a) => PURPOSE[a.purpose] ?? a.purpose },
              { label: '可查询的信息事项', value: (a) => itemNames(items.name, a.items), wide: true },
            ]}
            rows={applications}
            pageSize={MATTERS_PAGE}
            rowKey={(a) => `${a.unit}-${a.purpose}`}
            empty="目录中没有应用清单。"
          />
        </>
      )}
    </section>
  );
}
