/**
 * Deterministic demo-data generators: checksummed identifiers, subjects with Chinese names, and
 * rows for any catalog item (valid, with invalid rows injected at a chosen rate). The same seed
 * always yields the same data, so demo uploads, tests and benchmarks are reproducible.
 */
import type { Catalog, FieldDef, InfoItem, Provider } from '#core/catalog';
import { idCheckChar, orgCodeCheckChar, orgCodeOfUscc, regNoCheckDigit, usccCheckChar } from '#core/identifiers';
import { isSubjectColumnKey, subjectColumn } from '#core/subject-columns';

// ---------------------------------------------------------------------------------------------
// PRNG

/** mulberry32: a tiny, fast 32-bit PRNG; good enough for demo data, never for secrets. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;

function int(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[Math.floor(rng() * list.length)]!;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

// ---------------------------------------------------------------------------------------------
// Identifiers

const USCC_BODY_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY'; // USCC characters (no I, O, S, V, Z)
const BODY_SPACE = 31 ** 6;

export interface MakeUsccOptions {
  /** Registration authority + organisation type, e.g. '91' enterprise, '92' individual business, '51' social group. */
  prefix?: string;
  /** GB/T 2260 division code of the registering authority; default Pudong (310115). */
  division?: string;
}

/** The n-th organisation-code body: 'MA' + six USCC characters, a bijection of n (distinct n → distinct bodies). */
function orgBody(n: number): string {
  let v = ((((n % BODY_SPACE) * 48271 + 7_654_321) % BODY_SPACE) + BODY_SPACE) % BODY_SPACE;
  let tail = '';
  for (let i = 0; i < 6; i++) {
    tail = USCC_BODY_ALPHABET[v % 31] + tail;
    v = Math.floor(v / 31);
  }
  return `MA${tail}`;
}

/** A valid organisation code (GB 11714), distinct for distinct n. */
export function makeOrgCode(n: number): string {
  const body = orgBody(n);
  return body + orgCodeCheckChar(body);
}

/** A valid USCC whose embedded organisation code is makeOrgCode(n). */
export function makeUscc(n: number, opts: MakeUsccOptions = {}): string {
  const first17 = `${opts.prefix ?? '91'}${opts.division ?? '310115'}${makeOrgCode(n)}`;
  return first17 + usccCheckChar(first17);
}

/** A valid 15-digit registration number (GS 15): authority code + 8-digit sequence + MOD 11,10 check. */
export function makeRegNo(n: number, division = '310115'): string {
  const first14 = `${division}${pad(Math.abs(n) % 100_000_000, 8)}`;
  return first14 + regNoCheckDigit(first14);
}

const ID_REGIONS = [
  '310101',
  '310104',
  '310105',
  '310106',
  '310107',
  '310109',
  '310110',
  '310112',
  '310113',
  '310115',
  '320102',
  '330106',
  '340104',
  '110105',
  '420106',
  '510107',
];

/** A valid 18-digit resident ID number, born 1950–2004; distinct for distinct n below 16 000. */
export function makeIdNumber(n: number): string {
  const rng = mulberry32(n * 2654435761);
  const region = ID_REGIONS[n % ID_REGIONS.length]!;
  const seq = pad(Math.floor(n / ID_REGIONS.length) % 1000, 3);
  const year = int(rng, 1950, 2004);
  const month = int(rng, 1, 12);
  const day = int(rng, 1, 28);
  const first17 = `${region}${year}${pad(month, 2)}${pad(day, 2)}${seq}`;
  return first17 + idCheckChar(first17);
}

// ---------------------------------------------------------------------------------------------
// Subjects

const DISTRICTS = ['浦东新区', '黄浦区', '徐汇区', '长宁区', '静安区', '普陀区', '虹口区', '杨浦区', '闵行区', '宝山区', '嘉定区', '松江区'];
const DISTRICT_CODES = ['310115', '310101', '310104', '310105', '310106', '310107', '310109', '310110', '310112', '310113', '310114', '310117'];
const TRADE_NAMES = [
  '申城',
  '浦江',
  '东方',
  '华信',
  '恒润',
  '明德',
  '锦程',
  '瑞丰',
  '海纳',
  '弘毅',
  '嘉禾',
  '汇通',
  '新程',
  '远景',
  '博雅',
  '天和',
  '金桥',
  '同舟',
  '启航',
  '泰和',
];
const BUSINESS_WORDS = ['科技', '贸易', '餐饮管理', '建设工程', '物流', '信息技术', '文化传播', '食品', '医药', '环保科技', '实业', '电子商务'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'];
const GIVEN_CHARS = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀',
  '霞',
  '平',
  '刚',
  '桂',
  '英',
  '华',
  '文',
  '辉',
  '建',
  '玲',
  '欣',
  '宇',
];
const ROADS = ['世纪大道', '南京西路', '淮海中路', '延安西路', '四川北路', '张江路', '漕河泾路', '虹桥路', '曹杨路', '沪太路'];

export interface Company {
  name: string;
  partyType: '法人及非法人组织' | '个体工商户';
  uscc: string;
  regNo: string;
  orgCode: string;
  socOrgCertNo?: string;
  legalRepName: string;
  legalRepIdNo: string;
  district: string;
  enterpriseType: string;
  establishedDate: string;
  registeredCapitalWan: string;
}

export interface Person {
  name: string;
  idNumber: string;
  gender: '男' | '女';
}

function personName(rng: Rng): string {
  const given = rng() < 0.6 ? pick(rng, GIVEN_CHARS) + pick(rng, GIVEN_CHARS) : pick(rng, GIVEN_CHARS);
  return pick(rng, SURNAMES) + given;
}

function subjectNumber(seed: number, i: number): number {
  return (Math.abs(seed) % 800) * 1_000_000 + i;
}

/** `count` companies (about one in ten an individual business, 个体工商户), each with a consistent registry entry. */
export function companies(count: number, seed: number): Company[] {
  const rng = mulberry32(seed ^ 0xc0ffee);
  const out: Company[] = [];
  for (let i = 0; i < count; i++) {
    const n = subjectNumber(seed, i);
    const d = i % DISTRICTS.length;
    const individual = i % 10 === 9;
    const trade = TRADE_NAMES[i % TRADE_NAMES.length]! + (i >= TRADE_NAMES.length ? TRADE_NAMES[Math.floor(i / TRADE_NAMES.length) % TRADE_NAMES.length]! : '');
    const business = BUSINESS_WORDS[(i * 7) % BUSINESS_WORDS.length]!;
    const repName = personName(rng);
    const uscc = makeUscc(n, { prefix: individual ? '92' : '91', division: DISTRICT_CODES[d] });
    out.push({
      name: individual ? `上海市${DISTRICTS[d]}${trade}${business}店` : `上海${trade}${business}有限公司`,
      partyType: individual ? '个体工商户' : '法人及非法人组织',
      uscc,
      regNo: makeRegNo(n, DISTRICT_CODES[d]),
      orgCode: orgCodeOfUscc(uscc),
      legalRepName: repName,
      legalRepIdNo: makeIdNumber(n % 16_000),
      district: DISTRICTS[d]!,
      enterpriseType: individual ? '个体工商户' : pick(rng, ['有限责任公司', '有限责任公司', '股份有限公司', '合伙企业']),
      establishedDate: `${int(rng, 1995, 2024)}-${pad(int(rng, 1, 12), 2)}-${pad(int(rng, 1, 28), 2)}`,
      registeredCapitalWan: String(pick(rng, [10, 50, 100, 200, 500, 1000, 3000, 10000])),
    });
  }
  return out;
}

/** Social organisations (社会团体): USCC prefix 51 and a 社会组织登记证号. */
export function socialOrgs(count: number, seed: number): Company[] {
  const rng = mulberry32(seed ^ 0x50c1a1);
  return Array.from({ length: count }, (_, i) => {
    const n = subjectNumber(seed, 500_000 + i);
    const d = i % DISTRICTS.length;
    const uscc = makeUscc(n, { prefix: '51', division: DISTRICT_CODES[d] });
    return {
      name: `上海市${DISTRICTS[d]}${TRADE_NAMES[i % TRADE_NAMES.length]}志愿服务${i >= TRADE_NAMES.length ? `${Math.floor(i / TRADE_NAMES.length) + 1}` : ''}社`,
      partyType: '法人及非法人组织' as const,
      uscc,
      regNo: makeRegNo(n, DISTRICT_CODES[d]),
      orgCode: orgCodeOfUscc(uscc),
      socOrgCertNo: `沪社证字第${pad(10_000 + ((seed * 131 + i) % 90_000), 5)}号`,
      legalRepName: personName(rng),
      legalRepIdNo: makeIdNumber((n + 7) % 16_000),
      district: DISTRICTS[d]!,
      enterpriseType: '社会团体',
      establishedDate: `${int(rng, 2005, 2023)}-${pad(int(rng, 1, 12), 2)}-${pad(int(rng, 1, 28), 2)}`,
      registeredCapitalWan: '3',
    };
  });
}

/** `count` natural persons with distinct ID numbers (count ≤ 16 000). */
export function persons(count: number, seed: number): Person[] {
  const rng = mulberry32(seed ^ 0xbeef);
  const base = (Math.abs(seed) * 977) % 16_000;
  return Array.from({ length: count }, (_, i) => {
    const idNumber = makeIdNumber((base + i) % 16_000);
    return { name: personName(rng), idNumber, gender: (idNumber.charCodeAt(16) - 48) % 2 === 1 ? '男' : '女' };
  });
}

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

// ---------------------------------------------------------------------------------------------
// CSV

function csvCell(v: string): string {
  return /[",\r\n]/.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v;
}

export interface CsvOptions {
  /** Write Chinese labels in the header instead of keys (needs `item` for field labels). */
  labels?: boolean;
  item?: InfoItem;
}

/** RFC 4180 CSV: CRLF line ends, fields quoted when they hold a comma, quote, line break or edge spaces. */
export function toCsv(keys: string[], rows: ReadonlyArray<Record<string, string>>, opts: CsvOptions = {}): string {
  const header = opts.labels ? keys.map((k) => labelOf(k, opts.item)) : keys;
  const lines = [header.map(csvCell).join(',')];
  for (const r of rows) lines.push(keys.map((k) => csvCell(r[k] ?? '')).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function labelOf(key: string, item: InfoItem | undefined): string {
  const field = item?.fields.find((f) => f.key === key);
  if (field) return field.label;
  const column = subjectColumn(key);
  if (column) return column.label;
  throw new Error(`no label for column ${key}${item ? ` in ${item.code}` : ' (pass the item)'}`);
}
