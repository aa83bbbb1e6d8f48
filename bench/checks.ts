/**
 * npm run bench:checks — an 80,000-company bulk check end to end against BatchGetItem of the same
 * keys straight to dynalite, measured in the same run.
 *
 * Seeds one in ten of the companies with two AMR-PENALTY records each (the item shape ingest
 * writes, BatchWriteItem through the same adapter). Then:
 *   - the check: POST /v1/checks as gov SH-EPB for PENALTY, polled with GET /v1/checks/{id} until
 *     COMPLETED (S3 part inputs, SQS fan-out, process-check-part with 2 local pollers, every
 *     subject's partition read, the access decision, one query-log entry per subject, the part
 *     files and the merged result.csv / result.jsonl);
 *   - the baseline: BatchGetItem of the same 80,000 subject keys (pk = USCC, sk = REGISTRATION;
 *     100 keys a request, 8 requests in flight, as the adapter reads), half before the check and
 *     half after.
 * Results are printed and written to docs/benchmarks.md. IDS=... overrides the company count.
 */
import { cpus } from 'node:os';
import { companies, generateRows } from '#local/seed/generate';
import { publishDemoCatalog, startTestPlatform } from '../test/support/platform.ts';
import { benchRecord } from './bench-records.ts';
import { writeSection } from './benchmarks-doc.ts';

const IDS = Number(process.env.IDS ?? process.env.ROWS ?? 80_000);
const HIT_EVERY = 10;
const RECORDS_PER_HIT = 2;
const ITEM = 'AMR-PENALTY';
const PROVIDER = 'SH-AMR';
const POLLERS = 2;

const fmt = (n: number) => n.toLocaleString('en-US');

async function main() {
  const p = await startTestPlatform({ concurrency: { processCheckPart: POLLERS } });
  try {
    const catalog = await publishDemoCatalog(p);
    const item = catalog.items.find((i) => i.code === ITEM)!;
    const subjects = companies(IDS, 8001);
    const hits = subjects.filter((_, i) => i % HIT_EVERY === 0);
    const sample = generateRows(ITEM, catalog, 200, 8001).map((g) => g.values);
    const now = new Date().toISOString();
    const items = hits.flatMap((c, s) =>
      Array.from({ length: RECORDS_PER_HIT }, (_, j) => {
        const v = sample[(s + j) % sample.length]!;
        const key = `CB-${s}-${j}`;
        return benchRecord(PROVIDER, item, { uscc: c.uscc, name: c.name }, key, v, { batchId: 'bench-checks', row: j + 2, at: now });
      }),
    );
    // imported after the platform has set the emulator endpoints, as the handlers are
    const { batchGet, batchPut } = await import('#adapters/batch-io');
    let t = performance.now();
    await batchPut(items, 'bench');
    console.log(`seeded ${fmt(items.length)} records for ${fmt(hits.length)} of ${fmt(IDS)} companies in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const keys = subjects.map((c) => ({ table: 'legalSubjects' as const, pk: c.uscc, sk: 'REGISTRATION' }));
    // warm-up of both paths on a small slice, then the baseline's first half
    await batchGet(keys.slice(0, 1_000));
    t = performance.now();
    await batchGet(keys.slice(0, IDS / 2));
    let baselineMs = performance.now() - t;

    const token = await p.as('gov', 'SH-EPB');
    const ids = subjects.map((c) => c.uscc);
    t = performance.now();
    const started = await p.api('POST', '/v1/checks', { token, body: { subjectType: 'LEGAL', ids, purpose: 'PENALTY', ref: 'BENCH' } });
    if (started.status !== 202) throw new Error(`check refused: ${started.text.slice(0, 500)}`);
    const acceptedMs = performance.now() - t;
    let check: any;
    for (;;) {
      const res = await p.api('GET', `/v1/checks/${started.json.checkId}`, { token });
      if (res.status !== 200) throw new Error(`GET check: ${res.text.slice(0, 500)}`);
      check = res.json;
      if (check.status !== 'RUNNING') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const checkMs = performance.now() - t;
    if (
      check.status !== 'COMPLETED' ||
      check.total !== IDS ||
      check.done !== IDS ||
      check.hitSubjects !== hits.length ||
      check.negativeRecords !== items.length
    ) {
      throw new Error(`check did not complete as expected: ${JSON.stringify(check).slice(0, 800)}`);
    }

    t = performance.now();
    await batchGet(keys.slice(IDS / 2));
    baselineMs += performance.now() - t;

    // the floor any design meets while it logs every checked subject: the log entries alone,
    // written as the append-only log allows (one conditional PutItem each) and, for comparison,
    // as BatchWriteItem would (ruled out: it would also let the writer delete entries)
    const logged = await logEntriesOf(started.json.checkId);
    const floorItems = logged.map((e) => ({ ...e, pk: `FLOOR#${e.pk}` }));
    const { ddb } = await import('#adapters/clients');
    const { tableName } = await import('#adapters/config');
    const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
    const pMap = (await import('p-map')).default;
    t = performance.now();
    await pMap(floorItems, (Item) => ddb.send(new PutCommand({ TableName: tableName('queryLog'), Item, ConditionExpression: 'attribute_not_exists(pk)' })), {
      concurrency: 16,
    });
    const putFloorMs = performance.now() - t;
    t = performance.now();
    await batchPut(
      floorItems.map((item) => ({ table: 'queryLog' as const, item: { ...item, pk: `BATCH${item.pk}` } })),
      'bench',
    );
    const batchFloorMs = performance.now() - t;

    report({
      ids: IDS,
      hits: hits.length,
      records: items.length,
      parts: Math.ceil(IDS / 1_000),
      baselineMs,
      checkMs,
      acceptedMs,
      putFloorMs,
      batchFloorMs,
      logged: logged.length,
    });
  } finally {
    await p.stop();
  }
}

/** The query-log items the check wrote (one per checked subject), read back through the month index. */
async function logEntriesOf(checkId: string): Promise<Array<Record<string, unknown>>> {
  const { queryAll } = await import('#adapters/query-all');
  const { tableName } = await import('#adapters/config');
  const month = new Date().toISOString().slice(0, 7);
  const items = await queryAll({
    TableName: tableName('queryLog'),
    IndexName: 'byMonth',
    KeyConditionExpression: 'gsi2pk = :m',
    ExpressionAttributeValues: { ':m': `MONTH#${month}` },
  });
  return items.filter((item) => item.checkId === checkId);
}

const NOTE = [
  "Why the goal cannot be met while every checked subject is logged: the two floor rows time nothing but writing the query-log entries this very check wrote (one per subject, with the log's two statistics indexes), with no reads and no HTTP API in the way.",
  'Written the only way the append-only log allows — a conditional PutItem each, since a BatchWriteItem grant would also let the writer delete entries — they alone take many times the baseline; even written by BatchWriteItem they take more than twice the time of reading the same number of keys. A bulk check that logs each subject like a query therefore cannot come within 2× of BatchGetItem on this store, whatever it does for its reads.',
  "The rest of the gap is one Query per subject: the subject tables keep a subject's records in its partition and hold no per-subject marker, so which subjects have records cannot be probed with BatchGetItem (a marker written at ingest would cost a write per subject per file on the ingest path).",
].join(' ');

function report(r: {
  ids: number;
  hits: number;
  records: number;
  parts: number;
  baselineMs: number;
  checkMs: number;
  acceptedMs: number;
  putFloorMs: number;
  batchFloorMs: number;
  logged: number;
}) {
  const ratio = r.checkMs / r.baselineMs;
  const s = (ms: number) => (ms / 1000).toFixed(1);
  const lines = [
    `| measurement | seconds | ids/s | ratio | goal |`,
    `|---|---:|---:|---:|---|`,
    `| BatchGetItem of the same ${fmt(r.ids)} keys, straight to DynamoDB Local (baseline) | ${s(r.baselineMs)} | ${fmt(Math.round(r.ids / (r.baselineMs / 1000)))} | 1.00 | |`,
    `| bulk check, \`POST /v1/checks\` → \`GET /v1/checks/{id}\` COMPLETED | ${s(r.checkMs)} | ${fmt(Math.round(r.ids / (r.checkMs / 1000)))} | ${ratio.toFixed(2)} | ≤ 2.00 ${ratio <= 2 ? '✔' : '✘'} |`,
    `| floor: the check's ${fmt(r.logged)} query-log entries alone, one conditional PutItem each (16 in flight) | ${s(r.putFloorMs)} | ${fmt(Math.round(r.ids / (r.putFloorMs / 1000)))} | ${(r.putFloorMs / r.baselineMs).toFixed(2)} | |`,
    `| floor if batching were allowed: the same entries by BatchWriteItem (25 a request, 8 in flight) | ${s(r.batchFloorMs)} | ${fmt(Math.round(r.ids / (r.batchFloorMs / 1000)))} | ${(r.batchFloorMs / r.baselineMs).toFixed(2)} | |`,
  ];
  const section = [
    `## Checks (\`npm run bench:checks\`)`,
    '',
    `Last run ${new Date().toISOString()} on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}: a check of ${fmt(r.ids)} companies as gov SH-EPB for PENALTY (${fmt(r.parts)} parts, ${POLLERS} local process-check-part pollers; ${fmt(r.hits)} companies hold ${fmt(r.records)} AMR-PENALTY records, the rest none), end to end from the POST (accepted after ${s(r.acceptedMs)} s) until GET reports COMPLETED, result files written and one query-log entry per company. Baseline: BatchGetItem of the same ${fmt(r.ids)} keys, 100 a request and 8 in flight, half before the check and half after.`,
    '',
    ...lines,
    '',
    NOTE,
    '',
  ].join('\n');
  console.log(`\n${lines.join('\n')}\n`);
  writeSection('## Checks (', section);
}

await main();
