/** The run lease (LEASE / LEASE): conditional writes, so two runs never overlap. */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '../clients.ts';
import { isConditionFailure } from '../conditions.ts';
import { tableName } from '../config.ts';

export type LeaseOutcome = { acquired: true; takenFrom?: string } | { acquired: false; holder: string; expiresAt: string };

export async function currentLease(): Promise<{ runId: string; expiresAt: string } | undefined> {
  const out = await ddb.send(new GetCommand({ TableName: tableName('exports'), Key: { pk: 'LEASE', sk: 'LEASE' }, ConsistentRead: true }));
  return out.Item as { runId: string; expiresAt: string } | undefined;
}

/** Takes the lease for `runId` if it is free, expired, or already this run's (a resumed run). */
export async function acquireLease(runId: string, now: Date, leaseMs: number): Promise<LeaseOutcome> {
  const old = await currentLease();
  if (old && old.runId !== runId && old.expiresAt > now.toISOString()) return { acquired: false, holder: old.runId, expiresAt: old.expiresAt };
  try {
    await ddb.send(
      new PutCommand({
        TableName: tableName('exports'),
        Item: { pk: 'LEASE', sk: 'LEASE', runId, expiresAt: new Date(now.getTime() + leaseMs).toISOString() },
        ConditionExpression: old ? 'runId = :r AND expiresAt = :e' : 'attribute_not_exists(pk)',
        ...(old ? { ExpressionAttributeValues: { ':r': old.runId, ':e': old.expiresAt } } : {}),
      }),
    );
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    const now2 = await currentLease();
    return { acquired: false, holder: now2?.runId ?? 'unknown', expiresAt: now2?.expiresAt ?? '' };
  }
  return { acquired: true, takenFrom: old && old.runId !== runId ? old.runId : undefined };
}

/** Extends this run's lease; false when another run has taken it (this run must stop). */
export async function renewLease(runId: string, now: Date, leaseMs: number): Promise<boolean> {
  try {
    await ddb.send(
      new UpdateCommand({
        TableName: tableName('exports'),
        Key: { pk: 'LEASE', sk: 'LEASE' },
        UpdateExpression: 'SET expiresAt = :e',
        ConditionExpression: 'runId = :r',
        ExpressionAttributeValues: { ':r': runId, ':e': new Date(now.getTime() + leaseMs).toISOString() },
      }),
    );
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}

export async function releaseLease(runId: string): Promise<void> {
  try {
    await ddb.send(
      new DeleteCommand({
        TableName: tableName('exports'),
        Key: { pk: 'LEASE', sk: 'LEASE' },
        ConditionExpression: 'runId = :r',
        ExpressionAttributeValues: { ':r': runId },
      }),
    );
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
  }
}
