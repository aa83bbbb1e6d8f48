/** The functions of housekeeping: held records, objection deadlines, query volume and record expiry (assembled into lib/platform.ts FUNCTIONS). */
import type { FunctionDef } from '../platform.ts';

export const HOUSEKEEPING_FUNCTIONS = {
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
} satisfies Record<string, FunctionDef>;
