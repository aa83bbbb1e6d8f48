/** The functions of subject rights: objections, record rights and the own report (assembled into lib/platform.ts FUNCTIONS). */
import type { FunctionDef } from '../platform.ts';

export const RIGHTS_FUNCTIONS = {
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
} satisfies Record<string, FunctionDef>;
