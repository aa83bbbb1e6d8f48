/**
 * A provider's own records after the fact (role `provider`, only records it supplied):
 *   POST /v1/records/{recordId}/repair      信用修复 (Art 38): the repair certificate; the record leaves
 *                                           every query interface at once and stays for admin audit
 *   POST /v1/records/{recordId}/revocation  撤销 (Art 37): the decision was revoked; the record becomes a
 *                                           tombstone (who, when, why) and a withdrawal at the next export
 * The body names the subject, since a record lives in its subject's file. A copy filed under the
 * legal representative follows the record in the same transaction (adapters/transact), and a
 * retried request finds its change made and answers as the first did. The credit-list entries that rest
 * on the record alone (联合奖惩, entered by rule) exit in the same transaction: a repaired or revoked
 * record never leaves its subject listed, not even until the list clock's next run.
 */
import { DomainError } from '#core/errors';
import type { z } from 'zod';
import { isRepairable } from '#core/catalog';
import { currentCatalog } from '#adapters/catalog-repo';
import { body, httpHandler, json, requireRole, validate, type Caller, type HttpRequest } from '#adapters/http';
import { logger } from '#adapters/powertools';
import { countRecordRight } from '#adapters/stats-repo';
import {
  changeRecord,
  findRecord,
  recordChangeItems,
  recordUpdate,
  representativeCopy,
  tableOf,
  tombstoneItems,
  tombstonePut,
} from '#adapters/record-state-repo';
import type { StoredRecord } from '#adapters/subject-repo';
import { transactConditionally, type TransactItem } from '#adapters/transact';
import { countSavedEntries } from '#adapters/joint-repo';
import { subjectPartition } from '#adapters/subject-repo';
import { exitsOnRecordEnd } from '../joint/index.ts';
import { subjectOfRequest } from './parties.ts';
import { RecordIdSchema, RepairBody, RevocationBody, type SubjectRef } from './schemas.ts';
import type { Reply } from '../api-routes.ts';

async function ownRecord(
  req: HttpRequest,
  caller: Caller,
  subject: z.infer<typeof SubjectRef>,
): Promise<{ record: StoredRecord; table: ReturnType<typeof tableOf>; subjectType: 'LEGAL' | 'NATURAL' }> {
  const recordId = validate(RecordIdSchema, req.path.recordId, 'path.recordId');
  const named = await subjectOfRequest(caller, subject);
  const table = tableOf(named.type);
  const record = await findRecord(table, named.key, recordId);
  if (!record) throw new DomainError('notFound', 'RECORD_NOT_FOUND', `no record ${recordId} in the credit file of ${named.label}`);
  if (record.provider !== caller.unit)
    throw new DomainError('forbidden', 'NOT_YOUR_RECORD', `record ${recordId} was supplied by ${record.provider}; only that provider may change it`);
  return { record, table, subjectType: named.type };
}

async function repair(req: HttpRequest): Promise<Reply<'POST /v1/records/{recordId}/repair'>> {
  const caller = requireRole(req, 'provider');
  const input = body(req, RepairBody);
  const { record, table, subjectType } = await ownRecord(req, caller, input.subject);
  if (sameRepair(record, input.certificateNo)) return repaired(record, subjectType);
  if (record.status !== 'ACTIVE')
    throw new DomainError('conflict', 'RECORD_NOT_ACTIVE', `record ${record.recordId} is ${record.status}; only an active record is repaired`);
  if (record.polarity !== 'NEGATIVE')
    throw new DomainError('conflict', 'NOT_NEGATIVE', `record ${record.recordId} is ${record.polarity}; credit repair applies to negative records`);
  const published = await currentCatalog({ items: [record.item] });
  const item = published?.index.item(record.item);
  if (item && !isRepairable(item)) {
    throw new DomainError(
      'unprocessable',
      'NOT_REPAIRABLE',
      `records of ${item.code} (${item.name}) cannot be repaired: the catalog marks the item not repairable`,
    );
  }
  const at = new Date().toISOString();
  const repair = {
    certificateNo: input.certificateNo,
    issuedOn: input.issuedOn,
    ...(input.note ? { note: input.note } : {}),
    at,
    by: `${caller.unit}/${caller.sub}`,
  };
  const set = { status: 'REPAIRED', repair };
  const copy = await representativeCopy(record);
  const items: TransactItem[] = recordChangeItems(table, record, { set, expectStatus: 'ACTIVE', exported: true }, at);
  if (copy && copy.status === 'ACTIVE') items.push(recordUpdate('naturalSubjects', copy, { set, expectStatus: 'ACTIVE', exported: false }, at));
  const exits = await listExits(table, subjectType, record, 'REPAIRED', at);
  items.push(...exits.items);
  if (!(await transactConditionally(items, 'record repaired'))) {
    const current = await findRecord(table, record.pk, record.recordId);
    if (current && sameRepair(current, input.certificateNo)) return repaired(current, subjectType);
    throw new DomainError('conflict', 'CONCURRENT_CHANGE', `record ${record.recordId} changed meanwhile; read it again`);
  }
  await countSavedEntries(exits.exited);
  return repaired({ ...record, status: 'REPAIRED', repair }, subjectType);
}

/** The list entries resting on the record that its end takes out, as writes for the same transaction. */
async function listExits(
  table: ReturnType<typeof tableOf>,
  subjectType: 'LEGAL' | 'NATURAL',
  record: StoredRecord,
  status: StoredRecord['status'],
  at: string,
) {
  // the subject's records and the catalog entries of their items only (never the whole catalog)
  const records = (await subjectPartition(table, record.pk)).records;
  const published = await currentCatalog({ items: [...new Set(records.map((r) => r.item))] });
  if (!published) return { items: [], exited: [] };
  return exitsOnRecordEnd({ type: subjectType, key: record.pk }, { recordId: record.recordId, status }, async () => records, published.index, at);
}

const sameRepair = (record: StoredRecord, certificateNo: string) => record.status === 'REPAIRED' && record.repair?.certificateNo === certificateNo;

/** The answer to a repair, the first or a retry; a retry also brings along a copy a lost write left ACTIVE. */
async function repaired(record: StoredRecord, subjectType: 'LEGAL' | 'NATURAL'): Promise<Reply<'POST /v1/records/{recordId}/repair'>> {
  const repair = record.repair!;
  const copy = await representativeCopy(record);
  if (copy?.status === 'ACTIVE')
    await changeRecord('naturalSubjects', copy, { set: { status: 'REPAIRED', repair }, expectStatus: 'ACTIVE', exported: false }, repair.at);
  await countRecordRight({ action: 'repaired', recordId: record.recordId, provider: record.provider, item: record.item, subjectType, at: repair.at });
  logger.info('record repaired', { recordId: record.recordId, provider: record.provider, item: record.item });
  return json(200, { recordId: record.recordId, status: 'REPAIRED', repair });
}

const REVOCABLE = new Set(['ACTIVE', 'REPAIRED', 'EXPIRED']);

async function revoke(req: HttpRequest): Promise<Reply<'POST /v1/records/{recordId}/revocation'>> {
  const caller = requireRole(req, 'provider');
  const input = body(req, RevocationBody);
  const { record, table, subjectType } = await ownRecord(req, caller, input.subject);
  if (sameRevocation(record, input)) return revoked(record, subjectType);
  if (record.status === 'REVOKED') throw new DomainError('conflict', 'ALREADY_REVOKED', `record ${record.recordId} was revoked at ${record.revokedAt}`);
  if (!REVOCABLE.has(record.status))
    throw new DomainError('conflict', 'RECORD_NOT_ACTIVE', `record ${record.recordId} is ${record.status}; there is nothing left to revoke`);
  const revocation = {
    at: new Date().toISOString(),
    by: `${caller.unit}/${caller.sub}`,
    reason: input.reason,
    ...(input.decisionNo ? { decisionNo: input.decisionNo } : {}),
  };
  // the copy is found through the record's sealed numbers, which the tombstone no longer holds
  const copy = await representativeCopy(record);
  const items: TransactItem[] = tombstoneItems(table, record, revocation);
  if (copy && copy.status !== 'REVOKED') items.push(tombstonePut('naturalSubjects', copy, revocation));
  const exits = await listExits(table, subjectType, record, 'REVOKED', revocation.at);
  items.push(...exits.items);
  if (!(await transactConditionally(items, 'record revoked'))) {
    const current = await findRecord(table, record.pk, record.recordId);
    if (current && sameRevocation(current, input)) return revoked(current, subjectType);
    throw new DomainError('conflict', 'CONCURRENT_CHANGE', `record ${record.recordId} changed meanwhile; read it again`);
  }
  await countSavedEntries(exits.exited);
  return revoked({ ...record, status: 'REVOKED', revokedAt: revocation.at, revokedBy: revocation.by, reason: revocation.reason }, subjectType);
}

/** A retried revocation: the record is revoked for the same reason and decision. */
const sameRevocation = (record: StoredRecord, input: { reason: string; decisionNo?: string }) =>
  record.status === 'REVOKED' && record.reason === input.reason && (record as { revocationDecisionNo?: string }).revocationDecisionNo === input.decisionNo;

async function revoked(record: StoredRecord, subjectType: 'LEGAL' | 'NATURAL'): Promise<Reply<'POST /v1/records/{recordId}/revocation'>> {
  const at = record.revokedAt!;
  await countRecordRight({ action: 'revoked', recordId: record.recordId, provider: record.provider, item: record.item, subjectType, at });
  logger.info('record revoked', { recordId: record.recordId, provider: record.provider, item: record.item });
  return json(200, { recordId: record.recordId, status: 'REVOKED', revokedAt: at, revokedBy: record.revokedBy, reason: record.reason });
}

export const handler = httpHandler({
  'POST /v1/records/{recordId}/repair': repair,
  'POST /v1/records/{recordId}/revocation': revoke,
});
