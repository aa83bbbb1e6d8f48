/**
 * cdk-nag 3 runs as a CDK policy-validation plugin (Validations.of(app).addPlugins), not as an
 * Aspect: it reports violations, not annotations, and acknowledgements are CDK Validations
 * metadata. These tests run the AwsSolutions pack over both stages, environment-agnostic and in
 * concrete environments (a commercial region and the China partition), and fail on any finding
 * that is not acknowledged, error or warning alike.
 */
import { App, Stack, Validations, type PolicyValidationPluginReport } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Stage } from '../../lib/stage.ts';
import { ENVIRONMENT_NAMES, type EnvironmentName, synthesized, type SynthesizedPlatform } from './synth.ts';

let platform: SynthesizedPlatform;
const reports = {} as Record<EnvironmentName, Record<Stage, PolicyValidationPluginReport>>;
const stackOf = (env: EnvironmentName, stage: Stage) => platform.environments[env][stage];

beforeAll(() => {
  // Synthesis runs the registered plugin and throws on any unacknowledged finding: in an
  // environment-agnostic stack, in a concrete region, and in the China partition.
  platform = synthesized();
  for (const env of ENVIRONMENT_NAMES) {
    reports[env] = {
      dev: new AwsSolutionsChecks().validateScope(stackOf(env, 'dev')),
      prod: new AwsSolutionsChecks().validateScope(stackOf(env, 'prod')),
    };
  }
});

function violations(report: PolicyValidationPluginReport, severity: 'error' | 'warning'): string[] {
  return report.violations
    .filter((violation) => violation.severity === severity)
    .flatMap((violation) => violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`));
}

/** Every acknowledgement recorded in the tree: rule id → reason, with the construct path. */
function acknowledgements(scope: IConstruct): Array<{ path: string; id: string; reason: string }> {
  return scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

const cases = ENVIRONMENT_NAMES.flatMap((env) => (['dev', 'prod'] as Stage[]).map((stage) => [env, stage] as const));

describe.each(cases)('AwsSolutions on the %s %s stack', (env, stage) => {
  it('has no unacknowledged error', () => {
    expect(violations(reports[env][stage], 'error')).toEqual([]);
  });

  it('has no unacknowledged warning', () => {
    expect(violations(reports[env][stage], 'warning')).toEqual([]);
  });

  it('carries no AwsSolutions annotation and no error annotation in the synthesized stack', () => {
    // What Annotations.fromStack(stack).findError/findWarning read, from the one synthesis above.
    const messages = platform.assembly.getStackArtifact(stackOf(env, stage).artifactId).messages;
    expect(messages.filter((message) => /AwsSolutions-/.test(JSON.stringify(message.entry.data)))).toEqual([]);
    expect(messages.filter((message) => message.level === 'error')).toEqual([]);
  });

  it('gives every acknowledgement a specific reason', () => {
    const acks = acknowledgements(stackOf(env, stage));
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.id, ack.path).toMatch(/^AwsSolutions-[A-Z0-9]+(\[.+\])?$/);
      expect(ack.reason.length, `${ack.id} at ${ack.path}`).toBeGreaterThan(60);
    }
  });
});

describe('stage-dependent acknowledgements', () => {
  const ids = (stage: Stage) => new Set(acknowledgements(stackOf('agnostic', stage)).map((ack) => ack.id));

  it('waives Cognito MFA and the Plus plan in dev only', () => {
    expect(ids('dev')).toContain('AwsSolutions-COG2');
    expect(ids('dev')).toContain('AwsSolutions-COG8');
    expect(ids('prod')).not.toContain('AwsSolutions-COG2');
    expect(ids('prod')).not.toContain('AwsSolutions-COG8');
  });
});

describe('the validation plugin', () => {
  it('lets the whole app synthesize with AwsSolutions registered, in every environment', () => {
    for (const env of ENVIRONMENT_NAMES) {
      const names = (['dev', 'prod'] as Stage[]).map((stage) => platform.assembly.getStackArtifact(stackOf(env, stage).artifactId).stackName);
      expect(names, env).toEqual(['credit-platform-dev', 'credit-platform-prod']);
    }
  });

  it('synthesizes the concrete environments with their account, region and partition', () => {
    const template = (env: EnvironmentName) => platform.assembly.getStackArtifact(stackOf(env, 'dev').artifactId);
    expect(template('ap-east-1').environment).toMatchObject({ account: '123456789012', region: 'ap-east-1' });
    expect(template('cn-north-1').environment).toMatchObject({ account: '123456789012', region: 'cn-north-1' });
    // the asset bucket the deployment copies from is named for the concrete account and region
    expect(JSON.stringify(template('cn-north-1').template)).toContain('cdk-hnb659fds-assets-123456789012-cn-north-1');
    expect(JSON.stringify(template('agnostic').template)).not.toContain('123456789012');
  });

  it('fails synthesis on a finding nobody acknowledged (the check is live)', () => {
    const app = new App();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const stack = new Stack(app, 'Canary');
    new sqs.Queue(stack, 'Plain', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    const errors = violations(new AwsSolutionsChecks().validateScope(stack), 'error');
    expect(errors).toEqual(expect.arrayContaining(['AwsSolutions-SQS2 at Canary/Plain/Resource', 'AwsSolutions-SQS4 at Canary/Plain/Resource']));
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS4/);
  });
});
