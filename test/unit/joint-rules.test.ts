import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { indexCatalog, parseCatalog, type Catalog } from '#core/catalog';
import { seededCalendar } from '#core/work-calendar';

// the seeded (chinese-days) arrangements: the notice periods these tests count fall in official years
const cal = seededCalendar();
import {
  advanceEntry,
  bindingMeasures,
  decideEntryObjection,
  feedbackProblem,
  listsByRule,
  meetsTrigger,
  nextDueAt,
  notifyEntry,
  objectToEntry,
  shownBehaviours,
  type JointRecord,
  type ListEntry,
} from '../../functions/joint/rules.ts';

const catalog: Catalog = (() => {
  const r = parseCatalog(JSON.parse(readFileSync(new URL('../../local/seed/demo-catalog.json', import.meta.url), 'utf8')));
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.catalog;
})();
const index = indexCatalog(catalog);
const behaviours = catalog.behaviours ?? [];
const measures = catalog.measures ?? [];
const list = (code: string) => index.creditList(code)!;

let n = 0;
function rec(item: string, fields: Record<string, unknown>, over: Partial<JointRecord> = {}): JointRecord {
  const i = index.item(item)!;
  return {
    recordId: `r${++n}`,
    item,
    provider: i.provider,
    status: 'ACTIVE',
    fields,
    recordClass: i.recordClass,
    polarity: i.polarity,
    receivedAt: '2026-03-01T02:00:00.000Z',
    ...over,
  };
}

const TODAY = '2026-06-01';

describe('trigger conditions', () => {
  const major = index.behaviour('B-TAX-MAJOR-ARREARS')!;
  const aGrade = index.behaviour('B-A-TAXPAYER')!;
  const star = index.behaviour('B-STAR-VOLUNTEER')!;

  it('compares numbers as numbers, on either side of the bound', () => {
    expect(meetsTrigger(rec('TAX-ARREARS', { arrearsWan: 100, noticeDate: '2026-01-05' }), major)).toBe(true);
    expect(meetsTrigger(rec('TAX-ARREARS', { arrearsWan: '250.5', noticeDate: '2026-01-05' }), major)).toBe(true);
    expect(meetsTrigger(rec('TAX-ARREARS', { arrearsWan: 99.99, noticeDate: '2026-01-05' }), major)).toBe(false);
    expect(meetsTrigger(rec('TAX-ARREARS', { noticeDate: '2026-01-05' }), major)).toBe(false); // no value: not met
    expect(meetsTrigger(rec('TAX-ARREARS', { arrearsWan: 'abc' }), major)).toBe(false);
  });

  it('matches `in` on enums and on any element of a set, and only the trigger items', () => {
    expect(meetsTrigger(rec('TAX-A-GRADE', { grade: 'A', ratingYear: 2025 }), aGrade)).toBe(true);
    expect(meetsTrigger(rec('VOLUNTEER-SERVICE', { starLevel: '五星' }), star)).toBe(true);
    expect(meetsTrigger(rec('VOLUNTEER-SERVICE', { starLevel: '三星' }), star)).toBe(false);
    expect(meetsTrigger(rec('VOLUNTEER-SERVICE', { starLevel: ['一星', '四星'] }), star)).toBe(true);
    expect(meetsTrigger(rec('TAX-ARREARS', { grade: 'A' }), aGrade)).toBe(false);
  });

  it('compares dates as dates (gte/lte on YYYY-MM-DD)', () => {
    const b = { ...major, trigger: { items: ['TAX-ARREARS'], where: [{ field: 'noticeDate', gte: '2026-01-01', lte: '2026-12-31' }] } };
    expect(meetsTrigger(rec('TAX-ARREARS', { noticeDate: '2026-01-01' }), b)).toBe(true);
    expect(meetsTrigger(rec('TAX-ARREARS', { noticeDate: '2025-12-31' }), b)).toBe(false);
    expect(meetsTrigger(rec('TAX-ARREARS', { noticeDate: '2027-01-01' }), b)).toBe(false);
  });
});

describe('shown behaviours', () => {
  it('only served records count: repaired, revoked, withdrawn or past the query period show nothing', () => {
    const fields = { arrearsWan: 120, noticeDate: '2026-01-05' };
    expect(shownBehaviours([rec('TAX-ARREARS', fields)], behaviours, index, TODAY).map((s) => s.behaviour.code)).toEqual([
      'B-TAX-ARREARS',
      'B-TAX-MAJOR-ARREARS',
    ]);
    for (const status of ['REPAIRED', 'REVOKED', 'WITHDRAWN', 'DELETED', 'EXPIRED']) {
      expect(shownBehaviours([rec('TAX-ARREARS', fields, { status })], behaviours, index, TODAY)).toEqual([]);
    }
    // TAX-ARREARS is served 5 years from noticeDate
    expect(shownBehaviours([rec('TAX-ARREARS', { arrearsWan: 120, noticeDate: '2021-05-31' })], behaviours, index, TODAY)).toEqual([]);
  });

  it("follows the caller's access decision", () => {
    const r = rec('TAX-ARREARS', { arrearsWan: 120, noticeDate: '2026-01-05' });
    expect(shownBehaviours([r], behaviours, index, TODAY, () => false)).toEqual([]);
  });

  it('groups records, keeping the latest date behind a behaviour', () => {
    const shown = shownBehaviours(
      [rec('TAX-ARREARS', { arrearsWan: 1, noticeDate: '2025-02-01' }), rec('TAX-ARREARS', { arrearsWan: 2, noticeDate: '2026-02-01' })],
      behaviours,
      index,
      TODAY,
    );
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ since: '2026-02-01' });
    expect(shown[0]!.records).toHaveLength(2);
  });

  it("Art 28: a company's SERIOUS behaviour extends to its legal representative, GENERAL ones and incentives do not", () => {
    const via = { uscc: '91310000MA1G7N32XG', role: 'LEGAL_REPRESENTATIVE' };
    const shown = shownBehaviours(
      [
        rec('HRSS-WAGE-ARREARS', { listedDate: '2026-02-01' }, { via }),
        rec('TAX-ARREARS', { arrearsWan: 5, noticeDate: '2026-02-01' }, { via }),
        rec('TAX-A-GRADE', { grade: 'A' }, { via }),
      ],
      behaviours,
      index,
      TODAY,
    );
    expect(shown.map((s) => [s.behaviour.code, s.extendedFrom])).toEqual([['B-WAGE-ARREARS', via.uscc]]);
    // and its measures follow the person: SH-DRC may not fund them
    const m = bindingMeasures(measures, { unit: 'SH-DRC', matter: 'FUNDING', shown, listed: [], today: TODAY });
    expect(m.map((x) => x.measure.code)).toEqual(['M-NO-FUNDING']);
    // an extension never puts the person on a list by rule
    expect(listsByRule(catalog.creditLists ?? [], shown)).toEqual([]);
  });
});

describe('measure selection by unit × matter × binding', () => {
  const wage = shownBehaviours([rec('HRSS-WAGE-ARREARS', { listedDate: '2026-02-01' })], behaviours, index, TODAY);
  const codes = (unit: string, matter: any, shown = wage, listed: string[] = [], today = TODAY) =>
    bindingMeasures(measures, { unit, matter, shown, listed, today }).map((m) => `${m.measure.code}:${m.measure.binding}`);

  it('answers only the measures naming this unit and this matter, MANDATORY first', () => {
    expect(codes('SH-DRC', 'GOV_PROCUREMENT')).toEqual(['M-PUBLIC-TRADING-BAN:MANDATORY']);
    expect(codes('SH-DRC', 'FUNDING')).toEqual(['M-NO-FUNDING:MANDATORY']);
    expect(codes('SH-EPB', 'ADMIN_APPROVAL')).toEqual(['M-NO-SIMPLIFIED:MANDATORY']);
    expect(codes('SH-EPB', 'FUNDING')).toEqual([]); // the unit has no measure in that matter
    expect(codes('SH-HOUSING', 'ADMIN_APPROVAL')).toEqual([]); // no measure names the unit there
  });

  it('mixes bindings and sides: the initiating department and an implementing one see different measures', () => {
    const abnormal = shownBehaviours(
      [rec('AMR-ABNORMAL', { listedDate: '2026-01-10' }), rec('AMR-PENALTY', { fineWan: 20, decisionDate: '2026-01-10' })],
      behaviours,
      index,
      TODAY,
    );
    expect(codes('SH-AMR', 'INSPECTION', abnormal)).toEqual(['M-AMR-SPOT-CHECK:MANDATORY', 'M-NO-SIMPLIFIED:MANDATORY']);
    expect(codes('SH-HOUSING', 'INSPECTION', abnormal)).toEqual(['M-KEY-SUPERVISION:RECOMMENDED']);
  });

  it('a measure with `years` ends that many years after the behaviour; list measures last while listed', () => {
    const m = bindingMeasures(measures, { unit: 'SH-DRC', matter: 'FUNDING', shown: wage, listed: [], today: TODAY })[0]!;
    expect(m.until).toBe('2029-02-01');
    expect(codes('SH-DRC', 'FUNDING', wage, [], '2029-02-01')).toEqual([]);
    const listedToo = bindingMeasures(measures, { unit: 'SH-DRC', matter: 'FUNDING', shown: wage, listed: ['L-SERIOUS'], today: TODAY })[0]!;
    expect(listedToo).toMatchObject({ lists: ['L-SERIOUS'], until: null, feedbackRequired: true });
  });

  it('a red list brings its incentives without any behaviour', () => {
    expect(codes('SH-EPB', 'ADMIN_APPROVAL', [], ['L-RED'])).toEqual(['M-GREEN-CHANNEL:RECOMMENDED']);
    expect(codes('SH-EPB', 'ADMIN_APPROVAL', [], [])).toEqual([]);
  });

  it('feedback on a MANDATORY measure not applied needs a reason', () => {
    const mandatory = index.measure('M-NO-FUNDING')!;
    const recommended = index.measure('M-GREEN-CHANNEL')!;
    expect(feedbackProblem(mandatory, false, undefined)).toMatch(/MANDATORY/);
    expect(feedbackProblem(mandatory, false, '  ')).toMatch(/MANDATORY/);
    expect(feedbackProblem(mandatory, false, '申请人已补缴')).toBeNull();
    expect(feedbackProblem(mandatory, true, undefined)).toBeNull();
    expect(feedbackProblem(recommended, false, undefined)).toBeNull();
  });
});

describe('list lifecycle NOTIFIED → LISTED → EXITED on a fake clock with working days', () => {
  const serious = list('L-SERIOUS');
  const shanghai = (local: string) => new Date(`${local}+08:00`).toISOString();
  const fresh = (): ListEntry =>
    notifyEntry(
      serious,
      {
        entryId: 'e1',
        subject: { type: 'LEGAL', key: '91310000MA1G7N32XG', label: '91310000MA1G7N32XG' },
        subjectName: '上海某某建设有限公司',
        by: 'RULE',
        basis: serious.criteria,
        reasons: 'B-WAGE-ARREARS',
        behaviours: ['B-WAGE-ARREARS'],
        records: ['r1'],
      },
      shanghai('2026-09-29T10:00:00'),
      cal,
    );
  const served = { recordsEnded: null };

  it('waits 5 working days across the National Day holiday, then lists for 3 years, then exits', () => {
    const e = fresh();
    // Tue 29 Sep 2026: 30 Sep, (1–7 Oct off), 8, 9, Sat 10 (make-up), 12 Oct
    expect(e.noticeEndsAt).toBe(shanghai('2026-10-12T23:59:59.999'));
    expect(nextDueAt(e)).toBe(shanghai('2026-10-13T00:00:00.000'));
    expect(advanceEntry(e, serious, shanghai('2026-10-07T12:00:00'), served)).toBe(e);
    expect(advanceEntry(e, serious, shanghai('2026-10-12T23:59:59.999'), served)).toBe(e);
    const listed = advanceEntry(e, serious, shanghai('2026-10-13T00:00:00'), served);
    expect(listed).toMatchObject({ status: 'LISTED', listedOn: '2026-10-13', until: '2029-10-13' });
    // a job that runs late still lists from the day after the notice
    expect(advanceEntry(e, serious, shanghai('2026-10-20T03:00:00'), served)).toMatchObject({ listedOn: '2026-10-13' });
    expect(nextDueAt(listed)).toBe(shanghai('2029-10-13T00:00:00.000'));
    expect(advanceEntry(listed, serious, shanghai('2029-10-12T23:59:00'), served)).toBe(listed);
    const exited = advanceEntry(listed, serious, shanghai('2029-10-13T00:00:00'), served);
    expect(exited).toMatchObject({ status: 'EXITED', exitReason: 'EXPIRED', exitedOn: '2029-10-13' });
    expect(exited.history.map((h) => h.status)).toEqual(['NOTIFIED', 'LISTED', 'EXITED']);
    expect(nextDueAt(exited)).toBeNull();
    // idempotent: running again changes nothing
    expect(advanceEntry(exited, serious, shanghai('2030-01-01T00:00:00'), served)).toBe(exited);
  });

  it('repair, revocation or withdrawal of the record behind it exits the entry, listed or not', () => {
    const e = fresh();
    expect(advanceEntry(e, serious, shanghai('2026-09-30T09:00:00'), { recordsEnded: 'REPAIRED' })).toMatchObject({
      status: 'EXITED',
      exitReason: 'RECORD_ENDED',
      exitDetail: 'REPAIRED',
    });
    const listed = advanceEntry(e, serious, shanghai('2026-10-13T09:00:00'), served);
    expect(advanceEntry(listed, serious, shanghai('2027-01-04T09:00:00'), { recordsEnded: 'REVOKED' })).toMatchObject({
      status: 'EXITED',
      exitDetail: 'REVOKED',
    });
  });

  it('a list entered by decision does not follow records', () => {
    const red = list('L-RED');
    const e = notifyEntry(red, { ...fresh(), by: 'DECISION', decidedBy: 'SH-DRC', records: [] }, shanghai('2026-11-02T10:00:00'), cal);
    expect(advanceEntry(e, red, shanghai('2026-11-03T10:00:00'), { recordsEnded: 'NO_RECORDS' }).status).toBe('NOTIFIED');
  });

  it('an objection holds a NOTIFIED entry past its notice; rejected, it lists that day; upheld, it exits', () => {
    const e = fresh();
    const objected = objectToEntry(e, 'o1', shanghai('2026-10-09T10:00:00')) as ListEntry;
    expect(objected.objection?.status).toBe('OPEN');
    expect(objectToEntry(objected, 'o2', shanghai('2026-10-09T11:00:00'))).toEqual({ refused: expect.stringMatching(/already open/) });
    expect(nextDueAt(objected)).toBeNull(); // only the decision moves it
    expect(advanceEntry(objected, serious, shanghai('2026-10-20T10:00:00'), served).status).toBe('NOTIFIED');
    const rejected = decideEntryObjection(objected, false, '事实清楚', shanghai('2026-10-21T10:00:00')) as ListEntry;
    expect(advanceEntry(rejected, serious, shanghai('2026-10-21T10:00:00'), served)).toMatchObject({
      status: 'LISTED',
      listedOn: '2026-10-21',
      until: '2029-10-21',
    });
    const upheld = decideEntryObjection(objected, true, '记录有误', shanghai('2026-10-21T10:00:00')) as ListEntry;
    expect(advanceEntry(upheld, serious, shanghai('2026-10-21T10:00:01'), served)).toMatchObject({
      status: 'EXITED',
      exitReason: 'OBJECTION_UPHELD',
      exitDetail: '记录有误',
    });
    expect(decideEntryObjection(e, true, 'x', shanghai('2026-10-21T10:00:00'))).toEqual({ refused: expect.any(String) });
  });

  it('lists by rule only from the entry behaviours', () => {
    const shown = shownBehaviours([rec('TAX-ARREARS', { arrearsWan: 150, noticeDate: '2026-01-05' })], behaviours, index, TODAY);
    expect(listsByRule(catalog.creditLists ?? [], shown).map((x) => [x.list.code, x.behaviours.map((b) => b.behaviour.code)])).toEqual([
      ['L-SERIOUS', ['B-TAX-MAJOR-ARREARS']],
    ]);
    const minor = shownBehaviours([rec('TAX-ARREARS', { arrearsWan: 15, noticeDate: '2026-01-05' })], behaviours, index, TODAY);
    expect(listsByRule(catalog.creditLists ?? [], minor)).toEqual([]);
  });
});
