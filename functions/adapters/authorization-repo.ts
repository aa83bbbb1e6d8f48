/**
 * Written authorisations (书面授权), one item each:
 *   pk = AUTH#{ref}, sk = AUTH; gsi1 bySubject: gsi1pk = SUBJ#{type}#{subjectKey}, gsi1sk = createdAt
 * A natural person is named by the HMAC key of the ID number and its masked form, never the number.
 * Revocation sets revokedAt once; the item is never deleted (it explains past queries).
 */
import { isConditionFailure } from './conditions.ts';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { AuthorizationGrant } from '#core/access-rules';
import { ddb } from './clients.ts';
import { queryAll } from './query-all.ts';
import { tableName } from './config.ts';

export interface StoredAuthorization extends AuthorizationGrant {
  /** USCC, or the masked ID number. */
  subjectLabel: string;
  createdAt: string;
  /** The token subject (`sub`) that granted it. */
  createdBy: string;
  revokedAt?: string | null;
}

const pkOf = (ref: string) => `AUTH#${ref}`;
export const subjectAuthPk = (type: 'LEGAL' | 'NATURAL', key: string) => `SUBJ#${type}#${key}`;

const KEYS = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk']);
function fromItem(item: Record<string, unknown>): StoredAuthorization {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !KEYS.has(k))) as unknown as StoredAuthorization;
}

export async function putAuthorization(a: StoredAuthorization): Promise<void> {
  await ddb.send(
    new PutCommand({
      TableName: tableName('authorizations'),
      Item: { ...a, pk: pkOf(a.ref), sk: 'AUTH', gsi1pk: subjectAuthPk(a.subjectType, a.subjectKey), gsi1sk: a.createdAt },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

export async function getAuthorization(ref: string): Promise<StoredAuthorization | null> {
  const out = await ddb.send(new GetCommand({ TableName: tableName('authorizations'), Key: { pk: pkOf(ref), sk: 'AUTH' }, ConsistentRead: true }));
  return out.Item ? fromItem(out.Item) : null;
}

/**
 * Sets revokedAt unless already set (revoking twice keeps the first time). Only the subject that
 * granted it may revoke: the condition checks the subject key, so a lost race cannot cross subjects.
 * Returns null when no such authorisation of that subject exists.
 */
export async function revokeAuthorization(ref: string, subject: { type: 'LEGAL' | 'NATURAL'; key: string }, at: string): Promise<StoredAuthorization | null> {
  try {
    const out = await ddb.send(
      new UpdateCommand({
        TableName: tableName('authorizations'),
        Key: { pk: pkOf(ref), sk: 'AUTH' },
        UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at)',
        ConditionExpression: 'attribute_exists(pk) AND subjectType = :t AND subjectKey = :k',
        ExpressionAttributeValues: { ':at': at, ':t': subject.type, ':k': subject.key },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return out.Attributes ? fromItem(out.Attributes) : null;
  } catch (err) {
    if (isConditionFailure(err)) return null;
    throw err;
  }
}

/** A subject's authorisations, newest first. */
export async function authorizationsOfSubject(type: 'LEGAL' | 'NATURAL', key: string): Promise<StoredAuthorization[]> {
  const items = await queryAll({
    TableName: tableName('authorizations'),
    IndexName: 'bySubject',
    KeyConditionExpression: 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': subjectAuthPk(type, key) },
    ScanIndexForward: false,
  });
  return items.map(fromItem);
}
