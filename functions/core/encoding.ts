/**
 * Encoding detection for provider CSV files: UTF-8 (with or without BOM) or GB18030/GBK, the
 * encoding spreadsheet exports from Chinese-locale systems produce. Detection looks only at a
 * sample (the file's first bytes), so a 1 GB file is never read whole to decide.
 */
export type TextEncoding = 'utf-8' | 'gb18030';

const UTF8_BOM = [0xef, 0xbb, 0xbf];

export interface DetectedEncoding {
  encoding: TextEncoding;
  /** Bytes to skip at the start of the file (the BOM). */
  bomLength: number;
  /** Set when the file cannot be decoded as it claims (a UTF-8 BOM on text that is not UTF-8). */
  problem?: string;
}

export function hasUtf8Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === UTF8_BOM[0] && bytes[1] === UTF8_BOM[1] && bytes[2] === UTF8_BOM[2];
}

/**
 * A sample that is valid UTF-8 (allowing a multi-byte sequence cut off at the sample's end) is
 * UTF-8; anything else is taken as GB18030, a superset of GBK and GB2312 — unless most of its
 * multi-byte text is well-formed UTF-8: then it is a UTF-8 file with some rows pasted in from a
 * GBK system, decoded as UTF-8 so that only those rows are rejected (a GB18030 decode would turn
 * every UTF-8 row into plausible-looking mojibake and accept it).
 */
export function detectEncoding(sample: Uint8Array): DetectedEncoding {
  if (hasUtf8Bom(sample)) {
    const { valid, invalid } = utf8Census(sample.subarray(3));
    if (valid < MOSTLY * invalid)
      return {
        encoding: 'utf-8',
        bomLength: 3,
        problem: 'the file starts with a UTF-8 byte-order mark, but its text is not UTF-8 (GB18030/GBK saved with the wrong BOM?)',
      };
    return { encoding: 'utf-8', bomLength: 3 };
  }
  const trimmed = trimIncompleteTail(sample);
  if (isUtf8(trimmed)) return { encoding: 'utf-8', bomLength: 0 };
  const { valid, invalid } = utf8Census(trimmed);
  return { encoding: valid >= MOSTLY * invalid ? 'utf-8' : 'gb18030', bomLength: 0 };
}

/** GBK text also holds some byte pairs that happen to be well-formed UTF-8: demand a clear majority. */
const MOSTLY = 4;

/** Well-formed UTF-8 multi-byte sequences versus bytes that start no valid sequence. */
function utf8Census(bytes: Uint8Array): { valid: number; invalid: number } {
  let valid = 0;
  let invalid = 0;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    let ok = need > 0;
    for (let k = 1; ok && k <= need; k++) ok = i + k < bytes.length && (bytes[i + k]! & 0xc0) === 0x80;
    if (ok) {
      valid++;
      i += need + 1;
    } else {
      invalid++;
      i++;
    }
  }
  return { valid, invalid };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function isUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Drops a trailing, incomplete UTF-8 sequence (at most 3 bytes) so a cut sample still decodes. */
function trimIncompleteTail(bytes: Uint8Array): Uint8Array {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    if (b >= 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return need > back ? bytes.subarray(0, bytes.length - back) : bytes;
    }
    return bytes;
  }
  return bytes;
}

/**
 * Does the file look like text at all? Zip/gzip/PDF signatures, or a sample mostly of control
 * bytes, mean it does not. A stray NUL or BEL in one cell is not enough: that row is rejected
 * alone (CONTROL_CHARACTER) and the file's good rows are kept.
 */
export function looksBinary(sample: Uint8Array): string | null {
  const sig = (...b: number[]) => b.every((v, i) => sample[i] === v);
  if (sig(0x50, 0x4b, 0x03, 0x04)) return 'the file is a ZIP archive (an .xlsx workbook?), not CSV text';
  if (sig(0x1f, 0x8b)) return 'the file is gzip-compressed, not CSV text';
  if (sig(0x25, 0x50, 0x44, 0x46)) return 'the file is a PDF, not CSV text';
  if (sig(0xd0, 0xcf, 0x11, 0xe0)) return 'the file is a legacy Office document (.xls), not CSV text';
  const n = Math.min(sample.length, 64 * 1024);
  let control = 0;
  for (let i = 0; i < n; i++) if (isControlByte(sample[i]!)) control++;
  if (n > 0 && control / n > BINARY_CONTROL_SHARE) {
    return `${Math.round((100 * control) / n)}% of the file's first ${n} bytes are control bytes (NUL and the like): binary content, not text`;
  }
  return null;
}

/** Text never has this many control bytes; a binary format (image, database, executable) easily does. */
export const BINARY_CONTROL_SHARE = 0.1;

/** C0 controls other than tab, LF, FF and CR (ASCII-compatible in UTF-8 and GB18030 alike), and DEL. */
function isControlByte(b: number): boolean {
  return (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d) || b === 0x7f;
}
