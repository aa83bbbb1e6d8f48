/**
 * Provider isolation below the API, proven on the synthesised template: the provider upload
 * role's identity policy and the upload bucket's policy are each evaluated (action, resource
 * globs, the `provider` principal-tag variable) for writes a provider should and should not be
 * able to make, and each layer alone keeps a provider inside incoming/{its code}/.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import { PROVIDER_TAG } from '../../lib/provider-access-construct.ts';
import { synthesized } from './synth.ts';

type Json = any;
let resources: Record<string, Json>;
let uploadsBucketId: string;
let roleId: string;

beforeAll(() => {
  const template = Template.fromStack(synthesized().stacks.dev).toJSON();
  resources = template.Resources;
  uploadsBucketId = Object.keys(resources).find((id) => id.startsWith('StorageUploadsBucket') && resources[id].Type === 'AWS::S3::Bucket')!;
  roleId = Object.keys(resources).find((id) => id.startsWith('ProviderAccessUploadRole') && resources[id].Type === 'AWS::IAM::Role')!;
}, 600_000); // bundles every function

const BUCKET_ARN = 'arn:aws:s3:::uploads';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/provider-upload';

/** CloudFormation intrinsics → strings, with the upload bucket and role given concrete ARNs. */
function resolve(v: Json): string {
  if (typeof v === 'string') return v;
  if (v['Fn::Join']) return (v['Fn::Join'][1] as Json[]).map(resolve).join(v['Fn::Join'][0]);
  if (v['Fn::GetAtt']) {
    const [id] = v['Fn::GetAtt'];
    return id === uploadsBucketId ? BUCKET_ARN : id === roleId ? ROLE_ARN : `arn:other:${id}`;
  }
  if (v.Ref) return v.Ref === 'AWS::Partition' ? 'aws' : `ref:${v.Ref}`;
  throw new Error(`cannot resolve ${JSON.stringify(v)}`);
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** IAM string matching: * and ? wildcards, policy variables replaced from the principal's tags. */
function matches(pattern: string, value: string, tags: Record<string, string>): boolean {
  const substituted = pattern.replace(/\$\{aws:PrincipalTag\/([^}]+)\}/g, (_, k: string) => tags[k] ?? '\u0000');
  const re = new RegExp(
    `^${substituted
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return re.test(value);
}

interface Request {
  action: string;
  key: string;
  tags: Record<string, string>;
}

function statementApplies(s: Json, r: Request): boolean {
  const arn = `${BUCKET_ARN}/${r.key}`;
  const actionOk = list(s.Action).some((a: string) => matches(a, r.action, {}));
  const resourceOk = s.NotResource
    ? !list(s.NotResource).some((x) => matches(resolve(x), arn, r.tags))
    : list(s.Resource).some((x) => matches(resolve(x), arn, r.tags));
  return actionOk && resourceOk;
}

/** Allowed by the role's identity policies (managed and inline), unconditional statements only. */
function identityAllows(r: Request): boolean {
  const role = resources[roleId];
  const managed = list(role.Properties.ManagedPolicyArns)
    .map((ref: Json) => resources[ref.Ref])
    .filter(Boolean);
  const inline = Object.values(resources).filter(
    (x: Json) => x.Type === 'AWS::IAM::Policy' && list(x.Properties.Roles).some((ref: Json) => ref.Ref === roleId),
  );
  const statements = [...managed, ...inline].flatMap((p: Json) => p.Properties.PolicyDocument.Statement);
  return statements.some((s: Json) => s.Effect === 'Allow' && !s.Condition && statementApplies(s, r));
}

/** Denied to the role by the upload bucket's policy. */
function bucketDenies(r: Request): boolean {
  const policy = Object.values(resources).find((x: Json) => x.Type === 'AWS::S3::BucketPolicy' && x.Properties.Bucket.Ref === uploadsBucketId) as Json;
  return policy.Properties.PolicyDocument.Statement.some(
    (s: Json) => s.Effect === 'Deny' && list(s.Principal?.AWS).some((p: Json) => resolve(p) === ROLE_ARN) && statementApplies(s, r),
  );
}

const amr = { [PROVIDER_TAG]: 'SH-AMR' };
const put = (key: string, tags = amr): Request => ({ action: 's3:PutObject', key, tags });

describe('provider upload role', () => {
  it('may be assumed only with a provider session tag equal to the caller’s own provider tag', () => {
    const trust = resources[roleId].Properties.AssumeRolePolicyDocument.Statement;
    expect(trust).toHaveLength(1);
    expect(trust[0].Action).toEqual(['sts:AssumeRole', 'sts:TagSession']);
    expect(trust[0].Condition.StringEquals).toEqual({ [`aws:RequestTag/${PROVIDER_TAG}`]: `\${aws:PrincipalTag/${PROVIDER_TAG}}` });
  });

  it('writes its own prefix, through both layers', () => {
    for (const key of ['incoming/SH-AMR/AMR-PENALTY/2026-11.csv', 'incoming/SH-AMR/AMR-PENALTY/u0123456789abcdefghijklmn/big.csv']) {
      expect(identityAllows(put(key)), key).toBe(true);
      expect(bucketDenies(put(key)), key).toBe(false);
    }
    expect(identityAllows({ action: 's3:AbortMultipartUpload', key: 'incoming/SH-AMR/AMR-PENALTY/x.csv', tags: amr })).toBe(true);
  });

  const foreign = [
    'incoming/SH-TAX/TAX-ARREARS/x.csv', // another provider
    'incoming/SH-AMR-EVIL/AMR-PENALTY/x.csv', // a provider whose code starts with ours
    'incoming/SH-AM/x.csv',
    'incoming/x.csv',
    'rejections/b123/0.jsonl',
    'SH-AMR/AMR-PENALTY/x.csv',
  ];

  it('writes nowhere else: each layer alone refuses', () => {
    for (const key of foreign) {
      expect(identityAllows(put(key)), key).toBe(false);
      expect(bucketDenies(put(key)), key).toBe(true);
    }
  });

  it('reads, deletes and lists nothing it was not given', () => {
    for (const action of ['s3:GetObject', 's3:DeleteObject', 's3:PutObjectAcl', 's3:PutBucketPolicy']) {
      expect(identityAllows({ action, key: 'incoming/SH-AMR/AMR-PENALTY/x.csv', tags: amr }), action).toBe(false);
    }
  });

  it('the same policy scopes every provider to its own code', () => {
    const tax = { [PROVIDER_TAG]: 'SH-TAX' };
    expect(identityAllows(put('incoming/SH-TAX/TAX-ARREARS/x.csv', tax))).toBe(true);
    expect(identityAllows(put('incoming/SH-AMR/AMR-PENALTY/x.csv', tax))).toBe(false);
    expect(bucketDenies(put('incoming/SH-AMR/AMR-PENALTY/x.csv', tax))).toBe(true);
  });
});
