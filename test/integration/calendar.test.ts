/**
 * The working-day calendar on the local platform: GET and PUT /v1/calendar/{year}, the daily
 * calendar check, and an open objection whose deadline reaches into 2027 — provisional until the
 * 2027 arrangement is published, then moved (and re-indexed) by the publication. The clock is set
 * to 10 December 2026 and keeps running.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { receive } from '#core/objections';
import { seededCalendar } from '#core/work-calendar';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
const endOf = (day: string) => new Date(Date.parse(`${day}T23:59:59.999+08:00`)).toISOString();
const OBJECTION_ID = '00000000-0000-4000-8000-0000000000c1';

/** A hypothetical 2027 arrangement: New Year 1–4 Jan (so the remit deadline below moves), Spring Festival 5–11 Feb, Sunday 14 Feb worked. */
const official2027 = {
  holidays: [
    '2027-01-01',
    '2027-01-02',
    '2027-01-03',
    '2027-01-04',
    '2027-02-05',
    '2027-02-06',
    '2027-02-07',
    '2027-02-08',
    '2027-02-09',
    '2027-02-10',
    '2027-02-11',
  ],
  workdays: ['2027-02-14'],
};

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
  vi.setSystemTime(new Date('2026-12-10T02:00:00Z'));
  p = await startTestPlatform();
});

afterAll(async () => {
  await p?.stop();
  vi.useRealTimers();
});

describe('GET /v1/calendar/{year}', () => {
  it('answers 2027 as provisional, with New Year and the Spring Festival from 除夕 as holidays', async () => {
    const res = await p.api('GET', '/v1/calendar/2027', { token: await p.as('market') });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ year: 2027, source: 'provisional', workdays: [] });
    expect(res.json.holidays).toEqual(expect.arrayContaining(['2027-01-01', '2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08']));
  });

  it('answers 2026 as official, with its adjusted working days', async () => {
    const res = await p.api('GET', '/v1/calendar/2026', { token: await p.as('provider', 'SH-AMR') });
    expect(res.json).toMatchObject({ year: 2026, source: 'official' });
    expect(res.json.holidays).toContain('2026-02-16');
    expect(res.json.workdays).toContain('2026-02-14');
  });

  it('refuses a year that is not one, and a caller without a token', async () => {
    const bad = await p.api('GET', '/v1/calendar/20x7', { token: await p.as('admin') });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('INVALID_YEAR');
    expect((await p.api('GET', '/v1/calendar/1999', { token: await p.as('admin') })).json.error.code).toBe('INVALID_YEAR');
    expect((await p.api('GET', '/v1/calendar/2027')).status).toBe(401);
  });
});

describe('the daily calendar check', () => {
  it('seeds the years chinese-days knows and reports 2027 missing (it is December)', async () => {
    const first = (await p.invoke('calendarCheck')) as { seeded: number };
    expect(first).toMatchObject({ year: 2027, missing: true });
    expect(first.seeded).toBeGreaterThan(20);
    expect(await p.invoke('calendarCheck')).toMatchObject({ seeded: 0, year: 2027, missing: true }); // seeding twice writes nothing
  });
});

describe('publishing 2027', () => {
  it('an open objection received on 30 Dec 2026 has a provisional remit deadline', async () => {
    const o = receive(
      {
        objectionId: OBJECTION_ID,
        recordId: 'C'.repeat(22),
        provider: 'SH-AMR',
        item: 'AMR-PENALTY',
        subjectType: 'LEGAL',
        subjectKey: 'K',
        subjectLabel: 'K',
        reason: 'x',
        evidence: [],
        by: { role: 'admin', sub: 't' },
      },
      '2026-12-30T02:00:00.000Z',
    );
    // adapters are imported once the platform has set the emulator endpoints
    const { putNewObjection } = await import('#adapters/objection-repo');
    await putNewObjection(o, seededCalendar());
    const res = await p.api('GET', `/v1/objections/${OBJECTION_ID}`, { token: await p.as('admin') });
    expect(res.json.steps[1]).toMatchObject({ step: 'REMIT', deadline: endOf('2027-01-04'), deadlineProvisional: true });
    expect(res.json.steps[0]).toMatchObject({ step: 'MARK', deadlineProvisional: false });
  });

  it('only an admin publishes, and a wrong arrangement is refused with the problem of each date', async () => {
    expect((await p.api('PUT', '/v1/calendar/2027', { token: await p.as('gov'), body: official2027 })).status).toBe(403);
    const bad = await p.api('PUT', '/v1/calendar/2027', {
      token: await p.as('admin'),
      body: { holidays: ['2027-02-29', '2028-01-01', '2027-10-01'], workdays: ['2027-10-01'] },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('INVALID_CALENDAR');
    expect(bad.json.error.details.map((d: { code: string }) => d.code)).toEqual(['INVALID_DATE', 'DATE_OUTSIDE_YEAR', 'HOLIDAY_AND_WORKDAY']);
    const shape = await p.api('PUT', '/v1/calendar/2027', { token: await p.as('admin'), body: { holidays: '2027-01-01' } });
    expect(shape.json.error.code).toBe('VALIDATION_FAILED');
    expect((await p.api('GET', '/v1/calendar/2027', { token: await p.as('admin') })).json.source).toBe('provisional');
  });

  it('publishing makes 2027 official, moves the open deadline it changes (index too), and publishing again moves nothing', async () => {
    const put = await p.api('PUT', '/v1/calendar/2027', { token: await p.as('admin'), body: official2027 });
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({ year: 2027, source: 'official', deadlinesMoved: { objections: 1, exports: 0 } });
    const got = await p.api('GET', '/v1/calendar/2027', { token: await p.as('subject') });
    expect(got.json).toEqual({ year: 2027, source: 'official', ...official2027 });

    const res = await p.api('GET', `/v1/objections/${OBJECTION_ID}`, { token: await p.as('admin') });
    expect(res.json.steps[1]).toMatchObject({ step: 'REMIT', deadline: endOf('2027-01-05'), deadlineProvisional: false }); // 31 Dec, (1–4 Jan off), 5 Jan
    const { openObjections } = await import('#adapters/objection-repo');
    expect((await openObjections(endOf('2027-01-04'))).map((o) => o.objectionId)).not.toContain(OBJECTION_ID);
    expect((await openObjections(endOf('2027-01-05'))).map((o) => o.objectionId)).toContain(OBJECTION_ID);

    const again = await p.api('PUT', '/v1/calendar/2027', { token: await p.as('admin'), body: official2027 });
    expect(again.json.deadlinesMoved).toEqual({ objections: 0, exports: 0 });
    expect(await p.invoke('calendarCheck')).toMatchObject({ seeded: 0, year: 2027, missing: false });
  });
});
