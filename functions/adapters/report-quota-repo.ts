/**
 * Free own reports (SH-REG-2017 Art 34: two a year for a natural person), one counter item per
 * person and calendar year: pk = QUOTA#{subject key}, sk = {YYYY}, n = reports issued, ids = the
 * request ids they were issued for. Taking one is a single conditional update, so concurrent
 * requests never issue a third; repeating a request id (a retry) is answered again, not counted.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from './clients.ts';
import { conditionally } from './conditions.ts';
import { tableName } from './config.ts';

export type QuotaOutcome = { granted: true; used: number; repeated: boolean } | { granted: false; used: number };

const keyOf = (subjectKey: string, year: string) => ({ pk: `QUOTA#${subjectKey}`, sk: year });

export async function takeFreeReport(subjectKey: string, year: string, requestId: string, limit: number, at: string): Promise<QuotaOutcome> {
  let used = 0;
  const granted = await conditionally(async () => {
    const out = await ddb.send(
      new UpdateCommand({
        TableName: tableName('reportQuota'),
        Key: keyOf(subjectKey, year),
        UpdateExpression: 'ADD #n :one, #ids :id SET updatedAt = :at',
        ConditionExpression: '(attribute_not_exists(#n) OR #n < :limit) AND (attribute_not_exists(#ids) OR NOT contains(#ids, :idValue))',
        ExpressionAttributeNames: { '#n': 'n', '#ids': 'ids' },
        ExpressionAttributeValues: { ':one': 1, ':id': new Set([requestId]), ':idValue': requestId, ':limit': limit, ':at': at },
        ReturnValues: 'ALL_NEW',
      }),
    );
    used = Number(out.Attributes?.n ?? 1);
  });
  if (granted) return { granted: true, used, repeated: false };
  const out = await ddb.send(new GetCommand({ TableName: tableName('reportQuota'), Key: keyOf(subjectKey, year), ConsistentRead: true }));
  used = Number(out.Item?.n ?? 0);
  const ids = out.Item?.ids as Set<string> | undefined;
  return ids?.has(requestId) ? { granted: true, used, repeated: true } : { granted: false, used };
}
