/**
 * Credit-list entries in the national exchange (type `CREDIT_LIST`, docs/adr/0003-national-export.md
 * "List entries"): a LISTED entry of a legal person is sent as an upsert with the `MD_*` fields
 * below, and withdrawn when it exits. No public specification of the national list interface was
 * found; the fields follow the Version B naming (`MD` for 名单) and the list categories of Credit
 * China's list API (creditType 2 = 守信红名单, 8 = 黑名单; the ADR's field table).
 * mapListEntry builds the fields; validateListEntry checks them strictly — the exporter before
 * sending, the local stand-in national platform on receipt.
 */
import type { CreditList } from './catalog.ts';
import type { ListEntry } from './credit-lists.ts';
import { addYears } from './credit-lists.ts';
import { validateUscc } from './identifiers.ts';
import { ISSUED_INVALID_USCC } from './issued-invalid-codes.ts';
import { nationalDate, type NationalFields, type NationalProblem } from './national-format.ts';

export const CREDIT_LIST_TYPE = 'CREDIT_LIST';

/** 名单类别 per list kind (Credit China creditType). */
export const LIST_CATEGORY: Readonly<Record<CreditList['kind'], string>> = { RED: '2', SERIOUS_DISHONESTY: '8' };
/** 认定方式: by the list's rule (behaviours) or by a unit's decision. */
export const ENTRY_WAYS: Readonly<Record<ListEntry['by'], string>> = { RULE: '依规则认定', DECISION: '依决定认定' };

const TEXT_MAX = 4000;
const NAME_MAX = 200;
const CATEGORIES = new Set(Object.values(LIST_CATEGORY));
const WAYS = new Set(Object.values(ENTRY_WAYS));
const DATE = /^(\d{4})\/(\d{2})\/(\d{2})$/;

/** Why an entry is not sent at all (nothing to withdraw either), or null when it is. */
export function notSent(e: Pick<ListEntry, 'subject'>): string | null {
  // a person's list entry keeps no readable ID number (only its keyed hash), and the national
  // list exchange names legal persons by their USCC
  return e.subject.type === 'LEGAL' ? null : 'natural persons are not sent: the entry holds no readable ID number';
}

/** The operation an entry's current state calls for: an upsert while LISTED, a withdrawal once it has exited after being listed. */
export function listEntryOp(e: Pick<ListEntry, 'status' | 'listedOn'>): 'UPSERT' | 'WITHDRAW' | null {
  if (e.status === 'LISTED') return 'UPSERT';
  if (e.status === 'EXITED' && e.listedOn !== undefined) return 'WITHDRAW';
  return null;
}

/** The day before `day` (YYYY-MM-DD): an entry's `until` is exclusive, 有效期至 is the last day. */
function dayBefore(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/** The `MD_*` fields of a LISTED entry of a legal person. */
export function mapListEntry(e: ListEntry, list: CreditList): NationalFields {
  const listedOn = e.listedOn ?? '';
  const until = e.until ?? (listedOn ? addYears(listedOn, list.years) : '');
  return {
    MD_MDMC: list.name,
    MD_MDLB: LIST_CATEGORY[list.kind],
    MD_XDR_MC: e.subjectName,
    MD_XDR_SHXYM: e.subject.key,
    MD_LRYJ: e.basis,
    MD_LRSY: e.reasons,
    MD_RDFS: ENTRY_WAYS[e.by],
    MD_RDDW: list.unit,
    MD_LRRQ: nationalDate(listedOn) ?? listedOn,
    MD_YXQZ: until ? (nationalDate(dayBefore(until)) ?? until) : '',
  };
}

const REQUIRED = ['MD_MDMC', 'MD_MDLB', 'MD_XDR_MC', 'MD_XDR_SHXYM', 'MD_LRYJ', 'MD_LRSY', 'MD_RDFS', 'MD_RDDW', 'MD_LRRQ', 'MD_YXQZ'] as const;
const KNOWN = new Set<string>(REQUIRED);

function realDate(v: string): boolean {
  const m = DATE.exec(v);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** Every problem of a `CREDIT_LIST` record's fields; empty when it may be sent. `today`: YYYY-MM-DD in China. */
export function validateListEntry(r: NationalFields, opts: { today: string }): NationalProblem[] {
  const problems: NationalProblem[] = [];
  for (const field of Object.keys(r)) if (!KNOWN.has(field)) problems.push({ field, message: 'is not a field of a credit-list record' });
  for (const field of REQUIRED) {
    const v = r[field];
    if (v === undefined || v.trim() === '') {
      problems.push({ field, message: 'is required' });
      continue;
    }
    const max = field === 'MD_LRYJ' || field === 'MD_LRSY' ? TEXT_MAX : field === 'MD_RDDW' ? 64 : NAME_MAX;
    if ([...v].length > max) problems.push({ field, message: `is longer than ${max} characters` });
  }
  const { MD_MDLB: category, MD_RDFS: way, MD_XDR_SHXYM: uscc, MD_LRRQ: listed, MD_YXQZ: until } = r;
  if (category && !CATEGORIES.has(category))
    problems.push({ field: 'MD_MDLB', message: `${JSON.stringify(category)} is not one of ${[...CATEGORIES].join(', ')}` });
  if (way && !WAYS.has(way)) problems.push({ field: 'MD_RDFS', message: `${JSON.stringify(way)} is not one of ${[...WAYS].join(', ')}` });
  if (uscc) {
    const check = validateUscc(uscc, ISSUED_INVALID_USCC);
    if (!check.ok || check.normalized !== uscc)
      problems.push({ field: 'MD_XDR_SHXYM', message: `${JSON.stringify(uscc)} is not a valid unified social credit code` });
  }
  for (const [field, v] of [
    ['MD_LRRQ', listed],
    ['MD_YXQZ', until],
  ] as const) {
    if (v && !realDate(v)) problems.push({ field, message: `${JSON.stringify(v)} is not a YYYY/MM/DD date` });
  }
  if (listed && realDate(listed) && listed > opts.today.replaceAll('-', '/')) problems.push({ field: 'MD_LRRQ', message: `${listed} is in the future` });
  if (listed && until && realDate(listed) && realDate(until) && until < listed)
    problems.push({ field: 'MD_YXQZ', message: `${until} is before 列入日期 ${listed}` });
  return problems;
}
