/** Who a subject-rights request is about and who makes it: the shared first steps of functions/rights. */
import { DomainError } from '#core/errors';
import type { Actor } from '#core/objections';
import type { Caller } from '#adapters/http';
import { callerSubject, resolveSubject } from '#adapters/subject-identity';
import type { SubjectRef } from './schemas.ts';

export interface NamedSubject {
  type: 'LEGAL' | 'NATURAL';
  id: string;
  /** USCC or the natural person's HMAC key: the partition of the subject's file. */
  key: string;
  /** USCC or the masked ID number. */
  label: string;
}

/**
 * A `subject` caller speaks for the subject its token names (naming another is refused); every
 * other caller names the subject in the body.
 */
export async function subjectOfRequest(caller: Caller, named: SubjectRef | undefined): Promise<NamedSubject> {
  if (caller.role === 'subject') {
    const own = await callerSubject(caller);
    if (named) {
      const other = await resolveSubject(named.type, named.id);
      if (!other.ok || other.type !== own.type || other.key !== own.key)
        throw new DomainError('forbidden', 'NOT_YOUR_FILE', 'a subject acts only on its own credit file');
    }
    return own;
  }
  if (!named) throw new DomainError('invalid', 'SUBJECT_REQUIRED', 'name the subject: "subject": {"type": "LEGAL" | "NATURAL", "id": USCC or ID number}');
  const subject = await resolveSubject(named.type, named.id);
  if (!subject.ok) throw new DomainError('invalid', 'INVALID_IDENTIFIER', `'${subject.label}' is ${subject.message}`);
  return subject;
}

export const actorOf = (caller: Caller): Actor => ({
  role: caller.role as Actor['role'],
  ...(caller.unit ? { unit: caller.unit } : {}),
  sub: caller.sub,
});
