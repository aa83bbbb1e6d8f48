/**
 * The checks of a catalog document beyond its schema: problems with their JSON paths, the
 * cross-reference checks (providers, items, applications, rule sets, matters; the joint sections in
 * catalog-joint-checks.ts) and the checks of one item's own fields. Written defensively: the
 * document may not have passed the schema, and every problem is reported at once.
 */
import type { z } from 'zod';
import { validateUscc } from './identifiers.ts';
import { ISSUED_INVALID_USCC } from './issued-invalid-codes.ts';
import { SUBJECT_COLUMNS, SUBJECT_KEY_COLUMNS, isSubjectColumnKey, subjectColumnByLabel } from './subject-columns.ts';
import { normalizeCell, truncate } from './text.ts';
import { SET_SEPARATORS, type CatalogProblem, type FieldType } from './catalog-schema.ts';
import { crossCheckJoint } from './catalog-joint-checks.ts';
import { isObject, objects, str, type Loose } from './catalog-loose.ts';

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

export function schemaProblems(issue: z.core.$ZodIssue, doc: unknown): CatalogProblem[] {
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
export function crossCheck(doc: unknown, problems: CatalogProblem[], itemsChecked = false): void {
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

/** The checks that need only the item itself. */
export function checkItemOwn(item: Loose, at: string, report: (path: string, code: string, message: string) => void): void {
  if (item.severity !== undefined && item.polarity !== 'NEGATIVE') {
    report(`${at}.severity`, 'SEVERITY_NOT_ALLOWED', 'severity is only for NEGATIVE items');
  }
  checkItemFields(item, at, report);
}

export function checkItemRefs(
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
