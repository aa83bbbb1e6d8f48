/**
 * Messages in Chinese with the catalog's labels (issue 18 part 7): row errors name the row and the
 * field's label, API errors carry a stable code and a Chinese message, English stays available
 * through Accept-Language, and the rejection CSV keeps the file's own column headers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import type { Catalog, InfoItem } from '#core/catalog';
import { columnsFor, rowsFor, toCsv } from '#local/seed/generate';
import { publishDemoCatalog, startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
let catalog: Catalog;
let penalty: InfoItem;
let batchId: string;

beforeAll(async () => {
  p = await startTestPlatform();
  catalog = await publishDemoCatalog(p);
  penalty = catalog.items.find((i) => i.code === 'AMR-PENALTY')!;
  const rows = rowsFor('AMR-PENALTY', catalog, 3, 1801);
  rows[0]!.fineWan = '-5'; // row 2: below the minimum
  rows[1]!.procedureType = '简易程序'; // row 3: a fine the simple procedure cannot carry
  rows[1]!.fineWan = '0.5';
  rows[1]!.penaltyCategory = '罚款';
  rows[2]!.legalRepName = ''; // row 4: accepted, but the national format needs 法定代表人 for a company
  // the header as a provider's spreadsheet writes it: the catalog's labels
  const csv = toCsv(columnsFor(penalty), rows, { labels: true, item: penalty });
  batchId = await p.upload('SH-AMR', 'AMR-PENALTY', 'penalties-labels.csv', csv);
  await p.receipt(batchId);
}, 120_000);

afterAll(async () => {
  await p?.stop();
});

describe('row errors', () => {
  it('are Chinese by default, with the row and the field label', async () => {
    const amr = await p.as('provider', 'SH-AMR');
    const r = (await p.api('GET', `/v1/batches/${batchId}`, { token: amr })).json;
    expect(r).toMatchObject({ status: 'COMPLETED', rows: 3, accepted: 1, rejected: 2 });
    const below = r.errors.find((e: any) => e.row === 2);
    expect(below).toEqual({ row: 2, field: 'fineWan', code: 'RANGE', message: '第 2 行「罚款金额（万元）」：应为不小于 0 的数字，实际为 "-5"' });
    const simple = r.errors.find((e: any) => e.row === 3);
    expect(simple).toMatchObject({ field: 'fineWan', code: 'CROSS_FIELD' });
    expect(simple.message).toContain('简易程序');
    expect(simple.message).toContain('0.3 万元');
  });

  it('the receipt says at once which accepted rows the national push will hold back', async () => {
    const amr = await p.as('provider', 'SH-AMR');
    const r = (await p.api('GET', `/v1/batches/${batchId}`, { token: amr })).json;
    expect(r.heldBack).toBe(1);
    expect(r.heldBackRows).toEqual([
      { row: 4, reason: '第 4 行：已接收，但在更正前不推送国家平台（双公示）：缺少「法定代表人」，国家平台要求法人和个体工商户填写' },
    ]);
    const en = (await p.api('GET', `/v1/batches/${batchId}`, { token: amr, headers: { 'accept-language': 'en' } })).json;
    expect(en.heldBackRows).toEqual([{ row: 4, reason: expect.stringMatching(/_FRDB: .*legalRepName/) }]);
  });

  it('are English when Accept-Language prefers English', async () => {
    const amr = await p.as('provider', 'SH-AMR');
    const r = (await p.api('GET', `/v1/batches/${batchId}`, { token: amr, headers: { 'accept-language': 'en-US,en;q=0.9,zh;q=0.5' } })).json;
    expect(r.errors.find((e: any) => e.row === 2)).toEqual({ row: 2, field: 'fineWan', code: 'RANGE', message: 'fineWan -5 is less than the minimum 0' });
    expect(JSON.stringify(r)).not.toContain('messageZh');
  });

  it('come back in the rejection CSV under the file’s own column headers, in Chinese', async () => {
    const amr = await p.as('provider', 'SH-AMR');
    const res = await p.api('GET', `/v1/batches/${batchId}/rejections`, { token: amr });
    expect(res.status).toBe(200);
    const table = parse(res.text, { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(Object.keys(table[0]!)).toEqual([
      ...columnsFor(penalty).map((k) => penalty.fields.find((f) => f.key === k)?.label ?? expect.any(String)),
      '行号',
      '出错字段',
      '错误代码',
      '错误说明',
    ]);
    expect(Object.keys(table[0]!)).toContain('罚款金额（万元）');
    expect(Object.keys(table[0]!)).not.toContain('fineWan');
    const below = table.find((r) => r['行号'] === '2')!;
    // the cell is written back as uploaded, with the quote that keeps a spreadsheet from reading it as a formula
    expect(below).toMatchObject({
      '罚款金额（万元）': "'-5",
      出错字段: '罚款金额（万元）',
      错误代码: 'RANGE',
      错误说明: '第 2 行「罚款金额（万元）」：应为不小于 0 的数字，实际为 "-5"',
    });

    const english = await p.api('GET', `/v1/batches/${batchId}/rejections`, { token: amr, headers: { 'accept-language': 'en' } });
    expect(english.text.replace(/^\uFEFF/, '').split('\r\n')[0]).toMatch(/^partyName,.*,fineWan,.*,row,field,code,message$/);
  });
});

describe('API errors', () => {
  it('carry a stable code and a Chinese message; English on request', async () => {
    const amr = await p.as('provider', 'SH-AMR');
    const zh = await p.api('POST', '/v1/uploads', { token: amr, body: { item: 'NO-SUCH-ITEM', fileName: 'a.csv' } });
    expect(zh.status).toBe(404);
    expect(zh.json.error).toEqual({ code: 'UNKNOWN_ITEM', message: '目录中没有这个信息项', details: [] });
    const en = await p.api('POST', '/v1/uploads', { token: amr, body: { item: 'NO-SUCH-ITEM', fileName: 'a.csv' }, headers: { 'accept-language': 'en' } });
    expect(en.json.error.code).toBe('UNKNOWN_ITEM');
    expect(en.json.error.message).toMatch(/NO-SUCH-ITEM/);

    const invalid = await p.api('POST', '/v1/uploads', { token: amr, body: { item: 'AMR-PENALTY' } });
    expect(invalid.json.error.code).toBe('VALIDATION_FAILED');
    expect(invalid.json.error.message).toBe('请求参数不符合要求：body.fileName');

    const noRoute = await p.api('GET', '/v1/no-such-route', { token: amr });
    expect(noRoute.json.error).toMatchObject({ code: 'NOT_FOUND', message: '没有这个接口地址' });
  });
});
