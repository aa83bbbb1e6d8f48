/** Credit-list entries in the national format (core/national-lists): mapping, strict validation, what is sent when. */
import { describe, expect, it } from 'vitest';
import type { CreditList } from '#core/catalog';
import type { ListEntry } from '#core/credit-lists';
import { listEntryOp, mapListEntry, notSent, validateListEntry } from '#core/national-lists';

const list: CreditList = {
  code: 'L-SERIOUS',
  name: '严重失信主体名单',
  kind: 'SERIOUS_DISHONESTY',
  unit: 'SH-DRC',
  public: true,
  criteria: '…',
  remedy: '…',
  exit: '…',
  entry: { behaviours: ['B-TAX-MAJOR-ARREARS'] },
  noticeWorkingDays: 5,
  years: 3,
};

const entry: ListEntry = {
  entryId: 'L-SERIOUS-0123456789abcdef0123',
  list: 'L-SERIOUS',
  subject: { type: 'LEGAL', key: '91310000MA1FL8LQ34', label: '91310000MA1FL8LQ34' },
  subjectName: '上海某某贸易有限公司',
  by: 'RULE',
  basis: '《上海市社会信用条例》第二十五条',
  reasons: '欠税金额100万元以上',
  behaviours: ['B-TAX-MAJOR-ARREARS'],
  records: ['r1'],
  status: 'LISTED',
  notifiedAt: '2026-03-01T02:00:00.000Z',
  noticeEndsAt: '2026-03-06T15:59:59.999Z',
  listedOn: '2026-03-07',
  until: '2029-03-07',
  history: [],
};

const today = { today: '2026-12-07' };

describe('credit-list entries in the national format', () => {
  it('maps a LISTED entry to MD_* fields that validate', () => {
    const fields = mapListEntry(entry, list);
    expect(fields).toEqual({
      MD_MDMC: '严重失信主体名单',
      MD_MDLB: '8',
      MD_XDR_MC: '上海某某贸易有限公司',
      MD_XDR_SHXYM: '91310000MA1FL8LQ34',
      MD_LRYJ: '《上海市社会信用条例》第二十五条',
      MD_LRSY: '欠税金额100万元以上',
      MD_RDFS: '依规则认定',
      MD_RDDW: 'SH-DRC',
      MD_LRRQ: '2026/03/07',
      MD_YXQZ: '2029/03/06', // `until` is exclusive; 有效期至 is the last day
    });
    expect(validateListEntry(fields, today)).toEqual([]);
    expect(mapListEntry({ ...entry, by: 'DECISION' }, { ...list, kind: 'RED' })).toMatchObject({ MD_MDLB: '2', MD_RDFS: '依决定认定' });
  });

  it('refuses every problem at once: checksum, category, way, dates, unknown and missing fields', () => {
    const fields = mapListEntry(entry, list);
    const problems = validateListEntry(
      { ...fields, MD_XDR_SHXYM: '91310000MA1FL8LQ3C', MD_MDLB: '4', MD_RDFS: '其他', MD_LRRQ: '2027/01/01', MD_YXQZ: '2026/02/30', MD_X: '1', MD_LRSY: ' ' },
      today,
    );
    expect(problems.map((p) => p.field).sort()).toEqual(['MD_LRRQ', 'MD_LRSY', 'MD_MDLB', 'MD_RDFS', 'MD_X', 'MD_XDR_SHXYM', 'MD_YXQZ']);
    expect(validateListEntry({ ...fields, MD_YXQZ: '2026/03/01' }, today)).toEqual([{ field: 'MD_YXQZ', message: '2026/03/01 is before 列入日期 2026/03/07' }]);
  });

  it('sends a listing and, after it, the exit; a notice or an exit never listed sends nothing; persons are not sent', () => {
    expect(listEntryOp(entry)).toBe('UPSERT');
    expect(listEntryOp({ status: 'EXITED', listedOn: '2026-03-07' })).toBe('WITHDRAW');
    expect(listEntryOp({ status: 'EXITED', listedOn: undefined })).toBeNull();
    expect(listEntryOp({ status: 'NOTIFIED', listedOn: undefined })).toBeNull();
    expect(notSent(entry)).toBeNull();
    expect(notSent({ subject: { type: 'NATURAL', key: 'k', label: '3101**********1234' } })).toMatch(/natural persons/);
  });
});
