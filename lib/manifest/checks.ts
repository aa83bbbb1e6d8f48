/** The functions of batch checks: the API and the check parts (assembled into lib/platform.ts FUNCTIONS). */
import type { FunctionDef } from '../platform.ts';

export const CHECKS_FUNCTIONS = {
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
} satisfies Record<string, FunctionDef>;
