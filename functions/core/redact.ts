/**
 * Log redaction: resident ID numbers (18-digit, or legacy 15-digit) are masked the way responses
 * mask them, and bearer tokens, JWTs and credential-named attributes are replaced, wherever they
 * occur in a log entry — messages, attributes, nested objects, error messages and stacks.
 */
import { maskIdNumber } from './identifiers.ts';

export const REDACTED = '[REDACTED]';

// a digit run of exactly 15, or 17 plus a check digit/X, not part of a longer code (a USCC, a hash)
const ID_NUMBER = /(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const JWT = /\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
const SECRET_KEY = /^(authorization|token|access_?token|id_?token|refresh_?token|password|secret|pepper|data_?key|cookie)$/i;

export function redactText(s: string): string {
  return s
    .replace(ID_NUMBER, (id) => maskIdNumber(id))
    .replace(BEARER, `$1 ${REDACTED}`)
    .replace(JWT, REDACTED);
}

/** A JSON.stringify replacer: the Powertools logger calls it for every key and value it writes. */
export function redactLogValue(key: string, value: unknown): unknown {
  if (SECRET_KEY.test(key) && value !== undefined && value !== null) return REDACTED;
  if (typeof value === 'string') return redactText(value);
  if (value instanceof Error) {
    // the logger formats errors after this replacer; hand it a copy with redacted text
    const copy = new Error(redactText(value.message), { cause: value.cause });
    copy.name = value.name;
    copy.stack = value.stack === undefined ? undefined : redactText(value.stack);
    return copy;
  }
  return value;
}

/** Every resident ID number inside a text, masked (a USCC or a hash is left alone). */
export function maskIdNumbersIn(s: string): string {
  return s.replace(ID_NUMBER, (id) => maskIdNumber(id));
}

/**
 * A rejected row as it is stored and served (rejection CSV): the ID-number columns masked whole,
 * whatever their shape (a mistyped number is still someone's number), and any ID number inside
 * another cell masked. Row number, field, code and message are enough for the provider to find
 * the row in its own file.
 */
export function maskRejectedRow(raw: Record<string, unknown>, idColumns: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v === 'string') out[k] = idColumns.has(k) && v.trim() !== '' ? maskIdNumber(v.trim()) : maskIdNumbersIn(v);
    else if (typeof v === 'number' && idColumns.has(k)) out[k] = maskIdNumber(String(v));
    else if (v !== null && typeof v === 'object') out[k] = JSON.parse(maskIdNumbersIn(JSON.stringify(v)));
    else out[k] = v;
  }
  return out;
}
