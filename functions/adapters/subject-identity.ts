/**
 * A subject named in a request, resolved for every context that reads or logs by subject (credit
 * files, bulk and joint checks, rights): normalised id, partition key and the label the log may hold.
 */
import { DomainError } from '#core/errors';
import { maskIdNumber, normalizeCode, validateIdNumber, validateUscc } from '#core/identifiers';
import { ISSUED_INVALID_USCC } from '#core/issued-invalid-codes';
import type { Caller } from './http.ts';
import { naturalSubjectKey, sealer, unseal } from './personal-data.ts';

export type SubjectType = 'LEGAL' | 'NATURAL';

/** A subject named in a request: normalised id, partition key and the label the log may hold. */
export type ResolvedSubject =
  | { ok: true; type: SubjectType; id: string; key: string; label: string }
  | { ok: false; type: SubjectType; key: string; label: string; message: string };

const MAX_IDENTIFIER = 64;

/**
 * Validates and keys a subject identifier. An invalid one is still keyed for the log, by a hash
 * and a masked label, so that a mistyped ID number never lands in the log in plaintext.
 */
export async function resolveSubject(type: SubjectType, raw: string): Promise<ResolvedSubject> {
  const check = type === 'LEGAL' ? validateUscc(raw, ISSUED_INVALID_USCC) : validateIdNumber(raw);
  if (check.ok) {
    const id = check.normalized;
    return type === 'LEGAL' ? { ok: true, type, id, key: id, label: id } : { ok: true, type, id, key: await naturalSubjectKey(id), label: maskIdNumber(id) };
  }
  const shown = normalizeCode(raw).slice(0, MAX_IDENTIFIER);
  return {
    ok: false,
    type,
    key: `INVALID#${await naturalSubjectKey(shown)}`,
    label: maskIdNumber(shown),
    message: `not a valid ${type === 'LEGAL' ? 'USCC' : 'resident ID number'}: ${check.errors.map((e) => e.message).join('; ')}`,
  };
}

/**
 * The opaque reference a `subject` user's token carries instead of its identifier (claims.ts):
 * `{type}:{normalised identifier}` sealed under the personal-data key (AES-256-GCM, random IV), so
 * a token read by anyone but the platform names nobody, and a reference made for one type is not
 * accepted for the other. Issued by POST /v1/subject-refs (admin) and by the local token issuer.
 */
export async function subjectRefOf(type: SubjectType, id: string): Promise<string> {
  return (await sealer())(`${type}:${id}`);
}

/** The subject a reference names, or undefined if it is not one the platform sealed for that type. */
export async function openSubjectRef(type: SubjectType, ref: string): Promise<Extract<ResolvedSubject, { ok: true }> | undefined> {
  let opened: string;
  try {
    opened = await unseal(ref);
  } catch {
    return undefined; // not sealed by this platform, altered, or not a reference at all
  }
  if (!opened.startsWith(`${type}:`)) return undefined;
  const own = await resolveSubject(type, opened.slice(type.length + 1));
  return own.ok ? own : undefined;
}

/** The subject a `subject` token speaks for, resolved from its opaque reference. */
export async function callerSubject(caller: Caller): Promise<Extract<ResolvedSubject, { ok: true }>> {
  if (!caller.subject) throw new DomainError('forbidden', 'NO_SUBJECT_IDENTITY', 'the token does not name a subject');
  const own = await openSubjectRef(caller.subject.type, caller.subject.ref);
  if (!own) throw new DomainError('forbidden', 'NO_SUBJECT_IDENTITY', "the token's subject reference is not one this platform issued for that subject type");
  return own;
}
