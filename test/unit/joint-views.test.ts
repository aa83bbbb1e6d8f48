/**
 * What the joint routes answer of stored entries and checks (functions/joint/views.ts): the fields
 * their response schemas name and nothing else, the subject by USCC or masked ID number, never by
 * its stored key — whatever else the stored item carries.
 */
import { describe, expect, it } from 'vitest';
import type { StoredCheck } from '#adapters/joint-repo';
import type { ListEntry } from '../../functions/joint/rules.ts';
import { listEntryView, storedJointCheck } from '../../functions/joint/schemas.ts';
import { checkOut, entryFieldsOut, entryOut } from '../../functions/joint/views.ts';

const KEY = 'a3f1c9e0b7d24e6f8a1b2c3d4e5f6a7b'; // a person's keyed hash, as stored
const entry = {
  entryId: 'L-SERIOUS-0123456789abcdef0123',
  list: 'L-SERIOUS',
  subject: { type: 'NATURAL', key: KEY, label: '310***********1234' },
  subjectName: '张三',
  by: 'RULE',
  basis: '《条例》第二十六条',
  reasons: '拖欠工资',
  behaviours: ['B-WAGE-ARREARS'],
  records: ['r-1'],
  status: 'LISTED',
  notifiedAt: '2026-11-02T01:00:00.000Z',
  noticeEndsAt: '2026-11-16T15:59:59.999Z',
  listedOn: '2026-11-17',
  until: '2029-11-17',
  objection: { objectionId: 'o-1', status: 'REJECTED', at: '2026-11-05T01:00:00.000Z', reason: '名称有误' },
  history: [
    { status: 'NOTIFIED', at: '2026-11-02T01:00:00.000Z' },
    { status: 'LISTED', at: '2026-11-17T01:00:00.000Z' },
  ],
  // what a stored item carries besides the entry (a spread item would leak these)
  pk: 'ENTRY#x',
  subjpk: `SUBJ#NATURAL#${KEY}`,
  rev: 3,
  natError: 'rejected',
} as unknown as ListEntry;

describe('joint views', () => {
  it('an entry: every field its schema names, the subject by its masked ID number, nothing stored besides', () => {
    const out = entryOut(entry);
    expect(listEntryView.parse(out)).toEqual(out);
    expect(out.subject).toEqual({ type: 'NATURAL', id: '310***********1234' });
    expect(Object.keys(out).sort()).toEqual(
      Object.keys(listEntryView.shape)
        .filter((k) => k in out)
        .sort(),
    );
    expect(JSON.stringify(out)).not.toContain(KEY);
    expect(out).toMatchObject({ status: 'LISTED', listedOn: '2026-11-17', objection: { status: 'REJECTED', reason: '名称有误' } });
    expect('exitReason' in out).toBe(false);
  });

  it("the subject's own file names no subject at all", () => {
    expect('subject' in entryFieldsOut(entry)).toBe(false);
  });

  it('a stored check: its fields, without the table keys', () => {
    const stored = {
      checkId: 'c-1',
      unit: 'SH-DRC',
      matter: 'FUNDING',
      at: '2026-11-02T01:00:00.000Z',
      by: 'user-1',
      feedbackDueAt: '2026-11-16T15:59:59.999Z',
      results: [],
      bulk: true,
      pk: 'CHECK#c-1',
      sk: 'CHECK',
    } as StoredCheck;
    const out = checkOut(stored);
    expect(storedJointCheck.parse(out)).toEqual(out);
    expect(out).toEqual({
      checkId: 'c-1',
      unit: 'SH-DRC',
      matter: 'FUNDING',
      at: stored.at,
      by: 'user-1',
      feedbackDueAt: stored.feedbackDueAt,
      results: [],
      bulk: true,
    });
  });
});
