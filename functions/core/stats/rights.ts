/** 异议 (objections), 信用修复 (repairs) and 撤销 (revocations): what each adds, and the figures read back. */
import { SUBJECT_TYPES, type Catalog, type SubjectType } from '../catalog.ts';
import { isOpen, steps, type Objection } from '../objections.ts';
import type { WorkCalendar } from '../work-calendar.ts';
import { providerName, type Counts, type CounterRow } from './counter-rows.ts';
import { dayOf } from './periods.ts';

const monthOf = (at: string) => dayOf(at).slice(0, 7);
const objectionRow = (o: Pick<Objection, 'receivedAt' | 'subjectType'>) => ({
  bucket: monthOf(o.receivedAt),
  key: `objection#${o.subjectType}`,
  attrs: { kind: 'objection', subjectType: o.subjectType },
});

/**
 * What an objection adds to the row of its month of receipt × subject type: on filing it is
 * applied and annotated (the record is marked at once); once decided, completed with its outcome,
 * and late when any step was done after its deadline. Each is guarded by the objection id.
 */
export function objectionIncrement(
  o: Objection,
  now: string,
  cal: WorkCalendar,
): { bucket: string; key: string; attrs: Record<string, string>; counts: Counts; once: string } {
  if (isOpen(o.status)) return { ...objectionRow(o), counts: { applied: 1, annotated: 1 }, once: `${o.objectionId}:applied` };
  const late = steps(o, now, cal).some((s) => s.overdue) ? 1 : 0;
  return { ...objectionRow(o), counts: { completed: 1, [o.status.toLowerCase()]: 1, late }, once: `${o.objectionId}:completed` };
}

/** Open objections past a deadline now, as counter rows (read live: they are late only from `now`). */
export function openOverdueRows(open: readonly Objection[], now: string, cal: WorkCalendar): CounterRow[] {
  return open.filter((o) => isOpen(o.status) && steps(o, now, cal).some((s) => s.overdue)).map((o) => ({ ...objectionRow(o), counts: { late: 1 }, sets: {} }));
}

export interface RecordRightEvent {
  action: 'repaired' | 'revoked';
  recordId: string;
  provider: string;
  item: string;
  subjectType: SubjectType;
  at: string;
}

/** A repair (信用修复) or revocation (撤销) adds to its month × provider × item row, once per record. */
export function recordRightIncrement(e: RecordRightEvent) {
  return {
    bucket: monthOf(e.at),
    key: `record#${e.subjectType}#${e.provider}#${e.item}`,
    attrs: { kind: 'record', subjectType: e.subjectType, provider: e.provider, item: e.item },
    counts: { [e.action]: 1 },
    once: `${e.recordId}:${e.action}`,
  };
}

const OUTCOME_COUNTERS = { CORRECTED: 'corrected', DELETED: 'deleted', UPHELD: 'upheld' } as const;

/**
 * 异议处理情况 and 信用修复: per calendar year (of receipt) applications, completed, annotated, by
 * subject type and outcome, and overdue; by subject type over the period; repairs and revocations.
 */
export function objectionStats(rows: CounterRow[], catalog: Catalog | undefined) {
  const n = (r: CounterRow, k: string) => r.counts[k] ?? 0;
  const objections = rows.filter((r) => r.attrs.kind === 'objection');
  const records = rows.filter((r) => r.attrs.kind === 'record');
  const years = new Map<
    string,
    {
      year: string;
      applications: number;
      completed: number;
      annotated: number;
      bySubjectType: Record<SubjectType, number>;
      byOutcome: Record<keyof typeof OUTCOME_COUNTERS, number>;
      overdue: number;
    }
  >();
  for (const r of objections) {
    const year = r.bucket.slice(0, 4);
    const y = years.get(year) ?? {
      year,
      applications: 0,
      completed: 0,
      annotated: 0,
      bySubjectType: { LEGAL: 0, NATURAL: 0 },
      byOutcome: { CORRECTED: 0, DELETED: 0, UPHELD: 0 },
      overdue: 0,
    };
    y.applications += n(r, 'applied');
    y.completed += n(r, 'completed');
    y.annotated += n(r, 'annotated');
    y.bySubjectType[r.attrs.subjectType as SubjectType] += n(r, 'applied');
    for (const [outcome, counter] of Object.entries(OUTCOME_COUNTERS)) y.byOutcome[outcome as keyof typeof OUTCOME_COUNTERS] += n(r, counter);
    y.overdue += n(r, 'late');
    years.set(year, y);
  }
  const list = [...years.values()].sort((a, b) => a.year.localeCompare(b.year));
  const sum = (k: 'applications' | 'completed' | 'annotated' | 'overdue') => list.reduce((t, y) => t + y[k], 0);
  const ofType = <T extends string>(rs: CounterRow[], t: SubjectType, keys: readonly T[]) =>
    Object.fromEntries(keys.map((k) => [k, rs.filter((r) => r.attrs.subjectType === t).reduce((s, r) => s + n(r, k), 0)])) as Record<T, number>;
  const repairs = new Map<string, { provider: string; name: string; repaired: number; revoked: number }>();
  for (const r of records) {
    const p = repairs.get(r.attrs.provider!) ?? { provider: r.attrs.provider!, name: providerName(catalog, r.attrs.provider!), repaired: 0, revoked: 0 };
    p.repaired += n(r, 'repaired');
    p.revoked += n(r, 'revoked');
    repairs.set(p.provider, p);
  }
  const byProvider = [...repairs.values()].sort((a, b) => b.repaired + b.revoked - (a.repaired + a.revoked) || a.provider.localeCompare(b.provider));
  return {
    years: list,
    total: { applications: sum('applications'), completed: sum('completed'), annotated: sum('annotated'), overdue: sum('overdue') },
    bySubjectType: SUBJECT_TYPES.map((t) => {
      const c = ofType(objections, t, ['applied', 'completed', 'annotated']);
      return { subjectType: t, applications: c.applied, completed: c.completed, annotated: c.annotated };
    }),
    repairs: {
      repaired: byProvider.reduce((t, p) => t + p.repaired, 0),
      revoked: byProvider.reduce((t, p) => t + p.revoked, 0),
      bySubjectType: SUBJECT_TYPES.map((t) => ({ subjectType: t, ...ofType(records, t, ['repaired', 'revoked']) })),
      byProvider,
    },
  };
}
