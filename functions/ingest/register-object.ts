/**
 * Registers one uploaded object as a batch: catalog gate, receipt, encoding detection, header
 * mapping, and a streamed scan that splits the file into chunks of whole records. Business
 * failures end the batch FAILED with a reason and return; infrastructure faults throw (retry).
 */
import Papa from 'papaparse';
import iconv from 'iconv-lite';
import { detectEncoding, looksBinary } from '#core/encoding';
import { RowScanner, ScanError } from '#core/row-scanner';
import { mapHeader } from '#core/row-validator';
import { objectBatchId, parseUploadKey } from '#core/upload-key';
import { CHUNK_MAX_BYTES, CHUNK_ROWS } from '#lib/platform';
import type { FailureCode } from '#core/receipt';
import { bindObject, completeEmpty, createReceipt, markFailed, markPlanned, newReceipt } from '#adapters/batch-repo';
import { currentCatalog } from '#adapters/catalog-repo';
import { queueUrl } from '#adapters/config';
import { readRange, streamObject } from '#adapters/object-store';
import { logger, metrics } from '#adapters/powertools';
import { sendAll } from '#adapters/queue';
import type { ChunkMessage } from './chunk-message.ts';

const SAMPLE_BYTES = 64 * 1024;
/** A single record longer than this is refused (and catches an unbalanced quote early). */
export const MAX_RECORD_BYTES = 1024 * 1024;

export interface UploadedObject {
  bucket: string;
  key: string;
  etag: string;
  size: number;
  eventTime?: string;
}

export async function registerObject(obj: UploadedObject): Promise<{ batchId: string; outcome: string }> {
  const parsed = parseUploadKey(obj.key);
  const receivedAt = obj.eventTime ?? new Date().toISOString();
  let batchId = objectBatchId(obj.bucket, obj.key, obj.etag);
  if (parsed.ok && parsed.value.batchId) {
    // presigned upload: the receipt exists already; bind it to this object version
    if (await bindObject(parsed.value.batchId, obj.etag, receivedAt)) batchId = parsed.value.batchId;
  }
  const { receipt } = await createReceipt(
    newReceipt({
      batchId,
      provider: parsed.ok ? parsed.value.provider : (parsed.provider ?? 'UNKNOWN'),
      item: parsed.ok ? parsed.value.item : (parsed.item ?? 'UNKNOWN'),
      fileName: parsed.ok ? parsed.value.fileName : parsed.fileName,
      bucket: obj.bucket,
      key: obj.key,
      etag: obj.etag,
      receivedAt,
    }),
  );
  if (receipt.status !== 'RECEIVED') return { batchId, outcome: `already ${receipt.status}` };
  const fail = async (code: FailureCode, reason: string, errors: Parameters<typeof markFailed>[3] = []) => {
    await markFailed(batchId, code, reason, errors);
    metrics.addMetric('BatchesFailed', 'Count', 1);
    logger.info('batch failed', { batchId, reason });
    return { batchId, outcome: 'FAILED' };
  };

  if (!parsed.ok) return fail('INVALID_KEY', parsed.reason);
  const { provider, item: itemCode, format } = parsed.value;

  const published = await currentCatalog({ fresh: true, items: [itemCode] });
  if (!published) return fail('NO_CATALOG', 'no catalog has been published: data is only collected for catalog items');
  if (!published.index.provider(provider)) return fail('UNKNOWN_PROVIDER', `provider '${provider}' is not in catalog ${published.version}`);
  const item = published.index.item(itemCode);
  if (!item) return fail('UNKNOWN_ITEM', `item '${itemCode}' is not in catalog ${published.version}; data for items outside the catalog is not collected`);
  if (item.provider !== provider) return fail('WRONG_PROVIDER', `item '${itemCode}' belongs to provider '${item.provider}', not '${provider}'`);
  if (!format) return fail('UNSUPPORTED_FORMAT', `file '${parsed.value.fileName}' is neither .csv nor .jsonl`);
  if (obj.size === 0) return fail('EMPTY_FILE', 'the file is empty');

  const sample = await readRange(obj.bucket, obj.key, 0, Math.min(obj.size, SAMPLE_BYTES), obj.etag);
  const binary = looksBinary(sample);
  if (binary) return fail('BINARY_CONTENT', binary);
  const detected = detectEncoding(sample);
  if (detected.problem) return fail('ENCODING', detected.problem);
  if (format === 'jsonl' && detected.encoding !== 'utf-8') return fail('ENCODING', 'JSON Lines files must be UTF-8');
  const { encoding, bomLength } = detected;

  let scan: ReturnType<RowScanner['end']>;
  const scanner = new RowScanner({ format, startOffset: bomLength, chunkRows: CHUNK_ROWS, chunkMaxBytes: CHUNK_MAX_BYTES, maxRecordBytes: MAX_RECORD_BYTES });
  let skip = bomLength;
  try {
    for await (const buf of streamObject(obj.bucket, obj.key, obj.etag)) {
      if (skip > 0) {
        const cut = Math.min(skip, buf.length);
        skip -= cut;
        if (cut < buf.length) scanner.push(buf.subarray(cut));
        continue;
      }
      scanner.push(buf);
    }
    scan = scanner.end();
  } catch (err) {
    if (err instanceof ScanError) return fail('MALFORMED_FILE', `the file cannot be split into records: ${err.message}`);
    throw err;
  }

  let headerKeys: string[] = [];
  let headerCells: string[] = [];
  if (format === 'csv') {
    if (!scan.header) return fail('NO_HEADER', 'the file has no header row');
    const headerBytes = await readRange(obj.bucket, obj.key, scan.header.start, scan.header.end, obj.etag);
    const text = iconv.decode(headerBytes, encoding);
    const cells = (Papa.parse<string[]>(text.replace(/[\r\n]+$/, ''), { delimiter: ',', newline: scan.lineEnding }).data[0] ?? []) as string[];
    const mapped = mapHeader(item, cells);
    if (!mapped.ok) {
      const first = mapped.errors
        .slice(0, 5)
        .map((e) => e.message)
        .join('; ');
      return fail(
        'HEADER_MISMATCH',
        `the header row does not match item ${itemCode}: ${first}${mapped.errors.length > 5 ? ` (and ${mapped.errors.length - 5} more)` : ''}`,
        mapped.errors,
      );
    }
    headerKeys = mapped.keys;
    headerCells = cells.map((c) => c.replace(/^\uFEFF/, '').trim());
  }

  if (scan.chunks.length === 0) {
    await markPlanned(batchId, {
      chunkCount: 0,
      rows: 0,
      format,
      encoding,
      lineEnding: scan.lineEnding,
      headerKeys,
      headerCells,
      catalogVersion: published.version,
    });
    await completeEmpty(batchId);
    return { batchId, outcome: 'COMPLETED (no data rows)' };
  }

  const messages: ChunkMessage[] = scan.chunks.map((chunk) => ({
    batchId,
    bucket: obj.bucket,
    key: obj.key,
    etag: obj.etag,
    provider,
    item: itemCode,
    receivedAt: receipt.receivedAt,
    format,
    encoding,
    lineEnding: scan.lineEnding,
    headerKeys,
    chunkCount: scan.chunks.length,
    chunk,
  }));
  // queue first, then mark PROCESSING: a crash in between is redelivered and re-queues
  // (chunk processing is idempotent), never leaving a batch that nobody will finish
  await sendAll(queueUrl('recordChunks'), messages, (m) => ({ group: m.batchId, dedup: `${m.batchId}-${m.chunk.index}` }));
  await markPlanned(batchId, {
    chunkCount: scan.chunks.length,
    rows: scan.rows,
    format,
    encoding,
    lineEnding: scan.lineEnding,
    headerKeys,
    headerCells,
    catalogVersion: published.version,
  });
  metrics.addMetric('BatchesRegistered', 'Count', 1);
  logger.info('batch planned', { batchId, provider, item: itemCode, rows: scan.rows, chunks: scan.chunks.length, encoding });
  return { batchId, outcome: 'PROCESSING' };
}
