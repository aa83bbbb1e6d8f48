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
 * approvals, or an approval and an edit, cannot both apply: the transitions are in
 * unit-list-transitions.ts, the dry run's facts in unit-list-facts.ts.
 */
import { BatchWriteCommand, GetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { EDITABLE, MAX_LIST_CHANGES, type HistoryEvent, type ListChange, type ListSection, type ListStatus } from '#core/unit-lists';
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

/** The catalog table, which holds the lists, and a unit's partition in it. */
export const listTable = () => tableName('catalog');
export const listPk = (unit: string) => `LIST#${unit}`;
export const META = 'META';
const changeSk = (section: ListSection, key: string) => `C#${section}#${key}`;
/** The credit centre's review queue (byProvider index, sparse). */
export const QUEUE = 'LISTQ';

const toMeta = ({ pk: _pk, sk: _sk, ppk: _ppk, psk: _psk, ...m }: Record<string, unknown>) => m as unknown as ListMeta;

export async function getListMeta(unit: string): Promise<ListMeta | null> {
  const out = await ddb.send(new GetCommand({ TableName: listTable(), Key: { pk: listPk(unit), sk: META }, ConsistentRead: true }));
  return out.Item ? toMeta(out.Item) : null;
}

/** The draft's staged changes (one Query of the unit's partition: as many rows as changes). */
export async function listChanges(unit: string): Promise<ListChange[]> {
  const rows = await queryAll<{ section: ListSection; key: string; doc?: string }>({
    TableName: listTable(),
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :c)',
    ExpressionAttributeValues: { ':pk': listPk(unit), ':c': 'C#' },
    ConsistentRead: true,
  });
  return rows.map((r) => ({ section: r.section, key: r.key, ...(r.doc !== undefined ? { entry: JSON.parse(r.doc) } : {}) }));
}

async function changeExists(unit: string, section: ListSection, key: string): Promise<boolean> {
  const out = await ddb.send(
    new GetCommand({ TableName: listTable(), Key: { pk: listPk(unit), sk: changeSk(section, key) }, ConsistentRead: true, ProjectionExpression: 'pk' }),
  );
  return out.Item !== undefined;
}

export const statusValues = (statuses: readonly ListStatus[], prefix: string) => Object.fromEntries(statuses.map((s, i) => [`:${prefix}${i}`, s]));
export const inList = (statuses: readonly ListStatus[], prefix: string) => `#s IN (${statuses.map((_, i) => `:${prefix}${i}`).join(', ')})`;

/** The meta update of an edit: only while editable, opens (or keeps) the draft, counts the change. */
function editMeta(unit: string, by: string, delta: number): TransactItem {
  return {
    Update: {
      TableName: listTable(),
      Key: { pk: listPk(unit), sk: META },
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
        ...statusValues(EDITABLE, 'e'),
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
  const row: Record<string, unknown> = { pk: listPk(unit), sk: changeSk(change.section, change.key), section: change.section, key: change.key };
  if (change.entry !== undefined) row.doc = JSON.stringify(change.entry);
  else row.remove = true;
  return transactConditionally(
    [
      editMeta(unit, by, exists ? 0 : 1),
      { Put: { TableName: listTable(), Item: row, ConditionExpression: exists ? 'attribute_exists(pk)' : 'attribute_not_exists(pk)' } },
    ],
    'unitListStage',
  );
}

/** Drops a staged change (the draft goes back to the published entry). False as for stageChange, or when nothing was staged. */
export async function unstageChange(unit: string, section: ListSection, key: string, by: string): Promise<boolean> {
  return transactConditionally(
    [
      editMeta(unit, by, -1),
      { Delete: { TableName: listTable(), Key: { pk: listPk(unit), sk: changeSk(section, key) }, ConditionExpression: 'attribute_exists(pk)' } },
    ],
    'unitListUnstage',
  );
}

/** Deletes staged change rows (after their publish; deleting one twice is harmless). */
export async function deleteChanges(unit: string, changes: readonly ListChange[]): Promise<void> {
  for (let i = 0; i < changes.length; i += 25) {
    let request: Record<string, unknown[]> | undefined = {
      [listTable()]: changes.slice(i, i + 25).map((c) => ({ DeleteRequest: { Key: { pk: listPk(unit), sk: changeSk(c.section, c.key) } } })),
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
      TableName: listTable(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :h)',
      ExpressionAttributeValues: { ':pk': listPk(unit), ':h': 'H#' },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: after ? { pk: listPk(unit), sk: after } : undefined,
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
    TableName: listTable(),
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
    input.ExclusiveStartKey = { ppk: QUEUE, psk: after, pk: listPk(unit), sk: META };
  }
  const out = await ddb.send(new QueryCommand(input));
  return { lists: (out.Items ?? []).map(toMeta), next: out.LastEvaluatedKey ? String(out.LastEvaluatedKey.psk) : undefined };
}
