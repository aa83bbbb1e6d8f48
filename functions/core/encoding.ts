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
}

export function hasUtf8Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === UTF8_BOM[0] && bytes[1] === UTF8_BOM[1] && bytes[2] === UTF8_BOM[2];
}

/**
 * A sample that is valid UTF-8 (allowing a multi-byte sequence cut off at the sample's end) is
 * UTF-8; anything else is taken as GB18030, a superset of GBK and GB2312.
 */
export function detectEncoding(sample: Uint8Array): DetectedEncoding {
  if (hasUtf8Bom(sample)) return { encoding: 'utf-8', bomLength: 3 };
  return { encoding: isUtf8(trimIncompleteTail(sample)) ? 'utf-8' : 'gb18030', bomLength: 0 };
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

/** Does the file look like text at all? NUL bytes and zip/gzip/PDF signatures mean it does not. */
export function looksBinary(sample: Uint8Array): string | null {
  const sig = (...b: number[]) => b.every((v, i) => sample[i] === v);
  if (sig(0x50, 0x4b, 0x03, 0x04)) return 'the file is a ZIP archive (an .xlsx workbook?), not CSV text';
  if (sig(0x1f, 0x8b)) return 'the file is gzip-compressed, not CSV text';
  if (sig(0x25, 0x50, 0x44, 0x46)) return 'the file is a PDF, not CSV text';
  if (sig(0xd0, 0xcf, 0x11, 0xe0)) return 'the file is a legacy Office document (.xls), not CSV text';
  const n = Math.min(sample.length, 64 * 1024);
  for (let i = 0; i < n; i++) if (sample[i] === 0) return 'the file contains NUL bytes: binary content, not text';
  return null;
}
