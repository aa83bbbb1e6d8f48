/**
 * Demo subjects: companies, social organisations and persons with Chinese names, districts and
 * checksummed codes, the same for the same seed.
 */
import { orgCodeOfUscc } from '#core/identifiers';
import { type Rng, int, makeIdNumber, makeRegNo, makeUscc, mulberry32, pad, pick } from './codes.ts';

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
