/**
 * The exports table (lib/platform.ts) and the change index the national export reads:
 *   SENT#{runId} / {table}#{shard}#{first chgsk}   the outbox: one item per sent batch with every
 *                                 record's answer (seq, version, op, ACCEPTED + national id or
 *                                 REJECTED + error) — the normal case costs no per-record item
 *   EXC#{table}#{shard} / {recordId}   exception items, only for records that need a per-record
 *                                 lookup: REJECTED, HELD, answered behind an unanswered record,
 *                                 or unanswered after an earlier exception (rare)
 *   RUNS / {runId}                runs, newest last (run ids sort by start time)
 *   LEASE / LEASE                 the run lease (conditional writes: two runs never overlap)
 *   WATERMARK / {table}#{shard}   the change key up to which everything was acknowledged
 *   STATS#{year} / {type}         yearly counters of what the national platform accepted
 * GSIs on the exception items: byDeadline (DUE / {deadline}#{recordId}, active records not yet
 * accepted) and byHeld (HELD / {heldAt}#{recordId}); both sparse.
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import { CHANGE_SHARDS, changePartition, changeShard } from '#core/change-marker';
import { publicationDeadline, type ExportOp, type ExportOutcome } from '#core/export-plan';
import type { WorkCalendar } from '#core/work-calendar';
import type { NationalType } from '#core/national-format';
import { batchGet, batchPut } from './batch-io.ts';
import { ddb } from './clients.ts';
import { conditionally, isConditionFailure } from './conditions.ts';
import { tableName } from './config.ts';
import type { StoredRecord, SubjectTable } from './subject-repo.ts';

export const SUBJECT_TABLES: readonly SubjectTable[] = ['legalSubjects', 'naturalSubjects'];
export const SHARDS = Array.from({ length: CHANGE_SHARDS }, (_, i) => i);

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

// ---------------------------------------------------------------------------------------------
// Changes (GSI byChange on both subject tables)

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

// ---------------------------------------------------------------------------------------------
// Watermarks

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

// ---------------------------------------------------------------------------------------------
// Lease

export type LeaseOutcome = { acquired: true; takenFrom?: string } | { acquired: false; holder: string; expiresAt: string };

export async function currentLease(): Promise<{ runId: string; expiresAt: string } | undefined> {
  const out = await ddb.send(new GetCommand({ TableName: tableName('exports'), Key: { pk: 'LEASE', sk: 'LEASE' }, ConsistentRead: true }));
  return out.Item as { runId: string; expiresAt: string } | undefined;
}

/** Takes the lease for `runId` if it is free, expired, or already this run's (a resumed run). */
export async function acquireLease(runId: string, now: Date, leaseMs: number): Promise<LeaseOutcome> {
  const old = await currentLease();
  if (old && old.runId !== runId && old.expiresAt > now.toISOString()) return { acquired: false, holder: old.runId, expiresAt: old.expiresAt };
  try {
    await ddb.send(
      new PutCommand({
        TableName: tableName('exports'),
        Item: { pk: 'LEASE', sk: 'LEASE', runId, expiresAt: new Date(now.getTime() + leaseMs).toISOString() },
        ConditionExpression: old ? 'runId = :r AND expiresAt = :e' : 'attribute_not_exists(pk)',
        ...(old ? { ExpressionAttributeValues: { ':r': old.runId, ':e': old.expiresAt } } : {}),
      }),
    );
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    const now2 = await currentLease();
    return { acquired: false, holder: now2?.runId ?? 'unknown', expiresAt: now2?.expiresAt ?? '' };
  }
  return { acquired: true, takenFrom: old && old.runId !== runId ? old.runId : undefined };
}

/** Extends this run's lease; false when another run has taken it (this run must stop). */
export async function renewLease(runId: string, now: Date, leaseMs: number): Promise<boolean> {
  try {
    await ddb.send(
      new UpdateCommand({
        TableName: tableName('exports'),
        Key: { pk: 'LEASE', sk: 'LEASE' },
        UpdateExpression: 'SET expiresAt = :e',
        ConditionExpression: 'runId = :r',
        ExpressionAttributeValues: { ':r': runId, ':e': new Date(now.getTime() + leaseMs).toISOString() },
      }),
    );
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}

export async function releaseLease(runId: string): Promise<void> {
  try {
    await ddb.send(
      new DeleteCommand({
        TableName: tableName('exports'),
        Key: { pk: 'LEASE', sk: 'LEASE' },
        ConditionExpression: 'runId = :r',
        ExpressionAttributeValues: { ':r': runId },
      }),
    );
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// Runs

export type RunStatus = 'RUNNING' | 'COMPLETED' | 'FAILED';
export const RUN_COUNTERS = ['sent', 'accepted', 'rejected', 'retried', 'held', 'withdrawn', 'skipped'] as const;
export type RunCounts = Record<(typeof RUN_COUNTERS)[number], number>;

export interface ExportRun extends RunCounts {
  runId: string;
  status: RunStatus;
  trigger: 'API' | 'SCHEDULE';
  requestedBy?: string;
  started: string;
  finished?: string;
  reason?: string;
}

export const emptyCounts = (): RunCounts => Object.fromEntries(RUN_COUNTERS.map((c) => [c, 0])) as RunCounts;

/** Creates the run item unless it exists (a resumed run keeps its item and counts). */
export async function ensureRun(run: Pick<ExportRun, 'runId' | 'trigger' | 'started' | 'requestedBy'>): Promise<void> {
  try {
    await ddb.send(
      new PutCommand({
        TableName: tableName('exports'),
        Item: { pk: 'RUNS', sk: run.runId, status: 'RUNNING', ...emptyCounts(), ...run },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
  }
}

export async function getRun(runId: string): Promise<ExportRun | undefined> {
  const out = await ddb.send(new GetCommand({ TableName: tableName('exports'), Key: { pk: 'RUNS', sk: runId }, ConsistentRead: true }));
  return out.Item as ExportRun | undefined;
}

export const addRunCounts = (runId: string, counts: Partial<RunCounts>) => addCounters({ pk: 'RUNS', sk: runId }, counts);

/** ADDs each non-zero count to the item's counter of the same name. */
async function addCounters(key: { pk: string; sk: string }, counts: Record<string, number | undefined>): Promise<void> {
  const entries = Object.entries(counts).filter(([, n]) => n);
  if (!entries.length) return;
  await ddb.send(
    new UpdateCommand({
      TableName: tableName('exports'),
      Key: key,
      UpdateExpression: `ADD ${entries.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(entries.map(([k], i) => [`#c${i}`, k])),
      ExpressionAttributeValues: Object.fromEntries(entries.map(([, n], i) => [`:c${i}`, n])),
    }),
  );
}

/** Ends a run that is still RUNNING (a finished run is never reopened). */
export async function finishRun(runId: string, status: Exclude<RunStatus, 'RUNNING'>, at: string, reason?: string): Promise<void> {
  try {
    await ddb.send(
      new UpdateCommand({
        TableName: tableName('exports'),
        Key: { pk: 'RUNS', sk: runId },
        UpdateExpression: reason ? 'SET #s = :s, finished = :f, reason = :r' : 'SET #s = :s, finished = :f',
        ConditionExpression: 'attribute_exists(pk) AND #s = :running',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': status, ':f': at, ':running': 'RUNNING', ...(reason ? { ':r': reason } : {}) },
      }),
    );
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
  }
}

export async function listRuns(limit: number, before?: string): Promise<{ runs: ExportRun[]; next?: string }> {
  const out = await ddb.send(
    new QueryCommand({
      TableName: tableName('exports'),
      KeyConditionExpression: before ? 'pk = :pk AND sk < :b' : 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'RUNS', ...(before ? { ':b': before } : {}) },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  const runs = (out.Items ?? []).map(({ pk: _pk, sk: _sk, ...run }) => run as ExportRun);
  return { runs, next: out.LastEvaluatedKey ? runs.at(-1)?.runId : undefined };
}

// ---------------------------------------------------------------------------------------------
// Yearly statistics

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

// ---------------------------------------------------------------------------------------------
// Overdue and held listings (sparse GSIs)

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
