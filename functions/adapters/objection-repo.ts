/**
 * The objections table (lib/platform.ts `objections`): one item per objection, written whole
 * with a condition on the status it was read in, so two parties never both move it on.
 *   pk = OBJ#{id}, sk = OBJECTION
 *   byStatus   gsi1pk = STATUS#{status},        gsi1sk = {receivedAt}#{id}
 *   byDeadline gsi2pk = OPEN (open ones only),  gsi2sk = {deadline of the pending step}#{id}
 *   byProvider gsi3pk = PROV#{provider} (forwarded ones only), gsi3sk = {forwardedAt}#{id}
 *   bySubject  gsi4pk = SUBJ#{type}#{key},      gsi4sk = {receivedAt}#{id}
 *   byReceived gsi5pk = ALL,                    gsi5sk = {receivedAt}#{id}: every objection, across statuses, for
 *              the admin's listing; one partition (objections arrive by the thousand a year, far below the
 *              1,000 writes a second one index partition takes), so a page is one Query with a cursor
 */
import { GetCommand, paginateScan, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import { cutPage, OBJECTION_STATUSES, pendingDeadline, type ListingPlan, type ListingSource, type Objection, type ObjectionStatus } from '#core/objections';
import type { WorkCalendar } from '#core/work-calendar';
import { ddb } from './clients.ts';
import { conditionally } from './conditions.ts';
import { tableName } from './config.ts';
import { queryAll } from './query-all.ts';

const SK = 'OBJECTION';
const OPEN = 'OPEN';
const ALL = 'ALL';
const pkOf = (id: string) => `OBJ#${id}`;
const subjectPk = (type: string, key: string) => `SUBJ#${type}#${key}`;

function toItem(o: Objection, cal: WorkCalendar): Record<string, unknown> {
  const due = pendingDeadline(o, cal);
  return {
    ...o,
    pk: pkOf(o.objectionId),
    sk: SK,
    gsi1pk: `STATUS#${o.status}`,
    gsi1sk: `${o.receivedAt}#${o.objectionId}`,
    ...(due ? { gsi2pk: OPEN, gsi2sk: `${due}#${o.objectionId}` } : {}),
    ...(o.forwardedAt ? { gsi3pk: `PROV#${o.provider}`, gsi3sk: `${o.forwardedAt}#${o.objectionId}` } : {}),
    gsi4pk: subjectPk(o.subjectType, o.subjectKey),
    gsi4sk: `${o.receivedAt}#${o.objectionId}`,
    gsi5pk: ALL,
    gsi5sk: `${o.receivedAt}#${o.objectionId}`,
  };
}

const INDEX_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'gsi4pk', 'gsi4sk', 'gsi5pk', 'gsi5sk'];

function fromItem(item: Record<string, unknown>): Objection {
  const o = { ...item };
  for (const k of INDEX_ATTRIBUTES) delete o[k];
  return o as unknown as Objection;
}

export async function putNewObjection(o: Objection, cal: WorkCalendar): Promise<void> {
  await ddb.send(new PutCommand(newObjectionPut(o, cal).Put));
}

/** The put putNewObjection writes (refused when the id exists), as one item of a transaction. */
export function newObjectionPut(o: Objection, cal: WorkCalendar) {
  return { Put: { TableName: tableName('objections'), Item: toItem(o, cal), ConditionExpression: 'attribute_not_exists(pk)' } };
}

/** A transaction item that writes nothing: the objection must still be in `status`. */
export function objectionInStatus(objectionId: string, status: ObjectionStatus) {
  return {
    ConditionCheck: {
      TableName: tableName('objections'),
      Key: { pk: pkOf(objectionId), sk: SK },
      ConditionExpression: '#status = :status',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': status },
    },
  };
}

export async function getObjection(objectionId: string): Promise<Objection | undefined> {
  const out = await ddb.send(new GetCommand({ TableName: tableName('objections'), Key: { pk: pkOf(objectionId), sk: SK }, ConsistentRead: true }));
  return out.Item ? fromItem(out.Item) : undefined;
}

/** The next state, as one item of a transaction: refused when someone else moved the objection on since `from` was read. */
export function objectionSave(next: Objection, from: ObjectionStatus, cal: WorkCalendar) {
  return {
    Put: {
      TableName: tableName('objections'),
      Item: toItem(next, cal),
      ConditionExpression: '#status = :from',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':from': from },
    },
  };
}

const byIndex = async (index: string, pkName: string, pkValue: string, skName: string, range?: { from?: string; to?: string }) => {
  const conditions = [`${pkName} = :pk`];
  const values: Record<string, unknown> = { ':pk': pkValue };
  if (range?.from !== undefined && range.to !== undefined) {
    conditions.push(`${skName} BETWEEN :from AND :to`);
    Object.assign(values, { ':from': range.from, ':to': range.to });
  } else if (range?.to !== undefined) {
    conditions.push(`${skName} <= :to`);
    values[':to'] = range.to;
  }
  const items = await queryAll<Record<string, unknown>>({
    TableName: tableName('objections'),
    IndexName: index,
    KeyConditionExpression: conditions.join(' AND '),
    ExpressionAttributeValues: values,
  });
  return items.map(fromItem);
};

/** Objections with this status, or every status, received in [fromAt, toAt] when given. */
export async function objectionsByStatus(
  statuses: readonly ObjectionStatus[] = OBJECTION_STATUSES,
  range?: { from: string; to: string },
): Promise<Objection[]> {
  const lists = await pMap(statuses, (s) => byIndex('byStatus', 'gsi1pk', `STATUS#${s}`, 'gsi1sk', range), { concurrency: 6 });
  return lists.flat();
}

/** Open objections whose pending step is due at or before `dueBy` (every open one without it). */
export async function openObjections(dueBy?: string): Promise<Objection[]> {
  return byIndex('byDeadline', 'gsi2pk', OPEN, 'gsi2sk', dueBy ? { to: `${dueBy}#~` } : undefined);
}

/** How many objections are open (byDeadline holds the open ones only): a count, no items read. */
export async function countOpenObjections(): Promise<number> {
  let count = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await ddb.send(
      new QueryCommand({
        TableName: tableName('objections'),
        IndexName: 'byDeadline',
        KeyConditionExpression: 'gsi2pk = :open',
        ExpressionAttributeValues: { ':open': OPEN },
        Select: 'COUNT',
        ExclusiveStartKey: start,
      }),
    );
    count += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  return count;
}

/**
 * Once, after deploying the release that added byReceived: objections written before it lack its
 * key until their next step, so the admin's unfiltered listing would miss them. Sets gsi5pk/gsi5sk
 * on every objection without them (scripts/backfill-objection-index.ts). A Scan of the table: an
 * operator's one-off migration, never part of a request. Each write is conditional on the key still
 * missing, so running it again, or alongside live steps, changes nothing twice.
 */
export async function backfillReceivedIndex(): Promise<number> {
  let written = 0;
  const pages = paginateScan(
    { client: ddb },
    {
      TableName: tableName('objections'),
      ProjectionExpression: 'pk, sk, receivedAt, objectionId',
      FilterExpression: 'sk = :sk AND attribute_not_exists(gsi5pk)',
      ExpressionAttributeValues: { ':sk': SK },
    },
  );
  for await (const page of pages) {
    const done = await pMap(
      page.Items ?? [],
      (item) =>
        conditionally(() =>
          ddb.send(
            new UpdateCommand({
              TableName: tableName('objections'),
              Key: { pk: item.pk, sk: SK },
              UpdateExpression: 'SET gsi5pk = :all, gsi5sk = :key',
              ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(gsi5pk)',
              ExpressionAttributeValues: { ':all': ALL, ':key': `${item.receivedAt}#${item.objectionId}` },
            }),
          ),
        ),
      { concurrency: 8 },
    );
    written += done.filter(Boolean).length;
  }
  return written;
}

/** The index, its key attributes and the partition one listing source reads. */
function sourceKeys(source: ListingSource): { index: string; pk: string; sk: string; value: string } {
  switch (source.index) {
    case 'all':
      return { index: 'byReceived', pk: 'gsi5pk', sk: 'gsi5sk', value: ALL };
    case 'status':
      return { index: 'byStatus', pk: 'gsi1pk', sk: 'gsi1sk', value: `STATUS#${source.status}` };
    case 'overdue':
      return { index: 'byDeadline', pk: 'gsi2pk', sk: 'gsi2sk', value: OPEN };
    case 'provider':
      return { index: 'byProvider', pk: 'gsi3pk', sk: 'gsi3sk', value: `PROV#${source.provider}` };
    case 'subject':
      return { index: 'bySubject', pk: 'gsi4pk', sk: 'gsi4sk', value: subjectPk(source.subjectType, source.subjectKey) };
  }
}

export interface ObjectionPage {
  objections: Objection[];
  /** The index sort key to continue after (core LISTING_KEY_SHAPE), when more may follow. */
  next?: string;
  /** Index entries the one Query examined (ScannedCount): at most limit + 1, whatever the table holds. */
  examined: number;
}

/**
 * One page of a listing (core/objections listingPlan), newest first: one Query of one index
 * partition with Limit = limit + 1, continuing after `after` (a sort key this listing returned).
 * Overdue is decided on the indexed deadline of the pending step (gsi2sk, kept by every step and
 * by reindexOpenObjections when a calendar is published) against `now`.
 */
export async function objectionPage(plan: ListingPlan, limit: number, now: string, after?: string): Promise<ObjectionPage> {
  const keys = sourceKeys(plan.source);
  const names: Record<string, string> = { '#pk': keys.pk };
  const values: Record<string, unknown> = { ':pk': keys.value };
  let keyCondition = '#pk = :pk';
  if (plan.source.index === 'overdue') {
    // a deadline key `{deadline}#{id}` sorts below now exactly when now is past the deadline
    if (after !== undefined && after >= now) return { objections: [], examined: 0 };
    keyCondition += ' AND #sk < :now';
    names['#sk'] = keys.sk;
    values[':now'] = now;
  }
  const filters: string[] = [];
  const { status, provider, overdue } = plan.filter;
  if (status !== undefined) {
    filters.push('#status = :status');
    names['#status'] = 'status';
    values[':status'] = status;
  }
  if (provider !== undefined) {
    filters.push('#provider = :provider');
    names['#provider'] = 'provider';
    values[':provider'] = provider;
  }
  if (overdue !== undefined) {
    names['#due'] = 'gsi2sk';
    values[':now'] = now;
    filters.push(overdue ? '#due < :now' : '(attribute_not_exists(#due) OR #due > :now)');
  }
  const out = await ddb.send(
    new QueryCommand({
      TableName: tableName('objections'),
      IndexName: keys.index,
      KeyConditionExpression: keyCondition,
      FilterExpression: filters.length > 0 ? filters.join(' AND ') : undefined,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
      Limit: limit + 1,
      ExclusiveStartKey: after === undefined ? undefined : startKey(keys, after),
    }),
  );
  const items = out.Items ?? [];
  const lastExamined = out.LastEvaluatedKey ? String(out.LastEvaluatedKey[keys.sk]) : undefined;
  const { page, next } = cutPage(items, (item) => String(item[keys.sk]), limit, lastExamined);
  return { objections: page.map(fromItem), next, examined: out.ScannedCount ?? 0 };
}

/** The ExclusiveStartKey of an index entry from its sort key `{time}#{objectionId}`: the table key follows from the id. */
function startKey(keys: { pk: string; sk: string; value: string }, after: string): Record<string, string> {
  const id = after.slice(after.lastIndexOf('#') + 1);
  return { pk: pkOf(id), sk: SK, [keys.pk]: keys.value, [keys.sk]: after };
}

export async function objectionsOfSubject(subjectType: string, subjectKey: string): Promise<Objection[]> {
  return byIndex('bySubject', 'gsi4pk', subjectPk(subjectType, subjectKey), 'gsi4sk');
}

/**
 * After an arrangement is published: the open objections whose indexed deadline is on or after
 * `fromDay` (the published year's first day; earlier deadlines were counted over earlier years
 * only) get the deadline the new calendar gives. Reads the sparse byDeadline index from that key
 * on — open objections only, never the table — and rewrites only the keys that moved, each on the
 * condition that it is still the one read (a step taken meanwhile wrote its own). Running it again
 * changes nothing.
 */
export async function reindexOpenObjections(fromDay: string, cal: WorkCalendar): Promise<number> {
  const items = await queryAll<Record<string, unknown>>({
    TableName: tableName('objections'),
    IndexName: 'byDeadline',
    KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk >= :from',
    // a deadline is the end of a Shanghai day: 16:00 UTC the day before
    ExpressionAttributeValues: { ':pk': OPEN, ':from': shiftedBack(fromDay) },
  });
  const moved = await pMap(
    items,
    async (item) => {
      const o = fromItem(item);
      const due = pendingDeadline(o, cal);
      const key = due ? `${due}#${o.objectionId}` : undefined;
      if (!key || key === item.gsi2sk) return false;
      return conditionally(() =>
        ddb.send(
          new UpdateCommand({
            TableName: tableName('objections'),
            Key: { pk: pkOf(o.objectionId), sk: SK },
            UpdateExpression: 'SET gsi2sk = :key',
            ConditionExpression: 'gsi2sk = :old',
            ExpressionAttributeValues: { ':key': key, ':old': item.gsi2sk },
          }),
        ),
      );
    },
    { concurrency: 8 },
  );
  return moved.filter(Boolean).length;
}

const shiftedBack = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
