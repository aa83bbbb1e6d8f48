/**
 * Demo rows for any catalog item: the subject columns, the item's fields filled plausibly, and
 * invalid rows injected at a chosen rate (a bad checksum, a missing value, a bad date or enum).
 */
import type { Catalog, FieldDef, InfoItem, Provider } from '#core/catalog';
import { isSubjectColumnKey } from '#core/subject-columns';
import { type Rng, int, makeIdNumber, makeOrgCode, makeRegNo, makeUscc, mulberry32, pad, pick } from './codes.ts';
import { type Company, type Person, companies, persons, socialOrgs } from './subjects.ts';

const ROADS = ['世纪大道', '南京西路', '淮海中路', '延安西路', '四川北路', '张江路', '漕河泾路', '虹桥路', '曹杨路', '沪太路'];

// ---------------------------------------------------------------------------------------------
// Rows

export type InvalidKind = 'CHECKSUM' | 'REQUIRED' | 'DATE' | 'ENUM';
const INVALID_KINDS: readonly InvalidKind[] = ['CHECKSUM', 'REQUIRED', 'DATE', 'ENUM'];

export interface GeneratedRow {
  values: Record<string, string>;
  /** Set when the row was deliberately broken. */
  invalid?: InvalidKind;
}

export interface RowsOptions {
  /** Share of rows deliberately made invalid (0–1); default 0. */
  invalidRate?: number;
  /** Subjects to draw from; by default generated from the seed (companies / social organisations / persons). */
  subjects?: ReadonlyArray<Company | Person>;
  /** Latest date generated; default 2026-09-30 (so decision dates are never in the future). */
  until?: string;
}

/** The columns a file for this item carries: subject columns, then the item's fields. */
export function columnsFor(item: InfoItem): string[] {
  const cols: string[] =
    item.subjectType === 'NATURAL'
      ? ['partyName', 'partyType', 'personIdType', 'personIdNo']
      : ['partyName', 'partyType', 'partyUscc', 'partyRegNo', 'partyOrgCode', 'legalRepName'];
  if (isSubjectColumnKey(item.keyField) && !cols.includes(item.keyField)) cols.push(item.keyField);
  for (const f of item.fields) if (!cols.includes(f.key)) cols.push(f.key);
  return cols;
}

export function rowsFor(itemCode: string, catalog: Catalog, count: number, seed: number, opts: RowsOptions = {}): Array<Record<string, string>> {
  return generateRows(itemCode, catalog, count, seed, opts).map((r) => r.values);
}

/** Like rowsFor, but says which rows were broken on purpose and how. */
export function generateRows(itemCode: string, catalog: Catalog, count: number, seed: number, opts: RowsOptions = {}): GeneratedRow[] {
  const item = catalog.items.find((i) => i.code === itemCode);
  if (!item) throw new Error(`unknown item ${itemCode}`);
  const provider = catalog.providers.find((p) => p.code === item.provider);
  if (!provider) throw new Error(`unknown provider ${item.provider}`);
  const rng = mulberry32(seed);
  const injector = mulberry32(seed ^ 0x1badf00d); // separate stream: the rate does not change row content
  const subjects = opts.subjects ?? defaultSubjects(item, Math.max(count, 50), seed);
  const sequential = isSubjectColumnKey(item.keyField);
  if (sequential && subjects.length < count) throw new Error(`${itemCode} is keyed by ${item.keyField}: need ${count} distinct subjects`);
  const until = dayNumber(opts.until ?? '2026-09-30');
  const rows: GeneratedRow[] = [];
  let injected = 0;
  for (let i = 0; i < count; i++) {
    const subject = sequential ? subjects[i]! : pick(rng, subjects);
    const values = subjectValues(item, subject);
    fillFields(values, item, provider, subject, { i, seed, rng, until });
    const row: GeneratedRow = { values };
    if (opts.invalidRate && injector() < opts.invalidRate) {
      row.invalid = INVALID_KINDS[injected++ % INVALID_KINDS.length]!;
      breakRow(values, item, row.invalid);
    }
    rows.push(row);
  }
  return rows;
}

function defaultSubjects(item: InfoItem, count: number, seed: number): Array<Company | Person> {
  if (item.subjectType === 'NATURAL') return persons(count, seed);
  return item.keyField === 'partySocOrgCertNo' ? socialOrgs(count, seed) : companies(count, seed);
}

function isPerson(s: Company | Person): s is Person {
  return 'idNumber' in s;
}

function subjectValues(item: InfoItem, s: Company | Person): Record<string, string> {
  if (isPerson(s)) return { partyName: s.name, partyType: '自然人', personIdType: '身份证', personIdNo: s.idNumber };
  const v: Record<string, string> = {
    partyName: s.name,
    partyType: s.partyType,
    partyUscc: s.uscc,
    partyRegNo: '',
    partyOrgCode: '',
    legalRepName: s.legalRepName,
  };
  if (item.recordClass === 'REGISTRATION') {
    v.partyRegNo = s.regNo;
    v.partyOrgCode = s.orgCode;
  }
  if (item.keyField === 'partySocOrgCertNo' && s.socOrgCertNo) v.partySocOrgCertNo = s.socOrgCertNo;
  return v;
}

// Dates as day numbers (days since 1970-01-01) so offsets are simple arithmetic.
function dayNumber(iso: string): number {
  return Math.floor(Date.parse(`${iso}T00:00:00Z`) / 86_400_000);
}

function isoOf(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

interface FillContext {
  i: number;
  seed: number;
  rng: Rng;
  until: number;
}

const ABBREVIATIONS: Readonly<Record<string, string>> = {
  'SH-AMR': '沪市监',
  'SH-TAX': '沪税',
  'SH-HRSS': '沪人社',
  'SH-COURT': '沪',
  'SH-TRANSPORT': '沪交执',
  'SH-PSB': '沪公交',
  'SH-WATER': '沪水',
  'SH-VOLUNTEER': '沪志',
};

/** Date fields that follow the row's event date, with their offset range in days. */
const LATER_DATES: Readonly<Record<string, readonly [number, number]>> = {
  effectiveUntil: [7, 30],
  publicityUntil: [365, 1095],
  validTo: [365, 1825],
};

function fillFields(values: Record<string, string>, item: InfoItem, provider: Provider, subject: Company | Person, c: FillContext): void {
  const { rng } = c;
  const event = c.until - int(rng, 0, 1000); // the behaviour / decision, up to ~3 years back
  const year = isoOf(event).slice(0, 4);
  const serial = `${pad(Math.abs(c.seed) % 1000, 3)}${pad(c.i, 4)}`;
  const abbr = ABBREVIATIONS[provider.code] ?? '沪';
  const fine = Math.round(int(rng, 5, 5000) * 100) / 10000; // 万元, up to 4 decimals
  const fieldValue = (f: FieldDef): string => {
    if (REGISTRY_FIELDS[f.key] && !isPerson(subject)) return REGISTRY_FIELDS[f.key]!(subject);
    switch (f.key) {
      case 'decisionNo':
        return item.publicity === 'LICENSING' ? `${abbr}许〔${year}〕${serial}号` : `${abbr}罚〔${year}〕${serial}号`;
      case 'caseNo':
        return item.recordClass === 'ENFORCEMENT' ? `（${year}）沪0115执${serial}号` : `（${year}）沪0115民初${serial}号`;
      case 'noticeNo':
      case 'listingNo':
      case 'recordNo':
        return `${abbr}${f.key === 'listingNo' ? '异' : ''}${year}${serial}`;
      case 'accountNo':
        return `SW${serial}${pad(int(rng, 0, 99), 2)}`;
      case 'violationType':
        return pick(rng, ['虚假宣传', '销售不合格产品', '无照经营', '食品安全违法', '价格违法', '商标侵权']);
      case 'facts':
        return `当事人${values.partyName}于${isoOf(event - 30)}实施违法行为，经立案调查属实。`;
      case 'legalBasis':
        return pick(rng, ['《中华人民共和国反不正当竞争法》第二十条', '《中华人民共和国食品安全法》第一百二十四条', '《中华人民共和国产品质量法》第四十九条']);
      case 'penaltyContent':
        return `罚款${Math.round(fine * 10000)}元`;
      case 'fineWan':
        return String(fine);
      case 'authorityName':
      case 'registrationAuthority':
        return provider.name;
      case 'authorityUscc':
        return provider.uscc;
      case 'driverLicenceNo':
        return isPerson(subject) ? subject.idNumber : makeIdNumber(c.i);
      case 'vehiclePlate':
        return `沪${pick(rng, ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M', 'N'])}${pad(int(rng, 0, 99999), 5)}`;
      case 'station':
        return pick(rng, ['人民广场站', '徐家汇站', '世纪大道站', '虹桥火车站站', '静安寺站', '陆家嘴站']);
      case 'court':
        return pick(rng, ['上海市浦东新区人民法院', '上海市徐汇区人民法院', '上海市第一中级人民法院', '上海市黄浦区人民法院']);
      case 'courtOrgCode':
        return makeOrgCode(900_000 + c.i);
      case 'caseCause':
        return pick(rng, ['买卖合同纠纷', '借款合同纠纷', '建设工程施工合同纠纷', '租赁合同纠纷']);
      case 'result':
        return '判决被告于本判决生效之日起十日内支付原告货款及逾期付款利息。';
      case 'obligation':
        return `支付申请执行人款项人民币${int(rng, 1, 200)}万元及利息。`;
      case 'decisionTitle':
        return pick(rng, ['食品经营许可决定书', '准予行政许可决定书', '医疗器械经营许可决定书']);
      case 'certificateName':
        return pick(rng, ['食品经营许可证', '医疗器械经营许可证', '']);
      case 'licenceNo':
        return `JY${pad(c.i, 6)}${pad(int(rng, 0, 9999), 4)}`;
      case 'content':
        return pick(rng, ['预包装食品销售（含冷藏冷冻食品）', '第三类医疗器械经营', '热食类食品制售']);
      case 'regNoAtListing':
        return isPerson(subject) ? '' : subject.regNo;
      case 'ratingYear':
      case 'serviceYear':
        return String(Number(isoOf(c.until).slice(0, 4)) - 1);
      default:
        return genericValue(f, rng);
    }
  };
  for (const f of item.fields) {
    if (f.type === 'date') continue;
    values[f.key] = fieldValue(f);
  }
  // Dates last, so ordering rules hold: events ≤ later dates, and nothing after `until`.
  for (const f of item.fields) {
    if (f.type !== 'date') continue;
    const later = LATER_DATES[f.key];
    if (f.key === 'establishedDate' && !isPerson(subject)) values[f.key] = subject.establishedDate;
    else if (f.key === 'filingDate') values[f.key] = isoOf(event - int(rng, 30, 200));
    else if (later) values[f.key] = isoOf(event + int(rng, later[0], later[1]));
    else values[f.key] = isoOf(event);
  }
  // Keep the money fields consistent with the penalty categories (docs/domain.md, Cross-field rules, rule 5: CF_NR_FK / CF_NR_WFFF).
  // 许可类别 其他 names the concrete kind in 备注 (XK_XKLB)
  if (values.remark !== undefined) values.remark = values.licenceCategory === '其他' ? '其他类别：备案' : '';
  if (values.penaltyCategory !== undefined) {
    if (values.fineWan !== undefined && !values.penaltyCategory.includes('罚款')) values.penaltyCategory = `罚款；${values.penaltyCategory}`;
    if (values.confiscatedWan !== undefined && !/没收(违法所得|非法财物)/.test(values.penaltyCategory)) values.confiscatedWan = '';
    // the simple procedure (简易程序) fines at most 200 元 (a person) or 3,000 元 (an organisation): a larger fine was decided by the general one
    if (values.procedureType === '简易程序' && Number(values.fineWan) > (isPerson(subject) ? 0.02 : 0.3)) values.procedureType = '一般程序';
    // the licence suspended or revoked is named when the categories say so (CF_NR_ZKDX)
    if (values.suspendedLicence !== undefined) {
      values.suspendedLicence = /(暂扣|吊销)许可证件/.test(values.penaltyCategory)
        ? `${pick(rng, ['食品经营许可证', '道路运输经营许可证', '营业执照'])} JY${pad(c.i, 8)}`
        : '';
    }
  }
  if (item.fields.some((f) => f.key === 'legalRepIdNo') && !isPerson(subject)) values.legalRepIdNo = subject.legalRepIdNo;
}

const REGISTRY_FIELDS: Readonly<Record<string, (c: Company) => string>> = {
  legalRepName: (c) => c.legalRepName,
  legalRepIdNo: (c) => c.legalRepIdNo,
  enterpriseType: (c) => c.enterpriseType,
  registeredCapitalWan: (c) => c.registeredCapitalWan,
  registeredAddress: (c) => `上海市${c.district}${ROADS[c.name.length % ROADS.length]}${(c.uscc.charCodeAt(12) % 900) + 1}号`,
  businessScope: () => '一般项目：技术服务、技术开发、技术咨询；销售日用百货。（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）',
  status: () => '存续',
};

function genericValue(f: FieldDef, rng: Rng): string {
  switch (f.type) {
    case 'enum':
      return pick(rng, f.values ?? ['']);
    case 'set': {
      const values = f.values ?? [''];
      const first = pick(rng, values);
      const second = pick(rng, values);
      // Mix the three separators the platform accepts.
      return first === second ? first : `${first}${pick(rng, [';', '；', '、'])}${second}`;
    }
    case 'integer': {
      const min = f.min ?? 0;
      return String(int(rng, min, Math.min(f.max ?? min + 120, min + 120)));
    }
    case 'decimal': {
      const min = f.min ?? 0;
      const max = Math.min(f.max ?? min + 500, min + 500);
      return String(Math.round((min + rng() * (max - min)) * 100) / 100);
    }
    case 'uscc':
      return makeUscc(int(rng, 0, 1_000_000));
    case 'orgCode':
      return makeOrgCode(int(rng, 0, 1_000_000));
    case 'regNo':
      return makeRegNo(int(rng, 0, 1_000_000));
    case 'idNumber':
      return makeIdNumber(int(rng, 0, 15_999));
    case 'text':
      return `${f.label}：说明${int(rng, 1, 999)}`;
    default:
      return `${f.label}${int(rng, 1, 9999)}`;
  }
}

/** Break a valid row in one of four ways the receipts should report. */
function breakRow(values: Record<string, string>, item: InfoItem, kind: InvalidKind): void {
  switch (kind) {
    case 'CHECKSUM': {
      const column = item.subjectType === 'NATURAL' ? 'personIdNo' : values.partyUscc ? 'partyUscc' : 'partyRegNo';
      const v = values[column]!;
      const last = v[v.length - 1]!;
      values[column] = v.slice(0, -1) + (column === 'partyUscc' ? (last === 'A' ? 'B' : 'A') : last === '1' ? '2' : '1');
      return;
    }
    case 'REQUIRED':
      values.partyName = '';
      return;
    case 'DATE': {
      const date = item.fields.find((f) => f.type === 'date');
      if (date) values[date.key] = `${values[date.key]!.slice(0, 4)}-02-30`;
      else values.partyName = '';
      return;
    }
    case 'ENUM': {
      const choice = item.fields.find((f) => f.type === 'enum' || f.type === 'set');
      if (choice) values[choice.key] = '未列明类别';
      else values.partyType = '未列明类别';
      return;
    }
  }
}
