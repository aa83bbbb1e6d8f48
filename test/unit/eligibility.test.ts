import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { indexCatalog, type Catalog } from '#core/catalog';
import { evaluateEligibility, eventDate, lookbackStart, uncheckedItems, type EligibilityRecord } from '#core/eligibility';

const catalog = JSON.parse(readFileSync(join(import.meta.dirname, '../../local/seed/demo-catalog.json'), 'utf8')) as Catalog;
const index = indexCatalog(catalog);
const itemOf = (code: string) => index.item(code);
const nev = catalog.ruleSets!.find((r) => r.code === 'NEV_PURCHASE')!;
const TODAY = '2026-11-26';

let n = 0;
function rec(item: string, fields: Record<string, unknown>, over: Partial<EligibilityRecord> = {}): EligibilityRecord {
  const i = itemOf(item)!;
  return {
    recordId: `r${++n}`,
    item,
    provider: i.provider,
    status: 'ACTIVE',
    fields,
    recordClass: i.recordClass,
    polarity: i.polarity,
    severity: i.severity,
    disclosure: i.disclosure,
    receivedAt: '2026-01-10T08:00:00.000Z',
    ...over,
  };
}

describe('evaluateEligibility', () => {
  it('passes a subject without records', () => {
    expect(evaluateEligibility(nev, [], itemOf, TODAY)).toEqual({ eligible: true, reasons: [] });
  });

  it('fails on a record of a listed item, naming the item and record', () => {
    const r = rec('PSB-DRUNK-DRIVING', { decisionNo: '沪公交罚〔2025〕1号', decisionDate: '2025-03-01' });
    expect(evaluateEligibility(nev, [r], itemOf, TODAY)).toEqual({
      eligible: false,
      reasons: [{ item: 'PSB-DRUNK-DRIVING', recordId: r.recordId, date: '2025-03-01' }],
    });
  });

  it('ignores items the rule set does not list, and positive items', () => {
    const r = rec('VOLUNTEER-SERVICE', { recordNo: 'V1', certifiedDate: '2026-01-01' });
    expect(evaluateEligibility(nev, [r], itemOf, TODAY).eligible).toBe(true);
  });

  it.each([
    ['withdrawn', rec('PSB-DRUNK-DRIVING', { decisionDate: '2025-03-01' }, { status: 'WITHDRAWN' })],
    // the item's query period (5 years from decisionDate) has passed
    ['past its query period', rec('PSB-DRUNK-DRIVING', { decisionDate: '2021-11-25' })],
    // fare evasion: 3-year query period from occurredDate
    ['past a shorter query period', rec('TRANSPORT-FARE-EVASION', { occurredDate: '2023-11-01' })],
  ])('never counts a record that is not servable: %s', (_label, r) => {
    // no look-back limit: only servability can exclude the record
    expect(evaluateEligibility({ ...nev, lookbackYears: undefined }, [r], itemOf, TODAY).eligible).toBe(true);
  });

  it('counts only records inside the look-back window, measured on the event date', () => {
    const oneYear = { ...nev, lookbackYears: 1 };
    const recent = rec('PSB-DRUNK-DRIVING', { decisionDate: '2025-11-26' });
    const older = rec('PSB-DRUNK-DRIVING', { decisionDate: '2025-11-25' });
    expect(evaluateEligibility(oneYear, [older], itemOf, TODAY).eligible).toBe(true);
    expect(evaluateEligibility(oneYear, [recent, older], itemOf, TODAY).reasons.map((x) => x.recordId)).toEqual([recent.recordId]);
    // without lookbackYears only the query period limits
    expect(evaluateEligibility({ ...nev, lookbackYears: undefined }, [older], itemOf, TODAY).eligible).toBe(false);
  });

  it('respects what the caller may see', () => {
    const gov = rec('PSB-DRUNK-DRIVING', { decisionDate: '2025-03-01' });
    const authorised = rec('HRSS-SI-ARREARS', { determinedDate: '2025-03-01' });
    const onlyGovShare = ({ disclosure }: { disclosure: string }) => disclosure !== 'AUTHORIZED_QUERY';
    const out = evaluateEligibility(nev, [gov, authorised], itemOf, TODAY, onlyGovShare);
    expect(out.reasons.map((x) => x.recordId)).toEqual([gov.recordId]);
    expect(uncheckedItems(nev, itemOf, onlyGovShare)).toEqual(['HRSS-SI-ARREARS', 'TAX-PERSONAL-ARREARS', 'TRANSPORT-FARE-EVASION']);
  });

  it('lists reasons newest first', () => {
    const a = rec('PSB-DRUNK-DRIVING', { decisionDate: '2024-01-01' });
    const b = rec('COURT-DISHONEST-DEBTOR', { publishedDate: '2026-02-01' });
    expect(evaluateEligibility(nev, [a, b], itemOf, TODAY).reasons.map((x) => x.item)).toEqual(['COURT-DISHONEST-DEBTOR', 'PSB-DRUNK-DRIVING']);
  });
});

describe('eventDate and lookbackStart', () => {
  it("dates a record by the item's queryPeriodFrom field, then decisionDate, then receivedAt", () => {
    expect(eventDate({ fields: { determinedDate: '2024-05-06' }, receivedAt: '2026-01-01T00:00:00Z' }, itemOf('HRSS-SI-ARREARS'))).toBe('2024-05-06');
    expect(eventDate({ fields: { decisionDate: '2023-02-03' }, receivedAt: '2026-01-01T00:00:00Z' }, undefined)).toBe('2023-02-03');
    expect(eventDate({ fields: { decisionDate: 'not a date' }, receivedAt: '2026-01-01T00:00:00Z' }, undefined)).toBe('2026-01-01');
  });

  it('handles 29 February', () => {
    expect(lookbackStart('2028-02-29', 1)).toBe('2027-02-28');
    expect(lookbackStart('2028-02-29', 4)).toBe('2024-02-29');
    expect(lookbackStart('2026-11-26', 5)).toBe('2021-11-26');
  });
});
