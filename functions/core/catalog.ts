/**
 * The catalog document (公共信用信息目录, the body of PUT /v1/catalog in docs/api.md): parseCatalog
 * (schema in catalog-schema.ts, cross-reference checks in catalog-checks.ts), the streamed check of
 * a document too large to hold, the sections it is stored in entry by entry, and a lookup index. A
 * document is refused whole, so parseCatalog reports every problem at once — schema problems and
 * cross-reference problems side by side, each with its JSON path.
 */
import {
  catalogSchema,
  itemSchema,
  type Behaviour,
  type Catalog,
  type CatalogProblem,
  type CreditList,
  type InfoItem,
  type Measure,
  type Provider,
} from './catalog-schema.ts';
import { checkItemOwn, crossCheck, schemaProblems } from './catalog-checks.ts';
import { isObject, objects, str, type Loose } from './catalog-loose.ts';

export * from './catalog-schema.ts';
export { REDECLARABLE_COLUMNS, formatPath } from './catalog-checks.ts';

export type CatalogParseResult = { ok: true; catalog: Catalog } | { ok: false; problems: CatalogProblem[] };

export function isRepairable(item: InfoItem): boolean {
  return item.repairable !== false;
}

export function parseCatalog(doc: unknown): CatalogParseResult {
  const problems: CatalogProblem[] = [];
  const parsed = catalogSchema.safeParse(doc);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(...schemaProblems(issue, doc));
  }
  // Cross-reference checks run on the raw document too, so one round trip shows everything.
  crossCheck(doc, problems);
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  return { ok: true, catalog: parsed.data };
}

// ---------------------------------------------------------------------------------------------
// Sections: the catalog is stored and published entry by entry (adapters/catalog-repo)

/** Every list of the document; `items` is the large one, the rest stay small (hundreds to a few thousand entries). */
export const CATALOG_SECTIONS = ['providers', 'items', 'applications', 'ruleSets', 'matters', 'behaviours', 'measures', 'creditLists'] as const;
export type CatalogSection = (typeof CATALOG_SECTIONS)[number];
export type SectionEntry<S extends CatalogSection> = NonNullable<Catalog[S]>[number];

/** The key an entry is stored and looked up under: its code; an application's unit and purpose. */
export function entryKey(section: CatalogSection, entry: unknown): string {
  const e = entry as Loose;
  return section === 'applications' ? `${String(e.unit)}#${String(e.purpose)}` : String(e.code);
}

/** The provider whose list an entry belongs to (items: its provider; applications, behaviours, lists: their unit). */
export function entryOwner(section: CatalogSection, entry: unknown): string | undefined {
  const e = entry as Loose;
  if (section === 'items') return str(e.provider);
  if (section === 'providers') return str(e.code);
  if (section === 'applications' || section === 'matters' || section === 'behaviours' || section === 'creditLists') return str(e.unit);
  return undefined;
}

/**
 * The checks of parseCatalog fed one entry at a time, for a document too large to hold whole
 * (the bulk import streams it): each item is schema- and field-checked as it arrives and only
 * the facts the cross-reference checks need are kept (code, provider, subject type, field keys
 * and types); the small sections are kept whole. `finish` reports the same problems, with the
 * same paths, as parseCatalog on the whole document (the order may differ).
 */
export class StreamedCatalogCheck {
  private readonly top: Loose = {};
  private readonly facts: unknown[] = [];
  private readonly problems: CatalogProblem[] = [];
  items = 0;

  /** items[i], as the parser completes it. */
  item(i: number, value: unknown): void {
    this.items++;
    const parsed = itemSchema.safeParse(value);
    if (!parsed.success) {
      const holder = { items: { [i]: value } };
      for (const issue of parsed.error.issues) this.problems.push(...schemaProblems({ ...issue, path: ['items', i, ...issue.path] }, holder));
    }
    if (!isObject(value)) {
      this.facts[i] = value;
      return;
    }
    checkItemOwn(value, `items[${i}]`, (path, code, message) => this.problems.push({ path, code, message }));
    this.facts[i] = {
      code: value.code,
      provider: value.provider,
      subjectType: value.subjectType,
      ...(value.repairable !== undefined ? { repairable: value.repairable } : {}),
      fields: objects(value.fields).map(([, f]) => ({ key: f.key, type: f.type })),
    };
  }

  /** A top-level property (for `items`, the array the parser leaves once its entries were taken). */
  property(key: string, value: unknown): void {
    this.top[key] = value;
  }

  /** The top-level properties but items: the version and the small sections, as the document has them. */
  rest(): Record<string, unknown> {
    const { items: _items, ...rest } = this.top;
    return rest;
  }

  /** Problems of the whole document; empty when it may be published. */
  finish(): CatalogProblem[] {
    const problems = [...this.problems];
    const itemsIsList = Array.isArray(this.top.items);
    const skeleton = itemsIsList ? { ...this.top, items: [] } : this.top;
    const parsed = catalogSchema.safeParse(skeleton);
    if (!parsed.success) for (const issue of parsed.error.issues) problems.push(...schemaProblems(issue, skeleton));
    crossCheck(itemsIsList ? { ...this.top, items: this.facts } : this.top, problems, true);
    return problems;
  }
}

export interface CatalogIndex {
  item(code: string): InfoItem | undefined;
  provider(code: string): Provider | undefined;
  behaviour(code: string): Behaviour | undefined;
  measure(code: string): Measure | undefined;
  creditList(code: string): CreditList | undefined;
}

export function indexCatalog(c: Catalog): CatalogIndex {
  const items = new Map(c.items.map((i) => [i.code, i]));
  const providers = new Map(c.providers.map((p) => [p.code, p]));
  const behaviours = new Map((c.behaviours ?? []).map((b) => [b.code, b]));
  const measures = new Map((c.measures ?? []).map((m) => [m.code, m]));
  const lists = new Map((c.creditLists ?? []).map((l) => [l.code, l]));
  return {
    item: (code) => items.get(code),
    provider: (code) => providers.get(code),
    behaviour: (code) => behaviours.get(code),
    measure: (code) => measures.get(code),
    creditList: (code) => lists.get(code),
  };
}
