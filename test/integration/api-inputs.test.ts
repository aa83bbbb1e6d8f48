/**
 * Bad requests get a specific 4xx, never a 500, and change nothing: the catalog API, the upload
 * API and the receipt routes, over HTTP against the local platform. Plus the file shapes the
 * scanner must read right: JSON Lines, CR-only line ends, quoted line breaks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '#core/catalog';
import { columnsFor, rowsFor, toCsv } from '#local/seed/generate';
import { demoCatalog, publishDemoCatalog, startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
let catalog: Catalog;

beforeAll(async () => {
  p = await startTestPlatform();
});

afterAll(async () => {
  await p?.stop();
});

describe('catalog API', () => {
  it('refuses an invalid document whole, listing every problem, and publishes nothing', async () => {
    const admin = await p.as('admin');
    const broken = demoCatalog() as unknown as { items: Array<Record<string, unknown>>; providers: unknown[] };
    broken.items[0]!.provider = 'NO-SUCH-PROVIDER';
    broken.items[1]!.keyField = 'noSuchField';
    broken.items[2]!.recordClass = 'GOSSIP';
    const res = await p.api('PUT', '/v1/catalog', { token: admin, body: broken });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('INVALID_CATALOG');
    const paths = res.json.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['items[0].provider', 'items[1].keyField', 'items[2].recordClass']));
    expect((await p.api('GET', '/v1/catalog', { token: admin })).status).toBe(404);
  });

  it('refuses non-JSON, non-admins and a second publication of the same version', async () => {
    const admin = await p.as('admin');
    expect((await p.api('PUT', '/v1/catalog', { token: admin, body: '{not json' })).json.error.code).toBe('INVALID_JSON');
    const asProvider = await p.api('PUT', '/v1/catalog', { token: await p.as('provider', 'SH-AMR'), body: demoCatalog() });
    expect(asProvider.status).toBe(403);
    catalog = await publishDemoCatalog(p);
    const again = await p.api('PUT', '/v1/catalog', { token: admin, body: catalog });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('VERSION_EXISTS');
    const versions = await p.api('GET', '/v1/catalog/versions', { token: await p.as('gov', 'SH-EPB') });
    expect(versions.json.versions.map((v: { version: string }) => v.version)).toEqual([catalog.version]);
  });
});

describe('upload API', () => {
  it('answers every bad request with a specific error', async () => {
    const amr = await p.as('provider', 'SH-AMR');
    const cases: Array<[unknown, number, string]> = [
      [{ item: 'NO-SUCH-ITEM', fileName: 'a.csv' }, 404, 'UNKNOWN_ITEM'],
      [{ item: 'TAX-ARREARS', fileName: 'a.csv' }, 403, 'NOT_YOUR_ITEM'],
      [{ item: 'AMR-PENALTY', fileName: '../../etc/passwd.csv' }, 400, 'INVALID_FILE_NAME'],
      [{ item: 'AMR-PENALTY', fileName: 'report.xlsx' }, 400, 'UNSUPPORTED_FORMAT'],
      [{ item: 'AMR-PENALTY' }, 400, 'VALIDATION_FAILED'],
      [{ item: 'AMR-PENALTY', fileName: 'a.csv', extra: 1 }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of cases) {
      const res = await p.api('POST', '/v1/uploads', { token: amr, body });
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.json.error.code).toBe(code);
      expect(res.json.error.message).toMatch(/[\u4e00-\u9fff]{3}/); // a Chinese message by default
    }
    expect((await p.api('POST', '/v1/uploads', { token: await p.as('gov', 'SH-EPB'), body: { item: 'AMR-PENALTY', fileName: 'a.csv' } })).status).toBe(403);
    expect((await p.api('POST', '/v1/uploads', { body: { item: 'AMR-PENALTY', fileName: 'a.csv' } })).status).toBe(401);
    expect((await p.api('GET', '/v1/batches/nope', { token: amr })).json.error.code).toBe('NOT_FOUND');
    expect((await p.api('GET', '/v1/batches?from=yesterday', { token: amr })).status).toBe(400);
    expect((await p.api('GET', '/v1/batches?provider=SH-TAX', { token: amr })).status).toBe(403);
  });
});

describe('file shapes', () => {
  it('reads JSON Lines with typed values and reports bad lines by line number', async () => {
    const rows = rowsFor('TAX-ARREARS', catalog, 3, 91);
    const lines = rows.map((r) => JSON.stringify({ ...r, arrearsWan: Number(r.arrearsWan), taxType: r.taxType!.split(/[;；、]/) }));
    lines.splice(1, 0, '{"partyName": "broken"', '[1,2,3]');
    const id = await p.upload('SH-TAX', 'TAX-ARREARS', 'arrears.jsonl', lines.join('\n') + '\n');
    const r = await p.receipt(id);
    expect(r, JSON.stringify(r.errors)).toMatchObject({ status: 'COMPLETED', rows: 5, accepted: 3, rejected: 2 });
    expect(r.errors.map((e: { row: number; code: string }) => [e.row, e.code])).toEqual([
      [2, 'FORMAT'],
      [3, 'FORMAT'],
    ]);
  });

  it('reads CR-only line ends and line breaks inside quoted fields', async () => {
    const item = catalog.items.find((i) => i.code === 'AMR-PENALTY')!;
    const rows = rowsFor('AMR-PENALTY', catalog, 4, 92).map((r, i): Record<string, string> => (i === 1 ? { ...r, facts: '第一行\n第二行, with "quotes"' } : r));
    const csv = toCsv(columnsFor(item), rows).replace(/\r\n/g, '\r');
    const r = await p.receipt(await p.upload('SH-AMR', 'AMR-PENALTY', 'mac-classic.csv', csv));
    expect(r).toMatchObject({ status: 'COMPLETED', rows: 4, accepted: 4, rejected: 0 });
    const file = await p.api('GET', `/v1/subjects/legal/${rows[1]!.partyUscc}`, { token: await p.as('admin') });
    const rec = file.json.records.find((x: { key: string }) => x.key === rows[1]!.decisionNo);
    expect(rec.fields.facts).toBe('第一行\n第二行, with "quotes"');
  });

  it('withdraws a record with op=delete and reports a delete of an unknown key', async () => {
    const item = catalog.items.find((i) => i.code === 'AMR-PENALTY')!;
    const rows = rowsFor('AMR-PENALTY', catalog, 2, 93);
    await p.receipt(await p.upload('SH-AMR', 'AMR-PENALTY', 'to-withdraw.csv', toCsv(columnsFor(item), rows)));
    const deletes = [
      { ...rows[0]!, op: 'delete' },
      { ...rows[1]!, decisionNo: '沪市监罚〔2020〕不存在号', op: 'delete' },
    ];
    const r = await p.receipt(await p.upload('SH-AMR', 'AMR-PENALTY', 'withdraw.csv', toCsv([...columnsFor(item), 'op'], deletes)));
    expect(r).toMatchObject({ status: 'COMPLETED', rows: 2, accepted: 1, rejected: 1 });
    expect(r.errors[0]).toMatchObject({ row: 3, code: 'NOT_FOUND' });
    const file = await p.api('GET', `/v1/subjects/legal/${rows[0]!.partyUscc}`, { token: await p.as('admin') });
    expect(file.json.records.find((x: { key: string }) => x.key === rows[0]!.decisionNo)).toBeUndefined();
  });
});
