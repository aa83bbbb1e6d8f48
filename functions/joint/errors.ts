/** Domain refusals of the joint context: DomainErrors, whose kind the HTTP adapter maps to a status. */
import { DomainError } from '#core/errors';

export type JointErrorKind = 'invalid' | 'forbidden' | 'notFound' | 'conflict';

export class JointError extends DomainError {
  constructor(kind: JointErrorKind, code: string, message: string) {
    super(kind, code, message);
    this.name = 'JointError';
  }
}
