/** Overdue and held listings (the sparse GSIs byDeadline and byHeld) and re-indexing deadlines. */
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import { publicationDeadline } from '#core/export-plan';
import type { WorkCalendar } from '#core/work-calendar';
import { ddb } from '../clients.ts';
import { conditionally } from '../conditions.ts';
import { tableName } from '../config.ts';
import type { ExportState } from './exceptions.ts';

async function queryIndex(
  index: 'byDeadline' | 'byHeld',
  input: { pk: string; below?: string; limit: number; after?: string },
): Promise<{ states: ExportState[]; next?: string }> {
  const [pkName, skName] = index === 'byDeadline' ? ['duepk', 'duesk'] : ['heldpk', 'heldsk'];
  const out = await ddb.send(
    new QueryCommand({
      TableName: tableName('exports'),
      IndexName: index,
      KeyConditionExpression: input.below ? `${pkName} = :pk AND ${skName} < :below` : `${pkName} = :pk`,
      ExpressionAttributeValues: { ':pk': input.pk, ...(input.below ? { ':below': input.below } : {}) },
      Limit: input.limit,
      ExclusiveStartKey: input.after ? JSON.parse(Buffer.from(input.after, 'base64url').toString('utf8')) : undefined,
    }),
  );
  return {
    states: (out.Items ?? []) as ExportState[],
    next: out.LastEvaluatedKey ? Buffer.from(JSON.stringify(out.LastEvaluatedKey)).toString('base64url') : undefined,
  };
}

/** Active records not yet accepted whose publication deadline is before `today`, oldest deadline first. */
export const overdueStates = (today: string, limit: number, after?: string) => queryIndex('byDeadline', { pk: 'DUE', below: today, limit, after });
export const heldStates = (limit: number, after?: string) => queryIndex('byHeld', { pk: 'HELD', limit, after });

/**
 * After an arrangement is published: exception items of active records whose indexed publication
 * deadline is on or after `fromDay` (the published year's first day; earlier deadlines were
 * counted over earlier years only) get the deadline the new calendar gives. Reads the sparse
 * byDeadline index from that key on, never the table; rewrites only the deadlines that moved, each
 * on the condition that the key is still the one read (a run writing the item meanwhile computed
 * its own). Running it again changes nothing.
 */
export async function reindexDeadlines(fromDay: string, cal: WorkCalendar): Promise<number> {
  let moved = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await ddb.send(
      new QueryCommand({
        TableName: tableName('exports'),
        IndexName: 'byDeadline',
        KeyConditionExpression: 'duepk = :pk AND duesk >= :from',
        ExpressionAttributeValues: { ':pk': 'DUE', ':from': fromDay },
        ExclusiveStartKey: start,
      }),
    );
    const done = await pMap(
      (out.Items ?? []) as ExportState[],
      async (s) => {
        if (!s.decisionDate || !s.duesk) return false;
        const deadline = publicationDeadline(s.decisionDate, cal);
        const duesk = `${deadline}#${s.recordId}`;
        if (duesk === s.duesk) return false;
        return conditionally(() =>
          ddb.send(
            new UpdateCommand({
              TableName: tableName('exports'),
              Key: { pk: s.pk, sk: s.sk },
              UpdateExpression: 'SET deadline = :deadline, duesk = :duesk',
              ConditionExpression: 'duesk = :old',
              ExpressionAttributeValues: { ':deadline': deadline, ':duesk': duesk, ':old': s.duesk },
            }),
          ),
        );
      },
      { concurrency: 8 },
    );
    moved += done.filter(Boolean).length;
    start = out.LastEvaluatedKey;
  } while (start);
  return moved;
}

export async function countIndex(index: 'byDeadline' | 'byHeld', below?: string): Promise<number> {
  const [pkName, skName, pk] = index === 'byDeadline' ? ['duepk', 'duesk', 'DUE'] : ['heldpk', 'heldsk', 'HELD'];
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await ddb.send(
      new QueryCommand({
        TableName: tableName('exports'),
        IndexName: index,
        KeyConditionExpression: below ? `${pkName} = :pk AND ${skName} < :below` : `${pkName} = :pk`,
        ExpressionAttributeValues: { ':pk': pk, ...(below ? { ':below': below } : {}) },
        Select: 'COUNT',
        ExclusiveStartKey: start,
      }),
    );
    count += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  return count;
}
