/**
 * Behaviour triggers (联合奖惩, catalog `behaviours[].trigger`): whether a record meets a behaviour,
 * and which credit lists a newly stored record puts its subject on by rule. Shared by ingest
 * (entry by rule as records arrive) and the joint context (checks, files, lists).
 */
import type { Behaviour, Catalog, CreditList, TriggerCondition } from './catalog.ts';

function conditionHolds(cond: TriggerCondition, value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  const values = Array.isArray(value) ? value.map(String) : [String(value)];
  if (cond.in !== undefined && !values.some((v) => cond.in!.includes(v))) return false;
  if (cond.eq !== undefined && !values.includes(String(cond.eq))) return false;
  if (cond.gte !== undefined && !(compare(value, cond.gte) >= 0)) return false;
  if (cond.lte !== undefined && !(compare(value, cond.lte) <= 0)) return false;
  return true;
}

/** Numbers compare as numbers, dates (YYYY-MM-DD) as text; anything else never compares. */
function compare(value: unknown, bound: string | number): number {
  if (typeof bound === 'number' || typeof value === 'number') {
    const a = Number(value);
    const b = Number(bound);
    return Number.isFinite(a) && Number.isFinite(b) ? a - b : Number.NaN;
  }
  return String(value).localeCompare(String(bound));
}

export function meetsTrigger(record: { item: string; fields: Record<string, unknown> }, behaviour: Behaviour): boolean {
  if (!behaviour.trigger.items.includes(record.item)) return false;
  return (behaviour.trigger.where ?? []).every((c) => conditionHolds(c, record.fields[c.field]));
}

/**
 * The rule-entered lists a record of `item` with `fields` puts its subject on, with the behaviours
 * that do it. Only the subject's own records count (not Art 28 copies under a representative).
 */
export function listsEnteredBy(
  catalog: Pick<Catalog, 'behaviours' | 'creditLists'>,
  record: { item: string; fields: Record<string, unknown> },
): Array<{ list: CreditList; behaviours: string[] }> {
  const out: Array<{ list: CreditList; behaviours: string[] }> = [];
  for (const list of catalog.creditLists ?? []) {
    const codes = list.entry.behaviours ?? [];
    const met = (catalog.behaviours ?? []).filter((b) => codes.includes(b.code) && meetsTrigger(record, b)).map((b) => b.code);
    if (met.length > 0) out.push({ list, behaviours: met });
  }
  return out;
}

/** Items whose records may enter a list by rule: a cheap first filter for every written record. */
export function ruleEntryItems(catalog: Pick<Catalog, 'behaviours' | 'creditLists'>): Set<string> {
  const codes = new Set((catalog.creditLists ?? []).flatMap((l) => l.entry.behaviours ?? []));
  return new Set((catalog.behaviours ?? []).filter((b) => codes.has(b.code)).flatMap((b) => b.trigger.items));
}
