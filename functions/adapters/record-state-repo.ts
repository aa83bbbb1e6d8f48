/**
 * State changes of a stored record after ingest: the objection mark, a correction or deletion
 * decided on an objection, credit repair, revocation and expiry. Every change is a conditional
 * write on the status it was read in, so a record never changes twice or behind another change
 * (the rights changes write theirs, built below, in one transaction with the objection and the
 * legal representative's copy: adapters/transact);
 * every change of a double-publicity record stamps the export's change keys (core/change-marker).
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { changeKeys } from '#core/change-marker';
import { itemKeys } from '#core/due-day';
import { ddb } from './clients.ts';
import { conditionally } from './conditions.ts';
import { tableName } from './config.ts';
import { naturalSubjectKey, unseal } from './personal-data.ts';
import { queryAll } from './query-all.ts';
import { stockCounterItem, transactCounted } from './stock-repo.ts';
import type { TransactItem } from './transact.ts';
import type { ObjectionMark, RecordStatus, StoredRecord, SubjectTable } from './subject-repo.ts';

export const tableOf = (subjectType: 'LEGAL' | 'NATURAL'): SubjectTable => (subjectType === 'LEGAL' ? 'legalSubjects' : 'naturalSubjects');

/** The record with this id in a subject's own file (copies filed under a legal representative excluded). */
export async function findRecord(table: SubjectTable, pk: string, recordId: string): Promise<StoredRecord | undefined> {
  const items = await queryAll<StoredRecord>({
    TableName: tableName(table),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :rec)',
    FilterExpression: 'recordId = :id',
    ExpressionAttributeValues: { ':pk': pk, ':rec': 'REC#', ':id': recordId },
    ConsistentRead: true,
  });
  return items.find((r) => !r.via);
}

/**
 * A copy filed in a person's own file (`via` the company whose legal representative the person is)
 * of the company record `recordId`, with the company's USCC; undefined when there is none.
 */
export async function copyInFile(pk: string, recordId: string): Promise<(StoredRecord & { via: NonNullable<StoredRecord['via']> }) | undefined> {
  const items = await queryAll<StoredRecord>({
    TableName: tableName('naturalSubjects'),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :rec)',
    FilterExpression: 'recordId = :id',
    ExpressionAttributeValues: { ':pk': pk, ':rec': 'REC#', ':id': recordId },
    ConsistentRead: true,
  });
  const copy = items.find((r) => r.via) as (StoredRecord & { via: NonNullable<StoredRecord['via']> }) | undefined;
  if (!copy || copy.via.uscc) return copy;
  // a copy filed while its record was held (未关联) names no company; the record, linked since, is
  // found by its item and id through the keys-only byItem index (ACTIVE records only; holds are skipped)
  const listed = await queryAll<{ pk: string }>({
    TableName: tableName('legalSubjects'),
    IndexName: 'byItem',
    KeyConditionExpression: 'itempk = :ip AND itemsk = :id',
    ExpressionAttributeValues: { ':ip': itemKeys(copy).itempk, ':id': recordId },
  });
  const uscc = listed.map((r) => r.pk).find((pk) => !pk.startsWith('HOLD#'));
  return uscc ? { ...copy, via: { ...copy.via, uscc } } : copy;
}

/**
 * The copy of a serious record filed under the legal representative's own file (ingest's `#REP`
 * copy), found through the representative's sealed ID number; undefined when there is none.
 */
export async function representativeCopy(record: StoredRecord): Promise<StoredRecord | undefined> {
  const sealedId = record.sealed?.legalRepIdNo;
  if (record.via || !sealedId) return undefined;
  const pk = await naturalSubjectKey(await unseal(sealedId));
  const out = await ddb.send(new GetCommand({ TableName: tableName('naturalSubjects'), Key: { pk, sk: `${record.sk}#REP` }, ConsistentRead: true }));
  return out.Item as StoredRecord | undefined;
}

export interface RecordChange {
  /** Attributes to set (top level). */
  set: Record<string, unknown>;
  remove?: string[];
  /** The status the record must still have. */
  expectStatus: RecordStatus;
  /** The objection whose mark the record must still carry. */
  expectObjection?: string;
  /** Stamp the export's change keys (a change the national platform must see). */
  exported: boolean;
}

/**
 * Index keys a record loses when it stops being served: the public search index holds only what
 * is shown, the byExpiry index only ACTIVE records with something due; and it leaves the stock of
 * queryable records (core/stock).
 */
const UNSHOWN_REMOVES = ['pubpk', 'pubsk', 'exppk', 'expsk', 'itempk', 'itemsk', 'stock'] as const;

type Changed = Pick<StoredRecord, 'pk' | 'sk' | 'recordId' | 'publicity' | 'stock'>;

const leavesActive = (change: RecordChange) => typeof change.set.status === 'string' && change.set.status !== 'ACTIVE';

/** The counter row a record leaving ACTIVE takes itself out of (none when it was not counted). */
function stockRelease(record: Pick<StoredRecord, 'recordId' | 'stock'>): TransactItem[] {
  return record.stock ? [stockCounterItem(record.stock, -1, record.recordId)] : [];
}

/**
 * The writes of one change, as items of a transaction: the record's conditional update and, when
 * it leaves ACTIVE while counted, its counter row (core/stock) — both or neither.
 */
export function recordChangeItems(table: SubjectTable, record: Changed, change: RecordChange, at: string): TransactItem[] {
  return [recordUpdate(table, record, change, at), ...(leavesActive(change) ? stockRelease(record) : [])];
}

/**
 * Applies one change; false when the record is gone or no longer in the expected state. A change
 * that takes the record out of ACTIVE also takes it out of the byPublicity index (its `publicUntil`
 * stays on the record).
 */
export async function changeRecord(table: SubjectTable, record: Changed, change: RecordChange, at: string): Promise<boolean> {
  const items = recordChangeItems(table, record, change, at);
  if (items.length > 1) return transactCounted(items);
  return conditionally(() => ddb.send(new UpdateCommand(recordUpdate(table, record, change, at).Update)));
}

/** The conditional update changeRecord writes, as one item of a transaction. */
export function recordUpdate(table: SubjectTable, record: Changed, change: RecordChange, at: string) {
  const set = { ...change.set, updatedAt: at, ...(change.exported ? changeKeys(record, at) : {}) };
  const leaves = leavesActive(change);
  const remove = [...new Set([...(change.remove ?? []), ...(leaves ? UNSHOWN_REMOVES : [])])].filter((k) => !(k in set));
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = { ':expect': change.expectStatus };
  const assignments = Object.entries(set).map(([k, v], i) => {
    names[`#s${i}`] = k;
    values[`:s${i}`] = v;
    return `#s${i} = :s${i}`;
  });
  const removals = remove.map((k, i) => {
    names[`#r${i}`] = k;
    return `#r${i}`;
  });
  let condition = 'attribute_exists(pk) AND #status = :expect';
  if (leaves) condition += stockCondition(record, names);
  if (change.expectObjection) {
    names['#objection'] = 'objection';
    names['#oid'] = 'objectionId';
    values[':oid'] = change.expectObjection;
    condition += ' AND #objection.#oid = :oid';
  }
  return {
    Update: {
      TableName: tableName(table),
      Key: { pk: record.pk, sk: record.sk },
      UpdateExpression: `SET ${assignments.join(', ')}${removals.length ? ` REMOVE ${removals.join(', ')}` : ''}`,
      ConditionExpression: condition,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/**
 * Marks an active record with an objection, as one item of a transaction: refused when it is no
 * longer active or already carries an open objection's mark (the mark is the lock: one open
 * objection per record).
 */
export function markUpdate(table: SubjectTable, record: Pick<StoredRecord, 'pk' | 'sk'>, mark: ObjectionMark) {
  return {
    Update: {
      TableName: tableName(table),
      Key: { pk: record.pk, sk: record.sk },
      UpdateExpression: 'SET objection = :mark',
      ConditionExpression: 'attribute_exists(pk) AND #status = :active AND attribute_not_exists(objection)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':mark': mark, ':active': 'ACTIVE' },
    },
  };
}

/** Moves the mark along with its objection (RECEIVED → FORWARDED ...), as one item of a transaction (refused when the mark is gone). */
export function markStatusUpdate(table: SubjectTable, record: Pick<StoredRecord, 'pk' | 'sk'>, objectionId: string, status: string) {
  return {
    Update: {
      TableName: tableName(table),
      Key: { pk: record.pk, sk: record.sk },
      UpdateExpression: 'SET objection.#st = :status',
      ConditionExpression: 'objection.objectionId = :id',
      ExpressionAttributeNames: { '#st': 'status' },
      ExpressionAttributeValues: { ':status': status, ':id': objectionId },
    },
  };
}

/**
 * The record must still be counted (or not) as it was read, so that the counter row written with
 * the change matches what the change removes (the backfill may have counted it meanwhile).
 */
function stockCondition(record: Pick<StoredRecord, 'stock'>, names: Record<string, string>): string {
  names['#stock'] = 'stock';
  return record.stock ? ' AND attribute_exists(#stock)' : ' AND attribute_not_exists(#stock)';
}

/** Attributes a revocation tombstone keeps: identity, export keys, and who, when and why — no content. */
const TOMBSTONE_KEEPS = [
  'pk',
  'sk',
  'recordId',
  'provider',
  'item',
  'key',
  'publicity',
  'recordClass',
  'polarity',
  'severity',
  'disclosure',
  'receivedAt',
  'batchId',
  'via',
  'objection',
] as const;

/**
 * Replaces the record by its revocation tombstone (Art 37: deleted from the query database; the
 * tombstone with who, when and why stays for audit and turns into a withdrawal at the next export),
 * as one item of a transaction: refused when the record is no longer in the status it was read in.
 */
export function tombstonePut(table: SubjectTable, record: StoredRecord, revocation: { at: string; by: string; reason: string; decisionNo?: string }) {
  const kept: Record<string, unknown> = {};
  for (const k of TOMBSTONE_KEEPS) if (record[k] !== undefined) kept[k] = record[k];
  const names: Record<string, string> = { '#status': 'status' };
  const item = {
    ...kept,
    status: 'REVOKED',
    revokedAt: revocation.at,
    revokedBy: revocation.by,
    reason: revocation.reason,
    ...(revocation.decisionNo ? { revocationDecisionNo: revocation.decisionNo } : {}),
    updatedAt: revocation.at,
    // a copy under a legal representative is never exported
    ...(record.via ? {} : changeKeys(record, revocation.at)),
  };
  return {
    Put: {
      TableName: tableName(table),
      Item: item,
      ConditionExpression: `attribute_exists(pk) AND #status = :seen${stockCondition(record, names)}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ':seen': record.status },
    },
  };
}

/** The tombstone and, for a counted record, its counter row (core/stock), as items of one transaction. */
export function tombstoneItems(table: SubjectTable, record: StoredRecord, revocation: Parameters<typeof tombstonePut>[2]): TransactItem[] {
  return [tombstonePut(table, record, revocation), ...stockRelease(record)];
}
