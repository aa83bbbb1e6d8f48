/**
 * The standard subject columns every upload row carries besides its item fields
 * (docs/api.md, Upload files; docs/domain.md, The national exchange format). Item field keys and labels may not reuse them.
 */

export const PARTY_TYPES = ['法人及非法人组织', '自然人', '个体工商户'] as const; // 行政相对人类别
export type PartyType = (typeof PARTY_TYPES)[number];

/** The fixed 证件类型 values; anything starting '其他-' (with a name after it) is accepted too. */
export const ID_TYPES = ['身份证', '护照号', '港澳居民来往内地通行证', '台湾居民来往大陆通行证', '外国人永久居留身份证'] as const;
export const OTHER_ID_TYPE_PREFIX = '其他-';
export const RESIDENT_ID_TYPE = '身份证';

export function isIdType(value: string): boolean {
  if ((ID_TYPES as readonly string[]).includes(value)) return true;
  return value.length > OTHER_ID_TYPE_PREFIX.length && value.startsWith(OTHER_ID_TYPE_PREFIX);
}

/** Which subject a party type denotes: 个体工商户 are filed with legal subjects (by USCC). */
export function subjectTypeOfParty(partyType: PartyType): 'LEGAL' | 'NATURAL' {
  return partyType === '自然人' ? 'NATURAL' : 'LEGAL';
}

export type SubjectColumnKind =
  | 'name' // the party's name
  | 'partyType'
  | 'uscc'
  | 'regNo'
  | 'orgCode'
  | 'freeCode' // tax / institution / social-organisation numbers: no check algorithm, stored as given
  | 'personName'
  | 'idType'
  | 'idNumber'
  | 'op';

/** Which subjects a column may be filled for: the others must leave it empty (docs/domain.md, Cross-field rules). */
export type SubjectColumnScope = 'ANY' | 'LEGAL' | 'NATURAL';

export interface SubjectColumn {
  key: string;
  label: string;
  kind: SubjectColumnKind;
  scope: SubjectColumnScope;
}

export const SUBJECT_COLUMNS = [
  { key: 'partyName', label: '行政相对人名称', kind: 'name', scope: 'ANY' },
  { key: 'partyType', label: '行政相对人类别', kind: 'partyType', scope: 'ANY' },
  { key: 'partyUscc', label: '统一社会信用代码', kind: 'uscc', scope: 'LEGAL' },
  { key: 'partyRegNo', label: '工商注册号', kind: 'regNo', scope: 'LEGAL' },
  { key: 'partyOrgCode', label: '组织机构代码', kind: 'orgCode', scope: 'LEGAL' },
  { key: 'partyTaxNo', label: '税务登记号', kind: 'freeCode', scope: 'LEGAL' },
  { key: 'partyInstCertNo', label: '事业单位证书号', kind: 'freeCode', scope: 'LEGAL' },
  { key: 'partySocOrgCertNo', label: '社会组织登记证号', kind: 'freeCode', scope: 'LEGAL' },
  { key: 'legalRepName', label: '法定代表人', kind: 'personName', scope: 'LEGAL' },
  { key: 'legalRepIdType', label: '法定代表人证件类型', kind: 'idType', scope: 'LEGAL' },
  { key: 'legalRepIdNo', label: '法定代表人证件号码', kind: 'idNumber', scope: 'LEGAL' },
  { key: 'personIdType', label: '证件类型', kind: 'idType', scope: 'NATURAL' },
  { key: 'personIdNo', label: '证件号码', kind: 'idNumber', scope: 'NATURAL' },
  { key: 'op', label: '操作', kind: 'op', scope: 'ANY' },
] as const satisfies readonly SubjectColumn[];

export type SubjectColumnKey = (typeof SUBJECT_COLUMNS)[number]['key'];

const BY_KEY: ReadonlyMap<string, SubjectColumn> = new Map(SUBJECT_COLUMNS.map((c) => [c.key, c]));
const BY_LABEL: ReadonlyMap<string, SubjectColumn> = new Map(SUBJECT_COLUMNS.map((c) => [c.label, c]));

export function subjectColumn(key: string): SubjectColumn | undefined {
  return BY_KEY.get(key);
}

export function subjectColumnByLabel(label: string): SubjectColumn | undefined {
  return BY_LABEL.get(label);
}

export function isSubjectColumnKey(key: string): key is SubjectColumnKey {
  return BY_KEY.has(key);
}

/** Legal-subject identifier columns: a legal row names at least one (partyUscc first, docs/domain.md, Identifiers). */
export const LEGAL_CODE_COLUMNS = [
  'partyUscc',
  'partyRegNo',
  'partyOrgCode',
  'partyInstCertNo',
  'partySocOrgCertNo',
  'partyTaxNo',
] as const satisfies readonly SubjectColumnKey[];

/** Columns that can serve as an item's keyField for each subject type. */
export const SUBJECT_KEY_COLUMNS: Readonly<Record<'LEGAL' | 'NATURAL', readonly SubjectColumnKey[]>> = {
  LEGAL: LEGAL_CODE_COLUMNS,
  NATURAL: ['personIdNo'],
};
