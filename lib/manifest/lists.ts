/** The functions of the lists maintained by their units (assembled into lib/platform.ts FUNCTIONS). */
import type { FunctionDef } from '../platform.ts';

export const LISTS_FUNCTIONS = {
  unitListsApi: {
    entry: 'functions/lists/lists-api.ts',
    description: "Units' own lists: draft, submit, review (diff and dry run), comment period, approve or return",
    timeoutSeconds: 29,
    memoryMb: 512,
    // catalog: drafts, history and the approved changes' publish; batches: the unit's unfinished
    // uploads; subject tables: record counts per item through the keys-only byItem index (dry run)
    tables: { catalog: 'readWrite', batches: 'read', legalSubjects: 'read', naturalSubjects: 'read' },
    buckets: {},
    // catalogImports: an approval asks the import worker for the new version's snapshot (adapters/catalog-snapshot)
    sendsTo: ['catalogImports'],
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
} satisfies Record<string, FunctionDef>;
