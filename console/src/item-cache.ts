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
