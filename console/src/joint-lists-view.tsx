/** 信用名单（公开）: the public sub-tab, read without a token from /v1/public/lists. */
import { useEffect, useState } from 'preact/hooks';
import type { PublicListEntriesResponse, PublicListsResponse } from '../../functions/api-types.ts';
import { call } from './api.ts';
import { DataTable, qs, useCursorList } from './ui.tsx';

type PublicList = PublicListsResponse['lists'][number];

/** The public credit lists (no token needed): criteria, remedy and exit, and the LISTED entries a page at a time. */
export function JointListsView() {
  const [lists, setLists] = useState<PublicList[]>([]);
  const [open, setOpen] = useState('');
  const [error, setError] = useState('');
  useEffect(() => {
    call<PublicListsResponse>(null, 'GET', '/v1/public/lists')
      .then((r) => setLists(r.lists))
      .catch((e) => setError((e as Error).message));
  }, []);
  return (
    <section aria-labelledby="joint-lists-title">
      <h2 id="joint-lists-title">信用名单（公开）</h2>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {lists.map((l) => (
        <article key={l.code} class="card" aria-label={l.name}>
          <h3>{l.name}</h3>
          <dl class="fields">
            <div>
              <dt>认定标准</dt>
              <dd>{l.criteria}</dd>
            </div>
            <div>
              <dt>信用修复</dt>
              <dd>{l.remedy}</dd>
            </div>
            <div>
              <dt>移出条件</dt>
              <dd>{l.exit}</dd>
            </div>
          </dl>
          <button type="button" onClick={() => setOpen(l.code)}>
            查看名单
          </button>
          {open === l.code && <ListEntries list={l} />}
        </article>
      ))}
    </section>
  );
}

/**
 * A list's LISTED entries, 50 a page (加载下一页 follows the API's cursor), sortable and filterable;
 * also the public page's (public-lists.tsx).
 */
export function ListEntries({ list }: { list: Pick<PublicList, 'code' | 'name'> }) {
  const entries = useCursorList<PublicListEntriesResponse['entries'][number]>(async (cursor) => {
    const page = await call<PublicListEntriesResponse>(null, 'GET', `/v1/public/lists/${encodeURIComponent(list.code)}/entries${qs({ cursor })}`);
    return { rows: page.entries, next: page.next };
  }, []);
  return (
    <DataTable
      caption={`${list.name}：列入主体`}
      columns={[
        { label: '主体', value: (e) => e.subject.name },
        { label: '标识', value: (e) => e.subject.id },
        { label: '列入日期', value: (e) => e.listedOn ?? '' },
        { label: '有效期至', value: (e) => e.until ?? '' },
        { label: '依据', value: (e) => e.basis, wide: true },
      ]}
      rows={entries.rows}
      rowKey={(e) => e.entryId}
      list={entries}
      empty="名单中暂无主体。"
    />
  );
}
