/**
 * Change markers: the export's watermark index (GSI `byChange` on both subject tables). Every
 * write that changes a double-publicity record (an add, an update, a withdrawal, a correction, a
 * repair, a revocation) stamps it with the time of the write, so an export run reads "what changed
 * since the watermark" with a few Queries instead of a scan or a stream.
 *
 * The index is spread over CHANGE_SHARDS partitions (a record always lands on the same one) so a
 * 9-million-row load does not pile onto one GSI partition in AWS.
 */
import { createHash } from 'node:crypto';

export const CHANGE_SHARDS = 8;
export const EXPORTED_PUBLICITY = ['PENALTY', 'LICENSING'] as const;
export type ExportedType = (typeof EXPORTED_PUBLICITY)[number];

export interface ChangeKeys {
  /** `CHG#{shard}` */
  chgpk: string;
  /** `{ISO time of the write}#{recordId}` — sorts by time, unique per record. */
  chgsk: string;
}

export function changeShard(recordId: string): number {
  return createHash('sha256').update(recordId).digest().readUInt32BE(0) % CHANGE_SHARDS;
}

export const changePartition = (shard: number) => `CHG#${shard}`;

export function isExported(publicity: unknown): publicity is ExportedType {
  return publicity === 'PENALTY' || publicity === 'LICENSING';
}

/** The change keys for a write of this record at `at`, or none when the record is not exported. */
export function changeKeys(record: { recordId: string; publicity?: unknown }, at: string): ChangeKeys | Record<string, never> {
  if (!isExported(record.publicity)) return {};
  return { chgpk: changePartition(changeShard(record.recordId)), chgsk: `${at}#${record.recordId}` };
}

/** The write time a change key carries. */
export const changedAt = (chgsk: string) => chgsk.slice(0, chgsk.indexOf('#'));
