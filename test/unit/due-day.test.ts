import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { InfoItem } from '#core/catalog';
import { dueBy, dueDay, dueKeys, EXPIRY_SHARDS, expiryShard, nextDay } from '#core/due-day';
import { OPEN_ENDED } from '#core/publicity';

const item = (o: Partial<InfoItem> = {}) => ({ code: 'AMR-PENALTY', queryYears: 5, queryPeriodFrom: 'decisionDate', ...o }) as InfoItem;
const record = (o: Record<string, unknown> = {}) => ({ recordId: 'abcDEF-_123', status: 'ACTIVE', fields: { decisionDate: '2024-02-29' }, ...o });

describe('dueDay: the next day something about a record falls due (byExpiry index)', () => {
  it('is the day the query period has ended (the day servableUntil names)', () => {
    expect(dueDay(record(), item())).toBe('2029-02-28');
    expect(dueDay(record({ fields: { decisionDate: '2021-06-30' } }), item({ queryYears: 3 }))).toBe('2024-06-30');
  });

  it('is the day after the last public day while the record is in the public index, when that comes first', () => {
    expect(dueDay(record({ pubpk: 'PUB#PENALTY#甲', publicUntil: '2025-02-28' }), item())).toBe('2025-03-01');
    // out of the index already: only the query period is due
    expect(dueDay(record({ publicUntil: '2025-02-28' }), item())).toBe('2029-02-28');
    // shown without end: nothing due from publicity
    expect(dueDay(record({ pubpk: 'PUB#LICENSING#甲', publicUntil: OPEN_ENDED }), item({ queryYears: undefined, queryPeriodFrom: undefined }))).toBeUndefined();
    // the query period ends first
    expect(dueDay(record({ pubpk: 'PUB#PENALTY#甲', publicUntil: '2030-01-01' }), item())).toBe('2029-02-28');
  });

  it('is undefined for a record that is not ACTIVE, an item without a query period, or no usable date', () => {
    expect(dueDay(record({ status: 'WITHDRAWN', pubpk: 'x', publicUntil: '2025-01-01' }), item())).toBeUndefined();
    expect(dueDay(record(), item({ queryYears: undefined, queryPeriodFrom: undefined }))).toBeUndefined();
    expect(dueDay(record({ fields: {} }), item())).toBeUndefined();
    expect(dueDay(record(), undefined)).toBeUndefined();
  });

  it('keys: a stable shard in range and a sort key that falls in the due range exactly from its day on', () => {
    const keys = dueKeys(record(), item())!;
    expect(keys).toEqual({ exppk: `EXP#${expiryShard('abcDEF-_123')}`, expsk: '2029-02-28#abcDEF-_123' });
    expect(keys.expsk <= dueBy('2029-02-28')).toBe(true);
    expect(keys.expsk <= dueBy('2029-02-27')).toBe(false);
    fc.assert(
      fc.property(
        fc.base64String({ minLength: 1, maxLength: 40 }).map((s) => s.replace(/\+/g, '-').replace(/\//g, '_').replace(/=/g, '')),
        (id) => {
          const shard = expiryShard(id);
          return (
            shard === expiryShard(id) &&
            shard >= 0 &&
            shard < EXPIRY_SHARDS &&
            `2026-01-01#${id}` <= dueBy('2026-01-01') &&
            `2026-01-02#${id}` > dueBy('2026-01-01')
          );
        },
      ),
    );
  });

  it('nextDay crosses month, year and leap-day ends', () => {
    expect([nextDay('2024-02-28'), nextDay('2025-02-28'), nextDay('2025-12-31'), nextDay('2026-04-30')]).toEqual([
      '2024-02-29',
      '2025-03-01',
      '2026-01-01',
      '2026-05-01',
    ]);
  });
});
