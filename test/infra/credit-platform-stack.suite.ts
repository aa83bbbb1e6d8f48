import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Capture, Match, Template } from 'aws-cdk-lib/assertions';
import type { Asset } from 'aws-cdk-lib/aws-s3-assets';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseRoute, PUBLIC_ROUTE_THROTTLE } from '../../lib/api-construct.ts';
import { isPublicRoute } from '../../lib/platform.ts';
import { ESM_REQUIRE_BANNER } from '../../lib/credit-function.ts';
import type { CreditPlatformStack } from '../../lib/credit-platform-stack.ts';
import { BUCKETS, FUNCTIONS, type FunctionName, QUEUES, TABLES } from '../../lib/platform.ts';
import { SCHEDULE_MAX_EVENT_AGE, SCHEDULE_RETRY_ATTEMPTS } from '../../lib/schedules-construct.ts';
import { parseOrigins, parseStage } from '../../lib/stage.ts';
import { entriesOf } from '../../lib/manifest.ts';
import { logicalId, synthesized } from './synth.ts';

let dev: CreditPlatformStack;
let prod: CreditPlatformStack;
let template: Template;
let prodTemplate: Template;
let outdir: string;

beforeAll(() => {
  const platform = synthesized();
  dev = platform.stacks.dev;
  prod = platform.stacks.prod;
  outdir = platform.app.outdir;
  template = Template.fromStack(dev);
  prodTemplate = Template.fromStack(prod);
});

const getAtt = (id: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [id, attribute] });
const functionNames = Object.keys(FUNCTIONS) as FunctionName[];
const manifestRoutes = Object.values(FUNCTIONS).flatMap((def) => (def.trigger.kind === 'http' ? def.trigger.routes : []));

function fn(name: FunctionName) {
  const built = dev.functions[name];
  if (!built) throw new Error(`function ${name} was not built`);
  return built;
}

/** Every statement of every IAM policy attached to the function's execution role. */
function roleStatements(name: FunctionName): Array<Record<string, unknown>> {
  const roleId = logicalId(fn(name).executionRole);
  const statements = new Capture();
  template.hasResourceProperties('AWS::IAM::Policy', {
    Roles: Match.arrayWith([{ Ref: roleId }]),
    PolicyDocument: { Statement: statements },
  });
  const all: Array<Record<string, unknown>> = [];
  do all.push(...(statements.asArray() as Array<Record<string, unknown>>));
  while (statements.next());
  return all;
}

const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

describe('stage', () => {
  it('accepts dev and prod only, with a clear error otherwise', () => {
    expect(parseStage('dev')).toBe('dev');
    expect(parseStage('prod')).toBe('prod');
    expect(() => parseStage('staging')).toThrow(/Invalid stage "staging".*dev \| prod/);
    expect(() => parseStage(undefined)).toThrow(/Invalid stage/);
  });

  it('parses CORS origins and refuses malformed ones', () => {
    expect(parseOrigins(undefined)).toEqual(['*']);
    expect(parseOrigins('https://a.example.org, http://localhost:3000')).toEqual(['https://a.example.org', 'http://localhost:3000']);
    expect(() => parseOrigins('a.example.org/path')).toThrow(/Invalid origin/);
  });

  it('keeps data in prod and throws it away in dev', () => {
    for (const type of ['AWS::DynamoDB::Table', 'AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::SecretsManager::Secret', 'AWS::Cognito::UserPool']) {
      for (const resource of Object.values(prodTemplate.findResources(type))) expect(resource.DeletionPolicy).toBe('Retain');
      for (const resource of Object.values(template.findResources(type))) expect(resource.DeletionPolicy).toBe('Delete');
    }
    prodTemplate.allResourcesProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: true });
    prodTemplate.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });

  it('drives log retention and log level', () => {
    for (const name of functionNames) {
      const logGroupId = logicalId(fn(name).functionLogGroup);
      expect(template.toJSON().Resources[logGroupId].Properties.RetentionInDays).toBe(7);
    }
    prodTemplate.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
    prodTemplate.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ STAGE: 'prod', POWERTOOLS_LOG_LEVEL: 'INFO' }) },
    });
  });
});

describe('storage', () => {
  it('has one table per manifest entry, keys and indexes as declared, PITR and encryption on', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', Object.keys(TABLES).length);
    const personalKey = logicalId(dev.storage.personalDataKey);
    for (const [name, def] of entriesOf(TABLES)) {
      const table = template.toJSON().Resources[logicalId(dev.storage.tables[name])];
      expect(table.Type).toBe('AWS::DynamoDB::Table');
      expect(table.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: def.partitionKey, KeyType: 'HASH' },
          { AttributeName: def.sortKey, KeyType: 'RANGE' },
        ],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
      if (def.personalData) {
        expect(table.Properties.SSESpecification).toEqual({
          SSEEnabled: true,
          SSEType: 'KMS',
          KMSMasterKeyId: getAtt(personalKey),
        });
      } else {
        expect(table.Properties.SSESpecification).toEqual({ SSEEnabled: true });
      }
      const indexes = (table.Properties.GlobalSecondaryIndexes ?? []) as Array<Record<string, unknown>>;
      expect(indexes).toEqual(
        def.indexes.map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: index.keysOnly ? 'KEYS_ONLY' : 'ALL' },
        })),
      );
    }
  });

  it('rotates the KMS keys and generates a 64-character pepper under the personal-data key', () => {
    template.allResourcesProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      KmsKeyId: getAtt(logicalId(dev.storage.personalDataKey)),
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false },
    });
  });

  it('encrypts, blocks public access, logs access and aborts stale multipart uploads on every bucket', () => {
    const logBucket = logicalId(dev.storage.accessLogBucket);
    template.allResourcesProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: Match.anyValue() })] },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } })]),
      },
    });
    for (const [name, def] of entriesOf(BUCKETS)) {
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              BucketKeyEnabled: true,
              ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: getAtt(logicalId(dev.storage.filesKey)) },
            },
          ],
        },
        LoggingConfiguration: { DestinationBucketName: { Ref: logBucket }, LogFilePrefix: `${name}/` },
        VersioningConfiguration: def.directUploads ? { Status: 'Enabled' } : Match.absent(),
        CorsConfiguration: def.directUploads
          ? { CorsRules: [Match.objectLike({ AllowedMethods: ['PUT'], ExposedHeaders: Match.arrayWith(['ETag']) })] }
          : Match.absent(),
      });
    }
  });

  it('expires check results after 30 days and rejection reports after 400 days in the work bucket', () => {
    const work = template.toJSON().Resources[logicalId(dev.storage.buckets.work)];
    const rules = work.Properties.LifecycleConfiguration.Rules as Array<Record<string, unknown>>;
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Prefix: 'checks/', ExpirationInDays: 30, Status: 'Enabled' }),
        expect.objectContaining({ Prefix: 'rejections/', ExpirationInDays: 400, Status: 'Enabled' }),
      ]),
    );
    // nothing else expires but raw uploads (minimisation: gone after RAW_UPLOAD_DAYS at most) and the
    // copies of large rejection reports served by presigned download; no rule covers the whole work bucket
    const uploads = template.toJSON().Resources[logicalId(dev.storage.buckets.uploads)];
    const expiring = (bucket: typeof work) =>
      (bucket.Properties.LifecycleConfiguration.Rules as Array<Record<string, unknown>>).filter((r) => r.ExpirationInDays !== undefined);
    expect(expiring(uploads)).toEqual([expect.objectContaining({ Prefix: 'incoming/', ExpirationInDays: 7, Status: 'Enabled' })]);
    expect(
      expiring(work)
        .map((r) => r.Prefix)
        .sort(),
    ).toEqual(['checks/', 'rejections-csv/', 'rejections/']);
  });

  it('denies non-TLS access in every bucket policy', () => {
    const policies = template.findResources('AWS::S3::BucketPolicy');
    // the manifest buckets, the access-log bucket, and the console's site and CDN-log buckets
    expect(Object.keys(policies)).toHaveLength(Object.keys(BUCKETS).length + 3);
    for (const policy of Object.values(policies)) {
      expect(policy.Properties.PolicyDocument.Statement).toEqual(
        expect.arrayContaining([expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      );
    }
  });
});

describe('ingest', () => {
  it('gives every manifest queue an encrypted DLQ with the manifest redrive and visibility settings', () => {
    template.resourceCountIs('AWS::SQS::Queue', Object.keys(QUEUES).length * 2 + 1);
    template.allResourcesProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    for (const [name, def] of entriesOf(QUEUES)) {
      const queue = template.toJSON().Resources[logicalId(dev.ingest.queues[name])];
      expect(queue.Properties).toMatchObject({
        VisibilityTimeout: def.visibilityTimeoutSeconds,
        RedrivePolicy: {
          deadLetterTargetArn: getAtt(logicalId(dev.ingest.deadLetterQueues[name])),
          maxReceiveCount: def.maxReceiveCount,
        },
      });
    }
  });

  it('denies non-TLS access on every queue', () => {
    const queues = Object.keys(template.findResources('AWS::SQS::Queue'));
    for (const queueId of queues) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId }],
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        },
      });
    }
  });

  it('alarms on the depth of every dead-letter queue', () => {
    const dlqs = [...Object.values(dev.ingest.deadLetterQueues), dev.schedules.deadLetterQueue];
    // other alarms watch application metrics (e.g. lib/rights-construct.ts); one queue-depth alarm per DLQ
    const depthAlarms = template.findResources('AWS::CloudWatch::Alarm', {
      Properties: { Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible' },
    });
    expect(Object.keys(depthAlarms)).toHaveLength(dlqs.length);
    for (const dlq of dlqs) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: getAtt(logicalId(dlq), 'QueueName') }],
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        EvaluationPeriods: 1,
      });
    }
  });

  it('notifies the upload-events queue of objects created under incoming/', () => {
    for (const [name, def] of entriesOf(BUCKETS)) {
      if (!def.notify) continue;
      template.hasResourceProperties('Custom::S3BucketNotifications', {
        BucketName: { Ref: logicalId(dev.storage.buckets[name]) },
        NotificationConfiguration: {
          QueueConfigurations: [
            {
              Events: ['s3:ObjectCreated:*'],
              Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: def.notify.prefix }] } },
              QueueArn: getAtt(logicalId(dev.ingest.queues[def.notify.queue])),
            },
          ],
        },
      });
    }
    expect(BUCKETS.uploads.notify).toEqual({ queue: 'uploadEvents', prefix: 'incoming/' });
  });

  it('consumes queues with partial batch responses, batch size and concurrency from the manifest', () => {
    const deadLetterSources = Object.values(FUNCTIONS).flatMap((def) => (def.trigger.kind === 'deadLetters' ? def.trigger.queues : []));
    const queueTriggered = functionNames.filter((name) => FUNCTIONS[name].trigger.kind === 'queue');
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', queueTriggered.length + deadLetterSources.length);
    template.allResourcesProperties('AWS::Lambda::EventSourceMapping', { FunctionResponseTypes: ['ReportBatchItemFailures'] });
    for (const name of queueTriggered) {
      const trigger = FUNCTIONS[name].trigger;
      if (trigger.kind !== 'queue') continue;
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: logicalId(fn(name)) },
        EventSourceArn: getAtt(logicalId(dev.ingest.queues[trigger.queue])),
        BatchSize: trigger.batchSize,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: trigger.maxConcurrency ? { MaximumConcurrency: trigger.maxConcurrency } : Match.absent(),
      });
    }
  });

  it('lets deadLetters functions consume the DLQs they name, with a visibility timeout of 6 x their timeout', () => {
    for (const name of functionNames) {
      const def = FUNCTIONS[name];
      const trigger = def.trigger;
      if (trigger.kind !== 'deadLetters') continue;
      for (const queue of trigger.queues) {
        const dlqId = logicalId(dev.ingest.deadLetterQueues[queue]);
        template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
          FunctionName: { Ref: logicalId(fn(name)) },
          EventSourceArn: getAtt(dlqId),
          BatchSize: trigger.batchSize,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
        });
        const visibility = template.toJSON().Resources[dlqId].Properties.VisibilityTimeout as number;
        expect(visibility).toBeGreaterThanOrEqual(6 * def.timeoutSeconds);
      }
    }
  });
});

describe('functions', () => {
  it('builds every manifest function on Node 22, ARM64, active tracing, own log group', () => {
    for (const name of functionNames) {
      const def = FUNCTIONS[name];
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: def.description,
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Timeout: def.timeoutSeconds,
        MemorySize: def.memoryMb,
        LoggingConfig: Match.objectLike({ LogGroup: { Ref: logicalId(fn(name).functionLogGroup) }, LogFormat: 'JSON' }),
        Environment: {
          Variables: Match.objectLike({
            STAGE: 'dev',
            POWERTOOLS_SERVICE_NAME: 'credit-platform',
            POWERTOOLS_LOG_LEVEL: 'DEBUG',
            NODE_OPTIONS: '--enable-source-maps',
          }),
        },
      });
    }
  });

  it('names in the environment exactly the resources the manifest grants', () => {
    for (const name of functionNames) {
      const def = FUNCTIONS[name];
      const variables = template.toJSON().Resources[logicalId(fn(name))].Properties.Environment.Variables as Record<string, unknown>;
      for (const [table] of entriesOf(def.tables)) expect(variables[TABLES[table].env]).toEqual({ Ref: logicalId(dev.storage.tables[table]) });
      for (const [bucket] of entriesOf(def.buckets)) expect(variables[BUCKETS[bucket].env]).toEqual({ Ref: logicalId(dev.storage.buckets[bucket]) });
      const queues = [...def.sendsTo, ...(def.trigger.kind === 'queue' ? [def.trigger.queue] : [])];
      for (const queue of queues) expect(variables[QUEUES[queue].env]).toEqual({ Ref: logicalId(dev.ingest.queues[queue]) });
      for (const [table, tableDef] of entriesOf(TABLES)) if (!(table in def.tables)) expect(variables).not.toHaveProperty(tableDef.env);
      expect('PERSONAL_DATA_KEY_ID' in variables).toBe(def.personalData === true);
      expect('PEPPER_SECRET_ARN' in variables).toBe(def.personalData === true);
    }
  });

  // loads every bundle in a child Node process: over a minute when the two cores are shared by eight sessions
  it('bundles each handler as an ES module with the createRequire banner that loads on this Node', { timeout: 300_000 }, () => {
    const bundles = Object.fromEntries(
      functionNames.map((name) => [name, path.join(outdir, (fn(name).node.findChild('Code') as Asset).assetPath, 'index.mjs')]),
    );
    for (const [name, bundle] of Object.entries(bundles)) {
      expect(readFileSync(bundle, 'utf8').startsWith(ESM_REQUIRE_BANNER), name).toBe(true);
    }
    // A fresh Node process loads them as Lambda does: module scope (SDK clients, Powertools, X-Ray) must not throw.
    const urls = Object.fromEntries(Object.entries(bundles).map(([name, bundle]) => [name, pathToFileURL(bundle).href]));
    const script = `const out = {}; for (const [name, url] of Object.entries(${JSON.stringify(urls)})) out[name] = typeof (await import(url)).handler; process.stdout.write(JSON.stringify(out));`;
    const exported = execFileSync(process.execPath, ['--no-warnings', '--input-type=module', '-e', script], {
      env: { ...process.env, AWS_REGION: 'cn-north-1' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(JSON.parse(exported)).toEqual(Object.fromEntries(functionNames.map((name) => [name, 'function'])));
  });

  it('gives execution roles no managed policies', () => {
    for (const name of functionNames) {
      const role = template.toJSON().Resources[logicalId(fn(name).executionRole)];
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });
});

describe('least privilege', () => {
  const writes = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

  function allowsOn(statements: Array<Record<string, unknown>>, resourceId: string): string[] {
    return statements
      .filter((statement) => statement.Effect === 'Allow')
      .filter((statement) => JSON.stringify(asArray(statement.Resource)).includes(`"${resourceId}"`))
      .flatMap((statement) => asArray(statement.Action) as string[]);
  }

  it('runs catalog imports from the imports bucket: notified under catalog/, the catalog table indexed byProvider, catalogImport reads the bucket and touches no subject data', () => {
    expect(BUCKETS.imports.notify).toEqual({ queue: 'catalogImports', prefix: 'catalog/' });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: getAtt(logicalId(dev.ingest.queues.catalogImports)),
      FunctionName: { Ref: logicalId(fn('catalogImport')) },
      BatchSize: 1,
    });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      GlobalSecondaryIndexes: Match.arrayWith([
        Match.objectLike({
          IndexName: 'byProvider',
          KeySchema: [
            { AttributeName: 'ppk', KeyType: 'HASH' },
            { AttributeName: 'psk', KeyType: 'RANGE' },
          ],
        }),
      ]),
    });
    const statements = roleStatements('catalogImport');
    expect(allowsOn(statements, logicalId(dev.storage.tables.catalog))).toEqual(expect.arrayContaining(writes));
    expect(allowsOn(statements, logicalId(dev.storage.tables.legalSubjects))).toEqual([]);
    expect(allowsOn(statements, logicalId(dev.storage.personalDataKey))).toEqual([]);
    const onImports = allowsOn(statements, logicalId(dev.storage.buckets.imports));
    expect(onImports).toEqual(expect.arrayContaining(['s3:GetObject']));
    expect(onImports.filter((a) => a.startsWith('s3:Put') || a.startsWith('s3:Delete'))).toEqual([]);
  });

  it('lets processChunk write legalSubjects', () => {
    const legal = logicalId(dev.storage.tables.legalSubjects);
    const actions = allowsOn(roleStatements('processChunk'), legal);
    expect(actions).toEqual(expect.arrayContaining(writes));
  });

  it('gives catalogApi nothing on legalSubjects, the personal-data key or the pepper', () => {
    const statements = roleStatements('catalogApi');
    expect(allowsOn(statements, logicalId(dev.storage.tables.legalSubjects))).toEqual([]);
    expect(allowsOn(statements, logicalId(dev.storage.tables.naturalSubjects))).toEqual([]);
    expect(allowsOn(statements, logicalId(dev.storage.personalDataKey))).toEqual([]);
    expect(allowsOn(statements, logicalId(dev.storage.pepperSecret))).toEqual([]);
    expect(allowsOn(statements, logicalId(dev.storage.tables.catalog))).toEqual(expect.arrayContaining(writes));
  });

  it('grants read-only tables no write action', () => {
    for (const name of functionNames) {
      const statements = roleStatements(name);
      for (const [table, access] of entriesOf(FUNCTIONS[name].tables)) {
        const actions = allowsOn(statements, logicalId(dev.storage.tables[table]));
        // 'append' (the query log) is PutItem, and Query limited to the hash chain's CHAIN#{day}
        // partitions (the head link an append extends): no GetItem, no other reads, no writes
        if (access === 'append') expect([...actions].sort()).toEqual(['dynamodb:PutItem', 'dynamodb:Query']);
        // 'count' (statistics counters) is UpdateItem only
        else if (access === 'count') expect(actions).toEqual(['dynamodb:UpdateItem']);
        else expect(actions).toContain('dynamodb:GetItem');
        if (access === 'read') for (const write of writes) expect(actions, `${name} on ${table}`).not.toContain(write);
      }
    }
  });

  it('lets only the bulk-check functions read many credit files a request (PartiQL by partition key), and never as a table scan', () => {
    for (const name of functionNames) {
      const statements = roleStatements(name);
      for (const table of ['legalSubjects', 'naturalSubjects'] as const) {
        const id = logicalId(dev.storage.tables[table]);
        const allowed = allowsOn(statements, id).includes('dynamodb:PartiQLSelect');
        expect(allowed, `${name} on ${table}`).toBe((FUNCTIONS[name].partitionReads ?? []).includes(table));
        if (!allowed) continue;
        const denies = statements.filter((statement) => statement.Effect === 'Deny' && JSON.stringify(asArray(statement.Resource)).includes(`"${id}"`));
        expect(denies, `${name} on ${table}`).toEqual([
          expect.objectContaining({ Action: 'dynamodb:PartiQLSelect', Condition: { Bool: { 'dynamodb:FullTableScan': 'true' } } }),
        ]);
      }
    }
    expect(FUNCTIONS.processCheckPart.partitionReads).toEqual(['legalSubjects', 'naturalSubjects']);
  });

  it('uses no wildcard actions except the KMS ones Table.grantWriteData adds for a personal-data table', () => {
    for (const name of functionNames) {
      const wildcards = roleStatements(name)
        .flatMap((statement) => asArray(statement.Action) as string[])
        .filter((action) => action.includes('*'));
      const writesPersonalData = Object.entries(FUNCTIONS[name].tables).some(
        ([t, access]) => TABLES[t as keyof typeof TABLES].personalData && access !== 'read',
      );
      const allowed = writesPersonalData ? ['kms:GenerateDataKey*', 'kms:ReEncrypt*'] : [];
      expect(
        wildcards.filter((action) => !allowed.includes(action)),
        name,
      ).toEqual([]);
    }
  });
});

describe('api', () => {
  it('has exactly the manifest routes, each behind the Cognito JWT authorizer unless public (/v1/public/, the OpenAPI document)', () => {
    const authorizerId = Object.keys(template.findResources('AWS::ApiGatewayV2::Authorizer'))[0];
    template.resourceCountIs('AWS::ApiGatewayV2::Route', manifestRoutes.length);
    for (const route of manifestRoutes) {
      const isPublic = isPublicRoute(route);
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: route,
        AuthorizationType: isPublic ? 'NONE' : 'JWT',
        AuthorizerId: isPublic ? Match.absent() : { Ref: authorizerId },
      });
    }
  });

  it('never deploys a /local/ route', () => {
    const routeKeys = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((route) => route.Properties.RouteKey as string);
    expect(routeKeys.filter((key) => key.includes('/local/'))).toEqual([]);
    expect(routeKeys).not.toContain('POST /local/token');
    expect(() => parseRoute('POST /local/token')).toThrow(/local-only/);
    expect(() => parseRoute('GET /local')).toThrow(/local-only/);
    expect(() => parseRoute('FETCH /v1/catalog')).toThrow(/METHOD \/path/);
    expect(isPublicRoute('GET /v1/public/subjects')).toBe(true);
    expect(isPublicRoute('GET /v1/openapi.json')).toBe(true);
    expect(isPublicRoute('GET /v1/publications')).toBe(false);
  });

  it('validates tokens from the user pool for the API client and the web console', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: logicalId(dev.api.userPoolClient) }, { Ref: logicalId(dev.api.consoleSignIn.client) }],
        Issuer: {
          'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/', { Ref: logicalId(dev.api.userPool) }]],
        },
      },
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      WriteAttributes: ['name'],
    });
  });

  it('logs access and throttles on the default stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('\\$context\\.requestId') },
      DefaultRouteSettings: Match.objectLike({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 }),
    });
  });

  it('throttles every public route more tightly than the stage default, once its route exists', () => {
    const publicRoutes = manifestRoutes.filter((route) => isPublicRoute(route));
    expect(publicRoutes).toEqual(expect.arrayContaining(['GET /v1/public/publicity', 'GET /v1/public/subjects/{uscc}', 'GET /v1/openapi.json']));
    expect(PUBLIC_ROUTE_THROTTLE).toEqual({ rateLimit: 20, burstLimit: 50 });
    for (const t of [template, prodTemplate]) {
      const stages = t.findResources('AWS::ApiGatewayV2::Stage');
      expect(Object.keys(stages)).toHaveLength(1);
      const [stage] = Object.values(stages);
      expect(stage.Properties.RouteSettings).toEqual(
        Object.fromEntries(publicRoutes.map((route) => [route, { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 50 }])),
      );
      // the stage default stays in place for every other route
      expect(stage.Properties.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: expect.any(Number), ThrottlingBurstLimit: expect.any(Number) });
      const routeIds = Object.entries(t.findResources('AWS::ApiGatewayV2::Route'))
        .filter(([, route]) => publicRoutes.includes(route.Properties.RouteKey as string))
        .map(([id]) => id);
      expect(routeIds).toHaveLength(publicRoutes.length);
      expect(stage.DependsOn).toEqual(expect.arrayContaining(routeIds));
    }
    prodTemplate.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: Match.objectLike({ ThrottlingRateLimit: 500, ThrottlingBurstLimit: 1000 }),
    });
  });

  it('requires MFA and threat protection in prod only', () => {
    prodTemplate.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
    template.hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'OPTIONAL', UserPoolTier: 'ESSENTIALS' });
  });
});

describe('schedules', () => {
  it('runs each schedule trigger with an explicit retry policy and a dead-letter queue', () => {
    const scheduled = functionNames.filter((name) => FUNCTIONS[name].trigger.kind === 'schedule');
    // queue consumers with a schedule (the national export) get a schedule that sends to their queue
    const queueScheduled = functionNames.filter((name) => {
      const t = FUNCTIONS[name].trigger;
      return t.kind === 'queue' && Boolean(t.schedule);
    });
    expect(queueScheduled.length).toBeGreaterThan(0);
    template.resourceCountIs('AWS::Scheduler::Schedule', scheduled.length + queueScheduled.length);
    for (const name of queueScheduled) {
      const t = FUNCTIONS[name].trigger;
      if (t.kind !== 'queue' || !t.schedule) continue;
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: t.schedule.expression,
        ScheduleExpressionTimezone: 'Asia/Shanghai',
        Target: Match.objectLike({
          RetryPolicy: { MaximumRetryAttempts: SCHEDULE_RETRY_ATTEMPTS, MaximumEventAgeInSeconds: SCHEDULE_MAX_EVENT_AGE.toSeconds() },
          DeadLetterConfig: { Arn: getAtt(logicalId(dev.schedules.deadLetterQueue)) },
        }),
      });
    }
    for (const name of scheduled) {
      const trigger = FUNCTIONS[name].trigger;
      if (trigger.kind !== 'schedule') continue;
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: trigger.expression,
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: Match.objectLike({
          Arn: getAtt(logicalId(fn(name))),
          RetryPolicy: {
            MaximumRetryAttempts: SCHEDULE_RETRY_ATTEMPTS,
            MaximumEventAgeInSeconds: SCHEDULE_MAX_EVENT_AGE.toSeconds(),
          },
          DeadLetterConfig: { Arn: getAtt(logicalId(dev.schedules.deadLetterQueue)) },
        }),
      });
    }
  });
});

describe('outputs', () => {
  it('exports the API URL, upload bucket and user pool ids', () => {
    const outputs = template.toJSON().Outputs as Record<string, unknown>;
    expect(Object.keys(outputs).sort()).toEqual([
      'AlarmTopicArn',
      'ConsoleUrl',
      'DashboardName',
      'HttpApiUrl',
      'ProviderUploadRoleArn',
      'UploadBucketName',
      'UserPoolClientId',
      'UserPoolId',
    ]);
    template.hasOutput('UploadBucketName', { Value: { Ref: logicalId(dev.storage.buckets.uploads) } });
  });
});

describe('capacity alarms (docs/scaling.md)', () => {
  it('alarms on write throttling of each subject table and every one of its indexes', () => {
    for (const name of ['legalSubjects', 'naturalSubjects'] as const) {
      const alarm = Object.values(template.findResources('AWS::CloudWatch::Alarm')).find(
        (r: any) => r.Properties.AlarmName === `${dev.config.namePrefix}-${name}-write-throttles`,
      ) as any;
      expect(alarm, name).toBeDefined();
      const metrics = (alarm.Properties.Metrics as any[]).filter((m) => m.MetricStat);
      const indexes = metrics.map((m) => m.MetricStat.Metric.Dimensions.find((d: any) => d.Name === 'GlobalSecondaryIndexName')?.Value).filter(Boolean);
      expect(indexes.sort()).toEqual(TABLES[name].indexes.map((i) => i.name).sort());
      expect(metrics.every((m) => m.MetricStat.Metric.MetricName === 'WriteThrottleEvents')).toBe(true);
    }
  });

  it('alarms when a chunk of an uploaded file waits too long', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `${dev.config.namePrefix}-record-chunks-backlog`,
      MetricName: 'ApproximateAgeOfOldestMessage',
      Threshold: 1800,
    });
  });
});
