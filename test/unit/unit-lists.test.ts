/** The pure rules of units' own lists (core/unit-lists): entry checks, diff, tightenings, draft problems, references, the comment period. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Catalog, InfoItem } from '#core/catalog';
import { approvableAt, commentPeriodProblems, diffEntry, draftProblems, entryProblems, fieldTightenings, referencesTo } from '#core/unit-lists';

const catalog = JSON.parse(readFileSync(new URL('../../local/seed/demo-catalog.json', import.meta.url), 'utf8')) as Catalog;
const item = (code: string) => structuredClone(catalog.items.find((i) => i.code === code)!) as InfoItem;

describe('entryProblems', () => {
  it('accepts an own entry under its key, and names every problem of a foreign, misplaced or malformed one', () => {
    expect(entryProblems('items', 'SH-WATER', 'WATER-ARREARS', item('WATER-ARREARS'))).toEqual([]);
    expect(entryProblems('items', 'SH-WATER', 'AMR-PENALTY', item('AMR-PENALTY')).map((p) => p.code)).toEqual(['NOT_YOUR_ENTRY']);
    expect(entryProblems('items', 'SH-WATER', 'OTHER', item('WATER-ARREARS')).map((p) => p.code)).toEqual(['KEY_MISMATCH']);
    expect(entryProblems('items', 'SH-WATER', 'X', { code: 'X' }).every((p) => p.code === 'INVALID')).toBe(true);
    const app = { unit: 'SH-EPB', purpose: 'PENALTY', items: ['AMR-PENALTY'] };
    expect(entryProblems('applications', 'SH-EPB', 'SH-EPB#PENALTY', app)).toEqual([]);
  });
});

describe('diffEntry', () => {
  it('tells added, removed, unchanged and changed entries apart, naming changes with the catalog labels', () => {
    const before = item('WATER-ARREARS');
    expect(diffEntry('items', 'W', undefined, before).op).toBe('ADDED');
    expect(diffEntry('items', 'W', before, undefined).op).toBe('REMOVED');
    expect(diffEntry('items', 'W', before, structuredClone(before)).op).toBe('UNCHANGED');
    const after = structuredClone(before);
    after.severity = 'GENERAL';
    after.fields = after.fields.filter((f) => f.key !== 'owedAmount');
    after.fields[0]!.maxLength = 16;
    const d = diffEntry('items', 'W', before, after);
    expect(d.op).toBe('CHANGED');
    expect(d.changes.map((c) => c.label)).toEqual(['严重程度', '字段「用水户号」.最大长度', '字段「欠费金额（元）」']);
    expect(d.changes[1]).toMatchObject({ before: 32, after: 16 });
  });
});

describe('fieldTightenings', () => {
  it('finds each change that would reject rows the published item accepted, and only those', () => {
    const before = item('AMR-PENALTY');
    expect(fieldTightenings(before, structuredClone(before))).toEqual([]);
    const after = structuredClone(before);
    const choice = after.fields.find((f) => f.values && f.values.length > 1)!;
    const dropped = choice.values!.pop()!;
    const optional = after.fields.find((f) => !f.required)!;
    optional.required = true;
    after.keyField = 'legalRepName';
    const found = fieldTightenings(before, after);
    expect(found.map((t) => t.code).sort()).toEqual(['FIELD_NOW_REQUIRED', 'FIELD_VALUES_REMOVED', 'KEY_FIELD_CHANGED'].sort());
    expect(found.find((t) => t.code === 'FIELD_VALUES_REMOVED')!.message).toContain(`“${dropped}”`);
    // loosening is no tightening: a value added, a field made optional, a range widened
    const looser = structuredClone(before);
    looser.fields.forEach((f) => {
      f.required = false;
      if (f.values) f.values.push('新增值');
      if (f.maxLength) f.maxLength += 10;
    });
    expect(fieldTightenings(before, looser)).toEqual([]);
  });
});

describe('draftProblems and referencesTo', () => {
  const small = { providers: catalog.providers, items: [] as InfoItem[] };

  it('reports the problems of the draft entries only, with where in the catalog words', () => {
    const bad = item('WATER-ARREARS');
    bad.code = 'WATER-NEW';
    bad.name = '新水费信息';
    bad.fields[1]!.min = 10;
    bad.fields[1]!.max = 2;
    bad.fields.push({ key: 'kind', label: '类别', type: 'enum' });
    const problems = draftProblems([{ section: 'items', key: 'WATER-NEW', entry: bad }], small, []);
    expect(problems.map((p) => `${p.code} ${p.where}`).sort()).toEqual([
      'ENUM_VALUES_MISSING 信息事项「新水费信息」字段「类别」',
      'INVALID_RANGE 信息事项「新水费信息」字段「欠费月数」',
    ]);
    expect(draftProblems([{ section: 'items', key: 'WATER-ARREARS', entry: item('WATER-ARREARS') }], small, [])).toEqual([]);
  });

  it("checks a unit's matters against the published items it names", () => {
    const matter = {
      code: 'EPB-M1',
      name: '环评审批',
      unit: 'SH-EPB',
      subjectType: 'LEGAL',
      purpose: 'ADMIN_APPROVAL',
      legalBasis: ['《环境影响评价法》'],
      items: ['AMR-PENALTY', 'PSB-DRUNK-DRIVING', 'NO-SUCH'],
    };
    const problems = draftProblems(
      [{ section: 'matters', key: 'EPB-M1', entry: matter }],
      { ...small, items: [item('AMR-PENALTY'), item('PSB-DRUNK-DRIVING')] },
      [],
    );
    expect(problems.map((p) => p.code).sort()).toEqual(['SUBJECT_TYPE_MISMATCH', 'UNKNOWN_ITEM']);
  });

  it('finds the entries naming a removed item, but not those the draft changes itself', () => {
    const refs = referencesTo(new Set(['TAX-ARREARS']), catalog, new Set());
    expect(refs.map((r) => `${r.section} ${r.key}`).sort()).toEqual([
      'applications SH-AMR#INSPECTION',
      'applications SH-DRC#BIDDING',
      'applications SH-DRC#FUNDING',
      'applications SH-DRC#GOV_PROCUREMENT',
      'applications SH-EPB#ADMIN_APPROVAL',
      'applications SH-TAX#INSPECTION',
      'behaviours B-TAX-ARREARS',
      'behaviours B-TAX-MAJOR-ARREARS',
      'matters DRC-BID-SUPERVISION',
      'matters DRC-PROJECT-FUNDING',
      'matters DRC-SUPPLIER-REVIEW',
      'matters EPB-DISCHARGE-PERMIT',
      'ruleSets FUNDING_GOOD_CREDIT',
    ]);
    expect(referencesTo(new Set(['TAX-ARREARS']), catalog, new Set(['applications\u0000SH-EPB#ADMIN_APPROVAL'])).length).toBe(refs.length - 1);
    const problems = draftProblems([{ section: 'items', key: 'TAX-ARREARS' }], small, refs);
    expect(problems.every((p) => p.code === 'ITEM_STILL_REFERENCED' && p.key === 'TAX-ARREARS')).toBe(true);
    expect(problems).toHaveLength(refs.length);
  });
});

describe('the comment period', () => {
  const now = new Date('2026-12-07T10:00:00Z');
  it('needs an end after its start and in the future; holds approval until it ends', () => {
    expect(commentPeriodProblems('2026-12-07T10:00:00Z', '2026-12-14T10:00:00Z', now)).toEqual([]);
    expect(commentPeriodProblems('2026-12-14T10:00:00Z', '2026-12-07T10:00:00Z', now)).toHaveLength(2);
    expect(commentPeriodProblems('x', 'y', now)).toHaveLength(1);
    expect(approvableAt({ status: 'SUBMITTED' }, now)).toBe(true);
    expect(approvableAt({ status: 'COMMENT', commentEnd: '2026-12-07T10:00:01Z' }, now)).toBe(false);
    expect(approvableAt({ status: 'COMMENT', commentEnd: '2026-12-07T10:00:00Z' }, now)).toBe(true);
    expect(approvableAt({ status: 'DRAFT' }, now)).toBe(false);
  });
});
