/** The functions of uploads: the upload trigger, the chunk writer, their dead letters and the uploads API (assembled into lib/platform.ts FUNCTIONS). */
import type { FunctionDef } from '../platform.ts';

export const INGEST_FUNCTIONS = {
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
} satisfies Record<string, FunctionDef>;
