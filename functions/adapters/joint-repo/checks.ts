/**
 * Joint checks (CHECK#{checkId} / CHECK) and the feedback their measures want (CHECK#{checkId} /
 * FB#{subject key}#{measure}; byFeedback while not given, bySubject once given).
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import { ddb } from '../clients.ts';
import { conditionally } from '../conditions.ts';
import { queryAll } from '../query-all.ts';
import { table } from './table.ts';

export interface StoredCheck {
  checkId: string;
  unit: string;
  matter: string;
  caseRef?: string;
  at: string;
  by: string;
  feedbackDueAt: string;
  results: unknown[];
  /** A bulk check (POST /v1/checks with "joint": true): its answers are its result files, not stored here. */
  bulk?: boolean;
}

export interface PendingFeedback {
  checkId: string;
  unit: string;
  matter: string;
  subject: { type: 'LEGAL' | 'NATURAL'; key: string; label: string };
  measure: string;
  binding: string;
  dueAt: string;
  feedback?: { applied: boolean; reason?: string; at: string; by: string; late: boolean };
}

const fbSk = (subjectKey: string, measure: string) => `FB#${subjectKey}#${measure}`;

/** A stored feedback item without the table's key attributes (pk, sk, fbpk, fbsk, subjpk, subjsk). */
function toPending(item: Record<string, unknown>): PendingFeedback {
  const { pk: _pk, sk: _sk, fbpk: _a, fbsk: _b, subjpk: _c, subjsk: _d, ...p } = item;
  return p as unknown as PendingFeedback;
}

const pendingItem = (p: PendingFeedback) => ({
  ...p,
  pk: `CHECK#${p.checkId}`,
  sk: fbSk(p.subject.key, p.measure),
  fbpk: 'FEEDBACK_DUE',
  fbsk: `${p.dueAt}#${p.checkId}#${p.subject.key}#${p.measure}`,
});

const BULK_WRITES = 16;

/**
 * A bulk check's part opens its feedback: the check (once, by whichever part comes first) and the
 * measures wanting feedback for its subjects. Written only where absent, so a redelivered part
 * changes nothing — above all not feedback already given.
 */
export async function putBulkPending(c: StoredCheck, pending: readonly PendingFeedback[]): Promise<void> {
  const once = (Item: Record<string, unknown>) =>
    conditionally(() => ddb.send(new PutCommand({ TableName: table(), Item, ConditionExpression: 'attribute_not_exists(pk)' })));
  await once({ ...c, pk: `CHECK#${c.checkId}`, sk: 'CHECK' });
  await pMap(pending, (p) => once(pendingItem(p)), { concurrency: BULK_WRITES });
}

export async function putCheck(c: StoredCheck, pending: PendingFeedback[]): Promise<void> {
  await ddb.send(new PutCommand({ TableName: table(), Item: { ...c, pk: `CHECK#${c.checkId}`, sk: 'CHECK' } }));
  for (const p of pending) await ddb.send(new PutCommand({ TableName: table(), Item: pendingItem(p) }));
}

export async function getCheck(checkId: string): Promise<StoredCheck | undefined> {
  const r = await ddb.send(new GetCommand({ TableName: table(), Key: { pk: `CHECK#${checkId}`, sk: 'CHECK' } }));
  if (!r.Item) return undefined;
  const { pk: _pk, sk: _sk, ...c } = r.Item;
  return c as StoredCheck;
}

export async function getFeedback(checkId: string, subjectKey: string, measure: string): Promise<PendingFeedback | undefined> {
  const r = await ddb.send(new GetCommand({ TableName: table(), Key: { pk: `CHECK#${checkId}`, sk: fbSk(subjectKey, measure) }, ConsistentRead: true }));
  return r.Item ? toPending(r.Item) : undefined;
}

/** Records the feedback once; false when feedback is already recorded (a retry or a second answer). */
export async function recordFeedback(p: PendingFeedback, feedback: NonNullable<PendingFeedback['feedback']>): Promise<boolean> {
  return conditionally(() =>
    ddb.send(
      new UpdateCommand({
        TableName: table(),
        Key: { pk: `CHECK#${p.checkId}`, sk: fbSk(p.subject.key, p.measure) },
        UpdateExpression: 'SET feedback = :f, subjpk = :sp, subjsk = :ss REMOVE fbpk, fbsk',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(feedback)',
        ExpressionAttributeValues: { ':f': feedback, ':sp': `SUBJ#${p.subject.type}#${p.subject.key}`, ':ss': `F#${feedback.at}#${p.checkId}#${p.measure}` },
      }),
    ),
  );
}

/** Feedback due before `now` and not given, oldest first, at most `limit`; of one unit when given. */
export async function overdueFeedback(now: string, limit: number, unit?: string): Promise<PendingFeedback[]> {
  const r = await ddb.send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'byFeedback',
      KeyConditionExpression: 'fbpk = :p AND fbsk < :now',
      ...(unit ? { FilterExpression: '#u = :u', ExpressionAttributeNames: { '#u': 'unit' } } : {}),
      ExpressionAttributeValues: { ':p': 'FEEDBACK_DUE', ':now': now, ...(unit ? { ':u': unit } : {}) },
      Limit: limit,
    }),
  );
  return (r.Items ?? []).map(toPending);
}

/** The feedback units gave about a subject (the measures applied to it, or not, and why). */
export async function feedbackOfSubject(type: 'LEGAL' | 'NATURAL', key: string): Promise<PendingFeedback[]> {
  const items = await queryAll<Record<string, unknown>>({
    TableName: table(),
    IndexName: 'bySubject',
    KeyConditionExpression: 'subjpk = :p AND begins_with(subjsk, :f)',
    ExpressionAttributeValues: { ':p': `SUBJ#${type}#${key}`, ':f': 'F#' },
  });
  return items.map(toPending);
}
