/**
 * Credit lists (信用名单, SH-REG-2017 Art 20): an entry's lifecycle, pure. An entry is NOTIFIED (告知:
 * basis, reasons, remedy, deadline) for the list's noticeWorkingDays — an open objection holds it
 * there — then LISTED for the list's `years`, then EXITED: time up, the records behind a rule entry
 * no longer served (repaired, revoked, withdrawn, deleted, expired), or an objection upheld.
 */
import type { CreditList } from './catalog.ts';
import type { WorkCalendar } from './work-calendar.ts';
import { shanghaiDay, workingDeadline } from './working-days.ts';

export function addYears(day: string, years: number): string {
  const year = Number(day.slice(0, 4)) + years;
  const md = day.slice(5);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return `${year}-${md === '02-29' && !leap ? '02-28' : md}`;
}

export type EntryStatus = 'NOTIFIED' | 'LISTED' | 'EXITED';
export type ExitReason = 'EXPIRED' | 'RECORD_ENDED' | 'OBJECTION_UPHELD';
export type EntryObjection = { objectionId: string; status: 'OPEN' | 'UPHELD' | 'REJECTED'; at: string; reason?: string };

export interface ListEntry {
  entryId: string;
  list: string;
  subject: { type: 'LEGAL' | 'NATURAL'; key: string; label: string };
  subjectName: string;
  by: 'RULE' | 'DECISION';
  /** Legal basis and reasons told to the subject (告知). */
  basis: string;
  reasons: string;
  behaviours: string[];
  records: string[];
  decidedBy?: string;
  status: EntryStatus;
  notifiedAt: string;
  /** The last instant of the notice period (the end of its last working day in China). */
  noticeEndsAt: string;
  listedOn?: string;
  /** The day the listing ends (exclusive). */
  until?: string;
  exitedOn?: string;
  exitReason?: ExitReason;
  exitDetail?: string;
  objection?: EntryObjection;
  history: Array<{ status: EntryStatus; at: string; reason?: string }>;
}

export type NewEntry = Pick<ListEntry, 'entryId' | 'subject' | 'subjectName' | 'by' | 'basis' | 'reasons' | 'behaviours' | 'records' | 'decidedBy'>;

/** A new entry, told to the subject now and NOTIFIED for the list's notice period. */
/** `cal`: the working-day calendar the notice period is counted in (adapters/calendar-repo loadCalendar). */
export function notifyEntry(list: CreditList, e: NewEntry, now: string, cal: WorkCalendar): ListEntry {
  return {
    ...e,
    list: list.code,
    status: 'NOTIFIED',
    notifiedAt: now,
    noticeEndsAt: workingDeadline(cal, now, list.noticeWorkingDays),
    history: [{ status: 'NOTIFIED', at: now }],
  };
}

/** What the entry's basis looks like now: whether its records are still served, and why not. */
export interface EntryFacts {
  /** Null while at least one record behind the entry is served; else why none is (e.g. "REPAIRED"). */
  recordsEnded: string | null;
}

const exit = (e: ListEntry, now: string, reason: ExitReason, detail?: string): ListEntry => ({
  ...e,
  status: 'EXITED',
  exitedOn: shanghaiDay(now),
  exitReason: reason,
  ...(detail ? { exitDetail: detail } : {}),
  history: [...e.history, { status: 'EXITED', at: now, reason: detail ? `${reason}: ${detail}` : reason }],
});

/** The entry at `now`: the one transition (if any) its facts and the clock call for. Idempotent. */
export function advanceEntry(e: ListEntry, list: CreditList, now: string, facts: EntryFacts): ListEntry {
  if (e.status === 'EXITED') return e;
  if (e.objection?.status === 'UPHELD') return exit(e, now, 'OBJECTION_UPHELD', e.objection.reason);
  if (e.by === 'RULE' && facts.recordsEnded !== null) return exit(e, now, 'RECORD_ENDED', facts.recordsEnded);
  const today = shanghaiDay(now);
  if (e.status === 'NOTIFIED') {
    if (e.objection?.status === 'OPEN' || now <= e.noticeEndsAt) return e;
    // listed the day after the notice ends; an objection that held it lists it the day it was rejected
    const afterNotice = nextDay(shanghaiDay(e.noticeEndsAt));
    const rejectedOn = e.objection?.status === 'REJECTED' ? shanghaiDay(e.objection.at) : '';
    const listedOn = rejectedOn > afterNotice ? rejectedOn : afterNotice;
    return { ...e, status: 'LISTED', listedOn, until: addYears(listedOn, list.years), history: [...e.history, { status: 'LISTED', at: now }] };
  }
  if (e.until !== undefined && today >= e.until) return exit(e, now, 'EXPIRED');
  return e;
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/**
 * When the clock next moves the entry (ISO instant), for the index of due transitions; null when
 * only an event can (an open objection, or nothing left to do).
 */
export function nextDueAt(e: ListEntry): string | null {
  if (e.status === 'EXITED') return null;
  if (e.status === 'NOTIFIED') return e.objection?.status === 'OPEN' ? null : new Date(Date.parse(e.noticeEndsAt) + 1).toISOString();
  // 00:00 in China on the day the listing ends
  return e.until ? new Date(Date.parse(`${e.until}T00:00:00+08:00`)).toISOString() : null;
}

/** The subject's objection to an entry (like a record's): it holds a NOTIFIED entry until decided. */
export function objectToEntry(e: ListEntry, objectionId: string, now: string): ListEntry | { refused: string } {
  if (e.status === 'EXITED') return { refused: 'the entry has exited the list' };
  if (e.objection?.status === 'OPEN') return { refused: 'an objection about this entry is already open' };
  return { ...e, objection: { objectionId, status: 'OPEN', at: now } };
}

export function decideEntryObjection(e: ListEntry, upheld: boolean, reason: string, now: string): ListEntry | { refused: string } {
  if (e.objection?.status !== 'OPEN') return { refused: 'no objection about this entry is open' };
  return { ...e, objection: { ...e.objection, status: upheld ? 'UPHELD' : 'REJECTED', at: now, reason } };
}

/** Whether the list applies to the subject now (measures follow LISTED entries only). */
export const isListed = (e: Pick<ListEntry, 'status'>): boolean => e.status === 'LISTED';

/** Feedback on joint measures past its due time, counted by the jointLists job (the OverdueJointFeedback alarm, lib/rights-construct.ts). */
export const OVERDUE_FEEDBACK_METRIC = 'OverdueJointFeedback';
