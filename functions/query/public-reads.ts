/**
 * The reads of the public double-publicity routes (public-api.ts): one Query or Scan page of a
 * subject's file or of the byPublicity index, filtered server-side to what may be shown, and the
 * cursor where the next page starts (public-cursor.ts). The catalog check runs on what comes back
 * (`Keep`, built by the route).
 */
import { QueryCommand, ScanCommand, type QueryCommandInput, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Publicity } from '#core/catalog';
import { publicityPartition } from '#core/publicity';
import { ddb } from '#adapters/clients';
import { tableName } from '#adapters/config';
import type { StoredRecord } from '#adapters/subject-repo';
import { encodeCursor, type Match, type StartKey } from './public-cursor.ts';

/** The record attributes a result is built from, and the keys a cursor is made of (the filter reads the others server-side). */
const PROJECTION = [
  'pk',
  'sk',
  'pubpk',
  'pubsk',
  'recordId',
  'provider',
  'item',
  'status',
  'fields',
  'subjectName',
  'recordClass',
  'polarity',
  'severity',
  'publicUntil',
  'objection',
];

export type PublicRecord = Pick<
  StoredRecord,
  'pk' | 'sk' | 'recordId' | 'provider' | 'item' | 'status' | 'fields' | 'subjectName' | 'recordClass' | 'polarity' | 'severity' | 'publicUntil' | 'objection'
> & { pubpk?: string; pubsk?: string };

/** Keeps the records of a read that are shown: a page's items are looked up by key (cached per publish). */
export type Keep = (records: PublicRecord[]) => Promise<PublicRecord[]>;

type ReadInput = Omit<QueryCommandInput, 'FilterExpression' | 'ProjectionExpression'> & { FilterExpression?: string };

/**
 * Server-side filter shared by every read (records of one of `types`, ACTIVE, PUBLIC, inside their
 * publicity period), and'ed with the input's own filter; the catalog check runs on what comes back.
 */
export function filtered<T extends ReadInput>(
  input: T,
  types: readonly Publicity[],
  today: string,
): T & { FilterExpression: string; ProjectionExpression: string } {
  const typeValues = Object.fromEntries(types.map((t, i) => [`:type${i}`, t]));
  const conditions = [
    `#f_publicity IN (${Object.keys(typeValues).join(', ')})`,
    '#p_status = :active',
    '#f_disclosure = :public',
    '#p_publicUntil >= :today',
    ...(input.FilterExpression ? [`(${input.FilterExpression})`] : []),
  ];
  return {
    ...input,
    FilterExpression: conditions.join(' AND '),
    ProjectionExpression: PROJECTION.map((a) => `#p_${a}`).join(', '),
    ExpressionAttributeNames: {
      ...input.ExpressionAttributeNames,
      '#f_publicity': 'publicity',
      '#f_disclosure': 'disclosure',
      ...Object.fromEntries(PROJECTION.map((a) => [`#p_${a}`, a])),
    },
    ExpressionAttributeValues: { ...input.ExpressionAttributeValues, ...typeValues, ':active': 'ACTIVE', ':public': 'PUBLIC', ':today': today },
  };
}

/**
 * Reads Query or Scan pages until the key range ends, keeping what passes `keep`. Only the subject
 * summary reads this way (a company's whole file); the search reads one page (`readPage`).
 */
export async function collect(kind: 'query' | 'scan', input: QueryCommandInput | ScanCommandInput, keep: Keep): Promise<{ records: PublicRecord[] }> {
  const out: PublicRecord[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page =
      kind === 'query'
        ? await ddb.send(new QueryCommand({ ...(input as QueryCommandInput), ExclusiveStartKey: start }))
        : await ddb.send(new ScanCommand({ ...(input as ScanCommandInput), ExclusiveStartKey: start }));
    out.push(...(await keep((page.Items ?? []) as PublicRecord[])));
    start = page.LastEvaluatedKey;
  } while (start);
  return { records: out };
}

/** One page of a search: the records shown, where the next read starts, and the entries read. */
export interface Page {
  records: PublicRecord[];
  next: string | null;
  /** Entries DynamoDB examined (ScannedCount): at most pageSize + 1. */
  read: number;
}

/** The key a read continues after `r`: its table key, and its index key when the read was of the index. */
const keyOf = (r: PublicRecord, indexed: boolean): StartKey => (indexed ? { pk: r.pk, sk: r.sk, pubpk: r.pubpk!, pubsk: r.pubsk! } : { pk: r.pk, sk: r.sk });

/**
 * One request of `pageSize + 1` entries from `start`. When all of them pass, the page is the first
 * pageSize and the next read starts after the last of those (re-reading the extra one); otherwise
 * the page is what passed and the next read starts where this one stopped (LastEvaluatedKey), or
 * nowhere when the range ended.
 */
async function readPage(
  kind: 'query' | 'scan',
  input: QueryCommandInput | ScanCommandInput,
  keep: Keep,
  pageSize: number,
  match: Match,
  start: StartKey | undefined,
): Promise<Page> {
  const Limit = pageSize + 1;
  const out =
    kind === 'query'
      ? await ddb.send(new QueryCommand({ ...(input as QueryCommandInput), Limit, ExclusiveStartKey: start }))
      : await ddb.send(new ScanCommand({ ...(input as ScanCommandInput), Limit, ExclusiveStartKey: start }));
  const read = out.ScannedCount ?? out.Items?.length ?? 0;
  const kept = await keep((out.Items ?? []) as PublicRecord[]);
  const indexed = input.IndexName !== undefined;
  if (kept.length > pageSize) return { records: kept.slice(0, pageSize), next: encodeCursor(match, keyOf(kept[pageSize - 1]!, indexed)), read };
  return { records: kept, next: out.LastEvaluatedKey ? encodeCursor(match, out.LastEvaluatedKey as StartKey) : null, read };
}

/** One page of one subject's file: its records of this type, in key order (provider, item, record). */
export function subjectPage(uscc: string, type: Publicity, today: string, keep: Keep, pageSize: number, start: StartKey | undefined) {
  const input = filtered(
    {
      TableName: tableName('legalSubjects'),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :rec)',
      ExpressionAttributeValues: { ':pk': uscc, ':rec': 'REC#' },
    },
    [type],
    today,
  );
  return readPage('query', input, keep, pageSize, 'uscc', start);
}

/** One page of the companies whose name starts with `prefix`, in index order (name, then record). */
export function namePrefixPage(prefix: string, type: Publicity, today: string, keep: Keep, pageSize: number, start: StartKey | undefined) {
  const input = filtered(
    {
      TableName: tableName('legalSubjects'),
      IndexName: 'byPublicity',
      KeyConditionExpression: 'pubpk = :pubpk AND begins_with(pubsk, :prefix)',
      ExpressionAttributeValues: { ':pubpk': publicityPartition(type, prefix), ':prefix': prefix },
    },
    [type],
    today,
  );
  return readPage('query', input, keep, pageSize, 'prefix', start);
}

/**
 * One page of the companies whose name contains `q` anywhere. The byPublicity index is sharded by a
 * name's first character, so a match inside a name can be in any shard: this Scans the index
 * (sparse: only double-publicity records of legal subjects shown publicly are in it) with a
 * server-side `contains(subjectName, q)` filter restricted to the type's partitions. A Scan reads
 * entries that do not match, and one request reads pageSize + 1 of them like any other page, so a
 * contains search costs one page a request and finds what those entries hold: pages are often
 * short or empty while `next` goes on. Results come in index order. Prefix searches, the common
 * case, never pay for this.
 */
export function nameContainsPage(q: string, type: Publicity, today: string, keep: Keep, pageSize: number, start: StartKey | undefined) {
  const input = filtered(
    {
      TableName: tableName('legalSubjects'),
      IndexName: 'byPublicity',
      FilterExpression: 'begins_with(#c_pubpk, :shards) AND contains(#p_subjectName, :q)',
      ExpressionAttributeNames: { '#c_pubpk': 'pubpk' },
      ExpressionAttributeValues: { ':shards': `PUB#${type}#`, ':q': q },
    },
    [type],
    today,
  );
  return readPage('scan', input, (rs) => keep(rs.filter((r) => r.subjectName.includes(q))), pageSize, 'contains', start);
}
