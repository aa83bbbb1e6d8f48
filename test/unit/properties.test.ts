/**
 * Properties of the three gatekeepers of ingestion — identifier validators, row validator,
 * catalog parser — against independent oracles written from the standards: whatever they accept
 * meets the spec, and what a spreadsheet does to a value (full width, case, padding, hyphens)
 * never changes the verdict. (Never-throw properties live beside each module's unit tests.)
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseCatalog, type Catalog } from '#core/catalog';
import {
  daysInMonth,
  idCheckChar,
  orgCodeCheckChar,
  regNoCheckDigit,
  usccCheckChar,
  validateIdNumber,
  validateOrgCode,
  validateRegNo,
  validateUscc,
  type IdCheck,
} from '#core/identifiers';
import { compileItem } from '#core/row-validator';
import { makeIdNumber, makeOrgCode, makeRegNo, makeUscc, rowsFor } from '#local/seed/generate';
import { trickyString } from '../support/arbitraries.ts';
import { demoCatalog } from '../support/platform.ts';

const TODAY = '2026-10-01';

// ---------------------------------------------------------------------------------------------
// Oracles: the formats as the standards state them, checked with the published check-character
// functions (themselves tested against the standards' own examples in identifiers.test.ts)

const USCC_CHAR = '[0-9A-HJ-NPQRTUWXY]';
const oracles: Record<string, { validate: (s: string) => IdCheck; meetsSpec: (n: string) => boolean }> = {
  uscc: {
    validate: (s) => validateUscc(s),
    meetsSpec: (n) => new RegExp(`^${USCC_CHAR}{2}\\d{6}${USCC_CHAR}{10}$`).test(n) && usccCheckChar(n.slice(0, 17)) === n[17],
  },
  orgCode: {
    validate: validateOrgCode,
    meetsSpec: (n) => /^[0-9A-Z]{8}[0-9X]$/.test(n) && orgCodeCheckChar(n.slice(0, 8)) === n[8],
  },
  idNumber: {
    validate: (s) => validateIdNumber(s, { today: TODAY }),
    meetsSpec: (n) => {
      if (!/^[1-8]\d{16}[\dX]$/.test(n) || idCheckChar(n.slice(0, 17)) !== n[17]) return false;
      const [y, m, d] = [Number(n.slice(6, 10)), Number(n.slice(10, 12)), Number(n.slice(12, 14))];
      return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m) && `${n.slice(6, 10)}-${n.slice(10, 12)}-${n.slice(12, 14)}` <= TODAY;
    },
  },
  regNo: {
    validate: validateRegNo,
    meetsSpec: (n) => /^\d{15}$/.test(n) && regNoCheckDigit(n.slice(0, 14)) === n[14],
  },
};

const validOf: Record<string, (n: number) => string> = {
  uscc: (n) => makeUscc(n),
  orgCode: makeOrgCode,
  idNumber: (n) => makeIdNumber(n % 16_000),
  regNo: (n) => makeRegNo(n),
};

const FULL_WIDTH_OFFSET = 0xfee0;
/** What spreadsheets and typists do to a code without changing it. */
const cosmetic = fc.constantFrom(
  // ASCII letters only: String#toLowerCase turns some other letters into two (İ → i + U+0307),
  // which is a different string, not a cosmetic variant
  (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase()),
  (s: string) => s.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + FULL_WIDTH_OFFSET)),
  (s: string) => ` ${s}\u3000`,
  (s: string) => `${s.slice(0, 6)}-${s.slice(6)}`,
  (s: string) => `${s.slice(0, 4)} ${s.slice(4, 10)}\u2014${s.slice(10)}`,
);

/** One edit that may or may not break a code: replace, insert or delete a character. */
const edit = fc
  .tuple(fc.nat(), fc.constantFrom(...'0123456789XIOSVZAx-'), fc.constantFrom('replace', 'insert', 'delete'))
  .map(([at, c, kind]) => (s: string) => {
    const i = at % (s.length + 1);
    if (kind === 'insert') return s.slice(0, i) + c + s.slice(i);
    if (kind === 'delete') return s.slice(0, i) + s.slice(i + 1);
    return s.slice(0, i) + c + s.slice(i + 1);
  });

/** Codes near the valid ones (where mistakes in a validator hide) and arbitrary text. */
const candidate = (kind: string) =>
  fc.oneof(
    fc.tuple(fc.nat(800_000_000), fc.array(edit, { maxLength: 2 })).map(([n, edits]) => edits.reduce((s, e) => e(s), validOf[kind]!(n))),
    trickyString,
  );

describe('identifier validators', () => {
  for (const [kind, o] of Object.entries(oracles)) {
    it(`${kind}: accepts only codes that meet the standard`, () => {
      fc.assert(
        fc.property(candidate(kind), (s) => {
          const check = o.validate(s);
          return !check.ok || o.meetsSpec(check.normalized);
        }),
        { numRuns: 2000 },
      );
    });

    it(`${kind}: gives the same verdict and normal form for cosmetic variants`, () => {
      fc.assert(
        fc.property(candidate(kind), cosmetic, (s, variant) => {
          const a = o.validate(s);
          const b = o.validate(variant(s));
          return a.ok === b.ok && a.normalized === b.normalized;
        }),
        { numRuns: 1000 },
      );
    });

    it(`${kind}: the normal form validates to itself`, () => {
      fc.assert(
        fc.property(candidate(kind), (s) => {
          const a = o.validate(s);
          const b = o.validate(a.normalized);
          return a.ok === b.ok && b.normalized === a.normalized;
        }),
        { numRuns: 1000 },
      );
    });
  }
});

// ---------------------------------------------------------------------------------------------

describe('row validator', () => {
  const catalog = demoCatalog();
  const item = catalog.items.find((i) => i.code === 'AMR-PENALTY')!;
  const validator = compileItem(item, { today: TODAY });
  const rows = rowsFor('AMR-PENALTY', catalog, 200, 7, { until: '2026-09-30' });
  const required = item.fields.filter((f) => f.required).map((f) => f.key);
  const codeColumns = ['partyUscc', 'authorityUscc'];

  it('gives the same record for a row whose codes were retyped cosmetically', () => {
    fc.assert(
      fc.property(fc.constantFrom(...rows), fc.constantFrom(...codeColumns), cosmetic, (row, column, variant) => {
        const plain = validator.validate(row, 2);
        const retyped = validator.validate({ ...row, [column]: variant(row[column]!) }, 2);
        expect(plain.ok).toBe(true);
        expect(retyped).toEqual(plain);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same record for cells padded with blanks', () => {
    fc.assert(
      fc.property(fc.constantFrom(...rows), fc.constantFrom(' ', '\u3000', '\t', '\u00a0'), (row, pad) => {
        const padded = Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === '' ? v : `${pad}${v}${pad}`]));
        expect(validator.validate(padded, 2)).toEqual(validator.validate(row, 2));
      }),
      { numRuns: 100 },
    );
  });

  it('never accepts a row whose identifiers fail the standard', () => {
    fc.assert(
      fc.property(fc.constantFrom(...rows), fc.constantFrom(...codeColumns), fc.array(edit, { minLength: 1, maxLength: 2 }), (row, column, edits) => {
        const broken = edits.reduce((s, e) => e(s), row[column]!);
        const outcome = validator.validate({ ...row, [column]: broken }, 2);
        const check = validateUscc(broken);
        if (!check.ok) return !outcome.ok && outcome.errors.some((e) => e.field === column);
        return outcome.ok && oracles.uscc!.meetsSpec(check.normalized);
      }),
      { numRuns: 1000 },
    );
  });

  it('never accepts a row missing a required field', () => {
    fc.assert(
      fc.property(fc.constantFrom(...rows), fc.constantFrom(...required), fc.constantFrom('', ' ', '\u3000'), (row, field, blank) => {
        const outcome = validator.validate({ ...row, [field]: blank }, 2);
        return !outcome.ok && outcome.errors.some((e) => e.field === field && e.code === 'REQUIRED');
      }),
      { numRuns: 300 },
    );
  });
});

// ---------------------------------------------------------------------------------------------

describe('catalog parser', () => {
  const demo = demoCatalog();

  it('is stable: a parsed catalog parses to itself, and padding names and labels changes nothing', () => {
    const parsed = parseCatalog(demo);
    expect(parsed.ok).toBe(true);
    const catalog = (parsed as { catalog: Catalog }).catalog;
    expect(parseCatalog(structuredClone(catalog))).toEqual(parsed);
    fc.assert(
      fc.property(fc.nat(), fc.constantFrom(' ', '\u3000', '\n'), (n, pad) => {
        const doc = structuredClone(demo);
        const target = doc.items[n % doc.items.length]!;
        target.name = `${pad}${target.name}${pad}`;
        const field = target.fields[n % target.fields.length]!;
        field.label = `${pad}${field.label}${pad}`;
        return JSON.stringify(parseCatalog(doc)) === JSON.stringify(parsed);
      }),
      { numRuns: 100 },
    );
  });

  // each breaks a rule of the catalog schema (core/catalog.ts); the parser must refuse every one
  const breakers: Record<string, (c: Catalog, n: number) => void> = {
    DUPLICATE_CODE: (c, n) => c.items.push({ ...c.items[n % c.items.length]! }),
    UNKNOWN_PROVIDER: (c, n) => (c.items[n % c.items.length]!.provider = 'SH-NOBODY'),
    KEY_FIELD: (c, n) => (c.items[n % c.items.length]!.keyField = 'noSuchField'),
    ENUM_VALUES_MISSING: (c, n) => {
      const f = c.items[n % c.items.length]!.fields[0]!;
      f.type = 'enum';
      delete f.values;
      delete f.maxLength;
    },
    LOWER_CASE_CODE: (c, n) => (c.items[n % c.items.length]!.code = c.items[n % c.items.length]!.code.toLowerCase()),
    CODE_WITH_SLASH: (c, n) => (c.providers[n % c.providers.length]!.code = 'SH/AMR'),
    DUPLICATE_FIELD: (c, n) => {
      const fields = c.items[n % c.items.length]!.fields;
      fields.push({ ...fields[0]!, label: `${fields[0]!.label}2` });
    },
    UNKNOWN_ITEM_IN_APPLICATION: (c) => c.applications![0]!.items.push('NO-SUCH-ITEM'),
    EMPTY_LABEL: (c, n) => (c.items[n % c.items.length]!.fields[0]!.label = ' \u3000 '),
  };

  it('refuses every catalog that breaks a rule, naming a problem', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(breakers)), fc.nat(), (rule, n) => {
        const doc = structuredClone(demo);
        breakers[rule]!(doc, n);
        const r = parseCatalog(doc);
        return !r.ok && r.problems.length > 0;
      }),
      { numRuns: 300 },
    );
  });
});
