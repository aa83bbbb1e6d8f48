/** Counter items of the exports table: run counts and yearly statistics are ADDed, never read and rewritten. */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '../clients.ts';
import { tableName } from '../config.ts';

/** ADDs each non-zero count to the item's counter of the same name. */
export async function addCounters(key: { pk: string; sk: string }, counts: Record<string, number | undefined>): Promise<void> {
  const entries = Object.entries(counts).filter(([, n]) => n);
  if (!entries.length) return;
  await ddb.send(
    new UpdateCommand({
      TableName: tableName('exports'),
      Key: key,
      UpdateExpression: `ADD ${entries.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(entries.map(([k], i) => [`#c${i}`, k])),
      ExpressionAttributeValues: Object.fromEntries(entries.map(([, n], i) => [`:c${i}`, n])),
    }),
  );
}
