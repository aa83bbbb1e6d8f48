/** Domain refusals of the joint context; the handlers map `kind` to an HTTP status (handlers.ts). */
export type JointErrorKind = 'invalid' | 'forbidden' | 'notFound' | 'conflict';

export class JointError extends Error {
  constructor(
    readonly kind: JointErrorKind,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'JointError';
  }
}
