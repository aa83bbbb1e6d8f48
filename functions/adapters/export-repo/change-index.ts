/** The change index (GSI byChange on both subject tables), read a page at a time. */
import { QueryCommand, type AttributeValue, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { changePartition } from '#core/change-marker';
import { dynamo } from '../clients.ts';
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

/**
 * An attribute value as plain data, as the document client would give it (numbers as numbers,
 * sets as Sets). The pages are read with the low-level client and decoded here in one pass: the
 * document client's generic walk over every output doubled the run's decoding work.
 */
export function nativeOf(v: AttributeValue): unknown {
  if (v.S !== undefined) return v.S;
  if (v.M !== undefined) return nativeItem(v.M);
  if (v.N !== undefined) return numberOf(v.N);
  if (v.L !== undefined) return v.L.map(nativeOf);
  if (v.BOOL !== undefined) return v.BOOL;
  if (v.NULL !== undefined) return null;
  if (v.SS !== undefined) return new Set(v.SS);
  if (v.NS !== undefined) return new Set(v.NS.map(numberOf));
  if (v.B !== undefined) return v.B;
  if (v.BS !== undefined) return new Set(v.BS);
  throw new Error(`unsupported attribute value: ${Object.keys(v).join(', ')}`);
}

export function nativeItem(m: Record<string, AttributeValue>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in m) out[k] = nativeOf(m[k]!);
  return out;
}

/** As the document client reads numbers (wrapNumbers off): a number, refused when it would lose digits. */
function numberOf(n: string): number {
  const v = Number(n);
  if (!Number.isFinite(v) || (Number.isInteger(v) && !Number.isSafeInteger(v))) throw new Error(`number ${n} cannot be read without losing precision`);
  return v;
}

/** Pages of records whose change key lies in (after, upTo], in change-key order. */
export async function* changePages(table: SubjectTable, shard: number, after: string, upTo: string, pageSize = 500): AsyncGenerator<StoredRecord[]> {
  let start: Record<string, AttributeValue> | undefined;
  do {
    const input: QueryCommandInput = {
      TableName: tableName(table),
      IndexName: 'byChange',
      KeyConditionExpression: 'chgpk = :p AND chgsk BETWEEN :from AND :to',
      ...projection,
      ExpressionAttributeValues: { ':p': { S: changePartition(shard) }, ':from': { S: after || ' ' }, ':to': { S: upTo } },
      Limit: pageSize,
      ExclusiveStartKey: start,
    };
    const out = await dynamo.send(new QueryCommand(input));
    const items: StoredRecord[] = [];
    // BETWEEN is inclusive: the record at the watermark itself was handled by the run that set it
    for (const raw of out.Items ?? []) if (raw.chgsk?.S !== after) items.push(nativeItem(raw) as unknown as StoredRecord);
    if (items.length) yield items;
    start = out.LastEvaluatedKey;
  } while (start);
}
