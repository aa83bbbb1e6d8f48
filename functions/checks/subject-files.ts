/**
 * What bulk checks and eligibility share with a single query: identifier validation, partition
 * keys, reading whole credit files many partitions a request, the access decision for the caller
 * (decideAccess, the same rules a query applies) and the query-log entry for each subject.
 */
import { decideAccess, type AccessDecision } from '#core/access-rules';
import type { Catalog } from '#core/catalog';
import { maskIdNumber, validateIdNumber, validateUscc } from '#core/identifiers';
import { ISSUED_INVALID_USCC } from '#core/issued-invalid-codes';
import { naturalKeyer } from '#adapters/personal-data';
import type { QueryLogEntry } from '#adapters/query-log-repo';
import { subjectPartitions, type StoredRecord } from '#adapters/subject-repo';

export type SubjectType = 'LEGAL' | 'NATURAL';

export interface CheckCaller {
  role: 'admin' | 'provider' | 'gov' | 'market' | 'subject';
  unit?: string | null;
  sub: string;
}

export type ParsedId =
  | { ok: true; id: string; label: string }
  /** `shown`: the normalised input, cut to a sane length; what the log keys an invalid id by (hashed). */
  | { ok: false; label: string; shown: string; code: string; message: string };

const MAX_LABEL = 64;

/** Validates and normalises one submitted id; the label is what results and logs may show. */
export function parseId(type: SubjectType, raw: string): ParsedId {
  const check = type === 'LEGAL' ? validateUscc(raw, ISSUED_INVALID_USCC) : validateIdNumber(raw);
  if (check.ok) return { ok: true, id: check.normalized, label: type === 'LEGAL' ? check.normalized : maskIdNumber(check.normalized) };
  const shown = check.normalized.length > MAX_LABEL ? `${check.normalized.slice(0, MAX_LABEL - 1)}…` : check.normalized;
  return {
    ok: false,
    shown,
    // an ID number is masked wherever it turns up, even submitted where USCCs were asked
    label: type === 'NATURAL' || validateIdNumber(shown).ok ? maskIdNumber(shown) : shown,
    code: 'INVALID_IDENTIFIER',
    message: `not a valid ${type === 'LEGAL' ? 'USCC' : 'resident ID number'}: ${check.errors.map((e) => e.message).join('; ')}`,
  };
}

/** Does the id pass as the other subject type (a USCC where ID numbers were asked, or the reverse)? */
export function isOtherType(type: SubjectType, raw: string): boolean {
  return type === 'LEGAL' ? validateIdNumber(raw).ok : validateUscc(raw, ISSUED_INVALID_USCC).ok;
}

/** The partition key function for a subject type: the USCC itself, or the HMAC of the ID number. */
export async function keyerFor(type: SubjectType): Promise<(id: string) => string> {
  if (type === 'LEGAL') return (id) => id;
  return naturalKeyer();
}

/**
 * The query-log key of an invalid id, as a query with a malformed identifier is logged: a hash
 * under INVALID#, so a mistyped ID number never lands in the log in plaintext.
 */
export async function invalidKeyer(): Promise<(shown: string) => string> {
  const hmac = await naturalKeyer();
  return (shown) => `INVALID#${hmac(shown)}`;
}

export interface CreditFile {
  key: string;
  found: boolean;
  name?: string;
  records: StoredRecord[];
}

/** Reads the credit files of many subjects (each partition once, 50 a request), keyed by partition key. */
export async function readFiles(type: SubjectType, keys: string[]): Promise<Map<string, CreditFile>> {
  const partitions = await subjectPartitions(type === 'LEGAL' ? 'legalSubjects' : 'naturalSubjects', keys);
  return new Map(
    [...partitions].map(([key, { registration, records }]) => [
      key,
      { key, found: Boolean(registration) || records.length > 0, name: registration?.name as string | undefined, records },
    ]),
  );
}

/** The access decision for one subject, exactly as a query by this caller for this purpose. */
export function accessFor(
  caller: CheckCaller,
  catalog: Catalog | undefined,
  subject: { type: SubjectType; id: string; key: string },
  purpose: string | undefined,
  now: string,
): AccessDecision {
  return decideAccess({
    caller: { role: caller.role, ...(caller.unit ? { unit: caller.unit } : {}) },
    subject,
    purpose,
    // none cited (undefined): null would mean "cited, but no such authorisation"
    applications: catalog?.applications ?? [],
    now,
  });
}

export function logEntry(
  fields: { queryId: string; at: string; caller: CheckCaller; channel: string; purpose?: string; businessRef?: string | null; checkId?: string },
  subject: { type: SubjectType; key: string; label: string },
  outcome: { outcome: QueryLogEntry['outcome']; status: number; records: number; reason?: string },
): QueryLogEntry {
  return {
    queryId: fields.queryId,
    at: fields.at,
    role: fields.caller.role,
    ...(fields.caller.unit ? { unit: fields.caller.unit } : {}),
    sub: fields.caller.sub,
    channel: fields.channel,
    ...(fields.purpose ? { purpose: fields.purpose } : {}),
    ...(fields.businessRef ? { businessRef: fields.businessRef } : {}),
    subjectType: subject.type,
    subjectKey: subject.key,
    subjectLabel: subject.label,
    outcome: outcome.outcome,
    status: outcome.status,
    records: outcome.records,
    ...(outcome.reason ? { reason: outcome.reason } : {}),
    ...(fields.checkId ? { checkId: fields.checkId } : {}),
  };
}
