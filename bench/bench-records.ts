/** Record items shaped as ingest stores them, for benchmarks that seed the subject tables directly. */
import type { InfoItem } from '#core/catalog';
import { recordId, recordSortKey } from '#core/record-id';

export function benchRecord(
  provider: string,
  item: InfoItem,
  subject: { uscc: string; name: string },
  key: string,
  values: Record<string, string>,
  o: { batchId: string; row: number; at: string },
) {
  return {
    table: 'legalSubjects' as const,
    item: {
      pk: subject.uscc,
      sk: recordSortKey(provider, item.code, key),
      recordId: recordId(provider, item.code, key),
      provider,
      item: item.code,
      key,
      status: 'ACTIVE',
      fields: Object.fromEntries(item.fields.map((f) => [f.key, f.key === item.keyField ? key : values[f.key]])),
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
    },
  };
}
