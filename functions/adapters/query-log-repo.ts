/**
 * The query log (查询记录), append-only: every credit query — allowed, refused or not found — is
 * one item that nothing updates or deletes (IAM grants the writers dynamodb:PutItem alone).
 *   pk = SUBJ#{subjectType}#{subjectKey}, sk = {at}#{queryId}     a subject's "who queried me"
 *   gsi1 byUnit:  gsi1pk = UNIT#{unit ?? role}, gsi1sk = {at}
 *   gsi2 byMonth: gsi2pk = MONTH#{YYYY-MM},     gsi2sk = {at}#{queryId}   audits by period
 *   pk = CHAIN#{day}, sk = {seq}                                  the day's hash chain (core/log-chain)
 * Each newly stored entry is also counted in the query statistics (adapters/stats-repo).
 * Natural persons appear only by their HMAC key and masked ID number, never the number itself.
 *
 * Append-only by construction: every write is a conditional PutItem of a new key (alone, or two of
 * them in one TransactWriteItems, which IAM authorises as PutItem); the writers' grant is PutItem plus Query of CHAIN# partitions (to find a chain's head). IAM cannot demand the
 * condition on PutItem, so an overwrite by a leaked writer credential is made evident instead:
 * each append adds a link naming the entries' digests to its China day's chain, and verifyDay
 * recomputes the chain and names the first broken link or entry.
 */
import { isConditionFailure } from './conditions.ts';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import pLimit from 'p-limit';
import pMap from 'p-map';
import { ddb } from './clients.ts';
import { tableName } from './config.ts';
import { countQueries } from './stats-repo.ts';
import { queryAll } from './query-all.ts';
import type { LoggedQuery } from '#core/stats';
import { chainRefKey, entryDigest, makeLink, verifyChain, type ChainLink, type ChainVerdict, type EntryRef } from '#core/log-chain';
import { shanghaiDay } from '#core/working-days';

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
  /** The application matter the query named (statistics: 应用事项落实). */
  matter?: string;
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
    gsi1pk: unitLogPk(e.unit ?? e.role),
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
async function putEntry(e: QueryLogEntry, rollup = false): Promise<{ stored: boolean; ref: EntryRef; day: string }> {
  const { item, ref, day } = entryItem(e, rollup);
  try {
    await ddb.send(new PutCommand({ TableName: tableName('queryLog'), Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
    return { stored: true, ref, day };
  } catch (err) {
    if (isConditionFailure(err)) return { stored: false, ref, day };
    throw err;
  }
}

function entryItem(e: QueryLogEntry, rollup: boolean): { item: Record<string, unknown>; ref: EntryRef; day: string } {
  const item: Record<string, unknown> = { ...toItem(e), ...(rollup ? { tally: ROLLUP } : {}) };
  return { item, ref: { pk: item.pk as string, sk: item.sk as string, digest: entryDigest(item) }, day: shanghaiDay(e.at) };
}

export const chainPk = (day: string) => `CHAIN#${day}`;
const seqSk = (seq: number) => String(seq).padStart(10, '0');
/** Entries named by one link: keeps a link item far below DynamoDB's 400 KB (~200 bytes a ref). */
const LINK_ENTRIES = 500;
/** Concurrent appenders race for a chain's next seq; the loser re-reads the head and tries again. */
const LINK_ATTEMPTS = 40;

async function chainHead(day: string): Promise<{ seq: number; hash: string } | undefined> {
  const out = await ddb.send(
    new QueryCommand({
      TableName: tableName('queryLog'),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': chainPk(day) },
      ExpressionAttributeNames: { '#seq': 'seq', '#hash': 'hash' },
      ProjectionExpression: '#seq, #hash',
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    }),
  );
  const head = out.Items?.[0];
  return head ? { seq: Number(head.seq), hash: String(head.hash) } : undefined;
}

/**
 * Adds one link naming `refs` to the day's chain. Entries are stored before their link, so an append
 * cut off between the two leaves an entry in no link (verifyDay reports it) — and the retry that
 * follows (an SDK retry, a redelivered message) links every entry of the call again, already
 * stored or not: an entry named twice is harmless, an entry never named is not.
 */
async function appendLink(day: string, refs: EntryRef[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    // the link this container wrote last is the head unless another appender has written since:
    // then seq + 1 is taken, the conditional put fails, and the head is read (seqs are dense)
    const known = attempt === 1 && lastLink?.day === day ? lastLink : undefined;
    const link = makeLink(known ?? (await chainHead(day)), day, refs);
    try {
      await ddb.send(
        new PutCommand({
          TableName: tableName('queryLog'),
          Item: { pk: chainPk(day), sk: seqSk(link.seq), ...link, at: new Date().toISOString() },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      lastLink = { day, seq: link.seq, hash: link.hash };
      return;
    } catch (err) {
      if (!isConditionFailure(err) || attempt >= LINK_ATTEMPTS) throw err;
      lastLink = undefined;
      if (!known) await new Promise((r) => setTimeout(r, Math.min(attempt, 10) * 5)); // another appender took this seq
    }
  }
}

/** The last link this container appended: an interactive query skips the head read (one round trip). */
let lastLink: { day: string; seq: number; hash: string } | undefined;

async function chain(entries: Array<{ ref: EntryRef; day: string }>): Promise<void> {
  const byDay = new Map<string, EntryRef[]>();
  for (const { ref, day } of entries) byDay.set(day, [...(byDay.get(day) ?? []), ref]);
  for (const [day, refs] of byDay) {
    for (let i = 0; i < refs.length; i += LINK_ENTRIES) await appendLink(day, refs.slice(i, i + LINK_ENTRIES));
  }
}

/**
 * Appends one entry (an interactive query). It is marked for the statistics rollup
 * (functions/stats/stats-rollup.ts), which counts it within minutes. When this container knows the
 * day's chain head (the link it appended last), the entry and its link are one transaction: one
 * round trip, and never an entry without its link. Otherwise — the first append of the day here,
 * another appender took the next seq, or this very entry is already stored (a retry) — the entry
 * is stored and then linked (a head read and a write).
 */
export async function appendQuery(e: QueryLogEntry): Promise<void> {
  const { item, ref, day } = entryItem(e, true);
  const known = lastLink?.day === day ? lastLink : undefined;
  if (known) {
    const link = makeLink(known, day, [ref]);
    try {
      await ddb.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: tableName('queryLog'), Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
            {
              Put: {
                TableName: tableName('queryLog'),
                Item: { pk: chainPk(day), sk: seqSk(link.seq), ...link, at: new Date().toISOString() },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      lastLink = { day, seq: link.seq, hash: link.hash };
      return;
    } catch (err) {
      if (!(err instanceof TransactionCanceledException) && (err as Error)?.name !== 'TransactionCanceledException') throw err;
      // nothing was written; the head read below finds where the chain stands
      lastLink = undefined;
    }
  }
  await chain([await putEntry(e, true)]);
}

const APPEND_CONCURRENCY = 32;

/**
 * Appends many entries (and counts those newly stored in the statistics at once) (a bulk check logs each checked subject). Conditional PutItems rather than
 * BatchWriteItem: the writers hold dynamodb:PutItem alone, and BatchWriteItem permission would also
 * allow deletes — no path may remove a log entry.
 */
export async function appendQueries(es: QueryLogEntry[]): Promise<void> {
  const appender = queryAppender();
  appender.add(es);
  await appender.finish();
}

export interface QueryAppender {
  /** Queues entries; their puts start at once, APPEND_CONCURRENCY in flight over everything added. */
  add(es: QueryLogEntry[]): void;
  /** Waits for every put, then links the entries to their day's chain and counts the newly stored ones, once. */
  finish(): Promise<void>;
}

/**
 * appendQueries for a caller that decides its entries a slice at a time (a bulk check's part): the
 * puts of the slices already decided run while the next slice's credit files are read, so the
 * log's writes — the part's longest step — never wait for its reads. Linking and counting stay
 * once per call of finish(), after every entry is stored, as appendQueries does them.
 */
export function queryAppender(): QueryAppender {
  const entries: QueryLogEntry[] = [];
  const puts: Array<Promise<Awaited<ReturnType<typeof putEntry>> | undefined>> = [];
  const slot = pLimit(APPEND_CONCURRENCY);
  let failed = false;
  return {
    add(es) {
      for (const e of es) {
        const put = slot(async () => {
          if (failed) return undefined; // after a failure the entries still waiting are not sent
          try {
            return await putEntry(e);
          } catch (err) {
            failed = true;
            throw err;
          }
        });
        put.catch(() => undefined); // seen by finish(); a failure before it is awaited is not unhandled
        entries.push(e);
        puts.push(put);
      }
    },
    async finish() {
      const settled = await Promise.allSettled(puts);
      const refused = settled.find((r) => r.status === 'rejected');
      if (refused) throw refused.reason;
      const stored = settled.map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof putEntry>>>).value);
      await chain(stored);
      // counted here, once, in one update per day: a bulk check logs thousands of entries
      await countQueries(entries.filter((_, i) => stored[i]!.stored));
    },
  };
}

/** The UTC instants [from, to) of a China day (Asia/Shanghai is UTC+8 all year, no daylight saving). */
function chinaDayBounds(day: string): { fromAt: string; toAt: string } {
  const start = Date.parse(`${day}T00:00:00.000+08:00`);
  return { fromAt: new Date(start).toISOString(), toAt: new Date(start + 86_400_000).toISOString() };
}

/**
 * Recomputes one China day's chain from the table: its links, and the day's entries as the by-month
 * index lists them (an entry a link names but the index does not is read by its key). Its cost
 * follows that one day's entries, never the log's size.
 */
export async function verifyDay(day: string): Promise<ChainVerdict> {
  const links = await queryAll<ChainLink>({
    TableName: tableName('queryLog'),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': chainPk(day) },
    ConsistentRead: true,
  });
  const { fromAt, toAt } = chinaDayBounds(day);
  const stored = new Map<string, Record<string, unknown>>();
  for (const month of monthsOf(fromAt, toAt)) {
    const items = await queryAll<Record<string, unknown>>({
      TableName: tableName('queryLog'),
      IndexName: 'byMonth',
      KeyConditionExpression: 'gsi2pk = :m AND gsi2sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':m': monthLogPk(month), ':from': fromAt, ':to': toAt },
    });
    for (const item of items) stored.set(chainRefKey(item as { pk: string; sk: string }), item);
  }
  const missing = links.flatMap((l) => l.entries).filter((r) => !stored.has(chainRefKey(r)));
  const found = await pMap(
    missing,
    async (r) => (await ddb.send(new GetCommand({ TableName: tableName('queryLog'), Key: { pk: r.pk, sk: r.sk }, ConsistentRead: true }))).Item,
    { concurrency: 8 },
  );
  for (const item of found) if (item) stored.set(chainRefKey(item as { pk: string; sk: string }), item);
  return verifyChain(day, links, stored);
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
export async function queriesOfSubject(subjectType: 'LEGAL' | 'NATURAL', subjectKey: string, opts: { limit: number; cursor?: string }): Promise<LogPage> {
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

export const unitLogPk = (unit: string) => `UNIT#${unit}`;

/** One unit's own queries (its query history), newest first, through the byUnit index; a cursor continues only the same unit's log. */
export async function queriesOfUnit(unit: string, opts: { limit: number; cursor?: string }): Promise<LogPage> {
  const gsi1pk = unitLogPk(unit);
  let start: Record<string, unknown> | undefined;
  if (opts.cursor !== undefined) {
    let key: Record<string, unknown>;
    try {
      key = JSON.parse(Buffer.from(opts.cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      throw new InvalidCursorError();
    }
    if (typeof key !== 'object' || key === null || key.gsi1pk !== gsi1pk || ['pk', 'sk', 'gsi1sk'].some((k) => typeof key[k] !== 'string')) {
      throw new InvalidCursorError();
    }
    start = { gsi1pk, gsi1sk: key.gsi1sk, pk: key.pk, sk: key.sk };
  }
  const out = await ddb.send(
    new QueryCommand({
      TableName: tableName('queryLog'),
      IndexName: 'byUnit',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': gsi1pk },
      ScanIndexForward: false,
      Limit: opts.limit,
      ExclusiveStartKey: start,
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
        ProjectionExpression: '#at, #role, #unit, purpose, channel, subjectType, outcome, #items, #matter',
        ExpressionAttributeNames: { '#at': 'at', '#role': 'role', '#unit': 'unit', '#items': 'items', '#matter': 'matter' },
        ExpressionAttributeValues: { ':m': monthLogPk(month), ':from': fromAt, ':to': toAt, ':rollup': ROLLUP },
      }),
    { concurrency: 4 },
  );
  return pages.flat();
}
