/**
 * Publicity periods (公示期) of double-publicity (双公示) records (docs/domain.md, Publicity periods): the last day a
 * record is shown to the public, and the keys of the public search index. Pure: no I/O, no clock.
 *
 * Periods are counted as the Civil Code counts them (民法典 Arts 201–202): the decision day itself is
 * not counted, and a period of months or years ends on the corresponding day of the last month —
 * or on that month's last day when it has no such day (31 Jan + 1 month → 28/29 Feb; 29 Feb + 1 year
 * → 28 Feb). The day found is the last day the record is shown.
 */
import type { InfoItem, Publicity, Severity } from './catalog.ts';
import { daysInMonth } from './identifiers.ts';

/** One penalty publicity scheme: the longest period per class, for decisions from `from` on. */
export interface PenaltyPublicityRule {
  /** The instrument the periods come from (short names as in docs/domain.md, Sources). */
  scheme: string;
  /** First decision date (YYYY-MM-DD, inclusive) the scheme governs. */
  from: string;
  /** Longest publicity period per severity class, in months from the decision date. */
  months: Readonly<Record<Severity, number>>;
}

export interface PublicityPolicy {
  /** Penalty schemes in ascending `from` order; a decision follows the last scheme in force on its date. */
  penalty: readonly PenaltyPublicityRule[];
  /** The class of a penalty item that names no severity. */
  defaultSeverity: Severity;
}

/**
 * The rule table, keyed by decision date. All three rows are [S] in docs/domain.md (secondary sources).
 * Whether NDRC-36 shortens the periods of penalties decided before it took effect is [U]; until that
 * is settled, a decision keeps the scheme in force when it was made.
 */
export const PUBLICITY_POLICY: PublicityPolicy = {
  penalty: [
    // 发改办财金〔2019〕527号: 一般 at most 1 year, 严重 at most 3 years. It has no lighter class, so
    // MINOR takes the general period. The row also covers older decisions: no earlier national maximum.
    { scheme: 'NDRC-527', from: '0000-01-01', months: { MINOR: 12, GENERAL: 12, SERIOUS: 36 } },
    // NDRC Order 58 (in force 2023-05-01): one range for every penalty, at most 3 years.
    { scheme: 'NDRC-58', from: '2023-05-01', months: { MINOR: 36, GENERAL: 36, SERIOUS: 36 } },
    // NDRC Order 36 (in force 2026-04-01): 轻微 3 months, 一般 1 year, 严重 3 years.
    { scheme: 'NDRC-36', from: '2026-04-01', months: { MINOR: 3, GENERAL: 12, SERIOUS: 36 } },
  ],
  defaultSeverity: 'GENERAL',
};

/** Stored in place of a last day when a record is shown without end (a licence with no `validTo`). */
export const OPEN_ENDED = '9999-12-31';

export type PublicityPeriod =
  /** `until` is the last day shown, or null when open-ended; `basis` says where it came from. */
  | { ok: true; until: string | null; basis: string }
  /** No period can be worked out (no usable date): the record is not shown publicly. */
  | { ok: false; reason: string };

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The date, when `v` is a real calendar day written YYYY-MM-DD. */
function isoDate(v: unknown): { y: number; m: number; d: number } | undefined {
  if (typeof v !== 'string') return undefined;
  const match = ISO_DATE.exec(v);
  if (!match) return undefined;
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return undefined;
  return { y, m, d };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** `iso` plus `months`, ending on the corresponding day or the month's last day (Civil Code Art 202). */
export function addMonths(iso: string, months: number): string {
  const date = isoDate(iso);
  if (!date) throw new RangeError(`not a calendar date: '${iso}'`);
  const index = date.y * 12 + (date.m - 1) + months;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(Math.min(date.d, daysInMonth(y, m)), 2)}`;
}

/** The penalty scheme governing a decision made on `decisionDate`. */
export function penaltyRuleFor(decisionDate: string, policy: PublicityPolicy = PUBLICITY_POLICY): PenaltyPublicityRule | undefined {
  let found: PenaltyPublicityRule | undefined;
  for (const rule of policy.penalty) if (rule.from <= decisionDate) found = rule;
  return found;
}

/**
 * The last day a double-publicity record is shown publicly. An explicit `publicityUntil` field
 * (公示截止期) wins; otherwise a penalty is shown for its class's period from `decisionDate`, and a
 * licence until `validTo` (open-ended without one).
 */
export function publicityUntil(
  fields: Readonly<Record<string, unknown>>,
  item: Pick<InfoItem, 'publicity' | 'severity'>,
  policy: PublicityPolicy = PUBLICITY_POLICY,
): PublicityPeriod {
  if (!item.publicity) return { ok: false, reason: 'the item is not double-publicity data' };
  if (isoDate(fields.publicityUntil)) return { ok: true, until: fields.publicityUntil as string, basis: 'publicityUntil' };
  if (item.publicity === 'LICENSING') {
    if (fields.validTo === undefined || fields.validTo === null || fields.validTo === '') return { ok: true, until: null, basis: 'no validTo' };
    if (isoDate(fields.validTo)) return { ok: true, until: fields.validTo as string, basis: 'validTo' };
    return { ok: false, reason: `validTo ${JSON.stringify(fields.validTo)} is not a date` };
  }
  const decided = fields.decisionDate;
  if (!isoDate(decided)) return { ok: false, reason: 'a penalty needs a decisionDate (YYYY-MM-DD) or a publicityUntil' };
  const rule = penaltyRuleFor(decided as string, policy);
  if (!rule) return { ok: false, reason: `no publicity scheme covers decisions made on ${String(decided)}` };
  const severity = item.severity ?? policy.defaultSeverity;
  return { ok: true, until: addMonths(decided as string, rule.months[severity]), basis: `${rule.scheme} ${severity}` };
}

/** Whether a record whose last public day is `until` (a stored `publicUntil`) is shown on `today`. */
export function isShownOn(until: string | undefined, today: string): boolean {
  return until !== undefined && until >= today;
}

/** The first character of a name: one code point, so a supplementary-plane character stays whole. */
function firstCharacter(s: string): string {
  const c = s.codePointAt(0);
  return c === undefined ? '' : String.fromCodePoint(c);
}

/** Partition key of the byPublicity index for names starting as `nameOrPrefix` does. */
export function publicityPartition(type: Publicity, nameOrPrefix: string): string {
  return `PUB#${type}#${firstCharacter(nameOrPrefix)}`;
}

export interface PublicityAttributes {
  pubpk: string;
  pubsk: string;
  /** Last day shown (YYYY-MM-DD), or OPEN_ENDED. */
  publicUntil: string;
}

/**
 * The index attributes of a legal subject's double-publicity record, or undefined when the record
 * is not shown publicly (not double-publicity, no usable date, or no subject name).
 */
export function publicityAttributes(
  item: Pick<InfoItem, 'publicity' | 'severity'>,
  subjectName: string,
  recordId: string,
  fields: Readonly<Record<string, unknown>>,
  policy: PublicityPolicy = PUBLICITY_POLICY,
): PublicityAttributes | undefined {
  if (!item.publicity || !subjectName) return undefined;
  const period = publicityUntil(fields, item, policy);
  if (!period.ok) return undefined;
  return {
    pubpk: publicityPartition(item.publicity, subjectName),
    pubsk: `${subjectName}#${recordId}`,
    publicUntil: period.until ?? OPEN_ENDED,
  };
}
