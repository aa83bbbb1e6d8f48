/**
 * Row errors of an uploaded file: their codes, and how a message names the row and the field (in
 * Chinese by the catalog label). Shared by the row validator and the header mapping.
 */
import type { InfoItem } from './catalog.ts';
import { SUBJECT_COLUMNS } from './subject-columns.ts';
import { truncate } from './text.ts';

/** The header is row 1; records count from row 2. */
export const HEADER_ROW = 1;

export type RowErrorCode =
  | 'REQUIRED'
  | 'TYPE'
  | 'ENUM'
  | 'LENGTH'
  | 'DATE'
  | 'FORMAT'
  | 'CONTROL_CHARACTER'
  | 'CHECKSUM'
  | 'RANGE'
  | 'CROSS_FIELD'
  | 'SUBJECT_TYPE'
  | 'UNKNOWN_COLUMN'
  | 'DUPLICATE_COLUMN'
  | 'MISSING_COLUMN'
  | 'NO_SUBJECT'
  | 'DUPLICATE_KEY_IN_FILE'
  // set by ingest, not by the validator: a withdrawal of an unknown key, a closed record, a chunk that failed every attempt
  | 'NOT_FOUND'
  | 'RECORD_CLOSED'
  | 'PROCESSING_FAILED';

export interface RowError {
  row: number;
  field: string | null;
  code: RowErrorCode;
  /** English, naming the field by its key. */
  message: string;
  /** Chinese, naming the field by its catalog label: `第 12 行「罚款金额（万元）」：应为不小于 0 的数字，实际为 "-5"`. */
  messageZh: string;
}

const SUBJECT_LABELS: ReadonlyMap<string, string> = new Map(SUBJECT_COLUMNS.map((c) => [c.key, c.label]));

/** A field's Chinese name: the catalog label of an item field or a subject column, else the key as written. */
export type LabelOf = (field: string) => string;

export const subjectLabel: LabelOf = (k) => SUBJECT_LABELS.get(k) ?? k;

export function itemLabels(item: InfoItem): LabelOf {
  const m = new Map(SUBJECT_LABELS);
  for (const f of item.fields) m.set(f.key, f.label);
  return (k) => m.get(k) ?? k;
}

/** The Chinese message of a row error: the row, the field by its label, what is wrong. */
export function rowMessageZh(row: number, label: string | null, detail: string): string {
  return label === null ? `第 ${row} 行：${detail}` : `第 ${row} 行「${label}」：${detail}`;
}

/** A value in an English message, quoted and cut short. */
export function show(v: string): string {
  return `'${truncate(v)}'`;
}
