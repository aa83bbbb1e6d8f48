/**
 * 应用事项落实率 (fulfilment per application matter), as the reference platform's annual report
 * counts it: of the matters the units declared in their application lists, how many were actually
 * applied in the period — per matter, per unit and per level (docs/domain.md, 应用事项落实).
 *
 * A matter is fulfilled in a period when its unit made, in that period, at least one credit query
 * that was let through the access rules (whether the subject had a file or not: a check that finds
 * nothing is still the matter applied) and that
 *   - named the matter (`matter=` on the credit-file query), or
 *   - named no matter but was made under the matter's purpose about a subject of its subject type.
 * A query naming one matter counts for that matter only; one naming none counts for every matter of
 * the unit with that purpose and subject type (the log cannot tell them apart). Each matter says
 * which of the two fulfilled it (`by`).
 *
 * The day rows of the query counters (adapters/stats-repo) keep the two sets this reads, added as
 * queries are logged (queryIncrements): `matters` ({unit}|{matter}) and `checked`
 * ({unit}|{purpose}|{subjectType}). Reading a period reads its day rows, never the query log.
 */
import type { ApplicationMatter, SubjectType } from '../catalog.ts';
import type { CounterRow } from './counter-rows.ts';

/** A matter a query named: `{unit}|{matter}`. */
export const namedMatter = (unit: string, matter: string) => `${unit}|${matter}`;
/** A query under a purpose about a kind of subject that named no matter: `{unit}|{purpose}|{subjectType}`. */
export const checkedUnder = (unit: string, purpose: string, subjectType: SubjectType | string) => `${unit}|${purpose}|${subjectType}`;

/**
 * Why a credit query may not name this matter, or null: a matter is named by its own unit (role gov),
 * under the matter's purpose, about a subject of its subject type.
 */
export function matterRefusal(
  code: string,
  matters: readonly ApplicationMatter[],
  q: { role: string; unit?: string; purpose?: string; subjectType: SubjectType },
): { code: 'UNKNOWN_MATTER' | 'MATTER_MISMATCH'; message: string } | null {
  const m = q.role === 'gov' && q.unit ? matters.find((x) => x.code === code && x.unit === q.unit) : undefined;
  if (!m) return { code: 'UNKNOWN_MATTER', message: `the published catalog has no application matter '${code.slice(0, 64)}' of your unit` };
  if (m.purpose !== q.purpose || m.subjectType !== q.subjectType) {
    return { code: 'MATTER_MISMATCH', message: `matter '${m.code}' is queried under purpose ${m.purpose} about ${m.subjectType} subjects` };
  }
  return null;
}

export interface MatterFulfilment {
  code: string;
  name: string;
  unit: string;
  subjectType: SubjectType;
  purpose: string;
  fulfilled: boolean;
  /** MATTER: a query named it; PURPOSE: a query under its purpose and subject type named no matter; null: not fulfilled. */
  by: 'MATTER' | 'PURPOSE' | null;
}

export interface Fulfilment {
  declared: number;
  fulfilled: number;
  rate: number | null;
}

const rateOf = (f: { declared: number; fulfilled: number }) => (f.declared ? f.fulfilled / f.declared : null);

/** Per matter and per unit (units by rate, then by matters declared), with the total. */
export function matterFulfilment(rows: readonly CounterRow[], matters: readonly ApplicationMatter[]) {
  const named = new Set(rows.flatMap((r) => r.sets.matters ?? []));
  const checked = new Set(rows.flatMap((r) => r.sets.checked ?? []));
  const list: MatterFulfilment[] = matters.map((m) => {
    const by = named.has(namedMatter(m.unit, m.code)) ? 'MATTER' : checked.has(checkedUnder(m.unit, m.purpose, m.subjectType)) ? 'PURPOSE' : null;
    return { code: m.code, name: m.name, unit: m.unit, subjectType: m.subjectType, purpose: m.purpose, fulfilled: by !== null, by };
  });
  const units = new Map<string, { unit: string; declared: number; fulfilled: number }>();
  for (const m of list) {
    const u = units.get(m.unit) ?? { unit: m.unit, declared: 0, fulfilled: 0 };
    u.declared++;
    if (m.fulfilled) u.fulfilled++;
    units.set(m.unit, u);
  }
  const byUnit = [...units.values()]
    .map((u) => ({ ...u, rate: rateOf(u) }))
    .sort((a, b) => (b.rate ?? 0) - (a.rate ?? 0) || b.declared - a.declared || a.unit.localeCompare(b.unit));
  const fulfilled = list.filter((m) => m.fulfilled).length;
  return { declared: list.length, fulfilled, rate: rateOf({ declared: list.length, fulfilled }), byUnit, matters: list };
}

/** The per-unit figures summed by the level each unit is registered at (a unit not in the register: OTHER). */
export function fulfilmentByLevel<L extends string>(
  byUnit: ReadonlyArray<{ unit: string; declared: number; fulfilled: number }>,
  levels: readonly L[],
  levelOf: (unit: string) => L,
): Array<{ level: L } & Fulfilment> {
  const rows = new Map(levels.map((level) => [level, { level, declared: 0, fulfilled: 0 }]));
  for (const u of byUnit) {
    const r = rows.get(levelOf(u.unit))!;
    r.declared += u.declared;
    r.fulfilled += u.fulfilled;
  }
  return [...rows.values()].map((r) => ({ ...r, rate: rateOf(r) }));
}
