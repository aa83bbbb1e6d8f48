/**
 * The subject columns of an uploaded row (docs/domain.md, Cross-field rules 1–3): a legal subject
 * by its codes, a natural person by an ID document, a legal representative; columns of the other
 * subject type must be empty.
 */
import type { IdCheck } from './identifiers.ts';
import { normalizeCode, validateOrgCode, validateRegNo } from './identifiers.ts';
import { INVALID, type Parsed, type RowContext, boundedText, cellText, codeText, identifier, idValue, showMasked, showZh } from './row-cells.ts';
import { show, subjectLabel } from './row-errors.ts';
import { LEGAL_CODE_COLUMNS, RESIDENT_ID_TYPE, SUBJECT_COLUMNS, isIdType, type PartyType } from './subject-columns.ts';
import { normalizeCell } from './text.ts';

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

/** The legal representative of a legal subject, as far as the row names them. */
export interface LegalRep {
  name?: string;
  idType?: string;
  idNumber18?: string;
}

export const NAME_MAX_LENGTH = 200;
const CODE_MAX_LENGTH = 64;

const LEGAL_ONLY_COLUMNS = SUBJECT_COLUMNS.filter((c) => c.scope === 'LEGAL').map((c) => c.key);
const NATURAL_ONLY_COLUMNS = SUBJECT_COLUMNS.filter((c) => c.scope === 'NATURAL').map((c) => c.key);

function present(v: unknown): boolean {
  return v !== undefined && v !== null && !(typeof v === 'string' && normalizeCell(v) === '');
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
export interface Checkers {
  uscc: (s: string) => IdCheck;
  idNumber: (s: string) => IdCheck;
}

export interface SubjectParse {
  subject: LegalSubjectRef | NaturalSubjectRef | undefined;
  legalRep: LegalRep | undefined;
}

export function parseNatural(values: Record<string, unknown>, name: string | undefined, ctx: RowContext, checkers: Checkers): SubjectParse {
  mustBeEmpty(values, LEGAL_ONLY_COLUMNS, 'for a natural person (自然人)', '自然人不填此列', ctx);
  const doc = parseIdDocument(values.personIdType, values.personIdNo, 'personIdType', 'personIdNo', checkers, ctx);
  if (doc === undefined) ctx.fail('personIdNo', 'REQUIRED', 'personIdNo is required for a natural person (自然人)', '自然人必须填写');
  if (name === undefined || doc === undefined || doc === INVALID) return { subject: undefined, legalRep: undefined };
  const subject: NaturalSubjectRef = { type: 'NATURAL', name, idType: doc.idType, idNumber18: doc.number };
  if (doc.legacy15 !== undefined) subject.idNumber15 = doc.legacy15;
  return { subject, legalRep: undefined };
}

export function parseLegal(
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

function parseLegalRep(values: Record<string, unknown>, ctx: RowContext, checkers: Checkers): Parsed<NonNullable<LegalRep | undefined>> {
  const name = boundedText(values.legalRepName, 'legalRepName', NAME_MAX_LENGTH, ctx);
  const doc = parseIdDocument(values.legalRepIdType, values.legalRepIdNo, 'legalRepIdType', 'legalRepIdNo', checkers, ctx);
  if (name === INVALID || doc === INVALID) return INVALID;
  if (name === undefined && doc === undefined) return undefined;
  const rep: NonNullable<LegalRep | undefined> = {};
  if (name !== undefined) rep.name = name;
  if (doc !== undefined) {
    rep.idType = doc.idType;
    rep.idNumber18 = doc.number;
  }
  return rep;
}

/** Where a record's key comes from when item.keyField is a subject column. */
export const SUBJECT_KEY_READERS: Readonly<Record<string, (s: LegalSubjectRef | NaturalSubjectRef) => string | undefined>> = {
  partyUscc: (s) => (s.type === 'LEGAL' ? s.uscc : undefined),
  partyRegNo: (s) => (s.type === 'LEGAL' ? s.regNo : undefined),
  partyOrgCode: (s) => (s.type === 'LEGAL' ? s.orgCode : undefined),
  partyTaxNo: (s) => (s.type === 'LEGAL' ? s.taxNo : undefined),
  partyInstCertNo: (s) => (s.type === 'LEGAL' ? s.instCertNo : undefined),
  partySocOrgCertNo: (s) => (s.type === 'LEGAL' ? s.socOrgCertNo : undefined),
  personIdNo: (s) => (s.type === 'NATURAL' ? s.idNumber18 : undefined),
};

export function legalRepValue(key: string, rep: LegalRep | undefined): string | undefined {
  if (rep === undefined) return undefined;
  if (key === 'legalRepName') return rep.name;
  if (key === 'legalRepIdType') return rep.idNumber18 === undefined ? undefined : rep.idType;
  return rep.idNumber18;
}
