/**
 * Item names and field labels for the items on screen, read by key (GET /v1/catalog/items/{code})
 * and kept per code: the whole catalog (45,933 items at reference scale) is never fetched for a
 * label. A code the API cannot answer for (an item since withdrawn, a network failure) stands for
 * its name, and its field keys for their labels; it is not asked for again in this session.
 */
import { useEffect, useState } from 'preact/hooks';
import { call, type Session } from './api.ts';

export interface CatalogItem {
  code: string;
  name: string;
  provider: string;
  subjectType?: string;
  recordClass?: string;
  polarity?: string;
  disclosure?: string;
  repairable?: boolean;
  fields: Array<{ key: string; label: string; type?: string; required?: boolean; values?: string[]; min?: number }>;
}

/** Items by code, each asked for at most once however many views ask at the same time. */
export class ItemCache {
  private readonly known = new Map<string, CatalogItem | null>();
  private readonly asked = new Map<string, Promise<void>>();
  constructor(private readonly fetchItem: (code: string) => Promise<CatalogItem>) {}

  /** The item, or undefined while it is unknown (not loaded yet, or not found). */
  item(code: string): CatalogItem | undefined {
    return this.known.get(code) ?? undefined;
  }
  name(code: string): string {
    return this.item(code)?.name ?? code;
  }
  /** The catalog label of a field of an item ('fineWan' → 罚款金额（万元）), or the key. */
  label(code: string, key: string): string {
    return this.item(code)?.fields.find((f) => f.key === key)?.label ?? key;
  }
  /** Loads the codes not asked for yet; resolves when every one of `codes` is settled. */
  load(codes: Iterable<string>): Promise<void> {
    const waits: Array<Promise<void>> = [];
    for (const code of new Set(codes)) {
      if (!code) continue;
      let pending = this.asked.get(code);
      if (!pending) {
        pending = this.fetchItem(code).then(
          (item) => void this.known.set(code, item),
          () => void this.known.set(code, null),
        );
        this.asked.set(code, pending);
      }
      waits.push(pending);
    }
    return Promise.all(waits).then(() => undefined);
  }
}

/** One cache per signed-in session (its token decides what the catalog route answers). */
const caches = new WeakMap<Session, ItemCache>();
export function itemCache(session: Session): ItemCache {
  let cache = caches.get(session);
  if (!cache) {
    cache = new ItemCache((code) => call<CatalogItem>(session, 'GET', `/v1/catalog/items/${encodeURIComponent(code)}`));
    caches.set(session, cache);
  }
  return cache;
}

/** The session's item cache, with the items of `codes` loading; the view draws again as they arrive. */
export function useItems(session: Session, codes: string[]): ItemCache {
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
