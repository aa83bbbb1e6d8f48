/**
 * cdk-nag 3 acknowledgements (CDK's Validations API, which replaced NagSuppressions). An
 * acknowledgement on a construct covers every resource below it; a rule with several findings
 * per resource (AwsSolutions-IAM5) is acknowledged one finding at a time, `Rule[Finding]`.
 */
import { Aspects, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import type { NagRuleResult } from 'cdk-nag';
import type { IConstruct } from 'constructs';

export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

export function acknowledgeFindings(scope: IConstruct, id: string, findings: string[], reason: string): void {
  for (const finding of findings) Validations.of(scope).acknowledge({ id: `${id}[${finding}]`, reason });
}

/**
 * The environment's parts as cdk-nag writes them in a finding: a pseudo parameter in an
 * environment-agnostic stack (`<AWS::Region>`), the literal value in a concrete one
 * (`ap-east-1`, `123456789012`; `aws-cn` once partitions are literal). For findings whose
 * text depends on where the stack is synthesised.
 */
export const NAG_ENV = {
  partition: '(?:<AWS::Partition>|aws(?:-[a-z]+)*)',
  account: '(?:<AWS::AccountId>|\\d{12})',
  region: '(?:<AWS::Region>|[a-z]{2}(?:-[a-z]+)+-\\d)',
} as const;

/** AwsSolutions-IAM4 on a CDK-made function's role: the managed basic-execution policy, in any partition. */
export const LAMBDA_BASIC_EXECUTION_FINDING = new RegExp(`^Policy::arn:${NAG_ENV.partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole$`);

/**
 * Acknowledges the findings of a granular rule that match one of `patterns`, on each resource
 * under `scope`. cdk-nag 3 compares acknowledgements by exact text, so a finding that names the
 * account, region or partition cannot be written down once for every environment: the rule is
 * evaluated on the finished tree (an Aspect runs before the validation plugin) and the findings
 * the patterns describe are acknowledged as they read in this synthesis.
 */
export function acknowledgeFindingsMatching(
  scope: IConstruct,
  id: string,
  rule: (node: CfnResource) => NagRuleResult,
  patterns: RegExp[],
  reason: string,
): void {
  Aspects.of(scope).add({
    visit(node: IConstruct) {
      if (!CfnResource.isCfnResource(node)) return;
      const result = rule(node);
      if (!Array.isArray(result)) return;
      acknowledgeFindings(
        node,
        id,
        result.filter((finding) => patterns.some((pattern) => pattern.test(finding))),
        reason,
      );
    },
  });
}

/** A resource's ARN as cdk-nag writes it in a finding: `<LogicalId.Arn>`. */
export function nagArn(resource: IConstruct): string {
  const cfn = resource.node.defaultChild as CfnResource;
  return `<${Stack.of(resource).resolve(cfn.logicalId) as string}.Arn>`;
}
