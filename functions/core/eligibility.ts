/**
 * Eligibility rule sets (信用状况良好): a subject fails a rule set when its credit file holds a
 * servable record, visible to the caller, of any item the rule set lists, dated within the rule
 * set's look-back window. Pure: the caller supplies the records, the catalog items, the
 * visibility predicate and today's date.
 *
 * A record's date for the look-back is its event date: the item's `queryPeriodFrom` field (the
 * decision or behaviour date the query period also runs from), else a `decisionDate` field, else
 * the day the platform received the record (`receivedAt`).
 */
import type { InfoItem, RuleSet } from './catalog.ts';
import { isServable, type RecordLike } from './record-view.ts';
import { shanghaiDay } from './working-days.ts';

export interface EligibilityRecord extends RecordLike {
  receivedAt: string;
  disclosure: string;
}

export interface EligibilityReason {
  item: string;
  recordId: string;
  /** The record's event date the look-back was measured on. */
  date: string;
}

export interface EligibilityOutcome {
  eligible: boolean;
  reasons: EligibilityReason[];
}

export type Visibility = (record: { item: string; disclosure: 'PUBLIC' | 'GOV_SHARE' | 'AUTHORIZED_QUERY' }) => boolean;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The date a record's look-back is measured on (see the module comment). */
export function eventDate(record: Pick<EligibilityRecord, 'fields' | 'receivedAt'>, item: InfoItem | undefined): string {
  for (const key of [item?.queryPeriodFrom, 'decisionDate']) {
    const v = key ? record.fields[key] : undefined;
    if (typeof v === 'string' && ISO_DATE.test(v)) return v;
  }
  return shanghaiDay(record.receivedAt);
}

/** The first day inside a look-back of `years` ending today (29 Feb falls back to 28 Feb). */
export function lookbackStart(today: string, years: number): string {
  const year = Number(today.slice(0, 4)) - years;
  const md = today.slice(5, 10);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return `${String(year).padStart(4, '0')}-${md === '02-29' && !leap ? '02-28' : md}`;
}

/**
 * Evaluates one subject's records against a rule set. Records that are not servable (withdrawn,
 * past their query period) or not visible to the caller never count.
 */
export function evaluateEligibility(
  ruleSet: Pick<RuleSet, 'failIfAnyOf' | 'lookbackYears'>,
  records: readonly EligibilityRecord[],
  itemOf: (code: string) => InfoItem | undefined,
  today: string,
  visible: Visibility = () => true,
): EligibilityOutcome {
  const failing = new Set(ruleSet.failIfAnyOf);
  const from = ruleSet.lookbackYears ? lookbackStart(today, ruleSet.lookbackYears) : null;
  const reasons: EligibilityReason[] = [];
  for (const r of records) {
    if (!failing.has(r.item)) continue;
    const item = itemOf(r.item);
    if (!isServable(r, item, today)) continue;
    // the catalog's current disclosure level decides, as for a query; the stored one if the item left it
    if (!visible({ item: r.item, disclosure: (item?.disclosure ?? r.disclosure) as 'PUBLIC' | 'GOV_SHARE' | 'AUTHORIZED_QUERY' })) continue;
    const date = eventDate(r, item);
    if (from !== null && date < from) continue;
    reasons.push({ item: r.item, recordId: r.recordId, date });
  }
  reasons.sort((a, b) => b.date.localeCompare(a.date) || a.recordId.localeCompare(b.recordId));
  return { eligible: reasons.length === 0, reasons };
}

/** Items of a rule set the caller cannot see: the outcome says nothing about them. */
export function uncheckedItems(ruleSet: Pick<RuleSet, 'failIfAnyOf'>, itemOf: (code: string) => InfoItem | undefined, visible: Visibility): string[] {
  return ruleSet.failIfAnyOf.filter((code) => {
    const item = itemOf(code);
    return !item || !visible({ item: code, disclosure: item.disclosure });
  });
}
