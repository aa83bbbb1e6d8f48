/**
 * Builds the platform as bin/cdk.ts does: one App holding the dev and prod stacks, with the
 * feature flags from cdk.json (the CLI passes them to bin/cdk.ts; tests must see the same
 * template) and the AwsSolutions validation plugin registered. Functions are bundled for real with
 * the local esbuild, once per entry per process (aws-cdk-lib caches bundled assets).
 *
 * `synthesized()` builds both stages in every environment in one App and synthesises it once per
 * test file (kept on globalThis, so suites run unisolated in one process would share it too): one
 * App, so every function and the console are bundled once for all six stacks.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, type CfnResource, type Environment, Stack, Validations } from 'aws-cdk-lib';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { PROJECT_ROOT } from '../../lib/credit-function.ts';
import { CreditPlatformStack } from '../../lib/credit-platform-stack.ts';
import { type Stage, stageConfig } from '../../lib/stage.ts';

/**
 * The environments the stack must synthesise in: environment-agnostic (`npx cdk synth` with no
 * AWS configuration leaves account and region to deploy time), a concrete commercial region, and
 * the China partition (aws-cn).
 */
export const ENVIRONMENTS = {
  agnostic: undefined,
  'ap-east-1': { account: '123456789012', region: 'ap-east-1' },
  'cn-north-1': { account: '123456789012', region: 'cn-north-1' },
} as const satisfies Record<string, Environment | undefined>;
export type EnvironmentName = keyof typeof ENVIRONMENTS;
export const ENVIRONMENT_NAMES = Object.keys(ENVIRONMENTS) as EnvironmentName[];

export interface Platform {
  app: App;
  stacks: Record<Stage, CreditPlatformStack>;
}

export interface SynthesizedPlatform extends Platform {
  assembly: CloudAssembly;
  /** Both stages in every environment of ENVIRONMENTS; `stacks` are the agnostic ones. */
  environments: Record<EnvironmentName, Record<Stage, CreditPlatformStack>>;
}

export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return cdkJson.context;
}

function addStages(app: App, environment: EnvironmentName): Record<Stage, CreditPlatformStack> {
  const stacks = {} as Record<Stage, CreditPlatformStack>;
  for (const stage of ['dev', 'prod'] as const) {
    const config = stageConfig(stage);
    const id = environment === 'agnostic' ? config.namePrefix : `${config.namePrefix}-${environment}`;
    stacks[stage] = new CreditPlatformStack(app, id, { stackName: config.namePrefix, config, env: ENVIRONMENTS[environment] });
  }
  return stacks;
}

/** A new App with the dev and prod stacks, environment-agnostic, for suites that need their own. */
export function buildPlatform(configure?: (app: App) => void): Platform {
  const app = new App({ context: cdkJsonContext() });
  configure?.(app);
  return { app, stacks: addStages(app, 'agnostic') };
}

/** Kept on globalThis: an unisolated worker may evaluate this module again for the next file. */
const cache = globalThis as typeof globalThis & { creditPlatformSynthesis?: SynthesizedPlatform };

/**
 * One App holding both stages in every environment, AwsSolutions registered as in bin/cdk.ts,
 * synthesised once (synthesis throws on any unacknowledged cdk-nag finding, as
 * `cdk synth` fails). One App, not one per environment: aws-cdk-lib caches a bundled asset per
 * output directory, so the functions and the console are built once for all six stacks.
 */
export function synthesized(): SynthesizedPlatform {
  if (!cache.creditPlatformSynthesis) {
    const app = new App({ context: cdkJsonContext() });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
    const environments = Object.fromEntries(ENVIRONMENT_NAMES.map((env) => [env, addStages(app, env)])) as SynthesizedPlatform['environments'];
    cache.creditPlatformSynthesis = { app, stacks: environments.agnostic, environments, assembly: app.synth() };
  }
  return cache.creditPlatformSynthesis;
}

/** The CloudFormation logical ID of an L2 construct's resource. */
export function logicalId(construct: IConstruct): string {
  const cfn = construct.node.defaultChild as CfnResource;
  return Stack.of(construct).resolve(cfn.logicalId) as string;
}
