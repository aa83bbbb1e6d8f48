/** Yearly counters (STATS#{year} / {type}) of what the national platform accepted. */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { NationalType } from '#core/national-format';
import { ddb } from '../clients.ts';
import { tableName } from '../config.ts';
import { addCounters } from './counters.ts';

export const STAT_COUNTERS = ['records', 'withdrawals', 'rejections'] as const;
export type StatCounts = Record<(typeof STAT_COUNTERS)[number], number>;

export const addStats = (year: string, type: NationalType, counts: Partial<StatCounts>) => addCounters({ pk: `STATS#${year}`, sk: type }, counts);

export async function readStats(year: string): Promise<Record<NationalType, StatCounts>> {
  const out = await ddb.send(
    new QueryCommand({
      TableName: tableName('exports'),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `STATS#${year}` },
      ConsistentRead: true,
    }),
  );
  const zero = () => Object.fromEntries(STAT_COUNTERS.map((c) => [c, 0])) as StatCounts;
  const stats = { PENALTY: zero(), LICENSING: zero() };
  for (const i of out.Items ?? []) {
    const t = i.sk as NationalType;
    if (t in stats) for (const c of STAT_COUNTERS) stats[t][c] = Number(i[c] ?? 0);
  }
  return stats;
}
