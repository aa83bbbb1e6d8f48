/** The outbox (SENT#{runId}): one item per sent batch with every record's answer. */
import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import type { ExportOp } from '#core/export-plan';
import { batchPut } from '../batch-io.ts';
import { ddb } from '../clients.ts';
import { tableName } from '../config.ts';
import type { SubjectTable } from '../subject-repo.ts';
import { exceptionPk, type ExportState, type SentResult } from './exceptions.ts';

/**
 * Writes one page's outbox: the sent-batch items, the exception items, and deletes the exception
 * items of records that no longer need one.
 */
export async function writeOutbox(o: {
  runId: string;
  table: SubjectTable;
  shard: number;
  at: string;
  batches: SentResult[][];
  firstKeys: string[];
  exceptions: ExportState[];
  cleared: string[];
}): Promise<void> {
  const batchItems = o.batches.map((results, i) => ({
    table: 'exports' as const,
    item: {
      pk: `SENT#${o.runId}`,
      sk: `${o.table}#${o.shard}#${o.firstKeys[i]}`,
      at: o.at,
      count: results.length,
      // [recordId, seq, version, op, outcome, national id | error] per record, as one string attribute
      results: JSON.stringify(results.map((r) => [r.recordId, r.seq, r.version, r.op, r.outcome, r.detail ?? null])),
    },
  }));
  const exceptionItems = o.exceptions.map((item) => ({ table: 'exports' as const, item: item as unknown as Record<string, unknown> }));
  await Promise.all([
    batchPut([...batchItems, ...exceptionItems], 'export-outbox'),
    pMap(o.cleared, (recordId) => ddb.send(new DeleteCommand({ TableName: tableName('exports'), Key: { pk: exceptionPk(o.table, o.shard), sk: recordId } })), {
      concurrency: 4,
    }),
  ]);
}

/** The answers a run recorded, batch by batch (for audits and tests). */
export async function readSentBatches(runId: string): Promise<SentResult[]> {
  const results: SentResult[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await ddb.send(
      new QueryCommand({
        TableName: tableName('exports'),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `SENT#${runId}` },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of out.Items ?? []) {
      for (const [recordId, seq, version, op, outcome, detail] of JSON.parse(item.results as string) as Array<
        [string, number, string, ExportOp, SentResult['outcome'], string | null]
      >) {
        results.push({ recordId, seq, version, op, outcome, detail });
      }
    }
    start = out.LastEvaluatedKey;
  } while (start);
  return results;
}
