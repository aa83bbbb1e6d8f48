/**
 * cdk-nag 3 acknowledgements (CDK's Validations API, which replaced NagSuppressions). An
 * acknowledgement on a construct covers every resource below it; a rule with several findings
 * per resource (AwsSolutions-IAM5) is acknowledged one finding at a time, `Rule[Finding]`.
 */
import { type CfnResource, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

export function acknowledgeFindings(scope: IConstruct, id: string, findings: string[], reason: string): void {
  for (const finding of findings) Validations.of(scope).acknowledge({ id: `${id}[${finding}]`, reason });
}

/** A resource's ARN as cdk-nag writes it in a finding: `<LogicalId.Arn>`. */
export function nagArn(resource: IConstruct): string {
  const cfn = resource.node.defaultChild as CfnResource;
  return `<${Stack.of(resource).resolve(cfn.logicalId) as string}.Arn>`;
}
