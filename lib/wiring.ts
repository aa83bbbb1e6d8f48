/**
 * Builds a platform function from its lib/platform.ts definition: every grant sits next to the
 * environment variable that names the same resource, so a function can reach exactly what the
 * manifest says it uses, and nothing it cannot name.
 */
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { CreditFunction } from './credit-function.ts';
import { acknowledgeFindings, nagArn } from './nag.ts';
import { type Access, BUCKETS, type BucketName, ENV, FUNCTIONS, type FunctionName, QUEUES, type QueueName, TABLES, type TableName } from './platform.ts';
import { entriesOf, pascal } from './manifest.ts';
import type { StageConfig } from './stage.ts';

/** The stateful resources functions are wired to, keyed by their manifest names. */
export interface PlatformResources {
  tables: Record<TableName, dynamodb.Table>;
  buckets: Record<BucketName, s3.Bucket>;
  queues: Record<QueueName, sqs.Queue>;
  personalDataKey: kms.Key;
  pepperSecret: secretsmanager.Secret;
  nationalSecret: secretsmanager.Secret;
  /** Keys source IPs for the per-client limit of the anonymous routes. */
  clientKeySecret: secretsmanager.Secret;
}

/**
 * 'append' (the query log) is dynamodb:PutItem on the table — no UpdateItem, DeleteItem or
 * BatchWriteItem (which could delete); writers add new items with attribute_not_exists. The one
 * read is a Query of the hash chain's CHAIN# partitions, to find a day's chain head.
 */
const APPEND_ACTIONS = ['dynamodb:PutItem'];
const CHAIN_HEAD_READ = ['dynamodb:Query'];
/** 'count' (statistics counters) is dynamodb:UpdateItem alone: ADD to counters, nothing else. */
const COUNT_ACTIONS = ['dynamodb:UpdateItem'];
/** 'readUpdate': reads, and UpdateItem on existing items (conditions keep it from creating one). */
const UPDATE_ACTIONS = ['dynamodb:UpdateItem'];
const KMS_APPEND = ['kms:Encrypt', 'kms:GenerateDataKey', 'kms:Decrypt'];

function grantTable(table: dynamodb.Table, fn: CreditFunction, access: Access): void {
  if (access === 'read') table.grantReadData(fn);
  else if (access === 'write') table.grantWriteData(fn);
  else if (access === 'append') {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: APPEND_ACTIONS, resources: [table.tableArn] }));
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: CHAIN_HEAD_READ,
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CHAIN#*'] } },
      }),
    );
    table.encryptionKey?.grant(fn, ...KMS_APPEND);
  } else if (access === 'count') {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: COUNT_ACTIONS, resources: [table.tableArn] }));
    table.encryptionKey?.grant(fn, ...KMS_APPEND);
  } else if (access === 'readUpdate') {
    table.grantReadData(fn);
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: UPDATE_ACTIONS, resources: [table.tableArn] }));
    table.encryptionKey?.grant(fn, ...KMS_APPEND);
  } else table.grantReadWriteData(fn);
}

/**
 * PartiQL SELECT naming partition keys (`WHERE pk IN [...]`): many credit files a request. A
 * statement without such a key would scan the table; IAM refuses those (dynamodb:FullTableScan).
 * The table's key is already granted to 'read' (Table.grantReadData).
 */
function grantPartitionReads(table: dynamodb.Table, fn: CreditFunction): void {
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:PartiQLSelect'], resources: [table.tableArn] }));
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      actions: ['dynamodb:PartiQLSelect'],
      resources: [table.tableArn],
      conditions: { Bool: { 'dynamodb:FullTableScan': 'true' } },
    }),
  );
}

// S3 grants are written out instead of bucket.grantRead/grantPut, whose action lists are
// wildcards (s3:GetObject*, s3:List*, s3:Abort*, kms:GenerateDataKey*, kms:ReEncrypt*).
const S3_OBJECT_READ = ['s3:GetObject', 's3:GetObjectVersion'];
const S3_OBJECT_WRITE = ['s3:PutObject', 's3:AbortMultipartUpload'];
const S3_OBJECT_DELETE = ['s3:DeleteObject'];
/** SSE-KMS: reading decrypts; writing generates a data key, and multipart uploads also decrypt it. */
const KMS_READ = ['kms:Decrypt'];
const KMS_WRITE = ['kms:GenerateDataKey', 'kms:Decrypt'];

function grantBucket(bucket: s3.Bucket, fn: CreditFunction, access: Access): void {
  const reads = access === 'read' || access === 'readWrite' || access === 'readDelete';
  const writes = access === 'write' || access === 'readWrite';
  const objectActions = [
    ...(reads ? S3_OBJECT_READ : []),
    ...(writes ? S3_OBJECT_WRITE : []),
    ...(access === 'readWrite' || access === 'readDelete' ? S3_OBJECT_DELETE : []),
  ];
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: objectActions, resources: [bucket.arnForObjects('*')] }));
  if (reads) {
    // ListBucket lets HeadObject answer 404 instead of 403 for a missing key, and lists prefixes.
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
  }
  const key = bucket.encryptionKey;
  if (key) {
    const keyActions = [...new Set([...(reads ? KMS_READ : []), ...(writes ? KMS_WRITE : [])])];
    key.grant(fn, ...keyActions);
  }
}

/** Envelope encryption of ID numbers and the HMAC pepper for natural-person keys. */
function grantPersonalData(resources: PlatformResources, fn: CreditFunction): void {
  resources.personalDataKey.grant(fn, 'kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey');
  fn.addEnvironment(ENV.personalDataKeyId, resources.personalDataKey.keyId);
  resources.pepperSecret.grantRead(fn);
  fn.addEnvironment(ENV.pepperSecretArn, resources.pepperSecret.secretArn);
}

/**
 * Creates the function `name` of the manifest with its grants and environment. The trigger
 * (event source, route, schedule) is attached by the construct of its bounded context.
 */
export function createPlatformFunction(scope: Construct, name: FunctionName, resources: PlatformResources, config: StageConfig): CreditFunction {
  const def = FUNCTIONS[name];
  const fn = new CreditFunction(scope, pascal(name), {
    config,
    entry: def.entry,
    description: def.description,
    timeoutSeconds: def.timeoutSeconds,
    memoryMb: def.memoryMb,
  });

  for (const [tableName, access] of entriesOf(def.tables)) {
    const table = resources.tables[tableName];
    grantTable(table, fn, access);
    fn.addEnvironment(TABLES[tableName].env, table.tableName);
  }
  for (const tableName of def.partitionReads ?? []) {
    if (def.tables[tableName] !== 'read') throw new Error(`${name}: partitionReads names ${tableName}, which its tables do not grant 'read'`);
    grantPartitionReads(resources.tables[tableName], fn);
  }
  for (const [bucketName, access] of entriesOf(def.buckets)) {
    const bucket = resources.buckets[bucketName];
    grantBucket(bucket, fn, access);
    fn.addEnvironment(BUCKETS[bucketName].env, bucket.bucketName);
  }
  for (const queueName of def.sendsTo) {
    const queue = resources.queues[queueName];
    queue.grantSendMessages(fn);
    fn.addEnvironment(QUEUES[queueName].env, queue.queueUrl);
  }
  if (def.personalData) grantPersonalData(resources, fn);
  if (def.nationalPlatform) {
    // the signing key and where to send: read access to this one secret, the endpoint from the stage
    resources.nationalSecret.grantRead(fn);
    fn.addEnvironment(ENV.nationalSecretArn, resources.nationalSecret.secretArn);
    if (config.nationalEndpoint) fn.addEnvironment(ENV.nationalEndpoint, config.nationalEndpoint);
  }

  if (def.clientLimit) {
    // the per-client limit (adapters/rate-limit): the key for source IPs and the stage's limit
    resources.clientKeySecret.grantRead(fn);
    fn.addEnvironment(ENV.clientKeySecretArn, resources.clientKeySecret.secretArn);
    fn.addEnvironment(ENV.publicRateLimit, String(config.publicRateLimit.limit));
    fn.addEnvironment(ENV.publicRateWindowSeconds, String(config.publicRateLimit.windowSeconds));
  }

  addResourceWildcardSuppressions(fn, name, resources);
  return fn;
}

/**
 * IAM5 findings that remain after the grants above, each on a resource the manifest names:
 * the objects of a granted bucket, the indexes of a granted table, and the KMS actions
 * Table.grantWriteData adds for a table encrypted with the personal-data key.
 */
function addResourceWildcardSuppressions(fn: CreditFunction, name: FunctionName, resources: PlatformResources): void {
  const def = FUNCTIONS[name];
  const bucketObjects = entriesOf(def.buckets).map(([bucketName]) => `Resource::${nagArn(resources.buckets[bucketName])}/*`);
  acknowledgeFindings(
    fn.executionRole,
    'AwsSolutions-IAM5',
    bucketObjects,
    'Object-level S3 actions on the objects of a bucket lib/platform.ts grants this function (bucket ARN + "/*"): object keys are per upload and not known in advance.',
  );
  const tableIndexes = entriesOf(def.tables)
    .filter(([tableName, access]) => access !== 'append' && access !== 'count' && TABLES[tableName].indexes.length > 0)
    .map(([tableName]) => `Resource::${nagArn(resources.tables[tableName])}/index/*`);
  acknowledgeFindings(
    fn.executionRole,
    'AwsSolutions-IAM5',
    tableIndexes,
    'Table.grant*Data covers the global secondary indexes lib/platform.ts declares for this table (table ARN + "/index/*").',
  );
  const writesCmkTable = entriesOf(def.tables).some(
    ([tableName, access]) => (access === 'write' || access === 'readWrite') && resources.tables[tableName].encryptionKey !== undefined,
  );
  if (writesCmkTable) {
    acknowledgeFindings(
      fn.executionRole,
      'AwsSolutions-IAM5',
      ['Action::kms:ReEncrypt*', 'Action::kms:GenerateDataKey*'],
      "Table.grantWriteData/grantReadWriteData adds these for the natural-person table's customer-managed key, scoped to that one key ARN, for DynamoDB server-side encryption on the caller's behalf.",
    );
  }
}
