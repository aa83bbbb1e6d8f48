/**
 * Validation of a Version B record (docs/domain.md, Double-publicity records): field codes, required
 * fields, formats, enumerations and the cross-field rules. The exporter runs it before sending and
 * the local stand-in national platform on receipt.
 */
import { daysInMonth, validateIdNumber, validateOrgCode, validateUscc } from './identifiers.ts';
import { ISSUED_INVALID_USCC } from './issued-invalid-codes.ts';
import {
  FIELDS_OF,
  type FieldSpec,
  LICENCE_CATEGORIES,
  LICENCE_STATUSES,
  type NationalFields,
  type NationalProblem,
  type NationalType,
  PENALTY_CATEGORIES,
  SET_SEPARATOR,
  SPEC_BY_CODE,
  WAN_LIMIT,
} from './national-fields.ts';
import { ID_TYPES, OTHER_ID_TYPE_PREFIX, PARTY_TYPES, RESIDENT_ID_TYPE } from './subject-columns.ts';

// Validation
//
// Runs once per record on both sides of the export (the exporter before sending, the stand-in
// national platform on receipt), so it is written for the hot path: lookups prepared once per
// type, no closures or arrays built per record, no regular expression or Date per date.

const WAN = /^\d{1,12}(\.\d{1,6})?$/;
const PARTY_TYPE_SET: ReadonlySet<string> = new Set(PARTY_TYPES);
const ID_TYPE_SET: ReadonlySet<string> = new Set(ID_TYPES);
const PENALTY_CATEGORY_SET: ReadonlySet<string> = new Set(PENALTY_CATEGORIES);
const LICENCE_CATEGORY_SET: ReadonlySet<string> = new Set(LICENCE_CATEGORIES);

/** Digits at `from`..`from + n − 1` as a number, or −1 when any is not an ASCII digit. */
function digitsAt(v: string, from: number, n: number): number {
  let out = 0;
  for (let i = from; i < from + n; i++) {
    const c = v.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    out = out * 10 + c;
  }
  return out;
}

/** `YYYY/MM/DD`, a real calendar day (years before 0100 are not: Date.UTC reads them as 19xx). */
function isRealDate(v: string): boolean {
  if (v.length !== 10 || v.charCodeAt(4) !== 47 || v.charCodeAt(7) !== 47) return false;
  const y = digitsAt(v, 0, 4);
  const m = digitsAt(v, 5, 2);
  const d = digitsAt(v, 8, 2);
  return y >= 100 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/** Length in characters (code points), counted only when the UTF-16 length could exceed `max`. */
function longerThan(v: string, max: number): boolean {
  if (v.length <= max) return false;
  let n = 0;
  for (const _ of v) if (++n > max) return true;
  return false;
}

function isIdTypeValue(v: string): boolean {
  return ID_TYPE_SET.has(v) || (v.startsWith(OTHER_ID_TYPE_PREFIX) && v.length > OTHER_ID_TYPE_PREFIX.length);
}

function isPenaltyCategory(v: string): boolean {
  return PENALTY_CATEGORY_SET.has(v) || (v.startsWith('其他-') && v.length > 3);
}

function checkValue(spec: FieldSpec, v: string, r: NationalFields, problems: NationalProblem[]): void {
  const field = spec.code;
  if (spec.maxLength !== undefined && longerThan(v, spec.maxLength)) problems.push({ field, message: `is longer than ${spec.maxLength} characters` });
  switch (spec.kind) {
    case 'date':
      if (!isRealDate(v)) problems.push({ field, message: `${JSON.stringify(v)} is not a YYYY/MM/DD date` });
      return;
    case 'wan':
      if (!WAN.test(v)) problems.push({ field, message: `${JSON.stringify(v)} is not a non-negative amount in 万元 with at most 6 decimals` });
      else if (Number(v) > WAN_LIMIT) problems.push({ field, message: `${v} 万元 is over ${WAN_LIMIT} 万元: probably entered in 元` });
      return;
    case 'uscc': {
      const check = validateUscc(v, ISSUED_INVALID_USCC);
      if (!check.ok || check.normalized !== v)
        problems.push({
          field,
          message: `${JSON.stringify(v)} is not a valid unified social credit code${check.errors[0] ? ` (${check.errors[0].message})` : ''}`,
        });
      return;
    }
    case 'orgCode':
      if (v.length !== 9 || !validateOrgCode(v).ok) problems.push({ field, message: `${JSON.stringify(v)} is not a valid 9-character organisation code` });
      return;
    case 'partyType':
      if (!PARTY_TYPE_SET.has(v)) problems.push({ field, message: `${JSON.stringify(v)} is not one of ${PARTY_TYPES.join(', ')}` });
      return;
    case 'idType':
      if (!isIdTypeValue(v)) problems.push({ field, message: `${JSON.stringify(v)} is not one of ${ID_TYPES.join(', ')} or ${OTHER_ID_TYPE_PREFIX}…` });
      return;
    case 'idNumber': {
      if ((r[spec.typeCode!] ?? RESIDENT_ID_TYPE) === RESIDENT_ID_TYPE) {
        const check = validateIdNumber(v);
        // the number itself stays out of the message: held reasons and rejections are stored
        if (!check.ok || check.normalized !== v) problems.push({ field, message: 'is not a valid 18-digit resident ID number' });
      } else if (v.length > 64) problems.push({ field, message: 'is longer than 64 characters' });
      return;
    }
    case 'penaltyCategory':
      for (const c of v.split(SET_SEPARATOR))
        if (!isPenaltyCategory(c)) problems.push({ field, message: `${JSON.stringify(c)} is not a 处罚类别 (${PENALTY_CATEGORIES.join(', ')}, 其他-…)` });
      return;
    case 'licenceCategory':
      if (!LICENCE_CATEGORY_SET.has(v) && !(v.startsWith('其他-') && v.length > 3))
        problems.push({ field, message: `${JSON.stringify(v)} is not a 许可类别 (${LICENCE_CATEGORIES.join(', ')})` });
      else if (v === '其他' && !r.BZ) problems.push({ field, message: '许可类别 其他 needs the concrete kind in BZ (备注) or as 其他-…' });
      return;
    case 'licenceStatus':
      if (!LICENCE_STATUSES.includes(v)) problems.push({ field, message: `${JSON.stringify(v)} is not a 当前状态 (1 有效, 2 无效)` });
      return;
    default:
      if (v.trim() !== v || v === '') problems.push({ field, message: 'has leading or trailing blanks or is empty' });
  }
}

/** The codes the cross-field rules of one type look at, prepared once. */
interface TypeRules {
  label: string;
  specs: ReadonlyMap<string, FieldSpec>;
  required: readonly FieldSpec[];
  partyType: string;
  legalCodes: readonly string[];
  repCodes: readonly string[];
  personCodes: readonly string[];
  repName: string;
  repIdType: string;
  repIdNo: string;
  uscc: string;
  decided: string;
  /** Pairs [earlier, later] of date codes that must be in order. */
  ordered: ReadonlyArray<readonly [string, string]>;
}

function typeRules(type: NationalType): TypeRules {
  const p = type === 'PENALTY' ? 'CF' : 'XK';
  return {
    label: type === 'PENALTY' ? '行政处罚' : '行政许可',
    specs: SPEC_BY_CODE[type],
    required: FIELDS_OF[type].filter((f) => f.required),
    partyType: `${p}_XDR_LB`,
    legalCodes: ['SHXYM', 'GSZC', 'ZZJG', 'SWDJ', 'SYDW', 'SHZZ'].map((c) => `${p}_XDR_${c}`),
    repCodes: [`${p}_FRDB`, `${p}_FR_ZJLX`, `${p}_FR_ZJHM`],
    personCodes: [`${p}_XDR_ZJLX`, `${p}_XDR_ZJHM`],
    repName: `${p}_FRDB`,
    repIdType: `${p}_FR_ZJLX`,
    repIdNo: `${p}_FR_ZJHM`,
    uscc: `${p}_XDR_SHXYM`,
    decided: `${p}_JDRQ`,
    ordered:
      type === 'PENALTY'
        ? [
            ['CF_JDRQ', 'CF_YXQ'],
            ['CF_JDRQ', 'CF_GSJZQ'],
          ]
        : [['XK_YXQZ', 'XK_YXQZI']],
  };
}
export const RULES: Readonly<Record<NationalType, TypeRules>> = { PENALTY: typeRules('PENALTY'), LICENSING: typeRules('LICENSING') };

/** A date field as YYYY-MM-DD, when it holds a real date. */
function isoDay(r: NationalFields, code: string): string | undefined {
  const v = r[code];
  return v && isRealDate(v) ? v.replaceAll('/', '-') : undefined;
}

/** Every problem of a Version B record: unknown codes, required fields, formats, enumerations, cross-field rules (docs/domain.md). */
export function validateNational(type: NationalType, r: NationalFields, opts: { today: string }): NationalProblem[] {
  const problems: NationalProblem[] = [];
  const rules = RULES[type];
  for (const code in r) {
    if (!Object.hasOwn(r, code)) continue;
    const v = r[code];
    const spec = rules.specs.get(code);
    if (!spec) problems.push({ field: code, message: `is not a Version B ${rules.label} field` });
    else if (typeof v !== 'string') problems.push({ field: code, message: 'must be a string' });
    else checkValue(spec, v, r, problems);
  }
  for (const spec of rules.required) {
    if (!r[spec.code]) problems.push({ field: spec.code, message: `is required${spec.source ? ` (${spec.source})` : ''}` });
  }

  // cross-field rules 1 and 2: who the party is decides which identifiers must and must not be there
  const partyType = r[rules.partyType];
  if (partyType === '自然人') {
    for (const c of rules.personCodes) if (!r[c]) problems.push({ field: c, message: 'is required for a natural person (自然人)' });
    for (const c of rules.legalCodes) if (r[c]) problems.push({ field: c, message: 'must be empty for a natural person (自然人)' });
    for (const c of rules.repCodes) if (r[c]) problems.push({ field: c, message: 'must be empty for a natural person (自然人)' });
  } else if (partyType) {
    if (!rules.legalCodes.some((c) => r[c]))
      problems.push({ field: rules.uscc, message: `is required for ${partyType} (or, when no code was issued, one of 代码_2…_6)` });
    if (!r[rules.repName]) problems.push({ field: rules.repName, message: `法定代表人 (legalRepName) is required for ${partyType}` });
    for (const c of rules.personCodes) if (r[c]) problems.push({ field: c, message: `must be empty for ${partyType}` });
  }
  if (r[rules.repIdNo] && !r[rules.repIdType]) problems.push({ field: rules.repIdType, message: 'is required with a legal representative ID number' });

  // rule 4: dates in order, no decision in the future
  const decided = isoDay(r, rules.decided);
  if (decided && decided > opts.today) problems.push({ field: rules.decided, message: `${r[rules.decided]} is in the future` });
  for (const [a, b] of rules.ordered) {
    const x = isoDay(r, a);
    const y = x && isoDay(r, b);
    if (x && y && y < x) problems.push({ field: b, message: `${r[b]} is earlier than ${a} ${r[a]}` });
  }
  if (type === 'PENALTY') {
    // the amounts and the licence named go with the categories (cross-field rule 5: CF_NR_FK / CF_NR_WFFF / CF_NR_ZKDX)
    const categories = (r.CF_CFLB ?? '').split(SET_SEPARATOR);
    if (categories.includes('罚款') && !r.CF_NR_FK) problems.push({ field: 'CF_NR_FK', message: '罚款金额 is required when 处罚类别 includes 罚款' });
    if ((categories.includes('没收违法所得') || categories.includes('没收非法财物')) && !r.CF_NR_WFFF) {
      problems.push({ field: 'CF_NR_WFFF', message: '没收金额 is required when 处罚类别 includes 没收违法所得 or 没收非法财物' });
    }
    if ((categories.includes('暂扣许可证件') || categories.includes('吊销许可证件')) && !r.CF_NR_ZKDX) {
      problems.push({ field: 'CF_NR_ZKDX', message: '暂扣或吊销证照名称及编号 is required when 处罚类别 includes 暂扣许可证件 or 吊销许可证件' });
    }
  }
  return problems;
}

/** One line naming every problem, for the held list and the national platform's rejection text. */
export function describeProblems(problems: readonly NationalProblem[]): string {
  return problems.map((p) => `${p.field}: ${p.message}`).join('; ');
}
