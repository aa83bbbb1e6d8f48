/**
 * Units' own lists (core/unit-lists) in the catalog table, one partition per unit:
 *
 * - `LIST#{unit}` / `META`: status, `rev` (+1 on every change: submit, return and approve name the
 *   rev they saw), the number of staged changes, the comment period, the last return's comments;
 *   while in review `ppk` = `LISTQ`, `psk` = `{submittedAt}#{unit}` put it in the credit centre's
 *   queue (the byProvider index, sparse);
 * - `LIST#{unit}` / `C#{section}#{key}`: one staged change (`doc`, or `remove`);
 * - `LIST#{unit}` / `H#{at}#{rev}`: the unit's history (submitted, comment period, returned, approved).
 *
 * Every transition is one conditional write (a transaction with its history row), so two
 * approvals, or an approval and an edit, cannot both apply.
 */
import { BatchWriteCommand, GetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { EXPIRY_SHARDS, itemPk } from '#core/due-day';
import { EDITABLE, IN_REVIEW, MAX_LIST_CHANGES, type HistoryEvent, type ListChange, type ListSection, type ListStatus } from '#core/unit-lists';
import { ddb } from './clients.ts';
import { tableName } from './config.ts';
import { queryAll } from './query-all.ts';
import { transactConditionally, type TransactItem } from './transact.ts';

export interface ListMeta {
  unit: string;
  status: ListStatus;
  rev: number;
  changes: number;
  updatedAt: string;
  updatedBy: string;
  submittedAt?: string;
  commentStart?: string;
  commentEnd?: string;
  /** The diff's counts as the list entered its comment period (shown publicly with it). */
  commentSummary?: CommentSummary;
  comments?: string;
  publishedVersion?: string;
  approvingToken?: string;
  approvingAt?: string;
}

export interface CommentSummary {
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
}

export interface HistoryEntry {
  event: HistoryEvent;
  at: string;
  by: string;
  rev: number;
  comments?: string;
  commentStart?: string;
  commentEnd?: string;
  version?: string;
  added?: number;
  changed?: number;
  removed?: number;
}

const table = () => tableName('catalog');
const pk = (unit: string) => `LIST#${unit}`;
const META = 'META';
const changeSk = (section: ListSection, key: string) => `C#${section}#${key}`;
const QUEUE = 'LISTQ';

const toMeta = ({ pk: _pk, sk: _sk, ppk: _ppk, psk: _psk, ...m }: Record<string, unknown>) => m as unknown as ListMeta;

export async function getListMeta(unit: string): Promise<ListMeta | null> {
  const out = await ddb.send(new GetCommand({ TableName: table(), Key: { pk: pk(unit), sk: META }, ConsistentRead: true }));
  return out.Item ? toMeta(out.Item) : null;
}

/** The draft's staged changes (one Query of the unit's partition: as many rows as changes). */
export async function listChanges(unit: string): Promise<ListChange[]> {
  const rows = await queryAll<{ section: ListSection; key: string; doc?: string }>({
    TableName: table(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :c)',
    ExpressionAttributeValues: { ':pk': pk(unit), ':c': 'C#' },
    ConsistentRead: true,
  });
  return rows.map((r) => ({ section: r.section, key: r.key, ...(r.doc !== undefined ? { entry: JSON.parse(r.doc) } : {}) }));
}

async function changeExists(unit: string, section: ListSection, key: string): Promise<boolean> {
  const out = await ddb.send(
    new GetCommand({ TableName: table(), Key: { pk: pk(unit), sk: changeSk(section, key) }, ConsistentRead: true, ProjectionExpression: 'pk' }),
  );
  return out.Item !== undefined;
}

const values = (statuses: readonly ListStatus[], prefix: string) => Object.fromEntries(statuses.map((s, i) => [`:${prefix}${i}`, s]));
const inList = (statuses: readonly ListStatus[], prefix: string) => `#s IN (${statuses.map((_, i) => `:${prefix}${i}`).join(', ')})`;

/** The meta update of an edit: only while editable, opens (or keeps) the draft, counts the change. */
function editMeta(unit: string, by: string, delta: number): TransactItem {
  return {
    Update: {
      TableName: table(),
      Key: { pk: pk(unit), sk: META },
      UpdateExpression: 'SET #s = :draft, #unit = :unit, updatedAt = :now, updatedBy = :by ADD rev :one, changes :d',
      ConditionExpression: `(attribute_not_exists(pk) OR ${inList(EDITABLE, 'e')})${delta > 0 ? ' AND (attribute_not_exists(changes) OR changes < :max)' : ''}`,
      ExpressionAttributeNames: { '#s': 'status', '#unit': 'unit' },
      ExpressionAttributeValues: {
        ':draft': 'DRAFT',
        ':unit': unit,
        ':now': new Date().toISOString(),
        ':by': by,
        ':one': 1,
        ':d': delta,
        ...values(EDITABLE, 'e'),
        ...(delta > 0 ? { ':max': MAX_LIST_CHANGES } : {}),
      },
    },
  };
}

/**
 * Stages one change (an entry put, or `entry` undefined: the published entry removed). False when
 * the list is not editable (in review, being approved) or full, or a concurrent edit won the race.
 */
export async function stageChange(unit: string, change: ListChange, by: string): Promise<boolean> {
  const exists = await changeExists(unit, change.section, change.key);
  const row: Record<string, unknown> = { pk: pk(unit), sk: changeSk(change.section, change.key), section: change.section, key: change.key };
  if (change.entry !== undefined) row.doc = JSON.stringify(change.entry);
  else row.remove = true;
  return transactConditionally(
    [
      editMeta(unit, by, exists ? 0 : 1),
      { Put: { TableName: table(), Item: row, ConditionExpression: exists ? 'attribute_exists(pk)' : 'attribute_not_exists(pk)' } },
    ],
    'unitListStage',
  );
}

/** Drops a staged change (the draft goes back to the published entry). False as for stageChange, or when nothing was staged. */
export async function unstageChange(unit: string, section: ListSection, key: string, by: string): Promise<boolean> {
  return transactConditionally(
    [
      editMeta(unit, by, -1),
      { Delete: { TableName: table(), Key: { pk: pk(unit), sk: changeSk(section, key) }, ConditionExpression: 'attribute_exists(pk)' } },
    ],
    'unitListUnstage',
  );
}

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

/** Deletes staged change rows (after their publish; deleting one twice is harmless). */
export async function deleteChanges(unit: string, changes: readonly ListChange[]): Promise<void> {
  for (let i = 0; i < changes.length; i += 25) {
    let request: Record<string, unknown[]> | undefined = {
      [table()]: changes.slice(i, i + 25).map((c) => ({ DeleteRequest: { Key: { pk: pk(unit), sk: changeSk(c.section, c.key) } } })),
    };
    for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
      if (attempt > 8) throw new Error('deleting staged changes: unprocessed after retries');
      if (attempt > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
      const out = await ddb.send(new BatchWriteCommand({ RequestItems: request as never }));
      request = out.UnprocessedItems as typeof request;
    }
  }
}

/** One page of the unit's history, newest first. */
export async function listHistory(unit: string, after: string | undefined, limit: number): Promise<{ history: HistoryEntry[]; next?: string }> {
  const out = await ddb.send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :h)',
      ExpressionAttributeValues: { ':pk': pk(unit), ':h': 'H#' },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: after ? { pk: pk(unit), sk: after } : undefined,
    }),
  );
  const history = (out.Items ?? []).map(({ pk: _pk, sk: _sk, ...h }) => h as unknown as HistoryEntry);
  return { history, next: out.LastEvaluatedKey ? String(out.LastEvaluatedKey.sk) : undefined };
}

/**
 * One page of the credit centre's queue (lists in review), oldest submission first. With
 * `inCommentAt`, only the lists in public comment whose period has not ended by then: filtered
 * from the same page of the queue (sparse: lists in review only), so a page reads at most `limit`
 * entries and may hold fewer, with `next`.
 */
export async function reviewQueue(
  after: string | undefined,
  limit: number,
  opts: { inCommentAt?: string } = {},
): Promise<{ lists: ListMeta[]; next?: string }> {
  const input: QueryCommandInput = {
    TableName: table(),
    IndexName: 'byProvider',
    KeyConditionExpression: 'ppk = :q',
    ExpressionAttributeValues: { ':q': QUEUE },
    Limit: limit,
    ...(opts.inCommentAt
      ? {
          FilterExpression: '#s = :comment AND commentEnd > :now',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':q': QUEUE, ':comment': 'COMMENT', ':now': opts.inCommentAt },
        }
      : {}),
  };
  if (after) {
    const unit = after.slice(after.indexOf('#') + 1);
    input.ExclusiveStartKey = { ppk: QUEUE, psk: after, pk: pk(unit), sk: META };
  }
  const out = await ddb.send(new QueryCommand(input));
  return { lists: (out.Items ?? []).map(toMeta), next: out.LastEvaluatedKey ? String(out.LastEvaluatedKey.psk) : undefined };
}

// ---------------------------------------------------------------------------------------------
// Dry-run facts (each read follows the unit's own data, never a table's size)

/** How far back a batch may still be in flight. */
const IN_FLIGHT_DAYS = 14;

export interface BatchInFlight {
  batchId: string;
  item: string;
  status: string;
  receivedAt: string;
}

/** The provider's batches received in the last IN_FLIGHT_DAYS that are not finished, for `items`. */
export async function batchesInFlight(provider: string, items: ReadonlySet<string>): Promise<BatchInFlight[]> {
  if (items.size === 0) return [];
  const since = new Date(Date.now() - IN_FLIGHT_DAYS * 86_400_000).toISOString();
  const rows = await queryAll<BatchInFlight>({
    TableName: tableName('batches'),
    IndexName: 'byProvider',
    KeyConditionExpression: 'gsi1pk = :p AND gsi1sk >= :since',
    FilterExpression: '#s IN (:r, :p2)',
    ExpressionAttributeNames: { '#s': 'status', '#i': 'item' },
    ExpressionAttributeValues: { ':p': `PROVIDER#${provider}`, ':since': since, ':r': 'RECEIVED', ':p2': 'PROCESSING' },
    ProjectionExpression: 'batchId, #i, #s, receivedAt',
  });
  return rows.filter((b) => items.has(b.item));
}

/**
 * The queryable records stored under an item (the keys-only byItem index, counted), up to `cap`:
 * the count reads at most `cap` index entries, so an item with millions of records costs no more.
 */
export async function recordsUnder(item: string, subjectType: 'LEGAL' | 'NATURAL', cap: number): Promise<{ records: number; capped: boolean }> {
  let records = 0;
  for (let shard = 0; shard < EXPIRY_SHARDS && records < cap; shard++) {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await ddb.send(
        new QueryCommand({
          TableName: tableName(subjectType === 'LEGAL' ? 'legalSubjects' : 'naturalSubjects'),
          IndexName: 'byItem',
          KeyConditionExpression: 'itempk = :p',
          ExpressionAttributeValues: { ':p': itemPk(item, shard) },
          Select: 'COUNT',
          Limit: cap - records,
          ExclusiveStartKey: start,
        }),
      );
      records += out.Count ?? 0;
      start = out.LastEvaluatedKey;
    } while (start && records < cap);
  }
  return { records: Math.min(records, cap), capped: records >= cap };
}
