/**
 * Per-unit daily query counters (core/query-budget.ts) in the queryBudgets table: one item per unit
 * and China day, charged by a single conditional UpdateItem per request — the whole cost of the
 * budget, whatever the tables hold. Handlers get UpdateItem alone on the table ('count'); only
 * the volume watch reads it.
 */
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dailyBudgetOf, type BudgetRefusal } from '#core/query-budget';
import { ddb } from './clients.ts';
import { isConditionFailure } from './conditions.ts';
import { tableName } from './config.ts';

/** A register change reaches a container within this long (the budget is read once a minute, not per request). */
const BUDGET_CACHE_MS = 60_000;
const budgets = new Map<string, { budget: number; until: number }>();

/** The unit's daily budget, from its register entry (catalog table, pk = UNIT), cached for a minute. */
export async function unitDailyBudget(unit: string, now = Date.now()): Promise<number> {
  const hit = budgets.get(unit);
  if (hit && hit.until > now) return hit.budget;
  const out = await ddb.send(new GetCommand({ TableName: tableName('catalog'), Key: { pk: 'UNIT', sk: unit }, ProjectionExpression: 'dailyQueryBudget' }));
  const budget = dailyBudgetOf(out.Item as { dailyQueryBudget?: number } | undefined);
  budgets.set(unit, { budget, until: now + BUDGET_CACHE_MS });
  return budget;
}

export type Charge = { ok: true; used: number; budget: number } | { ok: false; refusal: BudgetRefusal };

/**
 * Adds `cost` queries to the unit's count for `day` unless that would pass its budget (then
 * nothing is written). The item also carries the byDay keys the volume watch lists units by.
 */
export async function chargeQueries(unit: string, day: string, cost: number, at: string): Promise<Charge> {
  const budget = await unitDailyBudget(unit);
  if (cost > budget) return { ok: false, refusal: { unit, day, budget, used: 0, cost } };
  try {
    const out = await ddb.send(
      new UpdateCommand({
        TableName: tableName('queryBudgets'),
        Key: { pk: `UNIT#${unit}`, sk: day },
        UpdateExpression: 'ADD #n :cost SET daypk = :dp, daysk = :unit, budget = :budget, updatedAt = :at',
        ConditionExpression: 'attribute_not_exists(#n) OR #n <= :room',
        ExpressionAttributeNames: { '#n': 'n' },
        ExpressionAttributeValues: { ':cost': cost, ':dp': `DAY#${day}`, ':unit': unit, ':budget': budget, ':room': budget - cost, ':at': at },
        ReturnValues: 'UPDATED_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { ok: true, used: Number(out.Attributes?.n ?? cost), budget };
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    // the refused item as it stood (raw attribute values: lib-dynamodb does not unmarshal errors)
    const old = (err as { Item?: { n?: { N?: string } } }).Item?.n?.N;
    return { ok: false, refusal: { unit, day, budget, used: old === undefined ? budget : Number(old), cost } };
  }
}

/** The units that queried on `day`, with their counts (the byDay index: one item per unit). */
export async function unitsOfDay(day: string): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  let start: Record<string, unknown> | undefined;
  do {
    const out = await ddb.send(
      new QueryCommand({
        TableName: tableName('queryBudgets'),
        IndexName: 'byDay',
        KeyConditionExpression: 'daypk = :dp',
        ExpressionAttributeValues: { ':dp': `DAY#${day}` },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of out.Items ?? []) found.set(String(item.daysk), Number(item.n ?? 0));
    start = out.LastEvaluatedKey;
  } while (start);
  return found;
}

/** A unit's counts of the days from `from` to `to` (inclusive): at most 31 small items, one Query. */
export async function unitDays(unit: string, from: string, to: string): Promise<Map<string, number>> {
  const out = await ddb.send(
    new QueryCommand({
      TableName: tableName('queryBudgets'),
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': `UNIT#${unit}`, ':from': from, ':to': to },
    }),
  );
  return new Map((out.Items ?? []).map((i) => [String(i.sk), Number(i.n ?? 0)]));
}
