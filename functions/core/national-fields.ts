/**
 * The national exchange format's vocabulary (docs/domain.md, Enumerations, and The national exchange
 * format): the Version B record types, the enumerations with the aliases uploads use, and the field
 * layout of a penalty (`CF_*`) and a licence (`XK_*`). Mapping is national-format.ts; validation is
 * national-validate.ts.
 */

export type NationalType = 'PENALTY' | 'LICENSING';
export type NationalFields = Record<string, string>;

export interface NationalProblem {
  /** The Version B field code (or the English source key when the value is missing at the source). */
  field: string;
  message: string;
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

export const ENUM_ALIASES = { licenceCategory: LICENCE_CATEGORY_ALIASES, partyType: PARTY_TYPE_ALIASES, idType: ID_TYPE_ALIASES } as const;

/** 当前状态 of a licence: 1 有效 (what an ACTIVE record is); a withdrawal is its own operation. */
export const LICENCE_STATUS_VALID = '1';
export const LICENCE_STATUSES = ['1', '2'];

// ---------------------------------------------------------------------------------------------
// Field layout

type Kind = 'text' | 'date' | 'wan' | 'uscc' | 'orgCode' | 'partyType' | 'idType' | 'idNumber' | 'penaltyCategory' | 'licenceCategory' | 'licenceStatus';

export interface FieldSpec {
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
export const SPEC_BY_CODE: Readonly<Record<NationalType, ReadonlyMap<string, FieldSpec>>> = {
  PENALTY: new Map(PENALTY_FIELDS.map((f) => [f.code, f])),
  LICENSING: new Map(LICENSING_FIELDS.map((f) => [f.code, f])),
};

/** Amounts may also arrive in 元 under these keys; they are converted to 万元. */
export const YUAN_SOURCES: Readonly<Record<string, string>> = { fineWan: 'fineYuan', confiscatedWan: 'confiscatedYuan' };
export const WAN_LIMIT = 10_000; // cross-field rule 5 (docs/domain.md): more than this many 万元 was almost certainly entered in 元
export const WAN_DECIMALS = 6;
export const SET_SEPARATOR = ';';
