/**
 * What an export run does with each changed double-publicity record, and how far its watermark
 * may move — pure rules, no I/O (docs/adr/0003-national-export.md).
 *
 * Exactly once in effect: every record version gets a content version (a hash of what would be
 * sent) and a per-record sequence number; the idempotency key `{recordId}:{seq}:{version}` is
 * the same however often one version is retried, and the national platform keeps the highest
 * sequence it has seen, so a retried old version never overwrites a newer one.
 */
import { createHash } from 'node:crypto';
import type { NationalFields, NationalType } from './national-format.ts';
import { addWorkingDays } from './working-days.ts';

export type ExportOp = 'UPSERT' | 'WITHDRAW';
/** The national platform's last definitive answer for this record, or PENDING (sent, no answer yet). */
export type ExportOutcome = 'ACCEPTED' | 'REJECTED' | 'PENDING' | 'HELD' | 'SETTLED';
/** Whether the national platform holds the record: MAYBE after a send that was never answered. */
export type NationalHolds = 'YES' | 'NO' | 'MAYBE';

/** Metrics an export run emits, and the alarms in lib/export-construct.ts watch. */
export const EXPORT_METRICS = {
  sent: 'ExportRecordsSent',
  rejected: 'ExportRecordsRejected',
  heldInRun: 'ExportRecordsHeldInRun',
  /** Gauges at the end of each run. */
  overdue: 'ExportOverdueRecords',
  held: 'ExportHeldRecords',
} as const;

/** Decision deadline for publication: within 7 working days of the decision (domain.md §2.1). */
export const PUBLICATION_WORKING_DAYS = 7;

export interface ExportStateView {
  seq: number;
  version?: string;
  outcome: ExportOutcome;
  holds: NationalHolds;
}

export type ExportDecision =
  | { kind: 'skip' }
  /** Nothing to send, but the state must record it (a withdrawn record the national side never had). */
  | { kind: 'settle' }
  | { kind: 'hold'; reason: string }
  | { kind: 'send'; op: ExportOp; seq: number; version: string };

export function contentVersion(op: ExportOp, type: NationalType, fields: NationalFields | null): string {
  const sorted = fields ? Object.fromEntries(Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : 1))) : null;
  return createHash('sha256').update(JSON.stringify([op, type, sorted])).digest('base64url').slice(0, 16);
}

export const idempotencyKey = (recordId: string, seq: number, version: string) => `${recordId}:${seq}:${version}`;

/**
 * The decision for a record's current state. `mapped` is the Version B record of an active
 * record, or the reason it cannot be mapped; a record that is not active is a withdrawal.
 */
export function decide(
  change: { type: NationalType; active: boolean; mapped?: { ok: true; fields: NationalFields } | { ok: false; reason: string } },
  state: ExportStateView | undefined,
): ExportDecision {
  const seqFor = (version: string) => (state?.version === version ? state.seq : (state?.seq ?? 0) + 1);
  const answered = (version: string) => state?.version === version && (state.outcome === 'ACCEPTED' || state.outcome === 'REJECTED');
  if (change.active) {
    if (!change.mapped) throw new Error('an active record needs its mapping');
    if (!change.mapped.ok) return { kind: 'hold', reason: change.mapped.reason };
    const version = contentVersion('UPSERT', change.type, change.mapped.fields);
    if (answered(version)) return { kind: 'skip' };
    return { kind: 'send', op: 'UPSERT', seq: seqFor(version), version };
  }
  const version = contentVersion('WITHDRAW', change.type, null);
  if (answered(version)) return { kind: 'skip' };
  // a withdrawal goes out only when the national platform holds (or may hold) the record
  if (!state || state.holds === 'NO') return state?.outcome === 'SETTLED' ? { kind: 'skip' } : { kind: 'settle' };
  return { kind: 'send', op: 'WITHDRAW', seq: seqFor(version), version };
}

/** What the national platform holds after an answer (or after no answer) to a send. */
export function holdsAfter(op: ExportOp, answer: 'ACCEPTED' | 'REJECTED' | 'NONE', before: NationalHolds | undefined): NationalHolds {
  if (answer === 'ACCEPTED') return op === 'UPSERT' ? 'YES' : 'NO';
  if (answer === 'NONE') return op === 'UPSERT' ? 'MAYBE' : (before ?? 'MAYBE');
  return before ?? 'NO';
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
export function publicationDeadline(decisionDate: string): string {
  return addWorkingDays(decisionDate, PUBLICATION_WORKING_DAYS);
}

/** A run id that sorts by start time: `20261105T020000123Z-3f9c2a`. */
export function newRunId(now: Date, suffix: string): string {
  return `${now.toISOString().replace(/[-:.]/g, '')}-${suffix}`;
}
