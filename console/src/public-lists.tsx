/**
 * The public credit lists on the public page (public-view.tsx, tab 信用名单): each list with its
 * criteria, remedy and exit conditions, and its entries a page at a time.
 */
import { useEffect, useState } from 'preact/hooks';
import { call } from './api.ts';
import { ListEntries } from './joint-lists-view.tsx';
import { DataTable, ErrorLine } from './ui.tsx';

interface PublicList {
  code: string;
  name: string;
  criteria: string;
  remedy: string;
  exit: string;
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
