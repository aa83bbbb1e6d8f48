/**
 * The platform's resources as plain data: tables, queues, buckets, functions, their triggers and
 * routes. The CDK stack (lib/*-construct.ts) and the local runtime (local/) are both built from
 * this one description, so the two cannot drift. No CDK or AWS SDK imports here.
 */
import { INGEST_FUNCTIONS } from './manifest/ingest.ts';
import { CATALOG_FUNCTIONS } from './manifest/catalog.ts';
import { LISTS_FUNCTIONS } from './manifest/lists.ts';
import { QUERY_FUNCTIONS } from './manifest/query.ts';
import { CHECKS_FUNCTIONS } from './manifest/checks.ts';
import { HOUSEKEEPING_FUNCTIONS } from './manifest/housekeeping.ts';
import { RIGHTS_FUNCTIONS } from './manifest/rights.ts';
import { EXPORT_FUNCTIONS } from './manifest/export.ts';
import { STATS_FUNCTIONS } from './manifest/stats.ts';
import { CALENDAR_FUNCTIONS } from './manifest/calendar.ts';
import { JOINT_FUNCTIONS } from './manifest/joint.ts';

export type TableName =
  | 'legalSubjects'
  | 'naturalSubjects'
  | 'registry'
  | 'catalog'
  | 'batches'
  | 'authorizations'
  | 'queryLog'
  | 'checks'
  | 'objections'
  | 'reportQuota'
  | 'exports'
  | 'stats'
  | 'calendar'
  | 'jobs'
  | 'joint'
  | 'rateLimits'
  | 'queryBudgets';
export type QueueName = 'uploadEvents' | 'recordChunks' | 'checkParts' | 'exportRuns' | 'catalogImports';
export type BucketName = 'uploads' | 'work' | 'imports';

export interface TableDef {
  /** Environment variable carrying the physical name into functions. */
  env: string;
  partitionKey: string;
  sortKey: string;
  /** Global secondary indexes; keys are string attributes, projection ALL unless `keysOnly`. */
  indexes: Array<{ name: string; partitionKey: string; sortKey: string; keysOnly?: boolean }>;
  /** Holds personal data (natural persons): encrypted with the personal-data KMS key in AWS. */
  personalData?: boolean;
  /** Number attribute (epoch seconds) after which DynamoDB's time to live deletes an item. */
  ttlAttribute?: string;
}

export const TABLES: Record<TableName, TableDef> = {
  // 法人及非法人组织: pk = USCC, sk = REGISTRATION | REC#{provider}#{item}#{recordId}
  // gsi byPublicity (双公示 search): pubpk = PUB#{PENALTY|LICENSING}#{first character of the name},
  // pubsk = {name}#{recordId}; set only on double-publicity records while they are shown publicly
  // (removed when a record leaves ACTIVE, and by the daily recordExpiry run once its publicity ends)
  // gsi byChange (national export watermark, core/change-marker): chgpk = CHG#{shard},
  // chgsk = {write time}#{recordId}; set on every write of a PENALTY / LICENSING record
  // gsi byExpiry (core/due-day, both subject tables): exppk = EXP#{shard}, expsk = {due day}#{recordId};
  // set on an ACTIVE record that has a day something about it falls due (its query period ends, or
  // it leaves the public search), removed when it leaves ACTIVE: the recordExpiry run reads only what is due
  legalSubjects: {
    env: 'LEGAL_TABLE',
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [
      { name: 'byPublicity', partitionKey: 'pubpk', sortKey: 'pubsk' },
      { name: 'byChange', partitionKey: 'chgpk', sortKey: 'chgsk' },
      { name: 'byExpiry', partitionKey: 'exppk', sortKey: 'expsk' },
      // ACTIVE records by item (core/due-day itemKeys), keys only: re-keying an item's records when
      // its query period changes reads its own records, nothing else
      { name: 'byItem', partitionKey: 'itempk', sortKey: 'itemsk', keysOnly: true },
    ],
  },
  // 自然人: pk = HMAC-SHA256(pepper, 18-digit ID); the number itself is stored only encrypted
  naturalSubjects: {
    env: 'NATURAL_TABLE',
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [
      { name: 'byChange', partitionKey: 'chgpk', sortKey: 'chgsk' },
      { name: 'byExpiry', partitionKey: 'exppk', sortKey: 'expsk' },
      { name: 'byItem', partitionKey: 'itempk', sortKey: 'itemsk', keysOnly: true },
    ],
    personalData: true,
  },
  // 主体库 registry (REG#{regNo} / ORG#{orgCode} → USCC) and the unlinked holding area (HOLD#...)
  // gsi byWaiting (sparse): waitpk = WAIT#{shard}, waitsk = {receivedAt}#{recordId}, on the first
  // hold entry of each waiting record only; housekeeping reads it instead of the registry
  registry: { env: 'REGISTRY_TABLE', partitionKey: 'pk', sortKey: 'sk', indexes: [{ name: 'byWaiting', partitionKey: 'waitpk', sortKey: 'waitsk' }] },
  // 公共信用信息目录, entry by entry (adapters/catalog-repo): pk = CATALOG, sk = CURRENT | SEQ | V#{version};
  // heads HEAD#{section} / {key}; history HIST#{section}#{key} / S#{seq}; imports IMPORT#{id} / IMPORT;
  // gsi byProvider (item heads) P#{provider} / {item code}; the units register (core/units): pk = UNIT, sk = {code}
  catalog: { env: 'CATALOG_TABLE', partitionKey: 'pk', sortKey: 'sk', indexes: [{ name: 'byProvider', partitionKey: 'ppk', sortKey: 'psk' }] },
  // 批次/回执: pk = BATCH#{id}, sk = RECEIPT | CHUNK#{n}; gsi1 lists receipts per provider by time
  batches: {
    env: 'BATCHES_TABLE',
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [{ name: 'byProvider', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
  },
  // 书面授权: pk = AUTH#{ref}, sk = AUTH; gsi1 lists a subject's authorisations
  authorizations: {
    env: 'AUTHORIZATIONS_TABLE',
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [{ name: 'bySubject', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
  },
  // 查询记录, append-only: pk = SUBJ#{type}#{subject key}, sk = {at}#{queryId};
  // gsi1 by unit and time, gsi2 by month and time (statistics)
  queryLog: {
    env: 'QUERY_LOG_TABLE',
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [
      { name: 'byUnit', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
      { name: 'byMonth', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    ],
  },
  // 批量核查: pk = CHECK#{id}, sk = CHECK | PART#{n}
  checks: { env: 'CHECKS_TABLE', partitionKey: 'pk', sortKey: 'sk', indexes: [] },
  // 异议 (functions/adapters/objection-repo): pk = OBJ#{id}, sk = OBJECTION;
  // byStatus STATUS#{status} / {receivedAt}#{id}; byDeadline (open only) OPEN / {pending deadline}#{id};
  // byProvider (forwarded only) PROV#{provider} / {forwardedAt}#{id}; bySubject SUBJ#{type}#{key} / {receivedAt}#{id};
  // byReceived ALL / {receivedAt}#{id}: every objection across statuses, so the admin's listing is one Query per page
  objections: {
    env: 'OBJECTIONS_TABLE',
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [
      { name: 'byStatus', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
      { name: 'byDeadline', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
      { name: 'byProvider', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
      { name: 'bySubject', partitionKey: 'gsi4pk', sortKey: 'gsi4sk' },
      { name: 'byReceived', partitionKey: 'gsi5pk', sortKey: 'gsi5sk' },
    ],
    personalData: true,
  },
  // free own reports (SH-REG-2017 Art 34): pk = QUOTA#{subject key}, sk = {calendar year}, a conditional counter
  reportQuota: { env: 'REPORT_QUOTA_TABLE', partitionKey: 'pk', sortKey: 'sk', indexes: [] },
  // national export (functions/adapters/export-repo): one outbox item per sent batch SENT#{runId} / {table}#{shard}#{chgsk},
  // per-record exception items (rejected, held, …) EXC#{table}#{shard} / {recordId}, runs RUNS / {runId},
  // LEASE / LEASE, watermarks WATERMARK / {table}#{shard}, counters STATS#{year} / {type}.
  // byDeadline (sparse: active records not yet accepted) DUE / {publication deadline}#{recordId};
  // byHeld (sparse: records that cannot be mapped) HELD / {heldAt}#{recordId}
  exports: {
    env: 'EXPORTS_TABLE',
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [
      { name: 'byDeadline', partitionKey: 'duepk', sortKey: 'duesk' },
      { name: 'byHeld', partitionKey: 'heldpk', sortKey: 'heldsk' },
    ],
  },
  // operations statistics (adapters/stats-repo): counters kept as data arrives, pk = {KIND}#{year},
  // sk = {YYYY-MM | YYYY-MM-DD}[#{key}]; INGEST per month × provider × item (guarded by the batch ids
  // it has counted), QUERIES per day (by purpose, unit, role, channel, subject type; application items used),
  // QUERIES#CURSOR / ROLLUP: how far the query rollup (statsRollup) has counted the query log
  stats: { env: 'STATS_TABLE', partitionKey: 'pk', sortKey: 'sk', indexes: [] },
  // 工作日历 (functions/adapters/calendar-repo): pk = CALENDAR, sk = {year}: a year's official
  // holidays and adjusted working days (seeded from chinese-days, published by an admin); a year
  // without an item is provisional (core/work-calendar)
  calendar: { env: 'CALENDAR_TABLE', partitionKey: 'pk', sortKey: 'sk', indexes: [] },
  // positions of scheduled jobs (adapters/job-position): pk = JOB#{function}, sk = POSITION → where the
  // last invocation stopped; the next one resumes there
  jobs: { env: 'JOBS_TABLE', partitionKey: 'pk', sortKey: 'sk', indexes: [] },
  // per-unit daily query counters (core/query-budget, adapters/query-budget-repo): pk = UNIT#{code},
  // sk = {China day}, n = subjects queried; byDay (daypk = DAY#{day}, daysk = {code}) lists the units
  // that queried on a day, so the volume watch reads units × 31 items, never the whole table
  queryBudgets: {
    env: 'QUERY_BUDGETS_TABLE',
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [{ name: 'byDay', partitionKey: 'daypk', sortKey: 'daysk' }],
  },
  // 联合奖惩 (functions/adapters/joint-repo): list entries ENTRY#{id} / ENTRY, one open entry per
  // subject and list OPEN#{list}#{type}#{key} / OPEN, checks CHECK#{id} / CHECK and their feedback
  // CHECK#{id} / FB#{subject key}#{measure}. byDue (sparse) DUE / {next transition}#{entryId};
  // bySubject SUBJ#{type}#{key}; byList LIST#{code}#{status}; byFeedback (sparse) FEEDBACK_DUE / {due}#…;
  // byNational (sparse) NAT / {changed at}#{entryId}: entries whose listing or exit the national export has not sent
  joint: {
    env: 'JOINT_TABLE',
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [
      { name: 'byDue', partitionKey: 'duepk', sortKey: 'duesk' },
      { name: 'bySubject', partitionKey: 'subjpk', sortKey: 'subjsk' },
      { name: 'byList', partitionKey: 'listpk', sortKey: 'listsk' },
      { name: 'byFeedback', partitionKey: 'fbpk', sortKey: 'fbsk' },
      { name: 'byNational', partitionKey: 'natpk', sortKey: 'natsk' },
    ],
    personalData: true,
  },
  // per-client limit of the anonymous routes (functions/adapters/rate-limit): pk = C#{HMAC of the
  // source IP}, sk = W{window seconds}#{window start}, n = requests in the window; deleted by TTL
  // after the window. A table of its own: the public functions' one write grant (UpdateItem) reaches
  // nothing but these counters, and the TTL attribute concerns them alone
  rateLimits: { env: 'RATE_LIMITS_TABLE', partitionKey: 'pk', sortKey: 'sk', indexes: [], ttlAttribute: 'expiresAt' },
};

export interface QueueDef {
  env: string;
  /** Seconds a received message stays invisible; ≥ 6 × the consumer's timeout. */
  visibilityTimeoutSeconds: number;
  /** Receives before a message moves to the DLQ. */
  maxReceiveCount: number;
  /**
   * FIFO queue; messages carry a group id and each group is processed in order, one at a time.
   * Chunks of one batch form one group, so duplicate keys across a file's chunks are found exactly.
   */
  fifo?: boolean;
}

export const QUEUES: Record<QueueName, QueueDef> = {
  uploadEvents: { env: 'UPLOAD_EVENTS_QUEUE_URL', visibilityTimeoutSeconds: 5400, maxReceiveCount: 5 },
  recordChunks: { env: 'CHUNK_QUEUE_URL', visibilityTimeoutSeconds: 1800, maxReceiveCount: 5, fifo: true },
  checkParts: { env: 'CHECK_PARTS_QUEUE_URL', visibilityTimeoutSeconds: 1800, maxReceiveCount: 5 },
  // one message per export run (API, schedule, or a run continuing after its time slice)
  exportRuns: { env: 'EXPORT_RUNS_QUEUE_URL', visibilityTimeoutSeconds: 5400, maxReceiveCount: 5 },
  // one message per catalog document PUT to the imports bucket (S3 notification)
  catalogImports: { env: 'CATALOG_IMPORTS_QUEUE_URL', visibilityTimeoutSeconds: 5400, maxReceiveCount: 3 },
};

export interface BucketDef {
  env: string;
  /**
   * Object-created events for keys under `prefix` go to `queue` (S3 event notification JSON).
   * AWS: an S3 bucket notification. Local: the runtime emits the same event itself.
   */
  notify?: { queue: QueueName; prefix: string };
  /**
   * Providers put files straight into this bucket (their own credentials or presigned PUT URLs
   * from browsers): CORS for PUT, and versioning so a re-upload to the same key keeps the
   * earlier object and the (bucket, key, version) idempotency key stays unique.
   */
  directUploads?: boolean;
}

export const BUCKETS: Record<BucketName, BucketDef> = {
  uploads: { env: 'UPLOAD_BUCKET', notify: { queue: 'uploadEvents', prefix: 'incoming/' }, directUploads: true },
  // internal artifacts: rejection reports, check results
  work: { env: 'WORK_BUCKET' },
  // whole catalog documents for bulk import (POST /v1/catalog/imports presigns the PUT), catalog/{importId}
  imports: { env: 'IMPORTS_BUCKET', notify: { queue: 'catalogImports', prefix: 'catalog/' }, directUploads: true },
};

/**
 * 'append': PutItem only (the query log: no path updates or deletes an entry).
 * 'count': UpdateItem only (statistics counters: ADD to counters, never read, put or delete).
 * 'readDelete' (buckets): read and DeleteObject, no writes (a batch's raw file, once processed).
 * 'readUpdate' (tables): read and UpdateItem, no PutItem or DeleteItem (the export run settles the
 * credit-list entries it sent, and can neither create nor remove one).
 */
export type Access = 'read' | 'write' | 'readWrite' | 'append' | 'count' | 'readDelete' | 'readUpdate';

export interface FunctionDef {
  /** Entry file relative to the project root; exports `handler`. */
  entry: string;
  description: string;
  timeoutSeconds: number;
  memoryMb: number;
  tables: Partial<Record<TableName, Access>>;
  buckets: Partial<Record<BucketName, Access>>;
  /** Queues this function sends to. */
  sendsTo: QueueName[];
  /** Uses the personal-data key (hash pepper + encryption of ID numbers). */
  personalData?: boolean;
  /**
   * Subject tables whose partitions it reads many at a time (a bulk check's credit files, see
   * functions/adapters/subject-repo.ts subjectPartitions): dynamodb:PartiQLSelect naming partition
   * keys, and a deny on any statement that would scan the table. Each must be 'read' in `tables`.
   */
  partitionReads?: TableName[];
  /** Talks to the national platform: its endpoint and the request-signing secret. */
  nationalPlatform?: boolean;
  /**
   * Serves anonymous routes under the per-client limit (adapters/rate-limit): the client-key secret
   * and the limit's configuration; `tables` must then grant `rateLimits: 'count'`.
   */
  clientLimit?: boolean;
  trigger:
    | {
        kind: 'queue';
        queue: QueueName;
        batchSize: number;
        maxConcurrency?: number;
        /**
         * A schedule that puts `{"trigger": "SCHEDULE"}` on the queue (EventBridge Scheduler's SQS
         * target in AWS, a timer locally); cron in Beijing time, overridable per stage.
         */
        schedule?: { expression: string; localEverySeconds: number };
      }
    /** Consumes the dead-letter queues of the named queues. */
    | { kind: 'deadLetters'; queues: QueueName[]; batchSize: number }
    | { kind: 'http'; routes: string[] }
    | { kind: 'schedule'; expression: string; localEverySeconds: number };
}

/**
 * Every function, from its context's part (lib/manifest/<context>.ts); the name union follows from
 * the data. Built in a pure call: esbuild keeps a bare object spread in every bundle that imports
 * this file, and drops a pure call whose result the function does not use.
 */
const ALL_FUNCTIONS = /* @__PURE__ */ (() => ({
  ...INGEST_FUNCTIONS,
  ...CATALOG_FUNCTIONS,
  ...LISTS_FUNCTIONS,
  ...QUERY_FUNCTIONS,
  ...CHECKS_FUNCTIONS,
  ...HOUSEKEEPING_FUNCTIONS,
  ...RIGHTS_FUNCTIONS,
  ...EXPORT_FUNCTIONS,
  ...STATS_FUNCTIONS,
  ...CALENDAR_FUNCTIONS,
  ...JOINT_FUNCTIONS,
}))();

export type FunctionName = keyof typeof ALL_FUNCTIONS;

export const FUNCTIONS: Record<FunctionName, FunctionDef> = ALL_FUNCTIONS;

/** Paths anyone may read without a token: public information (the double-publicity search). */
export const PUBLIC_ROUTE_PREFIX = '/v1/public/';
/** Routes outside that prefix that need no token either: the API's own description. */
export const PUBLIC_ROUTES: readonly string[] = ['GET /v1/openapi.json'];

/** True for a route (`METHOD /path`, as in FUNCTIONS) that API Gateway serves without an authorizer. */
export function isPublicRoute(route: string): boolean {
  const path = route.slice(route.indexOf(' ') + 1);
  return path.startsWith(PUBLIC_ROUTE_PREFIX) || PUBLIC_ROUTES.includes(route);
}

/**
 * Anonymous routes outside the per-client limit. The API's own description is a fixed document
 * served from memory that reads no table; counting it would cost a DynamoDB write per call and put
 * the DynamoDB client in a function kept small on purpose (test/unit/openapi.test.ts). Its
 * route-level throttle (lib/api-construct PUBLIC_ROUTE_THROTTLE) bounds what one caller can take,
 * and the document is also in the repository (docs/openapi.json).
 */
export const CLIENT_LIMIT_EXEMPT: readonly string[] = ['GET /v1/openapi.json'];

/** True for an anonymous route every request of which counts against the client's limit. */
export function isClientLimited(route: string): boolean {
  return isPublicRoute(route) && !CLIENT_LIMIT_EXEMPT.includes(route);
}

/** Environment variables that are not resource names. */
export const ENV = {
  stage: 'STAGE',
  /** AWS: KMS key for envelope encryption of ID numbers. Local: unused. */
  personalDataKeyId: 'PERSONAL_DATA_KEY_ID',
  /** AWS: Secrets Manager secret holding the HMAC pepper. Local: the pepper itself via LOCAL_PEPPER. */
  pepperSecretArn: 'PEPPER_SECRET_ARN',
  localPepper: 'LOCAL_PEPPER',
  localDataKey: 'LOCAL_DATA_KEY',
  /** National platform: the endpoint export runs POST batches to (AWS: stage config; local: the stand-in). */
  nationalEndpoint: 'NATIONAL_ENDPOINT',
  /** AWS: Secrets Manager secret holding the HMAC-SHA256 request-signing key. Local: the key via LOCAL_NATIONAL_SECRET. */
  nationalSecretArn: 'NATIONAL_SECRET_ARN',
  localNationalSecret: 'LOCAL_NATIONAL_SECRET',
  /** Seconds an export run stays behind the clock (writes stamped at T may land slightly later; default 300). */
  exportLagSeconds: 'EXPORT_LAG_SECONDS',
  /** Seconds the statistics rollup stays behind the clock (a query logs its start time when it ends; default 120). */
  statsLagSeconds: 'STATS_LAG_SECONDS',
  /** Milliseconds one national request may take before it counts as a timeout (default 30000). */
  nationalTimeoutMs: 'NATIONAL_TIMEOUT_MS',
  /** Local only: the S3 endpoint browsers reach for presigned uploads (a CORS proxy in front of the emulator). */
  publicS3Endpoint: 'PUBLIC_S3_ENDPOINT',
  /** AWS, HTTP functions: the web console's app client; its tokens count under channel `console` (local tokens say so themselves). */
  consoleClientId: 'CONSOLE_CLIENT_ID',
  /** AWS: Secrets Manager secret keying source IPs for the per-client limit (HMAC). Local: the key via LOCAL_CLIENT_KEY. */
  clientKeySecretArn: 'CLIENT_KEY_SECRET_ARN',
  localClientKey: 'LOCAL_CLIENT_KEY',
  /** Requests one client may make to the anonymous routes in one window (default core/rate-limit). */
  publicRateLimit: 'PUBLIC_RATE_LIMIT',
  /** That window's length in seconds. */
  publicRateWindowSeconds: 'PUBLIC_RATE_WINDOW_SECONDS',
} as const;

/** Rows per chunk message; a chunk is also cut at this many bytes. */
export const CHUNK_ROWS = 5000;
export const CHUNK_MAX_BYTES = 8 * 1024 * 1024;
