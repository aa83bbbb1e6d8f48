/**
 * Finds record boundaries in a CSV or JSON Lines byte stream without decoding it, and plans the
 * chunks a batch is processed in. Quote-aware for CSV (a newline inside "..." is data). Works
 * on UTF-8 and GB18030 alike: neither encoding uses the bytes for `"`, CR or LF inside a
 * multi-byte character. One pass, constant memory: a 1 GB file streams through it.
 *
 * Row numbers: in CSV the header is row 1 and data rows follow; in JSON Lines the first record
 * is row 1. Blank lines are skipped and do not count.
 */
export type FileFormat = 'csv' | 'jsonl';

export interface ChunkPlan {
  index: number;
  /** Byte range [start, end) of whole records. */
  start: number;
  end: number;
  firstRow: number;
  rows: number;
}

export interface ScanResult {
  chunks: ChunkPlan[];
  rows: number;
  /** CSV only: byte range of the header record. */
  header?: { start: number; end: number };
  /** The first record terminator seen ('\r\n', '\n' or '\r'). */
  lineEnding: '\r\n' | '\n' | '\r';
  bytes: number;
}

export class ScanError extends Error {
  constructor(
    message: string,
    readonly row: number,
  ) {
    super(message);
    this.name = 'ScanError';
  }
}

export interface ScanOptions {
  format: FileFormat;
  /** Byte offset where content begins (after a BOM). */
  startOffset?: number;
  chunkRows: number;
  chunkMaxBytes: number;
  /** A record longer than this is an error (catches unbalanced quotes early). */
  maxRecordBytes: number;
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

export class RowScanner {
  private offset: number;
  private inQuotes = false;
  private recordStart: number;
  private recordHasContent = false;
  private prevWasCr = false;
  private lineEnding: ScanResult['lineEnding'] | undefined;
  private header: ScanResult['header'];
  private rowNumber = 0;
  private chunks: ChunkPlan[] = [];
  private chunkStart = -1;
  private chunkFirstRow = 0;
  private chunkRows = 0;
  private quoteOpenedAtRow = 0;

  constructor(private readonly opts: ScanOptions) {
    this.offset = opts.startOffset ?? 0;
    this.recordStart = this.offset;
  }

  push(buf: Uint8Array): void {
    const csv = this.opts.format === 'csv';
    const base = this.offset;
    for (let i = 0; i < buf.length; i++) {
      const b = buf[i]!;
      if (csv && b === QUOTE) {
        if (!this.inQuotes) this.quoteOpenedAtRow = this.rowNumber + 1;
        this.inQuotes = !this.inQuotes; // "" inside quotes toggles twice: net unchanged
        this.recordHasContent = true;
        this.prevWasCr = false;
        continue;
      }
      if (this.inQuotes) continue;
      if (b === LF) {
        if (this.prevWasCr) {
          // second half of CRLF: the record already ended at the CR
          this.prevWasCr = false;
          if (this.lineEnding === '\r') this.lineEnding = '\r\n';
          this.recordStart = base + i + 1;
          continue;
        }
        this.lineEnding ??= '\n';
        this.endRecord(base + i + 1);
      } else if (b === CR) {
        this.lineEnding ??= '\r';
        this.endRecord(base + i + 1);
        this.prevWasCr = true;
        continue;
      } else if (b !== SPACE && b !== TAB) {
        this.recordHasContent = true;
      }
      this.prevWasCr = false;
      if (base + i - this.recordStart > this.opts.maxRecordBytes) {
        throw new ScanError(`record at row ${this.rowNumber + 1} is longer than ${this.opts.maxRecordBytes} bytes`, this.rowNumber + 1);
      }
    }
    this.offset += buf.length;
    if (this.inQuotes && this.offset - this.recordStart > this.opts.maxRecordBytes) {
      throw new ScanError(`unbalanced quote: the quoted field opened in row ${this.quoteOpenedAtRow} never closes`, this.quoteOpenedAtRow);
    }
  }

  end(): ScanResult {
    if (this.inQuotes) {
      throw new ScanError(`unbalanced quote: the quoted field opened in row ${this.quoteOpenedAtRow} never closes`, this.quoteOpenedAtRow);
    }
    this.endRecord(this.offset); // a last record without a trailing newline
    this.closeChunk(this.offset);
    return {
      chunks: this.chunks,
      rows: this.chunks.reduce((n, c) => n + c.rows, 0),
      header: this.header,
      lineEnding: this.lineEnding ?? '\n',
      bytes: this.offset,
    };
  }

  private endRecord(end: number): void {
    const start = this.recordStart;
    this.recordStart = end;
    if (!this.recordHasContent) return; // blank line
    this.recordHasContent = false;
    this.rowNumber++;
    if (this.opts.format === 'csv' && !this.header) {
      this.header = { start, end };
      return;
    }
    if (this.chunkStart < 0) {
      this.chunkStart = start;
      this.chunkFirstRow = this.rowNumber;
    }
    this.chunkRows++;
    if (this.chunkRows >= this.opts.chunkRows || end - this.chunkStart >= this.opts.chunkMaxBytes) this.closeChunk(end);
  }

  private closeChunk(end: number): void {
    if (this.chunkStart < 0 || this.chunkRows === 0) return;
    this.chunks.push({
      index: this.chunks.length,
      start: this.chunkStart,
      end,
      firstRow: this.chunkFirstRow,
      rows: this.chunkRows,
    });
    this.chunkStart = -1;
    this.chunkRows = 0;
  }
}
