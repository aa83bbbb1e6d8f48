/**
 * The subject tables (legal and natural persons) and the registry. A subject's profile and its
 * records share one partition, so one Query reads a whole credit file.
 *   legal:   pk = USCC,                sk = REGISTRATION | REC#{provider}#{item}#{recordId}
 *   natural: pk = HMAC(ID number),    sk = REC#... (each record carries the sealed + masked ID)
 *   registry: pk = REG#{regNo} | ORG#{orgCode} | INST#.. | SOC#.. | TAX#..,  sk = SUBJECT → {uscc}
 *             pk = HOLD#{identifier}, sk = {provider}#{item}#{recordId} → a record waiting for its subject
 * Which row may write which record (a redelivered chunk rewrites its own records, a second row with
 * the same key in one file is refused as a duplicate) is decided in ingest/chunk-rules.ts before
 * anything is written here; this module puts, reads and deletes without conditions of its own.
 */
import { BatchGetCommand, DeleteCommand, ExecuteStatementCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import pMap from 'p-map';
import type { Disclosure, Polarity, RecordClass, Severity } from '#core/catalog';
import type { PartyColumns } from '#core/national-format';
import type { ObjectionStatus } from '#core/objections';
import { ddb } from './clients.ts';
import { queryAll } from './query-all.ts';
import { tableName } from './config.ts';

export type SubjectTable = 'legalSubjects' | 'naturalSubjects';

/**
 * ACTIVE is served; every other status is a withdrawal to the national export. WITHDRAWN: an upload's
 * `op=delete`; REPAIRED: credit repair; REVOKED: a tombstone after revocation; DELETED: an objection
 * decided DELETED; EXPIRED: past the query period.
 */
export type RecordStatus = 'ACTIVE' | 'WITHDRAWN' | 'REPAIRED' | 'REVOKED' | 'DELETED' | 'EXPIRED';

/** The mark an open objection puts on its record; queries show `{status, since}`. */
export interface ObjectionMark {
  objectionId: string;
  status: ObjectionStatus;
  since: string;
}

export interface StoredRecord {
  pk: string;
  sk: string;
  recordId: string;
  provider: string;
  item: string;
  key: string;
  status: RecordStatus;
  /** Dropped from a revocation tombstone (deleted from the query database, Art 37). */
  fields: Record<string, unknown>;
  /** Sealed (encrypted) values of ID-number fields; `fields` holds their masked form. */
  sealed?: Record<string, string>;
  subjectName: string;
  batchId: string;
  row: number;
  receivedAt: string;
  updatedAt: string;
  catalogVersion?: string;
  recordClass: RecordClass;
  polarity: Polarity;
  severity?: Severity;
  disclosure: Disclosure;
  publicity?: string | null;
  /** Set on a copy filed under a responsible person (the legal representative). */
  via?: { uscc: string; role: 'LEGAL_REPRESENTATIVE' };
  withdrawnAt?: string;
  withdrawnBy?: string;
  /** 异议标注: set while an objection about this record runs (functions/rights). */
  objection?: ObjectionMark;
  /** 信用修复 (Art 38): the provider's repair certificate; the record is no longer served. */
  repair?: { certificateNo: string; issuedOn: string; note?: string; at: string; by: string };
  /** 撤销 (Art 37): a tombstone keeps who, when and why. */
  revokedAt?: string;
  revokedBy?: string;
  reason?: string;
  /** An objection decided DELETED. */
  deletedAt?: string;
  deletedBy?: string;
  /** Past the item's query period (Art 35), marked by housekeeping. */
  expiredAt?: string;
  /** Held records: every registry key the record waits under. */
  holdKeys?: string[];
  /** Held records, first hold entry only: keys of the registry's byWaiting index. */
  waitpk?: string;
  waitsk?: string;
  /** ACTIVE records with something due: keys of the byExpiry index (core/due-day). */
  exppk?: string;
  expsk?: string;
  /** ACTIVE records: keys of the byItem index (core/due-day itemKeys). */
  itempk?: string;
  itemsk?: string;
  /** Counted in the stock of queryable records while present: {subjectType}#{recordClass} (core/stock). */
  stock?: string;
  /**
   * 双公示 records of legal subjects: keys of the byPublicity index (PUB#{type}#{first character of
   * the name}, {name}#{recordId}), present only while the record is shown publicly, and the last
   * day shown publicly (YYYY-MM-DD, 9999-12-31 open-ended), which stays when the keys go.
   */
  pubpk?: string;
  pubsk?: string;
  publicUntil?: string;
  /** Double-publicity records: keys of the byChange index (export watermark, core/change-marker). */
  chgpk?: string;
  chgsk?: string;
  /** Double-publicity records: the row's party columns for the national format (core/national-format). */
  party?: PartyColumns;
  /** Natural persons: the subject's ID number, sealed, and its masked form. */
  subjectIdSealed?: string;
  subjectIdMasked?: string;
}

/** Registry keys for a subject's secondary identifiers. */
export function registryKeysOf(ids: { regNo?: string; orgCode?: string; instCertNo?: string; socOrgCertNo?: string; taxNo?: string }): string[] {
  const keys: string[] = [];
  if (ids.regNo) keys.push(`REG#${ids.regNo}`);
  if (ids.orgCode) keys.push(`ORG#${ids.orgCode}`);
  if (ids.instCertNo) keys.push(`INST#${ids.instCertNo}`);
  if (ids.socOrgCertNo) keys.push(`SOC#${ids.socOrgCertNo}`);
  if (ids.taxNo) keys.push(`TAX#${ids.taxNo}`);
  return keys;
}

/** Resolves registry keys to USCCs (strongly consistent). */
export async function lookupRegistry(keys: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const unique = [...new Set(keys)];
  for (let i = 0; i < unique.length; i += 100) {
    let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> | undefined = {
      [tableName('registry')]: { Keys: unique.slice(i, i + 100).map((pk) => ({ pk, sk: 'SUBJECT' })), ConsistentRead: true },
    };
    for (let attempt = 0; request && Object.keys(request).length; attempt++) {
      if (attempt > 8) throw new Error('registry lookup: unprocessed keys after retries');
      const out = await ddb.send(new BatchGetCommand({ RequestItems: request }));
      for (const item of out.Responses?.[tableName('registry')] ?? []) found.set(item.pk as string, item.uscc as string);
      request = out.UnprocessedKeys as typeof request;
      if (request && Object.keys(request).length) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
    }
  }
  return found;
}

export const holdPk = (registryKey: string) => `HOLD#${registryKey}`;

/** Shards of the registry's byWaiting index (the records waiting for their subject). */
export const WAITING_SHARDS = 8;

/** byWaiting index keys of a held record's first hold entry: a shard of its id, then arrival order. */
export function waitKeys(recordId: string, receivedAt: string): { waitpk: string; waitsk: string } {
  let h = 0;
  for (let i = 0; i < recordId.length; i++) h = (h * 31 + recordId.charCodeAt(i)) >>> 0;
  return { waitpk: `WAIT#${h % WAITING_SHARDS}`, waitsk: `${receivedAt}#${recordId}` };
}

/** Records waiting for the subject with this registry key. */
export async function heldRecords(registryKey: string): Promise<StoredRecord[]> {
  return queryAll<StoredRecord>({
    TableName: tableName('registry'),
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': holdPk(registryKey) },
    ConsistentRead: true,
  });
}

export async function deleteHeld(pk: string, sk: string): Promise<void> {
  await ddb.send(new DeleteCommand({ TableName: tableName('registry'), Key: { pk, sk } }));
}

/** Puts a record into a subject's file unconditionally (moving it out of the holding area). */
export async function fileRecord(table: SubjectTable, record: StoredRecord): Promise<void> {
  await ddb.send(new PutCommand({ TableName: tableName(table), Item: record }));
}

/** The whole partition of one subject: profile and records. */
export async function subjectPartition(table: SubjectTable, pk: string): Promise<{ registration?: Record<string, unknown>; records: StoredRecord[] }> {
  const items = await queryAll({ TableName: tableName(table), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } });
  const registration = items.find((item) => item.sk === 'REGISTRATION');
  const records = items.filter((item) => String(item.sk).startsWith('REC#')) as unknown as StoredRecord[];
  return { registration, records };
}

/** Partition keys one PartiQL `IN` may name (DynamoDB's limit for the partition key). */
const PARTITIONS_A_STATEMENT = 50;
const PARTITION_READS_IN_FLIGHT = 8;

/**
 * The whole partitions of many subjects (a bulk check's files), keyed by partition key, each in sort
 * key order as subjectPartition reads it. One PartiQL `SELECT … WHERE pk IN [≤ 50 keys]` (paged by
 * NextToken) instead of one Query per subject: DynamoDB runs it as a read of those partitions, never
 * a table scan (the grant denies dynamodb:FullTableScan), and on the local emulator it costs about
 * what BatchGetItem of the same keys does, where a Query each costs ~8× as much (docs/benchmarks.md).
 */
export async function subjectPartitions(
  table: SubjectTable,
  pks: string[],
): Promise<Map<string, { registration?: Record<string, unknown>; records: StoredRecord[] }>> {
  const unique = [...new Set(pks)];
  const groups: string[][] = [];
  for (let i = 0; i < unique.length; i += PARTITIONS_A_STATEMENT) groups.push(unique.slice(i, i + PARTITIONS_A_STATEMENT));
  const items = new Map<string, Array<Record<string, unknown>>>(unique.map((pk) => [pk, []]));
  await pMap(
    groups,
    async (group) => {
      const Statement = `SELECT * FROM "${tableName(table)}" WHERE pk IN [${group.map(() => '?').join(', ')}]`;
      let NextToken: string | undefined;
      do {
        const out = await ddb.send(new ExecuteStatementCommand({ Statement, Parameters: group, NextToken }));
        for (const item of out.Items ?? []) items.get(item.pk as string)?.push(item);
        NextToken = out.NextToken;
      } while (NextToken);
    },
    { concurrency: PARTITION_READS_IN_FLIGHT },
  );
  const bySk = (a: Record<string, unknown>, b: Record<string, unknown>) => (String(a.sk) < String(b.sk) ? -1 : String(a.sk) > String(b.sk) ? 1 : 0);
  return new Map(
    [...items].map(([pk, partition]) => {
      partition.sort(bySk);
      return [
        pk,
        {
          registration: partition.find((item) => item.sk === 'REGISTRATION'),
          records: partition.filter((item) => String(item.sk).startsWith('REC#')) as unknown as StoredRecord[],
        },
      ];
    }),
  );
}
