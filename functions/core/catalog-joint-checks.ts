/**
 * The cross-reference checks of the catalog's joint reward and punishment sections (联合奖惩:
 * behaviours, measures, credit lists) against its items and units; part of parseCatalog's checks
 * (catalog-checks.ts), written defensively like them.
 */
import { isObject, objects, str, type Loose } from './catalog-loose.ts';

/** The item facts the joint sections are checked against. */
interface ItemFacts {
  subjectType: unknown;
  repairable: boolean;
  fields: Map<string, unknown>;
}

const ORDERED_TYPES = new Set(['date', 'integer', 'decimal']);
const CHOICE_OR_TEXT = new Set(['string', 'enum', 'set', 'regNo', 'orgCode', 'uscc']);

export function crossCheckJoint(doc: Loose, units: Set<string>, report: (path: string, code: string, message: string) => void): void {
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
