/** The reconciliation's notion of a legal representative's copy (test/support/tables.ts). */
import { describe, expect, it } from 'vitest';
import { recordId, recordSortKey } from '#core/record-id';
import { isRepresentativeCopy } from '../support/tables.ts';

/** A key whose record id starts with "REP": about one in 262,144. */
function keyWithRepId(): string {
  for (let n = 0; ; n++) if (recordId('SH-AMR', 'AMR-PENALTY', `K${n}`).startsWith('REP')) return `K${n}`;
}

describe('isRepresentativeCopy', () => {
  it('is true for the copy under the legal representative (…#REP with via)', () => {
    const sk = `${recordSortKey('SH-AMR', 'AMR-PENALTY', 'X1')}#REP`;
    expect(isRepresentativeCopy({ sk, via: { uscc: '91310000MA1FL0XX1X', role: 'LEGAL_REPRESENTATIVE' } })).toBe(true);
  });

  it('is false for a record whose id happens to start with REP', () => {
    const sk = recordSortKey('SH-AMR', 'AMR-PENALTY', keyWithRepId());
    expect(sk).toContain('#REP');
    expect(isRepresentativeCopy({ sk })).toBe(false);
  });
});
