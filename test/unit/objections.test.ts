/**
 * The objection state machine (core/objections): every transition, every refusal, every deadline,
 * on fixed instants across the 2025 National Day and 2026 Spring Festival holidays.
 */
import { describe, expect, it } from 'vitest';
import {
  LISTING_KEY_SHAPE,
  cutPage,
  listingPlan,
  assignRemit,
  decide,
  isOverdue as isOverdueOn,
  pendingDeadline as pendingDeadlineOn,
  receive,
  steps as stepsOn,
  ObjectionRuleError,
  type Actor,
  type Objection,
} from '#core/objections';
import {
  objectionIncrement as objectionIncrementOn,
  objectionStats,
  openOverdueRows as openOverdueRowsOn,
  recordRightIncrement,
  type CounterRow,
} from '#core/stats';
import { seededCalendar } from '#core/work-calendar';

// the seeded (chinese-days) arrangements: 2025 and 2026, the years these tests use, are official
const cal = seededCalendar();
const steps = (o: Objection, now: string) => stepsOn(o, now, cal);
const pendingDeadline = (o: Objection) => pendingDeadlineOn(o, cal);
const isOverdue = (o: Objection, now: string) => isOverdueOn(o, now, cal);
const objectionIncrement = (o: Objection, now: string) => objectionIncrementOn(o, now, cal);
const openOverdueRows = (open: readonly Objection[], now: string) => openOverdueRowsOn(open, now, cal);

const subject: Actor = { role: 'subject', sub: 's-1' };
const admin: Actor = { role: 'admin', sub: 'a-1' };
const amr: Actor = { role: 'provider', unit: 'SH-AMR', sub: 'p-1' };
const tax: Actor = { role: 'provider', unit: 'SH-TAX', sub: 'p-2' };

/** End of a Shanghai working day, as an ISO instant. */
const endOf = (day: string) => new Date(Date.parse(`${day}T23:59:59.999+08:00`)).toISOString();

function received(at: string, by: Actor = subject): Objection {
  return receive(
    {
      objectionId: 'o-1',
      recordId: 'r-1',
      provider: 'SH-AMR',
      item: 'AMR-PENALTY',
      subjectType: 'LEGAL',
      subjectKey: '91310000631696382C',
      subjectLabel: '91310000631696382C',
      reason: 'the fine was paid',
      evidence: [],
      by,
    },
    at,
  );
}

function refusal(fn: () => unknown): { kind: string; code: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof ObjectionRuleError) return { kind: err.kind, code: err.code };
    throw err;
  }
  throw new Error('expected a refusal');
}

// Tue 30 Sep 2025, 10:00 in Shanghai; 1–8 Oct are off, Sat 11 Oct is a make-up working day
const RECEIPT = '2025-09-30T02:00:00.000Z';

describe('receiving an objection', () => {
  it('marks the record at once and sets the mark and remit deadlines in working days', () => {
    const o = received(RECEIPT);
    expect(o).toMatchObject({ status: 'RECEIVED', channel: 'ONLINE', remit: null, markedAt: RECEIPT });
    expect(o.history.map((e) => e.action)).toEqual(['SUBMITTED', 'MARKED']);
    const [mark, remit, decision] = steps(o, RECEIPT);
    expect(mark).toMatchObject({ step: 'MARK', deadline: endOf('2025-10-09'), doneAt: RECEIPT, by: subject, overdue: false });
    expect(remit).toMatchObject({ step: 'REMIT', deadline: endOf('2025-10-10'), doneAt: null, overdue: false });
    expect(decision).toMatchObject({ step: 'DECISION', deadline: null, doneAt: null, overdue: false });
    expect(pendingDeadline(o)).toBe(endOf('2025-10-10'));
  });

  it('counts from the Shanghai day of receipt, even when it is a holiday there', () => {
    // 1 Oct 01:00 in Shanghai is still 30 Sep in UTC
    const o = received('2025-09-30T17:00:00.000Z');
    expect(steps(o, o.receivedAt)[0]!.deadline).toBe(endOf('2025-10-09'));
    expect(pendingDeadline(o)).toBe(endOf('2025-10-10'));
  });

  it('records an admin at a service window as the WINDOW channel', () => {
    expect(received(RECEIPT, admin).channel).toBe('WINDOW');
  });
});

describe('remit', () => {
  it('PLATFORM keeps it for review, due 5 working days after receipt', () => {
    const o = assignRemit(received(RECEIPT), 'PLATFORM', admin, '2025-10-09T01:00:00.000Z');
    expect(o).toMatchObject({ status: 'UNDER_REVIEW', remit: 'PLATFORM', forwardedAt: null, remitAt: '2025-10-09T01:00:00.000Z' });
    expect(o.history.at(-1)).toMatchObject({ action: 'KEPT', by: admin });
    expect(pendingDeadline(o)).toBe(endOf('2025-10-14')); // 9, 10, 11 (Sat), 13, 14
  });

  it('PROVIDER forwards it; the provider has 5 working days from the forward', () => {
    const o = assignRemit(received(RECEIPT), 'PROVIDER', admin, '2025-10-10T03:00:00.000Z');
    expect(o).toMatchObject({ status: 'FORWARDED', remit: 'PROVIDER', forwardedAt: '2025-10-10T03:00:00.000Z' });
    expect(pendingDeadline(o)).toBe(endOf('2025-10-16')); // 11 (Sat), 13, 14, 15, 16
    expect(steps(o, '2025-10-10T03:00:00.000Z')[1]).toMatchObject({ overdue: false, by: admin });
  });

  it('a forward after 2 working days is late, and stays flagged late', () => {
    const at = '2025-10-11T01:00:00.000Z'; // the make-up Saturday: the third working day
    expect(isOverdue(received(RECEIPT), at)).toBe(true);
    const o = assignRemit(received(RECEIPT), 'PROVIDER', admin, at);
    expect(steps(o, at)[1]).toMatchObject({ step: 'REMIT', overdue: true });
  });

  it("is the admin's step alone, and only once", () => {
    expect(refusal(() => assignRemit(received(RECEIPT), 'PROVIDER', amr, RECEIPT))).toEqual({ kind: 'forbidden', code: 'NOT_YOUR_STEP' });
    expect(refusal(() => assignRemit(received(RECEIPT), 'PROVIDER', subject, RECEIPT))).toEqual({ kind: 'forbidden', code: 'NOT_YOUR_STEP' });
    const kept = assignRemit(received(RECEIPT), 'PLATFORM', admin, RECEIPT);
    expect(refusal(() => assignRemit(kept, 'PROVIDER', admin, RECEIPT))).toEqual({ kind: 'conflict', code: 'REMIT_ALREADY_DECIDED' });
  });
});

describe('decisions', () => {
  const kept = () => assignRemit(received(RECEIPT), 'PLATFORM', admin, '2025-10-09T01:00:00.000Z');
  const forwarded = () => assignRemit(received(RECEIPT), 'PROVIDER', admin, '2025-10-09T01:00:00.000Z');

  it.each(['CORRECTED', 'DELETED', 'UPHELD'] as const)('the platform decides %s on its own remit', (outcome) => {
    const at = '2025-10-13T08:00:00.000Z';
    const o = decide(kept(), { outcome, reasons: 'checked against the decision' }, admin, at);
    expect(o).toMatchObject({ status: outcome, decidedAt: at, outcome: { decision: outcome, reasons: 'checked against the decision' } });
    expect(o.history.map((e) => e.action)).toEqual(['SUBMITTED', 'MARKED', 'KEPT', 'DECIDED']);
    expect(steps(o, at)[2]).toMatchObject({ step: 'DECISION', deadline: endOf('2025-10-14'), doneAt: at, by: admin, overdue: false });
    expect(pendingDeadline(o)).toBeNull();
    expect(isOverdue(o, '2030-01-01T00:00:00.000Z')).toBe(false);
  });

  it.each(['CORRECTED', 'DELETED', 'UPHELD'] as const)('the provider decides %s on a forwarded objection', (outcome) => {
    const o = decide(forwarded(), { outcome, reasons: 'r', changes: outcome === 'CORRECTED' ? { fineWan: 1 } : undefined }, amr, '2025-10-15T02:00:00.000Z');
    expect(o.status).toBe(outcome);
    expect(o.history.at(-1)).toMatchObject({ action: 'DECIDED', by: amr });
  });

  it('a decision after the deadline is flagged overdue; a pending one turns overdue after it', () => {
    const late = decide(kept(), { outcome: 'UPHELD', reasons: 'r' }, admin, '2025-10-15T01:00:00.000Z');
    expect(steps(late, late.decidedAt!)[2]!.overdue).toBe(true);
    expect(isOverdue(kept(), endOf('2025-10-14'))).toBe(false);
    expect(isOverdue(kept(), '2025-10-14T16:00:00.000Z')).toBe(true);
    expect(isOverdue(forwarded(), endOf('2025-10-15'))).toBe(false); // forwarded 9 Oct: 10, 11, 13, 14, 15
    expect(isOverdue(forwarded(), '2025-10-15T16:00:00.000Z')).toBe(true);
  });

  it('refuses the wrong party, decisions before the remit, and anything after closing', () => {
    expect(refusal(() => decide(received(RECEIPT), { outcome: 'UPHELD', reasons: 'r' }, admin, RECEIPT))).toEqual({
      kind: 'conflict',
      code: 'REMIT_NOT_DECIDED',
    });
    expect(refusal(() => decide(kept(), { outcome: 'UPHELD', reasons: 'r' }, amr, RECEIPT))).toEqual({ kind: 'forbidden', code: 'NOT_YOUR_STEP' });
    expect(refusal(() => decide(forwarded(), { outcome: 'UPHELD', reasons: 'r' }, admin, RECEIPT))).toEqual({ kind: 'forbidden', code: 'NOT_YOUR_STEP' });
    expect(refusal(() => decide(forwarded(), { outcome: 'UPHELD', reasons: 'r' }, tax, RECEIPT))).toEqual({ kind: 'forbidden', code: 'NOT_YOUR_STEP' });
    expect(refusal(() => decide(forwarded(), { outcome: 'UPHELD', reasons: 'r' }, subject, RECEIPT))).toEqual({ kind: 'forbidden', code: 'NOT_YOUR_STEP' });
    const closed = decide(forwarded(), { outcome: 'DELETED', reasons: 'r' }, amr, RECEIPT);
    expect(refusal(() => decide(closed, { outcome: 'UPHELD', reasons: 'r' }, amr, RECEIPT))).toEqual({ kind: 'conflict', code: 'OBJECTION_CLOSED' });
    expect(refusal(() => assignRemit(closed, 'PLATFORM', admin, RECEIPT))).toEqual({ kind: 'conflict', code: 'OBJECTION_CLOSED' });
  });
});

describe('deadlines across the 2026 Spring Festival', () => {
  // Fri 13 Feb 2026; Sat 14 Feb is a make-up working day, 15–23 Feb are off
  const at = '2026-02-13T01:00:00.000Z';

  it('mark, remit and both decision deadlines', () => {
    const o = received(at);
    expect(steps(o, at).map((s) => s.deadline)).toEqual([endOf('2026-02-14'), endOf('2026-02-24'), null]);
    expect(pendingDeadline(assignRemit(o, 'PLATFORM', admin, at))).toBe(endOf('2026-02-27')); // 14, 24, 25, 26, 27
    expect(pendingDeadline(assignRemit(o, 'PROVIDER', admin, '2026-02-24T01:00:00.000Z'))).toBe(endOf('2026-03-02')); // 25, 26, 27, 28 (Sat), 2 Mar
  });
});

describe('statistics from counters', () => {
  /** Counter rows as the stats table holds them after these increments (same row: counters added). */
  function rowsOf(incs: Array<{ bucket: string; key: string; attrs: Record<string, string>; counts: Record<string, number> }>): CounterRow[] {
    const rows = new Map<string, CounterRow>();
    for (const inc of incs) {
      const r = rows.get(`${inc.bucket}#${inc.key}`) ?? { bucket: inc.bucket, key: inc.key, attrs: inc.attrs, counts: {}, sets: {} };
      for (const [k, v] of Object.entries(inc.counts)) r.counts[k] = (r.counts[k] ?? 0) + v;
      rows.set(`${inc.bucket}#${inc.key}`, r);
    }
    return [...rows.values()];
  }

  it('counts applications, completed, annotated, subject types, outcomes and overdue per year of receipt', () => {
    const now = '2026-03-02T02:00:00.000Z';
    const a = received('2025-12-31T16:30:00.000Z'); // 1 Jan 2026 in Shanghai, still open and past its remit deadline
    const bOpen = assignRemit(received(RECEIPT), 'PLATFORM', admin, RECEIPT);
    const b = decide(bOpen, { outcome: 'CORRECTED', reasons: 'r' }, admin, RECEIPT);
    const c = { ...received('2026-03-02T01:00:00.000Z'), subjectType: 'NATURAL' as const };
    const late = decide(assignRemit(received(RECEIPT), 'PLATFORM', admin, RECEIPT), { outcome: 'UPHELD', reasons: 'r' }, admin, '2025-11-30T02:00:00.000Z');
    const incs = [objectionIncrement(a, now), objectionIncrement(received(RECEIPT), RECEIPT), objectionIncrement(b, RECEIPT), objectionIncrement(c, now)];
    incs.push(objectionIncrement(received(RECEIPT), RECEIPT), objectionIncrement(late, late.decidedAt!));
    expect(incs.map((i) => i.once)).toContain(`${b.objectionId}:completed`);
    const stats = objectionStats([...rowsOf(incs), ...openOverdueRows([a, c, b], now)], undefined);
    expect(stats.years).toEqual([
      {
        year: '2025',
        applications: 2,
        completed: 2,
        annotated: 2,
        bySubjectType: { LEGAL: 2, NATURAL: 0 },
        byOutcome: { CORRECTED: 1, DELETED: 0, UPHELD: 1 },
        overdue: 1,
      },
      {
        year: '2026',
        applications: 2,
        completed: 0,
        annotated: 2,
        bySubjectType: { LEGAL: 1, NATURAL: 1 },
        byOutcome: { CORRECTED: 0, DELETED: 0, UPHELD: 0 },
        overdue: 1,
      },
    ]);
    expect(stats.total).toEqual({ applications: 4, completed: 2, annotated: 4, overdue: 2 });
    expect(stats.bySubjectType).toEqual([
      { subjectType: 'LEGAL', applications: 3, completed: 2, annotated: 3 },
      { subjectType: 'NATURAL', applications: 1, completed: 0, annotated: 1 },
    ]);
  });

  it('counts repairs and revocations per provider and subject type, once per record', () => {
    const e = { recordId: 'R1', provider: 'SH-AMR', item: 'AMR-PENALTY', subjectType: 'LEGAL' as const, at: '2026-01-31T17:00:00.000Z' };
    const repaired = recordRightIncrement({ ...e, action: 'repaired' });
    expect(repaired).toMatchObject({ bucket: '2026-02', once: 'R1:repaired', counts: { repaired: 1 } });
    const stats = objectionStats(
      rowsOf([
        repaired,
        recordRightIncrement({ ...e, recordId: 'R2', action: 'revoked' }),
        recordRightIncrement({ ...e, provider: 'SH-HRSS', subjectType: 'NATURAL', action: 'repaired' }),
      ]),
      undefined,
    );
    expect(stats.repairs).toEqual({
      repaired: 2,
      revoked: 1,
      bySubjectType: [
        { subjectType: 'LEGAL', repaired: 1, revoked: 1 },
        { subjectType: 'NATURAL', repaired: 1, revoked: 0 },
      ],
      byProvider: [
        { provider: 'SH-AMR', name: 'SH-AMR', repaired: 1, revoked: 1 },
        { provider: 'SH-HRSS', name: 'SH-HRSS', repaired: 1, revoked: 0 },
      ],
    });
    expect(stats.years).toEqual([]);
  });
});

describe('listing pages', () => {
  const key = (i: number) => `2026-03-${String(1 + (i % 5)).padStart(2, '0')}T08:00:00.000Z#00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  const keys = Array.from({ length: 23 }, (_, i) => key(i))
    .sort()
    .reverse();

  /** A Query of limit + 1 entries after `after`, as DynamoDB answers it (newest first, filter after the limit). */
  const query = (limit: number, after: string | undefined, keep: (k: string) => boolean = () => true) => {
    const rest = after === undefined ? keys : keys.filter((k) => k < after);
    const examined = rest.slice(0, limit + 1);
    return cutPage(examined.filter(keep), (k) => k, limit, rest.length > limit ? examined[examined.length - 1] : undefined);
  };

  it('walks every objection exactly once, newest first, ties broken by id, with no empty last page', () => {
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const { page, next } = query(5, after);
      seen.push(...page);
      after = next;
      pages++;
    } while (after);
    expect(pages).toBe(5);
    expect(seen).toEqual(keys);
    expect(query(20, query(20, undefined).next).next).toBeUndefined();
    expect(query(23, undefined).next).toBeUndefined();
    expect(query(22, undefined).next).toMatch(LISTING_KEY_SHAPE);
  });

  it('a filtered page may be short but continues after the last entry examined, missing none', () => {
    const even = (k: string) => Number(k.slice(-12)) % 2 === 0;
    const seen: string[] = [];
    let after: string | undefined;
    do {
      const { page, next } = query(4, after, even);
      expect(page.length).toBeLessThanOrEqual(4);
      seen.push(...page);
      after = next;
    } while (after);
    expect(seen).toEqual(keys.filter(even));
    expect(LISTING_KEY_SHAPE.test('2026-03-01T08:00:00.000Z#../../etc')).toBe(false);
  });

  it('reads one index partition for each caller, the rest as filters', () => {
    expect(listingPlan({ role: 'admin' }, {})).toEqual({ source: { index: 'all' }, filter: {} });
    expect(listingPlan({ role: 'admin' }, { status: 'FORWARDED', overdue: true, provider: 'SH-AMR' })).toEqual({
      source: { index: 'status', status: 'FORWARDED' },
      filter: { overdue: true, provider: 'SH-AMR' },
    });
    expect(listingPlan({ role: 'admin' }, { overdue: true })).toEqual({ source: { index: 'overdue' }, filter: {} });
    expect(listingPlan({ role: 'admin' }, { overdue: false })).toEqual({ source: { index: 'all' }, filter: { overdue: false } });
    expect(listingPlan({ role: 'provider', unit: 'SH-AMR' }, { status: 'FORWARDED' })).toEqual({
      source: { index: 'provider', provider: 'SH-AMR' },
      filter: { status: 'FORWARDED' },
    });
    expect(listingPlan({ role: 'subject', subjectType: 'LEGAL', subjectKey: 'K' }, { overdue: true }).source).toEqual({
      index: 'subject',
      subjectType: 'LEGAL',
      subjectKey: 'K',
    });
  });
});
