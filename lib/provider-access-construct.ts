/**
 * Provider isolation below the API: providers that upload with their own AWS credentials (large
 * files, multipart) assume one upload role, tagged with their provider code, and may write only
 * under incoming/{that code}/. Attribute-based (the `provider` principal tag), so a provider added
 * to the catalog needs a tagged identity, not a new policy. The bucket policy denies the role
 * every other key as well, so a mistake in an identity policy cannot widen it.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeFindings } from './nag.ts';

export const PROVIDER_TAG = 'provider';
/** The only keys a provider's session may write: its own prefix, named by its session tag. */
export const OWN_PREFIX = `incoming/\${aws:PrincipalTag/${PROVIDER_TAG}}/*`;

export interface ProviderAccessProps {
  uploads: s3.Bucket;
  filesKey: kms.Key;
}

export class ProviderAccessConstruct extends Construct {
  readonly uploadRole: iam.Role;
  readonly uploadPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, { uploads, filesKey }: ProviderAccessProps) {
    super(scope, id);
    const ownObjects = uploads.arnForObjects(OWN_PREFIX);

    this.uploadPolicy = new iam.ManagedPolicy(this, 'UploadPolicy', {
      description: 'A provider writes files only under incoming/{its provider tag}/ of the upload bucket',
      statements: [
        new iam.PolicyStatement({
          sid: 'WriteOwnPrefix',
          actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
          resources: [ownObjects],
        }),
        new iam.PolicyStatement({
          sid: 'ListOwnPrefix',
          actions: ['s3:ListBucket', 's3:ListBucketMultipartUploads'],
          resources: [uploads.bucketArn],
          conditions: { StringLike: { 's3:prefix': [OWN_PREFIX] } },
        }),
        new iam.PolicyStatement({
          sid: 'EncryptThroughS3',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'], // Decrypt: multipart uploads under SSE-KMS
          resources: [filesKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } },
        }),
      ],
    });

    // identities in this account tagged provider=X may assume the role only with the session tag X
    this.uploadRole = new iam.Role(this, 'UploadRole', {
      description: 'Provider uploads with own credentials; scoped by the provider session tag',
      maxSessionDuration: Duration.hours(12),
      assumedBy: new iam.SessionTagsPrincipal(new iam.AccountRootPrincipal()).withConditions({
        StringEquals: { [`aws:RequestTag/${PROVIDER_TAG}`]: `\${aws:PrincipalTag/${PROVIDER_TAG}}` },
        'ForAllValues:StringEquals': { 'aws:TagKeys': [PROVIDER_TAG] },
      }),
      managedPolicies: [this.uploadPolicy],
    });

    uploads.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'ProvidersWriteOnlyTheirOwnPrefix',
        effect: iam.Effect.DENY,
        principals: [new iam.ArnPrincipal(this.uploadRole.roleArn)],
        actions: ['s3:PutObject'],
        notResources: [ownObjects],
      }),
    );

    acknowledgeFindings(
      this.uploadPolicy,
      'AwsSolutions-IAM5',
      [`Resource::<${Stack.of(uploads).resolve((uploads.node.defaultChild as s3.CfnBucket).logicalId)}.Arn>/incoming/<aws:PrincipalTag/${PROVIDER_TAG}>/*`],
      "The wildcard is the provider's own prefix: objects under incoming/{the caller's provider tag}/ and nothing else.",
    );
  }
}
