/**
 * Field parsers of an information item, compiled once per item: text, numbers, dates, enums, sets
 * and identifiers, each a closure that reads one cell and records its errors on the row context.
 */
import type { FieldDef } from './catalog.ts';
import { SET_SEPARATORS } from './catalog.ts';
import { daysInMonth, validateIdNumber, validateOrgCode, validateRegNo, validateUscc } from './identifiers.ts';
import { INVALID, type Parsed, type RowContext, boundedText, cellText, describe, identifier, idValue, showMasked, showZh } from './row-cells.ts';
import { show } from './row-errors.ts';
import { normalizeCell } from './text.ts';

export interface CompileOptions {
  /** YYYY-MM-DD: decision dates may not be later; birth dates in ID numbers may not be later. */
  today: string;
  /** Issued-but-checksum-invalid USCCs accepted anyway (see issued-invalid-codes.ts). */
  overrides?: ReadonlySet<string>;
}

const DEFAULT_MAX_LENGTH: Readonly<Partial<Record<string, number>>> = { string: 512, text: 4000 };
const MAX_DECIMALS = 6;
const MIN_YEAR = 1800;

// ---------------------------------------------------------------------------------------------
// Dates: YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD (1- or 2-digit month/day), YYYYMMDD, YYYY年M月D日

function digitRun(s: string, from: number): number {
  let i = from;
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  return i - from;
}

function num(s: string, from: number, len: number): number {
  let n = 0;
  for (let i = from; i < from + len; i++) n = n * 10 + (s.charCodeAt(i) - 48);
  return n;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** The ISO form, or null when the text is not a date of an accepted shape; 'INVALID_DAY' when not on the calendar. */
function parseDate(s: string): string | null | 'NOT_A_DAY' {
  let y: number;
  let m: number;
  let d: number;
  if (s.length === 10 && s[4] === '-' && s[7] === '-' && digitRun(s, 0) === 4 && digitRun(s, 5) === 2 && digitRun(s, 8) === 2) {
    y = num(s, 0, 4);
    m = num(s, 5, 2);
    d = num(s, 8, 2);
  } else if (s.length === 8 && digitRun(s, 0) === 8) {
    y = num(s, 0, 4);
    m = num(s, 4, 2);
    d = num(s, 6, 2);
  } else {
    if (digitRun(s, 0) !== 4) return null;
    const sep1 = s[4];
    const chinese = sep1 === '年';
    if (!(chinese || sep1 === '-' || sep1 === '/' || sep1 === '.')) return null;
    const ml = digitRun(s, 5);
    if (ml < 1 || ml > 2) return null;
    const sep2 = s[5 + ml];
    if (sep2 !== (chinese ? '月' : sep1)) return null;
    const dl = digitRun(s, 6 + ml);
    if (dl < 1 || dl > 2) return null;
    const end = 6 + ml + dl;
    if (!(chinese ? s.length === end + 1 && s[end] === '日' : s.length === end)) return null;
    y = num(s, 0, 4);
    m = num(s, 5, ml);
    d = num(s, 6 + ml, dl);
  }
  if (y < MIN_YEAR || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return 'NOT_A_DAY';
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

// ---------------------------------------------------------------------------------------------
// Field parsers, compiled once per item

export type FieldValue = string | number | string[];
export type FieldParser = (v: unknown, ctx: RowContext) => Parsed<FieldValue>;

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

function listOf(values: readonly string[]): string {
  const shown = values.slice(0, 12).join(', ');
  return values.length > 12 ? `${shown}, … (${values.length} values)` : shown;
}

function listOfZh(values: readonly string[]): string {
  const shown = values.slice(0, 12).join('、');
  return values.length > 12 ? `${shown}等 ${values.length} 个值` : shown;
}

function rangeCheck(f: FieldDef, n: number, text: string, ctx: RowContext): Parsed<number> {
  if (f.min !== undefined && n < f.min)
    return ctx.fail(f.key, 'RANGE', `${f.key} ${text} is less than the minimum ${f.min}`, `应为不小于 ${f.min} 的数字，实际为 ${showZh(text)}`);
  if (f.max !== undefined && n > f.max)
    return ctx.fail(f.key, 'RANGE', `${f.key} ${text} is greater than the maximum ${f.max}`, `应为不大于 ${f.max} 的数字，实际为 ${showZh(text)}`);
  return n;
}

export function compileField(f: FieldDef, opts: CompileOptions): FieldParser {
  const key = f.key;
  switch (f.type) {
    case 'string':
    case 'text': {
      const max = f.maxLength ?? DEFAULT_MAX_LENGTH[f.type]!;
      return (v, ctx) => boundedText(v, key, max, ctx);
    }
    case 'integer':
      return (v, ctx) => {
        const s = cellText(v, key, ctx);
        if (typeof s !== 'string') return s;
        const n = INTEGER.test(s) ? Number(s) : NaN;
        if (!Number.isSafeInteger(n)) return ctx.fail(key, 'TYPE', `${key} ${show(s)} is not a whole number`, `应为整数，实际为 ${showZh(s)}`);
        return rangeCheck(f, n, s, ctx);
      };
    case 'decimal':
      return (v, ctx) => {
        const s = cellText(v, key, ctx);
        if (typeof s !== 'string') return s;
        if (!DECIMAL.test(s)) return ctx.fail(key, 'TYPE', `${key} ${show(s)} is not a decimal number`, `应为数字，实际为 ${showZh(s)}`);
        const dot = s.indexOf('.');
        if (dot >= 0 && s.length - dot - 1 > MAX_DECIMALS) {
          return ctx.fail(
            key,
            'TYPE',
            `${key} ${show(s)} has more than ${MAX_DECIMALS} decimal places`,
            `小数位数不应超过 ${MAX_DECIMALS} 位，实际为 ${showZh(s)}`,
          );
        }
        return rangeCheck(f, Number(s), s, ctx);
      };
    case 'date':
      return (v, ctx) => {
        const s = cellText(v, key, ctx);
        if (typeof s !== 'string') return s;
        const iso = parseDate(s);
        if (iso === null)
          return ctx.fail(key, 'DATE', `${key} ${show(s)} is not a date in the form YYYY-MM-DD`, `应为日期（如 2026-03-01），实际为 ${showZh(s)}`);
        if (iso === 'NOT_A_DAY') return ctx.fail(key, 'DATE', `${key} ${show(s)} is not a real calendar date`, `不是日历上存在的日期：${showZh(s)}`);
        return iso;
      };
    case 'enum': {
      const canonical = choiceMap(f.values ?? []);
      const allowed = listOf(f.values ?? []);
      const allowedZh = listOfZh(f.values ?? []);
      return (v, ctx) => {
        const s = cellText(v, key, ctx);
        if (typeof s !== 'string') return s;
        return canonical.get(s) ?? ctx.fail(key, 'ENUM', `${key} ${show(s)} is not one of: ${allowed}`, `应为以下之一：${allowedZh}，实际为 ${showZh(s)}`);
      };
    }
    case 'set': {
      const canonical = choiceMap(f.values ?? []);
      const allowed = listOf(f.values ?? []);
      const allowedZh = listOfZh(f.values ?? []);
      return (v, ctx) => parseSet(v, key, canonical, allowed, allowedZh, ctx);
    }
    case 'uscc': {
      const check = (s: string) => validateUscc(s, opts.overrides);
      return (v, ctx) => idValue(identifier(v, key, ctx, check));
    }
    case 'orgCode':
      return (v, ctx) => idValue(identifier(v, key, ctx, validateOrgCode));
    case 'regNo':
      return (v, ctx) => idValue(identifier(v, key, ctx, validateRegNo));
    case 'idNumber': {
      const idOpts = { today: opts.today };
      const check = (s: string) => validateIdNumber(s, idOpts);
      return (v, ctx) => idValue(identifier(v, key, ctx, check, showMasked));
    }
  }
}

/** Normalised spelling → the catalog's canonical value (catalog values may hold full-width punctuation). */
function choiceMap(values: readonly string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const v of values) m.set(normalizeCell(v), v);
  return m;
}

const SET_SPLIT = new RegExp(SET_SEPARATORS.source, 'g');

function parseSet(v: unknown, key: string, canonical: Map<string, string>, allowed: string, allowedZh: string, ctx: RowContext): Parsed<string[]> {
  let parts: unknown[];
  if (Array.isArray(v)) parts = v;
  else {
    const s = cellText(v, key, ctx);
    if (typeof s !== 'string') return s;
    parts = s.split(SET_SPLIT);
  }
  const out: string[] = [];
  let failed = false;
  for (const p of parts) {
    const s = typeof p === 'string' ? normalizeCell(p) : typeof p === 'number' ? String(p) : null;
    if (s === null) {
      ctx.fail(key, 'TYPE', `${key} values must be text, got ${describe(p)}`, '各个值应为文本');
      failed = true;
      continue;
    }
    if (s === '') continue;
    const c = canonical.get(s);
    if (c === undefined) {
      ctx.fail(key, 'ENUM', `${key} value ${show(s)} is not one of: ${allowed}`, `${showZh(s)} 不在可选值中：${allowedZh}`);
      failed = true;
    } else if (!out.includes(c)) out.push(c);
  }
  if (failed) return INVALID;
  return out.length === 0 ? undefined : out;
}
