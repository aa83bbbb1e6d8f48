/**
 * Identifier checks (docs/domain.md, Identifiers): USCC (GB 32100), organisation code (GB 11714), resident
 * identity number (GB 11643) and the 15-digit registration number (GS 15).
 *
 * The validators run once per row in the ingest hot path: they never throw, never build regular
 * expressions per call, and on the happy path allocate nothing beyond the result object.
 */
import { toHalfWidth } from './text.ts';

export type IdCheckCode = 'LENGTH' | 'FORMAT' | 'CHECKSUM' | 'DATE' | 'REGION' | 'INNER_ORG_CHECK' | 'UNKNOWN_TYPE';
export interface IdIssue {
  code: IdCheckCode;
  message: string;
}
export interface IdCheck {
  ok: boolean;
  normalized: string;
  errors: IdIssue[];
  warnings: IdIssue[];
  overridden?: boolean;
}

// Shared, frozen empty lists for results without issues (the common case): no per-call arrays.
const NO_ISSUES = Object.freeze([]) as unknown as IdIssue[];

function result(normalized: string, errors: IdIssue[] | null, warnings: IdIssue[] | null): IdCheck {
  return { ok: errors === null, normalized, errors: errors ?? NO_ISSUES, warnings: warnings ?? NO_ISSUES };
}

function add(list: IdIssue[] | null, code: IdCheckCode, message: string): IdIssue[] {
  const issue = { code, message };
  if (list === null) return [issue];
  list.push(issue);
  return list;
}

// ---------------------------------------------------------------------------------------------
// Normalisation

const REMOVABLE = /[\s\u2010-\u2015\u2212-]+/g; // whitespace, hyphen and the Unicode dashes

function isPlainUpperAlnum(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90))) return false;
  }
  return true;
}

/** Trim, full-width → half-width, upper-case, drop spaces and hyphens ('D2143569-X' → 'D2143569X'). */
export function normalizeCode(raw: string): string {
  if (isPlainUpperAlnum(raw)) return raw;
  return toHalfWidth(raw).toUpperCase().replace(REMOVABLE, '');
}

function quote(s: string): string {
  return s.length <= 64 ? `'${s}'` : `'${s.slice(0, 63)}…'`;
}

// ---------------------------------------------------------------------------------------------
// Organisation code — GB 11714-1997

const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** GB 11714 character value: 0–9 → 0–9, A–Z → 10–35 (I, O, S, V, Z included); -1 otherwise. */
function orgValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 90) return c - 55;
  return -1;
}

function orgCheckFrom(s: string, start: number): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const v = orgValue(s.charCodeAt(start + i));
    if (v < 0) throw new RangeError(`not a GB 11714 body character: ${quote(s[start + i] ?? '')}`);
    sum += v * ORG_WEIGHTS[i]!;
  }
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/** Check character for an 8-character organisation-code body. Throws on a malformed body. */
export function orgCodeCheckChar(body8: string): string {
  if (body8.length !== 8) throw new RangeError(`organisation code body must be 8 characters, got ${body8.length}`);
  return orgCheckFrom(body8, 0);
}

export function validateOrgCode(raw: string): IdCheck {
  const s = normalizeCode(raw);
  if (s.length !== 9) return result(s, add(null, 'LENGTH', `organisation code must be 9 characters, got ${s.length}`), null);
  for (let i = 0; i < 8; i++) {
    if (orgValue(s.charCodeAt(i)) < 0) {
      return result(s, add(null, 'FORMAT', `character ${quote(s[i]!)} at position ${i + 1} is not a digit or letter`), null);
    }
  }
  const last = s.charCodeAt(8);
  if (!((last >= 48 && last <= 57) || last === 88)) {
    return result(s, add(null, 'FORMAT', `check character must be a digit or 'X', got ${quote(s[8]!)}`), null);
  }
  const expected = orgCheckFrom(s, 0);
  if (expected !== s[8]) {
    return result(s, add(null, 'CHECKSUM', `check character should be '${expected}', got '${s[8]}'`), null);
  }
  return result(s, null, null);
}

// ---------------------------------------------------------------------------------------------
// Unified Social Credit Code — GB 32100-2015

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'; // no I, O, S, V, Z
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]; // 3^(i-1) mod 31
const USCC_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < USCC_ALPHABET.length; i++) USCC_VALUE[USCC_ALPHABET.charCodeAt(i)] = i;

function usccValue(c: number): number {
  return c < 128 ? USCC_VALUE[c]! : -1;
}

/** Known registration-authority (pos 1) → organisation-type (pos 2) pairs (docs/domain.md, Identifiers). */
const USCC_TYPES: Readonly<Record<string, string>> = {
  '1': '1239',
  '2': '19',
  '3': '123459',
  '4': '19',
  '5': '1239',
  '6': '129',
  '7': '129',
  '8': '19',
  '9': '123',
  A: '19',
  N: '1239',
  Y: '1',
};

/** Check character for the first 17 USCC characters. Throws on a malformed input. */
export function usccCheckChar(first17: string): string {
  if (first17.length !== 17) throw new RangeError(`USCC body must be 17 characters, got ${first17.length}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = usccValue(first17.charCodeAt(i));
    if (v < 0) throw new RangeError(`not a USCC character: ${quote(first17[i]!)}`);
    sum += v * USCC_WEIGHTS[i]!;
  }
  return USCC_ALPHABET[(31 - (sum % 31)) % 31]!;
}

function usccFormatError(s: string): string | null {
  for (let i = 0; i < 18; i++) {
    const c = s.charCodeAt(i);
    if (i >= 2 && i <= 7) {
      if (c < 48 || c > 57) return `division code (positions 3-8) must be digits, got ${quote(s.slice(2, 8))}`;
    } else if (usccValue(c) < 0) {
      const excluded = c === 73 || c === 79 || c === 83 || c === 86 || c === 90;
      return `character ${quote(s[i]!)} at position ${i + 1} is not allowed${excluded ? ' (I, O, S, V and Z are never used)' : ''}`;
    }
  }
  return null;
}

/**
 * Levels per docs/domain.md, Identifiers: length, format, checksum are errors; the inner GB 11714 check and an
 * unknown authority/type pair are warnings. A code on `overrides` (issued although its checksum
 * fails) is accepted with the checksum failure reported as a warning.
 */
export function validateUscc(raw: string, overrides?: ReadonlySet<string>): IdCheck {
  const s = normalizeCode(raw);
  if (s.length !== 18) return result(s, add(null, 'LENGTH', `USCC must be 18 characters, got ${s.length}`), null);
  const formatError = usccFormatError(s);
  if (formatError !== null) return result(s, add(null, 'FORMAT', formatError), null);

  let errors: IdIssue[] | null = null;
  let warnings: IdIssue[] | null = null;
  let overridden = false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_VALUE[s.charCodeAt(i)]! * USCC_WEIGHTS[i]!;
  const expected = USCC_ALPHABET[(31 - (sum % 31)) % 31]!;
  if (expected !== s[17]) {
    const message = `check character should be '${expected}', got '${s[17]}'`;
    if (overrides?.has(s)) {
      overridden = true;
      warnings = add(warnings, 'CHECKSUM', `${message} (accepted: on the list of issued codes)`);
    } else {
      errors = add(errors, 'CHECKSUM', message);
    }
  }
  const innerExpected = orgCheckFrom(s, 8);
  if (innerExpected !== s[16]) {
    warnings = add(warnings, 'INNER_ORG_CHECK', `embedded organisation code ${s.slice(8, 17)} should end in '${innerExpected}'`);
  }
  const types = USCC_TYPES[s[0]!];
  if (types === undefined || !types.includes(s[1]!)) {
    warnings = add(warnings, 'UNKNOWN_TYPE', `unknown registration authority / organisation type pair '${s.slice(0, 2)}'`);
  }
  const out = result(s, errors, warnings);
  if (overridden) out.overridden = true;
  return out;
}

/** The embedded organisation code (positions 9–17) of a USCC. */
export function orgCodeOfUscc(uscc: string): string {
  return normalizeCode(uscc).slice(8, 17);
}

// ---------------------------------------------------------------------------------------------
// Resident identity number — GB 11643-1999 (and the legacy 15-digit GB 11643-1989 form)

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]; // 2^(18-i) mod 11
const ID_CHECK = '10X98765432';
const DEFAULT_MIN_BIRTH_YEAR = 1850;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function allDigits(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}

function idCheckFrom(s: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (s.charCodeAt(i) - 48) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

/** Check character for the first 17 digits of an 18-digit ID number. Throws on non-digits. */
export function idCheckChar(first17: string): string {
  if (first17.length !== 17 || !allDigits(first17, 0, 17)) throw new RangeError('ID number body must be 17 digits');
  return idCheckFrom(first17);
}

/** Legacy 15-digit number → 18 digits: insert '19' before YYMMDD and append the check character. */
export function id15to18(id15: string): string {
  if (id15.length !== 15 || !allDigits(id15, 0, 15)) throw new RangeError('a 15-digit ID number must be 15 digits');
  const body = `${id15.slice(0, 6)}19${id15.slice(6)}`;
  return body + idCheckFrom(body);
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function digitsAt(s: string, from: number, count: number): number {
  let n = 0;
  for (let i = 0; i < count; i++) n = n * 10 + (s.charCodeAt(from + i) - 48);
  return n;
}

// Today's date as YYYYMMDD, recomputed at most once a minute when the caller does not pass one.
let cachedTodayAt = 0;
let cachedToday = 0;
function todayNumber(): number {
  const now = Date.now();
  if (now - cachedTodayAt > 60_000) {
    const d = new Date(now);
    cachedToday = d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
    cachedTodayAt = now;
  }
  return cachedToday;
}

function dateNumber(isoDate: string): number {
  return digitsAt(isoDate, 0, 4) * 10000 + digitsAt(isoDate, 5, 2) * 100 + digitsAt(isoDate, 8, 2);
}

function birthDateError(s18: string, today: number, minYear: number): string | null {
  const y = digitsAt(s18, 6, 4);
  const m = digitsAt(s18, 10, 2);
  const d = digitsAt(s18, 12, 2);
  const shown = s18.slice(6, 14);
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return `birth date ${shown} is not a real date`;
  if (y < minYear) return `birth date ${shown} is before ${minYear}`;
  if (y * 10000 + m * 100 + d > today) return `birth date ${shown} is in the future`;
  return null;
}

/** First digit 1–6 (the six macro-regions) or the 81/82/83 prefixes of HK/Macau/Taiwan residence permits. */
function regionOk(s: string): boolean {
  const a = s.charCodeAt(0);
  if (a >= 49 && a <= 54) return true;
  const b = s.charCodeAt(1);
  return a === 56 && b >= 49 && b <= 51;
}

export interface IdNumberOptions {
  /** YYYY-MM-DD; defaults to the current UTC date. */
  today?: string;
  /** Earliest accepted birth year; defaults to 1850 (the standard sets none; its own example is born 1880). */
  minBirthYear?: number;
}

/**
 * 18-digit numbers, or legacy 15-digit ones (converted). `normalized` is the 18-digit form
 * whenever the input has a well-formed 15- or 18-digit shape; every failed level is reported.
 */
export function validateIdNumber(raw: string, opts?: IdNumberOptions): IdCheck {
  let s = normalizeCode(raw);
  const legacy = s.length === 15;
  if (legacy) {
    if (!allDigits(s, 0, 15)) return result(s, add(null, 'FORMAT', 'a 15-digit ID number must contain digits only'), null);
    s = id15to18(s);
  } else if (s.length === 18) {
    const last = s.charCodeAt(17);
    if (!allDigits(s, 0, 17) || !(isDigit(last) || last === 88)) {
      return result(s, add(null, 'FORMAT', 'ID number must be 17 digits followed by a digit or X'), null);
    }
  } else {
    return result(s, add(null, 'LENGTH', `ID number must be 18 (or legacy 15) characters, got ${s.length}`), null);
  }

  let errors: IdIssue[] | null = null;
  if (!regionOk(s)) errors = add(errors, 'REGION', `address code ${s.slice(0, 6)} is not in a known region`);
  const today = opts?.today ? dateNumber(opts.today) : todayNumber();
  const dateError = birthDateError(s, today, opts?.minBirthYear ?? DEFAULT_MIN_BIRTH_YEAR);
  if (dateError !== null) errors = add(errors, 'DATE', dateError);
  if (!legacy) {
    // A converted legacy number gets its check character by construction; only 18-digit input can fail.
    const expected = idCheckFrom(s);
    if (expected !== s[17]) errors = add(errors, 'CHECKSUM', `check character should be '${expected}', got '${s[17]}'`);
  }
  return result(s, errors, null);
}

/** Mask for display: first 6 + '********' + last 4 ('110105********002X'). */
export function maskIdNumber(id18: string): string {
  const n = id18.length;
  if (n <= 10) return '*'.repeat(n);
  return `${id18.slice(0, 6)}${'*'.repeat(n - 10)}${id18.slice(n - 4)}`;
}

// ---------------------------------------------------------------------------------------------
// Registration number (工商注册号) — GS 15-2006, ISO 7064 MOD 11,10

/** Check digit for the first 14 digits of a registration number. Throws on non-digits. */
export function regNoCheckDigit(first14: string): string {
  if (first14.length !== 14 || !allDigits(first14, 0, 14)) throw new RangeError('registration number body must be 14 digits');
  return regNoCheckFrom(first14);
}

function regNoCheckFrom(s: string): string {
  let p = 10;
  for (let i = 0; i < 14; i++) {
    const sum = (p + (s.charCodeAt(i) - 48)) % 10 || 10;
    p = (sum * 2) % 11;
  }
  return String((11 - p) % 10);
}

export function validateRegNo(raw: string): IdCheck {
  const s = normalizeCode(raw);
  if (s.length !== 15) return result(s, add(null, 'LENGTH', `registration number must be 15 digits, got ${s.length} characters`), null);
  if (!allDigits(s, 0, 15)) return result(s, add(null, 'FORMAT', 'registration number must contain digits only'), null);
  const expected = regNoCheckFrom(s);
  if (expected !== s[14]) return result(s, add(null, 'CHECKSUM', `check digit should be '${expected}', got '${s[14]}'`), null);
  return result(s, null, null);
}
