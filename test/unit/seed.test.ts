import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { parseCatalog, type Catalog } from '#core/catalog';
import { orgCodeOfUscc, validateIdNumber, validateOrgCode, validateRegNo, validateUscc } from '#core/identifiers';
import { ISSUED_INVALID_USCC } from '#core/issued-invalid-codes';
import { compileItem, mapHeader } from '#core/row-validator';
import { demoFiles, type DemoFile } from '#local/seed/demo-files';
import { columnsFor, companies, generateRows, mulberry32, persons, rowsFor, socialOrgs, toCsv } from '#local/seed/generate';

const TODAY = '2026-11-26';
const parsed = parseCatalog(JSON.parse(readFileSync(join(import.meta.dirname, '../../local/seed/demo-catalog.json'), 'utf8')));
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
const catalog: Catalog = parsed.catalog;
const itemOf = (code: string) => catalog.items.find((i) => i.code === code)!;

describe('generators', () => {
  it('mulberry32 is deterministic and in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(xs).size).toBeGreaterThan(990);
  });

  it('companies carry a consistent, valid registry entry and are unique', () => {
    const list = companies(300, 7);
    for (const c of list) {
      expect(validateUscc(c.uscc)).toMatchObject({ ok: true, warnings: [] });
      expect(validateRegNo(c.regNo).ok).toBe(true);
      expect(validateOrgCode(c.orgCode).ok).toBe(true);
      expect(c.orgCode).toBe(orgCodeOfUscc(c.uscc));
      expect(c.uscc.slice(0, 2)).toBe(c.partyType === '个体工商户' ? '92' : '91');
    }
    for (const key of ['uscc', 'regNo', 'name'] as const) expect(new Set(list.map((c) => c[key])).size).toBe(300);
    expect(companies(300, 7)).toEqual(list);
    expect(companies(5, 8)[0]!.uscc).not.toBe(list[0]!.uscc);
  });

  it('social organisations have USCC prefix 51 and a certificate number', () => {
    for (const o of socialOrgs(40, 3)) {
      expect(validateUscc(o.uscc).ok).toBe(true);
      expect(o.uscc.startsWith('51')).toBe(true);
      expect(o.socOrgCertNo).toMatch(/^沪社证字第\d{5}号$/);
    }
  });

  it('persons have valid, distinct ID numbers', () => {
    const list = persons(2000, 11);
    expect(new Set(list.map((p) => p.idNumber)).size).toBe(2000);
    for (const p of list) expect(validateIdNumber(p.idNumber, { today: TODAY }).ok).toBe(true);
  });

  it('rows are deterministic, valid for their item, and broken exactly where it says', () => {
    for (const item of catalog.items) {
      const count = item.code === 'AMR-REGISTRATION' || item.code === 'TAX-A-GRADE' || item.code === 'VOLUNTEER-ORG-RATING' ? 50 : 80;
      const rows = generateRows(item.code, catalog, count, 5, { invalidRate: 0.2 });
      expect(generateRows(item.code, catalog, count, 5, { invalidRate: 0.2 })).toEqual(rows);
      const validator = compileItem(item, { today: TODAY, overrides: ISSUED_INVALID_USCC });
      const keys = new Set<string>();
      rows.forEach((r, i) => {
        const outcome = validator.validate(r.values, i + 2);
        expect(outcome.ok, `${item.code} row ${i}: ${JSON.stringify(outcome)}`).toBe(!r.invalid);
        if (outcome.ok) {
          expect(keys.has(outcome.value.key), `${item.code} duplicate key ${outcome.value.key}`).toBe(false);
          keys.add(outcome.value.key);
        } else {
          const expected = r.invalid === 'CHECKSUM' ? 'CHECKSUM' : r.invalid === 'DATE' ? 'DATE' : r.invalid === 'ENUM' ? 'ENUM' : 'REQUIRED';
          expect(outcome.errors.map((e) => e.code)).toContain(expected);
        }
      });
      const broken = rows.filter((r) => r.invalid).length;
      expect(broken, item.code).toBeGreaterThan(0);
      expect(broken, item.code).toBeLessThan(count * 0.45);
    }
  });

  it('the invalid rate does not change the content of the rows left valid', () => {
    const clean = rowsFor('AMR-PENALTY', catalog, 40, 9);
    const mixed = generateRows('AMR-PENALTY', catalog, 40, 9, { invalidRate: 0.3 });
    mixed.forEach((r, i) => {
      if (!r.invalid) expect(r.values).toEqual(clean[i]);
    });
  });
});

describe('toCsv', () => {
  it('quotes per RFC 4180 and round-trips', () => {
    const rows = [
      { a: 'plain', b: 'has,comma', c: 'has "quote"' },
      { a: 'line\nbreak', b: ' edge ', c: '' },
    ];
    const text = toCsv(['a', 'b', 'c'], rows);
    expect(text).toBe('a,b,c\r\nplain,"has,comma","has ""quote"""\r\n"line\nbreak"," edge ",\r\n');
    expect(parse(text, { columns: true })).toEqual(rows);
  });

  it('writes Chinese labels when asked', () => {
    const item = itemOf('AMR-PENALTY');
    const header = toCsv(['partyName', 'partyUscc', 'fineWan'], [], { labels: true, item }).trim();
    expect(header).toBe('行政相对人名称,统一社会信用代码,罚款金额（万元）');
    expect(() => toCsv(['nope'], [], { labels: true, item })).toThrow(/nope/);
  });
});

function readRows(file: DemoFile, catalog: Catalog): Array<Record<string, unknown>> {
  const item = catalog.items.find((i) => i.code === file.item)!;
  if (file.fileName.endsWith('.jsonl')) {
    return file.body
      .toString('utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  }
  const gb = file.fileName.includes('gb18030');
  const text = gb ? iconv.decode(file.body, 'gb18030') : file.body.toString('utf8');
  const records = parse(text) as string[][];
  const header = mapHeader(item, records[0]!);
  if (!header.ok) throw new Error(`${file.fileName}: ${JSON.stringify(header.errors)}`);
  return records.slice(1).map((r) => Object.fromEntries(header.keys.map((k, i) => [k, r[i]])));
}

describe('demo files', () => {
  const files = demoFiles(catalog);

  it('cover every item, are deterministic, and start with the registrations', () => {
    expect(new Set(files.map((f) => f.item))).toEqual(new Set(catalog.items.map((i) => i.code)));
    expect(files[0]).toMatchObject({ provider: 'SH-AMR', item: 'AMR-REGISTRATION' });
    expect(files.at(-1)).toMatchObject({ item: 'AMR-REGISTRATION', fileName: '2026-11-registrations-supplement.csv' });
    expect(demoFiles(catalog).map((f) => f.body.toString('base64'))).toEqual(files.map((f) => f.body.toString('base64')));
    for (const f of files) expect(f.provider).toBe(itemOf(f.item).provider);
  });

  it('include a GB18030 file with Chinese headers, a BOM file and a JSON Lines file with native types', () => {
    const gb = files.find((f) => f.fileName.includes('gb18030'))!;
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gb.body)).toThrow();
    expect(iconv.decode(gb.body, 'gb18030').startsWith('行政相对人名称,')).toBe(true);
    expect(files[0]!.body.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const jsonl = files.find((f) => f.fileName.endsWith('.jsonl'))!;
    const first = JSON.parse(jsonl.body.toString('utf8').split('\n')[0]!);
    expect(typeof first.partyName).toBe('string');
    expect(typeof first.arrearsWan).toBe('number');
    expect(Array.isArray(first.taxType)).toBe(true);
  });

  it('are coherent: the facts of a penalty name its own subject, a simple-procedure fine stays within its cap', () => {
    let checked = 0;
    for (const file of files) {
      if (!itemOf(file.item).fields.some((f) => f.key === 'facts')) continue;
      for (const r of readRows(file, catalog)) {
        if (!r.partyName || !r.facts) continue;
        expect(String(r.facts), file.fileName).toContain(`当事人${String(r.partyName)}于`);
        if (r.procedureType === '简易程序') expect(Number(r.fineWan || 0), file.fileName).toBeLessThanOrEqual(0.3);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('every header maps, valid rows validate and only the intended rows are rejected', () => {
    let rejected = 0;
    for (const file of files) {
      const item = itemOf(file.item);
      const validator = compileItem(item, { today: TODAY, overrides: ISSUED_INVALID_USCC });
      const rows = readRows(file, catalog);
      expect(rows.length, file.fileName).toBeGreaterThanOrEqual(10);
      expect(rows.length, file.fileName).toBeLessThanOrEqual(400);
      rows.forEach((row, i) => {
        const outcome = validator.validate(row, i + 2);
        expect(outcome.ok, `${file.fileName} row ${i + 2}: ${JSON.stringify(outcome)}`).toBe(!file.invalidRows.includes(i));
      });
      rejected += file.invalidRows.length;
    }
    expect(rejected).toBeGreaterThan(10);
  });

  it('name some penalised companies only by registration number, some known to the registry and some registered later', () => {
    const registered = new Set(readRows(files[0]!, catalog).map((r) => r.partyRegNo));
    const late = new Set(readRows(files.at(-1)!, catalog).map((r) => r.partyRegNo));
    const penalties = readRows(files.find((f) => f.item === 'AMR-PENALTY')!, catalog);
    const byRegNoOnly = penalties.filter((r) => !r.partyUscc && r.partyRegNo);
    expect(byRegNoOnly.filter((r) => registered.has(r.partyRegNo)).length).toBeGreaterThan(10);
    expect(byRegNoOnly.filter((r) => late.has(r.partyRegNo)).length).toBeGreaterThanOrEqual(5);
    expect(registered.size).toBe(200);
  });

  it('carry legacy 15-digit ID numbers in natural-person files', () => {
    const natural = files.filter((f) => itemOf(f.item).subjectType === 'NATURAL' && f.fileName.endsWith('.csv'));
    const ids = natural.flatMap((f) => readRows(f, catalog).map((r) => String(r.personIdNo)));
    expect(ids.some((id) => id.length === 15)).toBe(true);
  });

  it('use the standard columns for their item', () => {
    for (const item of catalog.items) expect(columnsFor(item).slice(0, 2)).toEqual(['partyName', 'partyType']);
  });
});
