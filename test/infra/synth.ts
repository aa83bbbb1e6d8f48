/**
 * Builds the platform once per test file: one App holding the dev and prod stacks, with the
 * feature flags from cdk.json (the CLI passes them to bin/cdk.ts; tests must see the same
 * template). Functions are bundled for real with the local esbuild, once per entry.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, type CfnResource, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { PROJECT_ROOT } from '../../lib/credit-function.ts';
import { CreditPlatformStack } from '../../lib/credit-platform-stack.ts';
import { type Stage, stageConfig } from '../../lib/stage.ts';

export interface Platform {
  app: App;
  stacks: Record<Stage, CreditPlatformStack>;
}

export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return cdkJson.context;
}

export function buildPlatform(configure?: (app: App) => void): Platform {
  const app = new App({ context: cdkJsonContext() });
  configure?.(app);
  const stacks = {} as Record<Stage, CreditPlatformStack>;
  for (const stage of ['dev', 'prod'] as const) {
    const config = stageConfig(stage);
    stacks[stage] = new CreditPlatformStack(app, config.namePrefix, { stackName: config.namePrefix, config });
  }
  return { app, stacks };
}

/** The CloudFormation logical ID of an L2 construct's resource. */
export function logicalId(construct: IConstruct): string {
  const cfn = construct.node.defaultChild as CfnResource;
  return Stack.of(construct).resolve(cfn.logicalId) as string;
}
