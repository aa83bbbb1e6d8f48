/**
 * Statistics, the annual report, the national export, the joint list clock, record expiry and the
 * request routes (bulk-check and eligibility validation, the own report, the public search and
 * summary, authorizations; the release of held records and the index backfill) read
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
/** A company with AMR-PENALTY (public double-publicity) records. */
let penalised: string;
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
    if (code === 'AMR-PENALTY') penalised = rows[0]!.partyUscc!;
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

  it('read none of it: the check and eligibility routes, the own report, public search and summary, authorizations, held release, index backfill', async () => {
    const { wholeCatalogReadCount } = await import('#adapters/catalog-repo');
    const before = wholeCatalogReadCount();
    const uscc = penalised;
    const gov = await p.as('gov', 'SH-EPB');
    const started = await p.api('POST', '/v1/checks', {
      token: gov,
      body: { subjectType: 'LEGAL', ids: [uscc], purpose: 'PENALTY', items: ['AMR-PENALTY'], ref: 'CATALOG-READS' },
    });
    expect(started.status, started.text).toBe(202);
    const unknown = await p.api('POST', '/v1/checks', {
      token: gov,
      body: { subjectType: 'LEGAL', ids: [uscc], purpose: 'PENALTY', items: ['PSB-DRUNK-DRIVING'], ref: 'C-2' },
    });
    expect(unknown.json.error.code).toBe('UNKNOWN_ITEM');
    for (let i = 0; i < 120; i++) {
      const check = await p.api('GET', `/v1/checks/${started.json.checkId}`, { token: gov });
      if (check.json.status === 'COMPLETED') break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const eligible = await p.api('POST', '/v1/eligibility', { token: admin, body: { ruleSet: 'FUNDING_GOOD_CREDIT', ids: [uscc] } });
    expect(eligible.status, eligible.text).toBe(200);
    const me = await p.token({ role: 'subject', subject: { type: 'LEGAL', id: uscc } });
    const report = await p.api('GET', '/v1/me/report', { token: me });
    expect(report.status, report.text).toBe(200);
    expect(report.json.records.length).toBeGreaterThan(0);
    const byUscc = await p.api('GET', `/v1/public/publicity?type=PENALTY&q=${uscc}`);
    expect(byUscc.status, byUscc.text).toBe(200);
    const byName = await p.api('GET', `/v1/public/publicity?type=PENALTY&q=${encodeURIComponent('上海')}`);
    expect(byName.status, byName.text).toBe(200);
    const summary = await p.api('GET', `/v1/public/subjects/${uscc}`);
    expect(summary.status, summary.text).toBe(200);
    expect(summary.json.publicity.PENALTY.count).toBe(byUscc.json.results.length);
    const grant = await p.api('POST', '/v1/authorizations', {
      token: me,
      body: { grantee: 'SH-EPB', purpose: 'PENALTY', items: ['AMR-PENALTY'], expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
    });
    expect(grant.status, grant.text).toBe(201);
    const { releaseHeld } = await import('../../functions/ingest/release-held.ts');
    const held = { pk: 'HOLD#REG#NONE', sk: 'x', recordId: 'r-none', provider: 'SH-AMR', item: 'AMR-PENALTY', holdKeys: ['REG#NONE'] };
    expect(await releaseHeld([held as unknown as Parameters<typeof releaseHeld>[0][number]])).toBe(0);
    const { backfillIndexKeys } = await import('../../functions/housekeeping/expiry-keys.ts');
    expect((await backfillIndexKeys()).finished).toBe(true);
    expect(wholeCatalogReadCount()).toBe(before);
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
