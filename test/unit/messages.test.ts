/**
 * Chinese messages (issue 18 part 7): every API error code the handlers, the access rules, the
 * objection rules and the local gateway can return has a Chinese sentence; row errors name the
 * row and the catalog label; the caller's language is read from Accept-Language.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_ERROR_ZH, localize, preferredLang } from '#core/api-messages';
import { compileItem, mapHeader } from '#core/row-validator';
import { labelOf, chinaTime, OBJECTION_STATUS_NAMES } from '#core/labels';
import { demoCatalog } from '../support/platform.ts';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('API error codes', () => {
  it('every code thrown anywhere has a Chinese sentence', () => {
    const codes = new Set<string>();
    const pattern =
      /(?:HttpError|DomainError|refuse|ObjectionRuleError|errorBody)\(\s*(?:\d+,\s*|'[a-z][a-zA-Z]*',\s*)?(?:[a-z]+ \? )?'([A-Z_]+)'(?: : '([A-Z_]+)')?/g;
    for (const file of [...sources('functions'), ...sources('local')]) {
      for (const m of readFileSync(file, 'utf8').matchAll(pattern)) {
        codes.add(m[1]!);
        if (m[2]) codes.add(m[2]);
      }
    }
    expect(codes.size).toBeGreaterThan(40);
    const missing = [...codes].filter((c) => API_ERROR_ZH[c] === undefined);
    expect(missing).toEqual([]);
  });

  it('reads the preferred language from Accept-Language, Chinese unless English outranks it', () => {
    expect(preferredLang(undefined)).toBe('zh');
    expect(preferredLang('')).toBe('zh');
    expect(preferredLang('en')).toBe('en');
    expect(preferredLang('en-US,en;q=0.9')).toBe('en');
    expect(preferredLang('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh');
    expect(preferredLang('en;q=0.5,zh;q=0.8')).toBe('zh');
    expect(preferredLang('fr,en;q=0.3')).toBe('en');
    expect(preferredLang('fr')).toBe('zh');
  });

  it('localize keeps one text of each pair, at any depth', () => {
    const body = { errors: [{ code: 'RANGE', message: 'en', messageZh: '中文' }], reason: 'r', reasonZh: '原因', note: 'x' };
    expect(localize(body, 'zh')).toEqual({ errors: [{ code: 'RANGE', message: '中文' }], reason: '原因', note: 'x' });
    expect(localize(body, 'en')).toEqual({ errors: [{ code: 'RANGE', message: 'en' }], reason: 'r', note: 'x' });
    expect(body.errors[0]!.messageZh).toBe('中文'); // the input is not changed
  });
});

describe('row errors in Chinese', () => {
  const catalog = demoCatalog();
  const penalty = catalog.items.find((i) => i.code === 'AMR-PENALTY')!;
  const v = compileItem(penalty, { today: '2026-12-07' });

  it('name the row and the field by its catalog label', () => {
    const out = v.validate({ partyName: '上海某某有限公司', partyType: '法人及非法人组织', fineWan: '-5' }, 12);
    expect(out.ok).toBe(false);
    const errors = out.ok ? [] : out.errors;
    expect(errors.find((e) => e.field === 'fineWan')?.messageZh).toBe('第 12 行「罚款金额（万元）」：应为不小于 0 的数字，实际为 "-5"');
    expect(errors.find((e) => e.field === 'decisionNo')?.messageZh).toBe('第 12 行「行政处罚决定书文号」：必须填写');
    expect(errors.find((e) => e.code === 'NO_SUBJECT')?.messageZh).toMatch(/^第 12 行：法人主体须填写「统一社会信用代码」/);
    for (const e of errors) expect(e.messageZh, e.message).toMatch(/^第 12 行/);
  });

  it('refuse a simple-procedure (简易程序) fine above what the law allows, in both languages', () => {
    const base = { procedureType: '简易程序', fineWan: '0.31' };
    const out = v.validate(base, 5);
    const e = out.ok ? undefined : out.errors.find((x) => x.code === 'CROSS_FIELD' && x.field === 'fineWan');
    expect(e?.message).toMatch(/simple procedure/);
    expect(e?.messageZh).toBe('第 5 行「罚款金额（万元）」：0.31 万元超过简易程序可处罚款的上限（法人及非法人组织不超过 0.3 万元）；应适用一般程序');
    const atCap = v.validate({ procedureType: '简易程序', fineWan: '0.3' }, 5);
    expect(atCap.ok ? [] : atCap.errors.filter((x) => x.field === 'fineWan')).toEqual([]);
    const general = v.validate({ procedureType: '一般程序', fineWan: '50' }, 5);
    expect(general.ok ? [] : general.errors.filter((x) => x.field === 'fineWan')).toEqual([]);
  });

  it('header problems name the column by its label', () => {
    const mapped = mapHeader(penalty, ['行政相对人名称', '行政相对人类别', '统一社会信用代码', '罚款金额(万元)', '罚款金额（万元）', '秘密列']);
    expect(mapped.ok).toBe(false);
    const errors = mapped.ok ? [] : mapped.errors;
    expect(errors.find((e) => e.code === 'UNKNOWN_COLUMN')?.messageZh).toBe('第 1 行「秘密列」：第 6 列不是「行政处罚信息」的字段，也不是标准主体列');
    expect(errors.find((e) => e.code === 'DUPLICATE_COLUMN')?.messageZh).toBe('第 1 行「罚款金额（万元）」：第 5 列与前面的列重复');
    expect(errors.find((e) => e.code === 'MISSING_COLUMN' && e.field === 'decisionNo')?.messageZh).toBe(
      '第 1 行「行政处罚决定书文号」：缺少此列：它是「行政处罚信息」的必填字段',
    );
  });
});

describe('labels', () => {
  it('one name for an objection just received, and China time for instants', () => {
    expect(OBJECTION_STATUS_NAMES.RECEIVED).toBe('已受理');
    expect(labelOf('PENALTY')).toBe('行政处罚');
    expect(labelOf(undefined)).toBe('—');
    expect(chinaTime('2026-12-07T14:56:02.976Z')).toBe('2026-12-07 22:56');
    expect(chinaTime('2026-12-07T17:30:00Z', 'day')).toBe('2026-12-08');
    expect(chinaTime('2026-12-07')).toBe('2026-12-07');
  });
});
