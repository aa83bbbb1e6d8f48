/**
 * 联合奖惩 statistics, pure: what a matter check, a feedback and a list transition add to the JOINT
 * counter stream (one row per month × key, adapters/stats-repo), and how the rows read back as the
 * figures of GET /v1/joint/stats and the annual report's 联合奖惩情况.
 *
 *   CHECK#{unit}#{matter}#{subjectType}  subjects checked, hits (a behaviour shown or a LISTED entry),
 *                                        punishment / incentive hits, measures answered, feedback due
 *   FB#{unit}#{measure}                  feedback given: applied, not applied, late
 *   LIST#{list}                          entries NOTIFIED, LISTED, EXITED (and EXITED per reason)
 *
 * Each increment names its event (`once`), so a retried write adds nothing twice.
 */
import type { Behaviour, Catalog, Measure } from './catalog.ts';
import { PURPOSES, SUBJECT_TYPES } from './catalog.ts';
import type { EntryStatus, ExitReason } from './credit-lists.ts';
import type { CounterRow } from './stats.ts';
import { shanghaiDay } from './working-days.ts';

export interface JointIncrement {
  bucket: string;
  key: string;
  attrs: Record<string, string>;
  counts: Record<string, number>;
  once: string;
}

const month = (at: string) => shanghaiDay(at).slice(0, 7);
const clean = (v: string) => v.replaceAll('#', '/').slice(0, 64);

/** One checked subject's answer, as far as the statistics count it. */
export interface CheckedSubject {
  subjectType: string;
  found: boolean;
  behaviours: ReadonlyArray<{ kind: string }>;
  lists: ReadonlyArray<{ status: string }>;
  measures: ReadonlyArray<{ feedbackRequired: boolean }>;
}

/** A matter check adds one row per subject type it checked (guarded by the check id). */
export function checkIncrements(c: { checkId: string; unit: string; matter: string; at: string }, subjects: readonly CheckedSubject[]): JointIncrement[] {
  const rows = new Map<string, JointIncrement>();
  for (const s of subjects) {
    const key = `CHECK#${clean(c.unit)}#${c.matter}#${s.subjectType}`;
    const row = rows.get(key) ?? {
      bucket: month(c.at),
      key,
      attrs: { unit: c.unit, matter: c.matter, subjectType: s.subjectType },
      counts: { subjects: 0, hits: 0, punishmentHits: 0, incentiveHits: 0, listedHits: 0, measures: 0, feedbackDue: 0 },
      once: c.checkId,
    };
    rows.set(key, row);
    const listed = s.lists.some((l) => l.status === 'LISTED');
    const counts = row.counts as Record<string, number>;
    counts.subjects! += 1;
    if (s.behaviours.length > 0 || listed) counts.hits! += 1;
    if (s.behaviours.some((b) => b.kind === 'PUNISHMENT')) counts.punishmentHits! += 1;
    if (s.behaviours.some((b) => b.kind === 'INCENTIVE')) counts.incentiveHits! += 1;
    if (listed) counts.listedHits! += 1;
    counts.measures! += s.measures.length;
    counts.feedbackDue! += s.measures.filter((m) => m.feedbackRequired).length;
  }
  return [...rows.values()];
}

/** A feedback recorded once: applied or not, and whether it came after its due time. */
export function feedbackIncrement(f: {
  checkId: string;
  unit: string;
  measure: string;
  subjectKey: string;
  applied: boolean;
  late: boolean;
  at: string;
}): JointIncrement {
  return {
    bucket: month(f.at),
    key: `FB#${clean(f.unit)}#${clean(f.measure)}`,
    attrs: { unit: f.unit, measure: f.measure },
    counts: { feedback: 1, applied: f.applied ? 1 : 0, notApplied: f.applied ? 0 : 1, late: f.late ? 1 : 0 },
    once: `${f.checkId}#${f.subjectKey.slice(0, 32)}`,
  };
}

/** A list entry reaching a status, counted in the month it did so (guarded by entry and status). */
export function entryIncrement(e: { entryId: string; list: string; status: EntryStatus; at: string; exitReason?: ExitReason }): JointIncrement {
  const name = e.status === 'NOTIFIED' ? 'entered' : e.status === 'LISTED' ? 'listed' : 'exited';
  return {
    bucket: month(e.at),
    key: `LIST#${clean(e.list)}`,
    attrs: { list: e.list },
    counts: { [name]: 1, ...(e.status === 'EXITED' && e.exitReason ? { [`exit_${e.exitReason}`]: 1 } : {}) },
    once: `${e.entryId}#${e.status}`,
  };
}

const rate = (n: number, d: number) => (d > 0 ? n / d : null);
const sum = (rows: readonly CounterRow[], name: string) => rows.reduce((n, r) => n + (r.counts[name] ?? 0), 0);

/** Open feedback past its due time, per unit (read from the short index of feedback not given). */
export type OverdueByUnit = ReadonlyMap<string, number>;

/** The figures of GET /v1/joint/stats from the JOINT rows of a period. */
export function jointStats(rows: readonly CounterRow[], catalog: Pick<Catalog, 'measures' | 'creditLists'> | undefined, overdue: OverdueByUnit) {
  const checks = rows.filter((r) => r.key?.startsWith('CHECK#'));
  const feedback = rows.filter((r) => r.key?.startsWith('FB#'));
  const lists = rows.filter((r) => r.key?.startsWith('LIST#'));

  // checks by matter × subject type (the reference report's table), every matter listed
  const byMatter = PURPOSES.map((matter) => {
    const of = checks.filter((r) => r.attrs.matter === matter);
    const bySubjectType = Object.fromEntries(
      SUBJECT_TYPES.map((t) => [
        t,
        sum(
          of.filter((r) => r.attrs.subjectType === t),
          'subjects',
        ),
      ]),
    ) as Record<(typeof SUBJECT_TYPES)[number], number>;
    const subjects = sum(of, 'subjects');
    const hits = sum(of, 'hits');
    return { matter, subjects, bySubjectType, hits, hitRate: rate(hits, subjects) };
  });

  const units = new Set([...checks.map((r) => r.attrs.unit!), ...feedback.map((r) => r.attrs.unit!), ...overdue.keys()]);
  const byUnit = [...units].sort().map((unit) => {
    const c = checks.filter((r) => r.attrs.unit === unit);
    const f = feedback.filter((r) => r.attrs.unit === unit);
    const subjects = sum(c, 'subjects');
    const hits = sum(c, 'hits');
    const due = sum(c, 'feedbackDue');
    const given = sum(f, 'feedback');
    const late = sum(f, 'late');
    return {
      unit,
      subjects,
      hits,
      hitRate: rate(hits, subjects),
      measures: sum(c, 'measures'),
      feedbackDue: due,
      feedback: given,
      feedbackRate: rate(given, due),
      applied: sum(f, 'applied'),
      notApplied: sum(f, 'notApplied'),
      late,
      lateRate: rate(late, given),
      overdueOpen: overdue.get(unit) ?? 0,
    };
  });

  const measureName = (code: string) => catalog?.measures?.find((m: Measure) => m.code === code)?.name ?? code;
  const measureCodes = [...new Set(feedback.map((r) => r.attrs.measure!))].sort();
  const byMeasure = measureCodes.map((measure) => {
    const f = feedback.filter((r) => r.attrs.measure === measure);
    return { measure, name: measureName(measure), applied: sum(f, 'applied'), notApplied: sum(f, 'notApplied'), late: sum(f, 'late') };
  });

  const listName = (code: string) => catalog?.creditLists?.find((l) => l.code === code)?.name ?? code;
  const exitReasons = (rs: readonly CounterRow[]) =>
    Object.fromEntries(['EXPIRED', 'RECORD_ENDED', 'OBJECTION_UPHELD'].map((k) => [k, sum(rs, `exit_${k}`)])) as Record<ExitReason, number>;
  const listCodes = [...new Set([...(catalog?.creditLists ?? []).map((l) => l.code), ...lists.map((r) => r.attrs.list!)])];
  const byList = listCodes.map((list) => {
    const l = lists.filter((r) => r.attrs.list === list);
    return { list, name: listName(list), entered: sum(l, 'entered'), listed: sum(l, 'listed'), exited: sum(l, 'exited'), exitReasons: exitReasons(l) };
  });
  const months = new Map<string, { month: string; list: string; entered: number; listed: number; exited: number }>();
  for (const r of lists) {
    const k = `${r.bucket.slice(0, 7)}#${r.attrs.list}`;
    const m = months.get(k) ?? { month: r.bucket.slice(0, 7), list: r.attrs.list!, entered: 0, listed: 0, exited: 0 };
    m.entered += r.counts.entered ?? 0;
    m.listed += r.counts.listed ?? 0;
    m.exited += r.counts.exited ?? 0;
    months.set(k, m);
  }
  const byListMonth = [...months.values()].sort((a, b) => a.month.localeCompare(b.month) || a.list.localeCompare(b.list));

  const subjects = sum(checks, 'subjects');
  const hits = sum(checks, 'hits');
  const due = sum(checks, 'feedbackDue');
  const given = sum(feedback, 'feedback');
  return {
    totals: {
      subjects,
      hits,
      hitRate: rate(hits, subjects),
      punishmentHits: sum(checks, 'punishmentHits'),
      incentiveHits: sum(checks, 'incentiveHits'),
      listedHits: sum(checks, 'listedHits'),
      measures: sum(checks, 'measures'),
      feedbackDue: due,
      feedback: given,
      feedbackRate: rate(given, due),
      applied: sum(feedback, 'applied'),
      notApplied: sum(feedback, 'notApplied'),
      late: sum(feedback, 'late'),
      overdueOpen: [...overdue.values()].reduce((n, v) => n + v, 0),
      bySubjectType: Object.fromEntries(
        SUBJECT_TYPES.map((t) => [
          t,
          sum(
            checks.filter((r) => r.attrs.subjectType === t),
            'subjects',
          ),
        ]),
      ) as Record<(typeof SUBJECT_TYPES)[number], number>,
    },
    byMatter,
    byUnit,
    byMeasure,
    byList,
    byListMonth,
  };
}

export type JointStats = ReturnType<typeof jointStats>;

/**
 * 行为篇: the behaviour list and the measures table as published, counted by kind, tier, grade and the
 * level of the unit that keeps each entry (`levelOf` from the units register).
 */
export function behaviourListSummary(catalog: Pick<Catalog, 'behaviours' | 'measures' | 'creditLists'> | undefined, levelOf: (unit: string) => string) {
  const behaviours: readonly Behaviour[] = catalog?.behaviours ?? [];
  const measures: readonly Measure[] = catalog?.measures ?? [];
  const count = (values: string[]) =>
    Object.entries(values.reduce<Record<string, number>>((m, v) => ({ ...m, [v]: (m[v] ?? 0) + 1 }), {}))
      .map(([key, n]) => ({ key, n }))
      .sort((a, b) => b.n - a.n || a.key.localeCompare(b.key));
  const cross = (rows: Array<[string, string]>) => {
    const out = new Map<string, Record<string, number>>();
    for (const [a, b] of rows) {
      const r = out.get(a) ?? {};
      r[b] = (r[b] ?? 0) + 1;
      out.set(a, r);
    }
    return [...out].map(([key, by]) => ({ key, by, total: Object.values(by).reduce((n, v) => n + v, 0) }));
  };
  return {
    behaviours: {
      total: behaviours.length,
      units: new Set(behaviours.map((b) => b.unit)).size,
      byKind: count(behaviours.map((b) => b.kind)),
      byTier: count(behaviours.map((b) => b.tier)),
      byGrade: count(behaviours.map((b) => b.grade)),
      byUnitLevel: count(behaviours.map((b) => levelOf(b.unit))),
      /** tier × kind: e.g. national punishment items. */
      byTierKind: cross(behaviours.map((b) => [b.tier, b.kind])),
    },
    measures: {
      total: measures.length,
      // a measure applied by several units counts once per unit, as the reference table counts unit items
      units: new Set(measures.flatMap((m) => m.units)).size,
      bySide: count(measures.map((m) => m.side)),
      byBinding: count(measures.map((m) => m.binding)),
      /** side × level of each applying unit (发起部门 / 实施部门 × 市级 / 区级 / …). */
      bySideLevel: cross(measures.flatMap((m) => m.units.map((u) => [m.side, levelOf(u)] as [string, string]))),
      byMatter: count(measures.flatMap((m) => m.matters)),
    },
    lists: (catalog?.creditLists ?? []).map((l) => ({ code: l.code, name: l.name, kind: l.kind, unit: l.unit, public: l.public, years: l.years })),
  };
}
