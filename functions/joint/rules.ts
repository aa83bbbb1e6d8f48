/**
 * 联合奖惩 rules (SH-REG-2017 Arts 19–28), pure: which behaviours a subject shows, which measures
 * bind a unit in a matter, and how a credit-list entry moves NOTIFIED → LISTED → EXITED.
 *
 * - A subject shows a behaviour while it has a served record (ACTIVE, inside its query period —
 *   core/record-view isServable; a repaired, revoked or withdrawn record is no longer ACTIVE) of a
 *   trigger item that meets every trigger condition.
 * - Art 28: a copy of a company's record filed under its legal representative (`via`) shows the
 *   company's SERIOUS punishment behaviours in the person's file, marked `extendedFrom`; GENERAL
 *   behaviours and incentives stay with the company.
 * - A measure binds when it names the unit and the matter, and follows a behaviour the subject shows
 *   (for `years` after the behaviour's record date, when set) or a list the subject is LISTED on.
 * - A list entry is NOTIFIED (告知) for the list's noticeWorkingDays; an open objection holds it
 *   there; then LISTED for `years`; EXITED when the time is up, when the records behind it stop being
 *   served (repair, revocation, withdrawal, deletion) or when an objection about it is upheld.
 */
import type { Behaviour, CatalogIndex, CreditList, InfoItem, Matter, Measure } from '#core/catalog';
import { addYears } from '#core/credit-lists';
import { meetsTrigger } from '#core/joint-triggers';
import { isServable, type RecordLike } from '#core/record-view';
import { shanghaiDay } from '#core/working-days';

export interface JointRecord extends RecordLike {
  receivedAt: string;
  via?: { uscc: string; role: string };
}

// ---------------------------------------------------------------------------------------------
// Behaviours

export { meetsTrigger };

/** The date a behaviour counts from: the item's query-period field, else the day the record arrived. */
export function behaviourDate(record: JointRecord, item: InfoItem | undefined): string {
  const from = item?.queryPeriodFrom ? record.fields[item.queryPeriodFrom] : undefined;
  return typeof from === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(from) ? from : shanghaiDay(record.receivedAt);
}

export interface ShownBehaviour {
  behaviour: Behaviour;
  records: string[];
  /** The latest record date behind it. */
  since: string;
  /** Art 28: the company whose SERIOUS behaviour extends to this person. */
  extendedFrom?: string;
}

export const isSerious = (b: Behaviour): boolean => b.kind === 'PUNISHMENT' && b.grade === 'SERIOUS';

/**
 * The behaviours `records` show today. `visible` is the caller's access decision (a unit sees a
 * behaviour only through records it may see for the purpose); servability is checked here.
 */
export function shownBehaviours(
  records: readonly JointRecord[],
  behaviours: readonly Behaviour[],
  index: Pick<CatalogIndex, 'item'>,
  today: string,
  visible: (r: JointRecord) => boolean = () => true,
): ShownBehaviour[] {
  const shown = new Map<string, ShownBehaviour>();
  for (const r of records) {
    const item = index.item(r.item);
    if (!isServable(r, item, today) || !visible(r)) continue;
    for (const b of behaviours) {
      if (!meetsTrigger(r, b)) continue;
      if (r.via && !isSerious(b)) continue;
      const key = r.via ? `${b.code}#${r.via.uscc}` : b.code;
      const date = behaviourDate(r, item);
      const hit = shown.get(key) ?? { behaviour: b, records: [], since: date, ...(r.via ? { extendedFrom: r.via.uscc } : {}) };
      hit.records.push(r.recordId);
      if (date > hit.since) hit.since = date;
      shown.set(key, hit);
    }
  }
  return [...shown.values()].sort((a, b) => a.behaviour.code.localeCompare(b.behaviour.code));
}

// ---------------------------------------------------------------------------------------------
// Measures

export interface BindingMeasure {
  measure: Measure;
  /** The behaviours and lists it follows for this subject. */
  behaviours: string[];
  lists: string[];
  /** The last day it applies (exclusive), when limited by `years`; null while its cause lasts. */
  until: string | null;
  feedbackRequired: boolean;
}

export { addYears };

/**
 * The measures that bind `unit` in `matter` for a subject showing `shown` and LISTED on `listed`:
 * MANDATORY before RECOMMENDED, then by code.
 */
export function bindingMeasures(
  measures: readonly Measure[],
  q: { unit: string; matter: Matter; shown: readonly ShownBehaviour[]; listed: readonly string[]; today: string },
): BindingMeasure[] {
  const out: BindingMeasure[] = [];
  for (const m of measures) {
    if (!m.units.includes(q.unit) || !m.matters.includes(q.matter)) continue;
    const behaviours: string[] = [];
    const ends: Array<string | null> = [];
    for (const s of q.shown) {
      if (!m.behaviours?.includes(s.behaviour.code)) continue;
      const end = m.years === undefined ? null : addYears(s.since, m.years);
      if (end !== null && q.today >= end) continue;
      behaviours.push(s.behaviour.code);
      ends.push(end);
    }
    const lists = (m.lists ?? []).filter((l) => q.listed.includes(l));
    if (behaviours.length === 0 && lists.length === 0) continue;
    // the latest end wins; a list membership, or a measure without years, lasts while its cause does
    const until = lists.length > 0 || ends.includes(null) ? null : ends.reduce<string | null>((a, b) => (a === null || (b !== null && b > a) ? b : a), null);
    out.push({ measure: m, behaviours: [...new Set(behaviours)], lists, until, feedbackRequired: m.feedback !== false });
  }
  return out.sort((a, b) =>
    a.measure.binding === b.measure.binding ? a.measure.code.localeCompare(b.measure.code) : a.measure.binding === 'MANDATORY' ? -1 : 1,
  );
}

/** Feedback on a MANDATORY measure that was not applied needs a reason. */
export function feedbackProblem(measure: Measure, applied: boolean, reason: string | undefined): string | null {
  if (measure.binding === 'MANDATORY' && !applied && !reason?.trim()) {
    return `${measure.code} is MANDATORY: say why it was not applied (reason)`;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Credit lists (the lifecycle is in core/credit-lists, shared with ingest's entry by rule)

export * from '#core/credit-lists';

/** Lists a rule puts a subject on: those whose entry behaviours it shows (its own, not Art 28 extensions). */
export function listsByRule(lists: readonly CreditList[], shown: readonly ShownBehaviour[]): Array<{ list: CreditList; behaviours: ShownBehaviour[] }> {
  const out: Array<{ list: CreditList; behaviours: ShownBehaviour[] }> = [];
  for (const list of lists) {
    const hits = shown.filter((s) => !s.extendedFrom && list.entry.behaviours?.includes(s.behaviour.code));
    if (hits.length > 0) out.push({ list, behaviours: hits });
  }
  return out;
}
