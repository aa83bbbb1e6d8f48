/**
 * The joint side of a bulk check (POST /v1/checks with "joint": true): for each subject the bulk
 * engine has read and allowed, the behaviours the unit may see for the matter, the subject's list
 * entries as they stand, and the measures that bind the unit — the same rules as POST
 * /v1/joint/checks (rules.ts), on the records the engine already read. The entries are read per
 * subject from the bySubject index (one query each, like the credit file); nothing is written here —
 * the list clock moves entries, the check's query log and counters are the engine's and countBulk's.
 */
import pMap from 'p-map';
import type { Catalog, CatalogIndex, Matter } from '#core/catalog';
import { checkIncrements, type CheckedSubject } from '#core/joint-stats';
import { shanghaiDay } from '#core/working-days';
import { countJoint, entriesOfSubject } from '#adapters/joint-repo';
import type { StoredRecord } from '#adapters/subject-repo';
import { advanceEntry, bindingMeasures, isListed, shownBehaviours, type ListEntry } from './rules.ts';
import { entryFacts } from './subject-state.ts';

export interface JointLine {
  behaviours: Array<{ code: string; name: string; kind: string; grade: string }>;
  lists: Array<{ code: string; status: string; until: string | null }>;
  measures: Array<{ code: string; name: string; binding: string; side: string; basis: string; feedbackRequired: boolean }>;
}

const ENTRY_READS = 16;

/** The stored list entries of each subject key (EXITED ones left out). */
export async function entriesOfSubjects(type: 'LEGAL' | 'NATURAL', keys: readonly string[]): Promise<Map<string, ListEntry[]>> {
  const unique = [...new Set(keys)];
  const read = await pMap(unique, async (key) => [key, (await entriesOfSubject(type, key)).map((e) => e.entry).filter((e) => e.status !== 'EXITED')] as const, {
    concurrency: ENTRY_READS,
  });
  return new Map(read);
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
