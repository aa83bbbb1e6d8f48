/**
 * Bulk checks (批量核查) in the checks table. pk = CHECK#{id}; sk = CHECK for the check itself and
 * PART#{n} for each part's result, written once. The number set `doneParts` records which parts
 * have finished, so progress counts are idempotent under redelivery; the worker that completes
 * the set sums the part results into the check (no transactions: dynalite has none).
 */
import { isConditionFailure } from '#adapters/conditions';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '#adapters/clients';
import { queryAll } from '#adapters/query-all';
import { tableName } from '#adapters/config';

export type CheckStatus = 'RUNNING' | 'COMPLETED' | 'FAILED';

export interface CheckSummary {
  hitSubjects: number;
  negativeRecords: number;
  invalid: number;
}

export interface Check extends CheckSummary {
  checkId: string;
  status: CheckStatus;
  reason: string | null;
  subjectType: 'LEGAL' | 'NATURAL';
  purpose: string;
  items: string[] | null;
  ref: string | null;
  /** A joint check (联合奖惩): lines carry behaviours, lists and binding measures (functions/joint/bulk). */
  joint?: boolean;
  role: string;
  unit: string | null;
  sub: string;
  total: number;
  partSize: number;
  partCount: number;
  createdAt: string;
  completedAt: string | null;
  /** Parts finished so far (from the `doneParts` set). */
  partsDone: number;
  /** Part indexes finished so far. */
  doneParts: number[];
}

export interface PartResult extends CheckSummary {
  part: number;
  ids: number;
  /** Valid ids that were read and served. */
  checked: number;
  notFound: number;
  refused: number;
}

const CHECK = 'CHECK';
const pk = (checkId: string) => `CHECK#${checkId}`;
const partSk = (part: number) => `PART#${String(part).padStart(6, '0')}`;
const table = () => tableName('checks');

/** The number of ids in part `part` of a check. */
export function partLength(check: Pick<Check, 'total' | 'partSize'>, part: number): number {
  return Math.max(0, Math.min(check.partSize, check.total - part * check.partSize));
}

export function newCheck(fields: Omit<Check, 'status' | 'reason' | 'completedAt' | 'partsDone' | 'doneParts' | keyof CheckSummary>): Check {
  return { ...fields, status: 'RUNNING', reason: null, completedAt: null, partsDone: 0, doneParts: [], hitSubjects: 0, negativeRecords: 0, invalid: 0 };
}

export async function createCheck(c: Check): Promise<void> {
  const { partsDone: _p, doneParts: _d, ...stored } = c;
  await ddb.send(new PutCommand({ TableName: table(), Item: { pk: pk(c.checkId), sk: CHECK, ...stored }, ConditionExpression: 'attribute_not_exists(pk)' }));
}

function fromItem(item: Record<string, unknown>): Check {
  const { pk: _pk, sk: _sk, doneParts, ...rest } = item;
  const done = [...((doneParts as Set<number> | undefined) ?? [])].map(Number).sort((a, b) => a - b);
  return { ...(rest as unknown as Check), partsDone: done.length, doneParts: done };
}

export async function getCheck(checkId: string): Promise<Check | null> {
  const out = await ddb.send(new GetCommand({ TableName: table(), Key: { pk: pk(checkId), sk: CHECK }, ConsistentRead: true }));
  return out.Item ? fromItem(out.Item) : null;
}

/** Writes a part's result once; false when it was already written (a redelivery). */
export async function putPartResult(checkId: string, result: PartResult): Promise<boolean> {
  try {
    await ddb.send(
      new PutCommand({ TableName: table(), Item: { pk: pk(checkId), sk: partSk(result.part), ...result }, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}

export async function hasPartResult(checkId: string, part: number): Promise<boolean> {
  const out = await ddb.send(
    new GetCommand({ TableName: table(), Key: { pk: pk(checkId), sk: partSk(part) }, ConsistentRead: true, ProjectionExpression: 'pk' }),
  );
  return Boolean(out.Item);
}

/** Records part `part` as done; true when every part of the check is done. */
export async function markPartDone(checkId: string, part: number): Promise<boolean> {
  const out = await ddb.send(
    new UpdateCommand({
      TableName: table(),
      Key: { pk: pk(checkId), sk: CHECK },
      UpdateExpression: 'ADD doneParts :p',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':p': new Set([part]) },
      ReturnValues: 'ALL_NEW',
    }),
  );
  const done = out.Attributes?.doneParts as Set<number> | undefined;
  return (done?.size ?? 0) >= Number(out.Attributes?.partCount ?? Infinity);
}

export async function partResults(checkId: string): Promise<PartResult[]> {
  const results = await queryAll<PartResult>({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
    ExpressionAttributeValues: { ':pk': pk(checkId), ':p': 'PART#' },
    ConsistentRead: true,
  });
  return results.sort((a, b) => a.part - b.part);
}

/** RUNNING → COMPLETED with the summed figures; false if the check already ended. */
export async function markCompleted(checkId: string, summary: CheckSummary): Promise<boolean> {
  try {
    await ddb.send(
      new UpdateCommand({
        TableName: table(),
        Key: { pk: pk(checkId), sk: CHECK },
        UpdateExpression: 'SET #status = :completed, completedAt = :now, hitSubjects = :h, negativeRecords = :n, invalid = :i',
        ConditionExpression: '#status = :running',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':completed': 'COMPLETED',
          ':running': 'RUNNING',
          ':now': new Date().toISOString(),
          ':h': summary.hitSubjects,
          ':n': summary.negativeRecords,
          ':i': summary.invalid,
        },
      }),
    );
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}

/** RUNNING → FAILED with a reason; false if the check already ended. */
export async function markFailed(checkId: string, reason: string): Promise<boolean> {
  try {
    await ddb.send(
      new UpdateCommand({
        TableName: table(),
        Key: { pk: pk(checkId), sk: CHECK },
        UpdateExpression: 'SET #status = :failed, reason = :reason, completedAt = :now',
        ConditionExpression: '#status = :running',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':failed': 'FAILED', ':running': 'RUNNING', ':reason': reason, ':now': new Date().toISOString() },
      }),
    );
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}
