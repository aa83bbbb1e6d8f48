/**
 * The export's change-index pages are decoded by adapters/export-repo/change-index (nativeOf), not by
 * the document client: the result must be what the document client gives (numbers unwrapped, sets
 * as Sets) for every kind of value a stored record holds.
 */
import { describe, expect, it } from 'vitest';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { nativeItem, nativeOf } from '#adapters/export-repo';

const record = {
  pk: '91310000MA1FL8TQ3X',
  sk: 'REC#SH-AMR#AMR-PENALTY#abcdefghijklmnopqrstuv',
  chgsk: '2026-12-08T02:00:00.000Z#abcdefghijklmnopqrstuv',
  status: 'ACTIVE',
  via: null,
  fields: {
    decisionNo: '沪市监罚〔2026〕1号',
    fineYuan: 12500.5,
    count: 3,
    negative: -7,
    penaltyCategory: ['罚款', '警告'],
    empty: '',
    nested: { deep: { list: [1, 'two', true, null, { x: 'y' }] } },
    flag: false,
  },
  sealed: {},
  party: { partyType: '法人及非法人组织', legalRepName: '张三' },
  tags: new Set(['a', 'b']),
  scores: new Set([1, 2.5]),
  blob: new Uint8Array([1, 2, 3]),
};

/** `record` as DynamoDB returns it (the document client's marshalling of it). */
const stored: Record<string, AttributeValue> = {
  pk: { S: record.pk },
  sk: { S: record.sk },
  chgsk: { S: record.chgsk },
  status: { S: 'ACTIVE' },
  via: { NULL: true },
  fields: {
    M: {
      decisionNo: { S: '沪市监罚〔2026〕1号' },
      fineYuan: { N: '12500.5' },
      count: { N: '3' },
      negative: { N: '-7' },
      penaltyCategory: { L: [{ S: '罚款' }, { S: '警告' }] },
      empty: { S: '' },
      nested: { M: { deep: { M: { list: { L: [{ N: '1' }, { S: 'two' }, { BOOL: true }, { NULL: true }, { M: { x: { S: 'y' } } }] } } } } },
      flag: { BOOL: false },
    },
  },
  sealed: { M: {} },
  party: { M: { partyType: { S: '法人及非法人组织' }, legalRepName: { S: '张三' } } },
  tags: { SS: ['a', 'b'] },
  scores: { NS: ['1', '2.5'] },
  blob: { B: new Uint8Array([1, 2, 3]) },
};

describe('change-index decoding', () => {
  it('gives what the document client gives for every kind of value', () => {
    expect(nativeItem(stored)).toEqual(record);
  });

  it('refuses a number it cannot hold exactly, like the document client', () => {
    expect(() => nativeOf({ N: '12345678901234567890' })).toThrow(/precision/);
    expect(nativeOf({ N: '9007199254740991' })).toBe(9007199254740991);
    expect(nativeOf({ N: '0.1' })).toBe(0.1);
  });
});
