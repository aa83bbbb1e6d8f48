/** The functions of the catalog: its API, the catalog import and its dead letters (assembled into lib/platform.ts FUNCTIONS). */
import type { FunctionDef } from '../platform.ts';

export const CATALOG_FUNCTIONS = {
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
    description: "Bulk catalog import: streamed validation of the uploaded document, then publish; an approved list's snapshot",
    timeoutSeconds: 900,
    memoryMb: 1536,
    tables: { catalog: 'readWrite' },
    buckets: { imports: 'read', work: 'readWrite' },
    sendsTo: [],
    trigger: { kind: 'queue', queue: 'catalogImports', batchSize: 1 },
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
} satisfies Record<string, FunctionDef>;
