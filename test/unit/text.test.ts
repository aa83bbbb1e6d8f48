import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normalizeCell, toHalfWidth, truncate } from '#core/text';
import { trickyString } from '../support/arbitraries.ts';

/** Code units that matter for normalisation: ASCII, the full-width block, blanks, dashes, CJK, case-changing letters, and anything. */

describe('toHalfWidth', () => {
  it('folds full-width ASCII and the ideographic space', () => {
    expect(toHalfWidth('９１３１０１１５ＭＡ１Ｋ３ＢＴＰ２Ｂ')).toBe('91310115MA1K3BTP2B');
    expect(toHalfWidth('罚款金额（万元）')).toBe('罚款金额(万元)');
    expect(toHalfWidth('a\u3000b')).toBe('a b');
    expect(toHalfWidth('！～')).toBe('!~');
  });

  it('leaves everything else alone, returning the same string when nothing changes', () => {
    const s = '上海市 abc-123、；';
    expect(toHalfWidth(s)).toBe('上海市 abc-123、;');
    const ascii = 'plain ascii';
    expect(toHalfWidth(ascii)).toBe(ascii);
    expect(toHalfWidth('\uFF00\uFF5F')).toBe('\uFF00\uFF5F'); // just outside the folded range
  });
});

describe('normalizeCell', () => {
  it('trims ASCII blanks, ideographic spaces, NBSP and the BOM', () => {
    expect(normalizeCell('  abc  ')).toBe('abc');
    expect(normalizeCell('\u3000上海\u3000')).toBe('上海');
    expect(normalizeCell('\uFEFFpartyName')).toBe('partyName');
    expect(normalizeCell('\u00A0x\t')).toBe('x');
    expect(normalizeCell('')).toBe('');
    expect(normalizeCell('   ')).toBe('');
  });

  it('folds full-width text and keeps inner spaces', () => {
    expect(normalizeCell(' １２．５ ')).toBe('12.5');
    expect(normalizeCell('a  b')).toBe('a  b');
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(trickyString, (s) => normalizeCell(normalizeCell(s)) === normalizeCell(s)),
      { numRuns: 500 },
    );
  });

  it('returns pure ASCII cells unchanged', () => {
    fc.assert(fc.property(fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)) }), (s) => normalizeCell(s) === s));
  });
});

describe('truncate', () => {
  it('keeps short values and cuts long ones to the limit', () => {
    expect(truncate('abc')).toBe('abc');
    const long = 'x'.repeat(200);
    expect(truncate(long)).toHaveLength(64);
    expect(truncate(long).endsWith('…')).toBe(true);
  });
});
