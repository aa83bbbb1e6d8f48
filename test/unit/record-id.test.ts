import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { recordId, recordSortKey } from '#core/record-id';

describe('recordId', () => {
  it('is 22 URL-safe characters and stable', () => {
    const id = recordId('SH-AMR', 'AMR-PENALTY', '沪市监罚〔2026〕1号');
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(recordId('SH-AMR', 'AMR-PENALTY', '沪市监罚〔2026〕1号')).toBe(id);
  });

  it('is the base64url SHA-256 prefix of provider NUL item NUL key', () => {
    // sha256("P\0I\0K") computed independently; the id is its first 22 base64url characters.
    expect(recordId('P', 'I', 'K')).toBe('AkMzPYWCKhaZ0FELy-q6wG');
  });

  it('separates provider, item and key', () => {
    expect(recordId('A', 'BC', 'D')).not.toBe(recordId('AB', 'C', 'D'));
    expect(recordId('A', 'B', 'CD')).not.toBe(recordId('A', 'BC', 'D'));
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => a === b || recordId('P', 'I', a) !== recordId('P', 'I', b)));
  });

  it('builds the record sort key', () => {
    expect(recordSortKey('SH-AMR', 'AMR-PENALTY', 'k')).toBe(`REC#SH-AMR#AMR-PENALTY#${recordId('SH-AMR', 'AMR-PENALTY', 'k')}`);
  });
});
