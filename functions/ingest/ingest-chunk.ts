/**
 * Processes one chunk of a batch: read its byte range, parse, validate every row against the
 * catalog item, link each accepted row to its subject, write it, and record the chunk's result
 * once. Every row ends exactly one of: rejected (with row, field, code, message), accepted and
 * linked, or accepted and held unlinked. A redelivered chunk rewrites the same items and finds
 * its result already recorded: nothing changes twice.
 */
import pMap from 'p-map';
import type { InfoItem } from '#core/catalog';
import { maskIdNumber } from '#core/identifiers';
import { ISSUED_INVALID_USCC } from '#core/issued-invalid-codes';
import { MAX_RECEIPT_ERRORS, type ChunkResult } from '#core/receipt';
import { recordId, recordSortKey } from '#core/record-id';
import { compileItem, type RowError, type ValidRow } from '#core/row-validator';
import { chunkResults, completeBatch, markChunkDone, putChunkResult } from '#adapters/batch-repo';
import { currentCatalog } from '#adapters/catalog-repo';
import { bucketName } from '#adapters/config';
import { putText, readRange } from '#adapters/object-store';
import { naturalKeyer, sealer } from '#adapters/personal-data';
import { logger, metrics } from '#adapters/powertools';
import {
  ensureLegalProfile,
  ensureNaturalProfile,
  heldRecords,
  holdPk,
  lookupRegistry,
  putRecord,
  recordRow,
  register,
  registryKeysOf,
  withdrawRecord,
  type StoredRecord,
  type SubjectTable,
} from '#adapters/subject-repo';
import type { ChunkMessage } from './chunk-message.ts';
import { csvRecords, jsonlRecords, type ChunkRecord } from './chunk-records.ts';
import { releaseHeld } from './release-held.ts';

const WRITE_CONCURRENCY = 32;

interface Placed {
  row: number;
  table: SubjectTable | 'registry';
  record: StoredRecord;
  linked: boolean;
  op: ValidRow['op'];
  /** Extra copies (responsible persons, further hold keys) written after the main record. */
  copies: Array<{ table: SubjectTable | 'registry'; record: StoredRecord }>;
}

export const rejectionsPrefix = (batchId: string) => `rejections/${batchId}/`;

export async function ingestChunk(msg: ChunkMessage): Promise<void> {
  const { batchId, chunk } = msg;
  const already = (await chunkResults(batchId)).some((c) => c.index === chunk.index);
  if (!already) {
    const result = await processRows(msg);
    await putChunkResult(batchId, result);
    metrics.addMetric('RowsAccepted', 'Count', result.accepted);
    metrics.addMetric('RowsRejected', 'Count', result.rejected);
  }
  if (await markChunkDone(batchId, chunk.index, msg.chunkCount)) {
    const receipt = await completeBatch(batchId);
    logger.info('batch completed', { batchId, status: receipt?.status, rows: receipt?.rows, accepted: receipt?.accepted });
  }
}

async function processRows(msg: ChunkMessage): Promise<ChunkResult> {
  const published = await currentCatalog();
  const item = published?.index.item(msg.item);
  const bytes = await readRange(msg.bucket, msg.key, msg.chunk.start, msg.chunk.end, msg.etag);
  if (!item || item.provider !== msg.provider) {
    // the catalog was republished without this item between registration and processing
    const rows = Array.from({ length: msg.chunk.rows }, (_, i) => msg.chunk.firstRow + i);
    const errors = rows.map((row): RowError => ({ row, field: null, code: 'FORMAT', message: `item '${msg.item}' is no longer in the published catalog` }));
    await writeRejections(msg, errors.map((e) => ({ row: e.row, errors: [e], raw: {} })));
    return { index: msg.chunk.index, rows: rows.length, accepted: 0, rejected: rows.length, linked: 0, unlinked: 0, errors: errors.slice(0, MAX_RECEIPT_ERRORS) };
  }

  const records = msg.format === 'csv' ? csvRecords(bytes, msg) : jsonlRecords(bytes, msg, item);
  if (records.length !== msg.chunk.rows) {
    throw new Error(`chunk ${msg.chunk.index} of ${msg.batchId}: expected ${msg.chunk.rows} records, read ${records.length}`);
  }
  const validator = compileItem(item, { today: new Date().toISOString().slice(0, 10), overrides: ISSUED_INVALID_USCC });
  const rejected: Array<{ row: number; errors: RowError[]; raw: Record<string, unknown> }> = [];
  const valid: Array<{ row: number; value: ValidRow; raw: Record<string, unknown> }> = [];
  const firstRowOfKey = new Map<string, number>();
  for (const r of records) {
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
    valid.push({ row: r.row, value: outcome.value, raw: r.raw });
  }

  const placed = await place(msg, item, valid);
  let linked = 0;
  let unlinked = 0;
  await pMap(
    placed,
    async (p) => {
      const outcome = await write(p, msg);
      if (outcome === 'ok') {
        if (p.linked) linked++;
        else unlinked++;
        return;
      }
      const raw = valid.find((v) => v.row === p.row)?.raw ?? {};
      if (outcome === 'duplicate') {
        const holder = await recordRow(p.table, p.record.pk, p.record.sk);
        rejected.push({ row: p.row, raw, errors: [duplicateKey(p.row, item, p.record.key, holder)] });
      } else {
        rejected.push({ row: p.row, raw, errors: [{ row: p.row, field: item.keyField, code: 'NOT_FOUND' as RowError['code'], message: `no record with key '${p.record.key}' to withdraw` }] });
      }
    },
    { concurrency: WRITE_CONCURRENCY },
  );

  // a record held for want of its subject may have met a registration that landed meanwhile
  const held = placed.filter((p) => !p.linked && p.op === 'upsert');
  if (held.length) {
    const recovered = await releaseHeld(held.map((p) => p.record));
    linked += recovered;
    unlinked -= recovered;
  }

  rejected.sort((a, b) => a.row - b.row);
  await writeRejections(msg, rejected);
  const errors: RowError[] = [];
  for (const r of rejected) for (const e of r.errors) if (errors.length < MAX_RECEIPT_ERRORS) errors.push(e);
  return { index: msg.chunk.index, rows: records.length, accepted: linked + unlinked, rejected: rejected.length, linked, unlinked, errors };
}

function duplicateKey(row: number, item: InfoItem, key: string, firstRow: number | undefined): RowError {
  return {
    row,
    field: item.keyField,
    code: 'DUPLICATE_KEY_IN_FILE',
    message: `key '${key}' appears more than once in this file${firstRow ? ` (first in row ${firstRow})` : ''}`,
  };
}

async function write(p: Placed, msg: ChunkMessage): Promise<'ok' | 'duplicate' | 'missing'> {
  if (p.op === 'delete') {
    const out = await withdrawRecord(p.table, p.record.pk, p.record.sk, { batchId: msg.batchId, row: p.row, at: msg.receivedAt });
    if (out === 'missing') return 'missing';
    for (const c of p.copies) await withdrawRecord(c.table, c.record.pk, c.record.sk, { batchId: msg.batchId, row: p.row, at: msg.receivedAt });
    return 'ok';
  }
  const out = await putRecord(p.table, p.record);
  if (out === 'duplicate') return 'duplicate';
  for (const c of p.copies) await putRecord(c.table, c.record);
  return 'ok';
}

/** Decides where each valid row goes: which table and partition, linked or held. */
async function place(msg: ChunkMessage, item: InfoItem, rows: Array<{ row: number; value: ValidRow }>): Promise<Placed[]> {
  const keyer = await naturalKeyer();
  const seal = await sealer();
  const idFields = item.fields.filter((f) => f.type === 'idNumber').map((f) => f.key);
  const isRegistration = item.recordClass === 'REGISTRATION';

  // secondary identifiers of legal subjects named without a USCC
  const lookups = rows.flatMap(({ value }) => (value.subject.type === 'LEGAL' && !value.subject.uscc ? registryKeysOf(value.subject) : []));
  const registry = lookups.length ? await lookupRegistry(lookups) : new Map<string, string>();

  const profiles = new Map<string, () => Promise<unknown>>();
  const placed: Placed[] = [];
  for (const { row, value } of rows) {
    const rid = recordId(msg.provider, msg.item, value.key);
    const fields: Record<string, unknown> = { ...value.fields };
    let sealed: Record<string, string> | undefined;
    for (const k of idFields) {
      const v = fields[k];
      if (typeof v === 'string' && v) {
        (sealed ??= {})[k] = seal(v);
        fields[k] = maskIdNumber(v);
      }
    }
    const base: Omit<StoredRecord, 'pk' | 'sk'> = {
      recordId: rid,
      provider: msg.provider,
      item: msg.item,
      key: value.key,
      status: 'ACTIVE',
      fields,
      sealed,
      subjectName: value.subject.name,
      batchId: msg.batchId,
      row,
      receivedAt: msg.receivedAt,
      updatedAt: msg.receivedAt,
      recordClass: item.recordClass,
      polarity: item.polarity,
      severity: item.severity,
      disclosure: item.disclosure,
      publicity: item.publicity ?? null,
    };
    const sk = recordSortKey(msg.provider, msg.item, value.key);
    const copies: Placed['copies'] = [];

    if (value.subject.type === 'NATURAL') {
      const subject = value.subject;
      const pk = keyer(subject.idNumber18);
      profiles.set(`N#${pk}`, () => ensureNaturalProfile(pk, { name: subject.name, sealedId: seal(subject.idNumber18), maskedId: maskIdNumber(subject.idNumber18), at: msg.receivedAt }));
      placed.push({ row, table: 'naturalSubjects', record: { pk, sk, ...base }, linked: true, op: value.op, copies });
      continue;
    }

    const subject = value.subject;
    const ids = registryKeysOf(subject);
    const uscc = subject.uscc ?? ids.map((k) => registry.get(k)).find(Boolean);
    const rep = value.legalRep;
    if (item.polarity === 'NEGATIVE' && item.severity === 'SERIOUS' && rep?.idNumber18) {
      // 责任人: a serious record is also filed under the legal representative's own file
      const repPk = keyer(rep.idNumber18);
      const repId = rep.idNumber18;
      profiles.set(`N#${repPk}`, () => ensureNaturalProfile(repPk, { name: rep.name ?? '', sealedId: seal(repId), maskedId: maskIdNumber(repId), at: msg.receivedAt }));
      copies.push({ table: 'naturalSubjects', record: { pk: repPk, sk: `${sk}#REP`, ...base, via: { uscc: uscc ?? '', role: 'LEGAL_REPRESENTATIVE' } } });
    }
    if (uscc) {
      if (isRegistration && subject.uscc && value.op === 'upsert') {
        const reg = {
          uscc,
          name: subject.name,
          partyType: subject.partyType,
          regNo: subject.regNo,
          orgCode: subject.orgCode ?? uscc.slice(8, 17),
          otherIds: { instCertNo: subject.instCertNo, socOrgCertNo: subject.socOrgCertNo, taxNo: subject.taxNo } as Record<string, string>,
          legalRepName: rep?.name,
          source: { provider: msg.provider, item: msg.item, recordId: rid },
          at: msg.receivedAt,
        };
        profiles.set(`L#${uscc}`, async () => {
          const registered = await register(reg);
          await pMap(registered, (k) => releaseHeldFor(k), { concurrency: 4 });
        });
      } else if (!profiles.has(`L#${uscc}`)) {
        profiles.set(`L#${uscc}`, () => ensureLegalProfile(uscc, subject.name, subject.partyType, msg.receivedAt));
      }
      placed.push({ row, table: 'legalSubjects', record: { pk: uscc, sk, ...base }, linked: true, op: value.op, copies });
      continue;
    }
    // 未关联: no subject known yet; the record waits under each identifier it carries
    const holdSk = `${msg.provider}#${msg.item}#${rid}`;
    for (const extra of ids.slice(1)) copies.push({ table: 'registry', record: { pk: holdPk(extra), sk: holdSk, ...base, holdKeys: ids } });
    placed.push({ row, table: 'registry', record: { pk: holdPk(ids[0]!), sk: holdSk, ...base, holdKeys: ids }, linked: false, op: value.op, copies });
  }
  // profiles and registrations first, so a record never points at a subject that does not exist
  await pMap([...profiles.values()], (f) => f(), { concurrency: 8 });
  return placed;
}

async function releaseHeldFor(registryKey: string): Promise<void> {
  const held = await heldRecords(registryKey);
  if (held.length) await releaseHeld(held);
}

async function writeRejections(msg: ChunkMessage, rejected: Array<{ row: number; errors: RowError[]; raw: Record<string, unknown> }>): Promise<void> {
  if (!rejected.length) return;
  const lines = rejected.map((r) => JSON.stringify({ row: r.row, errors: r.errors, raw: r.raw }));
  await putText(bucketName('work'), `${rejectionsPrefix(msg.batchId)}${String(msg.chunk.index).padStart(6, '0')}.jsonl`, lines.join('\n') + '\n', 'application/x-ndjson');
}
