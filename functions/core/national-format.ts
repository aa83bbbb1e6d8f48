/**
 * The national exchange format for double-publicity (双公示) records, Version B (docs/domain.md, Double-publicity records):
 * `CF_*` penalty and `XK_*` licence field codes, their enumerations, amounts in 万元 and dates.
 *
 * mapRecord turns a stored record (item fields under the English keys of that format plus the standard
 * subject columns) into Version B fields; validateNational checks a Version B record strictly —
 * the exporter runs it before sending and the local stand-in national platform runs it on receipt.
 * A record that does not map or validate is held back with the problems listed, never sent
 * half-formed.
 *
 * Choices where the sources are silent ([U] in docs/domain.md): dates are written `YYYY/MM/DD` (the
 * only date format the templates state); a multi-valued 处罚类别 is joined with `;`; an
 * open-ended licence leaves 有效期至 empty (Credit China prints "— —" for it).
 */
import { daysInMonth, validateIdNumber, validateOrgCode, validateUscc } from './identifiers.ts';
import { ISSUED_INVALID_USCC } from './issued-invalid-codes.ts';
import type { LegalSubjectRef, NaturalSubjectRef } from './row-validator.ts';
import { ID_TYPES, OTHER_ID_TYPE_PREFIX, PARTY_TYPES, RESIDENT_ID_TYPE } from './subject-columns.ts';

export type NationalType = 'PENALTY' | 'LICENSING';
export type NationalFields = Record<string, string>;

export interface NationalProblem {
  /** The Version B field code (or the English source key when the value is missing at the source). */
  field: string;
  message: string;
}

/** The standard subject columns of a stored record (what the upload row named the party with). */
export interface PartyColumns {
  partyName?: string;
  partyType?: string;
  partyUscc?: string;
  partyRegNo?: string;
  partyOrgCode?: string;
  partyTaxNo?: string;
  partyInstCertNo?: string;
  partySocOrgCertNo?: string;
  legalRepName?: string;
  legalRepIdType?: string;
  legalRepIdNo?: string;
  personIdType?: string;
  personIdNo?: string;
}

/**
 * The subject columns ingest keeps on a double-publicity record for the national format (the
 * subject's name and ID are kept anyway; ID numbers of natural persons only sealed).
 */
export function storedPartyColumns(subject: LegalSubjectRef | NaturalSubjectRef, legalRep?: { name?: string }): PartyColumns {
  const columns: PartyColumns =
    subject.type === 'NATURAL'
      ? { partyType: '自然人', personIdType: subject.idType }
      : {
          partyType: subject.partyType,
          partyRegNo: subject.regNo,
          partyOrgCode: subject.orgCode,
          partyTaxNo: subject.taxNo,
          partyInstCertNo: subject.instCertNo,
          partySocOrgCertNo: subject.socOrgCertNo,
          legalRepName: legalRep?.name,
        };
  return Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined && v !== '')) as PartyColumns;
}

export interface ExportSource {
  type: NationalType;
  /** Item fields (English keys, docs/domain.md, The national exchange format); ID-number fields in plaintext. */
  fields: Record<string, unknown>;
  party: PartyColumns;
  /** 数据来源单位: the provider unit, unless the record names another source unit. */
  sourceUnit: { name: string; uscc: string };
}

// ---------------------------------------------------------------------------------------------
// Enumerations (docs/domain.md, Enumerations)

/** 处罚类别 per 行政处罚法 (2021) Art 9, plus `其他-…` for 法律、行政法规规定的其他行政处罚. */
export const PENALTY_CATEGORIES = [
  '警告',
  '通报批评',
  '罚款',
  '没收违法所得',
  '没收非法财物',
  '暂扣许可证件',
  '降低资质等级',
  '吊销许可证件',
  '限制开展生产经营活动',
  '责令停产停业',
  '责令关闭',
  '限制从业',
  '行政拘留',
] as const;
const OTHER_PENALTY = '其他-法律、行政法规规定的其他行政处罚';

/**
 * Platform and provincial spellings of 处罚类别 → the Version B label: the catalog's own 其他 value,
 * the Zhejiang `punish_type` codes 01–14 and the short forms seen in provincial feeds.
 */
export const PENALTY_CATEGORY_ALIASES: Readonly<Record<string, string>> = {
  其他行政处罚: OTHER_PENALTY,
  暂扣许可证: '暂扣许可证件',
  吊销许可证: '吊销许可证件',
  限制开展经营活动: '限制开展生产经营活动',
  '01': '警告',
  '02': '罚款',
  '03': '没收违法所得',
  '04': '责令停产停业',
  '05': '吊销许可证件',
  '06': '行政拘留',
  '07': OTHER_PENALTY,
  '08': '通报批评',
  '09': '没收非法财物',
  '10': '降低资质等级',
  '11': '暂扣许可证件',
  '12': '限制开展生产经营活动',
  '13': '限制从业',
  '14': '责令关闭',
};

/** 许可类别 (行政许可法 Art 12); 其他 needs the concrete kind in 备注 or as `其他-…`. */
export const LICENCE_CATEGORIES = ['普通', '特许', '认可', '核准', '登记', '其他'] as const;
/** dragdream's codes 01–06 for 许可类别. */
export const LICENCE_CATEGORY_ALIASES: Readonly<Record<string, string>> = {
  '01': '普通',
  '02': '特许',
  '03': '认可',
  '04': '核准',
  '05': '登记',
  '06': '其他',
};

/** dragdream's codes for 行政相对人类别 (Version B carries the text). */
export const PARTY_TYPE_ALIASES: Readonly<Record<string, string>> = {
  '01': '自然人',
  '02': '法人及非法人组织',
  '03': '法人及非法人组织',
  '04': '个体工商户',
};

/** dragdream's codes 01–05 for 证件类型. */
export const ID_TYPE_ALIASES: Readonly<Record<string, string>> = {
  '01': '身份证',
  '02': '护照号',
  '03': '港澳居民来往内地通行证',
  '04': '台湾居民来往大陆通行证',
  '05': '外国人永久居留身份证',
  居民身份证: '身份证',
  护照: '护照号',
};

const ENUM_ALIASES = { licenceCategory: LICENCE_CATEGORY_ALIASES, partyType: PARTY_TYPE_ALIASES, idType: ID_TYPE_ALIASES } as const;

/** 当前状态 of a licence: 1 有效 (what an ACTIVE record is); a withdrawal is its own operation. */
export const LICENCE_STATUS_VALID = '1';
const LICENCE_STATUSES = ['1', '2'];

// ---------------------------------------------------------------------------------------------
// Field layout

type Kind = 'text' | 'date' | 'wan' | 'uscc' | 'orgCode' | 'partyType' | 'idType' | 'idNumber' | 'penaltyCategory' | 'licenceCategory' | 'licenceStatus';

interface FieldSpec {
  code: string;
  /** English source key (item field or subject column); absent for derived fields. */
  source?: string;
  kind: Kind;
  required: boolean;
  maxLength?: number;
  /** For an ID number: the code of the field naming its 证件类型. */
  typeCode?: string;
}

const NAME_MAX = 200;
const DECISION_NO_MAX = 128;
const TEXT_MAX = 4000;
const SHORT_MAX = 512;

function partyFields(prefix: 'CF' | 'XK'): FieldSpec[] {
  return [
    { code: `${prefix}_XDR_MC`, source: 'partyName', kind: 'text', required: true, maxLength: NAME_MAX },
    { code: `${prefix}_XDR_LB`, source: 'partyType', kind: 'partyType', required: true },
    { code: `${prefix}_XDR_SHXYM`, source: 'partyUscc', kind: 'uscc', required: false },
    { code: `${prefix}_XDR_GSZC`, source: 'partyRegNo', kind: 'text', required: false, maxLength: 64 },
    { code: `${prefix}_XDR_ZZJG`, source: 'partyOrgCode', kind: 'orgCode', required: false },
    { code: `${prefix}_XDR_SWDJ`, source: 'partyTaxNo', kind: 'text', required: false, maxLength: 64 },
    { code: `${prefix}_XDR_SYDW`, source: 'partyInstCertNo', kind: 'text', required: false, maxLength: 64 },
    { code: `${prefix}_XDR_SHZZ`, source: 'partySocOrgCertNo', kind: 'text', required: false, maxLength: 64 },
    { code: `${prefix}_FRDB`, source: 'legalRepName', kind: 'text', required: false, maxLength: NAME_MAX },
    { code: `${prefix}_FR_ZJLX`, source: 'legalRepIdType', kind: 'idType', required: false },
    { code: `${prefix}_FR_ZJHM`, source: 'legalRepIdNo', kind: 'idNumber', required: false, typeCode: `${prefix}_FR_ZJLX` },
    { code: `${prefix}_XDR_ZJLX`, source: 'personIdType', kind: 'idType', required: false },
    { code: `${prefix}_XDR_ZJHM`, source: 'personIdNo', kind: 'idNumber', required: false, typeCode: `${prefix}_XDR_ZJLX` },
  ];
}

export const PENALTY_FIELDS: readonly FieldSpec[] = [
  ...partyFields('CF'),
  { code: 'CF_WSH', source: 'decisionNo', kind: 'text', required: true, maxLength: DECISION_NO_MAX },
  { code: 'CF_WFXW', source: 'violationType', kind: 'text', required: true, maxLength: TEXT_MAX },
  { code: 'CF_SY', source: 'facts', kind: 'text', required: true, maxLength: TEXT_MAX },
  { code: 'CF_YJ', source: 'legalBasis', kind: 'text', required: true, maxLength: TEXT_MAX },
  { code: 'CF_CFLB', source: 'penaltyCategory', kind: 'penaltyCategory', required: true },
  { code: 'CF_NR', source: 'penaltyContent', kind: 'text', required: true, maxLength: TEXT_MAX },
  { code: 'CF_NR_FK', source: 'fineWan', kind: 'wan', required: false },
  { code: 'CF_NR_WFFF', source: 'confiscatedWan', kind: 'wan', required: false },
  { code: 'CF_NR_ZKDX', source: 'suspendedLicence', kind: 'text', required: false, maxLength: SHORT_MAX },
  { code: 'CF_JDRQ', source: 'decisionDate', kind: 'date', required: true },
  { code: 'CF_YXQ', source: 'effectiveUntil', kind: 'date', required: true },
  { code: 'CF_GSJZQ', source: 'publicityUntil', kind: 'date', required: false },
  { code: 'CF_CFJG', source: 'authorityName', kind: 'text', required: true, maxLength: NAME_MAX },
  { code: 'CF_CFJGDM', source: 'authorityUscc', kind: 'uscc', required: true },
  { code: 'CF_SJLY', source: 'sourceUnitName', kind: 'text', required: true, maxLength: NAME_MAX },
  { code: 'CF_SJLYDM', source: 'sourceUnitUscc', kind: 'uscc', required: true },
  { code: 'BZ', source: 'remark', kind: 'text', required: false, maxLength: TEXT_MAX },
];

export const LICENSING_FIELDS: readonly FieldSpec[] = [
  ...partyFields('XK'),
  { code: 'XK_XKWS', source: 'decisionTitle', kind: 'text', required: true, maxLength: NAME_MAX },
  { code: 'XK_WSH', source: 'decisionNo', kind: 'text', required: true, maxLength: DECISION_NO_MAX },
  { code: 'XK_XKLB', source: 'licenceCategory', kind: 'licenceCategory', required: true },
  { code: 'XK_XKZS', source: 'certificateName', kind: 'text', required: false, maxLength: NAME_MAX },
  { code: 'XK_XKBH', source: 'licenceNo', kind: 'text', required: false, maxLength: DECISION_NO_MAX },
  { code: 'XK_NR', source: 'content', kind: 'text', required: true, maxLength: TEXT_MAX },
  { code: 'XK_JDRQ', source: 'decisionDate', kind: 'date', required: true },
  { code: 'XK_YXQZ', source: 'validFrom', kind: 'date', required: true },
  { code: 'XK_YXQZI', source: 'validTo', kind: 'date', required: false },
  { code: 'XK_XKJG', source: 'authorityName', kind: 'text', required: true, maxLength: NAME_MAX },
  { code: 'XK_XKJGDM', source: 'authorityUscc', kind: 'uscc', required: true },
  { code: 'XK_ZT', kind: 'licenceStatus', required: true },
  { code: 'XK_LYDW', source: 'sourceUnitName', kind: 'text', required: true, maxLength: NAME_MAX },
  { code: 'XK_LYDWDM', source: 'sourceUnitUscc', kind: 'uscc', required: true },
  { code: 'BZ', source: 'remark', kind: 'text', required: false, maxLength: TEXT_MAX },
];

export const FIELDS_OF: Readonly<Record<NationalType, readonly FieldSpec[]>> = { PENALTY: PENALTY_FIELDS, LICENSING: LICENSING_FIELDS };
const SPEC_BY_CODE: Readonly<Record<NationalType, ReadonlyMap<string, FieldSpec>>> = {
  PENALTY: new Map(PENALTY_FIELDS.map((f) => [f.code, f])),
  LICENSING: new Map(LICENSING_FIELDS.map((f) => [f.code, f])),
};

/** Amounts may also arrive in 元 under these keys; they are converted to 万元. */
const YUAN_SOURCES: Readonly<Record<string, string>> = { fineWan: 'fineYuan', confiscatedWan: 'confiscatedYuan' };
const WAN_LIMIT = 10_000; // cross-field rule 5 (docs/domain.md): more than this many 万元 was almost certainly entered in 元
const WAN_DECIMALS = 6;
const SET_SEPARATOR = ';';

// ---------------------------------------------------------------------------------------------
// Mapping

export type MapOutcome = { ok: true; fields: NationalFields } | { ok: false; problems: NationalProblem[] };

function textOf(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v.length ? v.map(String).join(SET_SEPARATOR) : undefined;
  const s = String(v).trim();
  return s === '' ? undefined : s;
}

/** `2026-11-05` → `2026/11/05`. */
export function nationalDate(iso: string): string | undefined {
  return /^\d{4}-\d{2}-\d{2}$/.test(iso) ? iso.replaceAll('-', '/') : undefined;
}

/** An amount in 万元 as a plain decimal with at most 6 places (no exponent, no trailing zeros). */
export function wanText(n: number): string {
  const fixed = n.toFixed(WAN_DECIMALS);
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

function sourceValue(s: ExportSource, key: string): unknown {
  if (key === 'sourceUnitName') return s.fields.sourceUnitName ?? s.sourceUnit.name;
  if (key === 'sourceUnitUscc') return s.fields.sourceUnitUscc ?? s.sourceUnit.uscc;
  return (s.party as Record<string, unknown>)[key] ?? s.fields[key];
}

function mapValue(spec: FieldSpec, raw: unknown, s: ExportSource, problems: NationalProblem[]): string | undefined {
  switch (spec.kind) {
    case 'licenceStatus':
      return LICENCE_STATUS_VALID;
    case 'date': {
      const t = textOf(raw);
      if (t === undefined) return undefined;
      const d = nationalDate(t);
      if (d === undefined) problems.push({ field: spec.code, message: `${spec.source} ${JSON.stringify(t)} is not a YYYY-MM-DD date` });
      return d;
    }
    case 'wan': {
      let n: number | undefined;
      if (raw !== undefined && raw !== null && raw !== '') n = Number(raw);
      else {
        const yuan = s.fields[YUAN_SOURCES[spec.source!]!];
        if (yuan !== undefined && yuan !== null && yuan !== '') n = Number(yuan) / 10_000;
      }
      if (n === undefined) return undefined;
      if (!Number.isFinite(n)) {
        problems.push({ field: spec.code, message: `${spec.source} ${JSON.stringify(raw)} is not a number` });
        return undefined;
      }
      return wanText(n);
    }
    case 'penaltyCategory': {
      const values = Array.isArray(raw) ? raw.map(String) : (textOf(raw)?.split(/[;；、]/) ?? []);
      const mapped = [
        ...new Set(
          values
            .map((v) => v.trim())
            .filter(Boolean)
            .map((v) => PENALTY_CATEGORY_ALIASES[v] ?? v),
        ),
      ];
      return mapped.length ? mapped.join(SET_SEPARATOR) : undefined;
    }
    case 'licenceCategory':
    case 'partyType':
    case 'idType': {
      const t = textOf(raw);
      return t === undefined ? undefined : (ENUM_ALIASES[spec.kind][t] ?? t);
    }
    default:
      return textOf(raw);
  }
}

/**
 * The Version B record for a stored record, validated; or every problem found. A natural person
 * without an explicit 证件类型 holds a resident ID (the upload default).
 */
export function mapRecord(s: ExportSource, opts: { today: string }): MapOutcome {
  const problems: NationalProblem[] = [];
  const out: NationalFields = {};
  for (const spec of FIELDS_OF[s.type]) {
    const raw = spec.source ? sourceValue(s, spec.source) : undefined;
    const v = mapValue(spec, raw, s, problems);
    if (v !== undefined) out[spec.code] = v;
  }
  const rules = RULES[s.type];
  const [personIdType, personIdNo] = rules.personCodes as [string, string];
  if (out[rules.partyType] === '自然人' && out[personIdNo] && !out[personIdType]) out[personIdType] = RESIDENT_ID_TYPE;
  if (out[rules.repIdNo] && !out[rules.repIdType]) out[rules.repIdType] = RESIDENT_ID_TYPE;
  for (const p of validateNational(s.type, out, opts)) problems.push(p);
  return problems.length ? { ok: false, problems } : { ok: true, fields: out };
}

// ---------------------------------------------------------------------------------------------
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
const RULES: Readonly<Record<NationalType, TypeRules>> = { PENALTY: typeRules('PENALTY'), LICENSING: typeRules('LICENSING') };

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
