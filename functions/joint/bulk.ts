/**
 * The joint side of a bulk check (POST /v1/checks with "joint": true): for each subject the bulk
 * engine has read and allowed, the behaviours the unit may see for the matter, the subject's list
 * entries as they stand, and the measures that bind the unit — the same rules as POST
 * /v1/joint/checks (rules.ts), on the records the engine already read. The open entries are read by
 * key — each subject's one-open-entry guard per list, 100 keys a request — not with a Query per
 * subject (bench:joint: that read made the joint bulk check 1.43× the plain one). The list clock moves
 * entries; the check's query log and counters are the engine's and countBulkPart's; the measures
 * wanting feedback are opened for it like a matter check's (openBulkFeedback), due N working days
 * after the check was submitted.
 */
import type { Catalog, CatalogIndex, Matter } from '#core/catalog';
import { checkIncrements, type CheckedSubject } from '#core/joint-stats';
import { shanghaiDay, workingDeadline } from '#core/working-days';
import { loadCalendar } from '#adapters/calendar-repo';
import { countJoint, openEntriesOf, putBulkPending, type PendingFeedback } from '#adapters/joint-repo';
import { feedbackWorkingDays } from './check.ts';
import type { StoredRecord } from '#adapters/subject-repo';
import { advanceEntry, bindingMeasures, isListed, shownBehaviours, type ListEntry } from './rules.ts';
import { entryFacts } from './subject-state.ts';

export interface JointLine {
  behaviours: Array<{ code: string; name: string; kind: string; grade: string }>;
  lists: Array<{ code: string; status: string; until: string | null }>;
  measures: Array<{ code: string; name: string; binding: string; side: string; basis: string; feedbackRequired: boolean }>;
}

/** The open list entries (NOTIFIED, LISTED) of each subject key on the catalog's lists. */
export async function entriesOfSubjects(type: 'LEGAL' | 'NATURAL', keys: readonly string[], lists: readonly string[]): Promise<Map<string, ListEntry[]>> {
  return openEntriesOf(type, keys, lists);
}

/** One subject's joint answer, from its records and entries; `visible` is the engine's access decision. */
export function jointLine(
  records: readonly StoredRecord[],
  entries: readonly ListEntry[],
  ctx: { catalog: Catalog; index: CatalogIndex; unit: string; matter: Matter; now: string },
  visible: (r: { item: string }) => boolean,
): JointLine {
  const today = shanghaiDay(ctx.now);
  const shown = shownBehaviours(records, ctx.catalog.behaviours ?? [], ctx.index, today, visible);
  // entries as they stand now (the clock saves the transition; a bulk check only reads)
  const open = entries
    .map((e) => {
      const list = ctx.index.creditList(e.list);
      return list ? advanceEntry(e, list, ctx.now, entryFacts(e, records, ctx.index, today)) : e;
    })
    .filter((e) => e.status !== 'EXITED');
  const measures = bindingMeasures(ctx.catalog.measures ?? [], {
    unit: ctx.unit,
    matter: ctx.matter,
    shown,
    listed: open.filter(isListed).map((e) => e.list),
    today,
  });
  return {
    behaviours: shown.map((s) => ({ code: s.behaviour.code, name: s.behaviour.name, kind: s.behaviour.kind, grade: s.behaviour.grade })),
    lists: open.map((e) => ({ code: e.list, status: e.status, until: e.until ?? null })),
    measures: measures.map((m) => ({
      code: m.measure.code,
      name: m.measure.name,
      binding: m.measure.binding,
      side: m.measure.side,
      basis: m.measure.basis,
      feedbackRequired: m.feedbackRequired,
    })),
  };
}

/** Counts a bulk check's part in the joint statistics, once per part. */
export async function countBulkPart(c: { checkId: string; part: number; unit: string; matter: string; at: string }, subjects: readonly CheckedSubject[]) {
  await countJoint(checkIncrements({ checkId: `${c.checkId}:${c.part}`, unit: c.unit, matter: c.matter, at: c.at }, subjects));
}

/** A checked subject's measures wanting feedback, as the part found them. */
export interface BulkHit {
  subject: { type: 'LEGAL' | 'NATURAL'; key: string; label: string };
  line: JointLine;
}

/**
 * Opens feedback on a bulk check's part: every measure of its subjects that wants feedback becomes
 * feedback due from the checking unit (POST /v1/joint/checks/{checkId}/feedback, the overdue list
 * and its alarm, the statistics) exactly as after a matter check. Idempotent per part.
 */
export async function openBulkFeedback(
  c: { checkId: string; unit: string; matter: string; caseRef?: string; at: string; by: string },
  hits: readonly BulkHit[],
): Promise<number> {
  const pending: PendingFeedback[] = [];
  const dueAt = workingDeadline(await loadCalendar(), c.at, feedbackWorkingDays());
  for (const h of hits)
    for (const m of h.line.measures)
      if (m.feedbackRequired)
        pending.push({ checkId: c.checkId, unit: c.unit, matter: c.matter, subject: h.subject, measure: m.code, binding: m.binding, dueAt });
  if (pending.length === 0) return 0;
  await putBulkPending({ ...c, feedbackDueAt: dueAt, results: [], bulk: true }, pending);
  return pending.length;
}
