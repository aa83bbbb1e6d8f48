/**
 * CPU seconds of the local platform as the test suite runs it, for docs/testing.md: fair while other
 * work shares the machine, where wall times are not. Node's own CPU from process.cpuUsage, DynamoDB
 * Local's (and any other child's) from /proc.
 *
 *   npx tsx scripts/platform-cpu.ts idle [notifyEveryMs]   start a test platform, then 30 s idle
 *   npx tsx scripts/platform-cpu.ts ingest [rows]           one AMR-PENALTY file of `rows` rows
 *   npx tsx scripts/platform-cpu.ts scan [rows]             a whole-table scan vs one filtered on batchId
 *
 * The environment is the tests' (test/setup-env.ts, DynamoDB Local's JVM options included).
 */
import '../test/setup-env.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { BatchWriteCommand, paginateScan } from '@aws-sdk/lib-dynamodb';
import { columnsFor, generateRows, toCsv } from '#local/seed/generate';
import { demoCatalog, publishDemoCatalog, startTestPlatform } from '../test/support/platform.ts';

const CLOCK_TICKS = 100;

/** CPU seconds (user + system) of every live process below this one. */
function childrenCpu(): number {
  const stats = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        const s = readFileSync(`/proc/${d}/stat`, 'utf8');
        const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
        return [{ pid: Number(d), ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / CLOCK_TICKS }];
      } catch {
        return []; // ended meanwhile
      }
    });
  const below = new Set([process.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of stats)
      if (!below.has(s.pid) && below.has(s.ppid)) {
        below.add(s.pid);
        grew = true;
      }
  }
  return stats.filter((s) => s.pid !== process.pid && below.has(s.pid)).reduce((a, s) => a + s.cpu, 0);
}

async function measure(label: string, work: () => Promise<unknown>) {
  const node = process.cpuUsage();
  const children = childrenCpu();
  const started = Date.now();
  await work();
  const used = process.cpuUsage(node);
  const round = (n: number) => Math.round(n * 100) / 100;
  console.log(
    JSON.stringify({
      label,
      nodeCpu: round((used.user + used.system) / 1e6),
      childrenCpu: round(childrenCpu() - children),
      wallSeconds: round((Date.now() - started) / 1000),
    }),
  );
}

const [mode = 'idle', arg] = process.argv.slice(2);
const p = await startTestPlatform(mode === 'idle' && arg ? { notifyEveryMs: Number(arg) } : {});
try {
  if (mode === 'idle') {
    await new Promise((r) => setTimeout(r, 5000)); // past the start's own work
    await measure(`idle 30 s, listing every ${arg ?? 250} ms`, () => new Promise((r) => setTimeout(r, 30_000)));
  } else if (mode === 'ingest') {
    const rows = Number(arg ?? 20_000);
    const catalog = await publishDemoCatalog(p);
    const item = catalog.items.find((i) => i.code === 'AMR-PENALTY')!;
    const generated = generateRows('AMR-PENALTY', demoCatalog(), rows, 41, { invalidRate: 0.01 });
    await measure(`ingest of ${rows} rows`, async () => {
      const batchId = await p.putObject(
        `incoming/SH-AMR/AMR-PENALTY/cpu-${rows}.csv`,
        toCsv(
          columnsFor(item),
          generated.map((g) => g.values),
        ),
      );
      await p.receipt(batchId, 3_600_000);
    });
  } else if (mode === 'scan') {
    const { ddb } = await import('#adapters/clients');
    const TableName = p.emulators.tables.registry;
    const rows = Number(arg ?? 42_000);
    for (let i = 0; i < rows; i += 25) {
      const items = Array.from({ length: Math.min(25, rows - i) }, (_, j) => ({
        PutRequest: { Item: { pk: `CPU#${i + j}`, sk: `REC#${i + j}`, batchId: `b${(i + j) % 7}`, row: i + j, fields: { text: 'x'.repeat(300) } } },
      }));
      await ddb.send(new BatchWriteCommand({ RequestItems: { [TableName]: items } }));
    }
    const scan = async (filter: boolean) => {
      const only = filter ? { FilterExpression: 'batchId = :b', ExpressionAttributeValues: { ':b': 'b3' } } : {};
      for await (const _ of paginateScan({ client: ddb }, { TableName, ...only }));
    };
    await measure(`whole scan of ${rows} items`, () => scan(false));
    await measure(`scan of ${rows} items filtered to a seventh`, () => scan(true));
  } else throw new Error(`unknown mode ${mode}: idle, ingest or scan`);
} finally {
  await p.stop();
}
