/**
 * Errors a use case raises when a request cannot be served: what kind of refusal it is, a stable
 * `code` (its Chinese sentence is in core/api-messages), a message and the problems in `details`.
 * They carry no HTTP status; the HTTP adapter (adapters/http.ts) maps each kind to one.
 */
export const DOMAIN_ERROR_KINDS = [
  /** The request itself is wrong (a bad identifier, cursor, document). */
  'invalid',
  /** The caller may not do this. */
  'forbidden',
  /** What the request names does not exist (or is not the caller's to see). */
  'notFound',
  /** The state of what it names does not allow it now (already decided, changed meanwhile, running). */
  'conflict',
  /** Well-formed, but the rules refuse its content. */
  'unprocessable',
  /** It existed but is no longer kept (a report whose files have expired). */
  'gone',
  /** An allowance is used up (a budget, a quota). */
  'exhausted',
] as const;
export type DomainErrorKind = (typeof DOMAIN_ERROR_KINDS)[number];

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    readonly details?: unknown[],
    /** The Chinese message when it says more than the code's sentence (core/api-messages). */
    readonly messageZh?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
