import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DISCLOSURES, FIELD_TYPES, RECORD_CLASSES, indexCatalog, isRepairable, parseCatalog, type Catalog, type CatalogProblem } from '#core/catalog';

const demoPath = join(import.meta.dirname, '../../local/seed/demo-catalog.json');
const demoDoc = (): Record<string, unknown> => JSON.parse(readFileSync(demoPath, 'utf8'));

function demo(): Catalog {
  const r = parseCatalog(demoDoc());
  if (!r.ok) throw new Error(JSON.stringify(r.problems, null, 2));
  return r.catalog;
}

function minimal(): Record<string, any> {
  return {
    version: 't1',
    providers: [{ code: 'SH-AMR', name: '市市场监督管理局', uscc: '11310000MB2F300040', kind: 'MUNICIPAL_AGENCY' }],
    items: [
      {
        code: 'AMR-PENALTY',
        name: '行政处罚信息',
        provider: 'SH-AMR',
        subjectType: 'LEGAL',
        recordClass: 'SUPERVISION',
        polarity: 'NEGATIVE',
        severity: 'GENERAL',
        disclosure: 'PUBLIC',
        publicity: 'PENALTY',
        queryYears: 5,
        queryPeriodFrom: 'decisionDate',
        keyField: 'decisionNo',
        fields: [
          { key: 'decisionNo', label: '行政处罚决定书文号', type: 'string', required: true, maxLength: 128 },
          { key: 'decisionDate', label: '处罚决定日期', type: 'date', required: true },
          { key: 'penaltyCategory', label: '处罚类别', type: 'set', required: true, values: ['警告', '罚款'] },
          { key: 'fineWan', label: '罚款金额（万元）', type: 'decimal', min: 0 },
        ],
      },
    ],
    applications: [{ unit: 'SH-EPB', purpose: 'ADMIN_APPROVAL', items: ['AMR-PENALTY'] }],
  };
}

describe('the demo catalog', () => {
  const catalog = demo();

  it('parses', () => {
    expect(catalog.version).toBe('2026.1');
    expect(catalog.providers.length).toBeGreaterThanOrEqual(6);
    expect(catalog.items.length).toBeGreaterThanOrEqual(12);
  });

  it('covers every record class, disclosure level, field type, polarity and both publicity types', () => {
    expect(new Set(catalog.items.map((i) => i.recordClass))).toEqual(new Set(RECORD_CLASSES));
    expect(new Set(catalog.items.map((i) => i.disclosure))).toEqual(new Set(DISCLOSURES));
    expect(new Set(catalog.items.flatMap((i) => i.fields.map((f) => f.type)))).toEqual(new Set(FIELD_TYPES));
    expect(new Set(catalog.items.map((i) => i.polarity))).toEqual(new Set(['POSITIVE', 'NEUTRAL', 'NEGATIVE']));
    expect(new Set(catalog.items.map((i) => i.publicity).filter(Boolean))).toEqual(new Set(['PENALTY', 'LICENSING']));
    expect(new Set(catalog.items.map((i) => i.severity).filter(Boolean))).toEqual(new Set(['MINOR', 'GENERAL', 'SERIOUS']));
    expect(new Set(catalog.items.map((i) => i.subjectType))).toEqual(new Set(['LEGAL', 'NATURAL']));
    for (const item of catalog.items.filter((i) => i.polarity === 'NEGATIVE')) {
      expect(item.queryYears, item.code).toBeGreaterThan(0);
      expect(item.queryPeriodFrom, item.code).toBeTruthy();
    }
  });

  it('has the NEV purchase rule set over natural-person items', () => {
    const nev = catalog.ruleSets?.find((r) => r.code === 'NEV_PURCHASE');
    expect(nev?.subjectType).toBe('NATURAL');
    const index = indexCatalog(catalog);
    for (const code of nev!.failIfAnyOf) expect(index.item(code)?.subjectType).toBe('NATURAL');
    expect(nev!.failIfAnyOf).toHaveLength(6);
  });

  it('indexes items and providers', () => {
    const index = indexCatalog(catalog);
    expect(index.item('AMR-PENALTY')?.keyField).toBe('decisionNo');
    expect(index.provider('SH-COURT')?.kind).toBe('JUDICIAL');
    expect(index.item('NOPE')).toBeUndefined();
    expect(index.provider('NOPE')).toBeUndefined();
  });

  it('defaults repairable to true', () => {
    const index = indexCatalog(catalog);
    expect(isRepairable(index.item('AMR-PENALTY')!)).toBe(true);
    expect(isRepairable(index.item('PSB-DRUNK-DRIVING')!)).toBe(false);
  });
});

function problemsOf(doc: unknown): CatalogProblem[] {
  const r = parseCatalog(doc);
  expect(r.ok).toBe(false);
  return r.ok ? [] : r.problems;
}

function has(problems: CatalogProblem[], path: string, code: string): void {
  expect(problems, JSON.stringify(problems, null, 1)).toContainEqual(expect.objectContaining({ path, code }));
}

describe('parseCatalog problems', () => {
  it('accepts the minimal example from the contract', () => {
    expect(parseCatalog(minimal()).ok).toBe(true);
  });

  it('reports schema and cross-reference problems together, each with its path', () => {
    const doc = minimal();
    doc.providers.push({ code: 'SH-AMR', name: '重复', uscc: '91110000600037341N', kind: 'MUNICIPAL_AGENCY' });
    const item = doc.items[0];
    item.provider = 'SH-NOPE';
    item.keyField = 'caseNo';
    item.recordClass = 'SUPERVISON'; // typo in an enum value
    item.dislcosure = 'PUBLIC'; // typo in a property name
    delete item.disclosure;
    item.fields[2].values = [];
    item.fields.push({ key: 'decisionNo', label: '另一个文号', type: 'string' });
    item.fields.push({ key: 'kind', label: '种类', type: 'string', values: ['a'] });
    item.fields.push({ key: 'count', label: '次数', type: 'string', min: 1 });
    item.fields.push({ key: 'partyUscc', label: '代码', type: 'uscc' });
    item.fields.push({ key: 'grade', label: '等级', type: 'enum', values: ['A', 'A'] });
    doc.items.push({ ...structuredClone(minimal().items[0]), polarity: 'POSITIVE', queryPeriodFrom: 'penaltyCategory' });
    doc.applications.push({ unit: 'SH-EPB', purpose: 'SHOPPING', items: ['AMR-GHOST'] });
    doc.ruleSets = [{ code: 'R1', name: '规则', subjectType: 'NATURAL', failIfAnyOf: ['AMR-PENALTY', 'NOPE'] }];

    const problems = problemsOf(doc);
    has(problems, 'providers[1].code', 'DUPLICATE_CODE');
    has(problems, 'providers[1].uscc', 'INVALID_USCC');
    has(problems, 'items[0].provider', 'UNKNOWN_PROVIDER');
    has(problems, 'items[0].keyField', 'KEY_FIELD_NOT_FOUND');
    has(problems, 'items[0].recordClass', 'INVALID');
    expect(problems.find((p) => p.path === 'items[0].recordClass')?.message).toContain('"SUPERVISON"');
    has(problems, 'items[0].dislcosure', 'UNKNOWN_PROPERTY');
    has(problems, 'items[0].disclosure', 'MISSING');
    has(problems, 'items[0].fields[2].values', 'ENUM_VALUES_MISSING');
    has(problems, 'items[0].fields[4].key', 'DUPLICATE_FIELD');
    has(problems, 'items[0].fields[5].values', 'VALUES_NOT_ALLOWED');
    has(problems, 'items[0].fields[6].min', 'RANGE_NOT_ALLOWED');
    has(problems, 'items[0].fields[7].key', 'RESERVED_FIELD_KEY');
    has(problems, 'items[0].fields[8].values[1]', 'DUPLICATE_VALUE');
    has(problems, 'items[1].code', 'DUPLICATE_CODE');
    has(problems, 'items[1].severity', 'SEVERITY_NOT_ALLOWED');
    has(problems, 'items[1].queryPeriodFrom', 'QUERY_PERIOD_FIELD_NOT_DATE');
    has(problems, 'applications[1].purpose', 'INVALID');
    has(problems, 'applications[1].items[0]', 'UNKNOWN_ITEM');
    has(problems, 'ruleSets[0].failIfAnyOf[0]', 'SUBJECT_TYPE_MISMATCH');
    has(problems, 'ruleSets[0].failIfAnyOf[1]', 'UNKNOWN_ITEM');
    expect(problems.length).toBeGreaterThanOrEqual(20);
    for (const p of problems) expect(p.code).toMatch(/^[A-Z]+(_[A-Z]+)*$/);
  });

  it('checks keyField, query period and field options', () => {
    const doc = minimal();
    const item = doc.items[0];
    item.keyField = 'personIdNo'; // a subject column, but not one that identifies legal subjects
    delete item.queryPeriodFrom;
    item.fields[0].min = 0;
    item.fields[1].maxLength = 10;
    item.fields.push({ key: 'setWithSeparator', label: '集合', type: 'set', values: ['a；b'] });
    item.fields.push({ key: 'other', label: '统一社会信用代码', type: 'string' });
    item.fields.push({ key: 'amount', label: '金额', type: 'decimal', min: 5, max: 1 });
    const problems = problemsOf(doc);
    has(problems, 'items[0].keyField', 'KEY_FIELD_NOT_FOUND');
    has(problems, 'items[0].queryPeriodFrom', 'QUERY_PERIOD_FIELD_MISSING');
    has(problems, 'items[0].fields[0].min', 'RANGE_NOT_ALLOWED');
    has(problems, 'items[0].fields[1].maxLength', 'MAX_LENGTH_NOT_ALLOWED');
    has(problems, 'items[0].fields[4].values[0]', 'INVALID_SET_VALUE');
    has(problems, 'items[0].fields[5].label', 'RESERVED_FIELD_LABEL');
    has(problems, 'items[0].fields[6].min', 'INVALID_RANGE');
  });

  it('lets a legal item declare the legal representative columns (to require them), typed sensibly', () => {
    const doc = minimal();
    doc.items[0].fields.push({ key: 'legalRepName', label: '法定代表人', type: 'string', required: true });
    expect(parseCatalog(doc).ok).toBe(true);
    doc.items[0].fields.push({ key: 'legalRepIdNo', label: '法定代表人证件号码', type: 'date' });
    has(problemsOf(doc), 'items[0].fields[5].type', 'INVALID_FIELD_TYPE');
  });

  it('accepts a subject column as keyField and honours the USCC override list', () => {
    const doc = minimal();
    doc.items[0].keyField = 'partyUscc';
    doc.providers[0].uscc = '91350211M0000XUF46';
    expect(parseCatalog(doc).ok).toBe(true);
  });

  it('rejects codes that would break storage keys', () => {
    const doc = minimal();
    doc.items[0].code = 'AMR#PENALTY';
    has(problemsOf(doc), 'items[0].code', 'INVALID');
  });

  it('explains a document that is not an object', () => {
    expect(problemsOf(null)[0]).toMatchObject({ path: '', code: 'INVALID' });
    expect(problemsOf([]).length).toBeGreaterThan(0);
    const problems = problemsOf({});
    has(problems, 'version', 'MISSING');
    has(problems, 'items', 'MISSING');
  });

  it('never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (doc) => {
        const r = parseCatalog(doc);
        return r.ok || r.problems.length > 0;
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on a demo catalog with parts replaced by arbitrary JSON', () => {
    const base = demoDoc();
    const paths: Array<(d: any, v: unknown) => void> = [
      (d, v) => (d.items[1] = v),
      (d, v) => (d.items[1].fields[0] = v),
      (d, v) => (d.items[1].fields = v),
      (d, v) => (d.providers = v),
      (d, v) => (d.applications[0].items = v),
      (d, v) => (d.ruleSets[0] = v),
      (d, v) => (d.items[0].keyField = v),
      (d, v) => (d.items[2].fields[1].values = v),
      (d, v) => (d.behaviours[0] = v),
      (d, v) => (d.behaviours[1].trigger = v),
      (d, v) => (d.measures[0] = v),
      (d, v) => (d.measures[1].lists = v),
      (d, v) => (d.creditLists[0].entry = v),
    ];
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue(), (set, value) => {
        const doc = structuredClone(base);
        set(doc, value);
        const r = parseCatalog(doc);
        return r.ok || r.problems.every((p) => typeof p.path === 'string' && p.message.length > 0);
      }),
      { numRuns: 200 },
    );
  });
});

describe('joint reward and punishment sections (behaviours, measures, creditLists)', () => {
  it('the demo catalog carries them: ≥ 10 behaviours and measures of every kind, a list by rule and one by decision', () => {
    const c = demo();
    const b = c.behaviours ?? [];
    const m = c.measures ?? [];
    expect(b.length).toBeGreaterThanOrEqual(10);
    expect(new Set(b.map((x) => x.kind))).toEqual(new Set(['PUNISHMENT', 'INCENTIVE']));
    expect(new Set(b.map((x) => x.tier))).toEqual(new Set(['NATIONAL', 'MUNICIPAL']));
    expect(m.length).toBeGreaterThanOrEqual(10);
    expect(new Set(m.map((x) => x.side))).toEqual(new Set(['INITIATING', 'IMPLEMENTING']));
    expect(new Set(m.map((x) => x.binding))).toEqual(new Set(['MANDATORY', 'RECOMMENDED']));
    expect(new Set(m.flatMap((x) => x.matters)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(m.flatMap((x) => x.units)).size).toBeGreaterThanOrEqual(5);
    const lists = c.creditLists ?? [];
    expect(lists.find((l) => l.kind === 'SERIOUS_DISHONESTY')?.entry.behaviours?.length).toBeGreaterThan(0);
    expect(lists.find((l) => l.kind === 'RED')?.entry.byDecision).toBe(true);
    const index = indexCatalog(c);
    expect(index.behaviour('B-WAGE-ARREARS')?.special).toBe(true);
    expect(index.measure('M-GREEN-CHANNEL')?.lists).toEqual(['L-RED']);
    expect(index.creditList('L-SERIOUS')?.noticeWorkingDays).toBe(5);
  });

  it('reports every broken reference and rule at once, each with its path', () => {
    const doc = minimal();
    doc.items.push({
      code: 'TAX-A-GRADE',
      name: 'A级',
      provider: 'SH-AMR',
      subjectType: 'LEGAL',
      recordClass: 'MANAGEMENT',
      polarity: 'POSITIVE',
      disclosure: 'PUBLIC',
      keyField: 'ratingYear',
      fields: [
        { key: 'ratingYear', label: '评价年度', type: 'integer' },
        { key: 'grade', label: '等级', type: 'enum', values: ['A'] },
      ],
    });
    doc.behaviours = [
      {
        code: 'B-PEN',
        name: '处罚',
        kind: 'PUNISHMENT',
        tier: 'MUNICIPAL',
        grade: 'GENERAL',
        unit: 'SH-AMR',
        basis: '第二十五条',
        trigger: { items: ['AMR-PENALTY'], where: [{ field: 'fineWan', gte: 10 }] },
      },
      {
        code: 'B-PEN',
        name: '重复',
        kind: 'PUNISHMENT',
        tier: 'NATIONAL',
        grade: 'GOOD',
        unit: 'SH-NOBODY',
        basis: 'x',
        special: true,
        trigger: { items: ['AMR-PENALTY', 'GHOST'], where: [{ field: 'penaltyCategory', gte: 1 }, { field: 'nope', eq: 1 }, { field: 'decisionNo' }] },
      },
      {
        code: 'B-A',
        name: 'A级',
        kind: 'INCENTIVE',
        tier: 'NATIONAL',
        grade: 'GOOD',
        unit: 'SH-AMR',
        basis: 'x',
        trigger: { items: ['TAX-A-GRADE'], where: [{ field: 'ratingYear', in: ['2025'] }] },
      },
    ];
    doc.creditLists = [
      {
        code: 'L-S',
        name: '严重失信',
        kind: 'SERIOUS_DISHONESTY',
        unit: 'SH-EPB',
        public: true,
        criteria: 'c',
        remedy: 'r',
        exit: 'e',
        entry: { behaviours: ['B-A', 'B-NONE'] },
        noticeWorkingDays: 5,
        years: 3,
      },
      {
        code: 'L-R',
        name: '红名单',
        kind: 'RED',
        unit: 'SH-EPB',
        public: true,
        criteria: 'c',
        remedy: 'r',
        exit: 'e',
        entry: {},
        noticeWorkingDays: 5,
        years: 2,
      },
    ];
    doc.measures = [
      {
        code: 'M-1',
        name: '措施',
        behaviours: ['B-PEN', 'B-A'],
        side: 'INITIATING',
        units: ['SH-EPB', 'SH-X'],
        binding: 'MANDATORY',
        matters: ['ADMIN_APPROVAL', 'SHOPPING'],
        basis: '第二十五条',
        special: true,
      },
      { code: 'M-2', name: '空', side: 'IMPLEMENTING', units: ['SH-EPB'], binding: 'RECOMMENDED', matters: ['FUNDING'], basis: 'x', lists: ['L-GHOST'] },
      { code: 'M-3', name: '空', side: 'IMPLEMENTING', units: ['SH-EPB'], binding: 'OPTIONAL', matters: ['FUNDING'], basis: 'x' },
    ];
    const problems = problemsOf(doc);
    has(problems, 'behaviours[1].code', 'DUPLICATE_CODE');
    has(problems, 'behaviours[1].unit', 'UNKNOWN_UNIT');
    has(problems, 'behaviours[1].grade', 'GRADE_KIND_MISMATCH');
    has(problems, 'behaviours[1].trigger.items[0]', 'SPECIAL_ITEM_REPAIRABLE');
    has(problems, 'behaviours[1].trigger.items[1]', 'UNKNOWN_ITEM');
    has(problems, 'behaviours[1].trigger.where[0].field', 'CONDITION_TYPE_MISMATCH');
    has(problems, 'behaviours[1].trigger.where[1].field', 'UNKNOWN_FIELD');
    has(problems, 'behaviours[1].trigger.where[2]', 'CONDITION_EMPTY');
    has(problems, 'behaviours[2].trigger.where[0].field', 'CONDITION_TYPE_MISMATCH');
    has(problems, 'creditLists[0].entry.behaviours[0]', 'LIST_KIND_MISMATCH');
    has(problems, 'creditLists[0].entry.behaviours[1]', 'UNKNOWN_BEHAVIOUR');
    has(problems, 'creditLists[1].entry', 'LIST_ENTRY_UNDEFINED');
    has(problems, 'measures[0]', 'MIXED_MEASURE_KINDS');
    has(problems, 'measures[0].behaviours[0]', 'SPECIAL_MEASURE_MISMATCH');
    has(problems, 'measures[0].units[0]', 'INITIATING_UNIT_MISMATCH');
    has(problems, 'measures[0].units[1]', 'UNKNOWN_UNIT');
    has(problems, 'measures[0].matters[1]', 'INVALID');
    has(problems, 'measures[1].lists[0]', 'UNKNOWN_LIST');
    has(problems, 'measures[2]', 'MEASURE_TARGET_MISSING');
    has(problems, 'measures[2].binding', 'INVALID');
    expect(problems.some((p) => p.path.startsWith('behaviours[0]'))).toBe(false);
  });

  it('a trigger over items of two subject types is refused', () => {
    const doc = demoDoc() as any;
    doc.behaviours[0].trigger.items.push('COURT-DISHONEST-DEBTOR');
    has(problemsOf(doc), 'behaviours[0].trigger.items', 'SUBJECT_TYPE_MISMATCH');
  });
});
