/**
 * The platform's resources as plain data: tables, queues, buckets, functions, their triggers and
 * routes. The CDK stack (lib/*-construct.ts) and the local runtime (local/) are both built from
 * this one description, so the two cannot drift. No CDK or AWS SDK imports here.
 */

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

export type FunctionName =
  | 'registerUpload'
  | 'processChunk'
  | 'deadLetters'
  | 'catalogApi'
  | 'catalogImport'
  | 'unitListsApi'
  | 'catalogImportDeadLetters'
  | 'uploadsApi'
  | 'subjectsApi'
  | 'authorizationsApi'
  | 'queryLogApi'
  | 'checksApi'
  | 'processCheckPart'
  | 'publicApi'
  | 'openapiApi'
  | 'housekeeping'
  | 'objectionsApi'
  | 'recordRightsApi'
  | 'exportRun'
  | 'exportsApi'
  | 'reportApi'
  | 'objectionDeadlines'
  | 'recordExpiry'
  | 'statsApi'
  | 'annualReportApi'
  | 'statsRollup'
  | 'calendarApi'
  | 'calendarCheck'
  | 'jointApi'
  | 'jointPublicApi'
  | 'jointLists'
  | 'jointStatsApi'
  | 'queryVolumeWatch';

export const FUNCTIONS: Record<FunctionName, FunctionDef> = {
  registerUpload: {
    entry: 'functions/ingest/register-upload.ts',
    description: 'Catalog gate, batch receipt, encoding detection, header mapping, split into chunks',
    timeoutSeconds: 900,
    memoryMb: 1024,
    tables: { catalog: 'read', batches: 'readWrite' },
    buckets: { uploads: 'read', work: 'write' },
    sendsTo: ['recordChunks'],
    trigger: { kind: 'queue', queue: 'uploadEvents', batchSize: 1 },
  },
  processChunk: {
    entry: 'functions/ingest/process-chunk.ts',
    description: 'Validate, link and write one chunk of a batch; the last chunk completes the receipt',
    timeoutSeconds: 300,
    memoryMb: 1024,
    tables: {
      catalog: 'read',
      batches: 'readWrite',
      legalSubjects: 'readWrite',
      naturalSubjects: 'readWrite',
      registry: 'readWrite',
      stats: 'count',
      joint: 'readWrite',
      calendar: 'read',
    },
    // 'readDelete': the completed batch's raw file is deleted (minimisation)
    buckets: { uploads: 'readDelete', work: 'write' },
    sendsTo: [],
    personalData: true,
    trigger: { kind: 'queue', queue: 'recordChunks', batchSize: 1, maxConcurrency: 20 },
  },
  deadLetters: {
    entry: 'functions/ingest/dead-letters.ts',
    description: 'Ends the batch of a message that failed every attempt, so no batch is left stuck',
    timeoutSeconds: 60,
    memoryMb: 256,
    tables: { batches: 'readWrite', stats: 'count' },
    buckets: {},
    sendsTo: [],
    trigger: { kind: 'deadLetters', queues: ['uploadEvents', 'recordChunks'], batchSize: 10 },
  },
  catalogApi: {
    entry: 'functions/catalog/catalog-api.ts',
    description: 'Publish and read the catalog; the units register',
    timeoutSeconds: 29,
    memoryMb: 512,
    tables: { catalog: 'readWrite' },
    // work: the gzipped snapshot of each published version (written on publish, presigned by GET /v1/catalog);
    // imports: presigned PUTs of whole documents for bulk import
    buckets: { work: 'readWrite', imports: 'write' },
    sendsTo: [],
    trigger: {
      kind: 'http',
      routes: [
        'PUT /v1/catalog',
        'GET /v1/catalog',
        'GET /v1/catalog/versions',
        'GET /v1/catalog/items',
        'GET /v1/catalog/items/{code}',
        'POST /v1/catalog/imports',
        'GET /v1/catalog/imports/{importId}',
        'GET /v1/units',
        'PUT /v1/units/{code}',
      ],
    },
  },
  catalogImport: {
    entry: 'functions/catalog/catalog-import.ts',
    description: 'Bulk catalog import: streamed validation of the uploaded document, then publish',
    timeoutSeconds: 900,
    memoryMb: 1536,
    tables: { catalog: 'readWrite' },
    buckets: { imports: 'read', work: 'readWrite' },
    sendsTo: [],
    trigger: { kind: 'queue', queue: 'catalogImports', batchSize: 1 },
  },
  unitListsApi: {
    entry: 'functions/lists/lists-api.ts',
    description: "Units' own lists: draft, submit, review (diff and dry run), comment period, approve or return",
    timeoutSeconds: 29,
    memoryMb: 512,
    // catalog: drafts, history and the approved changes' publish; batches: the unit's unfinished
    // uploads; subject tables: record counts per item through the keys-only byItem index (dry run)
    tables: { catalog: 'readWrite', batches: 'read', legalSubjects: 'read', naturalSubjects: 'read' },
    buckets: {},
    sendsTo: [],
    trigger: {
      kind: 'http',
      routes: [
        'GET /v1/lists',
        'GET /v1/lists/{unit}',
        'PUT /v1/lists/{unit}/entries/{section}/{key}',
        'DELETE /v1/lists/{unit}/entries/{section}/{key}',
        'POST /v1/lists/{unit}/submit',
        'GET /v1/lists/{unit}/review',
        'POST /v1/lists/{unit}/comment-period',
        'POST /v1/lists/{unit}/approve',
        'POST /v1/lists/{unit}/return',
        'GET /v1/lists/{unit}/history',
      ],
    },
  },
  catalogImportDeadLetters: {
    entry: 'functions/catalog/import-dead-letters.ts',
    description: 'Ends a catalog import whose message failed every attempt: FAILED with the reason, its version claim released',
    timeoutSeconds: 60,
    memoryMb: 256,
    tables: { catalog: 'readWrite' },
    buckets: {},
    sendsTo: [],
    trigger: { kind: 'deadLetters', queues: ['catalogImports'], batchSize: 10 },
  },
  uploadsApi: {
    entry: 'functions/ingest/uploads-api.ts',
    description: 'Presigned uploads, receipts, rejection reports',
    timeoutSeconds: 29,
    memoryMb: 512,
    tables: { catalog: 'read', batches: 'readWrite' },
    // work: 'readWrite' — a rejections CSV too large to answer inline is written there and presigned
    buckets: { uploads: 'write', work: 'readWrite' },
    sendsTo: [],
    trigger: {
      kind: 'http',
      routes: [
        'POST /v1/uploads',
        'POST /v1/uploads/{batchId}/complete',
        'GET /v1/batches',
        'GET /v1/batches/{batchId}',
        'GET /v1/batches/{batchId}/rejections',
      ],
    },
  },
  subjectsApi: {
    entry: 'functions/query/subjects-api.ts',
    description: "A subject's credit file, for a declared purpose, under the access rules; always logged",
    timeoutSeconds: 29,
    memoryMb: 512,
    tables: {
      catalog: 'read',
      legalSubjects: 'read',
      naturalSubjects: 'read',
      registry: 'read',
      authorizations: 'read',
      queryLog: 'append',
      queryBudgets: 'count',
    },
    buckets: {},
    sendsTo: [],
    personalData: true,
    trigger: { kind: 'http', routes: ['GET /v1/subjects/legal/{uscc}', 'GET /v1/subjects/natural/{idNumber}', 'POST /v1/subject-refs'] },
  },
  authorizationsApi: {
    entry: 'functions/query/authorizations-api.ts',
    description: 'Written authorisations (书面授权) by subjects: grant and revoke',
    timeoutSeconds: 29,
    memoryMb: 256,
    tables: { authorizations: 'readWrite', catalog: 'read' },
    buckets: {},
    sendsTo: [],
    personalData: true,
    trigger: { kind: 'http', routes: ['POST /v1/authorizations', 'DELETE /v1/authorizations/{ref}', 'GET /v1/authorizations'] },
  },
  queryLogApi: {
    entry: 'functions/query/query-log-api.ts',
    description: "Who queried me (subjects); a unit's own query history (gov, market); the query log hash-chain check (admins)",
    timeoutSeconds: 29,
    memoryMb: 512,
    tables: { queryLog: 'read' },
    buckets: {},
    sendsTo: [],
    personalData: true,
    trigger: { kind: 'http', routes: ['GET /v1/me/queries', 'GET /v1/query-log/verify', 'GET /v1/query-log/mine'] },
  },
  checksApi: {
    entry: 'functions/checks/checks-api.ts',
    description: 'Bulk credit checks (批量核查) of up to 100,000 subjects, and eligibility rules',
    timeoutSeconds: 29,
    memoryMb: 1024,
    tables: {
      checks: 'readWrite',
      catalog: 'read',
      legalSubjects: 'read',
      naturalSubjects: 'read',
      authorizations: 'read',
      queryLog: 'append',
      stats: 'count',
      queryBudgets: 'count',
    },
    buckets: { work: 'readWrite' },
    sendsTo: ['checkParts'],
    partitionReads: ['legalSubjects', 'naturalSubjects'],
    personalData: true,
    trigger: { kind: 'http', routes: ['POST /v1/checks', 'GET /v1/checks/{checkId}', 'POST /v1/eligibility'] },
  },
  processCheckPart: {
    entry: 'functions/checks/process-check-part.ts',
    description: 'Checks one part of a bulk check and writes its results',
    timeoutSeconds: 300,
    memoryMb: 1024,
    tables: {
      checks: 'readWrite',
      catalog: 'read',
      legalSubjects: 'read',
      naturalSubjects: 'read',
      authorizations: 'read',
      queryLog: 'append',
      stats: 'count',
      // a joint check reads the subjects' credit-list entries and opens feedback on the measures it
      // found (conditional puts of the check and its pending feedback); calendar: their working-day due time
      joint: 'readWrite',
      calendar: 'read',
    },
    buckets: { work: 'readWrite' },
    sendsTo: [],
    partitionReads: ['legalSubjects', 'naturalSubjects'],
    personalData: true,
    trigger: { kind: 'queue', queue: 'checkParts', batchSize: 1, maxConcurrency: 10 },
  },
  publicApi: {
    entry: 'functions/query/public-api.ts',
    description: 'Public double-publicity (双公示) search and the published catalog, no token',
    timeoutSeconds: 29,
    memoryMb: 512,
    tables: { catalog: 'read', legalSubjects: 'read', rateLimits: 'count' },
    buckets: {},
    sendsTo: [],
    clientLimit: true,
    trigger: { kind: 'http', routes: ['GET /v1/public/publicity', 'GET /v1/public/subjects/{uscc}', 'GET /v1/public/catalog', 'GET /v1/public/catalog/items'] },
  },
  openapiApi: {
    entry: 'functions/query/openapi-api.ts',
    description: "The OpenAPI 3.1 description of this API, generated from the handlers' zod schemas",
    timeoutSeconds: 10,
    memoryMb: 256,
    tables: {},
    buckets: {},
    sendsTo: [],
    trigger: { kind: 'http', routes: ['GET /v1/openapi.json'] },
  },
  housekeeping: {
    entry: 'functions/housekeeping/housekeeping.ts',
    description: 'Re-link waiting records (read from the byWaiting index, resuming where the last run stopped)',
    timeoutSeconds: 300,
    memoryMb: 512,
    // joint, stats, calendar: a record linked late enters the credit lists its behaviour enters by rule
    tables: {
      batches: 'readWrite',
      legalSubjects: 'readWrite',
      registry: 'readWrite',
      catalog: 'read',
      jobs: 'readWrite',
      joint: 'readWrite',
      stats: 'count',
      calendar: 'read',
    },
    buckets: {},
    sendsTo: [],
    trigger: { kind: 'schedule', expression: 'rate(5 minutes)', localEverySeconds: 30 },
  },
  objectionsApi: {
    entry: 'functions/rights/objections-api.ts',
    description: 'Objections (异议): file with evidence, mark the record, remit, forward, decide; counted in the statistics',
    timeoutSeconds: 29,
    memoryMb: 512,
    tables: { objections: 'readWrite', catalog: 'read', legalSubjects: 'readWrite', naturalSubjects: 'readWrite', stats: 'count', calendar: 'read' },
    buckets: { uploads: 'readWrite' },
    sendsTo: [],
    personalData: true,
    trigger: {
      kind: 'http',
      routes: [
        'POST /v1/objections',
        'GET /v1/objections',
        'GET /v1/objections/{objectionId}',
        'POST /v1/objections/{objectionId}/remit',
        'POST /v1/objections/{objectionId}/decision',
      ],
    },
  },
  recordRightsApi: {
    entry: 'functions/rights/record-rights-api.ts',
    description: "Credit repair (信用修复) and revocation (撤销) of a provider's own records",
    timeoutSeconds: 29,
    memoryMb: 256,
    // joint: a repair or revocation takes the credit-list entries resting on the record out in the same transaction
    tables: { catalog: 'read', legalSubjects: 'readWrite', naturalSubjects: 'readWrite', stats: 'count', joint: 'readWrite' },
    buckets: {},
    sendsTo: [],
    personalData: true,
    trigger: { kind: 'http', routes: ['POST /v1/records/{recordId}/repair', 'POST /v1/records/{recordId}/revocation'] },
  },
  reportApi: {
    entry: 'functions/rights/report-api.ts',
    description: "The subject's own credit report (JSON or printable HTML), two free a year for natural persons",
    timeoutSeconds: 29,
    memoryMb: 512,
    // joint: the report's 联合奖惩 section (the subject's list entries and the feedback about it), read only
    tables: { catalog: 'read', legalSubjects: 'read', naturalSubjects: 'read', queryLog: 'read', objections: 'read', reportQuota: 'readWrite', joint: 'read' },
    buckets: {},
    sendsTo: [],
    personalData: true,
    trigger: { kind: 'http', routes: ['GET /v1/me/report'] },
  },
  objectionDeadlines: {
    entry: 'functions/housekeeping/objection-deadlines.ts',
    description: 'Finds objection steps past their working-day deadline and emits the OverdueObjectionSteps metric',
    timeoutSeconds: 60,
    memoryMb: 256,
    tables: { objections: 'read', calendar: 'read' },
    buckets: {},
    sendsTo: [],
    trigger: { kind: 'schedule', expression: 'rate(15 minutes)', localEverySeconds: 30 },
  },
  queryVolumeWatch: {
    entry: 'functions/housekeeping/query-volume-watch.ts',
    description:
      "Finds units querying more than 5x their 30-day median day and emits the QueryVolumeAnomalies metric (reads today's units, then 30 days per unit)",
    timeoutSeconds: 120,
    memoryMb: 256,
    tables: { queryBudgets: 'read' },
    buckets: {},
    sendsTo: [],
    // at :55 every hour Beijing time, so the day's last hour is mostly seen by its own day's run
    trigger: { kind: 'schedule', expression: 'cron(55 * * * ? *)', localEverySeconds: 300 },
  },
  recordExpiry: {
    entry: 'functions/housekeeping/record-expiry.ts',
    description:
      'Marks records past their query period (Art 35) EXPIRED so counts and statistics agree; unlists records no longer shown from the public search index. Reads only the byExpiry entries due, resuming where the last run stopped',
    timeoutSeconds: 900,
    memoryMb: 512,
    tables: { catalog: 'read', legalSubjects: 'readWrite', naturalSubjects: 'readWrite', registry: 'readWrite', jobs: 'readWrite', stats: 'count' },
    buckets: {},
    sendsTo: [],
    // every hour at :30 Beijing time (the 01:30 run precedes the 02:00 export); a run reads only what
    // is due, so an hour with nothing due costs a few empty queries
    trigger: { kind: 'schedule', expression: 'cron(30 * * * ? *)', localEverySeconds: 300 },
  },
  exportRun: {
    entry: 'functions/export/export-run.ts',
    description: 'National export run (双公示 push): changes since the watermark, mapped, signed, sent in batches of 500',
    // sized for 100,000 records a run: about 1 vCPU, and a run that nears the timeout continues in a new message
    timeoutSeconds: 900,
    memoryMb: 1769,
    // joint: the credit-list entries the national platform has not had (byNational), settled once answered
    tables: { exports: 'readWrite', legalSubjects: 'read', naturalSubjects: 'read', catalog: 'read', calendar: 'read', joint: 'readUpdate' },
    buckets: {},
    sendsTo: ['exportRuns'],
    personalData: true,
    nationalPlatform: true,
    // daily at 02:00 Beijing time (after recordExpiry), so the day's withdrawals go out with the day's adds
    trigger: { kind: 'queue', queue: 'exportRuns', batchSize: 1, maxConcurrency: 2, schedule: { expression: 'cron(0 2 * * ? *)', localEverySeconds: 600 } },
  },
  exportsApi: {
    entry: 'functions/export/exports-api.ts',
    description: 'National export: start a run, runs, yearly statistics, overdue and held records',
    timeoutSeconds: 29,
    memoryMb: 512,
    tables: { exports: 'readWrite', legalSubjects: 'read', naturalSubjects: 'read', calendar: 'read' },
    buckets: {},
    sendsTo: ['exportRuns'],
    trigger: {
      kind: 'http',
      routes: ['POST /v1/exports/run', 'GET /v1/exports/runs', 'GET /v1/exports/stats', 'GET /v1/exports/overdue', 'GET /v1/exports/held'],
    },
  },
  statsRollup: {
    entry: 'functions/stats/stats-rollup.ts',
    description: 'Adds the credit queries logged since the last run to the query statistics, exactly once',
    timeoutSeconds: 300,
    memoryMb: 512,
    tables: { queryLog: 'read', stats: 'readWrite' },
    buckets: {},
    sendsTo: [],
    trigger: { kind: 'schedule', expression: 'rate(5 minutes)', localEverySeconds: 15 },
  },
  statsApi: {
    entry: 'functions/stats/stats-api.ts',
    description:
      'Operations statistics (admin): ingestion, data quality, double publicity, queries, application-list fulfilment, objections and repairs, national export',
    timeoutSeconds: 29,
    memoryMb: 512,
    tables: { stats: 'read', catalog: 'read', queryLog: 'read', objections: 'read', exports: 'read', calendar: 'read' },
    buckets: {},
    sendsTo: [],
    trigger: {
      kind: 'http',
      routes: [
        'GET /v1/stats/ingestion',
        'GET /v1/stats/quality',
        'GET /v1/stats/publicity',
        'GET /v1/stats/queries',
        'GET /v1/stats/applications',
        'GET /v1/stats/objections',
        'GET /v1/stats/exports',
        'GET /v1/stats/stock',
      ],
    },
  },
  annualReportApi: {
    entry: 'functions/stats/annual-report-api.ts',
    description: 'The annual operations report (运行情况报告): HTML with server-rendered SVG charts, or JSON',
    timeoutSeconds: 29,
    memoryMb: 1024,
    tables: { stats: 'read', catalog: 'read', queryLog: 'read', objections: 'read', exports: 'read', calendar: 'read', joint: 'read' },
    buckets: {},
    sendsTo: [],
    trigger: { kind: 'http', routes: ['GET /v1/reports/annual'] },
  },
  calendarApi: {
    entry: 'functions/calendar/calendar-api.ts',
    description: 'The working-day calendar: read a year (official or provisional); publish the official arrangement and move the open deadlines it changes',
    timeoutSeconds: 29,
    memoryMb: 512,
    tables: { calendar: 'readWrite', objections: 'readWrite', exports: 'readWrite' },
    buckets: {},
    sendsTo: [],
    trigger: { kind: 'http', routes: ['GET /v1/calendar/{year}', 'PUT /v1/calendar/{year}'] },
  },
  calendarCheck: {
    entry: 'functions/calendar/calendar-check.ts',
    description:
      "Seeds the calendar table with the years chinese-days knows; from 1 November emits NextYearCalendarMissing while next year's arrangement is not published",
    timeoutSeconds: 60,
    memoryMb: 256,
    tables: { calendar: 'readWrite' },
    buckets: {},
    sendsTo: [],
    // 09:00 Beijing time, every day
    trigger: { kind: 'schedule', expression: 'cron(0 9 * * ? *)', localEverySeconds: 300 },
  },
  jointApi: {
    entry: 'functions/joint/joint-api.ts',
    description:
      "联合奖惩: matter checks with behaviours, list status and binding measures (logged like queries), feedback, list entries by decision, objections to entries, the subject's own view",
    timeoutSeconds: 29,
    memoryMb: 1024,
    tables: { joint: 'readWrite', catalog: 'read', legalSubjects: 'read', naturalSubjects: 'read', queryLog: 'append', stats: 'count', calendar: 'read' },
    buckets: {},
    sendsTo: [],
    personalData: true,
    trigger: {
      kind: 'http',
      routes: [
        'POST /v1/joint/checks',
        'GET /v1/joint/checks/{checkId}',
        'POST /v1/joint/checks/{checkId}/feedback',
        'GET /v1/joint/feedback',
        'POST /v1/joint/lists/{code}/entries',
        'POST /v1/joint/entries/{entryId}/objection',
        'POST /v1/joint/entries/{entryId}/objection/decision',
        'GET /v1/me/joint',
      ],
    },
  },
  jointPublicApi: {
    entry: 'functions/joint/public-lists-api.ts',
    description: 'Public credit lists (no token): criteria, remedy and exit conditions, and the LISTED entries (natural persons masked)',
    timeoutSeconds: 29,
    memoryMb: 512,
    tables: { joint: 'read', catalog: 'read', rateLimits: 'count' },
    buckets: {},
    sendsTo: [],
    clientLimit: true,
    trigger: { kind: 'http', routes: ['GET /v1/public/lists', 'GET /v1/public/lists/{code}/entries'] },
  },
  jointLists: {
    entry: 'functions/joint/list-clock.ts',
    description: 'Moves credit-list entries whose time has come (NOTIFIED → LISTED → EXITED) from the byDue index, and emits OverdueJointFeedback',
    timeoutSeconds: 300,
    memoryMb: 512,
    tables: { joint: 'readWrite', catalog: 'read', legalSubjects: 'read', naturalSubjects: 'read', stats: 'count' },
    buckets: {},
    sendsTo: [],
    trigger: { kind: 'schedule', expression: 'rate(15 minutes)', localEverySeconds: 30 },
  },
  jointStatsApi: {
    entry: 'functions/joint/joint-stats-api.ts',
    description:
      '联合奖惩 statistics (admin): checks by matter × subject type, hit rates, feedback by unit and measure, list entries and exits; the behaviour list',
    timeoutSeconds: 29,
    memoryMb: 512,
    // joint: the sparse index of feedback not yet given (overdue per unit)
    tables: { stats: 'read', catalog: 'read', joint: 'read' },
    buckets: {},
    sendsTo: [],
    trigger: { kind: 'http', routes: ['GET /v1/joint/stats'] },
  },
};

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
