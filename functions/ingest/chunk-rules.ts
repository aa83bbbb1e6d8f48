/**
 * The pure rules of a chunk: what a row does given what is stored under its key (write, skip or
 * reject), and the row errors they raise. No I/O: ingest-chunk.ts reads and writes around them.
 */
import type { InfoItem } from '#core/catalog';
import { DUE_ATTRIBUTES } from '#core/due-day';
import { labelOf, RECORD_STATE_NAMES } from '#core/labels';
import { isShownOn, type PublicityAttributes } from '#core/publicity';
import { itemLabels, rowMessageZh, type RowError, type ValidRow } from '#core/row-validator';
import type { StoredRecord, SubjectTable } from '#adapters/subject-repo';
import type { ChunkMessage } from './chunk-message.ts';

export interface Placed {
  row: number;
  table: SubjectTable | 'registry';
  record: StoredRecord;
  linked: boolean;
  op: ValidRow['op'];
  /** Extra copies (responsible persons, further hold keys) written after the main record. */
  copies: Array<{ table: SubjectTable | 'registry'; record: StoredRecord }>;
}

export function duplicateKey(row: number, item: InfoItem, key: string, firstRow: number | undefined): RowError {
  return {
    row,
    field: item.keyField,
    code: 'DUPLICATE_KEY_IN_FILE',
    message: `key '${key}' appears more than once in this file${firstRow ? ` (first in row ${firstRow})` : ''}`,
    messageZh: rowMessageZh(row, itemLabels(item)(item.keyField), `"${key}" 在本文件中出现多次${firstRow ? `（首次在第 ${firstRow} 行）` : ''}`),
  };
}

export type Decision = { kind: 'write'; item: Record<string, unknown> } | { kind: 'skip' } | { kind: 'reject'; error: (item: InfoItem) => RowError };

/**
 * What to do with a row given what is stored under its key. Chunks of one batch run one after
 * another (a FIFO group per batch), so "another row of this batch already wrote this key" is an
 * exact duplicate check; a redelivered chunk finds its own rows and rewrites them unchanged.
 */
export function decide(p: Pick<Placed, 'row' | 'op' | 'record'>, stored: Record<string, unknown> | undefined, msg: ChunkMessage): Decision {
  if (p.op === 'delete') {
    if (!stored) {
      return {
        kind: 'reject',
        error: (item) => ({
          row: p.row,
          field: item.keyField,
          code: 'NOT_FOUND',
          message: `no record with key '${p.record.key}' to withdraw`,
          messageZh: rowMessageZh(p.row, itemLabels(item)(item.keyField), `没有 "${p.record.key}" 这条记录可以删除`),
        }),
      };
    }
    if (stored.status === 'WITHDRAWN' || CLOSED_STATUSES.has(String(stored.status))) return { kind: 'skip' };
    // a withdrawn record leaves the public search index (it keeps its last public day) and has nothing due
    const { pubpk: _pubpk, pubsk: _pubsk, ...kept } = stored;
    for (const k of DUE_ATTRIBUTES) delete kept[k];
    return {
      kind: 'write',
      item: { ...kept, status: 'WITHDRAWN', withdrawnAt: msg.receivedAt, withdrawnBy: `${msg.batchId}#${p.row}`, updatedAt: msg.receivedAt },
    };
  }
  if (stored) {
    // repaired, revoked or deleted on an objection: a re-upload does not bring the record back
    if (CLOSED_STATUSES.has(String(stored.status))) {
      return {
        kind: 'reject',
        error: (item) => ({
          row: p.row,
          field: item.keyField,
          code: 'RECORD_CLOSED',
          message: `the record with key '${p.record.key}' is ${String(stored.status)}; it is not changed by uploads`,
          messageZh: rowMessageZh(
            p.row,
            itemLabels(item)(item.keyField),
            `记录 "${p.record.key}" ${labelOf(stored.status, RECORD_STATE_NAMES)}，上传不再改变它`,
          ),
        }),
      };
    }
    if (stored.batchId === msg.batchId && stored.row !== p.row) {
      return { kind: 'reject', error: (item) => duplicateKey(p.row, item, p.record.key, stored.row as number) };
    }
    // a late redelivery of an older batch never rolls newer data back
    if (stored.batchId !== msg.batchId && String(stored.receivedAt) > msg.receivedAt) return { kind: 'skip' };
  }
  // an open objection's mark (functions/rights) stays on the record until the objection ends
  const mark = stored?.objection ? { objection: stored.objection } : {};
  return { kind: 'write', item: { ...(p.record as unknown as Record<string, unknown>), ...mark } };
}

const CLOSED_STATUSES: ReadonlySet<string> = new Set(['REPAIRED', 'REVOKED', 'DELETED']);

/** A serious negative record of a company is also filed under its legal representative (Art 28). */
export const copiedToRepresentative = (item: InfoItem) => item.polarity === 'NEGATIVE' && item.severity === 'SERIOUS';

/** A record already past its publicity period keeps its last public day but is not indexed for search. */
export function shownAttributes(pub: PublicityAttributes | undefined, today: string): PublicityAttributes | { publicUntil: string } | undefined {
  return pub && !isShownOn(pub.publicUntil, today) ? { publicUntil: pub.publicUntil } : pub;
}
