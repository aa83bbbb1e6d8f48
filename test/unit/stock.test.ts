import { describe, expect, it } from 'vitest';
import { itemKeys } from '#core/due-day';
import { STOCK_SHARDS, stockDeltas, stockOf, stockShard, stockSk, summariseStock } from '#core/stock';

describe('stockOf: counted exactly while ACTIVE in a subject’s own file', () => {
  const rec = { sk: 'REC#SH-AMR#AMR-PENALTY#abc', status: 'ACTIVE', recordClass: 'SUPERVISION' };
  it('an ACTIVE record of a subject', () => expect(stockOf('LEGAL', rec)).toBe('LEGAL#SUPERVISION'));
  it.each([
    ['withdrawn', { ...rec, status: 'WITHDRAWN' }],
    ['expired', { ...rec, status: 'EXPIRED' }],
    ['repaired', { ...rec, status: 'REPAIRED' }],
    ['a copy under a legal representative (via)', { ...rec, via: { uscc: 'x', role: 'LEGAL_REPRESENTATIVE' } }],
    ['a copy under a legal representative (#REP)', { ...rec, sk: `${rec.sk}#REP` }],
    ['the registration profile', { ...rec, sk: 'REGISTRATION' }],
    ['a held record (registry sort key)', { ...rec, sk: 'SH-AMR#AMR-PENALTY#abc' }],
  ])('not %s', (_, r) => expect(stockOf('LEGAL', r)).toBeUndefined());
});

describe('stockDeltas', () => {
  it('adds what enters, takes what leaves, ignores what stays', () => {
    expect(
      stockDeltas([
        { before: undefined, after: 'LEGAL#SUPERVISION' },
        { before: 'LEGAL#SUPERVISION', after: 'LEGAL#SUPERVISION' },
        { before: 'LEGAL#SUPERVISION', after: undefined },
        { before: undefined, after: 'NATURAL#JUDGMENT' },
        { before: undefined, after: 'NATURAL#JUDGMENT' },
        { before: undefined, after: undefined },
      ]),
    ).toEqual({ 'NATURAL#JUDGMENT': 2 });
  });
  it('a class change moves the record between counters', () => {
    expect(stockDeltas([{ before: 'LEGAL#SUPERVISION', after: 'LEGAL#JUDGMENT' }])).toEqual({ 'LEGAL#SUPERVISION': -1, 'LEGAL#JUDGMENT': 1 });
  });
});

describe('counter rows', () => {
  it('a stable shard within range', () => {
    const shards = new Set(Array.from({ length: 1000 }, (_, i) => stockShard(`r${i}`)));
    expect([...shards].every((s) => s >= 0 && s < STOCK_SHARDS)).toBe(true);
    expect(shards.size).toBe(STOCK_SHARDS);
    expect(stockShard('same')).toBe(stockShard('same'));
  });
  it('summarise adds the shards up per subject type and class, in catalog class order', () => {
    const s = summariseStock([
      { sk: stockSk('LEGAL#SUPERVISION', 0), n: 5 },
      { sk: stockSk('LEGAL#SUPERVISION', 31), n: -2 },
      { sk: stockSk('LEGAL#REGISTRATION', 3), n: 10 },
      { sk: stockSk('NATURAL#JUDGMENT', 7), n: 4 },
      { sk: stockSk('NATURAL#JUDGMENT', 8) },
    ]);
    expect(s).toEqual({
      total: 17,
      bySubjectType: { LEGAL: 13, NATURAL: 4 },
      rows: [
        { subjectType: 'LEGAL', recordClass: 'REGISTRATION', records: 10 },
        { subjectType: 'LEGAL', recordClass: 'SUPERVISION', records: 3 },
        { subjectType: 'NATURAL', recordClass: 'JUDGMENT', records: 4 },
      ],
    });
  });
});

describe('byItem keys', () => {
  it('shard the item by record id, sort by record id', () => {
    const k = itemKeys({ item: 'AMR-PENALTY', recordId: 'abcdefghijklmnopqrstuv' });
    expect(k.itempk).toMatch(/^ITEM#AMR-PENALTY#\d{1,2}$/);
    expect(k.itemsk).toBe('abcdefghijklmnopqrstuv');
    expect(itemKeys({ item: 'AMR-PENALTY', recordId: 'abcdefghijklmnopqrstuv' })).toEqual(k);
  });
});
