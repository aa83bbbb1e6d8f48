/**
 * The catalog document (公共信用信息目录, the body of PUT /v1/catalog in docs/api.md): schema, cross-reference checks and a
 * lookup index. A document is refused whole, so parseCatalog reports every problem at once —
 * schema problems and cross-reference problems side by side, each with its JSON path.
 */
import { z } from 'zod';
import { validateUscc } from './identifiers.ts';
import { ISSUED_INVALID_USCC } from './issued-invalid-codes.ts';
import { SUBJECT_COLUMNS, SUBJECT_KEY_COLUMNS, isSubjectColumnKey, subjectColumnByLabel } from './subject-columns.ts';
import { normalizeCell, truncate } from './text.ts';

export const PROVIDER_KINDS = [
  'MUNICIPAL_AGENCY',
  'DISTRICT_GOVERNMENT',
  'CENTRAL_UNIT',
  'PEOPLES_ORGANIZATION',
  'JUDICIAL',
  'PUBLIC_UTILITY',
  'SOCIAL_ORGANIZATION',
] as const;
export const SUBJECT_TYPES = ['LEGAL', 'NATURAL'] as const;
// 登记/资质/监管/判决/执行/履约/管理/公益
export const RECORD_CLASSES = ['REGISTRATION', 'QUALIFICATION', 'SUPERVISION', 'JUDGMENT', 'ENFORCEMENT', 'CONTRACT', 'MANAGEMENT', 'PUBLIC_WELFARE'] as const;
export const POLARITIES = ['POSITIVE', 'NEUTRAL', 'NEGATIVE'] as const;
export const SEVERITIES = ['MINOR', 'GENERAL', 'SERIOUS'] as const;
export const DISCLOSURES = ['PUBLIC', 'GOV_SHARE', 'AUTHORIZED_QUERY'] as const; // 社会公开/政务共享/授权查询
export const PUBLICITY_TYPES = ['PENALTY', 'LICENSING'] as const; // 双公示
export const FIELD_TYPES = ['string', 'text', 'date', 'integer', 'decimal', 'enum', 'set', 'uscc', 'orgCode', 'idNumber', 'regNo'] as const;
export const PURPOSES = ['ADMIN_APPROVAL', 'PENALTY', 'INSPECTION', 'GOV_PROCUREMENT', 'BIDDING', 'HONOURS', 'FUNDING', 'HR_PROMOTION', 'RESIDENCE'] as const;

export type ProviderKind = (typeof PROVIDER_KINDS)[number];
export type SubjectType = (typeof SUBJECT_TYPES)[number];
export type RecordClass = (typeof RECORD_CLASSES)[number];
export type Polarity = (typeof POLARITIES)[number];
export type Severity = (typeof SEVERITIES)[number];
export type Disclosure = (typeof DISCLOSURES)[number];
export type Publicity = (typeof PUBLICITY_TYPES)[number];
export type FieldType = (typeof FIELD_TYPES)[number];
export type Purpose = (typeof PURPOSES)[number];

/** Set values are written `a;b`, `a；b` or `a、b` in a cell, so a value may not contain those. */
export const SET_SEPARATORS = /[;；、]/;

// Codes end up in S3 keys and DynamoDB sort keys (`REC#{provider}#{item}#…`): no '/', '#' or spaces.
const CODE = /^[A-Z0-9][A-Z0-9_-]{0,63}$/;
const FIELD_KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

const code = z.string().regex(CODE, 'must be upper-case letters, digits, "-" or "_" (at most 64)');
const text = z.string().trim().min(1, 'must not be empty');

const fieldSchema = z.strictObject({
  key: z.string().regex(FIELD_KEY, 'must be a camelCase identifier (letters, digits, "_")'),
  label: text,
  type: z.enum(FIELD_TYPES),
  required: z.boolean().optional(),
  values: z.array(text).optional(),
  maxLength: z.int().positive().max(100_000).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
});

const providerSchema = z.strictObject({
  code,
  name: text,
  uscc: z.string(),
  kind: z.enum(PROVIDER_KINDS),
});

const itemSchema = z.strictObject({
  code,
  name: text,
  description: z.string().optional(),
  provider: code,
  subjectType: z.enum(SUBJECT_TYPES),
  recordClass: z.enum(RECORD_CLASSES),
  polarity: z.enum(POLARITIES),
  severity: z.enum(SEVERITIES).optional(),
  disclosure: z.enum(DISCLOSURES),
  publicity: z.enum(PUBLICITY_TYPES).nullable().optional(),
  queryYears: z.int().positive().max(100).optional(),
  queryPeriodFrom: z.string().optional(),
  keyField: z.string().min(1),
  /** Whether credit repair (信用修复) may hide the record; absent means true — see isRepairable. */
  repairable: z.boolean().optional(),
  legalBasis: z.array(text).optional(),
  fields: z.array(fieldSchema).min(1, 'an item needs at least one field'),
});

const applicationSchema = z.strictObject({
  unit: code,
  purpose: z.enum(PURPOSES),
  items: z.array(code).min(1, 'an application names at least one item'),
});

/**
 * 应用事项 (application matters, issue 16 part 4): a named matter of a government unit in which it
 * uses public credit information — its legal basis, the subject type it concerns, the purpose it is
 * queried under and the items it uses. Fulfilment (落实率) is counted per matter, unit and level.
 */
const matterSchema = z.strictObject({
  code,
  name: text,
  unit: code,
  subjectType: z.enum(SUBJECT_TYPES),
  purpose: z.enum(PURPOSES),
  legalBasis: z.array(text).min(1, 'a matter names its legal basis'),
  items: z.array(code).min(1, 'a matter names at least one item'),
});

// 信用状况良好 eligibility rule set: a subject fails if it has a served record of any listed item.
const ruleSetSchema = z.strictObject({
  code,
  name: text,
  subjectType: z.enum(SUBJECT_TYPES),
  failIfAnyOf: z.array(code).min(1, 'a rule set names at least one item'),
  lookbackYears: z.int().positive().max(100).optional(),
});

// 联合奖惩 (SH-REG-2017 Arts 19–28): the behaviour list, the measures list and the credit lists.
export const BEHAVIOUR_KINDS = ['PUNISHMENT', 'INCENTIVE'] as const;
export const BEHAVIOUR_TIERS = ['NATIONAL', 'MUNICIPAL'] as const;
export const BEHAVIOUR_GRADES = ['SERIOUS', 'GENERAL', 'GOOD'] as const;
export const MEASURE_SIDES = ['INITIATING', 'IMPLEMENTING'] as const;
export const MEASURE_BINDINGS = ['MANDATORY', 'RECOMMENDED'] as const;
export const CREDIT_LIST_KINDS = ['SERIOUS_DISHONESTY', 'RED'] as const;
/** The matters a measure applies in are the query purposes (Art 23). */
export const MATTERS = PURPOSES;

const scalar = z.union([z.string(), z.number()]);
const conditionSchema = z.strictObject({
  field: z.string().min(1),
  in: z.array(z.string()).min(1).optional(),
  eq: scalar.optional(),
  gte: scalar.optional(),
  lte: scalar.optional(),
});

const behaviourSchema = z.strictObject({
  code,
  name: text,
  kind: z.enum(BEHAVIOUR_KINDS),
  tier: z.enum(BEHAVIOUR_TIERS),
  grade: z.enum(BEHAVIOUR_GRADES),
  /** The department that finds the behaviour (a provider or a unit). */
  unit: code,
  basis: text,
  /** Art 26 (特别惩戒): SERIOUS punishment behaviours whose records are never repairable. */
  special: z.boolean().optional(),
  trigger: z.strictObject({
    items: z.array(code).min(1, 'a trigger names at least one item'),
    where: z.array(conditionSchema).optional(),
  }),
});

const measureSchema = z.strictObject({
  code,
  name: text,
  /** The behaviours the measure follows; and/or the credit lists whose LISTED members it binds. */
  behaviours: z.array(code).optional(),
  lists: z.array(code).optional(),
  side: z.enum(MEASURE_SIDES),
  units: z.array(code).min(1, 'a measure names the units that apply it'),
  binding: z.enum(MEASURE_BINDINGS),
  matters: z.array(z.enum(PURPOSES)).min(1, 'a measure applies in at least one matter'),
  basis: text,
  /** Years the measure lasts after the behaviour's record date; absent while the behaviour lasts. */
  years: z.int().positive().max(100).optional(),
  /** Art 27 special measures, only for Art 26 behaviours. */
  special: z.boolean().optional(),
  /** Whether applying units report back (反馈); absent means true. */
  feedback: z.boolean().optional(),
});

const creditListSchema = z.strictObject({
  code,
  name: text,
  kind: z.enum(CREDIT_LIST_KINDS),
  unit: code,
  public: z.boolean(),
  criteria: text,
  remedy: text,
  exit: text,
  entry: z.strictObject({
    /** Entered by rule: a subject showing any of these behaviours. */
    behaviours: z.array(code).optional(),
    /** Entered by the unit's decision, with its basis. */
    byDecision: z.boolean().optional(),
  }),
  noticeWorkingDays: z.int().min(0).max(60),
  years: z.int().positive().max(100),
});

export const catalogSchema = z.strictObject({
  version: text,
  providers: z.array(providerSchema),
  items: z.array(itemSchema),
  applications: z.array(applicationSchema).optional(),
  ruleSets: z.array(ruleSetSchema).optional(),
  matters: z.array(matterSchema).optional(),
  behaviours: z.array(behaviourSchema).optional(),
  measures: z.array(measureSchema).optional(),
  creditLists: z.array(creditListSchema).optional(),
});

export type Catalog = z.infer<typeof catalogSchema>;
export type Provider = z.infer<typeof providerSchema>;
export type InfoItem = z.infer<typeof itemSchema>;
export type FieldDef = z.infer<typeof fieldSchema>;
export type Application = z.infer<typeof applicationSchema>;
export type RuleSet = z.infer<typeof ruleSetSchema>;
export type ApplicationMatter = z.infer<typeof matterSchema>;
export type Behaviour = z.infer<typeof behaviourSchema>;
export type TriggerCondition = z.infer<typeof conditionSchema>;
export type Measure = z.infer<typeof measureSchema>;
export type CreditList = z.infer<typeof creditListSchema>;
export type Matter = Purpose;

export interface CatalogProblem {
  /** JSON path, e.g. "items[3].fields[2].values". */
  path: string;
  /** UPPER_SNAKE, e.g. UNKNOWN_PROVIDER, DUPLICATE_CODE, KEY_FIELD_NOT_FOUND. */
  code: string;
  message: string;
}

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

// ---------------------------------------------------------------------------------------------
// Problem reporting

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out;
}

function valueAt(doc: unknown, path: readonly PropertyKey[]): unknown {
  let v = doc;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

function schemaProblems(issue: z.core.$ZodIssue, doc: unknown): CatalogProblem[] {
  const path = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((k) => ({
      path: formatPath([...issue.path, k]),
      code: 'UNKNOWN_PROPERTY',
      message: `unknown property "${k}"`,
    }));
  }
  const value = valueAt(doc, issue.path);
  if (value === undefined && issue.path.length > 0) return [{ path, code: 'MISSING', message: 'is required' }];
  const got = value === null || ['string', 'number', 'boolean'].includes(typeof value) ? ` (got ${truncate(JSON.stringify(value))})` : '';
  return [{ path, code: 'INVALID', message: issue.message + got }];
}

// ---------------------------------------------------------------------------------------------
// Cross-reference checks, written defensively: the document may not have passed the schema.

type Loose = Record<string, unknown>;

function isObject(v: unknown): v is Loose {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function objects(v: unknown): Array<[number, Loose]> {
  if (!Array.isArray(v)) return [];
  const out: Array<[number, Loose]> = [];
  v.forEach((x, i) => {
    if (isObject(x)) out.push([i, x]);
  });
  return out;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

const NUMERIC_TYPES = new Set(['integer', 'decimal']);
const CHOICE_TYPES = new Set(['enum', 'set']);
const LENGTH_TYPES = new Set(['string', 'text']);
const SUBJECT_KEYS = new Set(SUBJECT_COLUMNS.map((c) => c.key as string));

/**
 * The legal representative's columns are optional subject columns "unless the item lists them as
 * required fields" (docs/api.md, Upload files): an item may declare these — and only these — as fields.
 */
export const REDECLARABLE_COLUMNS: Readonly<Record<string, readonly FieldType[]>> = {
  legalRepName: ['string'],
  legalRepIdType: ['string'],
  legalRepIdNo: ['string', 'idNumber'],
};

/** `itemsChecked`: the per-item checks (fields, severity) already ran, item by item (StreamedCatalogCheck). */
function crossCheck(doc: unknown, problems: CatalogProblem[], itemsChecked = false): void {
  if (!isObject(doc)) return;
  const report = (path: string, code: string, message: string) => problems.push({ path, code, message });

  // providers
  const providerCodes = new Set<string>();
  for (const [i, p] of objects(doc.providers)) {
    const c = str(p.code);
    if (c !== undefined) {
      if (providerCodes.has(c)) report(`providers[${i}].code`, 'DUPLICATE_CODE', `provider code "${c}" is used more than once`);
      providerCodes.add(c);
    }
    const uscc = str(p.uscc);
    if (uscc !== undefined) {
      const check = validateUscc(uscc, ISSUED_INVALID_USCC);
      if (!check.ok) report(`providers[${i}].uscc`, 'INVALID_USCC', `USCC "${uscc}": ${check.errors.map((e) => e.message).join('; ')}`);
    }
  }

  // items
  const itemSubjectTypes = new Map<string, unknown>();
  for (const [i, item] of objects(doc.items)) {
    const at = `items[${i}]`;
    const c = str(item.code);
    if (c !== undefined) {
      if (itemSubjectTypes.has(c)) report(`${at}.code`, 'DUPLICATE_CODE', `item code "${c}" is used more than once`);
      itemSubjectTypes.set(c, item.subjectType);
    }
    const provider = str(item.provider);
    if (provider !== undefined && !providerCodes.has(provider)) {
      report(`${at}.provider`, 'UNKNOWN_PROVIDER', `provider "${provider}" is not in providers`);
    }
    if (!itemsChecked) checkItemOwn(item, at, report);
  }

  // applications
  const applicationPairs = new Set<string>();
  for (const [i, app] of objects(doc.applications)) {
    const pair = `${String(app.unit)}\u0000${String(app.purpose)}`;
    if (applicationPairs.has(pair)) {
      report(`applications[${i}]`, 'DUPLICATE_APPLICATION', `unit "${String(app.unit)}" declares purpose ${String(app.purpose)} more than once`);
    }
    applicationPairs.add(pair);
    checkItemRefs(app.items, `applications[${i}].items`, itemSubjectTypes, undefined, report);
  }

  // rule sets
  const ruleSetCodes = new Set<string>();
  for (const [i, rs] of objects(doc.ruleSets)) {
    const c = str(rs.code);
    if (c !== undefined) {
      if (ruleSetCodes.has(c)) report(`ruleSets[${i}].code`, 'DUPLICATE_CODE', `rule set code "${c}" is used more than once`);
      ruleSetCodes.add(c);
    }
    checkItemRefs(rs.failIfAnyOf, `ruleSets[${i}].failIfAnyOf`, itemSubjectTypes, rs.subjectType, report);
  }

  // application matters
  const matterCodes = new Set<string>();
  for (const [i, m] of objects(doc.matters)) {
    const c = str(m.code);
    if (c !== undefined) {
      if (matterCodes.has(c)) report(`matters[${i}].code`, 'DUPLICATE_CODE', `matter code "${c}" is used more than once`);
      matterCodes.add(c);
    }
    checkItemRefs(m.items, `matters[${i}].items`, itemSubjectTypes, m.subjectType, report);
  }

  const units = new Set([
    ...providerCodes,
    ...[...objects(doc.applications), ...objects(doc.matters)].map(([, a]) => str(a.unit)).filter((u) => u !== undefined),
  ]);
  crossCheckJoint(doc, units, report);
}

/** The item facts the joint sections are checked against. */
interface ItemFacts {
  subjectType: unknown;
  repairable: boolean;
  fields: Map<string, unknown>;
}

const ORDERED_TYPES = new Set(['date', 'integer', 'decimal']);
const CHOICE_OR_TEXT = new Set(['string', 'enum', 'set', 'regNo', 'orgCode', 'uscc']);

function crossCheckJoint(doc: Loose, units: Set<string>, report: (path: string, code: string, message: string) => void): void {
  const items = new Map<string, ItemFacts>();
  for (const [, item] of objects(doc.items)) {
    const c = str(item.code);
    if (c === undefined) continue;
    const fields = new Map<string, unknown>();
    for (const [, f] of objects(item.fields)) if (str(f.key) !== undefined) fields.set(f.key as string, f.type);
    items.set(c, { subjectType: item.subjectType, repairable: item.repairable !== false, fields });
  }
  const unitRef = (u: unknown, at: string) => {
    if (typeof u === 'string' && !units.has(u)) report(at, 'UNKNOWN_UNIT', `unit "${u}" is neither a provider nor a unit with applications`);
  };
  const uniqueCode = (seen: Set<string>, c: unknown, at: string, what: string) => {
    if (typeof c !== 'string') return;
    if (seen.has(c)) report(at, 'DUPLICATE_CODE', `${what} code "${c}" is used more than once`);
    seen.add(c);
  };

  // behaviours
  const behaviours = new Map<string, Loose>();
  for (const [i, b] of objects(doc.behaviours)) {
    const at = `behaviours[${i}]`;
    uniqueCode(new Set(behaviours.keys()), b.code, `${at}.code`, 'behaviour');
    if (typeof b.code === 'string' && !behaviours.has(b.code)) behaviours.set(b.code, b); // the first of duplicates counts
    unitRef(b.unit, `${at}.unit`);
    const gradeFits = b.kind === 'INCENTIVE' ? b.grade === 'GOOD' : b.grade === 'SERIOUS' || b.grade === 'GENERAL';
    if (typeof b.kind === 'string' && typeof b.grade === 'string' && !gradeFits) {
      report(`${at}.grade`, 'GRADE_KIND_MISMATCH', `a ${b.kind} behaviour cannot be graded ${b.grade} (incentives are GOOD, punishments SERIOUS or GENERAL)`);
    }
    if (b.special === true && (b.kind !== 'PUNISHMENT' || b.grade !== 'SERIOUS')) {
      report(`${at}.special`, 'SPECIAL_NOT_SERIOUS', 'only SERIOUS punishment behaviours are Art 26 special behaviours');
    }
    const trigger = isObject(b.trigger) ? b.trigger : {};
    const triggerItems = Array.isArray(trigger.items) ? trigger.items.filter((x): x is string => typeof x === 'string') : [];
    const subjectTypes = new Set<unknown>();
    triggerItems.forEach((ref, j) => {
      const item = items.get(ref);
      if (!item) return report(`${at}.trigger.items[${j}]`, 'UNKNOWN_ITEM', `item "${ref}" is not in items`);
      subjectTypes.add(item.subjectType);
      if (b.special === true && item.repairable) {
        report(`${at}.trigger.items[${j}]`, 'SPECIAL_ITEM_REPAIRABLE', `Art 26 behaviours are never repaired: item "${ref}" must be repairable: false`);
      }
    });
    if (subjectTypes.size > 1) report(`${at}.trigger.items`, 'SUBJECT_TYPE_MISMATCH', 'the trigger items must all be about the same subject type');
    for (const [j, cond] of objects(trigger.where)) {
      const cat = `${at}.trigger.where[${j}]`;
      const field = str(cond.field);
      const ops = ['in', 'eq', 'gte', 'lte'].filter((op) => cond[op] !== undefined);
      if (ops.length === 0) report(cat, 'CONDITION_EMPTY', 'a condition needs one of in, eq, gte, lte');
      if (field === undefined) continue;
      for (const ref of triggerItems) {
        const item = items.get(ref);
        if (!item) continue;
        if (!item.fields.has(field)) {
          report(`${cat}.field`, 'UNKNOWN_FIELD', `"${field}" is not a field of item "${ref}"`);
          continue;
        }
        const type = String(item.fields.get(field));
        if ((cond.gte !== undefined || cond.lte !== undefined) && !ORDERED_TYPES.has(type)) {
          report(`${cat}.field`, 'CONDITION_TYPE_MISMATCH', `gte/lte compare dates and numbers; "${field}" of "${ref}" is ${type}`);
        }
        if (cond.in !== undefined && !CHOICE_OR_TEXT.has(type)) {
          report(`${cat}.field`, 'CONDITION_TYPE_MISMATCH', `in compares text values; "${field}" of "${ref}" is ${type}`);
        }
      }
    }
  }
  const behaviourRefs = (refs: unknown, at: string, check?: (b: Loose, path: string) => void) => {
    if (!Array.isArray(refs)) return;
    refs.forEach((ref, j) => {
      if (typeof ref !== 'string') return;
      const b = behaviours.get(ref);
      if (!b) report(`${at}[${j}]`, 'UNKNOWN_BEHAVIOUR', `behaviour "${ref}" is not in behaviours`);
      else check?.(b, `${at}[${j}]`);
    });
  };

  // credit lists (before measures, which may bind list members)
  const lists = new Map<string, Loose>();
  for (const [i, l] of objects(doc.creditLists)) {
    const at = `creditLists[${i}]`;
    uniqueCode(new Set(lists.keys()), l.code, `${at}.code`, 'credit list');
    if (typeof l.code === 'string' && !lists.has(l.code)) lists.set(l.code, l);
    unitRef(l.unit, `${at}.unit`);
    const entry = isObject(l.entry) ? l.entry : {};
    const byRule = Array.isArray(entry.behaviours) && entry.behaviours.length > 0;
    if (!byRule && entry.byDecision !== true) {
      report(`${at}.entry`, 'LIST_ENTRY_UNDEFINED', 'a list is entered by rule (entry.behaviours) or by decision (entry.byDecision: true)');
    }
    behaviourRefs(entry.behaviours, `${at}.entry.behaviours`, (b, path) => {
      if (l.kind === 'SERIOUS_DISHONESTY' && b.grade !== 'SERIOUS') {
        report(path, 'LIST_KIND_MISMATCH', `a serious-dishonesty list is entered by SERIOUS behaviours; "${String(b.code)}" is ${String(b.grade)}`);
      }
      if (l.kind === 'RED' && b.kind !== 'INCENTIVE') {
        report(path, 'LIST_KIND_MISMATCH', `a red list is entered by INCENTIVE behaviours; "${String(b.code)}" is ${String(b.kind)}`);
      }
    });
  }

  // measures
  const measureCodes = new Set<string>();
  for (const [i, m] of objects(doc.measures)) {
    const at = `measures[${i}]`;
    uniqueCode(measureCodes, m.code, `${at}.code`, 'measure');
    const named = [m.behaviours, m.lists].some((refs) => Array.isArray(refs) && refs.length > 0);
    if (!named) report(at, 'MEASURE_TARGET_MISSING', 'a measure follows at least one behaviour or credit list');
    const kinds = new Set<unknown>();
    const behaviourUnits = new Set<unknown>();
    behaviourRefs(m.behaviours, `${at}.behaviours`, (b, path) => {
      kinds.add(b.kind);
      behaviourUnits.add(b.unit);
      if (m.special === true && b.special !== true) {
        report(path, 'SPECIAL_MEASURE_MISMATCH', `Art 27 special measures follow Art 26 special behaviours; "${String(b.code)}" is not special`);
      }
    });
    if (Array.isArray(m.lists)) {
      m.lists.forEach((ref, j) => {
        if (typeof ref !== 'string') return;
        const l = lists.get(ref);
        if (!l) return report(`${at}.lists[${j}]`, 'UNKNOWN_LIST', `credit list "${ref}" is not in creditLists`);
        kinds.add(l.kind === 'RED' ? 'INCENTIVE' : 'PUNISHMENT');
        behaviourUnits.add(l.unit);
      });
    }
    if (kinds.size > 1) report(at, 'MIXED_MEASURE_KINDS', 'a measure either rewards or punishes: its behaviours and lists must be of one kind');
    if (Array.isArray(m.units)) {
      m.units.forEach((u, j) => {
        unitRef(u, `${at}.units[${j}]`);
        // the initiating department is the one that found the behaviour (or keeps the list)
        if (m.side === 'INITIATING' && typeof u === 'string' && units.has(u) && behaviourUnits.size > 0 && !behaviourUnits.has(u)) {
          report(`${at}.units[${j}]`, 'INITIATING_UNIT_MISMATCH', `an INITIATING measure is applied by the unit that found the behaviour; "${u}" is not it`);
        }
      });
    }
  }
}

/** The checks that need only the item itself. */
function checkItemOwn(item: Loose, at: string, report: (path: string, code: string, message: string) => void): void {
  if (item.severity !== undefined && item.polarity !== 'NEGATIVE') {
    report(`${at}.severity`, 'SEVERITY_NOT_ALLOWED', 'severity is only for NEGATIVE items');
  }
  checkItemFields(item, at, report);
}

function checkItemRefs(
  refs: unknown,
  at: string,
  itemSubjectTypes: Map<string, unknown>,
  subjectType: unknown,
  report: (path: string, code: string, message: string) => void,
): void {
  if (!Array.isArray(refs)) return;
  const seen = new Set<string>();
  refs.forEach((ref, j) => {
    if (typeof ref !== 'string') return;
    if (seen.has(ref)) report(`${at}[${j}]`, 'DUPLICATE_ITEM', `item "${ref}" is listed twice`);
    seen.add(ref);
    if (!itemSubjectTypes.has(ref)) {
      report(`${at}[${j}]`, 'UNKNOWN_ITEM', `item "${ref}" is not in items`);
    } else if (subjectType !== undefined && itemSubjectTypes.get(ref) !== subjectType) {
      report(`${at}[${j}]`, 'SUBJECT_TYPE_MISMATCH', `item "${ref}" is not a ${String(subjectType)} item`);
    }
  });
}

function checkItemFields(item: Loose, at: string, report: (path: string, code: string, message: string) => void): void {
  const fieldTypes = new Map<string, unknown>();
  const labels = new Set<string>();
  for (const [j, f] of objects(item.fields)) {
    const fat = `${at}.fields[${j}]`;
    const key = str(f.key);
    const type = f.type;
    if (key !== undefined) {
      if (fieldTypes.has(key)) report(`${fat}.key`, 'DUPLICATE_FIELD', `field key "${key}" is used more than once`);
      if (SUBJECT_KEYS.has(key)) {
        const allowed = REDECLARABLE_COLUMNS[key];
        if (allowed === undefined || item.subjectType === 'NATURAL') {
          report(`${fat}.key`, 'RESERVED_FIELD_KEY', `"${key}" is a standard subject column; do not redefine it`);
        } else if (typeof type === 'string' && !(allowed as readonly string[]).includes(type)) {
          report(`${fat}.type`, 'INVALID_FIELD_TYPE', `subject column "${key}" can only be declared as ${allowed.join(' or ')}`);
        }
      }
      fieldTypes.set(key, type);
    }
    const label = str(f.label);
    if (label !== undefined) {
      // Headers are matched after normalisation, so labels must be distinct in that form.
      const norm = normalizeCell(label);
      if (labels.has(norm)) report(`${fat}.label`, 'DUPLICATE_LABEL', `label "${label}" is used more than once`);
      const column = subjectColumnByLabel(norm);
      if (column && column.key !== key) report(`${fat}.label`, 'RESERVED_FIELD_LABEL', `"${label}" is the label of a standard subject column`);
      labels.add(norm);
    }
    const typeName = typeof type === 'string' ? type : '';
    if (CHOICE_TYPES.has(typeName)) {
      if (!Array.isArray(f.values) || f.values.length === 0) {
        report(`${fat}.values`, 'ENUM_VALUES_MISSING', `a ${typeName} field needs a non-empty values list`);
      } else {
        const seen = new Set<string>();
        f.values.forEach((v, k) => {
          if (typeof v !== 'string') return;
          const norm = normalizeCell(v);
          if (seen.has(norm)) report(`${fat}.values[${k}]`, 'DUPLICATE_VALUE', `value "${v}" is listed twice`);
          seen.add(norm);
          if (typeName === 'set' && SET_SEPARATORS.test(v)) {
            report(`${fat}.values[${k}]`, 'INVALID_SET_VALUE', `set value "${v}" contains a separator (; ； 、)`);
          }
        });
      }
    } else if (f.values !== undefined) {
      report(`${fat}.values`, 'VALUES_NOT_ALLOWED', `values are only for enum and set fields, not ${typeName || 'this type'}`);
    }
    if ((f.min !== undefined || f.max !== undefined) && !NUMERIC_TYPES.has(typeName)) {
      report(`${fat}.${f.min !== undefined ? 'min' : 'max'}`, 'RANGE_NOT_ALLOWED', 'min and max are only for integer and decimal fields');
    }
    if (typeof f.min === 'number' && typeof f.max === 'number' && f.min > f.max) {
      report(`${fat}.min`, 'INVALID_RANGE', `min ${f.min} is greater than max ${f.max}`);
    }
    if (f.maxLength !== undefined && !LENGTH_TYPES.has(typeName)) {
      report(`${fat}.maxLength`, 'MAX_LENGTH_NOT_ALLOWED', 'maxLength is only for string and text fields');
    }
  }

  const keyField = str(item.keyField);
  if (keyField !== undefined) {
    if (isSubjectColumnKey(keyField)) {
      const allowed = SUBJECT_KEY_COLUMNS[item.subjectType as 'LEGAL' | 'NATURAL'] as readonly string[] | undefined;
      if (allowed && !allowed.includes(keyField)) {
        report(`${at}.keyField`, 'KEY_FIELD_NOT_FOUND', `subject column "${keyField}" cannot identify records of a ${String(item.subjectType)} item`);
      }
    } else if (!fieldTypes.has(keyField)) {
      report(`${at}.keyField`, 'KEY_FIELD_NOT_FOUND', `"${keyField}" is neither a field of this item nor a standard subject column`);
    } else if (fieldTypes.get(keyField) === 'set' || fieldTypes.get(keyField) === 'text') {
      report(`${at}.keyField`, 'INVALID_KEY_FIELD', `a ${String(fieldTypes.get(keyField))} field cannot be the key`);
    }
  }

  const from = str(item.queryPeriodFrom);
  if (from !== undefined) {
    if (!fieldTypes.has(from)) report(`${at}.queryPeriodFrom`, 'QUERY_PERIOD_FIELD_NOT_FOUND', `"${from}" is not a field of this item`);
    else if (fieldTypes.get(from) !== 'date') report(`${at}.queryPeriodFrom`, 'QUERY_PERIOD_FIELD_NOT_DATE', `"${from}" is not a date field`);
  }
  if (item.queryYears !== undefined && from === undefined) {
    report(`${at}.queryPeriodFrom`, 'QUERY_PERIOD_FIELD_MISSING', 'queryYears needs queryPeriodFrom (the date the period runs from)');
  }
  if (from !== undefined && item.queryYears === undefined) {
    report(`${at}.queryYears`, 'QUERY_YEARS_MISSING', 'queryPeriodFrom needs queryYears');
  }
}
