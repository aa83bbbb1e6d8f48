/**
 * The query log is append-only in IAM, not only in code: a function with 'append' access holds
 * dynamodb:PutItem on the table and nothing that could change or remove an entry, and no function
 * of the platform can update or delete a log entry by any path.
 */
import { Capture, Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CreditPlatformStack } from '../../lib/credit-platform-stack.ts';
import { FUNCTIONS, type FunctionName } from '../../lib/platform.ts';
import { buildPlatform, logicalId } from './synth.ts';

let dev: CreditPlatformStack;
let template: Template;
let queryLogId: string;

beforeAll(() => {
  // IAM is what is asserted here; the bundles are tested by credit-platform-stack.test.ts
  dev = buildPlatform((app) => app.node.setContext('aws:cdk:bundling-stacks', [])).stacks.dev;
  template = Template.fromStack(dev);
  queryLogId = logicalId(dev.storage.tables.queryLog);
});

interface Statement {
  Action: string | string[];
  Effect: string;
  Resource: unknown;
}

function roleStatements(name: FunctionName): Statement[] {
  const fn = dev.functions[name];
  if (!fn) throw new Error(`function ${name} was not built`);
  const statements = new Capture();
  template.hasResourceProperties('AWS::IAM::Policy', {
    Roles: Match.arrayWith([{ Ref: logicalId(fn.executionRole) }]),
    PolicyDocument: { Statement: statements },
  });
  const all: Statement[] = [];
  do all.push(...(statements.asArray() as Statement[]));
  while (statements.next());
  return all;
}

/** DynamoDB actions a function holds on the query log table or its indexes. */
function queryLogActions(name: FunctionName): string[] {
  return roleStatements(name)
    .filter((s) => s.Effect === 'Allow' && JSON.stringify(s.Resource).includes(`"${queryLogId}"`))
    .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]))
    .filter((a) => a.startsWith('dynamodb:'));
}

const MUTATING = [
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
  'dynamodb:DeleteTable',
  'dynamodb:*',
];
const appenders = (Object.keys(FUNCTIONS) as FunctionName[]).filter((n) => FUNCTIONS[n].tables.queryLog === 'append');

describe('query log IAM', () => {
  it('gives subjectsApi PutItem on the query log and not UpdateItem or DeleteItem', () => {
    const actions = queryLogActions('subjectsApi');
    expect(actions).toContain('dynamodb:PutItem');
    expect(actions).not.toContain('dynamodb:UpdateItem');
    expect(actions).not.toContain('dynamodb:DeleteItem');
  });

  it.each(appenders)("gives %s exactly dynamodb:PutItem on the query log, and Query of CHAIN# partitions only ('append')", (name) => {
    expect(queryLogActions(name).sort()).toEqual(['dynamodb:PutItem', 'dynamodb:Query']);
    const query = roleStatements(name).filter(
      (s) => JSON.stringify(s.Resource).includes(`"${queryLogId}"`) && JSON.stringify(s.Action).includes('dynamodb:Query'),
    );
    expect(query).toEqual([expect.objectContaining({ Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CHAIN#*'] } } })]);
  });

  it.each(Object.keys(FUNCTIONS) as FunctionName[])('lets %s neither update nor delete log entries', (name) => {
    const actions = queryLogActions(name);
    for (const action of MUTATING) expect(actions).not.toContain(action);
    if (FUNCTIONS[name].tables.queryLog === undefined) expect(actions).toEqual([]);
  });

  it.each(appenders)('passes the query log table name to %s', (name) => {
    const resource = template.toJSON().Resources[logicalId(dev.functions[name]!)];
    expect(resource.Properties.Environment.Variables.QUERY_LOG_TABLE).toEqual({ Ref: queryLogId });
  });
});
