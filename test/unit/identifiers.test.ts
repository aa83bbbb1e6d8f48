import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  id15to18,
  idCheckChar,
  maskIdNumber,
  normalizeCode,
  orgCodeCheckChar,
  orgCodeOfUscc,
  regNoCheckDigit,
  usccCheckChar,
  validateIdNumber,
  validateOrgCode,
  validateRegNo,
  validateUscc,
  type IdCheck,
} from '#core/identifiers';
import { ISSUED_INVALID_USCC } from '#core/issued-invalid-codes';
import { makeIdNumber, makeOrgCode, makeRegNo, makeUscc } from '#local/seed/generate';
import { trickyString } from '../support/arbitraries.ts';

/** Code units that matter for normalisation: ASCII, the full-width block, blanks, dashes, CJK, case-changing letters, and anything. */

interface Vector {
  value: string;
  valid?: boolean;
  to18?: string | null;
  note: string;
}
interface Vectors {
  uscc: Vector[];
  orgCode: Vector[];
  residentId18: Vector[];
  residentId15: Vector[];
  registrationNo15: Vector[];
}

const fixturePath = join(import.meta.dirname, '../fixtures/identifiers.json');
const vectors = JSON.parse(readFileSync(fixturePath, 'utf8')) as Vectors;
const TODAY = '2026-11-26';

/** The error class a vector's note names: its first word, with BIRTH_DATE reported as DATE. */
function expectedClass(note: string): string {
  const word = note.split(/[\s,(]/)[0]!;
  return word === 'BIRTH_DATE' ? 'DATE' : word;
}

function assertVector(v: Vector, check: IdCheck): void {
  expect(check.ok, `${v.value} (${v.note})`).toBe(v.valid);
  if (v.valid) {
    expect(check.errors).toEqual([]);
  } else {
    expect(check.errors.map((e) => e.code)).toContain(expectedClass(v.note));
    for (const e of check.errors) expect(e.message.length).toBeGreaterThan(10);
  }
}

describe('test vectors', () => {
  describe('USCC (GB 32100)', () => {
    for (const v of vectors.uscc) it(`${v.value}: ${v.valid ? 'valid' : 'invalid'} — ${v.note}`, () => assertVector(v, validateUscc(v.value)));
  });
  describe('organisation code (GB 11714)', () => {
    for (const v of vectors.orgCode) it(`${v.value}: ${v.valid ? 'valid' : 'invalid'} — ${v.note}`, () => assertVector(v, validateOrgCode(v.value)));
  });
  describe('resident ID, 18 digits (GB 11643)', () => {
    for (const v of vectors.residentId18) {
      it(`${v.value}: ${v.valid ? 'valid' : 'invalid'} — ${v.note}`, () => assertVector(v, validateIdNumber(v.value, { today: TODAY })));
    }
  });
  describe('resident ID, legacy 15 digits', () => {
    for (const v of vectors.residentId15) {
      it(`${v.value} → ${v.to18 ?? 'rejected'} — ${v.note}`, () => {
        const check = validateIdNumber(v.value, { today: TODAY });
        if (v.to18) {
          expect(check.ok).toBe(true);
          expect(check.normalized).toBe(v.to18);
          expect(id15to18(v.value)).toBe(v.to18);
        } else {
          expect(check.ok).toBe(false);
          expect(check.errors.map((e) => e.code)).toContain(expectedClass(v.note));
        }
      });
    }
  });
  describe('registration number (GS 15)', () => {
    for (const v of vectors.registrationNo15) it(`${v.value}: ${v.valid ? 'valid' : 'invalid'} — ${v.note}`, () => assertVector(v, validateRegNo(v.value)));
  });
});

describe('normalizeCode', () => {
  it('trims, folds full width, upper-cases and drops spaces and hyphens', () => {
    expect(normalizeCode(' ９１３１０１１５ｍａ１ｋ３ｂｔｐ２ｂ ')).toBe('91310115MA1K3BTP2B');
    expect(normalizeCode('D2143569-X')).toBe('D2143569X');
    expect(normalizeCode('9131 0115 MA1K 3BTP 2B')).toBe('91310115MA1K3BTP2B');
    expect(normalizeCode('D2143569－X')).toBe('D2143569X');
    expect(normalizeCode('D2143569–X')).toBe('D2143569X'); // en dash
  });
  it('is idempotent', () => {
    fc.assert(
      fc.property(trickyString, (s) => normalizeCode(normalizeCode(s)) === normalizeCode(s)),
      { numRuns: 500 },
    );
  });
});

describe('validateUscc', () => {
  it('names the expected check character', () => {
    expect(validateUscc('91110000600037341N').errors[0]!.message).toBe("check character should be 'L', got 'N'");
  });

  it('accepts full-width, lower-case, spaced input and returns the canonical form', () => {
    const check = validateUscc(' ９１３１０１１５ｍａ１ｋ３ｂｔｐ２ｂ ');
    expect(check).toMatchObject({ ok: true, normalized: '91310115MA1K3BTP2B' });
  });

  it('treats a failed inner organisation-code check as a warning only', () => {
    // Inner code M000100Y4 → change its check character and recompute the USCC check.
    const first17 = '91350100M000100Y5';
    const code = first17 + usccCheckChar(first17);
    const check = validateUscc(code);
    expect(check.ok).toBe(true);
    expect(check.warnings.map((w) => w.code)).toEqual(['INNER_ORG_CHECK']);
  });

  it('warns about an unknown authority/type pair without rejecting', () => {
    const first17 = '9A310115MA1K3BTP2'; // authority 9 has no type A
    const check = validateUscc(first17 + usccCheckChar(first17));
    expect(check.ok).toBe(true);
    expect(check.warnings.map((w) => w.code)).toContain('UNKNOWN_TYPE');
  });

  it('accepts legal codes starting with A, N or Y (unlike python-stdnum)', () => {
    for (const prefix of ['A1', 'N2', 'Y1']) {
      const first17 = `${prefix}310115MA1K3BTP2`;
      expect(validateUscc(first17 + usccCheckChar(first17)).ok).toBe(true);
    }
  });

  it('honours the override list of issued-but-invalid codes', () => {
    for (const code of ['91350211M0000XUF46', '91350203M0001QAY9B']) {
      expect(ISSUED_INVALID_USCC.has(code)).toBe(true);
      expect(validateUscc(code).ok).toBe(false);
      const check = validateUscc(code, ISSUED_INVALID_USCC);
      expect(check).toMatchObject({ ok: true, overridden: true, errors: [] });
      expect(check.warnings.map((w) => w.code)).toContain('CHECKSUM');
    }
    expect(validateUscc('91350211m0000xuf46', ISSUED_INVALID_USCC).overridden).toBe(true);
    expect(validateUscc('91110000600037341N', ISSUED_INVALID_USCC).ok).toBe(false);
  });

  it('reports the division-code format problem', () => {
    expect(validateUscc('913101A5MA1K3BTP2B').errors[0]!.message).toContain('3101A5');
  });

  it('detects every single-character substitution', () => {
    fc.assert(
      fc.property(fc.nat(5_000_000), fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 30 }), (n, pos, shift) => {
        const code = makeUscc(n);
        const alphabet = pos >= 2 && pos <= 7 ? '0123456789' : '0123456789ABCDEFGHJKLMNPQRTUWXY';
        const at = alphabet.indexOf(code[pos]!);
        const replacement = alphabet[(at + (shift % (alphabet.length - 1)) + 1) % alphabet.length]!;
        const changed = code.slice(0, pos) + replacement + code.slice(pos + 1);
        return validateUscc(changed).errors.some((e) => e.code === 'CHECKSUM');
      }),
    );
  });
});

describe('check-character helpers', () => {
  it('compute the published check characters', () => {
    expect(usccCheckChar('91110000600037341')).toBe('L');
    expect(orgCodeCheckChar('D2143569')).toBe('X');
    expect(orgCodeCheckChar('87654321')).toBe('0');
    expect(idCheckChar('11010519491231002')).toBe('X');
    expect(regNoCheckDigit('31023000171614')).toBe('6');
  });
  it('throw on malformed input instead of guessing', () => {
    expect(() => usccCheckChar('9111000060003734')).toThrow(RangeError);
    expect(() => usccCheckChar('9111000060003734I')).toThrow(RangeError);
    expect(() => orgCodeCheckChar('D214356!')).toThrow(RangeError);
    expect(() => idCheckChar('1101051949123100X')).toThrow(RangeError);
    expect(() => regNoCheckDigit('3102300017161')).toThrow(RangeError);
    expect(() => id15to18('11010549123100X')).toThrow(RangeError);
  });
  it('orgCodeOfUscc takes positions 9-17', () => {
    expect(orgCodeOfUscc('91110000600037341L')).toBe('600037341');
    expect(orgCodeOfUscc('91350100m000100y43')).toBe('M000100Y4');
    expect(validateOrgCode(orgCodeOfUscc('91310115MA1K3BTP2B')).ok).toBe(true);
  });
});

describe('validateOrgCode', () => {
  it('accepts the hyphenated human-readable form', () => {
    expect(validateOrgCode('D2143569-X')).toMatchObject({ ok: true, normalized: 'D2143569X' });
    expect(validateOrgCode('12345678-8').ok).toBe(true);
  });
  it('rejects a bad check-character position as FORMAT', () => {
    expect(validateOrgCode('12345678A').errors[0]!.code).toBe('FORMAT');
    expect(validateOrgCode('1234567#8').errors[0]!.code).toBe('FORMAT');
  });
});

describe('validateIdNumber', () => {
  it('always returns the 18-digit form and upper-cases x', () => {
    expect(validateIdNumber('11010519491231002x', { today: TODAY }).normalized).toBe('11010519491231002X');
    expect(validateIdNumber(' 110105491231002 ', { today: TODAY }).normalized).toBe('11010519491231002X');
  });

  it('rejects a birth date in the future', () => {
    const first17 = '31011520300101001';
    const check = validateIdNumber(first17 + idCheckChar(first17), { today: TODAY });
    expect(check.ok).toBe(false);
    expect(check.errors.map((e) => e.code)).toEqual(['DATE']);
    expect(check.errors[0]!.message).toContain('future');
  });

  it('rejects a birth year before the floor (1850 by default, configurable)', () => {
    const first17 = '31011518490101001';
    const id = first17 + idCheckChar(first17);
    expect(validateIdNumber(id, { today: TODAY }).errors.map((e) => e.code)).toEqual(['DATE']);
    expect(validateIdNumber(id, { today: TODAY, minBirthYear: 1800 }).ok).toBe(true);
    expect(validateIdNumber('440524188001010014', { today: TODAY, minBirthYear: 1900 }).ok).toBe(false);
  });

  it('accepts HK/Macau/Taiwan residence-permit prefixes and rejects other regions', () => {
    for (const region of ['810000', '820000', '830000']) {
      const first17 = `${region}19900101001`;
      expect(validateIdNumber(first17 + idCheckChar(first17), { today: TODAY }).ok).toBe(true);
    }
    for (const region of ['010101', '710000', '840000', '990426']) {
      const first17 = `${region}19900101001`;
      const check = validateIdNumber(first17 + idCheckChar(first17), { today: TODAY });
      expect(check.errors.map((e) => e.code)).toEqual(['REGION']);
    }
  });

  it('reports every failed level, not only the first', () => {
    const check = validateIdNumber('990426199113010079', { today: TODAY });
    expect(check.errors.map((e) => e.code).sort()).toEqual(['CHECKSUM', 'DATE', 'REGION']);
  });

  it('classifies shape problems', () => {
    expect(validateIdNumber('1234', { today: TODAY }).errors[0]!.code).toBe('LENGTH');
    expect(validateIdNumber('11010549123100A', { today: TODAY }).errors[0]!.code).toBe('FORMAT');
    expect(validateIdNumber('1101051949123100XX', { today: TODAY }).errors[0]!.code).toBe('FORMAT');
  });

  it('defaults today to the current date', () => {
    const next = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
    const first17 = `310115${next}001`;
    expect(validateIdNumber(first17 + idCheckChar(first17)).errors.map((e) => e.code)).toEqual(['DATE']);
  });
});

describe('id15to18', () => {
  it('inserts 19 and appends the check character', () => {
    expect(id15to18('110105491231002')).toBe('11010519491231002X');
    expect(validateIdNumber(id15to18('310104800101201'), { today: TODAY }).ok).toBe(true);
  });
});

describe('maskIdNumber', () => {
  it('keeps the first 6 and the last 4', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
    expect(maskIdNumber('110105491231002')).toBe('110105*****1002');
    expect(maskIdNumber('12345')).toBe('*****');
  });
});

describe('validateRegNo', () => {
  it('classifies shape problems', () => {
    expect(validateRegNo('31023000171614').errors[0]!.code).toBe('LENGTH');
    expect(validateRegNo('31023000171614A').errors[0]!.code).toBe('FORMAT');
    expect(validateRegNo('310230-00171614-6').ok).toBe(true);
  });
});

describe('properties', () => {
  const validators = [
    (s: string) => validateUscc(s, ISSUED_INVALID_USCC),
    validateOrgCode,
    (s: string) => validateIdNumber(s, { today: TODAY }),
    validateRegNo,
  ];

  it('validators never throw and always explain a rejection', () => {
    fc.assert(
      fc.property(fc.oneof(trickyString, fc.string({ unit: fc.constantFrom(...'0123456789XxIiOo -－１２Ａ') })), (s) => {
        for (const validate of validators) {
          const check = validate(s);
          if (check.ok !== (check.errors.length === 0)) return false;
        }
        return true;
      }),
      { numRuns: 1000 },
    );
  });

  it('generated identifiers always validate, without warnings', () => {
    fc.assert(
      fc.property(fc.nat(800_000_000), (n) => {
        const uscc = validateUscc(makeUscc(n));
        return uscc.ok && uscc.warnings.length === 0 && validateOrgCode(makeOrgCode(n)).ok && validateRegNo(makeRegNo(n)).ok;
      }),
    );
    fc.assert(fc.property(fc.nat(15_999), (n) => validateIdNumber(makeIdNumber(n), { today: TODAY }).ok));
  });

  it('an 18-digit ID with one digit changed never validates', () => {
    fc.assert(
      fc.property(fc.nat(15_999), fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (n, pos, delta) => {
        const id = makeIdNumber(n);
        const changed = id.slice(0, pos) + String((Number(id[pos]) + delta) % 10) + id.slice(pos + 1);
        return !validateIdNumber(changed, { today: TODAY }).ok;
      }),
    );
  });
});
