/**
 * Batches (批次) and their receipts (回执). pk = BATCH#{id}; sk = RECEIPT for the receipt and
 * CHUNK#{n} for each chunk's result, written once. The set `doneChunks` records which chunks
 * have finished, so counting is idempotent under redelivery; whoever completes the set sums the
 * chunk results into the receipt.
 */
import { isConditionFailure } from './conditions.ts';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { assertBalanced, sumChunks, type BatchStatus, type ChunkResult, type FailureCode, type HeldBackRow } from '#core/receipt';
import type { RowError } from '#core/row-validator';
import type { FileFormat } from '#core/row-scanner';
import type { TextEncoding } from '#core/encoding';
import { ddb } from './clients.ts';
import { queryAll } from './query-all.ts';
import { tableName } from './config.ts';
import { countBatch } from './stats-repo.ts';

export interface Receipt {
  batchId: string;
  provider: string;
  item: string;
  fileName: string;
  bucket: string;
  key: string;
  etag?: string;
  status: BatchStatus;
  reason: string | null;
  /** Set when the batch FAILED: why, as a code (core/receipt FAILURE_CODES). */
  reasonCode?: FailureCode | null;
  receivedAt: string;
  completedAt: string | null;
  rows: number;
  accepted: number;
  rejected: number;
  linked: number;
  unlinked: number;
  errors: RowError[];
  /** Accepted rows the national push will hold back until corrected, and the first of them with why. */
  heldBack?: number;
  heldBackRows?: HeldBackRow[];
  chunkCount?: number;
  /** Chunks finished so far, and the data rows the scan found (for progress while PROCESSING). */
  chunksDone?: number;
  plannedRows?: number;
  format?: FileFormat;
  encoding?: TextEncoding;
  lineEnding?: string;
  headerKeys?: string[];
  /** The file's own header cells as written (a CSV's 罚款金额（万元）), column for column with headerKeys. */
  headerCells?: string[];
  catalogVersion?: string;
  /** Set once the ended batch is in the ingestion statistics. */
  statsCounted?: boolean;
}

const RECEIPT = 'RECEIPT';
const pk = (batchId: string) => `BATCH#${batchId}`;
const chunkSk = (index: number) => `CHUNK#${String(index).padStart(6, '0')}`;
const table = () => tableName('batches');

type ReceiptUpdate = Pick<UpdateCommandInput, 'UpdateExpression' | 'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'>;

/** Updates the receipt if its condition holds; false (not an error) when it does not. */
async function updateReceiptIf(batchId: string, update: ReceiptUpdate): Promise<boolean> {
  try {
    await ddb.send(new UpdateCommand({ TableName: table(), Key: { pk: pk(batchId), sk: RECEIPT }, ...update }));
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}

export function newReceipt(
  fields: Pick<Receipt, 'batchId' | 'provider' | 'item' | 'fileName' | 'bucket' | 'key'> & { etag?: string; receivedAt?: string },
): Receipt {
  return {
    ...fields,
    status: 'RECEIVED',
    reason: null,
    receivedAt: fields.receivedAt ?? new Date().toISOString(),
    completedAt: null,
    rows: 0,
    accepted: 0,
    rejected: 0,
    linked: 0,
    unlinked: 0,
    errors: [],
  };
}

function toItem(r: Receipt) {
  return { pk: pk(r.batchId), sk: RECEIPT, gsi1pk: `PROVIDER#${r.provider}`, gsi1sk: `${r.receivedAt}#${r.batchId}`, ...r };
}

export function fromItem(item: Record<string, unknown>): Receipt {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, doneChunks, ...rest } = item;
  return { ...(rest as unknown as Receipt), chunksDone: (doneChunks as Set<number> | undefined)?.size ?? 0 };
}

/** Creates the receipt unless it exists. Returns the stored receipt and whether this call created it. */
export async function createReceipt(r: Receipt): Promise<{ receipt: Receipt; created: boolean }> {
  try {
    await ddb.send(new PutCommand({ TableName: table(), Item: toItem(r), ConditionExpression: 'attribute_not_exists(pk)' }));
    return { receipt: r, created: true };
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    const existing = await getReceipt(r.batchId);
    if (!existing) throw new Error(`receipt ${r.batchId} vanished`);
    return { receipt: existing, created: false };
  }
}

/** Binds a pending (presigned) receipt to the uploaded object version. False if bound to another. */
export async function bindObject(batchId: string, etag: string, receivedAt: string): Promise<boolean> {
  return updateReceiptIf(batchId, {
    UpdateExpression: 'SET etag = :e, receivedAt = :t, gsi1sk = :g',
    ConditionExpression: 'attribute_not_exists(etag) OR etag = :e',
    ExpressionAttributeValues: { ':e': etag, ':t': receivedAt, ':g': `${receivedAt}#${batchId}` },
  });
}

export async function getReceipt(batchId: string): Promise<Receipt | null> {
  const out = await ddb.send(new GetCommand({ TableName: table(), Key: { pk: pk(batchId), sk: RECEIPT }, ConsistentRead: true }));
  return out.Item ? fromItem(out.Item) : null;
}

/** RECEIVED → PROCESSING once the chunks are planned and queued. */
export async function markPlanned(
  batchId: string,
  plan: {
    chunkCount: number;
    rows: number;
    format: FileFormat;
    encoding: TextEncoding;
    lineEnding: string;
    headerKeys: string[];
    headerCells?: string[];
    catalogVersion: string;
  },
): Promise<void> {
  // a failed condition means the batch is already past RECEIVED: a redelivery
  await updateReceiptIf(batchId, {
    UpdateExpression:
      'SET #status = :processing, chunkCount = :c, plannedRows = :r, #format = :f, #encoding = :e, lineEnding = :l, headerKeys = :h, headerCells = :hc, catalogVersion = :v',
    ConditionExpression: '#status = :received',
    ExpressionAttributeNames: { '#status': 'status', '#format': 'format', '#encoding': 'encoding' },
    ExpressionAttributeValues: {
      ':processing': 'PROCESSING',
      ':received': 'RECEIVED',
      ':c': plan.chunkCount,
      ':r': plan.rows,
      ':f': plan.format,
      ':e': plan.encoding,
      ':l': plan.lineEnding,
      ':h': plan.headerKeys,
      ':hc': plan.headerCells ?? [],
      ':v': plan.catalogVersion,
    },
  });
}

/** Ends a batch as FAILED with a reason, unless it already ended. */
export async function markFailed(batchId: string, code: FailureCode, reason: string, errors: RowError[] = []): Promise<void> {
  await updateReceiptIf(batchId, {
    UpdateExpression: 'SET #status = :failed, reasonCode = :code, reason = :reason, completedAt = :now, errors = :errors',
    ConditionExpression: 'attribute_exists(pk) AND #status <> :completed AND #status <> :failed',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':failed': 'FAILED',
      ':completed': 'COMPLETED',
      ':code': code,
      ':reason': reason,
      ':now': new Date().toISOString(),
      ':errors': errors.slice(0, 100),
    },
  });
}

/** Writes a chunk's result once; a second write of the same chunk is ignored. */
export async function putChunkResult(batchId: string, result: ChunkResult): Promise<boolean> {
  assertBalanced(result, `chunk ${result.index} of batch ${batchId}`);
  try {
    await ddb.send(
      new PutCommand({
        TableName: table(),
        Item: { pk: pk(batchId), sk: chunkSk(result.index), ...result },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}

/** Records chunk `index` as done; returns true when every chunk of the batch is done. */
export async function markChunkDone(batchId: string, index: number, chunkCount: number): Promise<boolean> {
  const out = await ddb.send(
    new UpdateCommand({
      TableName: table(),
      Key: { pk: pk(batchId), sk: RECEIPT },
      UpdateExpression: 'ADD doneChunks :i SET chunkCount = :c',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':i': new Set([index]), ':c': chunkCount },
      ReturnValues: 'ALL_NEW',
    }),
  );
  const done = out.Attributes?.doneChunks as Set<number> | undefined;
  return (done?.size ?? 0) >= chunkCount;
}

export async function hasChunkResult(batchId: string, index: number): Promise<boolean> {
  const out = await ddb.send(
    new GetCommand({ TableName: table(), Key: { pk: pk(batchId), sk: chunkSk(index) }, ConsistentRead: true, ProjectionExpression: 'pk' }),
  );
  return Boolean(out.Item);
}

export async function chunkResults(batchId: string): Promise<ChunkResult[]> {
  return queryAll<ChunkResult>({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :c)',
    ExpressionAttributeValues: { ':pk': pk(batchId), ':c': 'CHUNK#' },
    ConsistentRead: true,
  });
}

/**
 * Adds an ended batch to the ingestion statistics once: the counter update is guarded by the
 * batch id, and the receipt flag spares later calls the write.
 */
async function countEnded(r: Receipt): Promise<void> {
  if (r.statsCounted || !r.completedAt || (r.status !== 'COMPLETED' && r.status !== 'FAILED') || r.rows === 0) return;
  await countBatch({ ...r, completedAt: r.completedAt });
  await updateReceiptIf(r.batchId, { UpdateExpression: 'SET statsCounted = :t', ExpressionAttributeValues: { ':t': true } });
  r.statsCounted = true;
}

/** Sums the chunk results into the receipt and ends the batch, and counts it in the statistics. Idempotent. */
export async function completeBatch(batchId: string): Promise<Receipt | null> {
  const receipt = await getReceipt(batchId);
  if (!receipt) return receipt;
  if (receipt.status === 'COMPLETED' || receipt.status === 'FAILED') {
    await countEnded(receipt);
    return receipt;
  }
  const chunks = await chunkResults(batchId);
  if (receipt.chunkCount === undefined || chunks.length < receipt.chunkCount) return receipt;
  const totals = sumChunks(chunks);
  assertBalanced(totals, `batch ${batchId}`);
  const status: BatchStatus = totals.failures.length ? 'FAILED' : 'COMPLETED';
  await updateReceiptIf(batchId, {
    UpdateExpression:
      'SET #status = :s, reasonCode = :code, reason = :reason, completedAt = :now, #rows = :rows, accepted = :a, rejected = :rj, linked = :l, unlinked = :u, errors = :e, heldBack = :hb, heldBackRows = :hr',
    ConditionExpression: '#status IN (:received, :processing)',
    ExpressionAttributeNames: { '#status': 'status', '#rows': 'rows' },
    ExpressionAttributeValues: {
      ':s': status,
      ':code': totals.failures.length ? 'PROCESSING_FAILED' : null,
      ':reason': totals.failures.length ? totals.failures.join('; ') : null,
      ':now': new Date().toISOString(),
      ':rows': totals.rows,
      ':a': totals.accepted,
      ':rj': totals.rejected,
      ':l': totals.linked,
      ':u': totals.unlinked,
      ':e': totals.errors,
      ':hb': totals.heldBack,
      ':hr': totals.heldBackRows,
      ':received': 'RECEIVED',
      ':processing': 'PROCESSING',
    },
  });
  const ended = await getReceipt(batchId);
  if (ended) await countEnded(ended);
  return ended;
}

/** Completes an empty file (header only): nothing to process, zero rows. */
export async function completeEmpty(batchId: string): Promise<void> {
  await updateReceiptIf(batchId, {
    UpdateExpression: 'SET #status = :completed, completedAt = :now, chunkCount = :zero',
    ConditionExpression: '#status IN (:received, :processing)',
    ExpressionAttributeNames: { '#status': 'status' },
    ExpressionAttributeValues: {
      ':completed': 'COMPLETED',
      ':now': new Date().toISOString(),
      ':zero': 0,
      ':received': 'RECEIVED',
      ':processing': 'PROCESSING',
    },
  });
}

export interface ReceiptQuery {
  provider: string;
  item?: string;
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

/** Receipts of one provider, newest first, optionally by item and time range. */
export async function listReceipts(q: ReceiptQuery): Promise<{ batches: Receipt[]; cursor?: string }> {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':p': `PROVIDER#${q.provider}` };
  let range = '';
  if (q.from || q.to) {
    values[':from'] = q.from ?? '0000';
    values[':to'] = `${q.to ?? '9999'}\uffff`;
    range = ' AND gsi1sk BETWEEN :from AND :to';
  }
  let filter: string | undefined;
  if (q.item) {
    names['#item'] = 'item';
    values[':item'] = q.item;
    filter = '#item = :item';
  }
  const batches: Receipt[] = [];
  let start = q.cursor ? (JSON.parse(Buffer.from(q.cursor, 'base64url').toString('utf8')) as Record<string, unknown>) : undefined;
  do {
    const out = await ddb.send(
      new QueryCommand({
        TableName: table(),
        IndexName: 'byProvider',
        KeyConditionExpression: `gsi1pk = :p${range}`,
        FilterExpression: filter,
        ExpressionAttributeNames: Object.keys(names).length ? names : undefined,
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        Limit: q.limit,
        ExclusiveStartKey: start,
      }),
    );
    for (const i of out.Items ?? []) if (batches.length < q.limit) batches.push(fromItem(i));
    start = out.LastEvaluatedKey;
  } while (start && batches.length < q.limit);
  return { batches, cursor: start ? Buffer.from(JSON.stringify(start)).toString('base64url') : undefined };
}
