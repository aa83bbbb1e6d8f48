/**
 * The demo uploads `SEED=demo` puts through the normal upload path: one or more files for every
 * catalog item, in the order they should arrive. They show the platform's range on purpose:
 * registrations first (they fill the registry), penalties naming companies by registration number
 * only (linked through the registry, or held unlinked until a later registration arrives), a
 * GB18030 spreadsheet export with Chinese headers, a JSON Lines file, legacy 15-digit ID numbers,
 * and a few broken rows so receipts show rejections.
 */
import iconv from 'iconv-lite';
import type { Catalog, InfoItem } from '#core/catalog';
import { columnsFor, companies, generateRows, persons, toCsv, type Company, type GeneratedRow } from './generate.ts';

export interface DemoFile {
  provider: string;
  item: string;
  fileName: string;
  body: Buffer;
  /** 0-based indexes (among data rows) of the rows broken on purpose. */
  invalidRows: number[];
}

const REGISTERED = 200; // companies in the first registration file
const LATE = 10; // companies registered only by the last file

const ROW_COUNTS: Readonly<Record<string, number>> = {
  'AMR-PENALTY': 150,
  'AMR-LICENSING': 120,
  'AMR-ABNORMAL': 40,
  'TAX-ARREARS': 60,
  'TAX-A-GRADE': 80,
  'COURT-JUDGMENT': 50,
  'WATER-ARREARS': 40,
  'HRSS-WAGE-ARREARS': 20,
  'VOLUNTEER-ORG-RATING': 30,
};
const DEFAULT_ROWS = 60;
const INVALID_RATE = 0.04;
const SEED = 2026;

export function demoFiles(catalog: Catalog): DemoFile[] {
  const registry = companies(REGISTERED + LATE, SEED);
  const known = registry.slice(0, REGISTERED);
  const people = persons(300, SEED);
  const files: DemoFile[] = [];
  const itemOf = (code: string) => catalog.items.find((i) => i.code === code);

  const registration = itemOf('AMR-REGISTRATION');
  if (registration) files.push(csvFile(registration, '2026-10-registrations.csv', registrationRows(catalog, known, 1), { bom: true }));

  catalog.items.forEach((item, index) => {
    if (item.code === 'AMR-REGISTRATION') return;
    const seed = SEED + index + 1;
    const count = ROW_COUNTS[item.code] ?? DEFAULT_ROWS;
    const subjects = item.subjectType === 'NATURAL' ? people : item.keyField === 'partySocOrgCertNo' ? undefined : known;
    const rows = generateRows(item.code, catalog, count, seed, { invalidRate: INVALID_RATE, subjects });

    switch (item.code) {
      case 'AMR-PENALTY':
        files.push(csvFile(item, '2026-11-penalties.csv', penaltiesByRegNo(rows, known, registry.slice(REGISTERED)), { bom: false }));
        return;
      case 'AMR-LICENSING': {
        const text = toCsv(
          columnsFor(item),
          rows.map((r) => r.values),
          { labels: true, item },
        );
        files.push({
          provider: item.provider,
          item: item.code,
          fileName: '2026-11-licences-gb18030.csv',
          body: iconv.encode(text, 'gb18030'),
          invalidRows: invalidIndexes(rows),
        });
        return;
      }
      case 'TAX-ARREARS':
        files.push(jsonlFile(item, '2026-11-tax-arrears.jsonl', rows));
        return;
      default:
        if (item.subjectType === 'NATURAL') legacyIds(rows);
        files.push(csvFile(item, `2026-11-${item.code.toLowerCase()}.csv`, rows, { bom: false }));
    }
  });

  // Registering the late companies links the penalties that named them by registration number.
  if (registration)
    files.push(csvFile(registration, '2026-11-registrations-supplement.csv', registrationRows(catalog, registry.slice(REGISTERED), 2), { bom: true }));
  return files;
}

function registrationRows(catalog: Catalog, subjects: Company[], seed: number): GeneratedRow[] {
  return generateRows('AMR-REGISTRATION', catalog, subjects.length, SEED * 10 + seed, { subjects });
}

/**
 * Every fifth penalty names its company by registration number only; the last few name companies
 * that are registered only by the supplement file, so they stay unlinked until it arrives.
 */
function penaltiesByRegNo(rows: GeneratedRow[], known: Company[], late: Company[]): GeneratedRow[] {
  rows.forEach((row, i) => {
    if (row.invalid) return;
    const v = row.values;
    if (i >= rows.length - late.length) {
      const c = late[rows.length - 1 - i]!;
      Object.assign(v, { partyName: c.name, partyType: c.partyType, partyUscc: '', partyRegNo: c.regNo, legalRepName: c.legalRepName });
      // the facts were written for the row's first subject: they name the company the row now names
      if (v.facts !== undefined) v.facts = v.facts.replace(/^当事人.+?于/, `当事人${c.name}于`);
    } else if (i % 5 === 2) {
      const c = known.find((k) => k.uscc === v.partyUscc);
      if (c) Object.assign(v, { partyUscc: '', partyRegNo: c.regNo });
    }
  });
  return rows;
}

/** A few natural-person rows carry the legacy 15-digit number (born in the 1900s: drop '19' and the check character). */
function legacyIds(rows: GeneratedRow[]): void {
  rows.forEach((row, i) => {
    const id = row.values.personIdNo;
    if (row.invalid || i % 9 !== 4 || !id || id.slice(6, 8) !== '19') return;
    row.values.personIdNo = id.slice(0, 6) + id.slice(8, 17);
  });
}

function invalidIndexes(rows: GeneratedRow[]): number[] {
  const out: number[] = [];
  rows.forEach((r, i) => {
    if (r.invalid) out.push(i);
  });
  return out;
}

function csvFile(item: InfoItem, fileName: string, rows: GeneratedRow[], opts: { bom: boolean }): DemoFile {
  const text = toCsv(
    columnsFor(item),
    rows.map((r) => r.values),
  );
  return {
    provider: item.provider,
    item: item.code,
    fileName,
    body: Buffer.from(opts.bom ? `\uFEFF${text}` : text, 'utf8'),
    invalidRows: invalidIndexes(rows),
  };
}

/** JSON Lines with native JSON types: numbers for integer/decimal fields, lists for set fields, blanks omitted. */
function jsonlFile(item: InfoItem, fileName: string, rows: GeneratedRow[]): DemoFile {
  const types = new Map(item.fields.map((f) => [f.key, f.type]));
  const lines = rows.map(({ values }) => {
    const obj: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(values)) {
      if (v === '') continue;
      const type = types.get(k);
      if ((type === 'integer' || type === 'decimal') && v.trim() !== '' && Number.isFinite(Number(v))) obj[k] = Number(v);
      else if (type === 'set') obj[k] = v.split(/[;；、]/);
      else obj[k] = v;
    }
    return JSON.stringify(obj);
  });
  return { provider: item.provider, item: item.code, fileName, body: Buffer.from(`${lines.join('\n')}\n`, 'utf8'), invalidRows: invalidIndexes(rows) };
}
