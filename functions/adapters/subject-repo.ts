/**
 * The subject tables (legal and natural persons) and the registry. A subject's profile and its
 * records share one partition, so one Query reads a whole credit file.
 *   legal:   pk = USCC,                sk = PROFILE | REC#{provider}#{item}#{recordId}
 *   natural: pk = HMAC(ID number),    sk = PROFILE | REC#...
 *   registry: pk = REG#{regNo} | ORG#{orgCode} | INST#.. | SOC#.. | TAX#..,  sk = SUBJECT → {uscc}
 *             pk = HOLD#{identifier}, sk = {provider}#{item}#{recordId} → a record waiting for its subject
 * Record writes are conditional: a row of the same batch may rewrite its own record (redelivery),
 * but a second row with the same key in the same file is refused as a duplicate.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from './clients.ts';
import { tableName } from './config.ts';
import { afterWrite } from './faults.ts';

export type SubjectTable = 'legalSubjects' | 'naturalSubjects';

export interface StoredRecord {
  pk: string;
  sk: string;
  recordId: string;
  provider: string;
  item: string;
  key: string;
  status: 'ACTIVE' | 'WITHDRAWN';
  fields: Record<string, unknown>;
  /** Sealed (encrypted) values of ID-number fields; `fields` holds their masked form. */
  sealed?: Record<string, string>;
  subjectName: string;
  batchId: string;
  row: number;
  receivedAt: string;
  updatedAt: string;
  catalogVersion?: string;
  recordClass: string;
  polarity: string;
  severity?: string;
  disclosure: string;
  publicity?: string | null;
  /** Set on a copy filed under a responsible person (the legal representative). */
  via?: { uscc: string; role: 'LEGAL_REPRESENTATIVE' };
  withdrawnAt?: string;
  withdrawnBy?: string;
  /** Held records: every registry key the record waits under. */
  holdKeys?: string[];
}

function isConditionFailure(err: unknown): boolean {
  return err instanceof ConditionalCheckFailedException || (err as Error)?.name === 'ConditionalCheckFailedException';
}

/**
 * Writes a record. 'duplicate' when another row of the same batch already holds this key;
 * 'superseded' when a newer batch already wrote it (a late redelivery never rolls data back).
 */
export async function putRecord(table: SubjectTable | 'registry', record: StoredRecord): Promise<'written' | 'duplicate' | 'superseded'> {
  try {
    await ddb.send(
      new PutCommand({
        TableName: tableName(table),
        Item: record,
        ConditionExpression: 'attribute_not_exists(sk) OR (batchId = :b AND #row = :r) OR (batchId <> :b AND receivedAt <= :t)',
        ExpressionAttributeNames: { '#row': 'row' },
        ExpressionAttributeValues: { ':b': record.batchId, ':r': record.row, ':t': record.receivedAt },
      }),
    );
    afterWrite('putRecord');
    return 'written';
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    const existing = await ddb.send(
      new GetCommand({ TableName: tableName(table), Key: { pk: record.pk, sk: record.sk }, ConsistentRead: true, ProjectionExpression: 'batchId' }),
    );
    return existing.Item?.batchId === record.batchId ? 'duplicate' : 'superseded';
  }
}

/** The row number already holding (pk, sk), for a duplicate's message. */
export async function recordRow(table: SubjectTable | 'registry', pk: string, sk: string): Promise<number | undefined> {
  const out = await ddb.send(new GetCommand({ TableName: tableName(table), Key: { pk, sk }, ProjectionExpression: '#row', ExpressionAttributeNames: { '#row': 'row' } }));
  return out.Item?.row as number | undefined;
}

/** Withdraws a record (op=delete): it stays as a tombstone for audit, never served. */
export async function withdrawRecord(
  table: SubjectTable | 'registry',
  pk: string,
  sk: string,
  by: { batchId: string; row: number; at: string },
): Promise<'withdrawn' | 'missing'> {
  try {
    await ddb.send(
      new UpdateCommand({
        TableName: tableName(table),
        Key: { pk, sk },
        UpdateExpression: 'SET #status = :w, withdrawnAt = if_not_exists(withdrawnAt, :at), withdrawnBy = :by, updatedAt = :at',
        ConditionExpression: 'attribute_exists(sk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':w': 'WITHDRAWN', ':at': by.at, ':by': `${by.batchId}#${by.row}` },
      }),
    );
    afterWrite('withdrawRecord');
    return 'withdrawn';
  } catch (err) {
    if (isConditionFailure(err)) return 'missing';
    throw err;
  }
}

/** Makes sure a legal subject has a profile; one first seen in a record is `registered: false`. */
export async function ensureLegalProfile(uscc: string, name: string, partyType: string, at: string): Promise<void> {
  await ddb.send(
    new UpdateCommand({
      TableName: tableName('legalSubjects'),
      Key: { pk: uscc, sk: 'PROFILE' },
      UpdateExpression:
        'SET #name = if_not_exists(#name, :n), registered = if_not_exists(registered, :f), partyType = if_not_exists(partyType, :t), firstSeenAt = if_not_exists(firstSeenAt, :at), uscc = :u',
      ExpressionAttributeNames: { '#name': 'name' },
      ExpressionAttributeValues: { ':n': name, ':f': false, ':t': partyType, ':at': at, ':u': uscc },
    }),
  );
}

export interface Registration {
  uscc: string;
  name: string;
  partyType: string;
  regNo?: string;
  orgCode: string;
  otherIds: Record<string, string>;
  legalRepName?: string;
  source: { provider: string; item: string; recordId: string };
  at: string;
}

/** A registration record: the profile becomes `registered: true` and the registry learns its identifiers. */
export async function register(r: Registration): Promise<string[]> {
  await ddb.send(
    new UpdateCommand({
      TableName: tableName('legalSubjects'),
      Key: { pk: r.uscc, sk: 'PROFILE' },
      UpdateExpression:
        'SET #name = :n, registered = :t, partyType = :pt, orgCode = :o, uscc = :u, registeredBy = :src, registeredAt = if_not_exists(registeredAt, :at), firstSeenAt = if_not_exists(firstSeenAt, :at)' +
        (r.regNo ? ', regNo = :r' : '') +
        (r.legalRepName ? ', legalRepName = :lr' : ''),
      ExpressionAttributeNames: { '#name': 'name' },
      ExpressionAttributeValues: {
        ':n': r.name,
        ':t': true,
        ':pt': r.partyType,
        ':o': r.orgCode,
        ':u': r.uscc,
        ':src': r.source,
        ':at': r.at,
        ...(r.regNo ? { ':r': r.regNo } : {}),
        ...(r.legalRepName ? { ':lr': r.legalRepName } : {}),
      },
    }),
  );
  const ids = registryKeysOf({ regNo: r.regNo, orgCode: r.orgCode, ...r.otherIds });
  for (const id of ids) {
    await ddb.send(new PutCommand({ TableName: tableName('registry'), Item: { pk: id, sk: 'SUBJECT', uscc: r.uscc, at: r.at } }));
  }
  return ids;
}

/** Registry keys for a subject's secondary identifiers. */
export function registryKeysOf(ids: { regNo?: string; orgCode?: string; instCertNo?: string; socOrgCertNo?: string; taxNo?: string }): string[] {
  const keys: string[] = [];
  if (ids.regNo) keys.push(`REG#${ids.regNo}`);
  if (ids.orgCode) keys.push(`ORG#${ids.orgCode}`);
  if (ids.instCertNo) keys.push(`INST#${ids.instCertNo}`);
  if (ids.socOrgCertNo) keys.push(`SOC#${ids.socOrgCertNo}`);
  if (ids.taxNo) keys.push(`TAX#${ids.taxNo}`);
  return keys;
}

/** Resolves registry keys to USCCs (strongly consistent). */
export async function lookupRegistry(keys: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const unique = [...new Set(keys)];
  for (let i = 0; i < unique.length; i += 100) {
    let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> | undefined = {
      [tableName('registry')]: { Keys: unique.slice(i, i + 100).map((pk) => ({ pk, sk: 'SUBJECT' })), ConsistentRead: true },
    };
    for (let attempt = 0; request && Object.keys(request).length; attempt++) {
      if (attempt > 8) throw new Error('registry lookup: unprocessed keys after retries');
      const out = await ddb.send(new BatchGetCommand({ RequestItems: request }));
      for (const item of out.Responses?.[tableName('registry')] ?? []) found.set(item.pk as string, item.uscc as string);
      request = out.UnprocessedKeys as typeof request;
      if (request && Object.keys(request).length) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
    }
  }
  return found;
}

export const holdPk = (registryKey: string) => `HOLD#${registryKey}`;

/** Records waiting for the subject with this registry key. */
export async function heldRecords(registryKey: string): Promise<StoredRecord[]> {
  const items: StoredRecord[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await ddb.send(
      new QueryCommand({
        TableName: tableName('registry'),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': holdPk(registryKey) },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...((out.Items ?? []) as StoredRecord[]));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

export async function deleteHeld(pk: string, sk: string): Promise<void> {
  await ddb.send(new DeleteCommand({ TableName: tableName('registry'), Key: { pk, sk } }));
}

/** Puts a record into a subject's file unconditionally (moving it out of the holding area). */
export async function fileRecord(table: SubjectTable, record: StoredRecord): Promise<void> {
  await ddb.send(new PutCommand({ TableName: tableName(table), Item: record }));
}

export async function ensureNaturalProfile(pk: string, p: { name: string; sealedId: string; maskedId: string; at: string }): Promise<void> {
  await ddb.send(
    new UpdateCommand({
      TableName: tableName('naturalSubjects'),
      Key: { pk, sk: 'PROFILE' },
      UpdateExpression: 'SET #name = if_not_exists(#name, :n), idSealed = if_not_exists(idSealed, :s), idMasked = :m, firstSeenAt = if_not_exists(firstSeenAt, :at)',
      ExpressionAttributeNames: { '#name': 'name' },
      ExpressionAttributeValues: { ':n': p.name, ':s': p.sealedId, ':m': p.maskedId, ':at': p.at },
    }),
  );
}

/** The whole partition of one subject: profile and records. */
export async function subjectPartition(table: SubjectTable, pk: string): Promise<{ profile?: Record<string, unknown>; records: StoredRecord[] }> {
  const records: StoredRecord[] = [];
  let profile: Record<string, unknown> | undefined;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await ddb.send(
      new QueryCommand({ TableName: tableName(table), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ExclusiveStartKey: start }),
    );
    for (const item of out.Items ?? []) {
      if (item.sk === 'PROFILE') profile = item;
      else records.push(item as StoredRecord);
    }
    start = out.LastEvaluatedKey;
  } while (start);
  return { profile, records };
}
