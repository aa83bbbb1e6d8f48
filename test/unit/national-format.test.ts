/**
 * Version B mapping and validation (docs/domain.md, Double-publicity records): every field code of both types, every
 * enumeration, amounts in 万元, dates, and the cross-field rules that hold a record back.
 */
import { describe, expect, it } from 'vitest';
import {
  ID_TYPE_ALIASES,
  LICENCE_CATEGORIES,
  LICENCE_CATEGORY_ALIASES,
  LICENSING_FIELDS,
  PARTY_TYPE_ALIASES,
  PENALTY_CATEGORIES,
  PENALTY_CATEGORY_ALIASES,
  PENALTY_FIELDS,
  describeProblems,
  mapRecord,
  storedPartyColumns,
  validateNational,
  wanText,
  type ExportSource,
} from '#core/national-format';
import { ID_TYPES, PARTY_TYPES } from '#core/subject-columns';

const today = '2026-11-26';
const source = { name: '上海市市场监督管理局', uscc: '11310000MB2F300040' };

const legalParty = {
  partyName: '上海申城科技有限公司',
  partyType: '法人及非法人组织',
  partyUscc: '91310115MA1K3BTP2B',
  partyRegNo: '310115000000018',
  partyOrgCode: 'MA1K3BTP2',
  partyTaxNo: '91310115MA1K3BTP2B',
  partyInstCertNo: '事证第110号',
  partySocOrgCertNo: '沪社证字第10001号',
  legalRepName: '王伟',
  legalRepIdType: '身份证',
  legalRepIdNo: '11010519491231002X',
};

const penaltyFields = {
  decisionNo: '沪市监罚〔2026〕0001号',
  violationType: '虚假宣传',
  facts: '当事人发布虚假广告。',
  legalBasis: '《中华人民共和国反不正当竞争法》第二十条',
  penaltyCategory: ['罚款', '没收违法所得', '吊销许可证件'],
  penaltyContent: '罚款2000元，没收违法所得500元，吊销食品经营许可证',
  fineWan: 0.2,
  confiscatedWan: 0.05,
  suspendedLicence: '食品经营许可证 JY131011500001',
  decisionDate: '2026-11-02',
  effectiveUntil: '2026-11-20',
  publicityUntil: '2027-11-20',
  authorityName: '上海市市场监督管理局',
  authorityUscc: '11310000MB2F300040',
  remark: '复核后维持',
};

const licenceFields = {
  decisionTitle: '食品经营许可决定书',
  decisionNo: '沪市监许〔2026〕0001号',
  licenceCategory: '普通',
  certificateName: '食品经营许可证',
  licenceNo: 'JY131011500001',
  content: '预包装食品销售',
  decisionDate: '2026-11-02',
  validFrom: '2026-11-02',
  validTo: '2031-11-01',
  authorityName: '上海市市场监督管理局',
  authorityUscc: '11310000MB2F300040',
  remark: '新办',
};

const penalty = (over: Partial<ExportSource> = {}): ExportSource => ({
  type: 'PENALTY',
  fields: penaltyFields,
  party: legalParty,
  sourceUnit: source,
  ...over,
});
const licence = (over: Partial<ExportSource> = {}): ExportSource => ({
  type: 'LICENSING',
  fields: licenceFields,
  party: legalParty,
  sourceUnit: source,
  ...over,
});

function mapped(s: ExportSource) {
  const out = mapRecord(s, { today });
  if (!out.ok) throw new Error(JSON.stringify(out.problems));
  return out.fields;
}

function problemsOf(s: ExportSource): string[] {
  const out = mapRecord(s, { today });
  return out.ok ? [] : out.problems.map((p) => p.field);
}

describe('penalty (行政处罚) mapping', () => {
  it('maps every Version B field code', () => {
    expect(mapped(penalty())).toEqual({
      CF_XDR_MC: '上海申城科技有限公司',
      CF_XDR_LB: '法人及非法人组织',
      CF_XDR_SHXYM: '91310115MA1K3BTP2B',
      CF_XDR_GSZC: '310115000000018',
      CF_XDR_ZZJG: 'MA1K3BTP2',
      CF_XDR_SWDJ: '91310115MA1K3BTP2B',
      CF_XDR_SYDW: '事证第110号',
      CF_XDR_SHZZ: '沪社证字第10001号',
      CF_FRDB: '王伟',
      CF_FR_ZJLX: '身份证',
      CF_FR_ZJHM: '11010519491231002X',
      CF_WSH: '沪市监罚〔2026〕0001号',
      CF_WFXW: '虚假宣传',
      CF_SY: '当事人发布虚假广告。',
      CF_YJ: '《中华人民共和国反不正当竞争法》第二十条',
      CF_CFLB: '罚款;没收违法所得;吊销许可证件',
      CF_NR: '罚款2000元，没收违法所得500元，吊销食品经营许可证',
      CF_NR_FK: '0.2',
      CF_NR_WFFF: '0.05',
      CF_NR_ZKDX: '食品经营许可证 JY131011500001',
      CF_JDRQ: '2026/11/02',
      CF_YXQ: '2026/11/20',
      CF_GSJZQ: '2027/11/20',
      CF_CFJG: '上海市市场监督管理局',
      CF_CFJGDM: '11310000MB2F300040',
      CF_SJLY: '上海市市场监督管理局',
      CF_SJLYDM: '11310000MB2F300040',
      BZ: '复核后维持',
    });
    // the layout names every code once, and the mapping above covers each
    expect(new Set(PENALTY_FIELDS.map((f) => f.code)).size).toBe(PENALTY_FIELDS.length);
    const personal = ['CF_XDR_ZJLX', 'CF_XDR_ZJHM']; // a natural person's, mapped in the next test
    expect(Object.keys(mapped(penalty())).sort()).toEqual(
      PENALTY_FIELDS.map((f) => f.code)
        .filter((c) => !personal.includes(c))
        .sort(),
    );
  });

  it('maps a natural person with the ID number and without legal-person codes', () => {
    const out = mapped(
      penalty({
        party: { partyName: '张伟', partyType: '自然人', personIdNo: '11010519491231002X' },
        fields: { ...penaltyFields, penaltyCategory: ['罚款'], confiscatedWan: undefined, suspendedLicence: undefined },
      }),
    );
    expect(out).toMatchObject({ CF_XDR_LB: '自然人', CF_XDR_ZJLX: '身份证', CF_XDR_ZJHM: '11010519491231002X' });
    expect(out.CF_XDR_SHXYM).toBeUndefined();
    expect(out.CF_FRDB).toBeUndefined();
  });

  it.each(PENALTY_CATEGORIES)('accepts the 处罚类别 %s', (category) => {
    const fields = { ...penaltyFields, penaltyCategory: [category] };
    expect(mapped(penalty({ fields })).CF_CFLB).toBe(category);
  });

  it.each(Object.entries(PENALTY_CATEGORY_ALIASES))('maps the 处罚类别 spelling %s to %s', (alias, label) => {
    expect(mapped(penalty({ fields: { ...penaltyFields, penaltyCategory: alias } })).CF_CFLB.split(';')).toContain(label);
  });

  it('refuses an unknown 处罚类别', () => {
    expect(problemsOf(penalty({ fields: { ...penaltyFields, penaltyCategory: ['罚款', '记过'] } }))).toContain('CF_CFLB');
  });

  it('requires the amounts and the licence the categories call for', () => {
    expect(problemsOf(penalty({ fields: { ...penaltyFields, fineWan: undefined } }))).toContain('CF_NR_FK');
    expect(problemsOf(penalty({ fields: { ...penaltyFields, confiscatedWan: undefined } }))).toContain('CF_NR_WFFF');
    expect(problemsOf(penalty({ fields: { ...penaltyFields, suspendedLicence: '' } }))).toContain('CF_NR_ZKDX');
  });

  it('writes amounts in 万元, converting 元 and refusing amounts that look like 元', () => {
    expect(wanText(0.2)).toBe('0.2');
    expect(wanText(12)).toBe('12');
    expect(wanText(0.0000014)).toBe('0.000001');
    expect(mapped(penalty({ fields: { ...penaltyFields, fineWan: undefined, fineYuan: 2000 } })).CF_NR_FK).toBe('0.2');
    expect(problemsOf(penalty({ fields: { ...penaltyFields, fineWan: 20000 } }))).toContain('CF_NR_FK');
    expect(problemsOf(penalty({ fields: { ...penaltyFields, fineWan: -1 } }))).toContain('CF_NR_FK');
  });

  it('checks dates: format, order, not in the future', () => {
    expect(problemsOf(penalty({ fields: { ...penaltyFields, effectiveUntil: '2026-10-01' } }))).toContain('CF_YXQ');
    expect(problemsOf(penalty({ fields: { ...penaltyFields, publicityUntil: '2026-10-01' } }))).toContain('CF_GSJZQ');
    expect(
      problemsOf(penalty({ fields: { ...penaltyFields, decisionDate: '2026-12-01', effectiveUntil: '2026-12-20', publicityUntil: undefined } })),
    ).toContain('CF_JDRQ');
    expect(problemsOf(penalty({ fields: { ...penaltyFields, decisionDate: '2026/11/02' } }))).toContain('CF_JDRQ');
    expect(validateNational('PENALTY', { ...mapped(penalty()), CF_JDRQ: '2026/02/30' }, { today }).map((p) => p.field)).toContain('CF_JDRQ');
  });

  it('takes only real calendar days, and counts lengths in characters', () => {
    const dateProblem = (v: string) =>
      validateNational('PENALTY', { ...mapped(penalty()), CF_GSJZQ: v }, { today }).some((p) => p.field === 'CF_GSJZQ' && p.message.includes('YYYY/MM/DD'));
    for (const ok of ['2028/02/29', '2000/02/29', '2027/12/31', '2027/04/30']) expect(dateProblem(ok), ok).toBe(false);
    for (const bad of [
      '2027/02/29',
      '2100/02/29',
      '2027/04/31',
      '2027/13/01',
      '2027/00/10',
      '2027/01/00',
      '2027/1/01',
      '0099/01/01',
      '２０２７/01/01',
      '2027-01-01',
      '2027/01/01 ',
    ])
      expect(dateProblem(bad), bad).toBe(true);
    // 当事人名称 at most 200 characters: a character outside the BMP is one character, not two
    const name = (n: number) =>
      validateNational('PENALTY', { ...mapped(penalty()), CF_XDR_MC: '𠀀'.repeat(n) }, { today }).some((p) => p.field === 'CF_XDR_MC');
    expect(name(200)).toBe(false);
    expect(name(201)).toBe(true);
  });

  it('requires every 必填 field', () => {
    for (const key of [
      'decisionNo',
      'violationType',
      'facts',
      'legalBasis',
      'penaltyCategory',
      'penaltyContent',
      'decisionDate',
      'effectiveUntil',
      'authorityName',
      'authorityUscc',
    ]) {
      const code = PENALTY_FIELDS.find((f) => f.source === key)!.code;
      expect(problemsOf(penalty({ fields: { ...penaltyFields, [key]: undefined } })), key).toContain(code);
    }
  });

  it('refuses invalid codes and a missing source unit', () => {
    expect(problemsOf(penalty({ fields: { ...penaltyFields, authorityUscc: '11310000MB2F300041' } }))).toContain('CF_CFJGDM');
    expect(problemsOf(penalty({ party: { ...legalParty, partyOrgCode: 'MA1K3BTP3' } }))).toContain('CF_XDR_ZZJG');
    expect(problemsOf(penalty({ sourceUnit: { name: '', uscc: '' } }))).toEqual(expect.arrayContaining(['CF_SJLY', 'CF_SJLYDM']));
  });
});

describe('licence (行政许可) mapping', () => {
  it('maps every Version B field code', () => {
    const out = mapped(licence());
    expect(out).toEqual({
      XK_XDR_MC: '上海申城科技有限公司',
      XK_XDR_LB: '法人及非法人组织',
      XK_XDR_SHXYM: '91310115MA1K3BTP2B',
      XK_XDR_GSZC: '310115000000018',
      XK_XDR_ZZJG: 'MA1K3BTP2',
      XK_XDR_SWDJ: '91310115MA1K3BTP2B',
      XK_XDR_SYDW: '事证第110号',
      XK_XDR_SHZZ: '沪社证字第10001号',
      XK_FRDB: '王伟',
      XK_FR_ZJLX: '身份证',
      XK_FR_ZJHM: '11010519491231002X',
      XK_XKWS: '食品经营许可决定书',
      XK_WSH: '沪市监许〔2026〕0001号',
      XK_XKLB: '普通',
      XK_XKZS: '食品经营许可证',
      XK_XKBH: 'JY131011500001',
      XK_NR: '预包装食品销售',
      XK_JDRQ: '2026/11/02',
      XK_YXQZ: '2026/11/02',
      XK_YXQZI: '2031/11/01',
      XK_XKJG: '上海市市场监督管理局',
      XK_XKJGDM: '11310000MB2F300040',
      XK_ZT: '1',
      XK_LYDW: '上海市市场监督管理局',
      XK_LYDWDM: '11310000MB2F300040',
      BZ: '新办',
    });
    const personal = ['XK_XDR_ZJLX', 'XK_XDR_ZJHM']; // a natural person's, mapped below
    expect(Object.keys(out).sort()).toEqual(
      LICENSING_FIELDS.map((f) => f.code)
        .filter((c) => !personal.includes(c))
        .sort(),
    );
  });

  it.each(LICENCE_CATEGORIES)('accepts the 许可类别 %s (其他 with its kind in 备注)', (category) => {
    expect(mapped(licence({ fields: { ...licenceFields, licenceCategory: category } })).XK_XKLB).toBe(category);
  });

  it.each(Object.entries(LICENCE_CATEGORY_ALIASES))('maps the 许可类别 code %s to %s', (code, label) => {
    expect(mapped(licence({ fields: { ...licenceFields, licenceCategory: code } })).XK_XKLB).toBe(label);
  });

  it('holds 其他 without its kind, and an unknown category', () => {
    expect(problemsOf(licence({ fields: { ...licenceFields, licenceCategory: '其他', remark: undefined } }))).toContain('XK_XKLB');
    expect(mapped(licence({ fields: { ...licenceFields, licenceCategory: '其他-备案', remark: undefined } })).XK_XKLB).toBe('其他-备案');
    expect(problemsOf(licence({ fields: { ...licenceFields, licenceCategory: '审批' } }))).toContain('XK_XKLB');
  });

  it('allows an open-ended licence but not one that ends before it starts', () => {
    expect(mapped(licence({ fields: { ...licenceFields, validTo: undefined } })).XK_YXQZI).toBeUndefined();
    expect(problemsOf(licence({ fields: { ...licenceFields, validTo: '2026-01-01' } }))).toContain('XK_YXQZI');
  });

  it('requires every 必填 field', () => {
    for (const key of ['decisionTitle', 'decisionNo', 'licenceCategory', 'content', 'decisionDate', 'validFrom', 'authorityName', 'authorityUscc']) {
      const code = LICENSING_FIELDS.find((f) => f.source === key)!.code;
      expect(problemsOf(licence({ fields: { ...licenceFields, [key]: undefined } })), key).toContain(code);
    }
  });
});

describe('party types and ID types (docs/domain.md, Enumerations; cross-field rules 1–2)', () => {
  it.each(PARTY_TYPES)('accepts the 行政相对人类别 %s', (partyType) => {
    const party = partyType === '自然人' ? { partyName: '张伟', partyType, personIdNo: '11010519491231002X' } : { ...legalParty, partyType };
    expect(mapped(licence({ party })).XK_XDR_LB).toBe(partyType);
  });

  it.each(Object.entries(PARTY_TYPE_ALIASES))('maps the 行政相对人类别 code %s to %s', (code, label) => {
    const party = label === '自然人' ? { partyName: '张伟', partyType: code, personIdNo: '11010519491231002X' } : { ...legalParty, partyType: code };
    expect(mapped(licence({ party })).XK_XDR_LB).toBe(label);
  });

  it.each(ID_TYPES)('accepts the 证件类型 %s', (idType) => {
    const personIdNo = idType === '身份证' ? '11010519491231002X' : 'E12345678';
    expect(mapped(licence({ party: { partyName: '张伟', partyType: '自然人', personIdType: idType, personIdNo } })).XK_XDR_ZJLX).toBe(idType);
  });

  it.each(Object.entries(ID_TYPE_ALIASES))('maps the 证件类型 spelling %s to %s', (alias, label) => {
    const personIdNo = label === '身份证' ? '11010519491231002X' : 'E12345678';
    expect(mapped(licence({ party: { partyName: '张伟', partyType: '自然人', personIdType: alias, personIdNo } })).XK_XDR_ZJLX).toBe(label);
  });

  it('accepts 其他-… ID types and refuses unknown ones', () => {
    expect(mapped(licence({ party: { partyName: 'John', partyType: '自然人', personIdType: '其他-军官证', personIdNo: 'J001' } })).XK_XDR_ZJLX).toBe(
      '其他-军官证',
    );
    expect(problemsOf(licence({ party: { partyName: 'John', partyType: '自然人', personIdType: '驾驶证', personIdNo: 'J001' } }))).toContain('XK_XDR_ZJLX');
  });

  it('a natural person needs a valid ID number and no legal-person codes', () => {
    expect(problemsOf(licence({ party: { partyName: '张伟', partyType: '自然人' } }))).toContain('XK_XDR_ZJHM');
    expect(problemsOf(licence({ party: { partyName: '张伟', partyType: '自然人', personIdNo: '110105194912310021' } }))).toContain('XK_XDR_ZJHM');
    expect(
      problemsOf(licence({ party: { partyName: '张伟', partyType: '自然人', personIdNo: '11010519491231002X', partyUscc: '91310115MA1K3BTP2B' } })),
    ).toContain('XK_XDR_SHXYM');
  });

  it('never names the ID number in a problem (held reasons are stored)', () => {
    for (const personIdNo of ['110105194912310021', '110105491231002']) {
      const out = mapRecord(licence({ party: { partyName: '张伟', partyType: '自然人', personIdNo } }), { today });
      expect(out.ok).toBe(false);
      const text = describeProblems(out.ok ? [] : out.problems);
      expect(text).toContain('XK_XDR_ZJHM');
      expect(text).not.toContain(personIdNo);
    }
  });

  it('a legal person needs a code and its legal representative, and no personal ID', () => {
    const { partyUscc: _u, partyRegNo: _r, partyOrgCode: _o, partyTaxNo: _t, partyInstCertNo: _i, partySocOrgCertNo: _s, ...noCodes } = legalParty;
    expect(problemsOf(licence({ party: noCodes }))).toContain('XK_XDR_SHXYM');
    expect(mapped(licence({ party: { ...noCodes, partyRegNo: '310115000000018' } })).XK_XDR_GSZC).toBe('310115000000018');
    expect(problemsOf(licence({ party: { ...legalParty, legalRepName: undefined } }))).toContain('XK_FRDB');
    expect(problemsOf(licence({ party: { ...legalParty, personIdNo: '11010519491231002X' } }))).toContain('XK_XDR_ZJHM');
  });

  it('refuses fields that are not Version B codes', () => {
    expect(validateNational('LICENSING', { ...mapped(licence()), CF_WSH: 'x' }, { today }).map((p) => p.field)).toContain('CF_WSH');
  });

  it('keeps the party columns of an upload row for export', () => {
    expect(storedPartyColumns({ type: 'LEGAL', name: 'A', partyType: '个体工商户', uscc: '92340602MA2PBMEM24', regNo: '' }, { name: '李娜' })).toEqual({
      partyType: '个体工商户',
      legalRepName: '李娜',
    });
    expect(storedPartyColumns({ type: 'NATURAL', name: 'B', idType: '身份证', idNumber18: '11010519491231002X' })).toEqual({
      partyType: '自然人',
      personIdType: '身份证',
    });
  });
});
