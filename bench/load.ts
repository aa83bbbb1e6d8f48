/**
 * npm run bench:load — a bounded load on loopback while an ingest runs.
 *
 * Seeds SUBJECTS companies with 20 AMR-PENALTY records each (the item shape ingest writes). Then:
 *   1. idle: a ROWS-row AMR-PENALTY file through the whole pipeline, nothing else running;
 *   2. loaded: another ROWS-row file while autocannon holds a fixed request rate against the
 *      profile query (`GET /v1/subjects/legal/{uscc}?purpose=PENALTY` as gov SH-EPB, cycling
 *      through the seeded companies) and the public double-publicity search.
 * Reports each endpoint's throughput, p50/p99 latency and error rate, and the ingest throughput
 * under load against the idle run (goal: within 30%). Written to docs/benchmarks.md.
 * ROWS, SUBJECTS, PROFILE_RPS and SEARCH_RPS override the defaults.
 */
import { cpus } from 'node:os';
import autocannon, { type Result } from 'autocannon';
import { columnsFor, companies, generateRows, toCsv } from '#local/seed/generate';
import { publishDemoCatalog, startTestPlatform, type TestPlatform } from '../test/support/platform.ts';
import { benchRecord } from './bench-records.ts';
import { writeSection } from './benchmarks-doc.ts';

const ROWS = Number(process.env.ROWS ?? 40_000);
const SUBJECTS = Number(process.env.SUBJECTS ?? 500);
const PROFILE_RPS = Number(process.env.PROFILE_RPS ?? 30);
const SEARCH_RPS = Number(process.env.SEARCH_RPS ?? 10);
const RECORDS = 20;
const ITEM = 'AMR-PENALTY';
const PROVIDER = 'SH-AMR';

const fmt = (n: number) => n.toLocaleString('en-US');

async function ingest(p: TestPlatform, csv: string, name: string): Promise<{ ms: number; rows: number }> {
  const t = performance.now();
  const batchId = await p.putObject(`incoming/${PROVIDER}/${ITEM}/${name}`, csv);
  const receipt = await p.receipt(batchId, 3_600_000);
  if (receipt.status !== 'COMPLETED' || receipt.rows !== ROWS) throw new Error(`ingest of ${name} did not complete: ${JSON.stringify(receipt).slice(0, 400)}`);
  return { ms: performance.now() - t, rows: receipt.rows };
}

async function main() {
  const p = await startTestPlatform({ notifyEveryMs: 50 });
  try {
    const catalog = await publishDemoCatalog(p);
    const item = catalog.items.find((i) => i.code === ITEM)!;
    const subjects = companies(SUBJECTS, 9001);
    const sample = generateRows(ITEM, catalog, RECORDS * 10, 9001).map((g) => g.values);
    const at = new Date().toISOString();
    const seeded = subjects.flatMap((c, s) =>
      Array.from({ length: RECORDS }, (_, j) => benchRecord(PROVIDER, item, { uscc: c.uscc, name: c.name }, `LB-${s}-${j}`, sample[(s + j) % sample.length]!, { batchId: 'bench-load', row: j + 2, at })),
    );
    // imported after the platform has set the emulator endpoints, as the handlers are
    const { batchPut } = await import('#adapters/batch-io');
    await batchPut(seeded, 'bench');
    const files = [9101, 9102].map((seed) => toCsv(columnsFor(item), generateRows(ITEM, catalog, ROWS, seed).map((g) => g.values)));
    console.log(`seeded ${fmt(seeded.length)} records; two ${fmt(ROWS)}-row files`);

    const idle = await ingest(p, files[0]!, 'load-idle.csv');
    console.log(`idle ingest: ${fmt(Math.round(idle.rows / (idle.ms / 1000)))} rows/s`);

    const token = await p.as('gov', 'SH-EPB');
    const prefixes = [...new Set(subjects.map((c) => c.name.slice(0, 2)))];
    let n = 0;
    const cannon = (title: string, rate: number, path: () => string, headers: Record<string, string> = {}) => {
      let done!: (r: Result) => void;
      let failed!: (e: unknown) => void;
      const result = new Promise<Result>((resolve, reject) => ((done = resolve), (failed = reject)));
      const instance = autocannon(
        {
          url: p.url,
          title,
          connections: 4,
          overallRate: rate,
          duration: 3600,
          requests: [{ method: 'GET', headers, setupRequest: (req) => ({ ...req, path: path() }) }],
        },
        (err, r) => (err ? failed(err) : done(r)),
      );
      return { stop: () => instance.stop(), result };
    };
    const profile = cannon('profile', PROFILE_RPS, () => `/v1/subjects/legal/${subjects[n++ % subjects.length]!.uscc}?purpose=PENALTY&ref=LOAD`, { authorization: `Bearer ${token}` });
    const search = cannon('search', SEARCH_RPS, () => `/v1/public/publicity?type=PENALTY&q=${encodeURIComponent(prefixes[n++ % prefixes.length]!)}`);
    const results = Promise.all([profile.result, search.result]);
    const loaded = await ingest(p, files[1]!, 'load-busy.csv');
    profile.stop();
    search.stop();
    const [profileResult, searchResult] = await results;
    report({ idle, loaded, profile: profileResult, search: searchResult });
  } finally {
    await p.stop();
  }
}

function endpointRow(label: string, rate: number, r: Result): string {
  const total = r.requests.total;
  const failed = r.errors + r.timeouts + r.non2xx;
  return `| ${label} | ${rate} | ${fmt(total)} | ${r.requests.average.toFixed(1)} | ${r.latency.p50} | ${r.latency.p99} | ${total ? ((100 * failed) / total).toFixed(2) : '0.00'}% |`;
}

function report(r: { idle: { ms: number; rows: number }; loaded: { ms: number; rows: number }; profile: Result; search: Result }) {
  const idleRate = r.idle.rows / (r.idle.ms / 1000);
  const loadedRate = r.loaded.rows / (r.loaded.ms / 1000);
  const ratio = loadedRate / idleRate;
  const lines = [
    `| endpoint under load | target req/s | requests | req/s | p50 ms | p99 ms | errors |`,
    `|---|---:|---:|---:|---:|---:|---:|`,
    endpointRow('`GET /v1/subjects/legal/{uscc}?purpose=PENALTY` (gov)', PROFILE_RPS, r.profile),
    endpointRow('`GET /v1/public/publicity?type=PENALTY&q=…` (no token)', SEARCH_RPS, r.search),
    '',
    `| ingest of ${fmt(ROWS)} AMR-PENALTY rows | rows/s | ratio | goal |`,
    `|---|---:|---:|---|`,
    `| idle (baseline) | ${fmt(Math.round(idleRate))} | 1.00 | |`,
    `| under the load above | ${fmt(Math.round(loadedRate))} | ${ratio.toFixed(2)} | ≥ 0.70 ${ratio >= 0.7 ? '✔' : '✘'} |`,
  ];
  const section = [
    '## Load (`npm run bench:load`)',
    '',
    `Last run ${new Date().toISOString()} on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}: autocannon (4 connections per endpoint, fixed overall rates) against the local HTTP API while a ${fmt(ROWS)}-row file goes through the pipeline; ${fmt(SUBJECTS)} companies with ${RECORDS} records each are queried in turn. Every profile query is logged; errors count failed, timed-out and non-2xx responses.`,
    '',
    ...lines,
    '',
  ].join('\n');
  console.log(`\n${lines.join('\n')}\n`);
  writeSection('## Load (', section);
}

await main();
