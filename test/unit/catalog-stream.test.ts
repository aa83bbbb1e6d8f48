/** Streamed catalog validation (issue 16 part 3) and the reference catalog generator. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseCatalog, type CatalogProblem } from '#core/catalog';
import { CatalogSyntaxError, checkCatalogStream, chunksOf } from '#core/catalog-stream';
import { REFERENCE, referenceCatalog } from '#local/seed/reference-catalog';

const demo = () => JSON.parse(readFileSync(join(import.meta.dirname, '../../local/seed/demo-catalog.json'), 'utf8')) as Record<string, any>;
const sorted = (ps: CatalogProblem[]) => ps.map((p) => `${p.path} ${p.code} ${p.message}`).sort();
const stream = (doc: unknown, size = 97) => chunksOf(Buffer.from(JSON.stringify(doc)), size);

describe('streamed catalog check', () => {
  it('accepts the demo catalog, in small chunks and gzipped', async () => {
    const plain = await checkCatalogStream(stream(demo()));
    expect(plain.problems).toEqual([]);
    expect([plain.items, plain.providers, plain.version]).toEqual([18, 8, '2026.1']);
    const gz = await checkCatalogStream(chunksOf(gzipSync(JSON.stringify(demo())), 50));
    expect(gz.problems).toEqual([]);
  });

  it('reports exactly the problems parseCatalog reports, with the same paths', async () => {
    const doc = demo();
    doc.items[2].provider = 'NOBODY';
    doc.items[3].fields[0].type = 'colour';
    doc.items[4].code = doc.items[5].code;
    doc.items[6].severity = 'SERIOUS';
    doc.items[6].polarity = 'POSITIVE';
    doc.items[7].extra = 1;
    doc.items.push('not an item');
    doc.items[8].keyField = 'noSuchField';
    doc.applications[0].items.push('NO-SUCH-ITEM');
    doc.behaviours[0].trigger.items = ['NO-SUCH-ITEM'];
    doc.surplus = true;
    delete doc.version;
    const whole = parseCatalog(doc);
    expect(whole.ok).toBe(false);
    const expected = whole.ok ? [] : whole.problems;
    expect(expected.length).toBeGreaterThan(8);
    const streamed = await checkCatalogStream(stream(doc, 61));
    expect(sorted(streamed.problems)).toEqual(sorted(expected));
  });

  it('items that are not a list are reported as parseCatalog does', async () => {
    const doc = { ...demo(), items: { a: 1 } };
    const whole = parseCatalog(doc);
    expect(sorted((await checkCatalogStream(stream(doc))).problems)).toEqual(sorted(whole.ok ? [] : whole.problems));
  });

  it('refuses a document that is not JSON, not an object, or cut off', async () => {
    await expect(checkCatalogStream(chunksOf(Buffer.from('{"version": "x", "items": [')))).rejects.toBeInstanceOf(CatalogSyntaxError);
    await expect(checkCatalogStream(chunksOf(Buffer.from('[1, 2]')))).rejects.toBeInstanceOf(CatalogSyntaxError);
    await expect(checkCatalogStream(chunksOf(Buffer.from('{"version": tru}')))).rejects.toBeInstanceOf(CatalogSyntaxError);
    await expect(checkCatalogStream(chunksOf(Buffer.alloc(0)))).rejects.toBeInstanceOf(CatalogSyntaxError);
  });
});

describe('reference catalog', () => {
  it('has the reference sizes, is valid, and is the same on every call', async () => {
    const { catalog, units } = referenceCatalog();
    expect(catalog.providers).toHaveLength(REFERENCE.providers);
    expect(catalog.items).toHaveLength(REFERENCE.items);
    expect(catalog.items.filter((i) => i.subjectType === 'LEGAL')).toHaveLength(REFERENCE.legal);
    expect(catalog.items.filter((i) => i.subjectType === 'NATURAL')).toHaveLength(REFERENCE.natural);
    const districtCodes = new Set(catalog.providers.filter((p) => p.kind === 'DISTRICT_GOVERNMENT').map((p) => p.code));
    expect(districtCodes.size).toBe(16);
    expect(catalog.items.filter((i) => districtCodes.has(i.provider))).toHaveLength(REFERENCE.district);
    expect(catalog.items.filter((i) => !districtCodes.has(i.provider))).toHaveLength(REFERENCE.municipal);
    expect(catalog.matters).toHaveLength(REFERENCE.matters);
    expect(new Set(catalog.matters!.map((m) => m.unit)).size).toBe(REFERENCE.matterUnits);
    expect(units).toHaveLength(REFERENCE.providers);
    const parsed = parseCatalog(catalog);
    expect(parsed.ok ? [] : parsed.problems.slice(0, 5)).toEqual([]);
    expect(JSON.stringify(referenceCatalog().catalog)).toBe(JSON.stringify(catalog));
    const bytes = Buffer.byteLength(JSON.stringify(catalog));
    expect(bytes / catalog.items.length).toBeGreaterThan(600); // items of realistic size (≈ 800 bytes, as the demo's)
    const streamed = await checkCatalogStream(chunksOf(gzipSync(JSON.stringify(catalog))));
    expect(streamed.problems).toEqual([]);
    expect(streamed.items).toBe(REFERENCE.items);
  }, 120_000);
});
