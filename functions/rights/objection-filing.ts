/**
 * Filing an objection (SH-REG-2017 Art 36): the objection and the record's mark (and the legal
 * representative's copy's) in one transaction; a retried filing answers as the first did, and one
 * the pre-transaction code left half-way is adopted.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { DomainError } from '#core/errors';
import { receive, steps, type Objection } from '#core/objections';
import type { WorkCalendar } from '#core/work-calendar';
import { loadCalendar } from '#adapters/calendar-repo';
import { bucketName } from '#adapters/config';
import type { Caller } from '#adapters/http';
import { getObjection, newObjectionPut, objectionInStatus, objectionsOfSubject } from '#adapters/objection-repo';
import { logger } from '#adapters/powertools';
import { presignPut } from '#adapters/presign';
import { countObjection } from '#adapters/stats-repo';
import { copyInFile, findRecord, markUpdate, representativeCopy, tableOf } from '#adapters/record-state-repo';
import type { StoredRecord, SubjectTable } from '#adapters/subject-repo';
import { transactConditionally, type TransactItem } from '#adapters/transact';
import type { ResponseOf } from '../api-routes.ts';
import { EVIDENCE_PREFIX, evidenceFiles } from './objection-view.ts';
import { actorOf, subjectOfRequest, type NamedSubject } from './parties.ts';
import type { CreateObjection } from './schemas.ts';

/** Files an objection (a retry answers as the first did); the answer's body. */
export async function fileObjection(caller: Caller, input: z.infer<typeof CreateObjection>): Promise<ResponseOf<'POST /v1/objections'>> {
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

/** The answer to a filing, the first or a retry: counted once (the counter's guard), same id and deadlines. */
async function filed(o: Objection, cal: WorkCalendar): Promise<ResponseOf<'POST /v1/objections'>> {
  await countObjection(o, o.receivedAt, cal);
  logger.info('objection received', { objectionId: o.objectionId, recordId: o.recordId, provider: o.provider, channel: o.channel });
  const uploads = bucketName('uploads');
  return {
    objectionId: o.objectionId,
    status: o.status,
    deadlines: steps(o, o.receivedAt, cal).map(({ step, deadline, deadlineProvisional }) => ({ step, deadline, deadlineProvisional })),
    evidenceUploads: await Promise.all(evidenceFiles(o).map(async (f) => ({ ...f, uploadUrl: await presignPut(uploads, f.key) }))),
  };
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
