/**
 * `npm start`: the whole platform on this machine. PORT (3000), DATA_DIR (.data; ':memory:' keeps
 * nothing), SEED (demo | none). SIGINT/SIGTERM drain in-flight work and exit 0.
 */
import { seedDemo } from '#local/seed';
import { startPlatform } from '#local/runtime';

const port = Number(process.env.PORT ?? 3000);
const dataDir = process.env.DATA_DIR ?? '.data';
const seed = process.env.SEED ?? 'demo';
if (!['demo', 'none'].includes(seed)) {
  console.error(`SEED must be 'demo' or 'none', not '${seed}'`);
  process.exit(2);
}

const log = (msg: string, extra?: unknown) => console.log(`[credit-platform] ${msg}`, extra instanceof Error ? extra.message : (extra ?? ''));
const platform = await startPlatform({ port, dataDir, schedules: true, log });
log(`listening on ${platform.url} (data: ${dataDir === ':memory:' ? 'in memory' : dataDir})`);

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  log(`${signal}: draining in-flight work`);
  await platform.stop();
  log('stopped');
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

if (seed === 'demo') {
  const seeded = await seedDemo(platform, log);
  log(seeded ? `demo data: ${seeded.length} files uploaded; GET /v1/batches shows their receipts` : 'store not empty: demo seed skipped');
}
log(`ready. Get a token: curl -s -XPOST ${platform.url}/local/token -d '{"role":"admin"}'`);
