/**
 * Row validation for uploaded files — the ingest hot path. compileItem turns one catalog item into
 * a set of per-field closures once; validate() then runs them per row with no schema library, no
 * regular-expression construction and no allocation beyond the result (and its errors, if any).
 *
 * Rules: docs/api.md, Upload files, and docs/domain.md, Double-publicity records. The header row is
 * mapped in row-header.ts; row errors and their messages are row-errors.ts.
 */
import type { FieldDef, InfoItem } from './catalog.ts';
import { REDECLARABLE_COLUMNS, SET_SEPARATORS } from './catalog.ts';
import type { IdCheck, IdCheckCode } from './identifiers.ts';
import { daysInMonth, maskIdNumber, normalizeCode, validateIdNumber, validateOrgCode, validateRegNo, validateUscc } from './identifiers.ts';
import { LEGAL_CODE_COLUMNS, PARTY_TYPES, RESIDENT_ID_TYPE, SUBJECT_COLUMNS, isIdType, subjectTypeOfParty, type PartyType } from './subject-columns.ts';
import { itemLabels, rowMessageZh, show, subjectLabel, type LabelOf, type RowError, type RowErrorCode } from './row-errors.ts';
import { normalizeCell, trimCell, truncate } from './text.ts';

export { itemLabels, rowMessageZh, type LabelOf, type RowError, type RowErrorCode } from './row-errors.ts';
export { mapHeader } from './row-header.ts';

export interface LegalSubjectRef {
  type: 'LEGAL';
  name: string;
  partyType: '法人及非法人组织' | '个体工商户';
  uscc?: string;
  regNo?: string;
  orgCode?: string;
  taxNo?: string;
  instCertNo?: string;
  socOrgCertNo?: string;
}

export interface NaturalSubjectRef {
  type: 'NATURAL';
  name: string;
  idType: string;
  /** The 18-digit resident ID; for other document types (passport, permits) the normalised document number. */
  idNumber18: string;
  /** The legacy 15-digit number as uploaded, kept for matching. */
  idNumber15?: string;
}

export interface ValidRow {
  op: 'upsert' | 'delete';
  key: string;
  fields: Record<string, string | number | string[]>;
  subject: LegalSubjectRef | NaturalSubjectRef;
  legalRep?: { name?: string; idType?: string; idNumber18?: string };
}

export type RowOutcome = { ok: true; value: ValidRow } | { ok: false; errors: RowError[] };

export interface RowValidator {
  validate(values: Record<string, unknown>, rowNo: number): RowOutcome;
}

export interface CompileOptions {
  /** YYYY-MM-DD: decision dates may not be later; birth dates in ID numbers may not be later. */
  today: string;
  /** Issued-but-checksum-invalid USCCs accepted anyway (see issued-invalid-codes.ts). */
  overrides?: ReadonlySet<string>;
}

const DEFAULT_MAX_LENGTH: Readonly<Partial<Record<string, number>>> = { string: 512, text: 4000 };
const NAME_MAX_LENGTH = 200;
const CODE_MAX_LENGTH = 64;
const MAX_DECIMALS = 6;
const MIN_YEAR = 1800;
// Money fields in 万元 (docs/domain.md, Cross-field rules, rule 5): larger values were almost certainly entered in 元.
const WAN_FIELDS: ReadonlySet<string> = new Set(['fineWan', 'confiscatedWan']);
const WAN_LIMIT = 10_000;
// 《行政处罚法》第五十一条: a fine decided on the spot (简易程序) is at most 200 元 for a person and
// 3,000 元 for an organisation; a larger one needs the general procedure.
const SIMPLE_PROCEDURE = '简易程序';
const SIMPLE_PROCEDURE_CAP_WAN = { NATURAL: 0.02, LEGAL: 0.3 } as const;
const DATE_ORDER: ReadonlyArray<readonly [string, string]> = [
  ['decisionDate', 'effectiveUntil'],
  ['decisionDate', 'publicityUntil'],
  ['validFrom', 'validTo'],
];

// ---------------------------------------------------------------------------------------------
// Per-row context and value helpers

const INVALID: unique symbol = Symbol('invalid');
type Parsed<T> = T | undefined | typeof INVALID; // undefined: absent; INVALID: an error was recorded

class RowContext {
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
function showZh(v: string): string {
  return `"${truncate(v)}"`;
}

function describe(v: unknown): string {
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
function cellText(v: unknown, field: string, ctx: RowContext): Parsed<string> {
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

function codeText(v: unknown, field: string, ctx: RowContext): Parsed<string> {
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

function boundedText(v: unknown, field: string, max: number, ctx: RowContext): Parsed<string> {
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
function showMasked(v: string): string {
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

function identifier(v: unknown, field: string, ctx: RowContext, check: (s: string) => IdCheck, display = show): Parsed<IdCheck> {
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

type FieldValue = string | number | string[];
type FieldParser = (v: unknown, ctx: RowContext) => Parsed<FieldValue>;

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

function compileField(f: FieldDef, opts: CompileOptions): FieldParser {
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

function idValue(c: Parsed<IdCheck>): Parsed<string> {
  return c === undefined || c === INVALID ? c : c.normalized;
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

// ---------------------------------------------------------------------------------------------
// Subject columns (docs/domain.md, Cross-field rules 1–3)

const LEGAL_ONLY_COLUMNS = SUBJECT_COLUMNS.filter((c) => c.scope === 'LEGAL').map((c) => c.key);
const NATURAL_ONLY_COLUMNS = SUBJECT_COLUMNS.filter((c) => c.scope === 'NATURAL').map((c) => c.key);
const PARTY_TYPE_SET: ReadonlySet<string> = new Set(PARTY_TYPES);

function present(v: unknown): boolean {
  return v !== undefined && v !== null && !(typeof v === 'string' && normalizeCell(v) === '');
}

function parseOp(v: unknown, ctx: RowContext): 'upsert' | 'delete' | undefined {
  const s = cellText(v, 'op', ctx);
  if (s === undefined) return 'upsert';
  if (s === INVALID) return undefined;
  const lower = s.toLowerCase();
  if (lower === 'upsert' || s === '新增') return 'upsert';
  if (lower === 'delete' || s === '删除') return 'delete';
  ctx.fail('op', 'ENUM', `op ${show(s)} is not one of: upsert, delete (新增, 删除)`, `应为 新增 或 删除（upsert、delete），实际为 ${showZh(s)}`);
  return undefined;
}

function mustBeEmpty(values: Record<string, unknown>, columns: readonly string[], why: string, whyZh: string, ctx: RowContext): void {
  for (const c of columns) {
    if (present(values[c])) ctx.fail(c, 'CROSS_FIELD', `${c} must be empty ${why}`, `应为空：${whyZh}`);
  }
}

interface IdDocument {
  idType: string;
  number: string; // the 18-digit form for 身份证
  legacy15?: string;
}

/** An ID document pair (type column + number column); the number is checked as a resident ID when the type is 身份证. */
function parseIdDocument(
  typeValue: unknown,
  numberValue: unknown,
  typeField: string,
  numberField: string,
  checkers: Checkers,
  ctx: RowContext,
): Parsed<IdDocument> {
  const rawType = cellText(typeValue, typeField, ctx);
  let idType = RESIDENT_ID_TYPE;
  let typeOk = rawType !== INVALID;
  if (typeof rawType === 'string') {
    if (isIdType(rawType)) idType = rawType;
    else {
      ctx.fail(
        typeField,
        'ENUM',
        `${typeField} ${show(rawType)} is not one of: 身份证, 护照号, 港澳居民来往内地通行证, 台湾居民来往大陆通行证, 外国人永久居留身份证, 其他-…`,
        `应为以下之一：身份证、护照号、港澳居民来往内地通行证、台湾居民来往大陆通行证、外国人永久居留身份证、其他-（证件名称），实际为 ${showZh(rawType)}`,
      );
      typeOk = false;
    }
  }
  const raw = cellText(numberValue, numberField, ctx);
  if (raw === undefined || raw === INVALID) return raw;
  if (idType === RESIDENT_ID_TYPE) {
    const check = identifier(raw, numberField, ctx, checkers.idNumber, showMasked);
    if (check === undefined || check === INVALID || !typeOk) return INVALID;
    const compact = normalizeCode(raw);
    return compact.length === 15 ? { idType, number: check.normalized, legacy15: compact } : { idType, number: check.normalized };
  }
  const number = normalizeCode(raw);
  if (number.length > CODE_MAX_LENGTH) {
    return ctx.fail(
      numberField,
      'LENGTH',
      `${numberField} ${show(number)} is longer than ${CODE_MAX_LENGTH} characters`,
      `${showZh(number)} 超过 ${CODE_MAX_LENGTH} 个字符`,
    );
  }
  return typeOk ? { idType, number } : INVALID;
}

/** Identifier checks bound to the item's options once, so no closure is built per row. */
interface Checkers {
  uscc: (s: string) => IdCheck;
  idNumber: (s: string) => IdCheck;
}

interface SubjectParse {
  subject: LegalSubjectRef | NaturalSubjectRef | undefined;
  legalRep: ValidRow['legalRep'];
}

function parseNatural(values: Record<string, unknown>, name: string | undefined, ctx: RowContext, checkers: Checkers): SubjectParse {
  mustBeEmpty(values, LEGAL_ONLY_COLUMNS, 'for a natural person (自然人)', '自然人不填此列', ctx);
  const doc = parseIdDocument(values.personIdType, values.personIdNo, 'personIdType', 'personIdNo', checkers, ctx);
  if (doc === undefined) ctx.fail('personIdNo', 'REQUIRED', 'personIdNo is required for a natural person (自然人)', '自然人必须填写');
  if (name === undefined || doc === undefined || doc === INVALID) return { subject: undefined, legalRep: undefined };
  const subject: NaturalSubjectRef = { type: 'NATURAL', name, idType: doc.idType, idNumber18: doc.number };
  if (doc.legacy15 !== undefined) subject.idNumber15 = doc.legacy15;
  return { subject, legalRep: undefined };
}

function parseLegal(
  values: Record<string, unknown>,
  name: string | undefined,
  partyType: PartyType | undefined,
  ctx: RowContext,
  checkers: Checkers,
): SubjectParse {
  mustBeEmpty(
    values,
    NATURAL_ONLY_COLUMNS,
    'for a legal subject; put the legal representative in legalRep* columns',
    '法人主体不填此列，法定代表人填在「法定代表人」各列',
    ctx,
  );
  const uscc = idValue(identifier(values.partyUscc, 'partyUscc', ctx, checkers.uscc));
  const regNo = idValue(identifier(values.partyRegNo, 'partyRegNo', ctx, validateRegNo));
  const orgCode = idValue(identifier(values.partyOrgCode, 'partyOrgCode', ctx, validateOrgCode));
  const taxNo = freeCode(values.partyTaxNo, 'partyTaxNo', ctx);
  const instCertNo = freeCode(values.partyInstCertNo, 'partyInstCertNo', ctx);
  const socOrgCertNo = freeCode(values.partySocOrgCertNo, 'partySocOrgCertNo', ctx);
  let failed = uscc === INVALID || regNo === INVALID || orgCode === INVALID || taxNo === INVALID || instCertNo === INVALID || socOrgCertNo === INVALID;
  const noCodes =
    uscc === undefined && regNo === undefined && orgCode === undefined && taxNo === undefined && instCertNo === undefined && socOrgCertNo === undefined;
  if (noCodes) {
    ctx.fail(
      null,
      'NO_SUBJECT',
      `a legal subject needs partyUscc or, when none was issued, one of ${LEGAL_CODE_COLUMNS.slice(1).join(', ')}`,
      `法人主体须填写「统一社会信用代码」；未发放的，填写${LEGAL_CODE_COLUMNS.slice(1)
        .map((c) => `「${subjectLabel(c)}」`)
        .join('、')}之一`,
    );
    failed = true;
  }

  const legalRep = parseLegalRep(values, ctx, checkers);
  const rep = legalRep === INVALID ? undefined : legalRep;
  if (failed || legalRep === INVALID || name === undefined || partyType === undefined || partyType === '自然人') return { subject: undefined, legalRep: rep };

  const subject: LegalSubjectRef = { type: 'LEGAL', name, partyType };
  if (typeof uscc === 'string') subject.uscc = uscc;
  if (typeof regNo === 'string') subject.regNo = regNo;
  if (typeof orgCode === 'string') subject.orgCode = orgCode;
  if (typeof taxNo === 'string') subject.taxNo = taxNo;
  if (typeof instCertNo === 'string') subject.instCertNo = instCertNo;
  if (typeof socOrgCertNo === 'string') subject.socOrgCertNo = socOrgCertNo;
  return { subject, legalRep };
}

function freeCode(v: unknown, field: string, ctx: RowContext): Parsed<string> {
  const s = codeText(v, field, ctx);
  if (typeof s === 'string' && s.length > CODE_MAX_LENGTH) {
    return ctx.fail(field, 'LENGTH', `${field} ${show(s)} is longer than ${CODE_MAX_LENGTH} characters`, `${showZh(s)} 超过 ${CODE_MAX_LENGTH} 个字符`);
  }
  return s;
}

function parseLegalRep(values: Record<string, unknown>, ctx: RowContext, checkers: Checkers): Parsed<NonNullable<ValidRow['legalRep']>> {
  const name = boundedText(values.legalRepName, 'legalRepName', NAME_MAX_LENGTH, ctx);
  const doc = parseIdDocument(values.legalRepIdType, values.legalRepIdNo, 'legalRepIdType', 'legalRepIdNo', checkers, ctx);
  if (name === INVALID || doc === INVALID) return INVALID;
  if (name === undefined && doc === undefined) return undefined;
  const rep: NonNullable<ValidRow['legalRep']> = {};
  if (name !== undefined) rep.name = name;
  if (doc !== undefined) {
    rep.idType = doc.idType;
    rep.idNumber18 = doc.number;
  }
  return rep;
}

// ---------------------------------------------------------------------------------------------
// compileItem

interface CompiledField {
  key: string;
  required: boolean;
  parse: FieldParser;
}

/** Where a record's key comes from when item.keyField is a subject column. */
const SUBJECT_KEY_READERS: Readonly<Record<string, (s: LegalSubjectRef | NaturalSubjectRef) => string | undefined>> = {
  partyUscc: (s) => (s.type === 'LEGAL' ? s.uscc : undefined),
  partyRegNo: (s) => (s.type === 'LEGAL' ? s.regNo : undefined),
  partyOrgCode: (s) => (s.type === 'LEGAL' ? s.orgCode : undefined),
  partyTaxNo: (s) => (s.type === 'LEGAL' ? s.taxNo : undefined),
  partyInstCertNo: (s) => (s.type === 'LEGAL' ? s.instCertNo : undefined),
  partySocOrgCertNo: (s) => (s.type === 'LEGAL' ? s.socOrgCertNo : undefined),
  personIdNo: (s) => (s.type === 'NATURAL' ? s.idNumber18 : undefined),
};

export function compileItem(item: InfoItem, opts: CompileOptions): RowValidator {
  const today = opts.today;
  const idOpts = { today };
  const label = itemLabels(item);
  const subjectNameZh = item.subjectType === 'LEGAL' ? '法人及非法人组织' : '自然人';
  const checkers: Checkers = {
    uscc: (s) => validateUscc(s, opts.overrides),
    idNumber: (s) => validateIdNumber(s, idOpts),
  };
  const known = knownColumns(item);
  const fields: CompiledField[] = [];
  const redeclared: FieldDef[] = []; // legalRep* columns the item declares (to require them)
  for (const f of item.fields) {
    if (REDECLARABLE_COLUMNS[f.key] !== undefined) redeclared.push(f);
    else fields.push({ key: f.key, required: f.required === true, parse: compileField(f, opts) });
  }
  const keyField = item.keyField;
  const keyParser = fields.find((f) => f.key === keyField);
  const keyFromSubject = SUBJECT_KEY_READERS[keyField];
  const dateTypes = new Map(item.fields.filter((f) => f.type === 'date').map((f) => [f.key, true]));
  const datePairs = DATE_ORDER.filter(([a, b]) => dateTypes.has(a) && dateTypes.has(b));
  const hasDecisionDate = dateTypes.has('decisionDate');
  const wanFields = item.fields.filter((f) => WAN_FIELDS.has(f.key) && f.type === 'decimal').map((f) => f.key);
  const simpleProcedureCap = wanFields.includes('fineWan') && item.fields.some((f) => f.key === 'procedureType');

  function validate(values: Record<string, unknown>, rowNo: number): RowOutcome {
    const ctx = new RowContext(rowNo, label);
    for (const k in values) {
      if (!known.has(k))
        ctx.fail(
          k,
          'UNKNOWN_COLUMN',
          `column ${show(k)} is not a field of ${item.code} nor a standard subject column`,
          `不是「${item.name}」的字段，也不是标准主体列`,
        );
    }
    const op = parseOp(values.op, ctx);

    // subject
    const name = boundedText(values.partyName, 'partyName', NAME_MAX_LENGTH, ctx);
    if (name === undefined) ctx.fail('partyName', 'REQUIRED', 'partyName is required', '必须填写');
    const partyTypeText = cellText(values.partyType, 'partyType', ctx);
    let partyType: PartyType | undefined;
    if (partyTypeText === undefined)
      ctx.fail('partyType', 'REQUIRED', `partyType is required (${PARTY_TYPES.join(', ')})`, `必须填写（${PARTY_TYPES.join('、')}）`);
    else if (partyTypeText !== INVALID) {
      if (PARTY_TYPE_SET.has(partyTypeText)) partyType = partyTypeText as PartyType;
      else
        ctx.fail(
          'partyType',
          'ENUM',
          `partyType ${show(partyTypeText)} is not one of: ${PARTY_TYPES.join(', ')}`,
          `应为以下之一：${PARTY_TYPES.join('、')}，实际为 ${showZh(partyTypeText)}`,
        );
    }
    let subjectParse: SubjectParse = { subject: undefined, legalRep: undefined };
    const nameOk = typeof name === 'string' ? name : undefined;
    const subjectTypeFits = partyType === undefined || subjectTypeOfParty(partyType) === item.subjectType;
    if (!subjectTypeFits) {
      ctx.fail(
        'partyType',
        'SUBJECT_TYPE',
        `partyType ${partyType} does not fit ${item.code}, an item about ${item.subjectType === 'LEGAL' ? 'legal subjects' : 'natural persons'}`,
        `"${partyType}" 不适用于「${item.name}」，该信息项的主体是${subjectNameZh}`,
      );
    } else if (item.subjectType === 'NATURAL') {
      subjectParse = parseNatural(values, nameOk, ctx, checkers);
    } else {
      subjectParse = parseLegal(values, nameOk, partyType, ctx, checkers);
    }

    // item fields (a delete row carries only its key)
    const out: Record<string, FieldValue> = {};
    for (const f of fields) {
      if (op === 'delete' && f !== keyParser) continue;
      const v = f.parse(values[f.key], ctx);
      if (v === undefined) {
        if (f.required || f === keyParser) ctx.fail(f.key, 'REQUIRED', `${f.key} is required`, '必须填写');
      } else if (v !== INVALID) out[f.key] = v;
    }
    if (op !== 'delete') {
      for (const f of redeclared) {
        const v = legalRepValue(f.key, subjectParse.legalRep);
        if (v !== undefined) out[f.key] = v;
        else if (f.required && subjectTypeFits && !ctx.hasErrorOn(f.key))
          ctx.fail(f.key, 'REQUIRED', `${f.key} is required for ${item.code}`, `「${item.name}」必须填写`);
      }
      crossFieldChecks(out, ctx);
    }

    // key
    let key: string | undefined;
    if (keyParser !== undefined) {
      const k = out[keyField];
      key = k === undefined ? undefined : String(k);
    } else if (keyFromSubject !== undefined && subjectParse.subject !== undefined) {
      key = keyFromSubject(subjectParse.subject);
      if (key === undefined)
        ctx.fail(keyField, 'REQUIRED', `${keyField} is required: it is the record key of ${item.code}`, `必须填写：它是「${item.name}」记录的主键`);
    }

    const subject = subjectParse.subject;
    if (ctx.errors === null && (key === undefined || subject === undefined)) {
      ctx.fail(keyField, 'REQUIRED', `${keyField} is required: it is the record key of ${item.code}`, `必须填写：它是「${item.name}」记录的主键`);
    }
    if (ctx.errors !== null || op === undefined || key === undefined || subject === undefined) {
      return { ok: false, errors: ctx.errors ?? [] };
    }
    const value: ValidRow = { op, key, fields: out, subject };
    if (subjectParse.legalRep !== undefined) value.legalRep = subjectParse.legalRep;
    return { ok: true, value };
  }

  function crossFieldChecks(out: Record<string, FieldValue>, ctx: RowContext): void {
    for (const [a, b] of datePairs) {
      const from = out[a];
      const to = out[b];
      if (typeof from === 'string' && typeof to === 'string' && to < from) {
        ctx.fail(b, 'CROSS_FIELD', `${b} ${to} is earlier than ${a} ${from}`, `${to} 早于「${label(a)}」${from}`);
      }
    }
    if (hasDecisionDate) {
      const d = out.decisionDate;
      if (typeof d === 'string' && d > today)
        ctx.fail('decisionDate', 'CROSS_FIELD', `decisionDate ${d} is in the future (today is ${today})`, `${d} 晚于今天（${today}）`);
    }
    for (const k of wanFields) {
      const n = out[k];
      if (typeof n === 'number' && n > WAN_LIMIT) {
        ctx.fail(
          k,
          'RANGE',
          `${k} ${n} looks like 元 not 万元 (over ${WAN_LIMIT} 万元); enter the amount in 万元`,
          `${n} 超过 ${WAN_LIMIT} 万元，疑为以元填写；请以万元为单位填写`,
        );
      }
    }
    if (simpleProcedureCap) {
      const fine = out.fineWan;
      const cap = item.subjectType === 'LEGAL' ? SIMPLE_PROCEDURE_CAP_WAN.LEGAL : SIMPLE_PROCEDURE_CAP_WAN.NATURAL;
      if (out.procedureType === SIMPLE_PROCEDURE && typeof fine === 'number' && fine > cap) {
        ctx.fail(
          'fineWan',
          'CROSS_FIELD',
          `fineWan ${fine} is above ${cap} 万元, the most a fine under the simple procedure (简易程序) may be for ${item.subjectType === 'LEGAL' ? 'an organisation' : 'a person'}`,
          `${fine} 万元超过简易程序可处罚款的上限（${subjectNameZh}不超过 ${cap} 万元）；应适用一般程序`,
        );
      }
    }
  }

  return { validate };
}

function legalRepValue(key: string, rep: ValidRow['legalRep']): string | undefined {
  if (rep === undefined) return undefined;
  if (key === 'legalRepName') return rep.name;
  if (key === 'legalRepIdType') return rep.idNumber18 === undefined ? undefined : rep.idType;
  return rep.idNumber18;
}

function knownColumns(item: InfoItem): ReadonlySet<string> {
  const s = new Set<string>(SUBJECT_COLUMNS.map((c) => c.key));
  for (const f of item.fields) s.add(f.key);
  return s;
}
