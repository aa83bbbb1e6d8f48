import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addMonths,
  isShownOn,
  OPEN_ENDED,
  penaltyRuleFor,
  PUBLICITY_POLICY,
  publicityAttributes,
  publicityPartition,
  publicityUntil,
  type PublicityPolicy,
} from '#core/publicity';

const penalty = (severity?: 'MINOR' | 'GENERAL' | 'SERIOUS') => ({ publicity: 'PENALTY' as const, severity });
const licensing = { publicity: 'LICENSING' as const };

describe('addMonths (Civil Code Art 202: the corresponding day, else the month end)', () => {
  it.each([
    ['2026-04-15', 3, '2026-07-15'],
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'], // leap year
    ['2026-03-31', 3, '2026-06-30'],
    ['2026-08-31', 1, '2026-09-30'],
    ['2026-11-30', 3, '2027-02-28'],
    ['2026-12-31', 12, '2027-12-31'],
    ['2024-02-29', 12, '2025-02-28'], // leap day plus a year
    ['2024-02-29', 48, '2028-02-29'],
    ['2023-02-28', 12, '2024-02-28'], // not the month end of a leap February
    ['2026-10-15', 3, '2027-01-15'], // across the year end
    ['1999-12-31', 2, '2000-02-29'], // 2000 is a leap year (divisible by 400)
    ['2099-12-31', 2, '2100-02-28'], // 2100 is not
  ])('%s + %i months = %s', (from, months, expected) => {
    expect(addMonths(from, months)).toBe(expected);
  });

  it('never lands on a day that does not exist and never moves backwards', () => {
    const day = fc.record({ y: fc.integer({ min: 1900, max: 2200 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }) });
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 120 }), ({ y, m, d }, n) => {
        const iso = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        const out = addMonths(iso, n);
        expect(out >= iso).toBe(true);
        expect(out.slice(8)).toBe(iso.slice(8)); // days 1–28 always exist
        expect(Number.isNaN(Date.parse(`${out}T00:00:00Z`))).toBe(false);
      }),
    );
  });

  it('refuses a date that is not on the calendar', () => {
    expect(() => addMonths('2026-02-30', 1)).toThrow(RangeError);
    expect(() => addMonths('2026/02/01', 1)).toThrow(RangeError);
  });
});

describe('penalty publicity by class (NDRC-36, decisions from 2026-04-01)', () => {
  it.each([
    ['MINOR', '2026-04-01', '2026-07-01'],
    ['GENERAL', '2026-04-01', '2027-04-01'],
    ['SERIOUS', '2026-04-01', '2029-04-01'],
    ['MINOR', '2026-05-31', '2026-08-31'],
    ['MINOR', '2026-11-30', '2027-02-28'],
    ['MINOR', '2027-11-30', '2028-02-29'],
    ['GENERAL', '2027-02-28', '2028-02-28'],
    ['SERIOUS', '2027-02-28', '2030-02-28'],
    ['GENERAL', '2028-02-29', '2029-02-28'],
    ['SERIOUS', '2028-02-29', '2031-02-28'],
  ] as const)('%s decided %s is shown until %s', (severity, decisionDate, until) => {
    expect(publicityUntil({ decisionDate }, penalty(severity))).toEqual({ ok: true, until, basis: `NDRC-36 ${severity}` });
  });

  it('takes the general period for a penalty item that names no class', () => {
    expect(publicityUntil({ decisionDate: '2026-06-10' }, penalty())).toMatchObject({ ok: true, until: '2027-06-10' });
  });

  it('lets an explicit publicityUntil (公示截止期) win over the rule', () => {
    expect(publicityUntil({ decisionDate: '2026-06-10', publicityUntil: '2026-07-01' }, penalty('SERIOUS'))).toEqual({
      ok: true,
      until: '2026-07-01',
      basis: 'publicityUntil',
    });
    expect(publicityUntil({ publicityUntil: '2027-01-01' }, penalty('GENERAL'))).toMatchObject({ ok: true, until: '2027-01-01' });
  });

  it('falls back to the rule when publicityUntil is not a calendar date', () => {
    expect(publicityUntil({ decisionDate: '2026-06-10', publicityUntil: '2026-02-30' }, penalty('GENERAL'))).toMatchObject({ until: '2027-06-10' });
    expect(publicityUntil({ decisionDate: '2026-06-10', publicityUntil: '' }, penalty('GENERAL'))).toMatchObject({ until: '2027-06-10' });
  });

  it('is not public without a usable decision date', () => {
    expect(publicityUntil({}, penalty('GENERAL'))).toMatchObject({ ok: false });
    expect(publicityUntil({ decisionDate: '2026-02-30' }, penalty('GENERAL'))).toMatchObject({ ok: false });
    expect(publicityUntil({ decisionDate: 20260601 }, penalty('GENERAL'))).toMatchObject({ ok: false });
  });
});

describe('the rule table is keyed by decision date', () => {
  it('picks the scheme in force on the decision date, boundaries inclusive', () => {
    expect(penaltyRuleFor('2019-06-01')?.scheme).toBe('NDRC-527');
    expect(penaltyRuleFor('2023-04-30')?.scheme).toBe('NDRC-527');
    expect(penaltyRuleFor('2023-05-01')?.scheme).toBe('NDRC-58');
    expect(penaltyRuleFor('2026-03-31')?.scheme).toBe('NDRC-58');
    expect(penaltyRuleFor('2026-04-01')?.scheme).toBe('NDRC-36');
  });

  it('lets older decisions follow older rules', () => {
    // NDRC-58: at most 3 years whatever the class
    expect(publicityUntil({ decisionDate: '2026-03-31' }, penalty('MINOR'))).toEqual({ ok: true, until: '2029-03-31', basis: 'NDRC-58 MINOR' });
    // the day after, NDRC-36: a minor penalty for 3 months
    expect(publicityUntil({ decisionDate: '2026-04-01' }, penalty('MINOR'))).toMatchObject({ until: '2026-07-01' });
    // NDRC-527: general 1 year, serious 3 years
    expect(publicityUntil({ decisionDate: '2022-11-26' }, penalty('GENERAL'))).toEqual({ ok: true, until: '2023-11-26', basis: 'NDRC-527 GENERAL' });
    expect(publicityUntil({ decisionDate: '2020-02-29' }, penalty('SERIOUS'))).toMatchObject({ until: '2023-02-28' });
  });

  it('honours a policy passed in, and reports a decision no scheme covers', () => {
    const policy: PublicityPolicy = {
      penalty: [{ scheme: 'TEST', from: '2020-01-01', months: { MINOR: 1, GENERAL: 2, SERIOUS: 6 } }],
      defaultSeverity: 'SERIOUS',
    };
    expect(publicityUntil({ decisionDate: '2021-08-31' }, penalty(), policy)).toEqual({ ok: true, until: '2022-02-28', basis: 'TEST SERIOUS' });
    expect(publicityUntil({ decisionDate: '2019-12-31' }, penalty('MINOR'), policy)).toMatchObject({ ok: false });
  });

  it('lists its schemes in ascending order', () => {
    const froms = PUBLICITY_POLICY.penalty.map((r) => r.from);
    expect([...froms].sort()).toEqual(froms);
  });
});

describe('licences', () => {
  it('are shown until validTo, inclusive', () => {
    expect(publicityUntil({ decisionDate: '2026-01-05', validFrom: '2026-01-05', validTo: '2031-01-04' }, licensing)).toEqual({
      ok: true,
      until: '2031-01-04',
      basis: 'validTo',
    });
    expect(publicityUntil({ validTo: '2028-02-29' }, licensing)).toMatchObject({ until: '2028-02-29' });
  });

  it('are open-ended without validTo', () => {
    expect(publicityUntil({ decisionDate: '2026-01-05' }, licensing)).toEqual({ ok: true, until: null, basis: 'no validTo' });
    expect(publicityUntil({ decisionDate: '2026-01-05', validTo: '' }, licensing)).toMatchObject({ ok: true, until: null });
  });

  it('are not public when validTo is not a date', () => {
    expect(publicityUntil({ validTo: '2026-13-01' }, licensing)).toMatchObject({ ok: false });
  });
});

describe('records outside double publicity', () => {
  it('have no publicity period', () => {
    expect(publicityUntil({ decisionDate: '2026-06-01' }, { publicity: null })).toMatchObject({ ok: false });
    expect(publicityUntil({ decisionDate: '2026-06-01' }, {})).toMatchObject({ ok: false });
  });
});

describe('isShownOn', () => {
  it('shows a record through its last day and not after', () => {
    expect(isShownOn('2026-11-26', '2026-11-26')).toBe(true);
    expect(isShownOn('2026-11-26', '2026-11-27')).toBe(false);
    expect(isShownOn(OPEN_ENDED, '2099-01-01')).toBe(true);
    expect(isShownOn(undefined, '2026-01-01')).toBe(false);
  });
});

describe('index attributes', () => {
  it('key the record by type and the first character of the name', () => {
    expect(publicityAttributes(penalty('GENERAL'), '上海申城科技有限公司', 'rid1', { decisionDate: '2026-06-10' })).toEqual({
      pubpk: 'PUB#PENALTY#上',
      pubsk: '上海申城科技有限公司#rid1',
      publicUntil: '2027-06-10',
    });
    expect(publicityAttributes(licensing, 'Acme', 'rid2', {})).toEqual({ pubpk: 'PUB#LICENSING#A', pubsk: 'Acme#rid2', publicUntil: OPEN_ENDED });
  });

  it('keep a supplementary-plane first character whole, on both the write and the search side', () => {
    const name = '𠀋記貿易有限公司';
    expect(publicityAttributes(licensing, name, 'r', {})?.pubpk).toBe('PUB#LICENSING#𠀋');
    expect(publicityPartition('LICENSING', '𠀋記')).toBe('PUB#LICENSING#𠀋');
  });

  it('are absent when the record is not shown publicly', () => {
    expect(publicityAttributes({ publicity: null }, 'X公司', 'r', { decisionDate: '2026-06-10' })).toBeUndefined();
    expect(publicityAttributes(penalty('GENERAL'), 'X公司', 'r', {})).toBeUndefined();
    expect(publicityAttributes(penalty('GENERAL'), '', 'r', { decisionDate: '2026-06-10' })).toBeUndefined();
  });
});
