/**
 * Stateful resources: the DynamoDB tables and S3 buckets of lib/platform.ts, the KMS keys that
 * encrypt them, the pepper secret for natural-person keys, and the server access log bucket.
 */
import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledge } from './nag.ts';
import { BUCKETS, type BucketName, TABLES, type TableName } from './platform.ts';
import { entriesOf, pascal } from './manifest.ts';
import type { StageConfig } from './stage.ts';

/**
 * Work artifacts that expire, per bucket: bulk-check inputs, parts and results (checks/) are
 * fetched through short-lived presigned URLs and are re-creatable by running the check again;
 * rejection reports (rejections/) are kept a little over a year so a provider can look back at a
 * full annual cycle of its receipts; a rejection report too large for one response is copied to
 * rejections-csv/ for a presigned download and rewritten on every request, so a day is enough.
 */
export const PREFIX_EXPIRY: Partial<Record<BucketName, ReadonlyArray<{ prefix: string; days: number }>>> = {
  work: [
    { prefix: 'checks/', days: 30 },
    { prefix: 'rejections/', days: 400 },
    { prefix: 'rejections-csv/', days: 1 },
  ],
};

/** The longest a raw uploaded file is kept (KMS-encrypted), processed or not. */
export const RAW_UPLOAD_DAYS = 7;

export interface StorageConstructProps {
  config: StageConfig;
}

export class StorageConstruct extends Construct {
  /** Personal data: the natural-person table, envelope encryption of ID numbers, the pepper secret. */
  readonly personalDataKey: kms.Key;
  /** Uploaded files and work artifacts (they hold ID numbers in clear until processed). */
  readonly filesKey: kms.Key;
  /** 64-character HMAC pepper for natural-person partition keys. */
  readonly pepperSecret: secretsmanager.Secret;
  /** HMAC-SHA256 key signing the national export's requests (shared with the national platform). */
  readonly nationalSecret: secretsmanager.Secret;
  /** HMAC key for source IPs counted by the per-client limit (functions/adapters/rate-limit). */
  readonly clientKeySecret: secretsmanager.Secret;
  readonly tables: Record<TableName, dynamodb.Table>;
  readonly buckets: Record<BucketName, s3.Bucket>;
  readonly accessLogBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: StorageConstructProps) {
    super(scope, id);
    const { config } = props;

    this.personalDataKey = new kms.Key(this, 'PersonalDataKey', {
      description: `${config.namePrefix}: personal data (natural-person table, ID number envelope encryption, pepper)`,
      alias: `alias/${config.namePrefix}/personal-data`,
      enableKeyRotation: true,
      pendingWindow: config.keyPendingWindow,
      removalPolicy: config.dataRemovalPolicy,
    });
    this.filesKey = new kms.Key(this, 'FilesKey', {
      description: `${config.namePrefix}: uploaded files and work artifacts`,
      alias: `alias/${config.namePrefix}/files`,
      enableKeyRotation: true,
      pendingWindow: config.keyPendingWindow,
      removalPolicy: config.dataRemovalPolicy,
    });

    this.pepperSecret = new secretsmanager.Secret(this, 'PepperSecret', {
      description: `${config.namePrefix}: HMAC-SHA256 pepper for natural-person keys`,
      encryptionKey: this.personalDataKey,
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: config.dataRemovalPolicy,
    });
    acknowledge(
      this.pepperSecret,
      'AwsSolutions-SMG4',
      'The pepper keys every natural-person partition (HMAC of the ID number); rotating it means re-keying the table, a planned migration rather than an automatic rotation.',
    );

    this.nationalSecret = new secretsmanager.Secret(this, 'NationalSigningSecret', {
      description: `${config.namePrefix}: HMAC-SHA256 key signing national export requests`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: config.dataRemovalPolicy,
    });
    acknowledge(
      this.nationalSecret,
      'AwsSolutions-SMG4',
      'The signing key is agreed with the national platform, which must install each new key; it is rotated with them by hand, not by a rotation Lambda.',
    );

    this.clientKeySecret = new secretsmanager.Secret(this, 'ClientKeySecret', {
      description: `${config.namePrefix}: HMAC-SHA256 key for source IPs in the per-client limit of anonymous routes`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: config.dataRemovalPolicy,
    });
    acknowledge(
      this.clientKeySecret,
      'AwsSolutions-SMG4',
      'Keys only short-lived rate counters (one window, deleted by TTL): it can be replaced by hand at any time (docs/operations.md), which merely starts every client afresh; a rotation Lambda would add nothing.',
    );

    this.tables = {} as Record<TableName, dynamodb.Table>;
    for (const [name, def] of entriesOf(TABLES)) {
      const table = new dynamodb.Table(this, `${pascal(name)}Table`, {
        partitionKey: { name: def.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: def.sortKey, type: dynamodb.AttributeType.STRING },
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        ...(def.personalData
          ? { encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: this.personalDataKey }
          : { encryption: dynamodb.TableEncryption.AWS_MANAGED }),
        deletionProtection: config.deletionProtection,
        removalPolicy: config.dataRemovalPolicy,
        ...(def.ttlAttribute ? { timeToLiveAttribute: def.ttlAttribute } : {}),
      });
      for (const index of def.indexes) {
        table.addGlobalSecondaryIndex({
          indexName: index.name,
          partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
          sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
          projectionType: index.keysOnly ? dynamodb.ProjectionType.KEYS_ONLY : dynamodb.ProjectionType.ALL,
        });
      }
      this.tables[name] = table;
    }

    // Server access logs: the log delivery service writes only with SSE-S3, granted by bucket policy.
    this.accessLogBucket = new s3.Bucket(this, 'AccessLogBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      lifecycleRules: [
        { id: 'expire-access-logs', expiration: config.accessLogExpiration },
        { id: 'abort-incomplete-multipart', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
      removalPolicy: config.dataRemovalPolicy,
      autoDeleteObjects: config.autoDeleteObjects,
    });
    acknowledge(
      this.accessLogBucket,
      'AwsSolutions-S1',
      'This is the server access log bucket itself; logging it into itself would log its own log deliveries.',
    );

    this.buckets = {} as Record<BucketName, s3.Bucket>;
    for (const [name, def] of entriesOf(BUCKETS)) {
      const direct = def.directUploads === true;
      this.buckets[name] = new s3.Bucket(this, `${pascal(name)}Bucket`, {
        encryption: s3.BucketEncryption.KMS,
        encryptionKey: this.filesKey,
        bucketKeyEnabled: true,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        enforceSSL: true,
        minimumTLSVersion: 1.2,
        versioned: direct,
        serverAccessLogsBucket: this.accessLogBucket,
        serverAccessLogsPrefix: `${name}/`,
        lifecycleRules: [
          { id: 'abort-incomplete-multipart', abortIncompleteMultipartUploadAfter: Duration.days(7) },
          // raw uploads hold ID numbers in clear: processChunk deletes a file once its batch
          // completes; a deleted or replaced version is purged a day later, and any raw file
          // (a FAILED batch's, one never processed) is gone after RAW_UPLOAD_DAYS at most
          ...(direct
            ? [
                { id: 'expire-replaced-versions', noncurrentVersionExpiration: Duration.days(1) },
                { id: 'expire-raw-uploads', prefix: 'incoming/', expiration: Duration.days(RAW_UPLOAD_DAYS) },
                { id: 'remove-delete-markers', expiredObjectDeleteMarker: true },
              ]
            : []),
          ...(PREFIX_EXPIRY[name] ?? []).map(({ prefix, days }) => ({
            id: `expire-${prefix.replace(/\/$/, '')}`,
            prefix,
            expiration: Duration.days(days),
          })),
        ],
        cors: direct
          ? [
              {
                allowedMethods: [s3.HttpMethods.PUT],
                allowedOrigins: config.corsAllowedOrigins,
                allowedHeaders: ['*'],
                exposedHeaders: ['ETag', 'x-amz-version-id'],
                maxAge: 3000,
              },
            ]
          : undefined,
        removalPolicy: config.dataRemovalPolicy,
        autoDeleteObjects: config.autoDeleteObjects,
      });
    }
  }
}
