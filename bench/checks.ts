/**
 * npm run bench:checks — an 80,000-company bulk check end to end against its floor, measured in the
 * same run (issue 16 part 6; goal: check ÷ floor ≤ 1.5).
 *
 * Seeds one in ten of the companies with two AMR-PENALTY records each (the item shape ingest
 * writes, BatchWriteItem through the same adapter). Then:
 *   - the check: POST /v1/checks as gov SH-EPB for PENALTY, polled with GET /v1/checks/{id} until
 *     COMPLETED (S3 part inputs, SQS fan-out, as many process-check-part pollers as the deployed
 *     event source's maxConcurrency (lib/manifest/checks.ts), every
 *     subject's partition read, the access decision, one query-log entry per subject, the part
 *     files and the merged result.csv / result.jsonl);
 *   - the floor: BatchGetItem of the same 80,000 subject keys (pk = USCC, sk = REGISTRATION; 100
 *     keys a request, 8 requests in flight, as the adapter reads), half before the check and half
 *     after, plus writing the same number of query-log entries — the very items the check wrote,
 *     under other keys — the cheapest way the append-only log allows: one conditional PutItem each,
 *     as many in flight as the check's pollers together (10 × 32; FLOOR_IN_FLIGHT=... overrides).
 * Results are printed and written to docs/benchmarks.md. IDS=... overrides the company count;
 * BATCH_FLOOR=0 skips the informative BatchWriteItem row (which the log's writers may not use).
 */
import { cpus, loadavg } from 'node:os';
import { companies, generateRows } from '#local/seed/generate';
import { FUNCTIONS } from '#lib/platform';
import { publishDemoCatalog, startTestPlatform } from '../test/support/platform.ts';
import { benchRecord } from './bench-records.ts';
import { writeSection } from './benchmarks-doc.ts';

const IDS = Number(process.env.IDS ?? process.env.ROWS ?? 80_000);
const HIT_EVERY = 10;
const RECORDS_PER_HIT = 2;
const ITEM = 'AMR-PENALTY';
const PROVIDER = 'SH-AMR';
/** As many process-check-part pollers as the deployed event source runs at once (its maxConcurrency). */
const POLLERS = (FUNCTIONS.processCheckPart.trigger as { maxConcurrency: number }).maxConcurrency;
/** In flight per appender (adapters/query-log-repo APPEND_CONCURRENCY): the floor writes as the check's pollers together may. */
const APPEND_IN_FLIGHT = 32;
const FLOOR_IN_FLIGHT = Number(process.env.FLOOR_IN_FLIGHT ?? POLLERS * APPEND_IN_FLIGHT);
const BATCH_FLOOR = process.env.BATCH_FLOOR !== '0';

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

    const loadBefore = loadavg()[0]!;
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

    // the floor's writes: the query-log entries this check wrote, under other keys, written the
    // cheapest way the append-only log allows (a conditional PutItem each) and, for comparison
    // only, as BatchWriteItem would (ruled out: its grant would also let the writer delete entries)
    const logged = await logEntriesOf(started.json.checkId);
    if (logged.length !== IDS) throw new Error(`the check logged ${logged.length} subjects, expected ${IDS}`);
    const floorItems = logged.map((e) => ({ ...e, pk: `FLOOR#${e.pk}` }));
    const { ddb } = await import('#adapters/clients');
    const { tableName } = await import('#adapters/config');
    const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
    const pMap = (await import('p-map')).default;
    t = performance.now();
    await pMap(floorItems, (Item) => ddb.send(new PutCommand({ TableName: tableName('queryLog'), Item, ConditionExpression: 'attribute_not_exists(pk)' })), {
      concurrency: FLOOR_IN_FLIGHT,
    });
    const putFloorMs = performance.now() - t;
    let batchFloorMs: number | undefined;
    if (BATCH_FLOOR) {
      t = performance.now();
      await batchPut(
        floorItems.map((item) => ({ table: 'queryLog' as const, item: { ...item, pk: `BATCH${item.pk}` } })),
        'bench',
      );
      batchFloorMs = performance.now() - t;
    }
    const loadAfter = loadavg()[0]!;

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
      load: [loadBefore, loadAfter],
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

function report(r: {
  ids: number;
  hits: number;
  records: number;
  parts: number;
  baselineMs: number;
  checkMs: number;
  acceptedMs: number;
  putFloorMs: number;
  batchFloorMs: number | undefined;
  logged: number;
  load: [number, number];
}) {
  const floorMs = r.baselineMs + r.putFloorMs;
  const ratio = r.checkMs / floorMs;
  const s = (ms: number) => (ms / 1000).toFixed(1);
  const rate = (ms: number) => fmt(Math.round(r.ids / (ms / 1000)));
  const lines = [
    `| measurement | seconds | ids/s | ÷ floor | goal |`,
    `|---|---:|---:|---:|---|`,
    `| reads: BatchGetItem of the same ${fmt(r.ids)} keys, straight to DynamoDB Local | ${s(r.baselineMs)} | ${rate(r.baselineMs)} | ${(r.baselineMs / floorMs).toFixed(2)} | |`,
    `| writes: the check's ${fmt(r.logged)} query-log entries, one conditional PutItem each (${FLOOR_IN_FLIGHT} in flight) | ${s(r.putFloorMs)} | ${rate(r.putFloorMs)} | ${(r.putFloorMs / floorMs).toFixed(2)} | |`,
    `| **floor** = reads + writes | ${s(floorMs)} | ${rate(floorMs)} | 1.00 | |`,
    `| **bulk check**, \`POST /v1/checks\` → \`GET /v1/checks/{id}\` COMPLETED | ${s(r.checkMs)} | ${rate(r.checkMs)} | **${ratio.toFixed(2)}** | ≤ 1.50 ${ratio <= 1.5 ? '✔' : '✘'} |`,
    ...(r.batchFloorMs === undefined
      ? []
      : [
          `| not allowed, for comparison: the same entries by BatchWriteItem (25 a request, 8 in flight) | ${s(r.batchFloorMs)} | ${rate(r.batchFloorMs)} | ${(r.batchFloorMs / floorMs).toFixed(2)} | |`,
        ]),
  ];
  const section = [
    `## Checks (\`npm run bench:checks\`)`,
    '',
    `Last run ${new Date().toISOString()} on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'} shared with other work (load average ${r.load[0].toFixed(1)} before the check, ${r.load[1].toFixed(1)} at the end), Node ${process.version}; \`IDS=${r.ids}${r.batchFloorMs === undefined ? ' BATCH_FLOOR=0' : ''} npm run bench:checks\`: a check of ${fmt(r.ids)} companies as gov SH-EPB for PENALTY (${fmt(r.parts)} parts, ${POLLERS} local process-check-part pollers; ${fmt(r.hits)} companies hold ${fmt(r.records)} AMR-PENALTY records, the rest none), end to end from the POST (accepted after ${s(r.acceptedMs)} s) until GET reports COMPLETED, result files written and one query-log entry per company. The floor is what any design that logs every checked subject must do, measured in the same run: BatchGetItem of the same keys (100 a request, 8 in flight, half before the check and half after) plus the check's own log entries written again under other keys as the append-only log allows.`,
    '',
    ...lines,
    '',
  ].join('\n');
  console.log(`\n${lines.join('\n')}\n`);
  writeSection('## Checks (', section);
}

await main();
