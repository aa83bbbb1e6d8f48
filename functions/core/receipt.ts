/**
 * A batch's receipt (回执) is the sum of its chunk results. Each chunk result is written once;
 * summing is deterministic, so completing a batch twice gives the same receipt.
 * Invariants: rows = accepted + rejected, accepted = linked + unlinked.
 */
import type { RowError } from './row-validator.ts';

export type BatchStatus = 'RECEIVED' | 'PROCESSING' | 'COMPLETED' | 'FAILED';

export const MAX_RECEIPT_ERRORS = 100;
/** How many held-back rows a receipt names (the count covers them all). */
export const MAX_RECEIPT_HELD_ROWS = 100;

/**
 * An accepted double-publicity row the national format cannot carry as it is (a penalty without
 * 法定代表人, say): it is stored and served, but the export holds it back until it is corrected.
 */
export interface HeldBackRow {
  row: number;
  /** The national problems, for machines and the admin's held list (field codes). */
  reason: string;
  /** The same for people: the row and what the national platform needs. */
  reasonZh: string;
}

export interface ChunkCounts {
  rows: number;
  accepted: number;
  rejected: number;
  linked: number;
  unlinked: number;
}

export interface ChunkResult extends ChunkCounts {
  index: number;
  /** The first errors of this chunk, at most MAX_RECEIPT_ERRORS. */
  errors: RowError[];
  /** Set when the chunk could not be processed at all (dead-lettered). */
  failure?: string;
  /** Accepted rows the national push will hold back (absent in results written before it was counted). */
  heldBack?: number;
  heldBackRows?: HeldBackRow[];
}

export interface ReceiptTotals extends ChunkCounts {
  errors: RowError[];
  failures: string[];
  heldBack: number;
  heldBackRows: HeldBackRow[];
}

export function emptyCounts(): ChunkCounts {
  return { rows: 0, accepted: 0, rejected: 0, linked: 0, unlinked: 0 };
}

export function sumChunks(chunks: ChunkResult[]): ReceiptTotals {
  const totals: ReceiptTotals = { ...emptyCounts(), errors: [], failures: [], heldBack: 0, heldBackRows: [] };
  const ordered = [...chunks].sort((a, b) => a.index - b.index);
  for (const c of ordered) {
    totals.rows += c.rows;
    totals.accepted += c.accepted;
    totals.rejected += c.rejected;
    totals.linked += c.linked;
    totals.unlinked += c.unlinked;
    if (c.failure) totals.failures.push(c.failure);
    for (const e of c.errors) if (totals.errors.length < MAX_RECEIPT_ERRORS) totals.errors.push(e);
    totals.heldBack += c.heldBack ?? 0;
    for (const h of c.heldBackRows ?? []) if (totals.heldBackRows.length < MAX_RECEIPT_HELD_ROWS) totals.heldBackRows.push(h);
  }
  return totals;
}

/** Throws if the counts break the receipt's invariants: a bug, never a data problem. */
export function assertBalanced(c: ChunkCounts, what: string): void {
  if (c.rows !== c.accepted + c.rejected || c.accepted !== c.linked + c.unlinked) {
    throw new Error(`${what} does not balance: ${JSON.stringify(c)}`);
  }
}

/**
 * Why a whole file failed, for machines (the receipt's `reasonCode`; `reason` says it for people).
 * Row-level problems are row errors, not failure codes.
 */
export const FAILURE_CODES = [
  'INVALID_KEY', // the object key is not incoming/{provider}/{item}/{fileName}
  'NO_CATALOG',
  'UNKNOWN_PROVIDER',
  'UNKNOWN_ITEM',
  'WRONG_PROVIDER', // the item belongs to another provider
  'UNSUPPORTED_FORMAT', // neither .csv nor .jsonl
  'EMPTY_FILE',
  'BINARY_CONTENT',
  'ENCODING',
  'MALFORMED_FILE', // cannot be split into records (an unbalanced quote, an over-long record)
  'NO_HEADER',
  'HEADER_MISMATCH',
  'PROCESSING_FAILED', // a chunk or the upload event failed every attempt
  'INTERRUPTED', // the local platform restarted mid-batch
] as const;
export type FailureCode = (typeof FAILURE_CODES)[number];

/** Why a whole file failed, in Chinese, by its reasonCode (the English `reason` may say more). */
export const FAILURE_REASON_ZH: Readonly<Record<FailureCode, string>> = {
  INVALID_KEY: '文件存放位置不对（应为 incoming/单位代码/信息项代码/文件名）',
  NO_CATALOG: '尚未发布公共信用信息目录',
  UNKNOWN_PROVIDER: '目录中没有这个信息提供单位',
  UNKNOWN_ITEM: '目录中没有这个信息项',
  WRONG_PROVIDER: '该信息项不属于本单位',
  UNSUPPORTED_FORMAT: '只接受 .csv 或 .jsonl 文件',
  EMPTY_FILE: '文件是空的',
  BINARY_CONTENT: '文件不是文本（是否上传了 Excel 原文件？请另存为 CSV）',
  ENCODING: '无法识别文件编码（请使用 UTF-8 或 GB18030）',
  MALFORMED_FILE: '文件无法拆分为记录（引号不成对或单条记录过长）',
  NO_HEADER: '文件没有表头行',
  HEADER_MISMATCH: '表头与信息项不符',
  PROCESSING_FAILED: '部分数据多次重试后仍未能处理',
  INTERRUPTED: '平台在处理中途重启，请重新上传',
};

/** The Chinese reason of a failed batch: the first header problem when the header did not fit, else the code's sentence. */
export function failureReasonZh(code: FailureCode | null | undefined, errors: readonly RowError[]): string | null {
  if (!code) return null;
  const first = code === 'HEADER_MISMATCH' ? errors.find((e) => e.messageZh)?.messageZh : undefined;
  return first ? `${FAILURE_REASON_ZH[code]}：${first}${errors.length > 1 ? `（另有 ${errors.length - 1} 处）` : ''}` : FAILURE_REASON_ZH[code];
}
