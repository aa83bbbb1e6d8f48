/**
 * Providers (信息提供单位), the role with the most daily use: upload a file with a progress bar and
 * watch its receipt (回执); the batch history (filter by item, status, date; failed batches with
 * their reason; any batch's receipt, rejected rows and CSV); the objection inbox (objections the
 * admin forwarded, with deadlines and the decision form); credit repair and revocation. One
 * component per workflow: provider-upload.tsx, provider-receipt.tsx, provider-rights.tsx.
 */
import { useEffect, useState } from 'preact/hooks';
import { call, type Session } from './api.ts';
import { ObjectionList, type CatalogItem } from './objections.tsx';
import { ErrorLine, qs, Tabs } from './ui.tsx';
import { OwnListPanel } from './unit-lists.tsx';
import { BatchHistory } from './provider-receipt.tsx';
import { RecordRights } from './provider-rights.tsx';
import { UploadPanel } from './provider-upload.tsx';

type Item = CatalogItem;

/**
 * The provider's own items from the published catalog, read page by page through the catalog's
 * byProvider index (GET /v1/catalog/items?provider=): the whole catalog (45,933 items at reference
 * scale) is never loaded, and is not answered inline past 1,000 items anyway.
 */
function useOwnItems(session: Session) {
  const [items, setItems] = useState<Item[]>([]);
  const [error, setError] = useState('');
  useEffect(() => {
    (async () => {
      const own: Item[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: Item[]; next: string | null } = await call(
          session,
          'GET',
          `/v1/catalog/items${qs({ provider: session.unit, limit: 500, cursor })}`,
        );
        own.push(...page.items);
        cursor = page.next;
      } while (cursor);
      setItems(own);
    })().catch((e: Error) => setError(e.message));
  }, [session]);
  return { items, error };
}

export function ProviderView({ session }: { session: Session }) {
  const { items, error } = useOwnItems(session);
  return (
    <>
      <ErrorLine error={error} />
      <Tabs
        label="信息提供单位功能"
        tabs={[
          { id: 'upload', label: '上传数据', render: () => <UploadPanel session={session} items={items} /> },
          { id: 'batches', label: '批次记录', render: () => <BatchHistory session={session} items={items} /> },
          { id: 'objections', label: '异议处理', render: () => <ObjectionList session={session} title="转来核查的异议" /> },
          { id: 'rights', label: '信用修复与撤销', render: () => <RecordRights session={session} /> },
          { id: 'own-list', label: '本单位清单', render: () => <OwnListPanel session={session} items={items} /> },
        ]}
      />
    </>
  );
}
