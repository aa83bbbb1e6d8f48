/** A stray control character rejects its row (CONTROL_CHARACTER, field named); only a mostly binary file fails whole. */
import { describe, expect, it } from 'vitest';
import { BINARY_CONTROL_SHARE, looksBinary } from '#core/encoding';
import { readFileSync } from 'node:fs';
import type { Catalog } from '#core/catalog';
import { jsonlRecords } from '../../functions/ingest/chunk-records.ts';

const catalog = JSON.parse(readFileSync(new URL('../../local/seed/demo-catalog.json', import.meta.url), 'utf8')) as Catalog;

describe('looksBinary', () => {
  const text = Buffer.from('partyName,facts\r\n上海示例有限公司,罚款\r\n'.repeat(50));
  it('keeps a text file with one NUL or BEL in a cell', () => {
    expect(looksBinary(Buffer.concat([text, Buffer.from('x,fine\u0000here\u0007\r\n')]))).toBeNull();
  });
  it('fails a sample that is mostly control bytes, naming the share', () => {
    expect(looksBinary(Buffer.alloc(1000))).toMatch(/^100% of the file's first 1000 bytes are control bytes/);
    const over = Buffer.concat([text, Buffer.alloc(Math.ceil(text.length * BINARY_CONTROL_SHARE * 1.2), 1)]);
    expect(looksBinary(over)).toMatch(/control bytes/);
  });
  it('does not count tab, line breaks and form feed as control bytes', () => {
    expect(looksBinary(Buffer.from('a\tb\r\n\f'.repeat(100)))).toBeNull();
  });
});

describe('JSON Lines with a raw control character in a string', () => {
  it('parses the line so the validator can name the field', () => {
    const msg = { chunk: { index: 0, start: 0, end: 0, firstRow: 1, rows: 2 } } as never;
    const item = catalog.items.find((i) => i.code === 'AMR-PENALTY')!;
    const out = jsonlRecords(Buffer.from('{"partyName":"上海\u0000公司"}\n{"partyName":\u0001}\n'), msg, item);
    expect(JSON.stringify(out[0])).not.toMatch(/not valid JSON/);
    expect(out[0]!.raw).toEqual({ partyName: '上海\u0000公司' });
    // a control byte outside a string is still not JSON
    expect(out[1]).toMatchObject({ errors: [{ code: 'FORMAT', message: expect.stringMatching(/not valid JSON/) }] });
  });
});
