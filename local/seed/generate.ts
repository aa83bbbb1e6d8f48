/**
 * Deterministic demo-data generators: checksummed identifiers, subjects with Chinese names, and
 * rows for any catalog item (valid, with invalid rows injected at a chosen rate). The same seed
 * always yields the same data, so demo uploads, tests and benchmarks are reproducible.
 */
import type { InfoItem } from '#core/catalog';
import { subjectColumn } from '#core/subject-columns';

export { makeIdNumber, makeOrgCode, makeRegNo, makeUscc, mulberry32, type MakeUsccOptions } from './codes.ts';
export { columnsFor, generateRows, rowsFor, type GeneratedRow, type InvalidKind, type RowsOptions } from './rows.ts';
export { companies, persons, socialOrgs, type Company, type Person } from './subjects.ts';

// ---------------------------------------------------------------------------------------------
// CSV

function csvCell(v: string): string {
  return /[",\r\n]/.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v;
}

export interface CsvOptions {
  /** Write Chinese labels in the header instead of keys (needs `item` for field labels). */
  labels?: boolean;
  item?: InfoItem;
}

/** RFC 4180 CSV: CRLF line ends, fields quoted when they hold a comma, quote, line break or edge spaces. */
export function toCsv(keys: string[], rows: ReadonlyArray<Record<string, string>>, opts: CsvOptions = {}): string {
  const header = opts.labels ? keys.map((k) => labelOf(k, opts.item)) : keys;
  const lines = [header.map(csvCell).join(',')];
  for (const r of rows) lines.push(keys.map((k) => csvCell(r[k] ?? '')).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function labelOf(key: string, item: InfoItem | undefined): string {
  const field = item?.fields.find((f) => f.key === key);
  if (field) return field.label;
  const column = subjectColumn(key);
  if (column) return column.label;
  throw new Error(`no label for column ${key}${item ? ` in ${item.code}` : ' (pass the item)'}`);
}
