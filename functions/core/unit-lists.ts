/**
 * Lists maintained by their units (issue 16 part 4): a provider keeps its 数据清单 (its information
 * items), a government unit its 应用清单 (application matters and the applications they query under)
 * as a draft of changes over the published catalog, submits it, and the credit centre reviews the
 * diff and a dry run, then approves (only that unit's entries are published) or returns it.
 *
 * Pure rules: the workflow's states, an entry's own checks, the diff of an entry, the field changes
 * that would reject rows an upload had accepted, the checks of the draft against the catalog, and
 * problems named with the catalog's labels. Storage is in adapters/unit-list-repo.
 */
import type { z } from 'zod';
import { catalogSchema, entryKey, entryOwner, parseCatalog, type Catalog, type CatalogProblem, type FieldDef, type InfoItem } from './catalog.ts';

/** The sections a unit's list holds: a provider's items; a unit's applications and application matters. */
export const LIST_SECTIONS = ['items', 'matters', 'applications'] as const;
export type ListSection = (typeof LIST_SECTIONS)[number];

/**
 * DRAFT: the unit edits; SUBMITTED: waits for review; COMMENT: the public comment period (Art 9),
 * from `commentStart` to `commentEnd`; RETURNED: back to the unit with comments (editable);
 * APPROVING: an approval is publishing it; PUBLISHED: the last submission was published (a new
 * edit opens a new draft).
 */
export const LIST_STATUSES = ['DRAFT', 'SUBMITTED', 'COMMENT', 'RETURNED', 'APPROVING', 'PUBLISHED'] as const;
export type ListStatus = (typeof LIST_STATUSES)[number];
/** The states in which the unit may change its draft. */
export const EDITABLE: readonly ListStatus[] = ['DRAFT', 'RETURNED', 'PUBLISHED'];
/** The states the credit centre's queue shows. */
export const IN_REVIEW: readonly ListStatus[] = ['SUBMITTED', 'COMMENT'];
/** Changes one submission may hold: the approval publishes them within one API call. */
export const MAX_LIST_CHANGES = 2000;
/** An approval that died while APPROVING may be taken over after this long. */
export const APPROVING_LEASE_MS = 5 * 60_000;

export interface ListChange {
  section: ListSection;
  key: string;
  /** The entry as the draft has it; absent: the draft removes the published entry. */
  entry?: unknown;
}

export const HISTORY_EVENTS = ['SUBMITTED', 'COMMENT_OPENED', 'RETURNED', 'APPROVED'] as const;
export type HistoryEvent = (typeof HISTORY_EVENTS)[number];

const SECTION_NAME_ZH: Record<ListSection, string> = { items: '信息事项', matters: '应用事项', applications: '应用清单' };

// ---------------------------------------------------------------------------------------------
// One entry

const entrySchemas = {
  items: catalogSchema.shape.items.element,
  matters: catalogSchema.shape.matters.unwrap().element,
  applications: catalogSchema.shape.applications.unwrap().element,
} satisfies Record<ListSection, z.ZodType>;

/** Checks one entry a unit puts in its draft: its shape, that it is the unit's own, and its key. */
export function entryProblems(section: ListSection, unit: string, key: string, entry: unknown): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const parsed = entrySchemas[section].safeParse(entry);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push({ path: [section, ...issue.path].join('.'), code: 'INVALID', message: issue.message });
    }
    return problems;
  }
  const owner = entryOwner(section, entry);
  if (owner !== unit) {
    const field = section === 'items' ? 'provider' : 'unit';
    problems.push({ path: `${section}.${field}`, code: 'NOT_YOUR_ENTRY', message: `${field} must be "${unit}", the unit whose list this is (got "${owner}")` });
  }
  if (entryKey(section, entry) !== key) {
    problems.push({ path: section, code: 'KEY_MISMATCH', message: `the entry's key is "${entryKey(section, entry)}", not "${key}" as in the path` });
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Diff

export type DiffOp = 'ADDED' | 'REMOVED' | 'CHANGED' | 'UNCHANGED';

export interface PropertyChange {
  /** `name`, `fields.fineWan`, `fields.fineWan.required`… */
  path: string;
  /** The path in the catalog's words: 「罚款金额（万元）」.是否必填 */
  label: string;
  before?: unknown;
  after?: unknown;
}

export interface EntryDiff {
  section: ListSection;
  key: string;
  name: string;
  op: DiffOp;
  changes: PropertyChange[];
}

const PROPERTY_ZH: Record<string, string> = {
  name: '名称',
  description: '说明',
  subjectType: '主体类型',
  recordClass: '信息类别',
  polarity: '信息性质',
  severity: '严重程度',
  disclosure: '公开属性',
  publicity: '双公示',
  queryYears: '查询期限（年）',
  queryPeriodFrom: '查询期限起算字段',
  keyField: '记录键字段',
  repairable: '可信用修复',
  legalBasis: '依据',
  label: '标题',
  type: '类型',
  required: '是否必填',
  values: '可选值',
  maxLength: '最大长度',
  min: '最小值',
  max: '最大值',
  purpose: '用途',
  items: '信息事项',
  unit: '单位',
  provider: '提供单位',
};

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const nameOf = (entry: unknown, key: string): string => {
  const e = entry as { name?: unknown } | undefined;
  return typeof e?.name === 'string' ? e.name : key;
};

/** What the draft's entry changes against the published one (`undefined`: absent on that side). */
export function diffEntry(section: ListSection, key: string, before: unknown, after: unknown): EntryDiff {
  const name = nameOf(after ?? before, key);
  if (before === undefined && after === undefined) return { section, key, name, op: 'UNCHANGED', changes: [] };
  if (before === undefined) return { section, key, name, op: 'ADDED', changes: [] };
  if (after === undefined) return { section, key, name, op: 'REMOVED', changes: [] };
  const changes: PropertyChange[] = [];
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  for (const prop of [...new Set([...Object.keys(b), ...Object.keys(a)])]) {
    if (section === 'items' && prop === 'fields') continue;
    if (!same(b[prop], a[prop])) changes.push({ path: prop, label: PROPERTY_ZH[prop] ?? prop, before: b[prop], after: a[prop] });
  }
  if (section === 'items') changes.push(...fieldChanges((b.fields ?? []) as FieldDef[], (a.fields ?? []) as FieldDef[]));
  return { section, key, name, op: changes.length === 0 ? 'UNCHANGED' : 'CHANGED', changes };
}

function fieldChanges(before: FieldDef[], after: FieldDef[]): PropertyChange[] {
  const out: PropertyChange[] = [];
  const old = new Map(before.map((f) => [f.key, f]));
  const now = new Map(after.map((f) => [f.key, f]));
  for (const [k, f] of now) {
    const o = old.get(k);
    if (!o) {
      out.push({ path: `fields.${k}`, label: `字段「${f.label}」`, after: f });
      continue;
    }
    for (const prop of [...new Set([...Object.keys(o), ...Object.keys(f)])] as Array<keyof FieldDef>) {
      if (!same(o[prop], f[prop]))
        out.push({ path: `fields.${k}.${prop}`, label: `字段「${f.label}」.${PROPERTY_ZH[prop] ?? prop}`, before: o[prop], after: f[prop] });
    }
  }
  for (const [k, o] of old) if (!now.has(k)) out.push({ path: `fields.${k}`, label: `字段「${o.label}」`, before: o });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Field changes that would reject rows an upload had accepted

export interface Tightening {
  item: string;
  field: string;
  label: string;
  code: string;
  message: string;
}

const NUMERIC = new Set(['integer', 'decimal']);

/**
 * The changes of an item's fields under which a row the published item accepted may be rejected:
 * a field made required or added as required, a type changed, enum/set values dropped, a range
 * narrowed, a maximum length lowered, the key field changed or the subject type changed.
 */
export function fieldTightenings(before: InfoItem, after: InfoItem): Tightening[] {
  const out: Tightening[] = [];
  const add = (f: { key: string; label: string }, code: string, message: string) =>
    out.push({ item: after.code, field: f.key, label: f.label, code, message: `「${f.label}」：${message}` });
  if (before.subjectType !== after.subjectType) {
    out.push({
      item: after.code,
      field: 'subjectType',
      label: '主体类型',
      code: 'SUBJECT_TYPE_CHANGED',
      message: `主体类型由 ${before.subjectType} 改为 ${after.subjectType}，已按原类型上报的文件将被拒收`,
    });
  }
  if (before.keyField !== after.keyField) {
    out.push({
      item: after.code,
      field: 'keyField',
      label: '记录键字段',
      code: 'KEY_FIELD_CHANGED',
      message: `记录键字段由 ${before.keyField} 改为 ${after.keyField}，同一记录再次上报将被视为新记录`,
    });
  }
  const old = new Map(before.fields.map((f) => [f.key, f]));
  for (const f of after.fields) {
    const o = old.get(f.key);
    if (!o) {
      if (f.required) add(f, 'FIELD_ADDED_REQUIRED', '新增为必填字段，缺少该列的行将被拒收');
      continue;
    }
    if (f.required && !o.required) add(f, 'FIELD_NOW_REQUIRED', '改为必填，该列为空的行将被拒收');
    if (f.type !== o.type) add(f, 'FIELD_TYPE_CHANGED', `类型由 ${o.type} 改为 ${f.type}，按原类型填写的值可能被拒收`);
    const dropped = (o.values ?? []).filter((v) => !(f.values ?? []).includes(v));
    if (f.values && dropped.length > 0) add(f, 'FIELD_VALUES_REMOVED', `删除了可选值 ${dropped.map((v) => `“${v}”`).join('、')}，填写这些值的行将被拒收`);
    if (NUMERIC.has(f.type) && f.min !== undefined && (o.min === undefined || f.min > o.min)) add(f, 'FIELD_RANGE_NARROWED', `最小值提高为 ${f.min}`);
    if (NUMERIC.has(f.type) && f.max !== undefined && (o.max === undefined || f.max < o.max)) add(f, 'FIELD_RANGE_NARROWED', `最大值降低为 ${f.max}`);
    if (f.maxLength !== undefined && (o.maxLength === undefined || f.maxLength < o.maxLength))
      add(f, 'FIELD_MAX_LENGTH_LOWERED', `最大长度降低为 ${f.maxLength}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The draft against the catalog

export interface ListProblem extends CatalogProblem {
  section: ListSection;
  key: string;
  /** Where, in the catalog's words: 信息事项「行政处罚信息」字段「罚款金额（万元）」 */
  where: string;
}

/** An entry of another list that names an item the draft removes. */
export interface Reference {
  section: 'applications' | 'matters' | 'ruleSets' | 'behaviours';
  key: string;
  name: string;
  owner?: string;
  item: string;
}

/**
 * Every problem of the draft at once, as the catalog's checks report them for the published catalog
 * with the draft's changes applied. `others` are the published entries the draft's entries refer to
 * (the items its matters and applications name, and the unit's provider entry); `small` the catalog's
 * small sections. Only problems of the draft's own entries are reported, plus references to removed
 * items from entries the draft does not change (ITEM_STILL_REFERENCED): both block approval.
 */
export function draftProblems(
  changes: readonly ListChange[],
  published: { providers: Catalog['providers']; items: readonly InfoItem[] },
  references: readonly Reference[],
): ListProblem[] {
  const mine = { items: [] as unknown[], matters: [] as unknown[], applications: [] as unknown[] };
  const where: Array<{ section: ListSection; key: string; name: string }> = [];
  const at = { items: new Map<number, ListChange>(), matters: new Map<number, ListChange>(), applications: new Map<number, ListChange>() };
  for (const c of changes) {
    if (c.entry === undefined) continue;
    at[c.section].set(mine[c.section].length, c);
    mine[c.section].push(c.entry);
    where.push({ section: c.section, key: c.key, name: nameOf(c.entry, c.key) });
  }
  const draftItemCodes = new Set(changes.filter((c) => c.section === 'items').map((c) => c.key));
  const doc = {
    version: 'draft',
    providers: published.providers,
    items: [...mine.items, ...published.items.filter((i) => !draftItemCodes.has(i.code))],
    matters: mine.matters,
    applications: mine.applications,
  };
  const problems: ListProblem[] = [];
  const parsed = parseCatalog(doc);
  if (!parsed.ok) {
    for (const p of parsed.problems) {
      const m = /^(items|matters|applications)\[(\d+)\](.*)$/.exec(p.path);
      if (!m) continue;
      const change = at[m[1] as ListSection].get(Number(m[2]));
      if (!change) continue; // a published entry of another list
      problems.push({ ...p, section: change.section, key: change.key, where: whereOf(change, m[3] ?? '') });
    }
  }
  for (const r of references) {
    problems.push({
      path: `${r.section}.${r.key}`,
      code: 'ITEM_STILL_REFERENCED',
      message: `${REF_ZH[r.section]}「${r.name}」（${r.owner ?? r.key}）仍使用该信息事项，删除前须先由其单位调整`,
      section: 'items',
      key: r.item,
      where: `${SECTION_NAME_ZH.items} ${r.item}`,
    });
  }
  return problems;
}

const REF_ZH: Record<Reference['section'], string> = {
  applications: '应用清单',
  matters: '应用事项',
  ruleSets: '信用状况核查规则',
  behaviours: '联合奖惩行为',
};

/** 信息事项「行政处罚信息」字段「罚款金额（万元）」 from a problem's path inside one entry. */
function whereOf(change: ListChange, rest: string): string {
  const entry = change.entry as { fields?: Array<{ label?: unknown }> } | undefined;
  let out = `${SECTION_NAME_ZH[change.section]}「${nameOf(entry, change.key)}」`;
  const field = /^\.fields\[(\d+)\]/.exec(rest);
  const label = field ? entry?.fields?.[Number(field[1])]?.label : undefined;
  if (typeof label === 'string') out += `字段「${label}」`;
  return out;
}

/** The entries of the small sections that name one of `removedItems`, except entries the draft itself changes. */
export function referencesTo(
  removedItems: ReadonlySet<string>,
  small: Pick<Catalog, 'applications' | 'matters' | 'ruleSets' | 'behaviours'>,
  changedKeys: ReadonlySet<string>,
): Reference[] {
  const out: Reference[] = [];
  if (removedItems.size === 0) return out;
  const scan = (section: Reference['section'], entries: readonly unknown[] | undefined, itemsOf: (e: never) => readonly string[]) => {
    for (const e of entries ?? []) {
      const key = entryKey(section, e);
      if (changedKeys.has(`${section}\u0000${key}`)) continue;
      for (const item of itemsOf(e as never)) {
        if (removedItems.has(item)) out.push({ section, key, name: nameOf(e, key), owner: entryOwner(section, e), item });
      }
    }
  };
  scan('applications', small.applications, (a: { items: string[] }) => a.items);
  scan('matters', small.matters, (m: { items: string[] }) => m.items);
  scan('ruleSets', small.ruleSets, (r: { failIfAnyOf: string[] }) => r.failIfAnyOf);
  scan('behaviours', small.behaviours, (b: { trigger: { items: string[] } }) => b.trigger.items);
  return out;
}

// ---------------------------------------------------------------------------------------------
// The comment period

/** Problems of a comment period [start, end) as asked (ISO instants). */
export function commentPeriodProblems(start: string, end: string, now: Date): string[] {
  const s = Date.parse(start);
  const e = Date.parse(end);
  const out: string[] = [];
  if (Number.isNaN(s) || Number.isNaN(e)) return ['start and end must be ISO 8601 date-times'];
  if (e <= s) out.push('end must be after start');
  if (e <= now.getTime()) out.push('end must be in the future');
  return out;
}

/** Whether a list in review may be approved at `now`: not while its comment period runs. */
export function approvableAt(meta: { status: ListStatus; commentEnd?: string }, now: Date): boolean {
  if (meta.status === 'SUBMITTED') return true;
  if (meta.status === 'COMMENT') return meta.commentEnd !== undefined && Date.parse(meta.commentEnd) <= now.getTime();
  return false;
}
