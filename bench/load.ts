/**
 * npm run bench:load — a bounded load on loopback while an ingest runs.
 *
 * Seeds SUBJECTS companies with 20 AMR-PENALTY records each (the item shape ingest writes). Then:
 *   1. idle: a ROWS-row AMR-PENALTY file through the whole pipeline, nothing else running;
 *      then the nightly record-expiry run's unlisting of records no longer shown publicly, as on
 *      any day the platform runs (a third of the generated penalties are past their publicity
 *      period on arrival; the public search index is meant to hold only what is shown);
 *   2. loaded: another ROWS-row file while autocannon holds a fixed request rate against the
 *      profile query (`GET /v1/subjects/legal/{uscc}?purpose=PENALTY` as gov SH-EPB, cycling
 *      through the seeded companies) and the public double-publicity search.
 * Reports each endpoint's throughput, p50/p99 latency and error rate, the DynamoDB reads per call
 * (counted by an SDK middleware on the handlers' client), and the ingest throughput under load
 * against the idle run (goal: within 30%). Written to docs/benchmarks.md.
 * ROWS, SUBJECTS, PROFILE_RPS and SEARCH_RPS override the defaults.
 */
import { cpus, loadavg } from 'node:os';
import autocannon, { type Result } from 'autocannon';
import { columnsFor, companies, generateRows, toCsv } from '#local/seed/generate';
import { publishDemoCatalog, startTestPlatform, type TestPlatform } from '../test/support/platform.ts';
import { benchRecord } from './bench-records.ts';
import { writeSection } from './benchmarks-doc.ts';

const ROWS = Number(process.env.ROWS ?? 40_000);
const SUBJECTS = Number(process.env.SUBJECTS ?? 500);
const PROFILE_RPS = Number(process.env.PROFILE_RPS ?? 30);
const SEARCH_RPS = Number(process.env.SEARCH_RPS ?? 10);
/** Connections per endpoint: enough that the target rates are reached at the latencies measured under load. */
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 8);
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
  // autocannon is one client standing for the many who search; the per-client limit of the anonymous
  // routes (120 a minute, core/rate-limit) would answer most of its searches 429, so it is raised
  // here — every search still makes the limit's counting write
  const p = await startTestPlatform({ notifyEveryMs: 50, publicRateLimit: { limit: 1_000_000, windowSeconds: 60 } });
  try {
    const catalog = await publishDemoCatalog(p);
    const item = catalog.items.find((i) => i.code === ITEM)!;
    const subjects = companies(SUBJECTS, 9001);
    const sample = generateRows(ITEM, catalog, RECORDS * 10, 9001).map((g) => g.values);
    const at = new Date().toISOString();
    const seeded = subjects.flatMap((c, s) =>
      Array.from({ length: RECORDS }, (_, j) =>
        benchRecord(PROVIDER, item, { uscc: c.uscc, name: c.name }, `LB-${s}-${j}`, sample[(s + j) % sample.length]!, {
          batchId: 'bench-load',
          row: j + 2,
          at,
        }),
      ),
    );
    // imported after the platform has set the emulator endpoints, as the handlers are
    const { batchPut } = await import('#adapters/batch-io');
    await batchPut(seeded, 'bench');
    const files = [9101, 9102].map((seed) =>
      toCsv(
        columnsFor(item),
        generateRows(ITEM, catalog, ROWS, seed).map((g) => g.values),
      ),
    );
    console.log(`seeded ${fmt(seeded.length)} records; two ${fmt(ROWS)}-row files`);

    const reads = await countReads();
    const idleLoad = loadavg();
    const idle = await ingest(p, files[0]!, 'load-idle.csv');
    console.log(`idle ingest: ${fmt(Math.round(idle.rows / (idle.ms / 1000)))} rows/s`);

    // the nightly run, as if a night had passed since the data above arrived (not timed)
    const { expireRecords } = await import('../functions/housekeeping/record-expiry.ts');
    const { unlisted } = await expireRecords(new Date().toISOString());
    console.log(`unlisted ${fmt(unlisted)} records no longer shown publicly`);

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
          connections: CONNECTIONS,
          overallRate: rate,
          duration: 3600,
          requests: [{ method: 'GET', headers, setupRequest: (req) => ({ ...req, path: path() }) }],
        },
        (err, r) => (err ? failed(err) : done(r)),
      );
      return { stop: () => instance.stop(), result };
    };
    const profile = cannon('profile', PROFILE_RPS, () => `/v1/subjects/legal/${subjects[n++ % subjects.length]!.uscc}?purpose=PENALTY&ref=LOAD`, {
      authorization: `Bearer ${token}`,
    });
    const search = cannon('search', SEARCH_RPS, () => `/v1/public/publicity?type=PENALTY&q=${encodeURIComponent(prefixes[n++ % prefixes.length]!)}`);
    const results = Promise.all([profile.result, search.result]);
    const loadedLoad = loadavg();
    reads.reset();
    const loaded = await ingest(p, files[1]!, 'load-busy.csv');
    profile.stop();
    search.stop();
    const [profileResult, searchResult] = await results;
    report({
      idle,
      loaded,
      profile: profileResult,
      search: searchResult,
      reads: reads.counts(),
      load: { idle: idleLoad, loaded: loadedLoad },
      terms: prefixes,
      unlisted,
    });
  } finally {
    await p.stop();
  }
}

interface ReadCount {
  requests: number;
  entries: number;
}

/**
 * Counts the handlers' DynamoDB requests by what only one endpoint sends: byPublicity reads (the
 * public search), base-table Queries of legalSubjects and query-log PutItems (the profile query;
 * ingest reads and writes the subject table by BatchGet/BatchWrite only).
 */
async function countReads() {
  const { dynamo } = await import('#adapters/clients');
  const { tableName } = await import('#adapters/config');
  const [legal, queryLog] = [tableName('legalSubjects'), tableName('queryLog')];
  let c = { search: { requests: 0, entries: 0 }, profile: { requests: 0, entries: 0 }, logged: 0 };
  dynamo.middlewareStack.add(
    (next, context) => async (args) => {
      const out = await next(args);
      const input = args.input as { TableName?: string; IndexName?: string };
      const scanned = (out.output as { ScannedCount?: number }).ScannedCount ?? 0;
      const count = (r: ReadCount) => ((r.requests += 1), (r.entries += scanned));
      if (input.TableName === legal && input.IndexName === 'byPublicity') count(c.search);
      else if (context.commandName === 'QueryCommand' && input.TableName === legal && !input.IndexName) count(c.profile);
      // a query-log entry is one PutItem, or one TransactWriteItems with its chain link when the day's chain head is known
      else if (context.commandName === 'PutItemCommand' && input.TableName === queryLog) c.logged++;
      else if (
        context.commandName === 'TransactWriteItemsCommand' &&
        (args.input as { TransactItems?: Array<{ Put?: { TableName?: string } }> }).TransactItems?.some((t) => t.Put?.TableName === queryLog)
      )
        c.logged++;
      return out;
    },
    { step: 'initialize', name: 'benchLoadReads' },
  );
  return {
    reset: () => void (c = { search: { requests: 0, entries: 0 }, profile: { requests: 0, entries: 0 }, logged: 0 }),
    counts: () => c,
  };
}

function endpointRow(label: string, rate: number, r: Result): string {
  const total = r.requests.total;
  const failed = r.errors + r.timeouts + r.non2xx;
  return `| ${label} | ${rate} | ${fmt(total)} | ${r.requests.average.toFixed(1)} | ${r.latency.p50} | ${r.latency.p99} | ${total ? ((100 * failed) / total).toFixed(2) : '0.00'}% |`;
}

type Reads = ReturnType<Awaited<ReturnType<typeof countReads>>['counts']>;

function report(r: {
  idle: { ms: number; rows: number };
  loaded: { ms: number; rows: number };
  profile: Result;
  search: Result;
  reads: Reads;
  load: { idle: number[]; loaded: number[] };
  terms: string[];
  unlisted: number;
}) {
  const idleRate = r.idle.rows / (r.idle.ms / 1000);
  const loadedRate = r.loaded.rows / (r.loaded.ms / 1000);
  const ratio = loadedRate / idleRate;
  const perCall = (n: number, calls: number) => (calls ? (n / calls).toFixed(1) : '–');
  const searches = r.search.requests.total;
  const profiles = r.profile.requests.total;
  const lines = [
    `| endpoint under load | target req/s | requests | req/s | p50 ms | p99 ms | errors |`,
    `|---|---:|---:|---:|---:|---:|---:|`,
    endpointRow('`GET /v1/subjects/legal/{uscc}?purpose=PENALTY` (gov)', PROFILE_RPS, r.profile),
    endpointRow('`GET /v1/public/publicity?type=PENALTY&q=…` (no token)', SEARCH_RPS, r.search),
    '',
    `| DynamoDB per call, under load | requests | entries read |`,
    `|---|---:|---:|`,
    `| profile query: Query of the subject's partition (+ query-log write requests — entry and chain link in one TransactWriteItems, or PutItems when a concurrent query took the chain's next link: ${perCall(r.reads.logged, profiles)} a call) | ${perCall(r.reads.profile.requests, profiles)} | ${perCall(r.reads.profile.entries, profiles)} |`,
    `| public search: byPublicity index | ${perCall(r.reads.search.requests, searches)} | ${perCall(r.reads.search.entries, searches)} |`,
    '',
    `| ingest of ${fmt(ROWS)} AMR-PENALTY rows | rows/s | ratio | goal |`,
    `|---|---:|---:|---|`,
    `| idle (baseline) | ${fmt(Math.round(idleRate))} | 1.00 | |`,
    `| under the load above | ${fmt(Math.round(loadedRate))} | ${ratio.toFixed(2)} | ≥ 0.70 ${ratio >= 0.7 ? '✔' : '✘'} |`,
  ];
  const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(' / ');
  const short = [['the profile query', PROFILE_RPS, r.profile] as const, ['the public search', SEARCH_RPS, r.search] as const]
    .filter(([, rate, res]) => res.requests.average < 0.9 * rate)
    .map(([label, rate, res]) => `${label} ran at ${res.requests.average.toFixed(1)} of ${rate} req/s`);
  const section = [
    '## Load (`npm run bench:load`)',
    '',
    `Last run ${new Date().toISOString()} on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average ${load(r.load.idle)} before the idle ingest and ${load(r.load.loaded)} before the loaded one (1/5/15 min; the machine is shared, so other work shows in both): autocannon (${CONNECTIONS} connections per endpoint, fixed overall rates) against the local HTTP API while a ${fmt(ROWS)}-row file goes through the pipeline; ${fmt(SUBJECTS)} companies with ${RECORDS} records each are queried in turn, and the search asks for page 1 (20 results) of q = ${r.terms.join(', ')} — the name prefix every seeded company shares, the widest prefix search there is. Every profile query is logged; errors count failed, timed-out and non-2xx responses; the per-client limit of the anonymous routes is raised for autocannon's single client (each search still makes its counting write). The DynamoDB figures are counted by an SDK middleware on the handlers' client while the loaded ingest runs.`,
    '',
    ...lines,
    '',
    `A public search by name reads one page of the byPublicity index: one Query with Limit pageSize + 1 and an opaque cursor for the next page — not up to 1 MB of the prefix's partition. Before the page bound, on dynalite, a search of 上海 read ≈ 1,700 index entries (1.1 MB) in one request to return 20, about 0.3 s a search end to end on a quiet machine; at 10 searches a second next to a file being written, dynalite's single thread was saturated (profile p50 844 ms, ingest at 0.10 × idle). The index holds only what is shown: a record leaving ACTIVE loses its keys in the same write, and the nightly record-expiry run unlists records no longer shown — run here once after the idle ingest, as after any night (${fmt(r.unlisted)} records unlisted: the queried companies' records are seeded straight into the table with their index keys, and the generator dates about a third of them past their publicity period; rows that come through the pipeline already past their period never enter the index). A profile query is one Query of the subject's partition and the query-log write every query needs. Everything — the HTTP API, the handlers, the pipeline and autocannon — shares one Node process, and DynamoDB Local (Java, in memory) shares the same two cores; per request, the SDK and HTTP round trip to the emulator costs more than the entries read.`,
    ...(short.length
      ? [
          '',
          `Held short of its target rate: ${short.join('; ')} — ${CONNECTIONS} connections at these latencies deliver no more, so the load was lighter than asked for and the ingest ratio flatters it. Re-run on an idle machine before reading the ratio.`,
        ]
      : []),
    '',
  ].join('\n');
  console.log(`\n${lines.join('\n')}\n`);
  writeSection('## Load (', section);
}

await main();
