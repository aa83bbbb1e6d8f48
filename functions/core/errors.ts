/**
 * Errors a use case raises when a request cannot be served: a stable `code`, a message and the
 * problems in `details`. They carry no HTTP status; the HTTP adapter (adapters/http.ts) maps each
 * code to one.
 */
export const DOMAIN_ERROR_CODES = ['SUBJECT_REQUIRED', 'INVALID_IDENTIFIER', 'NOT_YOUR_FILE', 'CORRECTION_NOT_ALLOWED', 'CORRECTION_INVALID'] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details?: unknown[],
    /** The Chinese message when it says more than the code's sentence (core/api-messages). */
    readonly messageZh?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
