/**
 * An objection decided CORRECTED: the record's fields, changed as the decision says, go through
 * exactly the validation an uploaded row goes through (core/row-validator compileItem), as a
 * JSON Lines row rebuilt from the stored record. ID-number fields are stored masked and sealed,
 * as ingest stores them; a double-publicity record gets its public-search attributes anew.
 */
import type { InfoItem } from '#core/catalog';
import { DomainError } from '#core/errors';
import { maskIdNumber } from '#core/identifiers';
import { ISSUED_INVALID_USCC } from '#core/issued-invalid-codes';
import { DUE_ATTRIBUTES, dueKeys } from '#core/due-day';
import { publicityAttributes } from '#core/publicity';
import { compileItem, type RowError } from '#core/row-validator';
import { isSubjectColumnKey } from '#core/subject-columns';
import { tableName } from '#adapters/config';
import { naturalSubjectKey, sealer, unseal } from '#adapters/personal-data';
import type { StoredRecord } from '#adapters/subject-repo';

/** The attributes a correction sets and removes on the stored record. */
export interface Corrected {
  set: Record<string, unknown>;
  remove: string[];
  /** The changed fields, masked, for the objection's outcome. */
  changes: Record<string, unknown>;
  /**
   * The legal representative's ID number changed: the Art 28 copy moves from the person named
   * before to the one named now (`to`, in memory only; absent when the field was cleared).
   */
  representativeMoved?: { to?: string };
}

async function plainRow(item: InfoItem, record: StoredRecord): Promise<Record<string, unknown>> {
  const row: Record<string, unknown> = { ...record.fields };
  for (const [k, v] of Object.entries(record.sealed ?? {})) row[k] = await unseal(v);
  if (item.subjectType === 'LEGAL') {
    row.partyType = '法人及非法人组织';
    row.partyUscc = record.pk;
  } else {
    row.partyType = '自然人';
    if (record.subjectIdSealed) row.personIdNo = await unseal(record.subjectIdSealed);
  }
  row.partyName = record.subjectName;
  return row;
}

export async function correctRecord(item: InfoItem, record: StoredRecord, changes: Record<string, unknown>, today: string): Promise<Corrected> {
  const fieldKeys = new Set(item.fields.map((f) => f.key));
  const problems: Array<{ field: string; message: string }> = [];
  for (const k of Object.keys(changes)) {
    if (k === item.keyField) problems.push({ field: k, message: `${k} is the record key; a different key is a different record` });
    else if (!fieldKeys.has(k)) {
      problems.push({
        field: k,
        message: isSubjectColumnKey(k) ? `${k} names the subject, which a correction does not change` : `${k} is not a field of ${item.code}`,
      });
    }
  }
  if (problems.length) {
    throw new DomainError('invalid', 'CORRECTION_NOT_ALLOWED', problems.map((p) => p.message).join('; '), problems);
  }
  const before = await plainRow(item, record);
  const outcome = compileItem(item, { today, overrides: ISSUED_INVALID_USCC }).validate({ ...before, ...changes }, 1);
  if (!outcome.ok) {
    // the validator numbers the corrected record as row 1; in Chinese it is 更正后的记录
    const zhOf = (e: RowError) => e.messageZh.replace(/^第 1 行/, '更正后的记录');
    const details = outcome.errors.map((e: RowError) => ({ field: e.field, code: e.code, message: e.message, messageZh: zhOf(e) }));
    throw new DomainError(
      'unprocessable',
      'CORRECTION_INVALID',
      `the corrected record fails validation: ${details.map((d) => d.message).join('; ')}`,
      details,
      `更正后的记录未通过校验：${details.map((d) => d.messageZh).join('；')}`,
    );
  }

  const seal = await sealer();
  const fields: Record<string, unknown> = { ...outcome.value.fields };
  const repBefore = typeof before.legalRepIdNo === 'string' && before.legalRepIdNo ? before.legalRepIdNo : undefined;
  const repAfter = typeof fields.legalRepIdNo === 'string' && fields.legalRepIdNo ? fields.legalRepIdNo : undefined;
  let sealed: Record<string, string> | undefined;
  for (const f of item.fields) {
    const v = fields[f.key];
    if (f.type === 'idNumber' && typeof v === 'string' && v) {
      (sealed ??= {})[f.key] = seal(v);
      fields[f.key] = maskIdNumber(v);
    }
  }
  const set: Record<string, unknown> = { fields };
  const remove: string[] = [];
  if (sealed) set.sealed = sealed;
  else if (record.sealed) remove.push('sealed');
  // a record that was ever in the public index keeps publicUntil after leaving it: it gets its
  // attributes anew (a record past its period again is taken out by the daily record-expiry run)
  if (record.pubpk !== undefined || record.publicUntil !== undefined) {
    const pub = publicityAttributes(item, record.subjectName, record.recordId, fields);
    if (pub) Object.assign(set, pub);
    else remove.push('pubpk', 'pubsk', 'publicUntil');
  }
  // the byExpiry index: corrected dates may move the day the query period or the publicity ends
  const inIndex = remove.includes('pubpk') ? undefined : ((set.pubpk as string | undefined) ?? record.pubpk);
  const lastPublic = remove.includes('publicUntil') ? undefined : ((set.publicUntil as string | undefined) ?? record.publicUntil);
  const due = dueKeys({ recordId: record.recordId, status: record.status, fields, pubpk: inIndex, publicUntil: lastPublic }, item);
  if (due) Object.assign(set, due);
  else remove.push(...DUE_ATTRIBUTES);
  const shown = Object.fromEntries(Object.keys(changes).map((k) => [k, fields[k] ?? null]));
  return { set, remove, changes: shown, ...(repBefore !== repAfter ? { representativeMoved: repAfter ? { to: repAfter } : {} } : {}) };
}

/**
 * What a correction changes on the legal representative's copy of the record (Art 28): the same
 * fields and sealed numbers, and the copy's own byExpiry keys as ingest gives them (from the
 * record's fields alone: the copy is never in the public index, so it takes no public attributes).
 */
export function correctedCopy(item: InfoItem, copy: StoredRecord, corrected: Corrected): { set: Record<string, unknown>; remove: string[] } {
  const fields = corrected.set.fields as Record<string, unknown>;
  const set: Record<string, unknown> = { fields };
  const remove: string[] = [];
  if (corrected.set.sealed) set.sealed = corrected.set.sealed;
  else if (copy.sealed) remove.push('sealed');
  const due = dueKeys({ recordId: copy.recordId, status: copy.status, fields }, item);
  if (due) Object.assign(set, due);
  else remove.push(...DUE_ATTRIBUTES);
  return { set, remove };
}

/**
 * The Art 28 copy filed under the legal representative a correction names now (ingest's `#REP`
 * copy, built from the corrected record), as one item of the decision's transaction. It may
 * replace a copy that is no longer served there (one retired earlier), never a served one.
 */
export async function movedCopyPut(
  item: InfoItem,
  record: StoredRecord,
  corrected: Corrected,
  to: { idNo: string; name: string },
  at: string,
): Promise<{
  Put: {
    TableName: string;
    Item: Record<string, unknown>;
    ConditionExpression: string;
    ExpressionAttributeNames: Record<string, string>;
    ExpressionAttributeValues: Record<string, unknown>;
  };
}> {
  const seal = await sealer();
  const fields = corrected.set.fields as Record<string, unknown>;
  const kept: Record<string, unknown> = {};
  for (const k of COPY_KEEPS) if (record[k] !== undefined) kept[k] = record[k];
  const copy: Record<string, unknown> = {
    ...kept,
    pk: await naturalSubjectKey(to.idNo),
    sk: `${record.sk}#REP`,
    status: 'ACTIVE',
    fields,
    ...(corrected.set.sealed ? { sealed: corrected.set.sealed } : {}),
    subjectName: to.name,
    subjectIdSealed: seal(to.idNo),
    subjectIdMasked: maskIdNumber(to.idNo),
    via: { uscc: record.pk, role: 'LEGAL_REPRESENTATIVE' },
    updatedAt: at,
  };
  Object.assign(copy, dueKeys({ recordId: record.recordId, status: 'ACTIVE', fields }, item) ?? {});
  return {
    Put: {
      TableName: tableName('naturalSubjects'),
      Item: copy,
      ConditionExpression: 'attribute_not_exists(pk) OR #status <> :active',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':active': 'ACTIVE' },
    },
  };
}

/** What a copy keeps of its record, as ingest writes it (no index keys, marks or counters). */
const COPY_KEEPS = [
  'recordId',
  'provider',
  'item',
  'key',
  'batchId',
  'row',
  'receivedAt',
  'recordClass',
  'polarity',
  'severity',
  'disclosure',
  'publicity',
  'party',
] as const;
