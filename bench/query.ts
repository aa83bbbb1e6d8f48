/**
 * npm run bench:query — profile-query latency against the raw DynamoDB Query measured in the same run.
 *
 * Seeds SUBJECTS companies with 20 AMR-PENALTY records each, written straight into DynamoDB Local with the
 * item shape ingest writes (BatchWriteItem through the same adapter). Then QUERIES profile queries
 * `GET /v1/subjects/legal/{uscc}?purpose=PENALTY` as gov SH-EPB through the local HTTP API (access
 * decision, partition read, filtering, query-log append, HTTP), one at a time, each paired with the
 * same partition Query issued straight to DynamoDB Local; the two alternate so both see the same store.
 * Both are warmed up first. Results are printed and written to docs/benchmarks.md.
 * QUERIES=... and SUBJECTS=... override the counts.
 */
import { cpus, loadavg } from 'node:os';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { companies, generateRows } from '#local/seed/generate';
import { publishDemoCatalog, startTestPlatform } from '../test/support/platform.ts';
import { benchRecord } from './bench-records.ts';
import { writeSection } from './benchmarks-doc.ts';

const QUERIES = Number(process.env.QUERIES ?? 2_000);
const SUBJECTS = Number(process.env.SUBJECTS ?? 500);
const RECORDS = 20;
const WARMUP = 100;
const ITEM = 'AMR-PENALTY';
const PROVIDER = 'SH-AMR';

const fmt = (n: number) => n.toLocaleString('en-US');
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function main() {
  const p = await startTestPlatform({});
  try {
    const catalog = await publishDemoCatalog(p);
    const item = catalog.items.find((i) => i.code === ITEM)!;
    const subjects = companies(SUBJECTS, 7001);
    const sample = generateRows(ITEM, catalog, RECORDS * 10, 7001).map((g) => g.values);
    const now = new Date().toISOString();
    const items = subjects.flatMap((c, s) =>
      Array.from({ length: RECORDS }, (_, j) => {
        const v = sample[(s + j) % sample.length]!;
        const key = `QB-${s}-${j}`;
        return benchRecord(PROVIDER, item, { uscc: c.uscc, name: c.name }, key, v, { batchId: 'bench-query', row: j + 2, at: now });
      }),
    );
    // imported after the platform has set the emulator endpoints, as the handlers are
    const { batchPut } = await import('#adapters/batch-io');
    const { ddb } = await import('#adapters/clients');
    const { tableName } = await import('#adapters/config');
    let t = performance.now();
    await batchPut(items, 'bench');
    const seedMs = performance.now() - t;
    console.log(`seeded ${fmt(SUBJECTS)} subjects × ${RECORDS} records in ${(seedMs / 1000).toFixed(1)} s`);

    const token = await p.as('gov', 'SH-EPB');
    const table = tableName('legalSubjects');
    const raw = async (uscc: string) => {
      const out = await ddb.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': uscc } }));
      if ((out.Items?.length ?? 0) !== RECORDS) throw new Error(`raw query of ${uscc} returned ${out.Items?.length}`);
    };
    const api = async (uscc: string) => {
      const res = await fetch(`${p.url}/v1/subjects/legal/${uscc}?purpose=PENALTY&ref=BENCH`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await res.json()) as { records?: unknown[] };
      if (res.status !== 200 || body.records?.length !== RECORDS) throw new Error(`API query of ${uscc}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
    };
    const time = async (f: () => Promise<void>) => {
      const t0 = performance.now();
      await f();
      return performance.now() - t0;
    };
    for (let i = 0; i < WARMUP; i++) {
      const uscc = subjects[i % SUBJECTS]!.uscc;
      await raw(uscc);
      await api(uscc);
    }
    const rawMs: number[] = [];
    const apiMs: number[] = [];
    t = performance.now();
    for (let i = 0; i < QUERIES; i++) {
      const uscc = subjects[(i * 7919) % SUBJECTS]!.uscc;
      // alternate which goes first, so neither always runs right after the other's writes
      if (i % 2) {
        rawMs.push(await time(() => raw(uscc)));
        apiMs.push(await time(() => api(uscc)));
      } else {
        apiMs.push(await time(() => api(uscc)));
        rawMs.push(await time(() => raw(uscc)));
      }
    }
    const totalMs = performance.now() - t;
    rawMs.sort((a, b) => a - b);
    apiMs.sort((a, b) => a - b);
    report({ subjects: SUBJECTS, queries: QUERIES, rawP50: pct(rawMs, 50), rawP99: pct(rawMs, 99), apiP50: pct(apiMs, 50), apiP99: pct(apiMs, 99), totalMs });
  } finally {
    await p.stop();
  }
}

function report(r: { subjects: number; queries: number; rawP50: number; rawP99: number; apiP50: number; apiP99: number; totalMs: number }) {
  const ratio = r.apiP50 / r.rawP50;
  const ms = (n: number) => n.toFixed(2);
  const lines = [
    `| measurement | p50 ms | p99 ms | p50 ratio | goal |`,
    `|---|---:|---:|---:|---|`,
    `| DynamoDB Query of the partition, straight to DynamoDB Local (baseline) | ${ms(r.rawP50)} | ${ms(r.rawP99)} | 1.00 | |`,
    `| \`GET /v1/subjects/legal/{uscc}?purpose=PENALTY\` as gov, local HTTP API | ${ms(r.apiP50)} | ${ms(r.apiP99)} | ${ratio.toFixed(2)} | ≤ 3.00 ${ratio <= 3 ? '✔' : '✘'} |`,
  ];
  const section = [
    `## Query (\`npm run bench:query\`)`,
    '',
    `Last run ${new Date().toISOString()} on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(
        ' / ',
      )} at the end (1/5/15 min; the 2 cores are shared with other work, which slows both sides of the ratio): ${fmt(r.queries)} profile queries, one at a time, over ${fmt(r.subjects)} companies with ${RECORDS} AMR-PENALTY records each (all 20 served), each paired with the same partition Query sent straight to DynamoDB Local; both warmed up with ${WARMUP} queries first. The API figure includes the access decision, the catalog, the budget charge (an UpdateItem, sent with the partition Query), the query-log entry and its chain link (one TransactWriteItems once the container knows the day's chain head) and HTTP + JSON on both ends.`,
    '',
    ...lines,
    '',
  ].join('\n');
  console.log(`\n${lines.join('\n')}\n(${(r.totalMs / 1000).toFixed(1)} s for the timed loop)`);
  writeSection('## Query (', section);
}

await main();
