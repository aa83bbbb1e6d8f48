/**
 * The transitions of a unit's list (adapters/unit-list-repo for its items): submit, comment period,
 * return, and the approval (claimed, released, finished). Each is one conditional write of the
 * list's META item with its history row, so two approvals, or an approval and an edit, cannot
 * both apply.
 */
import { IN_REVIEW, type ListStatus } from '#core/unit-lists';
import { transactConditionally, type TransactItem } from './transact.ts';
import { inList, listPk as pk, listTable as table, META, QUEUE, statusValues as values, type CommentSummary, type HistoryEntry } from './unit-list-repo.ts';

function historyPut(unit: string, entry: HistoryEntry): TransactItem {
  return { Put: { TableName: table(), Item: { pk: pk(unit), sk: `H#${entry.at}#${String(entry.rev).padStart(8, '0')}`, ...entry } } };
}

/** A transition from one of `from` at `rev`, with its history row; false when the list moved on. */
async function transition(
  unit: string,
  rev: number,
  from: readonly ListStatus[],
  set: Record<string, unknown>,
  remove: string[],
  history: HistoryEntry,
  extraCondition?: { expression: string; values: Record<string, unknown> },
): Promise<boolean> {
  const names: Record<string, string> = { '#s': 'status' };
  const vals: Record<string, unknown> = { ':rev': rev, ':one': 1, ...values(from, 'f'), ...(extraCondition?.values ?? {}) };
  const sets = Object.entries(set).map(([k, v], i) => {
    names[`#k${i}`] = k;
    vals[`:v${i}`] = v;
    return `#k${i} = :v${i}`;
  });
  const removes = remove.map((k, i) => {
    names[`#r${i}`] = k;
    return `#r${i}`;
  });
  return transactConditionally(
    [
      {
        Update: {
          TableName: table(),
          Key: { pk: pk(unit), sk: META },
          UpdateExpression: `SET ${sets.join(', ')} ADD rev :one${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: `rev = :rev AND ${inList(from, 'f')}${extraCondition ? ` AND ${extraCondition.expression}` : ''}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: vals,
        },
      },
      historyPut(unit, history),
    ],
    'unitListTransition',
  );
}

export async function submitList(unit: string, rev: number, by: string): Promise<boolean> {
  const at = new Date().toISOString();
  return transition(
    unit,
    rev,
    ['DRAFT', 'RETURNED'],
    { status: 'SUBMITTED', submittedAt: at, updatedAt: at, updatedBy: by, ppk: QUEUE, psk: `${at}#${unit}` },
    ['commentStart', 'commentEnd', 'commentSummary'],
    { event: 'SUBMITTED', at, by, rev: rev + 1 },
    { expression: 'changes > :zero', values: { ':zero': 0 } },
  );
}

export async function openCommentPeriod(unit: string, rev: number, start: string, end: string, by: string, summary: CommentSummary): Promise<boolean> {
  const at = new Date().toISOString();
  const set = { status: 'COMMENT', commentStart: start, commentEnd: end, commentSummary: summary, updatedAt: at, updatedBy: by };
  return transition(unit, rev, ['SUBMITTED'], set, [], {
    event: 'COMMENT_OPENED',
    at,
    by,
    rev: rev + 1,
    commentStart: start,
    commentEnd: end,
  });
}

export async function returnList(unit: string, rev: number, comments: string, by: string): Promise<boolean> {
  const at = new Date().toISOString();
  return transition(unit, rev, IN_REVIEW, { status: 'RETURNED', comments, updatedAt: at, updatedBy: by }, ['ppk', 'psk'], {
    event: 'RETURNED',
    at,
    by,
    rev: rev + 1,
    comments,
  });
}

/**
 * Takes the approval of the list at `rev`: only one approval wins; an approval that died while
 * APPROVING may be taken over once its lease (`staleBefore`) has passed. The rev is not moved, so
 * the approval's version name stays the same when it is taken over.
 */
export async function claimApproval(unit: string, rev: number, token: string, staleBefore: string): Promise<boolean> {
  const now = new Date().toISOString();
  return transactConditionally(
    [
      {
        Update: {
          TableName: table(),
          Key: { pk: pk(unit), sk: META },
          UpdateExpression: 'SET #s = :approving, approvingToken = :t, approvingAt = :now',
          ConditionExpression: `rev = :rev AND (${inList(IN_REVIEW, 'f')} OR (#s = :approving AND approvingAt < :stale))`,
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':approving': 'APPROVING', ':t': token, ':now': now, ':rev': rev, ':stale': staleBefore, ...values(IN_REVIEW, 'f') },
        },
      },
    ],
    'unitListClaim',
  );
}

/** Gives an approval back (the catalog was busy): the list returns to `status`, nothing was published. */
export async function releaseApproval(unit: string, token: string, status: ListStatus): Promise<void> {
  await transactConditionally(
    [
      {
        Update: {
          TableName: table(),
          Key: { pk: pk(unit), sk: META },
          UpdateExpression: 'SET #s = :back REMOVE approvingToken, approvingAt',
          ConditionExpression: '#s = :approving AND approvingToken = :t',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':back': status, ':approving': 'APPROVING', ':t': token },
        },
      },
    ],
    'unitListRelease',
  );
}

/** Ends an approval: the staged changes are gone, the list is PUBLISHED at `version`. */
export async function finishApproval(
  unit: string,
  rev: number,
  token: string,
  version: string,
  by: string,
  summary: { added: number; changed: number; removed: number },
): Promise<boolean> {
  const at = new Date().toISOString();
  return transition(
    unit,
    rev,
    ['APPROVING'],
    { status: 'PUBLISHED', publishedVersion: version, changes: 0, updatedAt: at, updatedBy: by },
    ['ppk', 'psk', 'approvingToken', 'approvingAt', 'comments', 'commentStart', 'commentEnd'],
    { event: 'APPROVED', at, by, rev: rev + 1, version, ...summary },
    { expression: 'approvingToken = :t', values: { ':t': token } },
  );
}
