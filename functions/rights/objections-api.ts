/**
 * Objections (异议, SH-REG-2017 Art 36), the steps in core/objections:
 *   POST /v1/objections                          (subject; admin for a walk-in applicant) file, mark the record at once
 *   GET  /v1/objections?status=&overdue=true     (admin: all; provider: forwarded to it; subject: its own)
 *   GET  /v1/objections/{objectionId}            one objection, its steps, deadlines and outcome
 *   POST /v1/objections/{objectionId}/remit      (admin) PLATFORM keeps it, PROVIDER forwards it
 *   POST /v1/objections/{objectionId}/decision   (admin on its remit, the provider on a forwarded one) CORRECTED | DELETED | UPHELD
 * Filing and deciding add to the objection statistics (adapters/stats-repo), served by the stats API.
 * Each step is one transaction (adapters/transact): filing writes the objection and the record's
 * mark, remitting the objection and the mark, deciding the objection, the record and the legal
 * representative's copy — all or nothing — and a retried step answers as the first did.
 */
import { DomainError } from '#core/errors';
import { randomUUID } from 'node:crypto';
import {
  assignRemit,
  checkDecider,
  decide,
  isOpen,
  isOverdue,
  LISTING_KEY_SHAPE,
  listingPlan,
  receive,
  steps,
  type Actor,
  type ListingScope,
  type Objection,
} from '#core/objections';
import { shanghaiDay } from '#core/working-days';
import type { WorkCalendar } from '#core/work-calendar';
import { loadCalendar } from '#adapters/calendar-repo';
import { currentCatalog } from '#adapters/catalog-repo';
import { bucketName } from '#adapters/config';
import { body, httpHandler, json, requireRole, validate, type Caller, type HttpRequest } from '#adapters/http';
import { getObjection, newObjectionPut, objectionInStatus, objectionSave, objectionPage, objectionsOfSubject } from '#adapters/objection-repo';
import { logger } from '#adapters/powertools';
import { presignPut } from '#adapters/presign';
import { presignGet } from '#adapters/presign-get';
import { countObjection } from '#adapters/stats-repo';
import {
  copyInFile,
  findRecord,
  markStatusUpdate,
  markUpdate,
  recordChangeItems,
  recordUpdate,
  representativeCopy,
  tableOf,
  type RecordChange,
} from '#adapters/record-state-repo';
import type { StoredRecord, SubjectTable } from '#adapters/subject-repo';
import { transactConditionally, type TransactItem } from '#adapters/transact';
import { correctRecord, correctedCopy, movedCopyPut } from './correction.ts';
import { actorOf, subjectOfRequest, type NamedSubject } from './parties.ts';
import { CreateObjection, DecisionBody, ObjectionListQuery, RemitBody } from './schemas.ts';
import type { Reply } from '../api-routes.ts';

function listingKeyOf(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!LISTING_KEY_SHAPE.test(key)) throw new DomainError('invalid', 'INVALID_CURSOR', 'the cursor is not one this listing returned');
  return key;
}

const EVIDENCE_PREFIX = 'evidence/';

/** What the caller may see of an objection; admins see who did each step, others only the role and unit. */
async function view(o: Objection, caller: Caller, now: string, cal: WorkCalendar) {
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

async function create(req: HttpRequest): Promise<Reply<'POST /v1/objections'>> {
  const caller = requireRole(req, 'subject', 'admin');
  const input = body(req, CreateObjection);
  const subject = await subjectOfRequest(caller, input.subject);
  // the record objected to: the subject's own, or, for a legal representative, the company record
  // whose copy sits in the person's file (Art 28): the objection goes to that record's provider
  let table = tableOf(subject.type);
  let source: Objection['source'];
  let record = await findRecord(table, subject.key, input.recordId);
  if (!record && subject.type === 'NATURAL') {
    const copy = await copyInFile(subject.key, input.recordId);
    if (copy) {
      source = { type: 'LEGAL', key: copy.via.uscc };
      table = 'legalSubjects';
      record = await findRecord(table, source.key, input.recordId);
    }
  }
  if (!record) throw new DomainError('notFound', 'RECORD_NOT_FOUND', `no record ${input.recordId} in the credit file of ${subject.label}`);
  const cal = await loadCalendar();
  const earlier = await sameFiling(record, subject, caller, input);
  if (earlier) return filed(earlier, cal);
  if (!record.objection && record.status === 'ACTIVE') {
    const orphan = await unmarkedFiling(record, table, subject, caller, input);
    if (orphan) return filed(orphan, cal);
  }
  refuseUnlessObjectable(record);

  const now = new Date().toISOString();
  const objectionId = randomUUID();
  const files = (input.evidence ?? []).map((f, i) => ({ fileName: f.fileName, key: `${EVIDENCE_PREFIX}${objectionId}/${i + 1}-${f.fileName}` }));
  const o = receive(
    {
      objectionId,
      recordId: record.recordId,
      provider: record.provider,
      item: record.item,
      subjectType: subject.type,
      subjectKey: subject.key,
      subjectLabel: subject.label,
      ...(source ? { source } : {}),
      reason: input.reason,
      evidence: files.map((f) => f.key),
      by: actorOf(caller),
    },
    now,
  );
  // the objection and the record's mark (the lock: one open objection per record) together or not at
  // all; the legal representative's copy shows the mark too, as every query result about it must
  const mark = { objectionId, status: o.status, since: now };
  const items: TransactItem[] = [newObjectionPut(o, cal), markUpdate(table, record, mark)];
  const copy = await representativeCopy(record);
  if (copy?.status === 'ACTIVE' && !copy.objection) items.push(markUpdate('naturalSubjects', copy, mark));
  if (!(await transactConditionally(items, 'objection filed'))) {
    const current = (await findRecord(table, source?.key ?? subject.key, input.recordId)) ?? record;
    const raced = await sameFiling(current, subject, caller, input);
    if (raced) return filed(raced, cal);
    refuseUnlessObjectable(current);
    throw new DomainError('conflict', 'CONCURRENT_CHANGE', 'the record changed while the objection was filed; try again');
  }
  return filed(o, cal);
}

/**
 * The objection a retried filing already filed: the record carries the mark of a still RECEIVED
 * objection by the same subject through the same channel, with the same reason and evidence files.
 */
async function sameFiling(
  record: StoredRecord,
  subject: NamedSubject,
  caller: Caller,
  input: { reason: string; evidence?: Array<{ fileName: string }> },
): Promise<Objection | undefined> {
  if (record.objection?.status !== 'RECEIVED') return undefined;
  const o = await getObjection(record.objection.objectionId);
  if (!o || o.status !== 'RECEIVED' || o.subjectType !== subject.type || o.subjectKey !== subject.key || o.reason !== input.reason) return undefined;
  if (o.history[0]?.by?.role !== caller.role) return undefined;
  const names = evidenceFiles(o).map((f) => f.fileName);
  const asked = (input.evidence ?? []).map((f) => f.fileName);
  return names.length === asked.length && names.every((n, i) => n === asked[i]) ? o : undefined;
}

/**
 * A filing the pre-transaction code stopped half-way (objection stored, record never marked),
 * retried: the same request adopts it — marks the record (and the copy) on the condition that it is
 * still RECEIVED — instead of leaving it open for ever. Reads the subject's own objections only.
 */
async function unmarkedFiling(
  record: StoredRecord,
  table: SubjectTable,
  subject: NamedSubject,
  caller: Caller,
  input: { reason: string; evidence?: Array<{ fileName: string }> },
): Promise<Objection | undefined> {
  const candidates = (await objectionsOfSubject(subject.type, subject.key)).filter((o) => o.recordId === record.recordId && o.status === 'RECEIVED');
  for (const o of candidates) {
    if (!(await sameFiling({ ...record, objection: { objectionId: o.objectionId, status: 'RECEIVED', since: o.receivedAt } }, subject, caller, input)))
      continue;
    const mark = { objectionId: o.objectionId, status: o.status, since: o.receivedAt };
    const items: TransactItem[] = [objectionInStatus(o.objectionId, 'RECEIVED'), markUpdate(table, record, mark)];
    const copy = await representativeCopy(record);
    if (copy?.status === 'ACTIVE' && !copy.objection) items.push(markUpdate('naturalSubjects', copy, mark));
    if (await transactConditionally(items, 'objection adopted')) return o;
  }
  return undefined;
}

const evidenceFiles = (o: Objection) =>
  o.evidence.map((key) => ({ fileName: key.slice(`${EVIDENCE_PREFIX}${o.objectionId}/`.length).replace(/^\d+-/, ''), key }));

/** The answer to a filing, the first or a retry: counted once (the counter's guard), same id and deadlines. */
async function filed(o: Objection, cal: WorkCalendar): Promise<Reply<'POST /v1/objections'>> {
  await countObjection(o, o.receivedAt, cal);
  logger.info('objection received', { objectionId: o.objectionId, recordId: o.recordId, provider: o.provider, channel: o.channel });
  const uploads = bucketName('uploads');
  return json(201, {
    objectionId: o.objectionId,
    status: o.status,
    deadlines: steps(o, o.receivedAt, cal).map(({ step, deadline, deadlineProvisional }) => ({ step, deadline, deadlineProvisional })),
    evidenceUploads: await Promise.all(evidenceFiles(o).map(async (f) => ({ ...f, uploadUrl: await presignPut(uploads, f.key) }))),
  });
}

function refuseUnlessObjectable(record: StoredRecord): void {
  if (record.objection) {
    throw new DomainError(
      'conflict',
      'OBJECTION_OPEN',
      `objection ${record.objection.objectionId} about record ${record.recordId} is still open (${record.objection.status})`,
      [{ objectionId: record.objection.objectionId }],
    );
  }
  if (record.status !== 'ACTIVE')
    throw new DomainError('conflict', 'RECORD_NOT_ACTIVE', `record ${record.recordId} is ${record.status}; it is no longer served`);
}

async function list(req: HttpRequest): Promise<Reply<'GET /v1/objections'>> {
  const caller = requireRole(req, 'admin', 'provider', 'subject');
  const q = validate(ObjectionListQuery, req.query, 'query');
  const after = listingKeyOf(q.cursor);
  const now = new Date().toISOString();
  const cal = await loadCalendar();
  let scope: ListingScope;
  if (caller.role === 'provider') {
    if (!caller.unit) throw new DomainError('forbidden', 'NO_UNIT', 'the token names no provider unit');
    scope = { role: 'provider', unit: caller.unit };
  } else if (caller.role === 'subject') {
    const own = await subjectOfRequest(caller, undefined);
    scope = { role: 'subject', subjectType: own.type, subjectKey: own.key };
  } else scope = { role: 'admin' };
  const overdue = q.overdue === undefined ? undefined : q.overdue === 'true';
  // one Query of one index partition: at most limit + 1 entries read, however many objections there are
  const { objections, next } = await objectionPage(listingPlan(scope, { status: q.status, provider: q.provider, overdue }), q.limit, now, after);
  return json(200, {
    objections: await Promise.all(objections.map((o) => view(o, caller, now, cal))),
    next: next ? Buffer.from(next).toString('base64url') : null,
  });
}

async function loadVisible(req: HttpRequest, caller: Caller): Promise<Objection> {
  const id = req.path.objectionId ?? '';
  const o = /^[0-9a-f-]{36}$/.test(id) ? await getObjection(id) : undefined;
  const own = caller.role === 'subject' ? await subjectOfRequest(caller, undefined) : undefined;
  if (!o || !canSee(o, caller, own)) throw new DomainError('notFound', 'OBJECTION_NOT_FOUND', `no objection ${id} that you may see`);
  return o;
}

async function getOne(req: HttpRequest): Promise<Reply<'GET /v1/objections/{objectionId}'>> {
  const caller = requireRole(req, 'admin', 'provider', 'subject');
  const o = await loadVisible(req, caller);
  // the record objected to, as it stands (the console's decision form starts from its fields); one objection, one read
  const record = await findRecord(tableOf(o.subjectType), o.subjectKey, o.recordId);
  return json(200, {
    ...(await view(o, caller, new Date().toISOString(), await loadCalendar())),
    record: record ? { status: record.status, subjectName: record.subjectName, fields: record.fields ?? {}, batchId: record.batchId, row: record.row } : null,
  });
}

const concurrentChange = (o: Objection) =>
  new DomainError('conflict', 'CONCURRENT_CHANGE', `objection ${o.objectionId} was moved on by someone else meanwhile; read it again`);

async function remit(req: HttpRequest): Promise<Reply<'POST /v1/objections/{objectionId}/remit'>> {
  const caller = requireRole(req, 'admin');
  const input = body(req, RemitBody);
  const o = await loadVisible(req, caller);
  const now = new Date().toISOString();
  const cal = await loadCalendar();
  // a retried remit finds it made: answered as the first
  if (isOpen(o.status) && o.status !== 'RECEIVED' && o.remit === input.remit) return json(200, await view(o, caller, now, cal));
  // the objection rules refuse with a DomainError (ObjectionRuleError)
  const next = assignRemit(o, input.remit, actorOf(caller), now, input.note);
  const table = tableOf(o.source?.type ?? o.subjectType);
  const record = await findRecord(table, o.source?.key ?? o.subjectKey, o.recordId);
  const items: TransactItem[] = [objectionSave(next, o.status, cal)];
  // the mark moves with the objection; a record without it (gone, or revoked without it) has none to move
  if (record?.objection?.objectionId === o.objectionId) {
    items.push(markStatusUpdate(table, record, o.objectionId, next.status));
    const copy = await representativeCopy(record);
    if (copy?.objection?.objectionId === o.objectionId) items.push(markStatusUpdate('naturalSubjects', copy, o.objectionId, next.status));
  }
  if (!(await transactConditionally(items, 'objection remitted'))) {
    const current = await getObjection(o.objectionId);
    if (current && isOpen(current.status) && current.status !== 'RECEIVED' && current.remit === input.remit)
      return json(200, await view(current, caller, now, cal));
    throw concurrentChange(o);
  }
  logger.info('objection remit', { objectionId: o.objectionId, remit: input.remit });
  return json(200, await view(next, caller, now, cal));
}

/** A retried decision: the objection was decided with this outcome by the same party. */
function sameDecision(o: Objection, actor: Actor, outcome: string): boolean {
  if (isOpen(o.status) || o.outcome?.decision !== outcome) return false;
  const by = o.history.find((e) => e.action === 'DECIDED')?.by;
  return by?.role === actor.role && (by.unit ?? null) === (actor.unit ?? null);
}

async function decided(o: Objection, caller: Caller, cal: WorkCalendar): Promise<Reply<'POST /v1/objections/{objectionId}/decision'>> {
  await countObjection(o, o.decidedAt ?? new Date().toISOString(), cal);
  logger.info('objection decided', { objectionId: o.objectionId, outcome: o.status, by: caller.role });
  return json(200, await view(o, caller, new Date().toISOString(), cal));
}

async function decision(req: HttpRequest): Promise<Reply<'POST /v1/objections/{objectionId}/decision'>> {
  const caller = requireRole(req, 'admin', 'provider');
  const input = body(req, DecisionBody);
  const o = await loadDecidable(req, caller);
  const actor = actorOf(caller);
  const cal = await loadCalendar();
  if (sameDecision(o, actor, input.outcome)) return decided(o, caller, cal);
  checkDecider(o, actor);
  const now = new Date().toISOString();
  const table = tableOf(o.source?.type ?? o.subjectType);
  const record = await findRecord(table, o.source?.key ?? o.subjectKey, o.recordId);
  if (!record) throw new DomainError('conflict', 'RECORD_GONE', `record ${o.recordId} is no longer stored`);

  let changes: Record<string, unknown> | undefined;
  let change: RecordChange;
  // the legal representative's copy (Art 28) follows the record's outcome
  const copy = await representativeCopy(record);
  const copyMark = copy?.objection?.objectionId === o.objectionId ? ['objection'] : [];
  let copyChange: RecordChange | undefined;
  const extra: TransactItem[] = [];
  const by = `objection ${o.objectionId}`;
  if (input.outcome === 'CORRECTED') {
    const item = (await currentCatalog({ items: [record.item] }))?.index.item(record.item);
    if (!item) throw new DomainError('conflict', 'ITEM_NOT_IN_CATALOG', `item ${record.item} is not in the published catalog; the record cannot be validated`);
    const corrected = await correctRecord(item, record, input.fields ?? {}, shanghaiDay(now));
    changes = corrected.changes;
    change = { set: corrected.set, remove: [...corrected.remove, 'objection'], expectStatus: 'ACTIVE', expectObjection: o.objectionId, exported: true };
    const moved = corrected.representativeMoved;
    if (moved) {
      // another legal representative: the copy leaves the person named before and goes to the one named now
      if (copy && copy.status === 'ACTIVE')
        copyChange = { set: { status: 'DELETED', deletedAt: now, deletedBy: by }, remove: copyMark, expectStatus: copy.status, exported: false };
      if (moved.to && item.polarity === 'NEGATIVE' && item.severity === 'SERIOUS') {
        const name = copy?.subjectName ?? record.party?.legalRepName ?? '';
        extra.push(await movedCopyPut(item, record, corrected, { idNo: moved.to, name }, now));
      }
    } else if (copy) {
      const fixed = correctedCopy(item, copy, corrected);
      copyChange = { set: fixed.set, remove: [...fixed.remove, ...copyMark], expectStatus: copy.status, exported: false };
    }
  } else if (input.outcome === 'DELETED') {
    const deleted = { status: 'DELETED', deletedAt: now, deletedBy: by };
    change = { set: deleted, remove: ['objection'], expectStatus: 'ACTIVE', expectObjection: o.objectionId, exported: true };
    if (copy && copy.status !== 'DELETED' && copy.status !== 'REVOKED')
      copyChange = { set: deleted, remove: copyMark, expectStatus: copy.status, exported: false };
  } else {
    change = { set: {}, remove: ['objection'], expectStatus: record.status, expectObjection: o.objectionId, exported: false };
    if (copy && copyMark.length) copyChange = { set: {}, remove: copyMark, expectStatus: copy.status, exported: false };
  }
  const next = decide(o, { outcome: input.outcome, reasons: input.reasons, ...(changes ? { changes } : {}) }, actor, now);
  const items: TransactItem[] = [...recordChangeItems(table, record, change, now), objectionSave(next, o.status, cal)];
  if (copy && copyChange) items.push(recordUpdate('naturalSubjects', copy, copyChange, now));
  items.push(...extra);
  if (!(await transactConditionally(items, 'objection decided'))) {
    const current = await getObjection(o.objectionId);
    if (current && sameDecision(current, actor, input.outcome)) return decided(current, caller, cal);
    if (current?.status !== o.status) throw concurrentChange(o);
    throw new DomainError(
      'conflict',
      'RECORD_NOT_ACTIVE',
      `record ${o.recordId} is ${record.status} or no longer carries this objection's mark; only UPHELD can end the objection`,
    );
  }
  return decided(next, caller, cal);
}

/**
 * The objection a decision is about. A provider may see only the objections forwarded to it, so
 * one that was not forwarded (or to another provider) is refused as not its step, not hidden.
 */
async function loadDecidable(req: HttpRequest, caller: Caller): Promise<Objection> {
  if (caller.role === 'admin') return loadVisible(req, caller);
  const id = req.path.objectionId ?? '';
  const o = /^[0-9a-f-]{36}$/.test(id) ? await getObjection(id) : undefined;
  if (!o) throw new DomainError('notFound', 'OBJECTION_NOT_FOUND', `no objection ${id}`);
  return o;
}

export const handler = httpHandler({
  'POST /v1/objections': create,
  'GET /v1/objections': list,
  'GET /v1/objections/{objectionId}': getOne,
  'POST /v1/objections/{objectionId}/remit': remit,
  'POST /v1/objections/{objectionId}/decision': decision,
});
