/**
 * The console's shared pieces: the role's tabs, a list table with cursor paging (the API's `next`
 * cursor: 加载下一页 appends the following page), sorting by any column and filtering of the loaded
 * rows, and small form helpers. Everything is keyboard-usable: tabs follow the ARIA tabs pattern
 * (arrow keys move between tabs), sortable headers are buttons and report aria-sort.
 */
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';

export interface Tab {
  id: string;
  label: string;
  render: () => ComponentChildren;
}

/** The role's screens as tabs; the chosen tab is kept in the address (#tab=…) so a reload stays on it. */
export function Tabs({ tabs, label }: { tabs: Tab[]; label: string }) {
  const fromHash = () => new URLSearchParams(location.hash.slice(1)).get('tab');
  const [current, setCurrent] = useState(() => (tabs.some((t) => t.id === fromHash()) ? fromHash()! : tabs[0]!.id));
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const choose = (id: string, focus = false) => {
    setCurrent(id);
    const params = new URLSearchParams(location.hash.slice(1)); // other parameters (page=public) stay
    params.set('tab', id);
    history.replaceState(null, '', `#${params}`);
    if (focus) refs.current[id]?.focus();
  };
  const onKey = (e: KeyboardEvent) => {
    const i = tabs.findIndex((t) => t.id === current);
    const to = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : null;
    if (to === null) return;
    e.preventDefault();
    choose(tabs[(to + tabs.length) % tabs.length]!.id, true);
  };
  const tab = tabs.find((t) => t.id === current) ?? tabs[0]!;
  return (
    <>
      <div class="tabs" role="tablist" aria-label={label} onKeyDown={onKey}>
        {tabs.map((t) => (
          <button
            type="button"
            role="tab"
            key={t.id}
            id={`tab-${t.id}`}
            aria-selected={t.id === tab.id}
            aria-controls={`panel-${t.id}`}
            tabIndex={t.id === tab.id ? 0 : -1}
            ref={(el) => {
              refs.current[t.id] = el;
            }}
            onClick={() => choose(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab.id}`} aria-labelledby={`tab-${tab.id}`} key={tab.id}>
        {tab.render()}
      </div>
    </>
  );
}

export interface Column<T> {
  label: string;
  /** What the column sorts and filters by (and shows, without `render`). */
  value: (row: T) => string | number | null | undefined;
  render?: (row: T) => ComponentChildren;
  /** Numbers sort numerically and align right. */
  numeric?: boolean;
  /** Long text (content, legal basis, item lists): the column keeps a readable width; the others size to their header. */
  wide?: boolean;
}

export interface Page<T> {
  rows: T[];
  next: string | null;
}

/**
 * A list read page by page with the API's cursor: `load(cursor)` fetches one page; `more()` appends
 * the next; a change of `deps` (filters) starts again from the first page.
 */
export function useCursorList<T>(load: (cursor: string | null) => Promise<Page<T>>, deps: unknown[]) {
  const [rows, setRows] = useState<T[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState('');
  const generation = useRef(0);
  const fetchPage = async (cursor: string | null, append: boolean) => {
    const mine = ++generation.current;
    setLoading(true);
    setError('');
    try {
      const page = await load(cursor);
      if (mine !== generation.current) return; // a newer filter's answer wins
      setRows((old) => (append ? [...old, ...page.rows] : page.rows));
      setNext(page.next);
    } catch (err) {
      if (mine === generation.current) setError((err as Error).message);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  };
  useEffect(() => void fetchPage(null, false), deps);
  return { rows, next, loading, error, more: () => (next ? fetchPage(next, true) : undefined), reload: () => fetchPage(null, false) };
}

type Sort = { col: number; dir: 'ascending' | 'descending' } | null;

/** Up to this many characters a cell stays on one line (日常监管, 法人及非法人组织, a date), so a narrow column never splits a short value. */
const SHORT_CELL = 12;
function cellClass<T>(c: Column<T>, row: T): string | undefined {
  if (c.numeric) return 'num';
  if (c.wide) return 'wide';
  return String(c.value(row) ?? '').length <= SHORT_CELL ? 'short' : undefined;
}

/**
 * A table of rows with sorting (click or Enter on a column header) and a filter over the loaded
 * rows; with `list` it pages with the API's cursor, and while more pages follow the caption says
 * that sorting and filtering act on the loaded rows only (the list's own filters above the table
 * ask the API). `pageSize`: a list held whole (the catalog's sections) shows that many rows at a
 * time, 显示更多 the next. The caption says how many rows are shown of how many are loaded.
 * On a tablet (style.css) each row stacks as "label: value" lines, so no table is wider than the page.
 */
export function DataTable<T>({
  caption,
  columns,
  rows,
  rowKey,
  list,
  testId,
  empty = '暂无记录。',
  filter = true,
  rowProps,
  pageSize,
}: {
  caption: string;
  columns: Array<Column<T>>;
  rows: T[];
  rowKey: (row: T, i: number) => string;
  list?: { next: string | null; loading: boolean; error: string; more: () => void };
  testId?: string;
  empty?: string;
  filter?: boolean;
  rowProps?: (row: T) => JSX.HTMLAttributes<HTMLTableRowElement>;
  pageSize?: number;
}) {
  const [sort, setSort] = useState<Sort>(null);
  const [limit, setLimit] = useState(pageSize ?? Number.POSITIVE_INFINITY);
  const [text, setText] = useState('');
  const filterId = useMemo(() => `filter-${Math.random().toString(36).slice(2, 8)}`, []);
  const shown = useMemo(() => {
    const needle = text.trim().toLowerCase();
    const kept = needle
      ? rows.filter((r) =>
          columns.some((c) =>
            String(c.value(r) ?? '')
              .toLowerCase()
              .includes(needle),
          ),
        )
      : rows;
    if (!sort) return kept;
    const col = columns[sort.col]!;
    const sign = sort.dir === 'ascending' ? 1 : -1;
    return [...kept].sort((a, b) => {
      const x = col.value(a);
      const y = col.value(b);
      if (x === y) return 0;
      if (x === null || x === undefined || x === '') return 1;
      if (y === null || y === undefined || y === '') return -1;
      return (col.numeric ? Number(x) - Number(y) : String(x).localeCompare(String(y), 'zh-CN')) * sign;
    });
  }, [rows, sort, text, columns]);
  const visible = shown.length > limit ? shown.slice(0, limit) : shown;
  const toggle = (i: number) => setSort((s) => (s?.col === i ? (s.dir === 'ascending' ? { col: i, dir: 'descending' } : null) : { col: i, dir: 'ascending' }));
  return (
    <div class="data-table" data-testid={testId}>
      {filter && (
        <p class="inline table-tools">
          <label for={filterId}>筛选</label>
          <input id={filterId} type="search" value={text} placeholder="输入任意列中的文字" onInput={(e) => setText((e.target as HTMLInputElement).value)} />
        </p>
      )}
      <div class="table-scroll">
        <table>
          <caption>
            {caption}（显示 {visible.length} / 已加载 {rows.length} 条{list?.next ? '，还有更多；排序和筛选仅对已加载的行' : ''}）
          </caption>
          <thead>
            <tr>
              {columns.map((c, i) => (
                <th scope="col" key={c.label} aria-sort={sort?.col === i ? sort.dir : undefined} class={c.numeric ? 'num' : undefined}>
                  <button type="button" class="sort" onClick={() => toggle(i)} title="按此列排序">
                    {c.label}
                    <span aria-hidden="true">{sort?.col === i ? (sort.dir === 'ascending' ? ' ▲' : ' ▼') : ' ↕'}</span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {visible.map((r, i) => (
              <tr key={rowKey(r, i)} {...(rowProps?.(r) ?? {})}>
                {columns.map((c) => (
                  <td key={c.label} class={cellClass(c, r)} data-label={c.label}>
                    {c.render ? c.render(r) : String(c.value(r) ?? '')}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {visible.length < shown.length && (
        <p class="inline">
          <button type="button" onClick={() => setLimit((n) => n + (pageSize ?? 0))}>
            显示更多（还有 {shown.length - visible.length} 条）
          </button>
        </p>
      )}
      {rows.length === 0 && !list?.loading && <p>{empty}</p>}
      {list?.error && (
        <p role="alert" class="error">
          {list.error}
        </p>
      )}
      {list && (
        <p class="inline">
          {list.next && (
            <button type="button" onClick={list.more} disabled={list.loading}>
              加载下一页
            </button>
          )}
          <span role="status">{list.loading ? '加载中…' : ''}</span>
        </p>
      )}
    </div>
  );
}

/** An error line (role=alert) when there is one. */
export function ErrorLine({ error }: { error: string }) {
  return error ? (
    <p role="alert" class="error">
      {error}
    </p>
  ) : null;
}

/** A labelled input; `id` ties the label to it. */
export function Field({
  id,
  label,
  value,
  onInput,
  type = 'text',
  required = false,
  ...rest
}: { id: string; label: string; value: string; onInput: (v: string) => void; type?: string; required?: boolean } & Omit<
  JSX.HTMLAttributes<HTMLInputElement>,
  'onInput' | 'value' | 'type' | 'id' | 'label'
>) {
  return (
    <>
      <label for={id}>{label}</label>
      <input id={id} type={type} required={required} value={value} onInput={(e) => onInput((e.target as HTMLInputElement).value)} {...rest} />
    </>
  );
}

/** A query string from the set values only. */
export function qs(params: Record<string, string | number | null | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}
