/**
 * A provider's own records after the fact (role `provider`, only records it supplied):
 *   POST /v1/records/{recordId}/repair      信用修复 (Art 38): the repair certificate; the record leaves
 *                                           every query interface at once and stays for admin audit
 *   POST /v1/records/{recordId}/revocation  撤销 (Art 37): the decision was revoked; the record becomes a
 *                                           tombstone (who, when, why) and a withdrawal at the next export
 * The body names the subject, since a record lives in its subject's file. A copy filed under the
 * legal representative follows the record.
 */
import type { z } from 'zod';
import { isRepairable } from '#core/catalog';
import { currentCatalog } from '#adapters/catalog-repo';
import { HttpError, body, httpHandler, json, requireRole, validate, type Caller, type HttpRequest } from '#adapters/http';
import { logger } from '#adapters/powertools';
import { countRecordRight } from '#adapters/stats-repo';
import { changeRecord, findRecord, representativeCopy, tableOf, writeTombstone } from '#adapters/record-state-repo';
import type { StoredRecord } from '#adapters/subject-repo';
import { subjectOfRequest } from './parties.ts';
import { RecordIdSchema, RepairBody, RevocationBody, type SubjectRef } from './schemas.ts';

async function ownRecord(req: HttpRequest, caller: Caller, subject: z.infer<typeof SubjectRef>): Promise<{ record: StoredRecord; table: ReturnType<typeof tableOf>; subjectType: 'LEGAL' | 'NATURAL' }> {
  const recordId = validate(RecordIdSchema, req.path.recordId, 'path.recordId');
  const named = await subjectOfRequest(caller, subject);
  const table = tableOf(named.type);
  const record = await findRecord(table, named.key, recordId);
  if (!record) throw new HttpError(404, 'RECORD_NOT_FOUND', `no record ${recordId} in the credit file of ${named.label}`);
  if (record.provider !== caller.unit) throw new HttpError(403, 'NOT_YOUR_RECORD', `record ${recordId} was supplied by ${record.provider}; only that provider may change it`);
  return { record, table, subjectType: named.type };
}

async function repair(req: HttpRequest) {
  const caller = requireRole(req, 'provider');
  const input = body(req, RepairBody);
  const { record, table, subjectType } = await ownRecord(req, caller, input.subject);
  if (record.status !== 'ACTIVE') throw new HttpError(409, 'RECORD_NOT_ACTIVE', `record ${record.recordId} is ${record.status}; only an active record is repaired`);
  if (record.polarity !== 'NEGATIVE') throw new HttpError(409, 'NOT_NEGATIVE', `record ${record.recordId} is ${record.polarity}; credit repair applies to negative records`);
  const item = (await currentCatalog())?.index.item(record.item);
  if (item && !isRepairable(item)) {
    throw new HttpError(422, 'NOT_REPAIRABLE', `records of ${item.code} (${item.name}) cannot be repaired: the catalog marks the item not repairable`);
  }
  const at = new Date().toISOString();
  const repaired = { certificateNo: input.certificateNo, issuedOn: input.issuedOn, ...(input.note ? { note: input.note } : {}), at, by: `${caller.unit}/${caller.sub}` };
  const set = { status: 'REPAIRED', repair: repaired };
  if (!(await changeRecord(table, record, { set, expectStatus: 'ACTIVE', exported: true }, at))) {
    throw new HttpError(409, 'CONCURRENT_CHANGE', `record ${record.recordId} changed meanwhile; read it again`);
  }
  const copy = await representativeCopy(record);
  if (copy) await changeRecord('naturalSubjects', copy, { set, expectStatus: copy.status, exported: false }, at);
  await countRecordRight({ action: 'repaired', recordId: record.recordId, provider: record.provider, item: record.item, subjectType, at });
  logger.info('record repaired', { recordId: record.recordId, provider: record.provider, item: record.item });
  return json(200, { recordId: record.recordId, status: 'REPAIRED', repair: repaired });
}

const REVOCABLE = new Set(['ACTIVE', 'REPAIRED', 'EXPIRED']);

async function revoke(req: HttpRequest) {
  const caller = requireRole(req, 'provider');
  const input = body(req, RevocationBody);
  const { record, table, subjectType } = await ownRecord(req, caller, input.subject);
  if (record.status === 'REVOKED') throw new HttpError(409, 'ALREADY_REVOKED', `record ${record.recordId} was revoked at ${record.revokedAt}`);
  if (!REVOCABLE.has(record.status)) throw new HttpError(409, 'RECORD_NOT_ACTIVE', `record ${record.recordId} is ${record.status}; there is nothing left to revoke`);
  const revocation = { at: new Date().toISOString(), by: `${caller.unit}/${caller.sub}`, reason: input.reason, ...(input.decisionNo ? { decisionNo: input.decisionNo } : {}) };
  if (!(await writeTombstone(table, record, revocation))) {
    throw new HttpError(409, 'CONCURRENT_CHANGE', `record ${record.recordId} changed meanwhile; read it again`);
  }
  const copy = await representativeCopy(record);
  if (copy && copy.status !== 'REVOKED') await writeTombstone('naturalSubjects', copy, revocation);
  await countRecordRight({ action: 'revoked', recordId: record.recordId, provider: record.provider, item: record.item, subjectType, at: revocation.at });
  logger.info('record revoked', { recordId: record.recordId, provider: record.provider, item: record.item });
  return json(200, { recordId: record.recordId, status: 'REVOKED', revokedAt: revocation.at, revokedBy: revocation.by, reason: revocation.reason });
}

export const handler = httpHandler({
  'POST /v1/records/{recordId}/repair': repair,
  'POST /v1/records/{recordId}/revocation': revoke,
});
