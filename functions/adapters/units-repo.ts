/**
 * The units register in the catalog table: pk = UNIT, sk = {code}. A few hundred small items; a
 * listing is one Query page of that partition, a report looks units up by key (BatchGetItem).
 */
import { BatchGetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Unit, UnitLevel } from '#core/units';
import { ddb } from './clients.ts';
import { tableName } from './config.ts';

const PK = 'UNIT';

export async function putUnit(unit: Unit): Promise<void> {
  await ddb.send(new PutCommand({ TableName: tableName('catalog'), Item: { pk: PK, sk: unit.code, ...unit } }));
}

const toUnit = ({ pk: _pk, sk: _sk, ...u }: Record<string, unknown>) => u as unknown as Unit;

export interface UnitFilter {
  kind?: string;
  level?: UnitLevel;
  district?: string;
}

/** One page of units in code order, after the code `after`; `next` is the last code read when more may follow. */
export async function listUnits(filter: UnitFilter, after: string | undefined, limit: number): Promise<{ units: Unit[]; next?: string }> {
  const conditions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':pk': PK };
  for (const [k, v] of Object.entries(filter)) {
    if (v === undefined) continue;
    names[`#${k}`] = k;
    values[`:${k}`] = v;
    conditions.push(`#${k} = :${k}`);
  }
  const out = await ddb.send(
    new QueryCommand({
      TableName: tableName('catalog'),
      KeyConditionExpression: 'pk = :pk',
      ...(conditions.length ? { FilterExpression: conditions.join(' AND '), ExpressionAttributeNames: names } : {}),
      ExpressionAttributeValues: values,
      ExclusiveStartKey: after ? { pk: PK, sk: after } : undefined,
      Limit: limit,
    }),
  );
  return { units: (out.Items ?? []).map(toUnit), next: out.LastEvaluatedKey ? String(out.LastEvaluatedKey.sk) : undefined };
}

/** The registered units among `codes` (unknown codes are absent from the map). */
export async function unitsByCode(codes: Iterable<string>): Promise<Map<string, Unit>> {
  const found = new Map<string, Unit>();
  const unique = [...new Set(codes)];
  for (let i = 0; i < unique.length; i += 100) {
    let keys: Array<Record<string, unknown>> = unique.slice(i, i + 100).map((sk) => ({ pk: PK, sk }));
    for (let attempt = 0; keys.length; attempt++) {
      if (attempt > 8) throw new Error('units lookup: unprocessed keys after retries');
      const out = await ddb.send(new BatchGetCommand({ RequestItems: { [tableName('catalog')]: { Keys: keys } } }));
      for (const item of out.Responses?.[tableName('catalog')] ?? []) found.set(String(item.sk), toUnit(item));
      keys = (out.UnprocessedKeys?.[tableName('catalog')]?.Keys ?? []) as Array<Record<string, unknown>>;
      if (keys.length) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
    }
  }
  return found;
}
