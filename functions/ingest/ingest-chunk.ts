/**
 * Processes one chunk of a batch: read its byte range, parse, validate every row against the
 * catalog item, link each accepted row to its subject, write it, and record the chunk's result
 * once. Every row ends exactly one of: rejected (with row, field, code, message), accepted and
 * linked, or accepted and held unlinked. A redelivered chunk rewrites the same items and finds
 * its result already recorded: nothing changes twice.
 */
import type { InfoItem } from '#core/catalog';
import { ISSUED_INVALID_USCC } from '#core/issued-invalid-codes';
import { changeKeys } from '#core/change-marker';
import { ITEM_ATTRIBUTES, itemKeys } from '#core/due-day';
import { MAX_RECEIPT_ERRORS, type ChunkResult } from '#core/receipt';
import { compileItem, rowMessageZh, type RowError, type ValidRow } from '#core/row-validator';
import { shanghaiDay } from '#core/working-days';
import { stockDeltas, stockOf } from '#core/stock';
import { completeBatch, hasChunkResult, markChunkDone, putChunkResult } from '#adapters/batch-repo';
import { enterListsByRule } from '#adapters/joint-repo';
import { currentCatalog } from '#adapters/catalog-repo';
import { discardUpload, readRange } from '#adapters/object-store';
import { logger, metrics } from '#adapters/powertools';
import { holdPk } from '#adapters/subject-repo';
import { batchGet, batchPut, keyOf, writeSlots, type ItemKey, type WriteSlots } from '#adapters/batch-io';
import { applyChunkStock, keepChunkStock } from '#adapters/stock-repo';
import type { TableName } from '#lib/platform';
import type { ChunkMessage } from './chunk-message.ts';
import { place, retiredCopies, staleRepresentativeCopies } from './chunk-place.ts';
import { csvRecords, jsonlRecords, type ChunkRecord } from './chunk-records.ts';
import { nationalHoldBacks, writeRejections, type RejectedRow } from './chunk-report.ts';
import { decide, duplicateKey, type Placed } from './chunk-rules.ts';
import { releaseHeld } from './release-held.ts';
import { HOLD_MARKER } from './subjects.ts';

export async function ingestChunk(msg: ChunkMessage): Promise<void> {
  const { batchId, chunk } = msg;
  const already = await hasChunkResult(batchId, chunk.index);
  if (!already) {
    const result = await processRows(msg);
    await putChunkResult(batchId, result);
    metrics.addMetric('RowsAccepted', 'Count', result.accepted);
    metrics.addMetric('RowsRejected', 'Count', result.rejected);
    // accepted rows linked to a registered subject, and those held until it registers: the link rate
    metrics.addMetric('RowsLinked', 'Count', result.linked);
    metrics.addMetric('RowsUnlinked', 'Count', result.unlinked);
  }
  if (await markChunkDone(batchId, chunk.index, msg.chunkCount)) {
    const receipt = await completeBatch(batchId);
    logger.info('batch completed', { batchId, status: receipt?.status, rows: receipt?.rows, accepted: receipt?.accepted });
    // minimisation: the raw file holds ID numbers in clear; once every row is stored (sealed,
    // keyed) or rejected (masked), nothing needs it — the receipt and rejection CSV stand for it
    if (receipt?.status === 'COMPLETED') await discardUpload(msg.bucket, msg.key, msg.etag);
  }
}

async function processRows(msg: ChunkMessage): Promise<ChunkResult> {
  const [published, bytes] = await Promise.all([
    currentCatalog({ items: [msg.item] }),
    readRange(msg.bucket, msg.key, msg.chunk.start, msg.chunk.end, msg.etag),
  ]);
  const item = published?.index.item(msg.item);
  if (!item || item.provider !== msg.provider) {
    // the catalog was republished without this item between registration and processing
    const rows = Array.from({ length: msg.chunk.rows }, (_, i) => msg.chunk.firstRow + i);
    const errors = rows.map(
      (row): RowError => ({
        row,
        field: null,
        code: 'FORMAT',
        message: `item '${msg.item}' is no longer in the published catalog`,
        messageZh: rowMessageZh(row, null, `信息项 ${msg.item} 已不在发布的目录中`),
      }),
    );
    await writeRejections(
      msg,
      errors.map((e) => ({ row: e.row, errors: [e], raw: {} })),
    );
    return {
      index: msg.chunk.index,
      rows: rows.length,
      accepted: 0,
      rejected: rows.length,
      linked: 0,
      unlinked: 0,
      errors: errors.slice(0, MAX_RECEIPT_ERRORS),
    };
  }

  const records = msg.format === 'csv' ? csvRecords(bytes, msg) : jsonlRecords(bytes, msg, item);
  if (records.length !== msg.chunk.rows) {
    throw new Error(`chunk ${msg.chunk.index} of ${msg.batchId}: expected ${msg.chunk.rows} records, read ${records.length}`);
  }
  const today = shanghaiDay(new Date());
  const validator = compileItem(item, { today, overrides: ISSUED_INVALID_USCC });
  const rejected: RejectedRow[] = [];
  const valid: Array<{ row: number; value: ValidRow; raw: Record<string, unknown> }> = [];
  const rawOf = new Map<number, Record<string, unknown>>();
  const firstRowOfKey = new Map<string, number>();
  // validated in row order (a key seen twice in the chunk is refused at its second row), one block at a time
  const validate = (block: ChunkRecord[]) => {
    const out: typeof valid = [];
    for (const r of block) {
      if ('errors' in r) {
        rejected.push(r);
        continue;
      }
      const outcome = validator.validate(r.values, r.row);
      if (!outcome.ok) {
        rejected.push({ row: r.row, errors: outcome.errors, raw: r.raw });
        continue;
      }
      const seen = firstRowOfKey.get(outcome.value.key);
      if (seen !== undefined) {
        rejected.push({ row: r.row, raw: r.raw, errors: [duplicateKey(r.row, item, outcome.value.key, seen)] });
        continue;
      }
      firstRowOfKey.set(outcome.value.key, r.row);
      out.push({ row: r.row, value: outcome.value, raw: r.raw });
    }
    for (const v of out) {
      valid.push(v);
      rawOf.set(v.row, v.raw);
    }
    return out;
  };
  // A registration chunk is placed whole, so that its subjects are registered before any of its rows
  // is linked; any other chunk is validated and placed block by block, each block's while the blocks
  // before it are being written (placing a block reads only the registry, which no other block changes).
  const wholePlaced = item.recordClass === 'REGISTRATION' ? await place(msg, item, validate(records)) : undefined;
  const placed: Placed[] = [];
  const writtenAt = new Date().toISOString();
  // Blocks of rows, pipelined: a block's guard read (and its stock marker) runs while the blocks
  // before it are being written, and its writes join theirs in one pool of requests (writeSlots),
  // so the writes never drain between blocks. The keys of a chunk's rows are distinct (duplicates
  // were refused above), so no block reads what another block of the chunk writes; the chunk
  // before this one has finished writing (one FIFO group per batch).
  const blocks: BlockDone[] = [];
  const slots = writeSlots();
  const blockWrites: Promise<void>[] = [];
  try {
    for (const [index, rowsOfBlock] of blocksOf<Placed | ChunkRecord>(wholePlaced ?? records, msg.chunk.firstRow)) {
      if (slots.failed) break;
      const rows = wholePlaced ? (rowsOfBlock as Placed[]) : await place(msg, item, validate(rowsOfBlock as ChunkRecord[]));
      placed.push(...rows);
      if (!rows.length) continue;
      const block = await prepareBlock(msg, item, index, rows, rawOf, writtenAt);
      blocks.push(block);
      const written = writeBlock(block, slots);
      written.catch(() => undefined); // awaited below, with the others
      blockWrites.push(written);
    }
  } catch (err) {
    // no write of this attempt outlives it (its redelivery may be writing the same items next)
    await Promise.allSettled(blockWrites);
    throw err;
  }
  const writing = Promise.all(blockWrites);
  // a write failed: the chunk fails here, before anything is reported, and its redelivery redoes it
  if (slots.failed) await alongside(Promise.allSettled(blockWrites), writing);
  for (const b of blocks) rejected.push(...b.rejected);
  // every row's fate is known: the rejection report is written, and the national hold-backs worked
  // out, while the last blocks are being written (neither depends on the other; a redelivery redoes both)
  rejected.sort((a, b) => a.row - b.row);
  const reporting = writeRejections(msg, rejected, item);
  const rejectedRows = new Set(rejected.map((r) => r.row));
  const heldBack = nationalHoldBacks(
    item,
    valid.filter((v) => v.value.op === 'upsert' && !rejectedRows.has(v.row)),
    published!.index.provider(item.provider),
    today,
  );
  await alongside(writing, reporting);
  const kept = blocks.flatMap((b) => (b.stock ? [b.stock] : []));
  // applied once for the whole chunk (all its block markers in one transaction), unless a first attempt did
  if (kept.length && !kept.some((k) => k.applied)) {
    await applyChunkStock(
      msg.batchId,
      msg.chunk.index,
      sumDeltas(kept.map((k) => k.deltas)),
      kept.map((k) => k.block),
    );
  }
  const writes = blocks.flatMap((b) => b.writes);
  // 联合奖惩: a record of a rule-entered list's behaviour puts its subject on the list (NOTIFIED)
  if (published) await enterListsByRule(published.catalog, writes, writtenAt);

  let linked = blocks.reduce((n, b) => n + b.linked, 0);
  let unlinked = blocks.reduce((n, b) => n + b.unlinked, 0);
  // a record held for want of its subject may have met a registration that landed meanwhile
  const held = placed.filter((p) => !p.linked && p.op === 'upsert');
  if (held.length) {
    const recovered = await releaseHeld(held.map((p) => p.record));
    linked += recovered;
    unlinked -= recovered;
  }

  const errors: RowError[] = [];
  for (const r of rejected) for (const e of r.errors) if (errors.length < MAX_RECEIPT_ERRORS) errors.push(e);
  return {
    index: msg.chunk.index,
    rows: records.length,
    accepted: linked + unlinked,
    rejected: rejected.length,
    linked,
    unlinked,
    errors,
    heldBack: heldBack.count,
    heldBackRows: heldBack.rows,
  };
}

/** Rows a block holds (by row number within the chunk, so a redelivery cuts the same blocks). */
const BLOCK_ROWS = 1000;

function blocksOf<T extends { row: number }>(rows: T[], firstRow: number): Map<number, T[]> {
  const blocks = new Map<number, T[]>();
  for (const p of rows) {
    const index = Math.floor((p.row - firstRow) / BLOCK_ROWS);
    const rows = blocks.get(index);
    if (rows) rows.push(p);
    else blocks.set(index, [p]);
  }
  return blocks;
}

type Write = { table: TableName; item: Record<string, unknown> };

interface BlockDone {
  writes: Write[];
  /** Stale Art 28 copies, withdrawn before the block's records are written. */
  retired: Write[];
  rejected: RejectedRow[];
  linked: number;
  unlinked: number;
  /** The block's stock change as kept before its writes (by this attempt or a first one). */
  stock?: { block: number; deltas: Record<string, number>; applied: boolean };
}

/**
 * A block's guard read and decisions: what is stored under its rows' keys (a duplicate across the
 * file's chunks, a closed or newer record), then its writes, and its stock change kept before any
 * of them is written. Writes nothing else.
 */
async function prepareBlock(
  msg: ChunkMessage,
  item: InfoItem,
  index: number,
  placed: Placed[],
  rawOf: Map<number, Record<string, unknown>>,
  writtenAt: string,
): Promise<BlockDone> {
  const keysOf = (ps: Placed[]) => ps.flatMap((p) => [p, ...p.copies].map((x) => ({ table: x.table, pk: x.record.pk, sk: x.record.sk })));
  // upserts need only who wrote the stored item and when; a withdrawal rewrites the whole item
  // (and the sealed numbers: the legal representative the stored record names, for its Art 28 copy)
  const deletes = placed.filter((p) => p.op === 'delete');
  const [existing, deleted] = await Promise.all([
    batchGet(keysOf(placed.filter((p) => p.op === 'upsert')), ['batchId', 'row', 'receivedAt', 'status', 'objection', 'stock', 'sealed']),
    deletes.length ? batchGet(keysOf(deletes)) : new Map<string, Record<string, unknown>>(),
  ]);
  for (const [k, v] of deleted) existing.set(k, v);
  const staleCopies = await staleRepresentativeCopies(item, placed, existing);
  const retire: Array<ItemKey & { row: number }> = [];
  const done: BlockDone = { writes: [], retired: [], rejected: [], linked: 0, unlinked: 0 };
  const { writes } = done;
  for (const p of placed) {
    const decision = decide(p, existing.get(keyOf({ table: p.table, pk: p.record.pk, sk: p.record.sk })), msg);
    if (decision.kind === 'reject') {
      done.rejected.push({ row: p.row, raw: rawOf.get(p.row) ?? {}, errors: [decision.error(item)] });
      continue;
    }
    if (p.linked) done.linked++;
    else done.unlinked++;
    if (decision.kind === 'skip') continue;
    // the export reads changes by write time (a redelivered chunk re-marks; the export's version hash dedupes)
    writes.push({ table: p.table, item: { ...decision.item, ...changeKeys(p.record, writtenAt) } });
    const stale = staleCopies.get(p);
    if (stale) retire.push({ ...stale, row: p.row });
    for (const c of p.copies) {
      const copy = decide({ row: p.row, op: p.op, record: c.record }, existing.get(keyOf({ table: c.table, pk: c.record.pk, sk: c.record.sk })), msg);
      if (copy.kind === 'write') writes.push({ table: c.table, item: copy.item });
    }
  }
  // markers let a registration find waiting records with one batched read
  for (const p of placed) {
    if (p.linked || p.op !== 'upsert') continue;
    for (const k of p.record.holdKeys ?? []) writes.push({ table: 'registry', item: { pk: holdPk(k), sk: HOLD_MARKER } });
  }
  // the stock counters (core/stock): the block's net change, kept before its writes and applied once per chunk
  const stockChanges = writes.flatMap((w) => {
    if (w.table !== 'legalSubjects' && w.table !== 'naturalSubjects') return [];
    const stock = stockOf(w.table === 'legalSubjects' ? 'LEGAL' : 'NATURAL', w.item);
    if (stock) w.item.stock = stock;
    else delete w.item.stock;
    // ACTIVE records are listed under their item (byItem), for re-keying when its query period changes
    if (w.item.status === 'ACTIVE') Object.assign(w.item, itemKeys(w.item as { item: string; recordId: string }));
    else for (const k of ITEM_ATTRIBUTES) delete w.item[k];
    return [{ before: existing.get(keyOf({ table: w.table, pk: w.item.pk as string, sk: w.item.sk as string }))?.stock, after: stock }];
  });
  const [stock, retired] = await Promise.all([
    stockChanges.length ? keepChunkStock(msg.batchId, msg.chunk.index, stockDeltas(stockChanges), index) : undefined,
    retire.length ? retiredCopies(retire, msg) : [],
  ]);
  if (stock) done.stock = { block: index, ...stock };
  done.retired = retired;
  return done;
}

async function writeBlock(block: BlockDone, slots: WriteSlots): Promise<void> {
  // before the records: a chunk redelivered after a crash still reads the old record, and retires its copy again
  if (block.retired.length) await batchPut(block.retired, 'ingest-chunk', slots);
  await batchPut(block.writes, 'ingest-chunk', slots);
}

/** Waits for both (no rejection left unhandled); the first failure is thrown, else the second's value. */
async function alongside<T>(first: Promise<unknown>, second: Promise<T>): Promise<T> {
  const [a, b] = await Promise.allSettled([first, second]);
  if (a.status === 'rejected') throw a.reason;
  if (b.status === 'rejected') throw b.reason;
  return b.value;
}

function sumDeltas(all: Array<Record<string, number>>): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const deltas of all) for (const [k, d] of Object.entries(deltas)) sum[k] = (sum[k] ?? 0) + d;
  return sum;
}
