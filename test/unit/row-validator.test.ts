import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { indexCatalog, parseCatalog } from '#core/catalog';
import { ISSUED_INVALID_USCC } from '#core/issued-invalid-codes';
import { compileItem, mapHeader, type RowError, type RowOutcome, type ValidRow } from '#core/row-validator';
import { SUBJECT_COLUMNS } from '#core/subject-columns';

const TODAY = '2026-11-26';
const USCC = '91310115MA1K3BTP2B';
const AUTHORITY = '11310000MB2F300040';

const parsed = parseCatalog({
  version: 'test',
  providers: [{ code: 'P', name: '测试局', uscc: AUTHORITY, kind: 'MUNICIPAL_AGENCY' }],
  items: [
    {
      code: 'T-ALL',
      name: '全部类型',
      provider: 'P',
      subjectType: 'LEGAL',
      recordClass: 'SUPERVISION',
      polarity: 'NEGATIVE',
      severity: 'GENERAL',
      disclosure: 'PUBLIC',
      publicity: 'PENALTY',
      keyField: 'decisionNo',
      fields: [
        { key: 'decisionNo', label: '行政处罚决定书文号', type: 'string', required: true, maxLength: 20 },
        { key: 'title', label: '标题', type: 'string' },
        { key: 'facts', label: '违法事实', type: 'text' },
        { key: 'decisionDate', label: '处罚决定日期', type: 'date', required: true },
        { key: 'effectiveUntil', label: '处罚有效期', type: 'date' },
        { key: 'publicityUntil', label: '公示截止期', type: 'date' },
        { key: 'validFrom', label: '有效期自', type: 'date' },
        { key: 'validTo', label: '有效期至', type: 'date' },
        { key: 'count', label: '次数', type: 'integer', min: 1, max: 10 },
        { key: 'fineWan', label: '罚款金额（万元）', type: 'decimal', min: 0 },
        { key: 'procedure', label: '程序类型', type: 'enum', values: ['一般程序', '其他（需注明）'] },
        { key: 'penaltyCategory', label: '处罚类别', type: 'set', values: ['警告', '罚款', '没收违法所得'] },
        { key: 'authorityUscc', label: '处罚机关统一社会信用代码', type: 'uscc' },
        { key: 'courtOrgCode', label: '法院组织机构代码', type: 'orgCode' },
        { key: 'oldRegNo', label: '原注册号', type: 'regNo' },
        { key: 'witnessId', label: '证人身份证号', type: 'idNumber' },
      ],
    },
    {
      code: 'T-REG',
      name: '登记',
      provider: 'P',
      subjectType: 'LEGAL',
      recordClass: 'REGISTRATION',
      polarity: 'NEUTRAL',
      disclosure: 'PUBLIC',
      keyField: 'partyUscc',
      fields: [
        { key: 'establishedDate', label: '成立日期', type: 'date', required: true },
        { key: 'legalRepName', label: '法定代表人', type: 'string', required: true },
      ],
    },
    {
      code: 'T-PERSON',
      name: '个人',
      provider: 'P',
      subjectType: 'NATURAL',
      recordClass: 'PUBLIC_WELFARE',
      polarity: 'POSITIVE',
      disclosure: 'AUTHORIZED_QUERY',
      keyField: 'personIdNo',
      fields: [{ key: 'hours', label: '时长', type: 'decimal', required: true }],
    },
  ],
});
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
const index = indexCatalog(parsed.catalog);
const ALL = index.item('T-ALL')!;
const REG = index.item('T-REG')!;
const PERSON = index.item('T-PERSON')!;

const all = compileItem(ALL, { today: TODAY, overrides: ISSUED_INVALID_USCC });
const reg = compileItem(REG, { today: TODAY });
const person = compileItem(PERSON, { today: TODAY });

const legalRow = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  partyName: '上海申城科技有限公司',
  partyType: '法人及非法人组织',
  partyUscc: USCC,
  decisionNo: '沪市监罚〔2026〕1号',
  decisionDate: '2026-03-01',
  ...extra,
});
const personRow = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  partyName: '张三',
  partyType: '自然人',
  personIdNo: '11010519491231002X',
  hours: '12.5',
  ...extra,
});

function ok(outcome: RowOutcome): ValidRow {
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors, null, 1));
  return outcome.value;
}
function errors(outcome: RowOutcome): RowError[] {
  if (outcome.ok) throw new Error(`expected a rejection, got ${JSON.stringify(outcome.value)}`);
  return outcome.errors;
}
function codes(outcome: RowOutcome): Array<[string | null, string]> {
  return errors(outcome).map((e) => [e.field, e.code]);
}

describe('a valid legal row', () => {
  it('is typed and normalised', () => {
    const v = ok(
      all.validate(
        legalRow({
          title: '  标题  ',
          effectiveUntil: '2026/3/8',
          count: '3',
          fineWan: '0.2',
          procedure: '一般程序',
          penaltyCategory: '警告；罚款',
          authorityUscc: AUTHORITY.toLowerCase(),
          courtOrgCode: 'D2143569-X',
          oldRegNo: '310230001716146',
          witnessId: '110105491231002',
          op: '',
        }),
        7,
      ),
    );
    expect(v).toEqual({
      op: 'upsert',
      key: '沪市监罚〔2026〕1号',
      fields: {
        decisionNo: '沪市监罚〔2026〕1号',
        title: '标题',
        decisionDate: '2026-03-01',
        effectiveUntil: '2026-03-08',
        count: 3,
        fineWan: 0.2,
        procedure: '一般程序',
        penaltyCategory: ['警告', '罚款'],
        authorityUscc: AUTHORITY,
        courtOrgCode: 'D2143569X',
        oldRegNo: '310230001716146',
        witnessId: '11010519491231002X',
      },
      subject: { type: 'LEGAL', name: '上海申城科技有限公司', partyType: '法人及非法人组织', uscc: USCC },
    });
  });

  it('folds full-width input before checking it', () => {
    const v = ok(
      all.validate(
        legalRow({
          partyName: '\u3000上海申城科技有限公司\u3000',
          partyUscc: '９１３１０１１５ＭＡ１Ｋ３ＢＴＰ２Ｂ',
          fineWan: '１２．５',
          decisionDate: '２０２６－０３－０１',
          procedure: '其他（需注明）',
        }),
        2,
      ),
    );
    expect(v.subject).toMatchObject({ name: '上海申城科技有限公司', uscc: USCC });
    expect(v.fields).toMatchObject({ fineWan: 12.5, decisionDate: '2026-03-01', procedure: '其他（需注明）' });
  });

  it('names a subject by registration number or organisation code when no USCC was issued', () => {
    const v = ok(all.validate(legalRow({ partyUscc: '', partyRegNo: '310230001716146', partyOrgCode: 'MA1FL0LY-9' }), 2));
    expect(v.subject).toEqual({ type: 'LEGAL', name: '上海申城科技有限公司', partyType: '法人及非法人组织', regNo: '310230001716146', orgCode: 'MA1FL0LY9' });
    const cert = ok(all.validate(legalRow({ partyUscc: '', partySocOrgCertNo: '沪社证字第 01234 号' }), 2));
    expect(cert.subject).toMatchObject({ socOrgCertNo: '沪社证字第01234号' });
  });

  it('accepts an individual business (个体工商户) as a legal subject', () => {
    expect(ok(all.validate(legalRow({ partyType: '个体工商户', partyUscc: '92340602MA2PBMEM24' }), 2)).subject).toMatchObject({ partyType: '个体工商户' });
  });

  it('keeps the legal representative, with the ID number in 18-digit form', () => {
    const v = ok(all.validate(legalRow({ legalRepName: '李四', legalRepIdNo: '110105491231002' }), 2));
    expect(v.legalRep).toEqual({ name: '李四', idType: '身份证', idNumber18: '11010519491231002X' });
    const passport = ok(all.validate(legalRow({ legalRepIdType: '护照号', legalRepIdNo: 'e 1234 5678' }), 2));
    expect(passport.legalRep).toEqual({ idType: '护照号', idNumber18: 'E12345678' });
  });

  it('accepts the three date spellings and the Chinese one', () => {
    for (const d of ['2026-03-01', '2026/03/01', '2026/3/1', '20260301', '2026.3.1', '2026年3月1日']) {
      expect(ok(all.validate(legalRow({ decisionDate: d }), 2)).fields.decisionDate, d).toBe('2026-03-01');
    }
  });

  it('splits set values on ; ； and 、, de-duplicating', () => {
    for (const s of ['警告;罚款', '警告；罚款', '警告、罚款', ' 警告 ; 罚款 ;', '警告;罚款;警告']) {
      expect(ok(all.validate(legalRow({ penaltyCategory: s }), 2)).fields.penaltyCategory, s).toEqual(['警告', '罚款']);
    }
  });
});

describe('JSON Lines value types', () => {
  it('accepts numbers, lists and nulls where they fit', () => {
    const v = ok(
      all.validate(
        legalRow({
          decisionNo: 12345,
          count: 4,
          fineWan: 0.25,
          penaltyCategory: ['罚款', '没收违法所得'],
          decisionDate: 20260301,
          title: null,
          facts: undefined,
        }),
        2,
      ),
    );
    expect(v.key).toBe('12345');
    expect(v.fields).toMatchObject({ decisionNo: '12345', count: 4, fineWan: 0.25, penaltyCategory: ['罚款', '没收违法所得'], decisionDate: '2026-03-01' });
    expect(v.fields).not.toHaveProperty('title');
  });

  it('rejects objects, booleans, non-finite numbers and lists outside set fields as TYPE', () => {
    expect(codes(all.validate(legalRow({ title: { a: 1 } }), 2))).toEqual([['title', 'TYPE']]);
    expect(codes(all.validate(legalRow({ title: true }), 2))).toEqual([['title', 'TYPE']]);
    expect(codes(all.validate(legalRow({ fineWan: Number.NaN }), 2))).toEqual([['fineWan', 'TYPE']]);
    expect(codes(all.validate(legalRow({ count: 2.5 }), 2))).toEqual([['count', 'TYPE']]);
    expect(codes(all.validate(legalRow({ procedure: ['一般程序'] }), 2))).toEqual([['procedure', 'TYPE']]);
    expect(codes(all.validate(legalRow({ penaltyCategory: [{}] }), 2))).toEqual([['penaltyCategory', 'TYPE']]);
  });
});

describe('each error code', () => {
  it('REQUIRED: required fields, partyName, partyType and the key', () => {
    expect(codes(all.validate(legalRow({ decisionDate: '  ' }), 2))).toEqual([['decisionDate', 'REQUIRED']]);
    expect(codes(all.validate(legalRow({ partyName: '' }), 2))).toEqual([['partyName', 'REQUIRED']]);
    expect(codes(all.validate(legalRow({ partyType: undefined }), 2))).toEqual([['partyType', 'REQUIRED']]);
    expect(codes(all.validate(legalRow({ decisionNo: null }), 2))).toEqual([['decisionNo', 'REQUIRED']]);
    // keyed by a subject column: a registration row without a USCC has no key
    expect(
      codes(
        reg.validate(
          { partyName: '某公司', partyType: '法人及非法人组织', partyRegNo: '310230001716146', establishedDate: '2001-01-01', legalRepName: '王五' },
          2,
        ),
      ),
    ).toEqual([['partyUscc', 'REQUIRED']]);
  });

  it('TYPE: not a number, too many decimals', () => {
    expect(codes(all.validate(legalRow({ count: 'three' }), 2))).toEqual([['count', 'TYPE']]);
    expect(codes(all.validate(legalRow({ fineWan: '1,000' }), 2))).toEqual([['fineWan', 'TYPE']]);
    expect(codes(all.validate(legalRow({ fineWan: '0.1234567' }), 2))).toEqual([['fineWan', 'TYPE']]);
    expect(ok(all.validate(legalRow({ fineWan: '0.123456' }), 2)).fields.fineWan).toBe(0.123456);
  });

  it('ENUM: lists the allowed values', () => {
    const [e] = errors(all.validate(legalRow({ procedure: '简易' }), 2));
    expect(e).toMatchObject({ row: 2, field: 'procedure', code: 'ENUM' });
    expect(e!.message).toContain("'简易'");
    expect(e!.message).toContain('一般程序, 其他（需注明）');
    expect(codes(all.validate(legalRow({ penaltyCategory: '警告;拘留' }), 2))).toEqual([['penaltyCategory', 'ENUM']]);
    expect(codes(all.validate(legalRow({ partyType: '法人' }), 2))).toEqual([['partyType', 'ENUM']]);
  });

  it('LENGTH: item maxLength, the 512/4000 defaults, identifiers', () => {
    expect(codes(all.validate(legalRow({ decisionNo: 'x'.repeat(21) }), 2))).toEqual([['decisionNo', 'LENGTH']]);
    expect(ok(all.validate(legalRow({ title: 'x'.repeat(512), facts: 'y'.repeat(4000) }), 2)).fields.title).toHaveLength(512);
    expect(codes(all.validate(legalRow({ title: 'x'.repeat(513) }), 2))).toEqual([['title', 'LENGTH']]);
    expect(codes(all.validate(legalRow({ facts: 'y'.repeat(4001) }), 2))).toEqual([['facts', 'LENGTH']]);
    expect(codes(all.validate(legalRow({ partyUscc: '12345' }), 2))).toEqual([['partyUscc', 'LENGTH']]);
  });

  it('DATE: impossible days and unreadable dates', () => {
    expect(codes(all.validate(legalRow({ decisionDate: '2025-02-29' }), 2))).toEqual([['decisionDate', 'DATE']]);
    expect(ok(all.validate(legalRow({ decisionDate: '2024-02-29' }), 2)).fields.decisionDate).toBe('2024-02-29');
    for (const d of ['yesterday', '2026-3-1x', '26-03-01', '2026-13-01', '2026/03-01', '1700-01-01']) {
      expect(codes(all.validate(legalRow({ decisionDate: d }), 2)), d).toEqual([['decisionDate', 'DATE']]);
    }
    expect(codes(all.validate(legalRow({ witnessId: '110105190002290011' }), 2))).toContainEqual(['witnessId', 'DATE']);
  });

  it('FORMAT: bad characters and unknown ID regions', () => {
    expect(codes(all.validate(legalRow({ partyUscc: '9111000060003IOZSV' }), 2))).toEqual([['partyUscc', 'FORMAT']]);
    expect(codes(all.validate(legalRow({ witnessId: '990426199101010071' }), 2))).toContainEqual(['witnessId', 'FORMAT']);
    expect(codes(all.validate(legalRow({ oldRegNo: '31023000171614X' }), 2))).toEqual([['oldRegNo', 'FORMAT']]);
  });

  it('CHECKSUM: every identifier column and field', () => {
    const e = errors(all.validate(legalRow({ partyUscc: '91110000600037341N' }), 9));
    expect(e).toEqual([
      {
        row: 9,
        field: 'partyUscc',
        code: 'CHECKSUM',
        message: "partyUscc '91110000600037341N': check character should be 'L', got 'N'",
        messageZh: '第 9 行「统一社会信用代码」："91110000600037341N"：校验位应为 L，实际为 N',
      },
    ]);
    expect(codes(all.validate(legalRow({ partyOrgCode: '123456789' }), 2))).toEqual([['partyOrgCode', 'CHECKSUM']]);
    expect(codes(all.validate(legalRow({ partyRegNo: '310230001716147' }), 2))).toEqual([['partyRegNo', 'CHECKSUM']]);
    expect(codes(all.validate(legalRow({ authorityUscc: '91350100M000100Y44' }), 2))).toEqual([['authorityUscc', 'CHECKSUM']]);
    expect(codes(all.validate(legalRow({ legalRepIdNo: '110105194912310021' }), 2))).toEqual([['legalRepIdNo', 'CHECKSUM']]);
  });

  it('honours the override list of issued-but-invalid USCCs', () => {
    expect(ok(all.validate(legalRow({ partyUscc: '91350211M0000XUF46' }), 2)).subject).toMatchObject({ uscc: '91350211M0000XUF46' });
    expect(
      codes(
        reg.validate({ partyName: 'x', partyType: '法人及非法人组织', partyUscc: '91350211M0000XUF46', establishedDate: '2001-01-01', legalRepName: 'y' }, 2),
      ),
    ).toEqual([['partyUscc', 'CHECKSUM']]);
  });

  it('RANGE: min, max and amounts that look like 元', () => {
    expect(codes(all.validate(legalRow({ count: '0' }), 2))).toEqual([['count', 'RANGE']]);
    expect(codes(all.validate(legalRow({ count: 11 }), 2))).toEqual([['count', 'RANGE']]);
    expect(codes(all.validate(legalRow({ fineWan: '-0.5' }), 2))).toEqual([['fineWan', 'RANGE']]);
    const [e] = errors(all.validate(legalRow({ fineWan: '20000' }), 2));
    expect(e).toMatchObject({ field: 'fineWan', code: 'RANGE' });
    expect(e!.message).toContain('looks like 元 not 万元');
    expect(ok(all.validate(legalRow({ fineWan: '10000' }), 2)).fields.fineWan).toBe(10000);
  });

  it('CROSS_FIELD: date order and decision dates in the future', () => {
    expect(codes(all.validate(legalRow({ effectiveUntil: '2026-02-28' }), 2))).toEqual([['effectiveUntil', 'CROSS_FIELD']]);
    expect(codes(all.validate(legalRow({ publicityUntil: '2026-02-28' }), 2))).toEqual([['publicityUntil', 'CROSS_FIELD']]);
    expect(codes(all.validate(legalRow({ validFrom: '2026-05-01', validTo: '2026-04-30' }), 2))).toEqual([['validTo', 'CROSS_FIELD']]);
    expect(codes(all.validate(legalRow({ decisionDate: '2026-11-27' }), 2))).toEqual([['decisionDate', 'CROSS_FIELD']]);
    expect(ok(all.validate(legalRow({ decisionDate: TODAY, effectiveUntil: TODAY, validFrom: '2026-01-01', validTo: '2026-01-01' }), 2))).toBeTruthy();
  });

  it('CROSS_FIELD: natural-person rows leave the legal columns empty and vice versa', () => {
    expect(codes(person.validate(personRow({ partyUscc: USCC, legalRepName: '李四' }), 2))).toEqual([
      ['partyUscc', 'CROSS_FIELD'],
      ['legalRepName', 'CROSS_FIELD'],
    ]);
    expect(codes(all.validate(legalRow({ personIdNo: '11010519491231002X' }), 2))).toEqual([['personIdNo', 'CROSS_FIELD']]);
  });

  it('SUBJECT_TYPE: the party type does not fit the item', () => {
    expect(codes(all.validate(legalRow({ partyType: '自然人' }), 2))).toEqual([['partyType', 'SUBJECT_TYPE']]);
    expect(codes(person.validate(personRow({ partyType: '个体工商户' }), 2))).toEqual([['partyType', 'SUBJECT_TYPE']]);
  });

  it('NO_SUBJECT: a legal row without any identifier', () => {
    expect(codes(all.validate(legalRow({ partyUscc: '' }), 2))).toEqual([[null, 'NO_SUBJECT']]);
  });

  it('UNKNOWN_COLUMN: keys that are neither fields nor subject columns', () => {
    expect(codes(all.validate(legalRow({ decisonDate: '2026-03-01' }), 2))).toEqual([['decisonDate', 'UNKNOWN_COLUMN']]);
  });

  it('reports every error of a row, with row numbers and truncated values', () => {
    const long = '9'.repeat(300);
    const e = errors(all.validate(legalRow({ partyName: '', partyUscc: long, count: 'x', procedure: 'nope', decisionDate: '2026-02-30' }), 42));
    expect(e.map((x) => x.code).sort()).toEqual(['DATE', 'ENUM', 'LENGTH', 'REQUIRED', 'TYPE']);
    for (const x of e) {
      expect(x.row).toBe(42);
      expect(x.message.length).toBeLessThan(200);
    }
  });
});

describe('natural persons', () => {
  it('default the ID type, convert 15-digit numbers and key by the 18-digit form', () => {
    const v = ok(person.validate(personRow({ personIdNo: '110105491231002' }), 2));
    expect(v.subject).toEqual({ type: 'NATURAL', name: '张三', idType: '身份证', idNumber18: '11010519491231002X', idNumber15: '110105491231002' });
    expect(v.key).toBe('11010519491231002X');
    expect(ok(person.validate(personRow({ personIdNo: '11010519491231002x' }), 2)).key).toBe('11010519491231002X');
  });

  it('keep other document numbers as given, and check the document type', () => {
    const v = ok(person.validate(personRow({ personIdType: '港澳居民来往内地通行证', personIdNo: 'h1234567801' }), 2));
    expect(v.subject).toMatchObject({ idType: '港澳居民来往内地通行证', idNumber18: 'H1234567801' });
    expect(ok(person.validate(personRow({ personIdType: '其他-军官证', personIdNo: '123' }), 2)).subject).toMatchObject({ idType: '其他-军官证' });
    expect(codes(person.validate(personRow({ personIdType: '其他-' }), 2))).toEqual([['personIdType', 'ENUM']]);
    expect(codes(person.validate(personRow({ personIdType: '驾照' }), 2))).toEqual([['personIdType', 'ENUM']]);
  });

  it('require the ID number and validate it', () => {
    expect(codes(person.validate(personRow({ personIdNo: '' }), 2))).toEqual([['personIdNo', 'REQUIRED']]);
    expect(codes(person.validate(personRow({ personIdNo: '36042619910102009X' }), 2))).toEqual([['personIdNo', 'CHECKSUM']]);
    expect(codes(person.validate(personRow({ personIdNo: '110105491331002' }), 2))).toEqual([['personIdNo', 'DATE']]);
  });
});

describe('legal representative declared by the item', () => {
  it('is required when the item says so, and copied into the fields', () => {
    const base = { partyName: '某公司', partyType: '法人及非法人组织', partyUscc: USCC, establishedDate: '2001-01-01' };
    expect(codes(reg.validate(base, 2))).toEqual([['legalRepName', 'REQUIRED']]);
    const v = ok(reg.validate({ ...base, legalRepName: '王五' }, 2));
    expect(v).toMatchObject({ key: USCC, fields: { establishedDate: '2001-01-01', legalRepName: '王五' }, legalRep: { name: '王五' } });
  });
});

describe('op column', () => {
  it('accepts upsert/delete in any case and 新增/删除', () => {
    expect(ok(all.validate(legalRow({ op: 'UPSERT' }), 2)).op).toBe('upsert');
    expect(ok(all.validate(legalRow({ op: '新增' }), 2)).op).toBe('upsert');
    expect(ok(all.validate(legalRow({ op: '删除' }), 2)).op).toBe('delete');
    expect(codes(all.validate(legalRow({ op: 'remove' }), 2))).toEqual([['op', 'ENUM']]);
  });

  it('a delete row needs only the key and the subject', () => {
    const v = ok(all.validate({ partyName: '某公司', partyType: '法人及非法人组织', partyUscc: USCC, decisionNo: '沪市监罚〔2026〕1号', op: 'delete' }, 2));
    expect(v).toEqual({
      op: 'delete',
      key: '沪市监罚〔2026〕1号',
      fields: { decisionNo: '沪市监罚〔2026〕1号' },
      subject: expect.objectContaining({ uscc: USCC }),
    });
    expect(codes(all.validate({ partyName: '某公司', partyType: '法人及非法人组织', partyUscc: USCC, op: 'delete' }, 2))).toEqual([['decisionNo', 'REQUIRED']]);
    expect(ok(reg.validate({ partyName: '某公司', partyType: '法人及非法人组织', partyUscc: USCC, op: 'delete' }, 2)).key).toBe(USCC);
  });
});

describe('robustness', () => {
  const keys = [...SUBJECT_COLUMNS.map((c) => c.key), ...ALL.fields.map((f) => f.key), 'extra'];
  it('never throws, and a rejection always carries errors on the given row', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...keys), fc.oneof(fc.string(), fc.anything())), fc.nat(), (values, rowNo) => {
        const outcome = all.validate(values, rowNo);
        return outcome.ok || (outcome.errors.length > 0 && outcome.errors.every((e) => e.row === rowNo && e.message.length > 0));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('mapHeader', () => {
  it('maps keys, Chinese labels and subject columns, tolerating BOM, case, spaces and full width', () => {
    const r = mapHeader(ALL, [
      '\uFEFF行政相对人名称',
      'PARTYTYPE',
      ' partyUscc ',
      '行政处罚决定书文号',
      '处罚决定日期',
      '罚款金额 (万元)',
      '操作',
      '法定代表人证件号码',
    ]);
    expect(r).toEqual({ ok: true, keys: ['partyName', 'partyType', 'partyUscc', 'decisionNo', 'decisionDate', 'fineWan', 'op', 'legalRepIdNo'] });
  });

  it('reports unknown, duplicate and missing columns on row 1, all at once', () => {
    const r = mapHeader(ALL, ['partyName', '行政相对人名称', 'decisionNo', 'mystery', '']);
    expect(r.ok).toBe(false);
    const e = r.ok ? [] : r.errors;
    expect(e.every((x) => x.row === 1)).toBe(true);
    expect(e.map((x) => [x.field, x.code])).toEqual([
      ['partyName', 'DUPLICATE_COLUMN'],
      ['mystery', 'UNKNOWN_COLUMN'],
      [null, 'UNKNOWN_COLUMN'],
      ['partyType', 'MISSING_COLUMN'],
      ['partyUscc', 'MISSING_COLUMN'],
      ['decisionDate', 'MISSING_COLUMN'],
    ]);
  });

  it('accepts any legal identifier column, and requires personIdNo for natural persons', () => {
    expect(mapHeader(ALL, ['partyName', 'partyType', 'partyRegNo', 'decisionNo', 'decisionDate']).ok).toBe(true);
    expect(mapHeader(ALL, ['partyName', 'partyType', '组织机构代码', 'decisionNo', 'decisionDate']).ok).toBe(true);
    const r = mapHeader(PERSON, ['partyName', 'partyType', 'personIdType', 'hours']);
    expect(r.ok ? [] : r.errors.map((x) => [x.field, x.code])).toEqual([['personIdNo', 'MISSING_COLUMN']]);
  });

  it('requires the item-declared legal representative and a subject-column key', () => {
    const r = mapHeader(REG, ['partyName', 'partyType', 'partyRegNo', 'establishedDate']);
    expect(r.ok ? [] : r.errors.map((x) => [x.field, x.code])).toEqual([
      ['legalRepName', 'MISSING_COLUMN'],
      ['partyUscc', 'MISSING_COLUMN'],
    ]);
  });
});

describe('control characters', () => {
  it('reject the row with CONTROL_CHARACTER naming the field and the character', () => {
    for (const [field, value] of [
      ['facts', 'fine\u0000here'],
      ['title', 'bell\u0007'],
      ['partyName', '\u001b[31m上海申城科技有限公司'],
    ] as const) {
      const e = errors(all.validate(legalRow({ [field]: value }), 7));
      expect(e).toEqual([
        expect.objectContaining({ row: 7, field, code: 'CONTROL_CHARACTER', message: expect.stringMatching(/control character U\+00(00|07|1B)/) }),
      ]);
    }
  });
  it('leave tab and line breaks in text alone', () => {
    ok(all.validate(legalRow({ facts: 'a\tb\r\nc' }), 2));
  });
});
