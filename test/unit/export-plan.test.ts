/** The export's per-record decisions, sequence numbers, watermark and publication deadline. */
import { describe, expect, it } from 'vitest';
import {
  advanceWatermark,
  contentVersion,
  decide,
  idempotencyKey,
  newRunId,
  publicationDeadline as deadlineOn,
  readUpperBound,
  sequenceOf,
} from '#core/export-plan';
import { seededCalendar } from '#core/work-calendar';

const publicationDeadline = (day: string) => deadlineOn(day, seededCalendar());

const fields = { CF_WSH: 'A' };
const k1 = '2026-11-26T02:00:00.000Z#R1';
const k2 = '2026-11-26T02:00:00.001Z#R1';
const active = { type: 'PENALTY' as const, chgsk: k1, active: true, mapped: { ok: true as const, fields } };
const v1 = contentVersion('UPSERT', 'PENALTY', fields);
const w = contentVersion('WITHDRAW', 'PENALTY', null);

describe('decide', () => {
  it('sends a record version under a sequence taken from its change key, the same for every retry', () => {
    const seq = Date.parse('2026-11-26T02:00:00.000Z');
    expect(sequenceOf(k1)).toBe(seq);
    expect(decide(active)).toEqual({ kind: 'send', op: 'UPSERT', seq, version: v1 });
    // a later run reading the same entry (no answer yet) decides the same idempotency key
    expect(decide(active, { chgsk: k1, version: v1, outcome: 'PENDING' })).toEqual({ kind: 'send', op: 'UPSERT', seq, version: v1 });
    expect(idempotencyKey('R1', seq, v1)).toBe(`R1:${seq}:${v1}`);
  });

  it('each later write of a record has a higher sequence, so the national side keeps the newest', () => {
    expect(sequenceOf(k2)).toBeGreaterThan(sequenceOf(k1));
    const changed = { ...active, chgsk: k2, mapped: { ok: true as const, fields: { CF_WSH: 'B' } } };
    expect(decide(changed, { chgsk: k1, version: v1, outcome: 'ACCEPTED' })).toMatchObject({ kind: 'send', seq: sequenceOf(k2) });
    // a re-mark of unchanged content is sent again under the new sequence (harmless: one entry per record)
    expect(decide({ ...active, chgsk: k2 }, { chgsk: k1, version: v1, outcome: 'ACCEPTED' })).toMatchObject({ kind: 'send', seq: sequenceOf(k2), version: v1 });
    expect(() => sequenceOf('not-a-time#R1')).toThrow(/write time/);
  });

  it('skips a version already answered under the same change key (answered behind an unanswered record)', () => {
    expect(decide(active, { chgsk: k1, version: v1, outcome: 'ACCEPTED' })).toEqual({ kind: 'skip' });
    expect(decide(active, { chgsk: k1, version: v1, outcome: 'REJECTED' })).toEqual({ kind: 'skip' });
  });

  it('holds a record that cannot be mapped', () => {
    expect(decide({ ...active, mapped: { ok: false, reason: 'CF_YJ: is required' } })).toEqual({ kind: 'hold', reason: 'CF_YJ: is required' });
  });

  it('sends a withdrawal for every withdrawn record, held nationally or not', () => {
    const withdrawal = { type: 'PENALTY' as const, chgsk: k2, active: false };
    expect(decide(withdrawal)).toEqual({ kind: 'send', op: 'WITHDRAW', seq: sequenceOf(k2), version: w });
    expect(decide(withdrawal, { chgsk: k1, outcome: 'HELD' })).toMatchObject({ kind: 'send', op: 'WITHDRAW' });
    expect(decide(withdrawal, { chgsk: k2, version: w, outcome: 'ACCEPTED' })).toEqual({ kind: 'skip' });
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
