/**
 * Cell-level text normalisation shared by identifiers, header mapping and row validation.
 * Spreadsheets from Chinese-locale systems often carry full-width (全角) digits, letters and
 * punctuation; they are folded to their ASCII (半角) forms before anything is compared.
 */

const FULL_WIDTH_FIRST = 0xff01; // ！
const FULL_WIDTH_LAST = 0xff5e; // ～
const FULL_WIDTH_OFFSET = 0xfee0; // U+FF01 - U+0021
const IDEOGRAPHIC_SPACE = 0x3000;

function needsFolding(c: number): boolean {
  return (c >= FULL_WIDTH_FIRST && c <= FULL_WIDTH_LAST) || c === IDEOGRAPHIC_SPACE;
}

/** Full-width ASCII (U+FF01–U+FF5E) → U+0021–U+007E; ideographic space U+3000 → ' '. */
export function toHalfWidth(s: string): string {
  const n = s.length;
  let i = 0;
  while (i < n && !needsFolding(s.charCodeAt(i))) i++;
  if (i === n) return s;
  let out = s.slice(0, i);
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === IDEOGRAPHIC_SPACE) out += ' ';
    else if (c >= FULL_WIDTH_FIRST && c <= FULL_WIDTH_LAST) out += String.fromCharCode(c - FULL_WIDTH_OFFSET);
    else out += s[i];
  }
  return out;
}

/**
 * Trim and fold to half width. Runs once per cell on every uploaded row, so the common case —
 * printable ASCII with no surrounding blanks — returns the input untouched without allocating.
 */
export function normalizeCell(s: string): string {
  const n = s.length;
  if (n === 0) return s;
  if (s.charCodeAt(0) > 0x20 && s.charCodeAt(n - 1) > 0x20) {
    let ascii = true;
    for (let i = 0; i < n; i++) {
      if (s.charCodeAt(i) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return s;
  }
  // String.prototype.trim also removes U+3000, U+00A0 and the BOM (U+FEFF).
  return toHalfWidth(s).trim();
}

/** Shorten a value for an error message so a pasted paragraph cannot flood a receipt. */
export function truncate(s: string, max = 64): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
