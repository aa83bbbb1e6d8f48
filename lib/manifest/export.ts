/** The functions of the national export: the run and its API (assembled into lib/platform.ts FUNCTIONS). */
import type { FunctionDef } from '../platform.ts';

export const EXPORT_FUNCTIONS = {
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
} satisfies Record<string, FunctionDef>;
