/**
 * The steps after filing (core/objections): listing and reading objections, remitting (admin) and
 * deciding (the admin on its remit, the provider on a forwarded one). Each step is one transaction
 * (adapters/transact), and a retried step answers as the first did.
 */
import type { z } from 'zod';
import { DomainError } from '#core/errors';
import { assignRemit, checkDecider, decide, isOpen, LISTING_KEY_SHAPE, listingPlan, type Actor, type ListingScope, type Objection } from '#core/objections';
import { shanghaiDay } from '#core/working-days';
import type { WorkCalendar } from '#core/work-calendar';
import { loadCalendar } from '#adapters/calendar-repo';
import { currentCatalog } from '#adapters/catalog-repo';
import type { Caller } from '#adapters/http';
import { getObjection, objectionSave, objectionPage } from '#adapters/objection-repo';
import { logger } from '#adapters/powertools';
import { countObjection } from '#adapters/stats-repo';
import { findRecord, markStatusUpdate, recordChangeItems, recordUpdate, representativeCopy, tableOf, type RecordChange } from '#adapters/record-state-repo';
import { transactConditionally, type TransactItem } from '#adapters/transact';
import type { ResponseOf } from '../api-routes.ts';
import { correctRecord, correctedCopy, movedCopyPut } from './correction.ts';
import { loadDecidable, loadVisible, view } from './objection-view.ts';
import { actorOf, subjectOfRequest } from './parties.ts';
import type { DecisionBody, ObjectionListQuery, RemitBody } from './schemas.ts';

function listingKeyOf(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!LISTING_KEY_SHAPE.test(key)) throw new DomainError('invalid', 'INVALID_CURSOR', 'the cursor is not one this listing returned');
  return key;
}

/** One page of the objections the caller may see. */
export async function listObjections(caller: Caller, q: z.infer<typeof ObjectionListQuery>): Promise<ResponseOf<'GET /v1/objections'>> {
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
  return {
    objections: await Promise.all(objections.map((o) => view(o, caller, now, cal))),
    next: next ? Buffer.from(next).toString('base64url') : null,
  };
}

/** One objection with the record objected to as it stands. */
export async function objectionWithRecord(caller: Caller, id: string): Promise<ResponseOf<'GET /v1/objections/{objectionId}'>> {
  const o = await loadVisible(id, caller);
  // the record objected to, as it stands (the console's decision form starts from its fields); one objection, one read
  const record = await findRecord(tableOf(o.subjectType), o.subjectKey, o.recordId);
  return {
    ...(await view(o, caller, new Date().toISOString(), await loadCalendar())),
    record: record ? { status: record.status, subjectName: record.subjectName, fields: record.fields ?? {}, batchId: record.batchId, row: record.row } : null,
  };
}

const concurrentChange = (o: Objection) =>
  new DomainError('conflict', 'CONCURRENT_CHANGE', `objection ${o.objectionId} was moved on by someone else meanwhile; read it again`);

/** PLATFORM keeps the objection, PROVIDER forwards it; a retry answers as the first did. */
export async function remitObjection(
  caller: Caller,
  id: string,
  input: z.infer<typeof RemitBody>,
): Promise<ResponseOf<'POST /v1/objections/{objectionId}/remit'>> {
  const o = await loadVisible(id, caller);
  const now = new Date().toISOString();
  const cal = await loadCalendar();
  // a retried remit finds it made: answered as the first
  if (isOpen(o.status) && o.status !== 'RECEIVED' && o.remit === input.remit) return await view(o, caller, now, cal);
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
    if (current && isOpen(current.status) && current.status !== 'RECEIVED' && current.remit === input.remit) return await view(current, caller, now, cal);
    throw concurrentChange(o);
  }
  logger.info('objection remit', { objectionId: o.objectionId, remit: input.remit });
  return await view(next, caller, now, cal);
}

/** A retried decision: the objection was decided with this outcome by the same party. */
function sameDecision(o: Objection, actor: Actor, outcome: string): boolean {
  if (isOpen(o.status) || o.outcome?.decision !== outcome) return false;
  const by = o.history.find((e) => e.action === 'DECIDED')?.by;
  return by?.role === actor.role && (by.unit ?? null) === (actor.unit ?? null);
}

async function decided(o: Objection, caller: Caller, cal: WorkCalendar): Promise<ResponseOf<'POST /v1/objections/{objectionId}/decision'>> {
  await countObjection(o, o.decidedAt ?? new Date().toISOString(), cal);
  logger.info('objection decided', { objectionId: o.objectionId, outcome: o.status, by: caller.role });
  return await view(o, caller, new Date().toISOString(), cal);
}

/** CORRECTED, DELETED or UPHELD, with the record and the representative's copy in one transaction. */
export async function decideObjection(
  caller: Caller,
  id: string,
  input: z.infer<typeof DecisionBody>,
): Promise<ResponseOf<'POST /v1/objections/{objectionId}/decision'>> {
  const o = await loadDecidable(id, caller);
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
