/**
 * What a chunk reports besides its records: the rejected rows (kept for the provider's rejection
 * CSV, ID numbers masked) and the accepted rows the national export will hold back.
 */
import type { InfoItem } from '#core/catalog';
import { maskIdNumber } from '#core/identifiers';
import { isExported } from '#core/change-marker';
import { describeProblems, mapRecord, storedPartyColumns, type NationalType } from '#core/national-format';
import { MAX_RECEIPT_HELD_ROWS, type HeldBackRow } from '#core/receipt';
import { maskIdNumbersIn, maskRejectedRow } from '#core/redact';
import { rowMessageZh, type RowError, type ValidRow } from '#core/row-validator';
import { SUBJECT_COLUMNS } from '#core/subject-columns';
import { bucketName } from '#adapters/config';
import { putText } from '#adapters/object-store';
import type { ChunkMessage } from './chunk-message.ts';

export const rejectionsPrefix = (batchId: string) => `rejections/${batchId}/`;

export interface RejectedRow {
  row: number;
  errors: RowError[];
  raw: Record<string, unknown>;
}

/**
 * Accepted double-publicity rows the national format cannot carry as they are: the export will hold
 * them back (the admin's held list) until a correction or re-upload; the receipt says so at once.
 * The same mapping and validation as the export, on the row as uploaded.
 */
export function nationalHoldBacks(
  item: InfoItem,
  accepted: ReadonlyArray<{ row: number; value: ValidRow }>,
  provider: { name: string; uscc: string } | undefined,
  today: string,
): { count: number; rows: HeldBackRow[] } {
  if (!isExported(item.publicity)) return { count: 0, rows: [] };
  const rows: HeldBackRow[] = [];
  let count = 0;
  for (const { row, value } of accepted) {
    const s = value.subject;
    const party = {
      partyName: s.name,
      ...storedPartyColumns(s, value.legalRep),
      ...(s.type === 'LEGAL' ? { partyUscc: s.uscc } : { personIdNo: s.idNumber18 }),
    };
    const mapped = mapRecord(
      { type: item.publicity as NationalType, fields: value.fields, party, sourceUnit: { name: provider?.name ?? '', uscc: provider?.uscc ?? '' } },
      { today },
    );
    if (mapped.ok) continue;
    count++;
    if (rows.length < MAX_RECEIPT_HELD_ROWS) {
      // problems name Version B fields and what they need, never the values (an ID number stays out of the receipt)
      const reason = maskIds(describeProblems(mapped.problems));
      const zh = mapped.problems
        .map((p) => (p.field.endsWith('_FRDB') ? '缺少「法定代表人」，国家平台要求法人和个体工商户填写' : maskIds(`${p.field} ${p.message}`)))
        .join('；');
      rows.push({ row, reason, reasonZh: rowMessageZh(row, null, `已接收，但在更正前不推送国家平台（双公示）：${zh}`) });
    }
  }
  return { count, rows };
}

/** ID-number-shaped runs in a message, masked like everywhere they are shown. */
const maskIds = (text: string) => text.replace(/\d{17}[\dXx]|\d{15}/g, (m) => maskIdNumber(m));

/** Columns holding a resident ID number, by key and by label (a JSON Lines row keeps its own names). */
export function idColumnsOf(item: InfoItem | undefined): Set<string> {
  const cols = [...SUBJECT_COLUMNS.filter((c) => c.kind === 'idNumber'), ...(item?.fields.filter((f) => f.type === 'idNumber') ?? [])];
  return new Set(cols.flatMap((c) => [c.key, c.label]));
}

/** Rejected rows are kept (400 days) for the provider's rejection CSV: ID numbers only masked. */
export async function writeRejections(msg: ChunkMessage, rejected: RejectedRow[], item?: InfoItem): Promise<void> {
  if (!rejected.length) return;
  const idColumns = idColumnsOf(item);
  const lines = rejected.map((r) =>
    JSON.stringify({ row: r.row, errors: r.errors.map((e) => ({ ...e, message: maskIdNumbersIn(e.message) })), raw: maskRejectedRow(r.raw, idColumns) }),
  );
  await putText(
    bucketName('work'),
    `${rejectionsPrefix(msg.batchId)}${String(msg.chunk.index).padStart(6, '0')}.jsonl`,
    lines.join('\n') + '\n',
    'application/x-ndjson',
  );
}
