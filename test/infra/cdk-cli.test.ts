/**
 * The deploy path as a new user meets it: the README's `npx cdk synth -c stage=dev`, run by the
 * real CDK CLI on a machine with no AWS configuration at all (empty HOME, no AWS_* or CDK_*
 * variables). The CLI then leaves the account to deploy time but names a default region, and
 * synthesis runs cdk-nag: a finding acknowledged only for some environment fails it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/credit-function.ts';

const run = promisify(execFile);

/** The environment of a fresh machine: a PATH to node and npx, an empty HOME, nothing else. */
function bareEnvironment(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: mkdtempSync(path.join(tmpdir(), 'empty-home-')), TMPDIR: tmpdir() };
}

describe('npx cdk synth with no AWS configuration', () => {
  // a full synthesis in a child process, bundling every function and the console: over ten
  // minutes on two cores shared by several sessions (prod is synthesised in-process by cdk-nag.test.ts)
  it('passes cdk-nag, the account left to deploy time', { timeout: 1_200_000 }, async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'cdk-out-'));
    const { stderr } = await run('npx', ['cdk', 'synth', '-c', 'stage=dev', '--quiet', '--output', out], {
      cwd: PROJECT_ROOT,
      env: bareEnvironment(),
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(stderr).not.toMatch(/AwsSolutions-|Synthesis finished with errors/);
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as {
      artifacts: Record<string, { type: string; environment?: string }>;
    };
    const stack = manifest.artifacts['credit-platform-dev'];
    expect(stack?.type).toBe('aws:cloudformation:stack');
    // with no profile the CLI still names a region (us-east-1), so the asset bucket's name is concrete
    expect(stack?.environment).toMatch(/^aws:\/\/unknown-account\/[a-z]{2}(-[a-z]+)+-\d$/);
  });
});
