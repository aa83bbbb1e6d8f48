/**
 * Credit lists: entry by a unit's decision, the subject's objection and its decision, the clock
 * (due transitions from the byDue index — the job's cost follows the transitions due, never the
 * table), the public lists and the subject's own joint file.
 */
import { randomUUID } from 'node:crypto';
import type { Catalog, CatalogIndex, CreditList } from '#core/catalog';
import { shanghaiDay } from '#core/working-days';
import { dueEntries, entriesOfSubject, feedbackOfSubject, getEntry, openEntry, saveEntry, type EntryAt } from '#adapters/joint-repo';
import { indexWithItems } from '#adapters/catalog-repo';
import { subjectPartition } from '#adapters/subject-repo';
import { loadCalendar } from '#adapters/calendar-repo';
import { resolveSubject } from '#adapters/subject-identity';
import { JointError } from './errors.ts';
import {
  advanceEntry,
  bindingMeasures,
  decideEntryObjection,
  isListed,
  nextDueAt,
  notifyEntry,
  objectToEntry,
  shownBehaviours,
  type ListEntry,
} from './rules.ts';
import type { DecisionEntryRequest } from './schemas.ts';
import { advanceStored, entryFacts, subjectState, type SubjectState } from './subject-state.ts';
import { entryFieldsOut } from './views.ts';

function listOf(index: CatalogIndex, code: string): CreditList {
  const list = index.creditList(code);
  if (!list) throw new JointError('notFound', 'LIST_NOT_FOUND', `no credit list ${code} in the published catalog`);
  return list;
}

/** A unit enters a subject on its list by decision (红名单 and the like): NOTIFIED, told now. */
export async function enterByDecision(unit: string, code: string, req: DecisionEntryRequest, ctx: { index: CatalogIndex; now: string }) {
  const list = listOf(ctx.index, code);
  if (list.unit !== unit) throw new JointError('forbidden', 'NOT_YOUR_LIST', `list ${code} is kept by ${list.unit}`);
  if (list.entry.byDecision !== true) throw new JointError('invalid', 'LIST_BY_RULE_ONLY', `list ${code} is entered by rule only`);
  const subject = await resolveSubject(req.subject.type, req.subject.id);
  if (!subject.ok) throw new JointError('invalid', 'INVALID_IDENTIFIER', `subject: '${subject.label}' is ${subject.message}`);
  const entry = notifyEntry(
    list,
    {
      entryId: randomUUID(),
      subject: { type: subject.type, key: subject.key, label: subject.label },
      subjectName: req.name,
      by: 'DECISION',
      basis: req.basis,
      reasons: req.reasons,
      behaviours: [],
      records: [],
      decidedBy: unit,
    },
    ctx.now,
    await loadCalendar(),
  );
  const opened = await openEntry(entry, nextDueAt(entry));
  const stored = opened.created ? { entry, rev: 0 } : await getEntry(opened.entryId);
  return { created: opened.created, entry: stored?.entry ?? entry };
}

async function loadEntry(entryId: string): Promise<EntryAt> {
  const at = await getEntry(entryId);
  if (!at) throw new JointError('notFound', 'ENTRY_NOT_FOUND', `no list entry ${entryId}`);
  return at;
}

/** The subject objects to its own entry; a NOTIFIED entry is held until the list's unit decides. */
export async function objectToOwnEntry(own: { type: 'LEGAL' | 'NATURAL'; key: string }, entryId: string, reason: string, now: string): Promise<ListEntry> {
  const at = await loadEntry(entryId);
  if (at.entry.subject.type !== own.type || at.entry.subject.key !== own.key)
    throw new JointError('forbidden', 'NOT_YOUR_ENTRY', 'a subject may object only to its own list entries');
  const next = objectToEntry(at.entry, randomUUID(), now);
  if ('refused' in next) throw new JointError('conflict', 'OBJECTION_NOT_ALLOWED', next.refused);
  const withReason: ListEntry = { ...next, objection: { ...next.objection!, reason } };
  if (!(await saveEntry(withReason, at.rev, nextDueAt(withReason))))
    throw new JointError('conflict', 'ENTRY_CHANGED', 'the entry changed meanwhile; read it and try again');
  return withReason;
}

/** The list's unit (or an administrator) decides the objection; the entry moves at once. */
export async function decideObjection(
  caller: { role: string; unit?: string },
  entryId: string,
  upheld: boolean,
  reason: string,
  ctx: { catalog: Catalog; index: CatalogIndex; now: string },
): Promise<ListEntry> {
  const at = await loadEntry(entryId);
  const list = listOf(ctx.index, at.entry.list);
  if (caller.role !== 'admin' && caller.unit !== list.unit) throw new JointError('forbidden', 'NOT_YOUR_LIST', `list ${list.code} is kept by ${list.unit}`);
  const decided = decideEntryObjection(at.entry, upheld, reason, ctx.now);
  if ('refused' in decided) throw new JointError('conflict', 'NO_OPEN_OBJECTION', decided.refused);
  const { records } = await subjectPartition(at.entry.subject.type === 'LEGAL' ? 'legalSubjects' : 'naturalSubjects', at.entry.subject.key);
  const withItems = await indexWithItems(
    ctx.index,
    records.map((r) => r.item),
  );
  const next = advanceEntry(decided, list, ctx.now, entryFacts(decided, records, withItems, shanghaiDay(ctx.now)));
  if (!(await saveEntry(next, at.rev, nextDueAt(next))))
    throw new JointError('conflict', 'ENTRY_CHANGED', 'the entry changed meanwhile; read it and try again');
  return next;
}

export const CLOCK_BATCH = 200;

/** The scheduled clock: moves every entry due by `now`, a page of the byDue index at a time. */
export async function runListClock(catalog: Catalog, index: CatalogIndex, now: string): Promise<{ moved: number }> {
  let moved = 0;
  for (let round = 0; round < 50; round++) {
    const due = await dueEntries(now, CLOCK_BATCH);
    if (due.length === 0) break;
    for (const at of due) {
      const { records } = await subjectPartition(at.entry.subject.type === 'LEGAL' ? 'legalSubjects' : 'naturalSubjects', at.entry.subject.key);
      const next = await advanceStored(
        at,
        records,
        catalog,
        await indexWithItems(
          index,
          records.map((r) => r.item),
        ),
        now,
      );
      if (next !== at.entry) moved++;
    }
    if (due.length < CLOCK_BATCH) break;
  }
  return { moved };
}

/** A public view of an entry: legal persons named, natural persons masked. */
export function publicEntry(e: ListEntry) {
  return {
    entryId: e.entryId,
    subject: { type: e.subject.type, id: e.subject.label, name: e.subject.type === 'LEGAL' ? e.subjectName : maskName(e.subjectName) },
    status: e.status,
    listedOn: e.listedOn ?? null,
    until: e.until ?? null,
    basis: e.basis,
    reasons: e.reasons,
  };
}

/** 张三丰 → 张**: the family name stays. */
export const maskName = (name: string): string => (name ? `${[...name][0]}${'*'.repeat(Math.max(1, [...name].length - 1))}` : '');

/** The subject's own joint file (知情权): behaviours, entries with their basis and history, measures that follow, feedback. */
export async function ownJointFile(own: { type: 'LEGAL' | 'NATURAL'; key: string }, ctx: { catalog: Catalog; index: CatalogIndex; now: string }) {
  const state = await subjectState(own.type, own.key, ctx.catalog, ctx.index, ctx.now);
  return jointFileOf(own, state, ctx);
}

/**
 * The joint part of the subject's own report: the same file, from the records the report already
 * read, with the entries advanced to `now` as read (the clock and the events save transitions; a
 * report only reads).
 */
export async function jointFileForReport(
  own: { type: 'LEGAL' | 'NATURAL'; key: string },
  records: SubjectState['records'],
  ctx: { catalog: Catalog; index: CatalogIndex; now: string },
) {
  const today = shanghaiDay(ctx.now);
  // the index answers also for the items of the report's records (read by key, never the whole catalog)
  const index = await indexWithItems(
    ctx.index,
    records.map((r) => r.item),
  );
  const entries = (await entriesOfSubject(own.type, own.key)).map(({ entry }) => {
    const list = index.creditList(entry.list);
    return list ? advanceEntry(entry, list, ctx.now, entryFacts(entry, records, index, today)) : entry;
  });
  return jointFileOf(own, { records, entries, index }, ctx);
}

async function jointFileOf(
  own: { type: 'LEGAL' | 'NATURAL'; key: string },
  state: Pick<SubjectState, 'records' | 'entries' | 'index'>,
  ctx: { catalog: Catalog; index: CatalogIndex; now: string },
) {
  const today = shanghaiDay(ctx.now);
  const shown = shownBehaviours(state.records, ctx.catalog.behaviours ?? [], state.index, today);
  const listed = state.entries.filter(isListed).map((e) => e.list);
  const codes = new Set(shown.map((s) => s.behaviour.code));
  const measures = (ctx.catalog.measures ?? []).filter((m) => m.behaviours?.some((b) => codes.has(b)) || m.lists?.some((l) => listed.includes(l)));
  const feedback = await feedbackOfSubject(own.type, own.key);
  return {
    behaviours: shown.map((s) => ({
      code: s.behaviour.code,
      name: s.behaviour.name,
      kind: s.behaviour.kind,
      grade: s.behaviour.grade,
      basis: s.behaviour.basis,
      records: s.records,
      since: s.since,
      ...(s.extendedFrom ? { extendedFrom: s.extendedFrom } : {}),
    })),
    lists: state.entries.map((e) => {
      const list = ctx.index.creditList(e.list);
      return { ...entryFieldsOut(e), name: list?.name ?? e.list, remedy: list?.remedy ?? '', exit: list?.exit ?? '' };
    }),
    measures: measures.map((m) => {
      // the same measure in every unit and matter it names, for this subject's behaviours and lists
      const bound = bindingMeasures([m], { unit: m.units[0]!, matter: m.matters[0]!, shown, listed, today })[0];
      return {
        code: m.code,
        name: m.name,
        side: m.side,
        binding: m.binding,
        units: m.units,
        matters: m.matters,
        basis: m.basis,
        until: bound?.until ?? null,
        inForce: bound !== undefined,
      };
    }),
    feedback: feedback.map((f) => ({
      checkId: f.checkId,
      unit: f.unit,
      matter: f.matter,
      measure: f.measure,
      applied: f.feedback?.applied ?? null,
      reason: f.feedback?.reason ?? null,
      at: f.feedback?.at ?? null,
    })),
  };
}
