/**
 * npm run bench:scale — the reference-scale figures of issue 16 that this branch measures so far:
 * the record-expiry run against its work.
 *
 * Seeds RECORDS AMR-PENALTY records (the item shape ingest writes, with the byExpiry keys ingest
 * writes) over companies, of which EXPIRING_PERCENT are past the item's 5-year query period, then
 * runs the record-expiry job twice: the first run must read only the entries due (goal: entries
 * read ≤ 2 × records expired), the second nothing. For scale, the Scan the earlier design made is
 * counted too (items it read). Written to docs/benchmarks.md.
 */
import { cpus, loadavg } from 'node:os';
import { companies, generateRows } from '#local/seed/generate';
import { publishDemoCatalog, startTestPlatform } from '../test/support/platform.ts';
import { benchRecord } from './bench-records.ts';
import { writeSection } from './benchmarks-doc.ts';

const RECORDS = Number(process.env.RECORDS ?? 100_000);
const EXPIRING_PERCENT = Number(process.env.EXPIRING_PERCENT ?? 1);
const PER_SUBJECT = 20;
const ITEM = 'AMR-PENALTY';
const PROVIDER = 'SH-AMR';
const fmt = (n: number) => n.toLocaleString('en-US');
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

async function main() {
  // BENCH_DATA_DIR keeps DynamoDB Local's tables on disk (a million records outgrow an in-memory run's comfort)
  const p = await startTestPlatform(process.env.BENCH_DATA_DIR ? { dataDir: process.env.BENCH_DATA_DIR } : {});
  try {
    const catalog = await publishDemoCatalog(p);
    const item = catalog.items.find((i) => i.code === ITEM)!;
    const subjects = companies(Math.ceil(RECORDS / PER_SUBJECT), 1616);
    const sample = generateRows(ITEM, catalog, 200, 1616).map((g) => g.values);
    const every = Math.round(100 / EXPIRING_PERCENT);
    const at = new Date().toISOString();
    const { batchPut } = await import('#adapters/batch-io');
    const seedStart = performance.now();
    let due = 0;
    for (let from = 0; from < RECORDS; from += 10_000) {
      const slice = Array.from({ length: Math.min(10_000, RECORDS - from) }, (_, k) => {
        const n = from + k;
        const past = n % every === 0;
        if (past) due++;
        const values = { ...sample[n % sample.length]!, decisionDate: past ? daysAgo(6 * 366) : daysAgo(30 + (n % 300)), publicityUntil: daysAgo(-400) };
        const subject = subjects[Math.floor(n / PER_SUBJECT)]!;
        return benchRecord(PROVIDER, item, { uscc: subject.uscc, name: subject.name }, `SC-${n}`, values, { batchId: 'bench-scale', row: n + 2, at });
      });
      await batchPut(slice, 'bench');
    }
    const seedSeconds = (performance.now() - seedStart) / 1000;
    // the seeded records carry their stock mark; their count goes in as the backfill would put it
    const { ddb: db } = await import('#adapters/clients');
    const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
    const { stockKey, stockSk, STOCK_PK } = await import('#core/stock');
    await db.send(
      new UpdateCommand({
        TableName: p.emulators.tables.stats,
        Key: { pk: STOCK_PK, sk: stockSk(stockKey('LEGAL', item.recordClass), 0) },
        UpdateExpression: 'ADD n :n',
        ExpressionAttributeValues: { ':n': RECORDS },
      }),
    );
    console.log(`seeded ${fmt(RECORDS)} records (${fmt(due)} past their query period) in ${seedSeconds.toFixed(0)} s`);

    const { expireRecords } = await import('../functions/housekeeping/record-expiry.ts');
    const load = loadavg()[0]!;
    let t = performance.now();
    const first = await expireRecords(new Date().toISOString());
    const firstMs = performance.now() - t;
    t = performance.now();
    const second = await expireRecords(new Date().toISOString());
    const secondMs = performance.now() - t;
    console.log(`first run: ${JSON.stringify(first)} in ${firstMs.toFixed(0)} ms; second: ${JSON.stringify(second)} in ${secondMs.toFixed(0)} ms`);
    if (first.expired !== due) throw new Error(`expired ${first.expired}, expected ${due}`);
    const { readStock } = await import('#adapters/stock-repo');
    const stock = await readStock();
    if (stock.total !== RECORDS - due) throw new Error(`stock ${stock.total} after the run, expected ${RECORDS - due}`);

    const ratio = first.read / Math.max(1, first.expired);
    const section = `## Scale (\`npm run bench:scale\`)

Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} cores shared with other work (1-minute load average ${load.toFixed(1)} when the runs started), DynamoDB Local${process.env.BENCH_DATA_DIR ? ' with its tables on disk' : ' in memory'}.

**Record expiry against its work.** ${fmt(RECORDS)} AMR-PENALTY records in the legal-subject table, ${fmt(due)} (${EXPIRING_PERCENT} %) decided six years ago, past the item's 5-year query period; every record written with its byExpiry keys as ingest writes them (seeded straight into the table, ${seedSeconds.toFixed(0)} s).

| run | entries read | records expired | time |
|---|---:|---:|---:|
| first | ${fmt(first.read)} | ${fmt(first.expired)} | ${(firstMs / 1000).toFixed(1)} s |
| second (nothing due) | ${fmt(second.read)} | ${fmt(second.expired)} | ${(secondMs / 1000).toFixed(2)} s |

Entries read per record expired: **${ratio.toFixed(2)}** (goal ≤ 2). Each expiry writes the record and its stock counter row in one transaction: the stock read back after the run is ${fmt(stock.total)} (${fmt(RECORDS)} seeded − ${fmt(due)} expired). The earlier design Scanned the subject tables every night — all ${fmt(RECORDS)} items here — and its \`IN\` filter over the items with a query period fails past 100 such items. The run reads the ${2 * 16} shard keys of both tables' byExpiry index up to today; an entry leaves that range with the write that expires it, so the second run reads nothing. The issue's figure is at 1,000,000 records (\`RECORDS=1000000 npm run bench:scale\`); seeding went at ${fmt(Math.round(RECORDS / seedSeconds))} records a second here, so that many would take ${(1_000_000 / (RECORDS / seedSeconds) / 60).toFixed(0)} minutes of seeding alone — the run's reads do not depend on it: they are the entries due, whatever the table holds.
`;
    writeSection('## Scale (', section);
    console.log(section);
  } finally {
    await p.stop();
  }
}

await main();
