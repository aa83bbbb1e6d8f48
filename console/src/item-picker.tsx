/**
 * Choosing catalog items in a form, whatever the catalog's size (45,933 items at reference scale,
 * never answered inline past 1,000): a search over GET /v1/catalog/items?subjectType=&q=&cursor=,
 * read a page at a time (加载更多), the chosen items kept as removable tags. The items a search
 * brought are remembered by the session's item cache, so the chosen ones and the forms' tables
 * show their names without asking again.
 */
import { useState } from 'preact/hooks';
import { call, type Session } from './api.ts';
import { itemCache, useItems, type CatalogItem } from './item-labels.ts';
import { ErrorLine, qs, useCursorList } from './ui.tsx';

/** Items read per request (the route's most); a search reads further pages until it can show SHOWN_PER_SEARCH. */
const PAGE = 500;
const SHOWN_PER_SEARCH = 20;
const PAGES_PER_SEARCH = 4;

export function ItemPicker({
  session,
  id,
  legend,
  subjectType,
  accept = () => true,
  chosen,
  onChange,
}: {
  session: Session;
  id: string;
  legend: string;
  /** Items of this subject type only (asked of the API). */
  subjectType?: string;
  /** Which listed items may be chosen (e.g. by disclosure); the API's filters come first. */
  accept?: (item: CatalogItem) => boolean;
  chosen: string[];
  onChange: (codes: string[]) => void;
}) {
  const cache = itemCache(session);
  const names = useItems(session, chosen);
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  // a filtered page may come back short (even empty) while `next` goes on: read on, a few pages at
  // most per click, until there are enough to show
  const found = useCursorList<CatalogItem>(
    async (cursor) => {
      const rows: CatalogItem[] = [];
      let next = cursor;
      for (let n = 0; n < PAGES_PER_SEARCH; n++) {
        const page = await call<{ items: CatalogItem[]; next: string | null }>(
          session,
          'GET',
          `/v1/catalog/items${qs({ subjectType, q: q || undefined, limit: PAGE, cursor: next })}`,
        );
        cache.remember(page.items);
        rows.push(...page.items.filter(accept));
        next = page.next;
        if (!next || rows.length >= SHOWN_PER_SEARCH) break;
      }
      return { rows, next };
    },
    [session, subjectType, q],
  );
  const search = () => setQ(text.trim());
  const toggle = (code: string, on: boolean) => onChange(on ? [...chosen.filter((c) => c !== code), code] : chosen.filter((c) => c !== code));
  return (
    <fieldset class="stack item-picker" data-testid={id}>
      <legend>{legend}</legend>
      <div class="inline">
        <label for={`${id}-q`}>查找信息事项（名称或代码）</label>
        <input
          id={`${id}-q`}
          type="search"
          value={text}
          onInput={(e) => setText((e.target as HTMLInputElement).value)}
          onKeyDown={(e) => {
            // Enter searches; it must not submit the form the picker sits in
            if (e.key === 'Enter') {
              e.preventDefault();
              search();
            }
          }}
        />
        <button type="button" onClick={search}>
          查找
        </button>
      </div>
      {chosen.length > 0 && (
        <ul class="tags" aria-label="已选信息事项" data-testid={`${id}-chosen`}>
          {chosen.map((code) => (
            <li key={code}>
              {names.name(code)}
              <button type="button" class="link" onClick={() => toggle(code, false)} aria-label={`移除 ${names.name(code)}`}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div class="grid" data-testid={`${id}-results`} aria-busy={found.loading}>
        {found.rows.map((i) => (
          <label key={i.code}>
            <input type="checkbox" checked={chosen.includes(i.code)} onChange={(e) => toggle(i.code, (e.target as HTMLInputElement).checked)} /> {i.name}
            <span class="muted">（{i.code}）</span>
          </label>
        ))}
      </div>
      {!found.loading && found.rows.length === 0 && <p>{found.next ? '已读的部分中没有匹配的信息事项，可继续加载。' : '没有匹配的信息事项。'}</p>}
      {found.next && (
        <button type="button" class="secondary" onClick={() => void found.more()} disabled={found.loading}>
          加载更多
        </button>
      )}
      <ErrorLine error={found.error} />
    </fieldset>
  );
}
