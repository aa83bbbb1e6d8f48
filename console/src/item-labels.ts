/**
 * Item names and field labels for the items on screen, read by key (GET /v1/catalog/items?codes=,
 * up to 100 codes a lookup; the public page GET /v1/public/catalog/items?codes=) and kept per
 * code: the whole catalog (45,933 items at reference scale) is never fetched for a label. A code
 * the API cannot answer for (an item since withdrawn, a network failure) stands for its name, and
 * its field keys for their labels; it is not asked for again in this session.
 */
import { useEffect, useState } from 'preact/hooks';
import { call, type Session } from './api.ts';
import { ItemCache, type CatalogItem } from './item-cache.ts';

export { ItemCache, type CatalogItem };

const lookup = (session: Session | null) => async (codes: string[]) =>
  (
    await call<{ items: CatalogItem[] }>(
      session,
      'GET',
      `${session ? '/v1/catalog/items' : '/v1/public/catalog/items'}?codes=${codes.map(encodeURIComponent).join(',')}`,
    )
  ).items;

/** One cache per signed-in session (its token decides what the catalog route answers), one for the public page. */
const caches = new WeakMap<Session, ItemCache>();
let publicCache: ItemCache | undefined;
export function itemCache(session: Session | null): ItemCache {
  if (!session) return (publicCache ??= new ItemCache(lookup(null)));
  let cache = caches.get(session);
  if (!cache) {
    cache = new ItemCache(lookup(session));
    caches.set(session, cache);
  }
  return cache;
}

/** The session's (null: the public page's) item cache, with the items of `codes` loading; the view draws again as they arrive. */
export function useItems(session: Session | null, codes: string[]): ItemCache {
  const cache = itemCache(session);
  const [, setLoaded] = useState(0);
  const key = [...new Set(codes)].sort().join(',');
  useEffect(() => {
    let live = true;
    void cache.load(codes).then(() => live && setLoaded((n) => n + 1));
    return () => {
      live = false;
    };
  }, [cache, key]);
  return cache;
}
