/**
 * Statistics, the annual report, the national export, the joint list clock and record expiry read
 * the catalog entries they need by key, or the item tally kept at publish time — never the whole
 * catalog (issue 16: ≈ 80 MB of heap at the reference size). The guard is the catalog adapter's
 * own count of whole-catalog reads; the figures that used to come from the whole catalog must come
 * out the same from the tally.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '#core/catalog';
import { shanghaiDay } from '#core/working-days';
import { columnsFor, companies, generateRows, toCsv } from '#local/seed/generate';
import { publishDemoCatalog, startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
let catalog: Catalog;
let admin: string;
const year = shanghaiDay(new Date()).slice(0, 4);

/** What counting the published items in code order gives (the report's figures before the tally). */
function countInCodeOrder<T extends string>(values: T[]) {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m].map(([key, n]) => ({ key, n }));
}

beforeAll(async () => {
  p = await startTestPlatform();
  catalog = await publishDemoCatalog(p);
  admin = await p.as('admin');
  for (const [code, seed] of [
    ['AMR-PENALTY', 1],
    ['TAX-ARREARS', 2],
  ] as const) {
    const item = catalog.items.find((i) => i.code === code)!;
    const rows = generateRows(code, catalog, 10, seed, { subjects: companies(5, 4242) }).map((g) => g.values);
    await p.receipt(await p.upload(item.provider, code, `${code}.csv`, toCsv(columnsFor(item), rows)));
  }
}, 180_000); // two uploads through the whole pipeline: over a minute on the shared 2-core machine

afterAll(async () => {
  await p?.stop();
});

describe('jobs and reports that used to read the whole catalog', () => {
  it('read none of it: statistics, the annual report, joint statistics, the export, the list clock, expiry', async () => {
    const { wholeCatalogReadCount } = await import('#adapters/catalog-repo');
    const before = wholeCatalogReadCount();
    for (const kind of ['ingestion', 'quality', 'publicity', 'queries', 'applications', 'objections']) {
      expect((await p.api('GET', `/v1/stats/${kind}?year=${year}`, { token: admin })).status).toBe(200);
    }
    expect((await p.api('GET', `/v1/reports/annual?year=${year}&format=json`, { token: admin })).status).toBe(200);
    expect((await p.api('GET', `/v1/joint/stats?year=${year}`, { token: admin })).status).toBe(200);
    await p.invoke('jointLists');
    await p.invoke('recordExpiry');
    const { runExport } = await import('../../functions/export/national-push.ts');
    const { nationalClient } = await import('#adapters/national-client');
    expect((await runExport({ runId: 'catalog-reads', trigger: 'API', client: await nationalClient(), lagMs: 0, leaseMs: 60_000 })).status).toBe('COMPLETED');
    expect(wholeCatalogReadCount()).toBe(before);
    // the guard sees a whole read when one happens
    const { currentCatalog } = await import('#adapters/catalog-repo');
    await currentCatalog();
    expect(wholeCatalogReadCount()).toBe(before + 1);
  }, 120_000);

  it('gives the item figures counting the items gave, from the tally kept at publish time', async () => {
    const inCodeOrder = [...catalog.items].sort((a, b) => (a.code < b.code ? -1 : 1));
    const report = (await p.api('GET', `/v1/reports/annual?year=${year}&format=json`, { token: admin })).json;
    expect(report.catalog.items).toBe(catalog.items.length);
    expect(report.catalog.itemsBySubjectType).toEqual(countInCodeOrder(inCodeOrder.map((i) => i.subjectType)));
    expect(report.catalog.itemsByClass).toEqual(countInCodeOrder(inCodeOrder.map((i) => i.recordClass)));
    const levelItems = report.byLevel.reduce((n: number, l: { items: number }) => n + l.items, 0);
    expect(levelItems).toBe(catalog.items.length);
    const publicity = (await p.api('GET', `/v1/stats/publicity?year=${year}`, { token: admin })).json;
    const withPublicity = catalog.items.filter((i) => i.publicity);
    expect(publicity.items).toEqual({
      PENALTY: withPublicity.filter((i) => i.publicity === 'PENALTY').length,
      LICENSING: withPublicity.filter((i) => i.publicity === 'LICENSING').length,
    });
    expect(publicity.providers).toBe(new Set(withPublicity.map((i) => i.provider)).size);
  }, 60_000);

  it('keeps the tally when one provider publishes its own list, and counts a version published before the tally existed', async () => {
    const { catalogTally, publishEntries, writeSnapshot } = await import('#adapters/catalog-repo');
    const { tallyTotal } = await import('#core/catalog-tally');
    const amr = catalog.items.filter((i) => i.provider === 'SH-AMR');
    const dropped = amr[0]!;
    // SH-AMR publishes its list without one item: only its groups change
    await publishEntries(
      {
        version: `${catalog.version}-amr`,
        sections: ['items'],
        entries: {},
        owner: 'SH-AMR',
        items: async (write) => write(amr.slice(1)),
        snapshot: () => writeSnapshot(`${catalog.version}-amr`, new Uint8Array()),
      },
      'test',
    );
    const tally = await catalogTally();
    expect(tallyTotal(tally)).toBe(catalog.items.length - 1);
    const amrGroups = Object.values(tally).filter((g) => g.provider === 'SH-AMR');
    expect(amrGroups.reduce((n, g) => n + g.n, 0)).toBe(amr.length - 1);
    // a version without its tally row is counted from its items, page by page, once
    const { DeleteCommand, QueryCommand } = await import('@aws-sdk/lib-dynamodb');
    const { ddb } = await import('#adapters/clients');
    const rows = await ddb.send(
      new QueryCommand({
        TableName: p.emulators.tables.catalog,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :t)',
        ExpressionAttributeValues: { ':pk': 'CATALOG', ':t': 'T#' },
      }),
    );
    for (const r of rows.Items ?? []) await ddb.send(new DeleteCommand({ TableName: p.emulators.tables.catalog, Key: { pk: r.pk, sk: r.sk } }));
    await publishEntries(
      {
        version: `${catalog.version}-amr2`,
        sections: ['items'],
        entries: {},
        owner: 'SH-AMR',
        items: async (write) => write(amr),
        snapshot: () => writeSnapshot(`${catalog.version}-amr2`, new Uint8Array()),
      },
      'test',
    );
    const back = await catalogTally();
    expect(tallyTotal(back)).toBe(catalog.items.length);
    expect(Object.values(back).find((g) => g.first === dropped.code)).toBeDefined();
  }, 60_000);
});
