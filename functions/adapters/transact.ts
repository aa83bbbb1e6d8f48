/**
 * One TransactWriteItems call: every write applied, or none. The rights changes (filing, remitting
 * and deciding an objection; repair and revocation) each touch two to four items — the objection,
 * the record and the legal representative's copy — far inside the 100-action / 4 MB limits, and
 * write them together so that a crash never leaves half a change behind.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { ddb } from './clients.ts';
import { afterWrite } from './faults.ts';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** DynamoDB's limit of actions per transaction. */
export const MAX_TRANSACT_ITEMS = 100;

/** Why a cancelled transaction was refused: a condition, or a concurrent transaction on an item. */
const REFUSALS = new Set(['ConditionalCheckFailed', 'TransactionConflict']);

/**
 * Writes `items` in one transaction: true when applied, false when a condition refused it (or a
 * concurrent transaction held an item) and nothing was written. `point` names the write for fault
 * injection (a crash right after it: the change is whole, the caller's later steps never ran).
 */
export async function transactConditionally(items: TransactItem[], point: string): Promise<boolean> {
  if (items.length === 0) return true;
  if (items.length > MAX_TRANSACT_ITEMS) throw new Error(`${point}: ${items.length} writes exceed one transaction (${MAX_TRANSACT_ITEMS})`);
  try {
    await ddb.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (err) {
    if (isRefusal(err)) return false;
    throw err;
  }
  afterWrite(point);
  return true;
}

function isRefusal(err: unknown): boolean {
  if (!(err instanceof TransactionCanceledException) && (err as Error)?.name !== 'TransactionCanceledException') return false;
  const reasons = (err as TransactionCanceledException).CancellationReasons ?? [];
  // a refusal names at least one item; other reasons (ValidationError, throttling) are faults
  return reasons.some((r) => r.Code && REFUSALS.has(r.Code)) && reasons.every((r) => !r.Code || r.Code === 'None' || REFUSALS.has(r.Code));
}
