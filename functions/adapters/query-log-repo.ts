/**
 * The query log (查询记录), append-only: every credit query — allowed, refused or not found — is
 * one item that nothing updates or deletes (IAM grants the writers dynamodb:PutItem alone).
 *   pk = SUBJ#{subjectType}#{subjectKey}, sk = {at}#{queryId}     a subject's "who queried me"
 *   gsi1 byUnit:  gsi1pk = UNIT#{unit ?? role}, gsi1sk = {at}
 *   gsi2 byMonth: gsi2pk = MONTH#{YYYY-MM},     gsi2sk = {at}#{queryId}   audits by period
 * Each newly stored entry is also counted in the query statistics (adapters/stats-repo).
 * Natural persons appear only by their HMAC key and masked ID number, never the number itself.
 */
import { isConditionFailure } from './conditions.ts';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import { ddb } from './clients.ts';
import { tableName } from './config.ts';
import { countQueries } from './stats-repo.ts';
import { queryAll } from './query-all.ts';
import type { LoggedQuery } from '#core/stats';

export interface QueryLogEntry {
  queryId: string;
  at: string;
  role: string;
  unit?: string;
  sub: string;
  /** The token's client (api, console, window, app; 'api' by default); 'check' for subjects of a bulk check. */
  channel: string;
  purpose?: string;
  businessRef?: string;
  authorizationRef?: string;
  subjectType: 'LEGAL' | 'NATURAL';
  subjectKey: string;
  /** USCC, or masked ID. */
  subjectLabel: string;
  outcome: 'ALLOWED' | 'REFUSED' | 'NOT_FOUND';
  status: number;
  records: number;
  reason?: string;
  checkId?: string;
  /** Item codes of the records served (statistics: application items actually used). */
  items?: string[];
}

/** Entries the statistics rollup counts (the others were counted when appended). */
const ROLLUP = 'ROLLUP';

export const subjectLogPk = (subjectType: 'LEGAL' | 'NATURAL', subjectKey: string) => `SUBJ#${subjectType}#${subjectKey}`;
export const monthLogPk = (month: string) => `MONTH#${month}`;

function toItem(e: QueryLogEntry): Record<string, unknown> {
  return {
    ...e,
    channel: e.channel || 'api',
    pk: subjectLogPk(e.subjectType, e.subjectKey),
    sk: `${e.at}#${e.queryId}`,
    gsi1pk: `UNIT#${e.unit ?? e.role}`,
    gsi1sk: e.at,
    gsi2pk: monthLogPk(e.at.slice(0, 7)),
    gsi2sk: `${e.at}#${e.queryId}`,
  };
}

/**
 * Stores one entry; an existing item is never overwritten. A conditional failure means this very
 * entry (same time and query id) is already stored — an SDK retry after a lost response or a
 * redelivered message — so it counts as appended. True when this call stored it.
 */
async function putEntry(e: QueryLogEntry, rollup = false): Promise<boolean> {
  try {
    await ddb.send(
      new PutCommand({ TableName: tableName('queryLog'), Item: { ...toItem(e), ...(rollup ? { tally: ROLLUP } : {}) }, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}

/**
 * Appends one entry (an interactive query). It is marked for the statistics rollup
 * (functions/stats/stats-rollup.ts), which counts it within minutes, so the query path pays one write.
 */
export async function appendQuery(e: QueryLogEntry): Promise<void> {
  await putEntry(e, true);
}

const APPEND_CONCURRENCY = 32;

/**
 * Appends many entries (and counts those newly stored in the statistics at once) (a bulk check logs each checked subject). Conditional PutItems rather than
 * BatchWriteItem: the writers hold dynamodb:PutItem alone, and BatchWriteItem permission would also
 * allow deletes — no path may remove a log entry.
 */
export async function appendQueries(es: QueryLogEntry[]): Promise<void> {
  const stored = await pMap(es, (e) => putEntry(e), { concurrency: APPEND_CONCURRENCY });
  // counted here, once, in one update per day: a bulk check logs thousands of entries
  await countQueries(es.filter((_, i) => stored[i]));
}

export interface LogPage {
  entries: QueryLogEntry[];
  /** Opaque cursor for the next page, absent on the last one. */
  next?: string;
}

const encodeCursor = (key: Record<string, unknown> | undefined) => (key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined);

export class InvalidCursorError extends Error {
  constructor() {
    super('the cursor is not one this API returned');
    this.name = 'InvalidCursorError';
  }
}

function decodeCursor(cursor: string | undefined, pk: string): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  // a cursor can only continue the same subject's log
  if (typeof key !== 'object' || key === null || (key as Record<string, unknown>).pk !== pk || typeof (key as Record<string, unknown>).sk !== 'string') {
    throw new InvalidCursorError();
  }
  return { pk, sk: (key as Record<string, unknown>).sk };
}

/** One subject's log, newest first. */
export async function queriesOfSubject(
  subjectType: 'LEGAL' | 'NATURAL',
  subjectKey: string,
  opts: { limit: number; cursor?: string },
): Promise<LogPage> {
  const pk = subjectLogPk(subjectType, subjectKey);
  const out = await ddb.send(
    new QueryCommand({
      TableName: tableName('queryLog'),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ScanIndexForward: false,
      Limit: opts.limit,
      ExclusiveStartKey: decodeCursor(opts.cursor, pk),
    }),
  );
  return { entries: (out.Items ?? []) as QueryLogEntry[], next: encodeCursor(out.LastEvaluatedKey) };
}

/** The first and last month (YYYY-MM) of a time range, and every month between. */
function monthsOf(fromAt: string, toAt: string): string[] {
  const months: string[] = [];
  for (let m = fromAt.slice(0, 7); m <= toAt.slice(0, 7); ) {
    months.push(m);
    const [y, n] = m.split('-').map(Number) as [number, number];
    m = n === 12 ? `${y + 1}-01` : `${y}-${String(n + 1).padStart(2, '0')}`;
  }
  return months;
}

/** Entries awaiting the statistics rollup logged with `at` in [fromAt, toAt), oldest first. */
export async function rollupEntries(fromAt: string, toAt: string): Promise<LoggedQuery[]> {
  const pages = await pMap(
    monthsOf(fromAt, toAt),
    (month) =>
      queryAll<LoggedQuery>({
        TableName: tableName('queryLog'),
        IndexName: 'byMonth',
        // gsi2sk = {at}#{queryId}: at = toAt sorts after toAt itself, so the bound is exclusive
        KeyConditionExpression: 'gsi2pk = :m AND gsi2sk BETWEEN :from AND :to',
        FilterExpression: 'tally = :rollup',
        ProjectionExpression: '#at, #role, #unit, purpose, channel, subjectType, outcome, #items',
        ExpressionAttributeNames: { '#at': 'at', '#role': 'role', '#unit': 'unit', '#items': 'items' },
        ExpressionAttributeValues: { ':m': monthLogPk(month), ':from': fromAt, ':to': toAt, ':rollup': ROLLUP },
      }),
    { concurrency: 4 },
  );
  return pages.flat();
}
