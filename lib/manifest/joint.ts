/** The functions of joint reward and punishment: checks, public lists, the list clock and statistics (assembled into lib/platform.ts FUNCTIONS). */
import type { FunctionDef } from '../platform.ts';

export const JOINT_FUNCTIONS = {
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
} satisfies Record<string, FunctionDef>;
