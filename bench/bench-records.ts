/**
 * Record items shaped as ingest stores them — including the attributes of the indexes ingest
 * maintains (public search, export watermark, expiry days, item) and the stock mark (core/stock) — for benchmarks that seed the subject tables
 * directly or use such writes as their baseline.
 */
import type { InfoItem } from '#core/catalog';
import { changeKeys } from '#core/change-marker';
import { dueKeys, itemKeys } from '#core/due-day';
import { stockKey } from '#core/stock';
import { publicityAttributes } from '#core/publicity';
import { recordId, recordSortKey } from '#core/record-id';

export function benchRecord(
  provider: string,
  item: InfoItem,
  subject: { uscc: string; name: string },
  key: string,
  values: Record<string, string>,
  o: { batchId: string; row: number; at: string },
) {
  const rid = recordId(provider, item.code, key);
  const fields = Object.fromEntries(item.fields.map((f) => [f.key, f.key === item.keyField ? key : values[f.key]]));
  const pub = publicityAttributes(item, subject.name, rid, fields);
  return {
    table: 'legalSubjects' as const,
    item: {
      pk: subject.uscc,
      sk: recordSortKey(provider, item.code, key),
      recordId: rid,
      provider,
      item: item.code,
      key,
      status: 'ACTIVE',
      fields,
      subjectName: subject.name,
      batchId: o.batchId,
      row: o.row,
      receivedAt: o.at,
      updatedAt: o.at,
      recordClass: item.recordClass,
      polarity: item.polarity,
      severity: item.severity,
      disclosure: item.disclosure,
      publicity: item.publicity ?? null,
      ...pub,
      ...dueKeys({ recordId: rid, status: 'ACTIVE', fields, ...pub }, item),
      ...changeKeys({ recordId: rid, publicity: item.publicity }, o.at),
      ...itemKeys({ item: item.code, recordId: rid }),
      stock: stockKey('LEGAL', item.recordClass),
    },
  };
}
