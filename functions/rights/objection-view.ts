/**
 * An objection as its reader may see it (admins see who did each step, others only the role and
 * unit), its evidence files, and the loading of one objection by who may see or decide it.
 */
import { isOverdue, steps, type Actor, type Objection } from '#core/objections';
import type { WorkCalendar } from '#core/work-calendar';
import { DomainError } from '#core/errors';
import { bucketName } from '#adapters/config';
import type { Caller } from '#adapters/http';
import { getObjection } from '#adapters/objection-repo';
import { presignGet } from '#adapters/presign-get';
import { subjectOfRequest } from './parties.ts';

export const EVIDENCE_PREFIX = 'evidence/';

/** What the caller may see of an objection; admins see who did each step, others only the role and unit. */
export async function view(o: Objection, caller: Caller, now: string, cal: WorkCalendar) {
  const hideSub = caller.role !== 'admin';
  const who = (a: Actor) => (hideSub ? { role: a.role, ...(a.unit ? { unit: a.unit } : {}) } : a);
  const uploads = bucketName('uploads');
  return {
    objectionId: o.objectionId,
    recordId: o.recordId,
    item: o.item,
    provider: o.provider,
    subject: { type: o.subjectType, id: o.subjectLabel },
    channel: o.channel,
    reason: o.reason,
    status: o.status,
    remit: o.remit,
    receivedAt: o.receivedAt,
    steps: steps(o, now, cal).map((s) => ({ ...s, by: s.by && who(s.by) })),
    overdue: isOverdue(o, now, cal),
    outcome: o.outcome,
    history: o.history.map((e) => ({ ...e, by: who(e.by) })),
    evidence: await Promise.all(o.evidence.map(async (key) => ({ key, downloadUrl: await presignGet(uploads, key) }))),
  };
}

function canSee(o: Objection, caller: Caller, own?: { type: string; key: string }): boolean {
  if (caller.role === 'admin') return true;
  if (caller.role === 'provider') return o.forwardedAt !== null && o.provider === caller.unit;
  return own !== undefined && own.type === o.subjectType && own.key === o.subjectKey;
}

export const evidenceFiles = (o: Objection) =>
  o.evidence.map((key) => ({ fileName: key.slice(`${EVIDENCE_PREFIX}${o.objectionId}/`.length).replace(/^\d+-/, ''), key }));

/** The objection `id` if the caller may see it; otherwise refused as not found. */
export async function loadVisible(id: string, caller: Caller): Promise<Objection> {
  const o = /^[0-9a-f-]{36}$/.test(id) ? await getObjection(id) : undefined;
  const own = caller.role === 'subject' ? await subjectOfRequest(caller, undefined) : undefined;
  if (!o || !canSee(o, caller, own)) throw new DomainError('notFound', 'OBJECTION_NOT_FOUND', `no objection ${id} that you may see`);
  return o;
}

/**
 * The objection a decision is about. A provider may see only the objections forwarded to it, so
 * one that was not forwarded (or to another provider) is refused as not its step, not hidden.
 */
export async function loadDecidable(id: string, caller: Caller): Promise<Objection> {
  if (caller.role === 'admin') return loadVisible(id, caller);
  const o = /^[0-9a-f-]{36}$/.test(id) ? await getObjection(id) : undefined;
  if (!o) throw new DomainError('notFound', 'OBJECTION_NOT_FOUND', `no objection ${id}`);
  return o;
}
