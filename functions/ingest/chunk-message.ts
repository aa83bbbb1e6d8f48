/** The message register-upload sends for each chunk of a batch, validated on receipt. */
import { z } from 'zod';

export const ChunkMessageSchema = z.object({
  batchId: z.string().min(1),
  bucket: z.string().min(1),
  key: z.string().min(1),
  etag: z.string().min(1),
  provider: z.string().min(1),
  item: z.string().min(1),
  receivedAt: z.string().min(1),
  format: z.enum(['csv', 'jsonl']),
  encoding: z.enum(['utf-8', 'gb18030']),
  lineEnding: z.enum(['\r\n', '\n', '\r']),
  headerKeys: z.array(z.string()),
  chunkCount: z.number().int().positive(),
  chunk: z.object({
    index: z.number().int().nonnegative(),
    start: z.number().int().nonnegative(),
    end: z.number().int().positive(),
    firstRow: z.number().int().positive(),
    rows: z.number().int().positive(),
  }),
});

export type ChunkMessage = z.infer<typeof ChunkMessageSchema>;
