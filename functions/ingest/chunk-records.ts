/**
 * Turns a chunk's bytes into records keyed by canonical column keys, with the row number of each.
 * A record that cannot even be read (bad quoting, wrong column count, bytes that are not valid in
 * the file's encoding, a JSON line that is not an object) becomes a row error, never an exception.
 */
import Papa from 'papaparse';
import iconv from 'iconv-lite';
import type { InfoItem } from '#core/catalog';
import { RowScanner } from '#core/row-scanner';
import { mapHeader, rowMessageZh, type RowError } from '#core/row-validator';
import type { ChunkMessage } from './chunk-message.ts';

export type ChunkRecord =
  | { row: number; values: Record<string, unknown>; raw: Record<string, unknown> }
  | { row: number; errors: RowError[]; raw: Record<string, unknown> };

const REPLACEMENT = '\uFFFD';

export function decodeChunk(bytes: Buffer, encoding: ChunkMessage['encoding']): string {
  return encoding === 'gb18030' ? iconv.decode(bytes, 'gb18030') : bytes.toString('utf8');
}

function encodingError(row: number, encoding: string): RowError {
  return {
    row,
    field: null,
    code: 'FORMAT',
    message: `row contains bytes that are not valid ${encoding} (mixed encodings in one file?)`,
    messageZh: rowMessageZh(row, null, `含有不属于 ${encoding} 编码的字节（文件中混用了多种编码？）`),
  };
}

export function csvRecords(bytes: Buffer, msg: ChunkMessage): ChunkRecord[] {
  const text = decodeChunk(bytes, msg.encoding);
  const parsed = Papa.parse<string[]>(text, { delimiter: ',', newline: msg.lineEnding, skipEmptyLines: 'greedy' });
  if (parsed.data.length !== msg.chunk.rows) {
    // Papa and the scanner disagree on record boundaries (mixed line endings): parse record by record
    return recordByRecord(bytes, msg);
  }
  const badRows = new Map<number, string>();
  for (const e of parsed.errors) if (e.row !== undefined && !badRows.has(e.row)) badRows.set(e.row, e.message);
  return parsed.data.map((cells, i) => toRecord(cells, msg.chunk.firstRow + i, msg, badRows.get(i)));
}

function toRecord(cells: string[], row: number, msg: ChunkMessage, parseError?: string): ChunkRecord {
  const keys = msg.headerKeys;
  const raw: Record<string, unknown> = {};
  for (let c = 0; c < cells.length; c++) raw[keys[c] ?? `column${c + 1}`] = cells[c];
  if (parseError) {
    return {
      row,
      raw,
      errors: [
        {
          row,
          field: null,
          code: 'FORMAT',
          message: `the row is not well-formed CSV: ${parseError}`,
          messageZh: rowMessageZh(row, null, `不是格式正确的 CSV 行（${parseError}）`),
        },
      ],
    };
  }
  if (cells.length !== keys.length) {
    const message = `the row has ${cells.length} fields but the header has ${keys.length}`;
    return {
      row,
      raw,
      errors: [{ row, field: null, code: 'FORMAT', message, messageZh: rowMessageZh(row, null, `有 ${cells.length} 列，而表头有 ${keys.length} 列`) }],
    };
  }
  for (let c = 0; c < cells.length; c++) {
    if (cells[c]!.includes(REPLACEMENT)) return { row, raw, errors: [encodingError(row, msg.encoding)] };
  }
  return { row, raw, values: raw };
}

function recordByRecord(bytes: Buffer, msg: ChunkMessage): ChunkRecord[] {
  const scanner = new RowScanner({ format: 'csv', chunkRows: 1, chunkMaxBytes: Number.MAX_SAFE_INTEGER, maxRecordBytes: Number.MAX_SAFE_INTEGER });
  scanner.push(Buffer.from('h\n')); // a dummy header so every real record is a data row
  scanner.push(bytes);
  const { chunks } = scanner.end();
  return chunks.map((c, i) => {
    const text = decodeChunk(bytes.subarray(c.start - 2, c.end - 2), msg.encoding).replace(/[\r\n]+$/, '');
    const parsed = Papa.parse<string[]>(text, { delimiter: ',', newline: msg.lineEnding });
    return toRecord(parsed.data[0] ?? [], msg.chunk.firstRow + i, msg, parsed.errors[0]?.message);
  });
}

export function jsonlRecords(bytes: Buffer, msg: ChunkMessage, item: InfoItem): ChunkRecord[] {
  const text = decodeChunk(bytes, 'utf-8');
  const lines = text.split(/\r\n|\n|\r/);
  const mappings = new Map<string, ReturnType<typeof mapHeader>>();
  const records: ChunkRecord[] = [];
  let row = msg.chunk.firstRow;
  for (const line of lines) {
    if (line.trim() === '') continue;
    const current = row++;
    if (line.includes(REPLACEMENT)) {
      records.push({ row: current, raw: { line }, errors: [encodingError(current, 'UTF-8')] });
      continue;
    }
    let obj: unknown;
    try {
      obj = parseJsonLine(line);
    } catch (err) {
      const message = `the line is not valid JSON: ${(err as Error).message}`;
      records.push({
        row: current,
        raw: { line },
        errors: [{ row: current, field: null, code: 'FORMAT', message, messageZh: rowMessageZh(current, null, '不是有效的 JSON') }],
      });
      continue;
    }
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) {
      const messageZh = rowMessageZh(current, null, '每行应为一个 JSON 对象');
      records.push({
        row: current,
        raw: { line },
        errors: [{ row: current, field: null, code: 'FORMAT', message: 'each line must be a JSON object', messageZh }],
      });
      continue;
    }
    const names = Object.keys(obj);
    const signature = names.join('\u0000');
    let mapping = mappings.get(signature);
    if (!mapping) {
      mapping = mapHeader(item, names);
      mappings.set(signature, mapping);
    }
    const raw = obj as Record<string, unknown>;
    if (!mapping.ok) {
      records.push({ row: current, raw, errors: mapping.errors.map((e) => ({ ...e, row: current })) });
      continue;
    }
    const values: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) values[mapping.keys[i]!] = raw[names[i]!];
    records.push({ row: current, raw, values });
  }
  return records;
}

// JSON forbids raw control characters inside strings: escaped, the line parses and the validator
// rejects the one cell holding it (CONTROL_CHARACTER, field named) instead of the whole line.
const RAW_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g;

function parseJsonLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch (err) {
    if (!RAW_CONTROL.test(line)) throw err;
    RAW_CONTROL.lastIndex = 0;
    return JSON.parse(line.replace(RAW_CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  }
}
