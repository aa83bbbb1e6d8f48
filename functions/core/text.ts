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
  return s.replace(FOLDABLE_ALL, (ch) => (ch === '\u3000' ? ' ' : String.fromCharCode(ch.charCodeAt(0) - FULL_WIDTH_OFFSET)));
}

const FOLDABLE_ALL = /[\u3000\uFF01-\uFF5E]/g;

/** The characters String.prototype.trim removes (ECMAScript WhiteSpace and LineTerminator), plus C0 controls. */
function isTrimmable(c: number): boolean {
  return (
    c <= 0x20 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * Trim and fold to half width. Runs once per cell on every uploaded row, so it makes one pass
 * and, in the common case (nothing to fold, no blanks at the edges), returns the input itself.
 */
export function normalizeCell(s: string): string {
  const n = s.length;
  if (n === 0) return s;
  // a native regex scan is several times faster than a charCodeAt loop over CJK text
  if (FOLDABLE.test(s)) return toHalfWidth(s).trim();
  return isTrimmable(s.charCodeAt(0)) || isTrimmable(s.charCodeAt(n - 1)) ? s.trim() : s;
}

const FOLDABLE = /[\u3000\uFF01-\uFF5E]/;

/** Trim only: free text (names, facts, decisions) keeps its full-width punctuation as written. */
export function trimCell(s: string): string {
  const n = s.length;
  if (n === 0) return s;
  return isTrimmable(s.charCodeAt(0)) || isTrimmable(s.charCodeAt(n - 1)) ? s.trim() : s;
}

/** Shorten a value for an error message so a pasted paragraph cannot flood a receipt. */
export function truncate(s: string, max = 64): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
