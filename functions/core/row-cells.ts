/**
 * Cells of an uploaded row: the per-row error context, a cell read as text (control characters
 * refused, width folded), and identifier cells checked by core/identifiers. Used by the field
 * parsers (row-fields.ts), the subject columns (row-subject.ts) and the row validator.
 */
import type { IdCheck, IdCheckCode } from './identifiers.ts';
import { maskIdNumber, normalizeCode } from './identifiers.ts';
import { rowMessageZh, show, subjectLabel, type LabelOf, type RowError, type RowErrorCode } from './row-errors.ts';
import { normalizeCell, trimCell, truncate } from './text.ts';

export const INVALID: unique symbol = Symbol('invalid');
export type Parsed<T> = T | undefined | typeof INVALID; // undefined: absent; INVALID: an error was recorded

export class RowContext {
  errors: RowError[] | null = null;
  constructor(
    readonly row: number,
    readonly label: LabelOf = subjectLabel,
  ) {}

  /** Records an error: `message` in English, `zh` the Chinese detail (the row and the label are put in front). */
  fail(field: string | null, code: RowErrorCode, message: string, zh: string): typeof INVALID {
    const error = { row: this.row, field, code, message, messageZh: rowMessageZh(this.row, field === null ? null : this.label(field), zh) };
    if (this.errors === null) this.errors = [error];
    else this.errors.push(error);
    return INVALID;
  }

  hasErrorOn(field: string): boolean {
    return this.errors !== null && this.errors.some((e) => e.field === field);
  }
}

/** A value in a Chinese message, in the quotes the example messages use. */
export function showZh(v: string): string {
  return `"${truncate(v)}"`;
}

export function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${truncate(String(v))}`;
}

// C0/C1 controls other than tab and line breaks: never meant as data, and XML (the national
// export) cannot carry most of them
const CONTROL_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

function controlCharError(v: string, field: string, ctx: RowContext): typeof INVALID {
  const c = CONTROL_CHAR.exec(v)![0].charCodeAt(0);
  const u = `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  return ctx.fail(field, 'CONTROL_CHARACTER', `${field} contains the control character ${u}`, `含有控制字符 ${u}`);
}

/** A scalar cell as normalised text: undefined when absent (missing, null or blank). */
export function cellText(v: unknown, field: string, ctx: RowContext): Parsed<string> {
  if (typeof v === 'string') {
    if (CONTROL_CHAR.test(v)) return controlCharError(v, field, ctx);
    const s = normalizeCell(v);
    return s === '' ? undefined : s;
  }
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') {
    if (Number.isFinite(v)) return String(v);
    return ctx.fail(field, 'TYPE', `${field} must be a finite number, got ${String(v)}`, `应为有限的数字，实际为 ${String(v)}`);
  }
  return ctx.fail(field, 'TYPE', `${field} must be text, got ${describe(v)}`, '应为文本');
}

export function codeText(v: unknown, field: string, ctx: RowContext): Parsed<string> {
  const s = cellText(v, field, ctx);
  if (typeof s !== 'string') return s;
  const code = normalizeCode(s);
  return code === '' ? undefined : code;
}

/** Free text: trimmed, but not folded to half width (a decision's wording stays as written). */
function plainText(v: unknown, field: string, ctx: RowContext): Parsed<string> {
  if (typeof v === 'string') {
    if (CONTROL_CHAR.test(v)) return controlCharError(v, field, ctx);
    const s = trimCell(v);
    return s === '' ? undefined : s;
  }
  return cellText(v, field, ctx);
}

export function boundedText(v: unknown, field: string, max: number, ctx: RowContext): Parsed<string> {
  const s = plainText(v, field, ctx);
  if (typeof s === 'string' && s.length > max) {
    return ctx.fail(
      field,
      'LENGTH',
      `${field} is ${s.length} characters long, at most ${max} allowed: ${show(s)}`,
      `长度为 ${s.length} 个字符，最多 ${max} 个：${showZh(s)}`,
    );
  }
  return s;
}

const ID_CODE_TO_ROW: Readonly<Record<IdCheckCode, RowErrorCode | null>> = {
  LENGTH: 'LENGTH',
  FORMAT: 'FORMAT',
  CHECKSUM: 'CHECKSUM',
  DATE: 'DATE',
  REGION: 'FORMAT',
  INNER_ORG_CHECK: null, // warnings only
  UNKNOWN_TYPE: null,
};

/** A personal ID number in an error message: masked, as everywhere it is stored or served. */
export function showMasked(v: string): string {
  return `'${v.length >= 15 ? maskIdNumber(v) : truncate(v)}'`;
}

const ID_PROBLEM_ZH: Readonly<Record<IdCheckCode, string>> = {
  LENGTH: '位数不对',
  FORMAT: '格式不对（含有不允许的字符）',
  CHECKSUM: '校验位不对',
  DATE: '其中的出生日期不是真实日期或晚于今天',
  REGION: '其中的地址码不属于已知地区',
  INNER_ORG_CHECK: '其中的组织机构代码校验位不对',
  UNKNOWN_TYPE: '登记管理部门或机构类别代码未知',
};

/** The Chinese detail of an identifier problem; the check character's expected value is carried over. */
function idProblemZh(e: { code: IdCheckCode; message: string }): string {
  const m = /should be '(.)', got '(.)'/.exec(e.message);
  return m ? `校验位应为 ${m[1]}，实际为 ${m[2]}` : ID_PROBLEM_ZH[e.code];
}

export function identifier(v: unknown, field: string, ctx: RowContext, check: (s: string) => IdCheck, display = show): Parsed<IdCheck> {
  const s = cellText(v, field, ctx);
  if (typeof s !== 'string') return s;
  const result = check(s);
  if (result.ok) return result;
  for (const e of result.errors) {
    const code = ID_CODE_TO_ROW[e.code];
    if (code !== null) ctx.fail(field, code, `${field} ${display(s)}: ${e.message}`, `${display(s).replace(/^'|'$/g, '"')}：${idProblemZh(e)}`);
  }
  return INVALID;
}

export function idValue(c: Parsed<IdCheck>): Parsed<string> {
  return c === undefined || c === INVALID ? c : c.normalized;
}
