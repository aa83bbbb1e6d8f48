/**
 * A subject named in a request, resolved for every context that reads or logs by subject (credit
 * files, bulk and joint checks, rights): normalised id, partition key and the label the log may hold.
 */
import { maskIdNumber, normalizeCode, validateIdNumber, validateUscc } from '#core/identifiers';
import { ISSUED_INVALID_USCC } from '#core/issued-invalid-codes';
import { HttpError, type Caller } from './http.ts';
import { naturalSubjectKey } from './personal-data.ts';

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

/** The subject a `subject` token speaks for, normalised like a path identifier. */
export async function callerSubject(caller: Caller): Promise<Extract<ResolvedSubject, { ok: true }>> {
  if (!caller.subject) throw new HttpError(403, 'NO_SUBJECT_IDENTITY', 'the token does not name a subject');
  const own = await resolveSubject(caller.subject.type, caller.subject.id);
  if (!own.ok) throw new HttpError(403, 'NO_SUBJECT_IDENTITY', `the token's subject is ${own.message}`);
  return own;
}
