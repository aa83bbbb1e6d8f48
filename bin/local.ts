/**
 * `npm start`: the whole platform on this machine. PORT (3000), S3_PORT (PORT + 1: the local S3 and
 * SQS endpoint), DATA_DIR (.data; ':memory:' keeps nothing), SEED (demo | none). SIGINT/SIGTERM
 * drain in-flight work and exit 0.
 */
import { seedDemo } from '#local/seed';
import { startPlatform } from '#local/runtime';

const port = Number(process.env.PORT ?? 3000);
const s3Port = Number(process.env.S3_PORT ?? (port ? port + 1 : 0)); // PORT=0 (any free port): any free one for S3 too
const dataDir = process.env.DATA_DIR ?? '.data';
const seed = process.env.SEED ?? 'demo';
if (!['demo', 'none'].includes(seed)) {
  console.error(`SEED must be 'demo' or 'none', not '${seed}'`);
  process.exit(2);
}

const log = (msg: string, extra?: unknown) => console.log(`[credit-platform] ${msg}`, extra instanceof Error ? extra.message : (extra ?? ''));
const platform = await startPlatform({ port, s3Port, dataDir, schedules: true, log }).catch((err: Error & { code?: string }) => {
  // what a newcomer can act on (Java missing, another instance on this DATA_DIR), without a stack
  if (err.code === 'JAVA_MISSING' || err.code === 'DATA_DIR_IN_USE') {
    console.error(`[credit-platform] cannot start: ${err.message}`);
    process.exit(1);
  }
  if (err.code === 'EADDRINUSE') {
    console.error(
      `[credit-platform] cannot start: ${err.message}. Another program listens there: choose other ports with PORT (now ${port}) and S3_PORT (now ${s3Port}).`,
    );
    process.exit(1);
  }
  throw err;
});
log(`listening on ${platform.url} (data: ${dataDir === ':memory:' ? 'in memory' : dataDir})`);
log(`local S3 (and SQS) endpoint: ${platform.s3Endpoint} (S3_PORT), path-style addressing; a provider's credentials: POST /local/s3-credentials`);

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
  try {
    const seeded = await seedDemo(platform, log);
    log(seeded ? `demo data: ${seeded.length} files uploaded; GET /v1/batches shows their receipts` : 'store not empty: demo seed skipped');
  } catch (err) {
    // Ctrl-C during the seed stops the platform under it: the seed's failing calls are not an error then
    if (!stopping) throw err;
    await new Promise(() => undefined); // stop() exits the process once drained
  }
}
log(`ready. Get a token: curl -s -XPOST ${platform.url}/local/token -d '{"role":"admin"}'`);
