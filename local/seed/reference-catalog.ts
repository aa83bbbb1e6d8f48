/**
 * A deterministic catalog of the reference platform's size (issue 16): 99 providers — 16 district
 * governments and 83 municipal-level units of the seed's kinds — holding 45,933 items (27,185 about
 * legal subjects, 18,748 about natural persons; 5,326 listed by municipal units, 40,607 by the
 * districts), and 1,724 application matters of 62 government units. Items have the field lists of
 * the demo catalog's shapes (penalties, licences, judgments, arrears, honours …), ≈ 800 bytes each.
 * The same call always yields the same document (no randomness, no clock).
 */
import {
  type ApplicationMatter,
  type Catalog,
  type FieldDef,
  type InfoItem,
  PURPOSES,
  type Provider,
  type ProviderKind,
  type RECORD_CLASSES,
} from '#core/catalog';
import { SHANGHAI_DISTRICTS, type UnitBody } from '#core/units';
import { makeUscc } from './generate.ts';

export const REFERENCE = {
  providers: 99,
  districts: 16,
  items: 45_933,
  legal: 27_185,
  natural: 18_748,
  municipal: 5_326,
  district: 40_607,
  matters: 1_724,
  matterUnits: 62,
} as const;

/** Municipal-level kinds in the proportions of the seed (most are municipal agencies). */
const MUNICIPAL_KINDS: Array<[ProviderKind, number]> = [
  ['MUNICIPAL_AGENCY', 58],
  ['CENTRAL_UNIT', 9],
  ['JUDICIAL', 4],
  ['PEOPLES_ORGANIZATION', 5],
  ['PUBLIC_UTILITY', 4],
  ['SOCIAL_ORGANIZATION', 3],
];

const DISTRICT_CODES = ['HP', 'XH', 'CN', 'JA', 'PT', 'HK', 'YP', 'MH', 'BS', 'JD', 'PD', 'JS', 'SJ', 'QP', 'FX', 'CM'];

/** Spreads `total` over `n` parts as evenly as integers allow (the first parts take the remainder). */
function spread(total: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.floor(total / n) + (i < total % n ? 1 : 0));
}

interface Shape {
  name: string;
  recordClass: (typeof RECORD_CLASSES)[number];
  polarity: 'POSITIVE' | 'NEUTRAL' | 'NEGATIVE';
  fields: FieldDef[];
  keyField: string;
  dated?: string;
}

const f = (key: string, label: string, type: FieldDef['type'], extra: Partial<FieldDef> = {}): FieldDef => ({ key, label, type, required: true, ...extra });

const SHAPES: Shape[] = [
  {
    name: '行政处罚信息',
    recordClass: 'SUPERVISION',
    polarity: 'NEGATIVE',
    keyField: 'decisionNo',
    dated: 'decisionDate',
    fields: [
      f('decisionNo', '行政处罚决定书文号', 'string', { maxLength: 128 }),
      f('violationType', '违法行为类型', 'string'),
      f('facts', '违法事实', 'text'),
      f('penaltyCategory', '处罚类别', 'set', { values: ['警告', '通报批评', '罚款', '没收违法所得', '暂扣许可证件', '吊销许可证件', '责令停产停业'] }),
      f('fineWan', '罚款金额（万元）', 'decimal', { required: false, min: 0 }),
      f('decisionDate', '处罚决定日期', 'date'),
      f('authorityName', '处罚机关', 'string'),
    ],
  },
  {
    name: '行政许可信息',
    recordClass: 'QUALIFICATION',
    polarity: 'NEUTRAL',
    keyField: 'licenceNo',
    dated: 'issuedOn',
    fields: [
      f('licenceNo', '许可证书编号', 'string', { maxLength: 128 }),
      f('licenceName', '许可证书名称', 'string'),
      f('licenceType', '许可类别', 'enum', { values: ['普通', '特许', '认可', '核准', '登记', '其他'] }),
      f('scope', '许可内容', 'text'),
      f('issuedOn', '许可决定日期', 'date'),
      f('validUntil', '有效期至', 'date', { required: false }),
      f('authorityName', '许可机关', 'string'),
    ],
  },
  {
    name: '欠缴信息',
    recordClass: 'CONTRACT',
    polarity: 'NEGATIVE',
    keyField: 'noticeNo',
    dated: 'recordedOn',
    fields: [
      f('noticeNo', '催缴通知书编号', 'string', { maxLength: 64 }),
      f('category', '欠缴类别', 'enum', { values: ['税费', '社会保险费', '水费', '电费', '燃气费', '公积金'] }),
      f('amountYuan', '欠缴金额（元）', 'decimal', { min: 0 }),
      f('periodFrom', '欠缴起始日期', 'date'),
      f('recordedOn', '认定日期', 'date'),
    ],
  },
  {
    name: '表彰奖励信息',
    recordClass: 'PUBLIC_WELFARE',
    polarity: 'POSITIVE',
    keyField: 'awardNo',
    dated: 'awardedOn',
    fields: [
      f('awardNo', '表彰文号', 'string', { maxLength: 64 }),
      f('title', '荣誉称号', 'string'),
      f('level', '表彰级别', 'enum', { values: ['国家级', '市级', '区级'] }),
      f('awardedOn', '表彰日期', 'date'),
      f('authorityName', '表彰单位', 'string'),
    ],
  },
  {
    name: '监督检查结果信息',
    recordClass: 'MANAGEMENT',
    polarity: 'NEUTRAL',
    keyField: 'inspectionNo',
    dated: 'inspectedOn',
    fields: [
      f('inspectionNo', '检查编号', 'string', { maxLength: 64 }),
      f('matter', '检查事项', 'string'),
      f('result', '检查结果', 'enum', { values: ['合格', '基本合格', '不合格', '责令整改'] }),
      f('inspectedOn', '检查日期', 'date'),
      f('remarks', '备注', 'text', { required: false, maxLength: 2000 }),
    ],
  },
  {
    name: '司法判决信息',
    recordClass: 'JUDGMENT',
    polarity: 'NEGATIVE',
    keyField: 'caseNo',
    dated: 'judgedOn',
    fields: [
      f('caseNo', '案号', 'string', { maxLength: 64 }),
      f('cause', '案由', 'string'),
      f('outcome', '裁判结果', 'text'),
      f('judgedOn', '裁判日期', 'date'),
      f('court', '审理法院', 'string'),
    ],
  },
];

const LEGAL_BASIS = ['《上海市社会信用条例》第十二条', '《上海市公共信用信息归集和使用管理办法》第八条'];

export interface ReferenceCatalog {
  catalog: Catalog;
  /** The units register entries of the providers and the matters' government units. */
  units: Array<UnitBody & { code: string }>;
}

export function referenceCatalog(version = 'REF-2016'): ReferenceCatalog {
  const providers: Provider[] = [];
  const units: ReferenceCatalog['units'] = [];
  let n = 0;
  for (const [kind, count] of MUNICIPAL_KINDS) {
    for (let i = 0; i < count; i++) {
      const code = `SH-M${String(++n).padStart(3, '0')}`;
      const uscc = makeUscc(900_000 + n, { prefix: kind === 'SOCIAL_ORGANIZATION' ? '51' : kind === 'PUBLIC_UTILITY' ? '91' : '11', division: '310000' });
      providers.push({ code, name: `上海市第${n}委办局`, uscc, kind });
      units.push({ code, name: `上海市第${n}委办局`, uscc, kind, level: kind === 'CENTRAL_UNIT' ? 'CENTRAL' : 'MUNICIPAL', roles: ['PROVIDER', 'GOV_QUERY'] });
    }
  }
  DISTRICT_CODES.forEach((d, i) => {
    const code = `SH-D${d}`;
    const uscc = makeUscc(950_000 + i, { prefix: '11', division: '310101' });
    const district = SHANGHAI_DISTRICTS[i]!;
    providers.push({ code, name: `上海市${district}人民政府`, uscc, kind: 'DISTRICT_GOVERNMENT' });
    units.push({ code, name: `上海市${district}人民政府`, uscc, kind: 'DISTRICT_GOVERNMENT', level: 'DISTRICT', district, roles: ['PROVIDER', 'GOV_QUERY'] });
  });

  const municipal = providers.filter((p) => p.kind !== 'DISTRICT_GOVERNMENT');
  const districts = providers.filter((p) => p.kind === 'DISTRICT_GOVERNMENT');
  const plan: Array<[Provider, number]> = [
    ...spread(REFERENCE.municipal, municipal.length).map((c, i) => [municipal[i]!, c] as [Provider, number]),
    ...spread(REFERENCE.district, districts.length).map((c, i) => [districts[i]!, c] as [Provider, number]),
  ];

  // subject types interleaved so that exactly REFERENCE.legal of all items are LEGAL: item k is NATURAL when
  // floor((k+1)·natural/items) moves (a Bresenham spread, the same for every run)
  const items: InfoItem[] = [];
  let k = 0;
  for (const [provider, count] of plan) {
    for (let j = 0; j < count; j++, k++) {
      const natural = Math.floor(((k + 1) * REFERENCE.natural) / REFERENCE.items) > Math.floor((k * REFERENCE.natural) / REFERENCE.items);
      const shape = SHAPES[k % SHAPES.length]!;
      const item: InfoItem = {
        code: `${provider.code.slice(3)}-${String(j + 1).padStart(5, '0')}`,
        name: `${provider.name}${shape.name}（第${j + 1}项）`,
        description: `${provider.name}依职责归集的${natural ? '自然人' : '法人和非法人组织'}${shape.name}。`,
        provider: provider.code,
        subjectType: natural ? 'NATURAL' : 'LEGAL',
        recordClass: shape.recordClass,
        polarity: shape.polarity,
        ...(shape.polarity === 'NEGATIVE' ? { severity: 'GENERAL' as const } : {}),
        disclosure: natural ? 'AUTHORIZED_QUERY' : k % 3 === 0 ? 'PUBLIC' : 'GOV_SHARE',
        ...(shape.polarity === 'NEGATIVE' && shape.dated ? { queryYears: 5, queryPeriodFrom: shape.dated } : {}),
        keyField: shape.keyField,
        legalBasis: LEGAL_BASIS,
        fields: shape.fields,
      };
      items.push(item);
    }
  }

  // 1,724 application matters of 62 government units (the first 46 municipal units and the 16 districts)
  const matterUnits = [...municipal.slice(0, REFERENCE.matterUnits - districts.length), ...districts];
  const legalItems = items.filter((i) => i.subjectType === 'LEGAL');
  const naturalItems = items.filter((i) => i.subjectType === 'NATURAL');
  const matters: ApplicationMatter[] = [];
  let m = 0;
  spread(REFERENCE.matters, matterUnits.length).forEach((count, u) => {
    const unit = matterUnits[u]!;
    for (let j = 0; j < count; j++, m++) {
      const natural = m % 3 === 2;
      const pool = natural ? naturalItems : legalItems;
      const size = 3 + (m % 6);
      const chosen = Array.from({ length: size }, (_, x) => pool[(m * 7919 + x * 104_729) % pool.length]!.code);
      matters.push({
        code: `${unit.code.slice(3)}-AM${String(j + 1).padStart(3, '0')}`,
        name: `${unit.name}应用事项${j + 1}`,
        unit: unit.code,
        subjectType: natural ? 'NATURAL' : 'LEGAL',
        purpose: PURPOSES[m % PURPOSES.length]!,
        legalBasis: ['《上海市社会信用条例》第二十四条'],
        items: [...new Set(chosen)],
      });
    }
  });

  return { catalog: { version, providers, items, matters }, units };
}
