/**
 * What an export run does with each changed double-publicity record, and how far its watermark
 * may move — pure rules, no I/O (docs/adr/0003-national-export.md).
 *
 * Exactly once in effect: every record version gets a content version (a hash of what would be
 * sent) and a sequence number taken from its change key (the write time, in ms: each write of a
 * record stamps a later time, so the sequence grows with every write without a stored counter).
 * The idempotency key `{recordId}:{seq}:{version}` is the same however often one version is
 * retried, and the national platform keeps the highest sequence it has seen, so a retried old
 * version never overwrites a newer one.
 */
import { hash } from 'node:crypto';

/** How long a run's lease lasts without renewal (the run renews it as it goes). */
export const EXPORT_LEASE_MS = 5 * 60_000;
import { changedAt } from './change-marker.ts';
import type { NationalFields, NationalType } from './national-format.ts';
import type { WorkCalendar } from './work-calendar.ts';
import { addWorkingDays } from './working-days.ts';

export type ExportOp = 'UPSERT' | 'WITHDRAW';
/**
 * The outcome an exception item records (the outbox keeps per-record items only for these):
 * REJECTED and HELD, PENDING (sent, no answer, and the record had an exception item before), and
 * ACCEPTED for a record answered behind an unanswered one (its watermark could not pass it yet).
 */
export type ExportOutcome = 'ACCEPTED' | 'REJECTED' | 'PENDING' | 'HELD';

/** Metrics an export run emits, and the alarms in lib/export-construct.ts watch. */
export const EXPORT_METRICS = {
  sent: 'ExportRecordsSent',
  rejected: 'ExportRecordsRejected',
  heldInRun: 'ExportRecordsHeldInRun',
  /** 1 for each run that ends FAILED (functions/export/export-run.ts). */
  runsFailed: 'ExportRunsFailed',
  /** Gauges at the end of each run. */
  overdue: 'ExportOverdueRecords',
  held: 'ExportHeldRecords',
} as const;

/** Decision deadline for publication: within 7 working days of the decision (docs/domain.md, Publication deadline). */
export const PUBLICATION_WORKING_DAYS = 7;

/** What an exception item says about a record, if it has one. */
export interface ExceptionView {
  chgsk: string;
  version?: string;
  outcome: ExportOutcome;
}

export type ExportDecision = { kind: 'skip' } | { kind: 'hold'; reason: string } | { kind: 'send'; op: ExportOp; seq: number; version: string };

export function contentVersion(op: ExportOp, type: NationalType, fields: NationalFields | null): string {
  // the fields as JSON with the codes in code order (an array replacer sets the order): the same
  // content always gives the same text, written by one native call per record on the run's thread
  const text = fields ? `${op}|${type}|${JSON.stringify(fields, Object.keys(fields).sort())}` : `${op}|${type}`;
  // one-shot hash: no Hash object per call
  return hash('sha256', text, 'base64url').slice(0, 16);
}

export const idempotencyKey = (recordId: string, seq: number, version: string) => `${recordId}:${seq}:${version}`;

/** The sequence number of the record version written under this change key: its write time in ms. */
export function sequenceOf(chgsk: string): number {
  const ms = Date.parse(changedAt(chgsk));
  if (!Number.isSafeInteger(ms) || ms < 1) throw new Error(`change key '${chgsk}' does not start with a write time`);
  return ms;
}

/**
 * The decision for one change-index entry (the record's latest write, change key `chgsk`).
 * `mapped` is the Version B record of an active record, or the reason it cannot be mapped; a
 * record that is not active is a withdrawal, sent whether or not the national platform holds it
 * (a withdrawal of a key it never held is an accepted no-op there). `exception` is the record's
 * exception item, if it has one: a version it already answered under this very change key (a
 * record answered behind an unanswered one, read again) is not sent again.
 */
export function decide(
  change: { type: NationalType; chgsk: string; active: boolean; mapped?: { ok: true; fields: NationalFields } | { ok: false; reason: string } },
  exception?: ExceptionView,
): ExportDecision {
  let op: ExportOp;
  let version: string;
  if (change.active) {
    if (!change.mapped) throw new Error('an active record needs its mapping');
    if (!change.mapped.ok) return { kind: 'hold', reason: change.mapped.reason };
    op = 'UPSERT';
    version = contentVersion('UPSERT', change.type, change.mapped.fields);
  } else {
    op = 'WITHDRAW';
    version = contentVersion('WITHDRAW', change.type, null);
  }
  const answered = exception?.chgsk === change.chgsk && exception.version === version && (exception.outcome === 'ACCEPTED' || exception.outcome === 'REJECTED');
  if (answered) return { kind: 'skip' };
  return { kind: 'send', op, seq: sequenceOf(change.chgsk), version };
}

/**
 * The new watermark of one shard: the change key of the last record of an unbroken run of
 * acknowledged records (in change-key order) after the old watermark. A record without an answer
 * stops it, so the next run reads that record again.
 */
export function advanceWatermark(current: string, processed: ReadonlyArray<{ chgsk: string; acknowledged: boolean }>): string {
  let mark = current;
  for (const p of processed) {
    if (!p.acknowledged) break;
    if (p.chgsk > mark) mark = p.chgsk;
  }
  return mark;
}

/** The change key just before which a run stops reading: writes stamped later may still be landing. */
export function readUpperBound(now: Date, lagMs: number): string {
  return `${new Date(now.getTime() - lagMs).toISOString()}#\uffff`;
}

/** The last day a decision may wait for national publication; overdue from the next day on. */
export function publicationDeadline(decisionDate: string, cal: WorkCalendar): string {
  return addWorkingDays(cal, decisionDate, PUBLICATION_WORKING_DAYS);
}

/** Whether the publication deadline was counted over a year with no official arrangement yet. */
export function publicationDeadlineProvisional(decisionDate: string, cal: WorkCalendar): boolean {
  return cal.provisionalBetween(decisionDate, publicationDeadline(decisionDate, cal));
}

/** A run id that sorts by start time: `20261105T020000123Z-3f9c2a`. */
export function newRunId(now: Date, suffix: string): string {
  return `${now.toISOString().replace(/[-:.]/g, '')}-${suffix}`;
}
