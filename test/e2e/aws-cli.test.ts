/**
 * A provider drops a file into the local S3 with the real AWS CLI, as it would into AWS with its
 * upload role: `aws s3 cp` with the provider's local credentials (POST /local/s3-credentials) to
 * the printed S3 endpoint, multipart (the CLI splits files above its threshold, set to 5 MiB
 * here); the S3 notification starts the batch and its receipt balances. The same CLI is refused
 * another provider's prefix.
 * The CLI is Debian's `awscli` (/usr/bin/aws, installed by .ci/run), else any `aws` on the PATH
 * (or AWS_CLI). Without one the suite is skipped with a message — except where
 * CREDIT_REQUIRE_AWS_CLI=1 (.ci/run sets it), where that is a failure.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { objectBatchId } from '#core/upload-key';
import { columnsFor, generateRows, toCsv } from '#local/seed/generate';
import { publishDemoCatalog, startTestPlatform, type TestPlatform } from '../support/platform.ts';

function findAwsCli(): string | undefined {
  if (process.env.AWS_CLI) return process.env.AWS_CLI;
  if (existsSync('/usr/bin/aws')) return '/usr/bin/aws';
  try {
    return execFileSync('sh', ['-c', 'command -v aws'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}
const aws = findAwsCli();
if (!aws && process.env.CREDIT_REQUIRE_AWS_CLI === '1')
  throw new Error('CREDIT_REQUIRE_AWS_CLI=1 but no AWS CLI found: install it (apt-get install -y awscli) or set AWS_CLI');
if (!aws) console.warn('AWS CLI e2e test skipped: no `aws` on this machine (apt-get install -y awscli, or set AWS_CLI)');

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'credit-aws-cli-'));
let p: TestPlatform;
let catalog: Awaited<ReturnType<typeof publishDemoCatalog>>;

beforeAll(async () => {
  if (!aws) return;
  p = await startTestPlatform();
  catalog = await publishDemoCatalog(p);
}, 180_000); // a DynamoDB Local (JVM) start: 15–25 s on the shared 2-core machine, more under load
afterAll(async () => {
  await p?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The CLI as the provider runs it: its own credentials, nothing from this machine's AWS configuration. */
async function cli(credentials: { accessKeyId: string; secretAccessKey: string }, ...args: string[]) {
  const config = join(dir, 'config');
  writeFileSync(
    config,
    ['[default]', 'region = cn-north-1', 's3 =', '  multipart_threshold = 5MB', '  multipart_chunksize = 5MB', '  addressing_style = path', ''].join('\n'),
  );
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  Object.assign(env, {
    AWS_CONFIG_FILE: config,
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  });
  return run(aws!, ['--endpoint-url', p.s3Endpoint, ...args], { env, timeout: 240_000 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }),
  );
}

describe.skipIf(!aws)('a provider uploads with the AWS CLI', () => {
  it('`aws s3 cp` of a multipart-sized file into its own prefix starts a batch whose receipt balances', async () => {
    const credentials = (await p.api('POST', '/local/s3-credentials', { token: await p.as('provider', 'SH-AMR') })).json;
    const pen = catalog.items.find((i) => i.code === 'AMR-PENALTY')!;
    const generated = generateRows('AMR-PENALTY', catalog, 13_000, 47, { invalidRate: 0.01 });
    const file = join(dir, 'penalties.csv');
    writeFileSync(
      file,
      toCsv(
        columnsFor(pen),
        generated.map((g) => g.values),
      ),
    );
    expect(statSync(file).size).toBeGreaterThan(5 * 1024 * 1024); // above the CLI's multipart threshold

    const key = 'incoming/SH-AMR/AMR-PENALTY/cli-multipart.csv';
    const out = await cli(credentials, 's3', 'cp', file, `s3://credit-uploads/${key}`);
    expect(out, out.stderr).toMatchObject({ code: 0 });
    expect(out.stdout).toContain(`upload: `);

    // stored as a multipart upload of two parts (S3's ETag of a multipart object ends in -{parts})
    const s3 = new S3Client({
      region: 'cn-north-1',
      endpoint: p.s3Endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'credit-uploads', Key: key }));
    s3.destroy();
    expect(head.ETag).toMatch(/-2"?$/);
    expect(head.ContentLength).toBe(statSync(file).size);

    await p.notifyUploads();
    const receipt = await p.receipt(objectBatchId('credit-uploads', key, head.ETag!.replace(/"/g, '')), 300_000);
    expect(receipt).toMatchObject({
      status: 'COMPLETED',
      provider: 'SH-AMR',
      item: 'AMR-PENALTY',
      rows: 13_000,
      rejected: generated.filter((g) => g.invalid).length,
    });
    expect(receipt.accepted + receipt.rejected).toBe(13_000);
  }, 420_000);

  it("is refused another provider's prefix with AccessDenied", async () => {
    const credentials = (await p.api('POST', '/local/s3-credentials', { token: await p.as('provider', 'SH-AMR') })).json;
    const file = join(dir, 'small.csv');
    writeFileSync(file, 'a,b\n1,2\n');
    const out = await cli(credentials, 's3', 'cp', file, 's3://credit-uploads/incoming/SH-TAX/TAX-ARREARS/planted.csv');
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain('AccessDenied');
  }, 120_000);
});
