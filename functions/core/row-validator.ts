/**
 * Row validation for uploaded files — the ingest hot path. compileItem turns one catalog item into
 * a set of per-field closures once; validate() then runs them per row with no schema library, no
 * regular-expression construction and no allocation beyond the result (and its errors, if any).
 *
 * Rules: docs/api.md, Upload files, and docs/domain.md, Double-publicity records. The parts: cells
 * (row-cells.ts), field parsers (row-fields.ts), subject columns (row-subject.ts), the header row
 * (row-header.ts), row errors and their messages (row-errors.ts).
 */
import type { FieldDef, InfoItem } from './catalog.ts';
import { REDECLARABLE_COLUMNS } from './catalog.ts';
import { validateIdNumber, validateUscc } from './identifiers.ts';
import { INVALID, RowContext, boundedText, cellText, showZh } from './row-cells.ts';
import { itemLabels, show, type RowError } from './row-errors.ts';
import { type CompileOptions, type FieldParser, type FieldValue, compileField } from './row-fields.ts';
import {
  type Checkers,
  type LegalRep,
  type LegalSubjectRef,
  NAME_MAX_LENGTH,
  type NaturalSubjectRef,
  SUBJECT_KEY_READERS,
  type SubjectParse,
  legalRepValue,
  parseLegal,
  parseNatural,
} from './row-subject.ts';
import { PARTY_TYPES, SUBJECT_COLUMNS, subjectTypeOfParty, type PartyType } from './subject-columns.ts';

export { itemLabels, rowMessageZh, type LabelOf, type RowError, type RowErrorCode } from './row-errors.ts';
export { mapHeader } from './row-header.ts';
export type { CompileOptions } from './row-fields.ts';
export type { LegalRep, LegalSubjectRef, NaturalSubjectRef } from './row-subject.ts';

export interface ValidRow {
  op: 'upsert' | 'delete';
  key: string;
  fields: Record<string, string | number | string[]>;
  subject: LegalSubjectRef | NaturalSubjectRef;
  legalRep?: LegalRep;
}

export type RowOutcome = { ok: true; value: ValidRow } | { ok: false; errors: RowError[] };

export interface RowValidator {
  validate(values: Record<string, unknown>, rowNo: number): RowOutcome;
}

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
const PARTY_TYPE_SET: ReadonlySet<string> = new Set(PARTY_TYPES);

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

interface CompiledField {
  key: string;
  required: boolean;
  parse: FieldParser;
}

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

function knownColumns(item: InfoItem): ReadonlySet<string> {
  const s = new Set<string>(SUBJECT_COLUMNS.map((c) => c.key));
  for (const f of item.fields) s.add(f.key);
  return s;
}
