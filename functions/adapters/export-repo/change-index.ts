/** The change index (GSI byChange on both subject tables), read a page at a time. */
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { changePartition } from '#core/change-marker';
import { ddb } from '../clients.ts';
import { tableName } from '../config.ts';
import type { StoredRecord, SubjectTable } from '../subject-repo.ts';

/**
 * The attributes of a stored record the export reads (national-push, export-source, overdue): the
 * page is decoded on the run's thread, so the ingest bookkeeping (batch, row, index keys, …) is
 * left out.
 */
export const EXPORT_ATTRIBUTES = [
  'pk',
  'sk',
  'chgpk',
  'chgsk',
  'recordId',
  'provider',
  'item',
  'key',
  'status',
  'publicity',
  'via',
  'fields',
  'sealed',
  'subjectName',
  'party',
  'subjectIdSealed',
] as const;
const projection = {
  ProjectionExpression: EXPORT_ATTRIBUTES.map((_, i) => `#a${i}`).join(', '),
  ExpressionAttributeNames: Object.fromEntries(EXPORT_ATTRIBUTES.map((a, i) => [`#a${i}`, a])),
};

/** Pages of records whose change key lies in (after, upTo], in change-key order. */
export async function* changePages(table: SubjectTable, shard: number, after: string, upTo: string, pageSize = 500): AsyncGenerator<StoredRecord[]> {
  let start: Record<string, unknown> | undefined;
  do {
    const input: QueryCommandInput = {
      TableName: tableName(table),
      IndexName: 'byChange',
      KeyConditionExpression: 'chgpk = :p AND chgsk BETWEEN :from AND :to',
      ...projection,
      ExpressionAttributeValues: { ':p': changePartition(shard), ':from': after || ' ', ':to': upTo },
      Limit: pageSize,
      ExclusiveStartKey: start,
    };
    const out = await ddb.send(new QueryCommand(input));
    // BETWEEN is inclusive: the record at the watermark itself was handled by the run that set it
    const items = ((out.Items ?? []) as StoredRecord[]).filter((r) => r.chgsk !== after);
    if (items.length) yield items;
    start = out.LastEvaluatedKey;
  } while (start);
}
