/** The entries the national platform has not had yet (the sparse byNational index), and its answers. */
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '../clients.ts';
import { conditionally } from '../conditions.ts';
import { entryAt, type EntryAt } from './entries.ts';
import { table } from './table.ts';

/** Entries whose current state the national platform has not had (byNational), oldest change first, at most `limit`. */
export async function nationalPending(limit: number): Promise<EntryAt[]> {
  const r = await ddb.send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'byNational',
      KeyConditionExpression: 'natpk = :p',
      ExpressionAttributeValues: { ':p': 'NAT' },
      Limit: limit,
    }),
  );
  return (r.Items ?? []).map(entryAt);
}

/**
 * The national platform answered the entry's state at revision `rev`: accepted (or nothing to send)
 * takes it off the pending index; rejected keeps it, with the error, under NAT_REJECTED (not sent
 * again until the entry changes). A save since `rev` left a new pending state: it is left alone.
 */
export async function settleNational(at: EntryAt, rejected?: string): Promise<void> {
  await conditionally(() =>
    ddb.send(
      new UpdateCommand({
        TableName: table(),
        Key: { pk: `ENTRY#${at.entry.entryId}`, sk: 'ENTRY' },
        ...(rejected
          ? { UpdateExpression: 'SET natpk = :rej, natError = :e', ExpressionAttributeValues: { ':r': at.rev, ':rej': 'NAT_REJECTED', ':e': rejected } }
          : { UpdateExpression: 'REMOVE natpk, natsk, natError', ExpressionAttributeValues: { ':r': at.rev } }),
        ConditionExpression: 'attribute_exists(pk) AND rev = :r',
      }),
    ),
  );
}
