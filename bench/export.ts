/**
 * npm run bench:export — a national export run against a plain HTTP loop measured in the same run.
 *
 * Seeds RECORDS changed double-publicity records (half AMR-PENALTY, half AMR-LICENSING) straight
 * into dynalite with the item shape ingest writes, change-marked. Then one export run
 * (functions/export/run-export.ts, in process, as the exportRun function runs it) reads them from
 * the change index, maps and validates each record, sends signed batches of 500 to the local
 * stand-in national platform, writes one outbox item per batch and moves the watermarks. The
 * baseline replays exactly the batches the run sent (as new versions, so the stand-in validates
 * and stores every record again) with a plain signed-POST loop at the same concurrency.
 * RECORDS=... overrides the count. Results are printed and written to docs/benchmarks.md.
 */
import { cpus, loadavg } from 'node:os';
import pMap from 'p-map';
import { changeKeys } from '#core/change-marker';
import { ENV } from '#lib/platform';
import { companies, generateRows } from '#local/seed/generate';
import { publishDemoCatalog, startTestPlatform } from '../test/support/platform.ts';
import { benchRecord } from './bench-records.ts';
import { writeSection } from './benchmarks-doc.ts';

const RECORDS = Number(process.env.RECORDS ?? 100_000);
const ITEMS = ['AMR-PENALTY', 'AMR-LICENSING'] as const;
const PROVIDER = 'SH-AMR';
const SUBJECTS = 5_000;
const CONCURRENCY = 4; // the run's (run-export.ts): shards read and sent in parallel

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** Both sides may repeat a request the server dropped (a reused keep-alive socket it had closed). */
async function post(endpoint: string, body: string, signature: string): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(endpoint, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-signature': signature } });
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}

async function main() {
  // measure throughput, not timeouts: the machine may be busy, and a retried batch would count twice
  process.env[ENV.nationalTimeoutMs] ??= '60000';
  const p = await startTestPlatform({});
  try {
    const catalog = await publishDemoCatalog(p);
    const today = new Date().toISOString().slice(0, 10);
    const firms = companies(SUBJECTS, 9101);
    const at = new Date(Date.now() - 60_000).toISOString();
    const items = ITEMS.flatMap((code) => {
      const item = catalog.items.find((i) => i.code === code)!;
      const sample = generateRows(code, catalog, 2_000, 9102, { subjects: firms, until: today });
      return Array.from({ length: RECORDS / ITEMS.length }, (_, i) => {
        const row = sample[i % sample.length]!.values;
        const firm = firms[i % SUBJECTS]!;
        const seeded = benchRecord(PROVIDER, item, { uscc: firm.uscc, name: firm.name }, `${code}-${i}`, row, { batchId: 'bench-export', row: i + 2, at });
        Object.assign(seeded.item, { party: { partyType: firm.partyType, legalRepName: firm.legalRepName }, ...changeKeys(seeded.item, at) });
        return seeded;
      });
    });
    const { batchPut } = await import('#adapters/batch-io');
    let t = performance.now();
    await batchPut(items, 'bench');
    const seedMs = performance.now() - t;
    console.log(`seeded ${fmt(items.length)} change-marked records in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const { nationalClient, signBody } = await import('#adapters/national-client');
    const { runExport } = await import('../functions/export/run-export.ts');
    const client = await nationalClient();
    const sent: string[] = [];
    const recording = { send: (batchId: string, records: Parameters<typeof client.send>[1]) => (sent.push(JSON.stringify({ batchId, records })), client.send(batchId, records)) };

    const load = loadavg();
    t = performance.now();
    const run = await runExport({ runId: 'bench-export-run', trigger: 'API', client: recording, lagMs: 1_000, leaseMs: 300_000 });
    const runMs = performance.now() - t;
    if (run.status !== 'COMPLETED' || run.counts.accepted !== RECORDS) throw new Error(`the run ended ${run.status}: ${JSON.stringify(run.counts)} ${run.reason ?? ''}`);
    const held = p.national.records().length;
    if (held !== RECORDS) throw new Error(`the stand-in holds ${held} records, expected ${RECORDS}`);

    // the same batches as new versions (seq + 1, new idempotency keys), so nothing is answered from the cache
    const replay = sent.map((body) => {
      const batch = JSON.parse(body) as { batchId: string; records: Array<{ seq: number; idempotencyKey: string }> };
      for (const r of batch.records) {
        r.seq += 1;
        r.idempotencyKey = `${r.idempotencyKey}:replay`;
      }
      return JSON.stringify(batch);
    });
    const endpoint = process.env[ENV.nationalEndpoint]!;
    const secret = process.env[ENV.localNationalSecret]!;
    let accepted = 0;
    t = performance.now();
    await pMap(
      replay,
      async (body) => {
        const res = await post(endpoint, body, signBody(secret, body));
        const out = (await res.json()) as { results: Array<{ status: string }> };
        accepted += out.results.filter((r) => r.status === 'ACCEPTED').length;
      },
      { concurrency: CONCURRENCY },
    );
    const loopMs = performance.now() - t;
    if (accepted !== RECORDS) throw new Error(`the plain loop got ${accepted} acceptances, expected ${RECORDS}`);

    // the floor under the run on this emulator: reading the same change-index pages, nothing else
    const { changePages, SHARDS, SUBJECT_TABLES } = await import('#adapters/export-repo');
    let read = 0;
    t = performance.now();
    await pMap(
      SUBJECT_TABLES.flatMap((table) => SHARDS.map((shard) => ({ table, shard }))),
      async ({ table, shard }) => {
        for await (const page of changePages(table, shard, '', '\uffff')) read += page.length;
      },
      { concurrency: CONCURRENCY },
    );
    const readMs = performance.now() - t;
    if (read !== RECORDS) throw new Error(`read ${read} change-index entries, expected ${RECORDS}`);
    report({ records: RECORDS, batches: sent.length, runMs, loopMs, seedMs, readMs, load });
  } finally {
    await p.stop();
  }
}

function report(r: { records: number; batches: number; runMs: number; loopMs: number; seedMs: number; readMs: number; load: number[] }) {
  const runRate = r.records / (r.runMs / 1000);
  const loopRate = r.records / (r.loopMs / 1000);
  const ratio = runRate / loopRate;
  const lines = [
    `| measurement | records | seconds | records/s | ratio | goal |`,
    `|---|---:|---:|---:|---:|---|`,
    `| plain HTTP loop: the run's ${fmt(r.batches)} signed batches replayed, ${CONCURRENCY} in flight (baseline) | ${fmt(r.records)} | ${(r.loopMs / 1000).toFixed(1)} | ${fmt(loopRate)} | 1.00 | |`,
    `| export run: change index → map + validate → signed batches → one outbox item per batch + watermarks | ${fmt(r.records)} | ${(r.runMs / 1000).toFixed(1)} | ${fmt(runRate)} | ${ratio.toFixed(2)} | ≥ 0.70 ${ratio >= 0.7 ? '✔' : '✘'} |`,
    `| for reference: the run's change-index read alone (the same pages, ${CONCURRENCY} shards at a time, nothing sent) | ${fmt(r.records)} | ${(r.readMs / 1000).toFixed(1)} | ${fmt(r.records / (r.readMs / 1000))} | ${(r.loopMs / r.readMs).toFixed(2)} | |`,
  ];
  const section = [
    `## National export (\`npm run bench:export\`)`,
    '',
    `Last run ${new Date().toISOString()} on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average ${r.load.map((l) => l.toFixed(1)).join(' / ')} (1/5/15 min, shared machine, at the start of the run): ${fmt(r.records)} change-marked records (half AMR-PENALTY, half AMR-LICENSING) seeded straight into dynalite, then one export run to the local stand-in national platform, against the same ${fmt(r.batches)} batches sent by a plain signed-POST loop at the run's concurrency. Both include the stand-in's signature check, strict Version B validation and storage (it runs in the same process); the run also reads the change index, maps and validates every record, and writes one outbox item per batch and the watermarks.`,
    '',
    ...lines,
    '',
    `For scale: seeding the same records with plain BatchWriteItem calls into this dynalite took ${(r.seedMs / 1000).toFixed(1)} s (${fmt(r.records / (r.seedMs / 1000))} items/s). A run reads each record once from the change index and writes a handful of items per page of 500 (the batch's outbox item, the watermark, the lease, the counters), with per-record outbox items only for rejected and held records; the next page is read while the current one is sent.`,
    '',
  ].join('\n');
  console.log(`\n${lines.join('\n')}\n`);
  writeSection('## National export (', section);
}

await main();
