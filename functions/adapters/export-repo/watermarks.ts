/** Watermarks (WATERMARK / {table}#{shard}): the change key up to which everything was acknowledged. */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '../clients.ts';
import { isConditionFailure } from '../conditions.ts';
import { tableName } from '../config.ts';
import type { SubjectTable } from '../subject-repo.ts';

const watermarkSk = (table: SubjectTable, shard: number) => `${table}#${shard}`;

export async function readWatermarks(): Promise<Map<string, string>> {
  const out = await ddb.send(
    new QueryCommand({
      TableName: tableName('exports'),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'WATERMARK' },
      ConsistentRead: true,
    }),
  );
  return new Map((out.Items ?? []).map((i) => [i.sk as string, i.chgsk as string]));
}

export const watermarkOf = (marks: Map<string, string>, table: SubjectTable, shard: number) => marks.get(watermarkSk(table, shard)) ?? '';

/** Moves a watermark forward only (a late writer never moves it back). */
export async function saveWatermark(table: SubjectTable, shard: number, chgsk: string, at: string): Promise<void> {
  try {
    await ddb.send(
      new PutCommand({
        TableName: tableName('exports'),
        Item: { pk: 'WATERMARK', sk: watermarkSk(table, shard), chgsk, updatedAt: at },
        ConditionExpression: 'attribute_not_exists(pk) OR chgsk < :c',
        ExpressionAttributeValues: { ':c': chgsk },
      }),
    );
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
  }
}
