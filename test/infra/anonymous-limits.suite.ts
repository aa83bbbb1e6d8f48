/**
 * The per-client limit of the anonymous routes in the stack (functions/adapters/rate-limit): its
 * counter table (TTL, encryption, recovery), the client-key secret, and grants no wider than one
 * UpdateItem on that table and one secret read, to the functions serving limited routes only.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMIT } from '../../functions/core/rate-limit.ts';
import type { CreditPlatformStack } from '../../lib/credit-platform-stack.ts';
import { ENV, FUNCTIONS, type FunctionName, isClientLimited, TABLES, type TableName } from '../../lib/platform.ts';
import { ENVIRONMENT_NAMES, logicalId, synthesized } from './synth.ts';

let dev: CreditPlatformStack;
let template: Template;

beforeAll(() => {
  dev = synthesized().stacks.dev;
  template = Template.fromStack(dev);
});

const names = Object.keys(FUNCTIONS) as FunctionName[];
const limitedFunctions = names.filter((n) => {
  const t = FUNCTIONS[n].trigger;
  return t.kind === 'http' && t.routes.some(isClientLimited);
});

/** Every statement of the function's role that names the resource (by logical id). */
function statementsOn(name: FunctionName, resourceId: string): Array<{ Action: string | string[]; Resource: unknown; Effect: string }> {
  const roleId = logicalId(dev.functions[name]!.executionRole);
  return Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: Match.arrayWith([{ Ref: roleId }]) } })).flatMap((policy) =>
    ((policy as any).Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown; Effect: string }>).filter((st) =>
      JSON.stringify(st.Resource).includes(resourceId),
    ),
  );
}
const actions = (sts: Array<{ Action: string | string[] }>) => [...new Set(sts.flatMap((st) => [st.Action].flat()))].sort();

describe('per-client limit of the anonymous routes', () => {
  it('serves the public search and the public lists, not the fixed API description', () => {
    expect(limitedFunctions.sort()).toEqual(['jointPublicApi', 'publicApi']);
  });

  it('counts in a table of its own with TTL, encryption at rest and point-in-time recovery, in every stage and environment', () => {
    for (const env of ENVIRONMENT_NAMES) {
      for (const stack of Object.values(synthesized().environments[env])) {
        const t = Template.fromStack(stack);
        const id = logicalId(stack.storage.tables.rateLimits);
        expect(t.toJSON().Resources[id].Properties).toMatchObject({
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
          TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
          SSESpecification: { SSEEnabled: true },
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          BillingMode: 'PAY_PER_REQUEST',
        });
      }
    }
  });

  it('grants the limited functions UpdateItem on the counters and nothing else there; no other function reaches them', () => {
    const table = logicalId(dev.storage.tables.rateLimits);
    for (const name of names) {
      const sts = statementsOn(name, table);
      if (limitedFunctions.includes(name)) {
        expect([name, actions(sts)]).toEqual([name, ['dynamodb:UpdateItem']]);
        // the table's ARN itself, not its indexes or a wildcard
        for (const st of sts) expect(JSON.stringify(st.Resource)).not.toContain('/index/');
      } else expect([name, sts]).toEqual([name, []]);
    }
  });

  it('lets only the limited functions read the client-key secret, and them nothing more of it', () => {
    const secret = logicalId(dev.storage.clientKeySecret);
    for (const name of names) {
      const sts = statementsOn(name, secret);
      if (limitedFunctions.includes(name)) expect([name, actions(sts)]).toEqual([name, ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']]);
      else expect([name, sts]).toEqual([name, []]);
    }
    // the internet-facing functions never hold the ID-number pepper; of the personal-data key only
    // what reading a table encrypted with it takes (the public lists read the joint table), no sealing
    for (const name of limitedFunctions) {
      expect(statementsOn(name, logicalId(dev.storage.pepperSecret))).toEqual([]);
      const readsPersonalTable = Object.keys(FUNCTIONS[name].tables).some((t) => TABLES[t as TableName].personalData);
      expect([name, actions(statementsOn(name, logicalId(dev.storage.personalDataKey)))]).toEqual([
        name,
        readsPersonalTable ? ['kms:Decrypt', 'kms:DescribeKey'] : [],
      ]);
    }
  });

  it("passes the stage's limit, the counter table and the secret to the limited functions", () => {
    for (const name of limitedFunctions) {
      const fn = template.toJSON().Resources[logicalId(dev.functions[name]!)];
      expect(fn.Properties.Environment.Variables).toMatchObject({
        [ENV.publicRateLimit]: String(DEFAULT_RATE_LIMIT.limit),
        [ENV.publicRateWindowSeconds]: String(DEFAULT_RATE_LIMIT.windowSeconds),
        [ENV.clientKeySecretArn]: { Ref: logicalId(dev.storage.clientKeySecret) },
        RATE_LIMITS_TABLE: { Ref: logicalId(dev.storage.tables.rateLimits) },
      });
    }
    const openapi = template.toJSON().Resources[logicalId(dev.functions.openapiApi!)];
    expect(Object.keys(openapi.Properties.Environment.Variables)).not.toContain(ENV.clientKeySecretArn);
  });
});
