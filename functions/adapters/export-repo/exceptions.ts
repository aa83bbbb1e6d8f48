/** Exception items (EXC#{table}#{shard}): the few records a run treats per record. */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { changeShard } from '#core/change-marker';
import type { ExportOp, ExportOutcome } from '#core/export-plan';
import type { NationalType } from '#core/national-format';
import { batchGet } from '../batch-io.ts';
import { ddb } from '../clients.ts';
import { tableName } from '../config.ts';
import type { SubjectTable } from '../subject-repo.ts';

/** A per-record exception item (rejected, held, or otherwise needing a per-record lookup). */
export interface ExportState {
  pk: string;
  sk: string;
  recordId: string;
  type: NationalType;
  table: SubjectTable;
  item: string;
  provider: string;
  key: string;
  partyName: string;
  /** The change key of the record version this item describes. */
  chgsk: string;
  outcome: ExportOutcome;
  seq?: number;
  version?: string;
  op?: ExportOp;
  nationalId?: string;
  error?: string;
  heldReason?: string;
  decisionDate?: string;
  deadline?: string;
  updatedAt: string;
  duepk?: 'DUE';
  duesk?: string;
  heldpk?: 'HELD';
  heldsk?: string;
}

/** One record's answer inside a sent-batch item. */
export interface SentResult {
  recordId: string;
  seq: number;
  version: string;
  op: ExportOp;
  /** NONE: the batch got no answer after the retries (the record is sent again by a later run). */
  outcome: 'ACCEPTED' | 'REJECTED' | 'NONE';
  /** The national record id (accepted) or the error text (rejected). */
  detail?: string | null;
}

export const exceptionPk = (table: SubjectTable, shard: number) => `EXC#${table}#${shard}`;

/** The exception items of one (table, shard): the few records a run must treat per record. */
export async function readExceptions(table: SubjectTable, shard: number): Promise<Map<string, ExportState>> {
  const found = new Map<string, ExportState>();
  let start: Record<string, unknown> | undefined;
  do {
    const out = await ddb.send(
      new QueryCommand({
        TableName: tableName('exports'),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': exceptionPk(table, shard) },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const i of (out.Items ?? []) as ExportState[]) found.set(i.recordId, i);
    start = out.LastEvaluatedKey;
  } while (start);
  return found;
}

/** Exception items of the given records (by table), keyed by record id. */
export async function getExceptions(records: Array<{ table: SubjectTable; recordId: string }>): Promise<Map<string, ExportState>> {
  const found = await batchGet(records.map((r) => ({ table: 'exports' as const, pk: exceptionPk(r.table, changeShard(r.recordId)), sk: r.recordId })));
  return new Map([...found.values()].map((s) => [s.recordId as string, s as unknown as ExportState]));
}
