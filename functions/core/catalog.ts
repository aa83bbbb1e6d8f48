/**
 * The catalog document (公共信用信息目录, contract.md §2): schema, cross-reference checks and a
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
export const RECORD_CLASSES = [
  'REGISTRATION',
  'QUALIFICATION',
  'SUPERVISION',
  'JUDGMENT',
  'ENFORCEMENT',
  'CONTRACT',
  'MANAGEMENT',
  'PUBLIC_WELFARE',
] as const;
export const POLARITIES = ['POSITIVE', 'NEUTRAL', 'NEGATIVE'] as const;
export const SEVERITIES = ['MINOR', 'GENERAL', 'SERIOUS'] as const;
export const DISCLOSURES = ['PUBLIC', 'GOV_SHARE', 'AUTHORIZED_QUERY'] as const; // 社会公开/政务共享/授权查询
export const PUBLICITY_TYPES = ['PENALTY', 'LICENSING'] as const; // 双公示
export const FIELD_TYPES = [
  'string',
  'text',
  'date',
  'integer',
  'decimal',
  'enum',
  'set',
  'uscc',
  'orgCode',
  'idNumber',
  'regNo',
] as const;
export const PURPOSES = [
  'ADMIN_APPROVAL',
  'PENALTY',
  'INSPECTION',
  'GOV_PROCUREMENT',
  'BIDDING',
  'HONOURS',
  'FUNDING',
  'HR_PROMOTION',
  'RESIDENCE',
] as const;

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

// 信用状况良好 eligibility rule set: a subject fails if it has a served record of any listed item.
const ruleSetSchema = z.strictObject({
  code,
  name: text,
  subjectType: z.enum(SUBJECT_TYPES),
  failIfAnyOf: z.array(code).min(1, 'a rule set names at least one item'),
  lookbackYears: z.int().positive().max(100).optional(),
});

export const catalogSchema = z.strictObject({
  version: text,
  providers: z.array(providerSchema),
  items: z.array(itemSchema),
  applications: z.array(applicationSchema).optional(),
  ruleSets: z.array(ruleSetSchema).optional(),
});

export type Catalog = z.infer<typeof catalogSchema>;
export type Provider = z.infer<typeof providerSchema>;
export type InfoItem = z.infer<typeof itemSchema>;
export type FieldDef = z.infer<typeof fieldSchema>;
export type Application = z.infer<typeof applicationSchema>;
export type RuleSet = z.infer<typeof ruleSetSchema>;

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

export interface CatalogIndex {
  item(code: string): InfoItem | undefined;
  provider(code: string): Provider | undefined;
}

export function indexCatalog(c: Catalog): CatalogIndex {
  const items = new Map(c.items.map((i) => [i.code, i]));
  const providers = new Map(c.providers.map((p) => [p.code, p]));
  return { item: (code) => items.get(code), provider: (code) => providers.get(code) };
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
 * required fields" (contract.md §3): an item may declare these — and only these — as fields.
 */
export const REDECLARABLE_COLUMNS: Readonly<Record<string, readonly FieldType[]>> = {
  legalRepName: ['string'],
  legalRepIdType: ['string'],
  legalRepIdNo: ['string', 'idNumber'],
};

function crossCheck(doc: unknown, problems: CatalogProblem[]): void {
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
    if (item.severity !== undefined && item.polarity !== 'NEGATIVE') {
      report(`${at}.severity`, 'SEVERITY_NOT_ALLOWED', 'severity is only for NEGATIVE items');
    }
    checkItemFields(item, at, report);
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
