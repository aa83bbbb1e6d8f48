/** The functions of statistics: the rollup, the API and the annual report (assembled into lib/platform.ts FUNCTIONS). */
import type { FunctionDef } from '../platform.ts';

export const STATS_FUNCTIONS = {
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
} satisfies Record<string, FunctionDef>;
