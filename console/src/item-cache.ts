/**
 * The per-code item cache behind the console's labels (item-labels.ts), free of Preact and the API
 * client so that it is unit-tested under the platform's own typecheck.
 */
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

/** Most codes one lookup names (GET /v1/catalog/items?codes= takes up to 100). */
export const ITEM_LOOKUP_BATCH = 100;

/**
 * Items by code, each asked for at most once however many views ask at the same time; the codes a
 * view asks for together are looked up together, ITEM_LOOKUP_BATCH at a time.
 */
export class ItemCache {
  private readonly known = new Map<string, CatalogItem | null>();
  private readonly asked = new Map<string, Promise<void>>();
  /** `fetchItems` answers the published items among `codes` (an unknown code is left out). */
  constructor(private readonly fetchItems: (codes: string[]) => Promise<CatalogItem[]>) {}

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
  /** Items already read some other way (a page of a listing): known without asking. */
  remember(items: Iterable<CatalogItem>): void {
    for (const item of items) {
      this.known.set(item.code, item);
      if (!this.asked.has(item.code)) this.asked.set(item.code, Promise.resolve());
    }
  }
  /** Loads the codes not asked for yet; resolves when every one of `codes` is settled. */
  load(codes: Iterable<string>): Promise<void> {
    const waits: Array<Promise<void>> = [];
    const fresh: string[] = [];
    for (const code of new Set(codes)) {
      if (!code) continue;
      const pending = this.asked.get(code);
      if (pending) waits.push(pending);
      else fresh.push(code);
    }
    for (let i = 0; i < fresh.length; i += ITEM_LOOKUP_BATCH) {
      const batch = fresh.slice(i, i + ITEM_LOOKUP_BATCH);
      const pending = this.fetchItems(batch).then(
        (items) => {
          const byCode = new Map(items.map((item) => [item.code, item]));
          for (const code of batch) this.known.set(code, byCode.get(code) ?? null);
        },
        () => {
          for (const code of batch) this.known.set(code, null);
        },
      );
      for (const code of batch) this.asked.set(code, pending);
      waits.push(pending);
    }
    return Promise.all(waits).then(() => undefined);
  }
}
