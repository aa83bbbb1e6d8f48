/**
 * Objections (异议, SH-REG-2017 Art 36) as a pure state machine: every transition takes the
 * current objection, who acts and when, and returns the next objection or throws an
 * ObjectionRuleError. Deadlines are working days of the Asia/Shanghai calendar (core/working-days).
 *
 *   RECEIVED ──admin: remit PLATFORM──> UNDER_REVIEW ──admin decides──────> CORRECTED | DELETED | UPHELD
 *   RECEIVED ──admin: remit PROVIDER──> FORWARDED    ──the provider decides──> CORRECTED | DELETED | UPHELD
 *
 * Steps and their deadlines, all counted from the instant of receipt unless said otherwise:
 *   MARK      the record is marked (异议标注) within 1 WD — done at once, on receipt
 *   REMIT     the centre forwards to the provider within 2 WD (deciding the remit later than that
 *             would make any forward late, so the remit step itself is due then)
 *   DECISION  the centre decides within 5 WD of receipt; the provider within 5 WD of the forward
 */
import type { WorkCalendar } from './work-calendar.ts';
import { workingDeadlineOf } from './working-days.ts';
import { DomainError } from './errors.ts';

export const OBJECTION_WORKING_DAYS = { mark: 1, forward: 2, platformDecision: 5, providerDecision: 5 } as const;

/** The metric housekeeping emits (open steps past their deadline) and the CDK alarm watches. */
export const OVERDUE_OBJECTIONS_METRIC = 'OverdueObjectionSteps';
/** Objections not yet decided, counted by the same scheduled run (the stage's dashboard). */
export const OPEN_OBJECTIONS_METRIC = 'OpenObjections';

export const OPEN_STATUSES = ['RECEIVED', 'UNDER_REVIEW', 'FORWARDED'] as const;
export const OUTCOMES = ['CORRECTED', 'DELETED', 'UPHELD'] as const;
export const OBJECTION_STATUSES = [...OPEN_STATUSES, ...OUTCOMES] as const;
export const REMITS = ['PLATFORM', 'PROVIDER'] as const;

export type OpenStatus = (typeof OPEN_STATUSES)[number];
export type Outcome = (typeof OUTCOMES)[number];
export type ObjectionStatus = (typeof OBJECTION_STATUSES)[number];
export type Remit = (typeof REMITS)[number];

export interface Actor {
  role: 'admin' | 'provider' | 'subject';
  unit?: string;
  sub: string;
}

export interface ObjectionEvent {
  action: 'SUBMITTED' | 'MARKED' | 'KEPT' | 'FORWARDED' | 'DECIDED';
  at: string;
  by: Actor;
  note?: string;
}

export interface Objection {
  objectionId: string;
  recordId: string;
  provider: string;
  item: string;
  subjectType: 'LEGAL' | 'NATURAL';
  /** USCC, or the natural person's HMAC key. */
  subjectKey: string;
  /** USCC, or the masked ID number. */
  subjectLabel: string;
  /**
   * Where the record objected to is stored when it is not the subject's own: a legal
   * representative objecting to the copy of a company record in its own file (SH-REG-2017 Art 28)
   * objects to the company's record (USCC), which the copy follows; absent for the subject's own.
   */
  source?: { type: 'LEGAL'; key: string };
  /** ONLINE: the subject itself; WINDOW: an admin at a service window, on the applicant's behalf. */
  channel: 'ONLINE' | 'WINDOW';
  reason: string;
  /** Object keys of evidence files in the uploads bucket. */
  evidence: string[];
  status: ObjectionStatus;
  remit: Remit | null;
  receivedAt: string;
  markedAt: string;
  remitAt: string | null;
  forwardedAt: string | null;
  decidedAt: string | null;
  outcome: { decision: Outcome; reasons: string; changes?: Record<string, unknown> } | null;
  history: ObjectionEvent[];
}

export type StepName = 'MARK' | 'REMIT' | 'DECISION';

export interface Step {
  step: StepName;
  /** ISO instant: the end of the last working day allowed; null while not yet known. */
  deadline: string | null;
  /** The deadline was counted over a year with no official arrangement yet: publishing one may move it. */
  deadlineProvisional: boolean;
  doneAt: string | null;
  by: Actor | null;
  /** Done after its deadline, or still pending past it. */
  overdue: boolean;
}

/** A step the objection rules refuse: not the caller's step (forbidden) or not in this state (conflict). */
export class ObjectionRuleError extends DomainError {
  constructor(kind: 'forbidden' | 'conflict', code: string, message: string) {
    super(kind, code, message);
    this.name = 'ObjectionRuleError';
  }
}

export const isOpen = (status: ObjectionStatus): status is OpenStatus => (OPEN_STATUSES as readonly string[]).includes(status);

export type NewObjection = Pick<
  Objection,
  'objectionId' | 'recordId' | 'provider' | 'item' | 'subjectType' | 'subjectKey' | 'subjectLabel' | 'reason' | 'evidence' | 'source'
> & {
  by: Actor;
};

/** A received objection; the record is marked in the same request, so MARK is done on receipt. */
export function receive(input: NewObjection, now: string): Objection {
  const { by, ...rest } = input;
  return {
    ...rest,
    channel: by.role === 'subject' ? 'ONLINE' : 'WINDOW',
    status: 'RECEIVED',
    remit: null,
    receivedAt: now,
    markedAt: now,
    remitAt: null,
    forwardedAt: null,
    decidedAt: null,
    outcome: null,
    history: [
      { action: 'SUBMITTED', at: now, by },
      { action: 'MARKED', at: now, by },
    ],
  };
}

function closedError(o: Objection): ObjectionRuleError {
  return new ObjectionRuleError('conflict', 'OBJECTION_CLOSED', `objection ${o.objectionId} ended ${o.status} at ${o.decidedAt}; it takes no further steps`);
}

/** The admin decides whose remit the objection is: the platform's, or the provider's (forward). */
export function assignRemit(o: Objection, remit: Remit, by: Actor, now: string, note?: string): Objection {
  if (!isOpen(o.status)) throw closedError(o);
  if (by.role !== 'admin') throw new ObjectionRuleError('forbidden', 'NOT_YOUR_STEP', 'only the platform (admin) decides whose remit an objection is');
  if (o.status !== 'RECEIVED') {
    throw new ObjectionRuleError('conflict', 'REMIT_ALREADY_DECIDED', `objection ${o.objectionId} is already ${o.status} (remit ${o.remit})`);
  }
  const forwarded = remit === 'PROVIDER';
  return {
    ...o,
    status: forwarded ? 'FORWARDED' : 'UNDER_REVIEW',
    remit,
    remitAt: now,
    forwardedAt: forwarded ? now : null,
    history: [...o.history, { action: forwarded ? 'FORWARDED' : 'KEPT', at: now, by, ...(note ? { note } : {}) }],
  };
}

/** Who may decide an objection in its current state, or why nobody may. */
export function checkDecider(o: Objection, by: Actor): void {
  if (!isOpen(o.status)) throw closedError(o);
  if (o.status === 'RECEIVED') {
    throw new ObjectionRuleError('conflict', 'REMIT_NOT_DECIDED', `objection ${o.objectionId} has no remit yet: the platform keeps or forwards it first`);
  }
  if (o.status === 'UNDER_REVIEW' && by.role !== 'admin') {
    throw new ObjectionRuleError('forbidden', 'NOT_YOUR_STEP', `objection ${o.objectionId} is within the platform's remit; the platform (admin) decides it`);
  }
  if (o.status === 'FORWARDED' && !(by.role === 'provider' && by.unit === o.provider)) {
    throw new ObjectionRuleError(
      'forbidden',
      'NOT_YOUR_STEP',
      `objection ${o.objectionId} was forwarded to provider ${o.provider}; only that provider decides it`,
    );
  }
}

export function decide(o: Objection, decision: { outcome: Outcome; reasons: string; changes?: Record<string, unknown> }, by: Actor, now: string): Objection {
  checkDecider(o, by);
  return {
    ...o,
    status: decision.outcome,
    decidedAt: now,
    outcome: { decision: decision.outcome, reasons: decision.reasons, ...(decision.changes ? { changes: decision.changes } : {}) },
    history: [...o.history, { action: 'DECIDED', at: now, by, note: `${decision.outcome}: ${decision.reasons}` }],
  };
}

const byOf = (o: Objection, action: ObjectionEvent['action'] | ObjectionEvent['action'][]): Actor | null => {
  const actions = Array.isArray(action) ? action : [action];
  return o.history.find((e) => actions.includes(e.action))?.by ?? null;
};

const late = (deadline: string | null, doneAt: string | null, now: string): boolean => deadline !== null && (doneAt ?? now) > deadline;

type Deadline = { deadline: string; provisional: boolean };

/** The decision deadline, known once the remit is. */
function decisionDeadlineOf(o: Objection, cal: WorkCalendar): Deadline | null {
  if (o.remit === 'PLATFORM') return workingDeadlineOf(cal, o.receivedAt, OBJECTION_WORKING_DAYS.platformDecision);
  if (o.remit === 'PROVIDER' && o.forwardedAt) return workingDeadlineOf(cal, o.forwardedAt, OBJECTION_WORKING_DAYS.providerDecision);
  return null;
}

export const decisionDeadline = (o: Objection, cal: WorkCalendar): string | null => decisionDeadlineOf(o, cal)?.deadline ?? null;

/** Every step with its deadline, who did it and when, and whether it is (or was) late at `now`. */
export function steps(o: Objection, now: string, cal: WorkCalendar): Step[] {
  const mark = workingDeadlineOf(cal, o.receivedAt, OBJECTION_WORKING_DAYS.mark);
  const remit = workingDeadlineOf(cal, o.receivedAt, OBJECTION_WORKING_DAYS.forward);
  const decision = decisionDeadlineOf(o, cal);
  const step = (name: StepName, d: Deadline | null, doneAt: string | null, by: Actor | null): Step => ({
    step: name,
    deadline: d?.deadline ?? null,
    deadlineProvisional: d?.provisional ?? false,
    doneAt,
    by,
    overdue: late(d?.deadline ?? null, doneAt, now),
  });
  return [
    step('MARK', mark, o.markedAt, byOf(o, 'MARKED')),
    step('REMIT', remit, o.remitAt, byOf(o, ['KEPT', 'FORWARDED'])),
    step('DECISION', decision, o.decidedAt, byOf(o, 'DECIDED')),
  ];
}

/** The deadline of the step an open objection waits on, and whether it is provisional; null once it is closed. */
export function pendingDeadlineOf(o: Objection, cal: WorkCalendar): Deadline | null {
  if (o.status === 'RECEIVED') return workingDeadlineOf(cal, o.receivedAt, OBJECTION_WORKING_DAYS.forward);
  if (o.status === 'UNDER_REVIEW' || o.status === 'FORWARDED') return decisionDeadlineOf(o, cal);
  return null;
}

export const pendingDeadline = (o: Objection, cal: WorkCalendar): string | null => pendingDeadlineOf(o, cal)?.deadline ?? null;

/** An open objection whose pending step is past its deadline. */
export function isOverdue(o: Objection, now: string, cal: WorkCalendar): boolean {
  const due = pendingDeadline(o, cal);
  return due !== null && now > due;
}

/** Where an objection sorts in a listing: newest first, the id breaking ties so a page boundary is exact. */
export const listingKey = (o: Pick<Objection, 'receivedAt' | 'objectionId'>) => `${o.receivedAt}#${o.objectionId}`;

/** A cursor is the index sort key ({time}#{objectionId}) the listing continues after (base64url-encoded by the API). */
export const LISTING_KEY_SHAPE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z#[0-9a-f-]{36}$/;

/**
 * Where one page of `GET /v1/objections` is read from: one index partition, newest first, and the
 * filters DynamoDB applies to the items that Query examines. The listing reads at most one page's
 * worth of index entries whatever the filters (a filtered page may hold fewer than `limit`
 * objections while `next` says more may follow), so its cost never grows with the table.
 *   subject  → its own objections (bySubject);  provider → those forwarded to it (byProvider)
 *   admin    → one status (byStatus); the overdue ones (byDeadline, below now); else all (byReceived)
 */
export type ListingSource =
  | { index: 'all' }
  | { index: 'status'; status: ObjectionStatus }
  | { index: 'overdue' }
  | { index: 'provider'; provider: string }
  | { index: 'subject'; subjectType: string; subjectKey: string };

export interface ListingPlan {
  source: ListingSource;
  /** Filters on the examined items: status, provider, and whether the pending step is past its deadline. */
  filter: { status?: ObjectionStatus; provider?: string; overdue?: boolean };
}

export type ListingScope = { role: 'admin' } | { role: 'provider'; unit: string } | { role: 'subject'; subjectType: string; subjectKey: string };

export function listingPlan(scope: ListingScope, q: { status?: ObjectionStatus; provider?: string; overdue?: boolean }): ListingPlan {
  const filter = { status: q.status, provider: q.provider, overdue: q.overdue };
  if (scope.role === 'subject') return { source: { index: 'subject', subjectType: scope.subjectType, subjectKey: scope.subjectKey }, filter };
  if (scope.role === 'provider') return { source: { index: 'provider', provider: scope.unit }, filter };
  if (q.status) return { source: { index: 'status', status: q.status }, filter: { ...filter, status: undefined } };
  // byDeadline holds the open objections keyed by their pending deadline: the overdue ones are a key range
  if (q.overdue === true) return { source: { index: 'overdue' }, filter: { ...filter, overdue: undefined } };
  return { source: { index: 'all' }, filter };
}

/**
 * Cuts a Query's answer to one page. The Query asked for `limit + 1` index entries, so when no more
 * follow the last page says so (`next` undefined) instead of sending the caller to an empty page.
 * `lastExamined` is the sort key of the last entry the Query examined (DynamoDB's LastEvaluatedKey),
 * set when it stopped at its limit; `keys` are the sort keys of the entries that passed the filters.
 */
export function cutPage<T>(found: readonly T[], keyOf: (item: T) => string, limit: number, lastExamined?: string): { page: T[]; next?: string } {
  if (found.length > limit) {
    const page = found.slice(0, limit);
    return { page, next: keyOf(page[page.length - 1]!) };
  }
  return lastExamined === undefined ? { page: [...found] } : { page: [...found], next: lastExamined };
}
