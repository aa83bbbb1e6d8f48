/** The export's per-record decisions, sequence numbers, watermark and publication deadline. */
import { describe, expect, it } from 'vitest';
import { advanceWatermark, contentVersion, decide, holdsAfter, newRunId, publicationDeadline, readUpperBound } from '#core/export-plan';

const fields = { CF_WSH: 'A' };
const active = { type: 'PENALTY' as const, active: true, mapped: { ok: true as const, fields } };
const v1 = contentVersion('UPSERT', 'PENALTY', fields);

describe('decide', () => {
  it('sends a new record as sequence 1, and the same version again under the same key until answered', () => {
    expect(decide(active, undefined)).toEqual({ kind: 'send', op: 'UPSERT', seq: 1, version: v1 });
    expect(decide(active, { seq: 1, version: v1, outcome: 'PENDING', holds: 'MAYBE' })).toEqual({ kind: 'send', op: 'UPSERT', seq: 1, version: v1 });
  });

  it('skips a re-marked record whose content did not change, and sends a changed one with the next sequence', () => {
    expect(decide(active, { seq: 1, version: v1, outcome: 'ACCEPTED', holds: 'YES' })).toEqual({ kind: 'skip' });
    expect(decide(active, { seq: 1, version: v1, outcome: 'REJECTED', holds: 'NO' })).toEqual({ kind: 'skip' });
    const changed = { ...active, mapped: { ok: true as const, fields: { CF_WSH: 'B' } } };
    expect(decide(changed, { seq: 1, version: v1, outcome: 'ACCEPTED', holds: 'YES' })).toMatchObject({ kind: 'send', seq: 2 });
  });

  it('holds a record that cannot be mapped', () => {
    expect(decide({ ...active, mapped: { ok: false, reason: 'CF_YJ: is required' } }, undefined)).toEqual({ kind: 'hold', reason: 'CF_YJ: is required' });
  });

  it('withdraws only what the national platform holds or may hold', () => {
    const withdrawal = { type: 'PENALTY' as const, active: false };
    expect(decide(withdrawal, undefined)).toEqual({ kind: 'settle' });
    expect(decide(withdrawal, { seq: 1, outcome: 'HELD', holds: 'NO' })).toEqual({ kind: 'settle' });
    expect(decide(withdrawal, { seq: 1, outcome: 'SETTLED', holds: 'NO' })).toEqual({ kind: 'skip' });
    expect(decide(withdrawal, { seq: 1, version: v1, outcome: 'ACCEPTED', holds: 'YES' })).toMatchObject({ kind: 'send', op: 'WITHDRAW', seq: 2 });
    expect(decide(withdrawal, { seq: 1, version: v1, outcome: 'PENDING', holds: 'MAYBE' })).toMatchObject({ kind: 'send', op: 'WITHDRAW', seq: 2 });
    const w = contentVersion('WITHDRAW', 'PENALTY', null);
    expect(decide(withdrawal, { seq: 2, version: w, outcome: 'ACCEPTED', holds: 'NO' })).toEqual({ kind: 'skip' });
  });

  it('re-adding a withdrawn record with the same content is a new version (a new sequence)', () => {
    const w = contentVersion('WITHDRAW', 'PENALTY', null);
    expect(decide(active, { seq: 2, version: w, outcome: 'ACCEPTED', holds: 'NO' })).toEqual({ kind: 'send', op: 'UPSERT', seq: 3, version: v1 });
  });

  it('tracks what the national platform holds', () => {
    expect(holdsAfter('UPSERT', 'ACCEPTED', undefined)).toBe('YES');
    expect(holdsAfter('UPSERT', 'NONE', 'NO')).toBe('MAYBE');
    expect(holdsAfter('UPSERT', 'REJECTED', 'YES')).toBe('YES');
    expect(holdsAfter('WITHDRAW', 'ACCEPTED', 'YES')).toBe('NO');
    expect(holdsAfter('WITHDRAW', 'NONE', 'YES')).toBe('YES');
  });

  it('content versions ignore field order', () => {
    expect(contentVersion('UPSERT', 'LICENSING', { a: '1', b: '2' })).toBe(contentVersion('UPSERT', 'LICENSING', { b: '2', a: '1' }));
    expect(contentVersion('UPSERT', 'LICENSING', { a: '1' })).not.toBe(contentVersion('UPSERT', 'PENALTY', { a: '1' }));
  });
});

describe('watermark', () => {
  it('moves past an unbroken run of answered records and stops at the first unanswered one', () => {
    const processed = [
      { chgsk: 't1#a', acknowledged: true },
      { chgsk: 't2#b', acknowledged: true },
      { chgsk: 't3#c', acknowledged: false },
      { chgsk: 't4#d', acknowledged: true },
    ];
    expect(advanceWatermark('t0#z', processed)).toBe('t2#b');
    expect(advanceWatermark('', processed.slice(0, 2))).toBe('t2#b');
    expect(advanceWatermark('t2#b', [{ chgsk: 't3#c', acknowledged: false }])).toBe('t2#b');
  });

  it('reads only up to now minus the safety lag', () => {
    expect(readUpperBound(new Date('2026-11-26T02:00:00.000Z'), 300_000)).toBe('2026-11-26T01:55:00.000Z#\uffff');
    expect('2026-11-26T01:54:59.999Z#abc' < readUpperBound(new Date('2026-11-26T02:00:00.000Z'), 300_000)).toBe(true);
    expect('2026-11-26T01:55:00.001Z#abc' < readUpperBound(new Date('2026-11-26T02:00:00.000Z'), 300_000)).toBe(false);
  });

  it('run ids sort by start time', () => {
    expect(newRunId(new Date('2026-11-26T02:00:00.123Z'), 'abc')).toBe('20261126T020000123Z-abc');
  });
});

describe('publication deadline (7 working days, holiday calendar)', () => {
  it('counts working days only', () => {
    expect(publicationDeadline('2026-11-02')).toBe('2026-11-11'); // Monday → Wednesday of the next week
    // National Day 2026: 1–7 October off, Saturday 10 October a make-up working day (调休)
    expect(publicationDeadline('2026-09-30')).toBe('2026-10-15');
  });
});
