/**
 * The public credit lists on the public page (public-view.tsx, tab 信用名单): each list with its
 * criteria, remedy and exit conditions, and its entries a page at a time.
 */
import { useEffect, useState } from 'preact/hooks';
import { call } from './api.ts';
import { DataTable, ErrorLine, qs, useCursorList } from './ui.tsx';

interface PublicList {
  code: string;
  name: string;
  criteria: string;
  remedy: string;
  exit: string;
}
interface PublicEntry {
  entryId: string;
  subject: { type: string; id: string; name: string };
  listedOn: string | null;
  until: string | null;
  basis: string;
}

export function CreditLists() {
  const [lists, setLists] = useState<PublicList[]>([]);
  const [open, setOpen] = useState<PublicList | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    call<{ lists: PublicList[] }>(null, 'GET', '/v1/public/lists')
      .then((r) => setLists(r.lists))
      .catch((e: Error) => setError(e.message));
  }, []);
  return (
    <section aria-labelledby="lists-title">
      <h2 id="lists-title">信用名单</h2>
      <ErrorLine error={error} />
      <DataTable
        caption="公开的信用名单"
        columns={[
          { label: '名单', value: (l: PublicList) => l.name },
          { label: '列入标准', value: (l) => l.criteria, wide: true },
          { label: '异议及救济', value: (l) => l.remedy, wide: true },
          { label: '移出条件', value: (l) => l.exit, wide: true },
          {
            label: '名单主体',
            value: () => '',
            render: (l) => (
              <button type="button" class="link" onClick={() => setOpen(l)} aria-label={`查看${l.name}的名单主体`}>
                查看
              </button>
            ),
          },
        ]}
        rows={lists}
        rowKey={(l) => l.code}
        filter={false}
      />
      {open && <ListEntries key={open.code} list={open} />}
    </section>
  );
}

function ListEntries({ list }: { list: PublicList }) {
  const entries = useCursorList<PublicEntry>(async (cursor) => {
    const page = await call<{ entries: PublicEntry[]; next: string | null }>(null, 'GET', `/v1/public/lists/${list.code}/entries${qs({ cursor })}`);
    return { rows: page.entries, next: page.next };
  }, []);
  return (
    <DataTable
      caption={`${list.name}：列入主体`}
      columns={[
        { label: '主体', value: (e) => e.subject.name },
        { label: '代码', value: (e) => e.subject.id },
        { label: '列入日期', value: (e) => e.listedOn ?? '' },
        { label: '列入期限至', value: (e) => e.until ?? '' },
        { label: '依据', value: (e) => e.basis, wide: true },
      ]}
      rows={entries.rows}
      rowKey={(e) => e.entryId}
      list={entries}
      empty="名单中暂无主体。"
    />
  );
}
