/**
 * Processes one chunk of a batch: read its byte range, parse, validate every row against the
 * catalog item, link each accepted row to its subject, write it, and record the chunk's result
 * once. Every row ends exactly one of: rejected (with row, field, code, message), accepted and
 * linked, or accepted and held unlinked. A redelivered chunk rewrites the same items and finds
 * its result already recorded: nothing changes twice.
 */
import type { InfoItem } from '#core/catalog';
import { maskIdNumber, orgCodeOfUscc } from '#core/identifiers';
import { ISSUED_INVALID_USCC } from '#core/issued-invalid-codes';
import { changeKeys, isExported } from '#core/change-marker';
import { DUE_ATTRIBUTES, ITEM_ATTRIBUTES, dueKeys, itemKeys } from '#core/due-day';
import { describeProblems, mapRecord, storedPartyColumns, type NationalType } from '#core/national-format';
import { isShownOn, publicityAttributes, type PublicityAttributes } from '#core/publicity';
import { MAX_RECEIPT_ERRORS, MAX_RECEIPT_HELD_ROWS, type ChunkResult, type HeldBackRow } from '#core/receipt';
import { recordId, recordSortKey } from '#core/record-id';
import { maskIdNumbersIn, maskRejectedRow } from '#core/redact';
import { compileItem, itemLabels, rowMessageZh, type RowError, type ValidRow } from '#core/row-validator';
import { SUBJECT_COLUMNS } from '#core/subject-columns';
import { labelOf, RECORD_STATE_NAMES } from '#core/labels';
import { shanghaiDay } from '#core/working-days';
import { stockDeltas, stockOf } from '#core/stock';
import { completeBatch, hasChunkResult, markChunkDone, putChunkResult } from '#adapters/batch-repo';
import { enterListsByRule } from '#adapters/joint-repo';
import { currentCatalog } from '#adapters/catalog-repo';
import { bucketName } from '#adapters/config';
import { discardUpload, putText, readRange } from '#adapters/object-store';
import { naturalKeyer, sealer, unseal } from '#adapters/personal-data';
import { logger, metrics } from '#adapters/powertools';
import { holdPk, lookupRegistry, registryKeysOf, waitKeys, type StoredRecord, type SubjectTable } from '#adapters/subject-repo';
import { batchGet, batchPut, keyOf, type ItemKey } from '#adapters/batch-io';
import { applyChunkStock, keepChunkStock } from '#adapters/stock-repo';
import type { TableName } from '#lib/platform';
import type { ChunkMessage } from './chunk-message.ts';
import { csvRecords, jsonlRecords, type ChunkRecord } from './chunk-records.ts';
import { releaseHeld } from './release-held.ts';
import { HOLD_MARKER, registerSubjects, type RegistrationNeed } from './subjects.ts';

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
  const published = await currentCatalog({ items: [msg.item] });
  const item = published?.index.item(msg.item);
  const bytes = await readRange(msg.bucket, msg.key, msg.chunk.start, msg.chunk.end, msg.etag);
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
  const rawOf = new Map(valid.map((v) => [v.row, v.raw]));
  const keysOf = (ps: Placed[]) => ps.flatMap((p) => [p, ...p.copies].map((x) => ({ table: x.table, pk: x.record.pk, sk: x.record.sk })));
  // upserts need only who wrote the stored item and when; a withdrawal rewrites the whole item
  // (and the sealed numbers: the legal representative the stored record names, for its Art 28 copy)
  const existing = await batchGet(keysOf(placed.filter((p) => p.op === 'upsert')), ['batchId', 'row', 'receivedAt', 'status', 'objection', 'stock', 'sealed']);
  const deletes = placed.filter((p) => p.op === 'delete');
  if (deletes.length) for (const [k, v] of await batchGet(keysOf(deletes))) existing.set(k, v);
  const staleCopies = await staleRepresentativeCopies(item, placed, existing);
  const retire: Array<ItemKey & { row: number }> = [];
  const writes: Array<{ table: TableName; item: Record<string, unknown> }> = [];
  let linked = 0;
  let unlinked = 0;
  const writtenAt = new Date().toISOString();
  for (const p of placed) {
    const decision = decide(p, existing.get(keyOf({ table: p.table, pk: p.record.pk, sk: p.record.sk })), msg);
    if (decision.kind === 'reject') {
      rejected.push({ row: p.row, raw: rawOf.get(p.row) ?? {}, errors: [decision.error(item)] });
      continue;
    }
    if (p.linked) linked++;
    else unlinked++;
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
  const held = placed.filter((p) => !p.linked && p.op === 'upsert');
  // markers let a registration find waiting records with one batched read
  for (const p of held) for (const k of p.record.holdKeys ?? []) writes.push({ table: 'registry', item: { pk: holdPk(k), sk: HOLD_MARKER } });
  // the stock counters (core/stock): the chunk's net change, kept before the writes and applied once after
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
  const stock = stockChanges.length ? await keepChunkStock(msg.batchId, msg.chunk.index, stockDeltas(stockChanges)) : undefined;
  // before the records: a chunk redelivered after a crash still reads the old record, and retires its copy again
  if (retire.length) await batchPut(await retiredCopies(retire, msg), 'ingest-chunk');
  // every row's fate is known: the rejection report is written, and the national hold-backs worked
  // out, while the records are being written (neither depends on the other; a redelivery redoes both)
  rejected.sort((a, b) => a.row - b.row);
  const writing = Promise.allSettled([batchPut(writes, 'ingest-chunk'), writeRejections(msg, rejected, item)]);
  const rejectedRows = new Set(rejected.map((r) => r.row));
  const heldBack = nationalHoldBacks(
    item,
    valid.filter((v) => v.value.op === 'upsert' && !rejectedRows.has(v.row)),
    published!.index.provider(item.provider),
    today,
  );
  for (const r of await writing) if (r.status === 'rejected') throw r.reason;
  if (stock && !stock.applied) await applyChunkStock(msg.batchId, msg.chunk.index, stock.deltas);
  // 联合奖惩: a record of a rule-entered list's behaviour puts its subject on the list (NOTIFIED)
  if (published) await enterListsByRule(published.catalog, writes, writtenAt);

  // a record held for want of its subject may have met a registration that landed meanwhile
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

/**
 * Accepted double-publicity rows the national format cannot carry as they are: the export will hold
 * them back (the admin's held list) until a correction or re-upload; the receipt says so at once.
 * The same mapping and validation as the export, on the row as uploaded.
 */
function nationalHoldBacks(
  item: InfoItem,
  accepted: ReadonlyArray<{ row: number; value: ValidRow }>,
  provider: { name: string; uscc: string } | undefined,
  today: string,
): { count: number; rows: HeldBackRow[] } {
  if (!isExported(item.publicity)) return { count: 0, rows: [] };
  const rows: HeldBackRow[] = [];
  let count = 0;
  for (const { row, value } of accepted) {
    const s = value.subject;
    const party = {
      partyName: s.name,
      ...storedPartyColumns(s, value.legalRep),
      ...(s.type === 'LEGAL' ? { partyUscc: s.uscc } : { personIdNo: s.idNumber18 }),
    };
    const mapped = mapRecord(
      { type: item.publicity as NationalType, fields: value.fields, party, sourceUnit: { name: provider?.name ?? '', uscc: provider?.uscc ?? '' } },
      { today },
    );
    if (mapped.ok) continue;
    count++;
    if (rows.length < MAX_RECEIPT_HELD_ROWS) {
      // problems name Version B fields and what they need, never the values (an ID number stays out of the receipt)
      const reason = maskIds(describeProblems(mapped.problems));
      const zh = mapped.problems
        .map((p) => (p.field.endsWith('_FRDB') ? '缺少「法定代表人」，国家平台要求法人和个体工商户填写' : maskIds(`${p.field} ${p.message}`)))
        .join('；');
      rows.push({ row, reason, reasonZh: rowMessageZh(row, null, `已接收，但在更正前不推送国家平台（双公示）：${zh}`) });
    }
  }
  return { count, rows };
}

/** ID-number-shaped runs in a message, masked like everywhere they are shown. */
const maskIds = (text: string) => text.replace(/\d{17}[\dXx]|\d{15}/g, (m) => maskIdNumber(m));

function duplicateKey(row: number, item: InfoItem, key: string, firstRow: number | undefined): RowError {
  return {
    row,
    field: item.keyField,
    code: 'DUPLICATE_KEY_IN_FILE',
    message: `key '${key}' appears more than once in this file${firstRow ? ` (first in row ${firstRow})` : ''}`,
    messageZh: rowMessageZh(row, itemLabels(item)(item.keyField), `"${key}" 在本文件中出现多次${firstRow ? `（首次在第 ${firstRow} 行）` : ''}`),
  };
}

type Decision = { kind: 'write'; item: Record<string, unknown> } | { kind: 'skip' } | { kind: 'reject'; error: (item: InfoItem) => RowError };

/**
 * What to do with a row given what is stored under its key. Chunks of one batch run one after
 * another (a FIFO group per batch), so "another row of this batch already wrote this key" is an
 * exact duplicate check; a redelivered chunk finds its own rows and rewrites them unchanged.
 */
function decide(p: Pick<Placed, 'row' | 'op' | 'record'>, stored: Record<string, unknown> | undefined, msg: ChunkMessage): Decision {
  if (p.op === 'delete') {
    if (!stored) {
      return {
        kind: 'reject',
        error: (item) => ({
          row: p.row,
          field: item.keyField,
          code: 'NOT_FOUND',
          message: `no record with key '${p.record.key}' to withdraw`,
          messageZh: rowMessageZh(p.row, itemLabels(item)(item.keyField), `没有 "${p.record.key}" 这条记录可以删除`),
        }),
      };
    }
    if (stored.status === 'WITHDRAWN' || CLOSED_STATUSES.has(String(stored.status))) return { kind: 'skip' };
    // a withdrawn record leaves the public search index (it keeps its last public day) and has nothing due
    const { pubpk: _pubpk, pubsk: _pubsk, ...kept } = stored;
    for (const k of DUE_ATTRIBUTES) delete kept[k];
    return {
      kind: 'write',
      item: { ...kept, status: 'WITHDRAWN', withdrawnAt: msg.receivedAt, withdrawnBy: `${msg.batchId}#${p.row}`, updatedAt: msg.receivedAt },
    };
  }
  if (stored) {
    // repaired, revoked or deleted on an objection: a re-upload does not bring the record back
    if (CLOSED_STATUSES.has(String(stored.status))) {
      return {
        kind: 'reject',
        error: (item) => ({
          row: p.row,
          field: item.keyField,
          code: 'RECORD_CLOSED',
          message: `the record with key '${p.record.key}' is ${String(stored.status)}; it is not changed by uploads`,
          messageZh: rowMessageZh(
            p.row,
            itemLabels(item)(item.keyField),
            `记录 "${p.record.key}" ${labelOf(stored.status, RECORD_STATE_NAMES)}，上传不再改变它`,
          ),
        }),
      };
    }
    if (stored.batchId === msg.batchId && stored.row !== p.row) {
      return { kind: 'reject', error: (item) => duplicateKey(p.row, item, p.record.key, stored.row as number) };
    }
    // a late redelivery of an older batch never rolls newer data back
    if (stored.batchId !== msg.batchId && String(stored.receivedAt) > msg.receivedAt) return { kind: 'skip' };
  }
  // an open objection's mark (functions/rights) stays on the record until the objection ends
  const mark = stored?.objection ? { objection: stored.objection } : {};
  return { kind: 'write', item: { ...(p.record as unknown as Record<string, unknown>), ...mark } };
}

const CLOSED_STATUSES: ReadonlySet<string> = new Set(['REPAIRED', 'REVOKED', 'DELETED']);

/** A serious negative record of a company is also filed under its legal representative (Art 28). */
const copiedToRepresentative = (item: InfoItem) => item.polarity === 'NEGATIVE' && item.severity === 'SERIOUS';

/**
 * The Art 28 copies a write leaves behind: the stored record names a legal representative (its
 * sealed number) whose copy this row does not rewrite — a withdrawal row need not repeat the
 * legalRep* columns, and an upsert may name another representative. Found by key, no query.
 */
async function staleRepresentativeCopies(item: InfoItem, placed: Placed[], existing: Map<string, Record<string, unknown>>): Promise<Map<Placed, ItemKey>> {
  const stale = new Map<Placed, ItemKey>();
  if (!copiedToRepresentative(item)) return stale;
  let keyer: ((id18: string) => string) | undefined;
  for (const p of placed) {
    if (p.table !== 'legalSubjects') continue;
    const sealed = (existing.get(keyOf({ table: p.table, pk: p.record.pk, sk: p.record.sk }))?.sealed as Record<string, string> | undefined)?.legalRepIdNo;
    if (!sealed) continue;
    keyer ??= await naturalKeyer();
    const copy: ItemKey = { table: 'naturalSubjects', pk: keyer(await unseal(sealed)), sk: `${p.record.sk}#REP` };
    if (!p.copies.some((c) => c.table === copy.table && c.record.pk === copy.pk && c.record.sk === copy.sk)) stale.set(p, copy);
  }
  return stale;
}

/** The stale copies still served, withdrawn as a withdrawal row withdraws a record (no longer in any index). */
async function retiredCopies(keys: Array<ItemKey & { row: number }>, msg: ChunkMessage): Promise<Array<{ table: TableName; item: Record<string, unknown> }>> {
  const found = await batchGet(keys);
  const out: Array<{ table: TableName; item: Record<string, unknown> }> = [];
  for (const k of keys) {
    const copy = found.get(keyOf(k));
    if (copy?.status !== 'ACTIVE') continue;
    const { pubpk: _pubpk, pubsk: _pubsk, objection: _objection, ...kept } = copy;
    for (const a of [...DUE_ATTRIBUTES, ...ITEM_ATTRIBUTES]) delete kept[a];
    out.push({
      table: k.table,
      item: { ...kept, status: 'WITHDRAWN', withdrawnAt: msg.receivedAt, withdrawnBy: `${msg.batchId}#${k.row}`, updatedAt: msg.receivedAt },
    });
  }
  return out;
}

/** Decides where each valid row goes: which table and partition, linked or held. */
async function place(msg: ChunkMessage, item: InfoItem, rows: Array<{ row: number; value: ValidRow }>): Promise<Placed[]> {
  const keyer = await naturalKeyer();
  const seal = await sealer();
  const idFields = item.fields.filter((f) => f.type === 'idNumber').map((f) => f.key);
  const isRegistration = item.recordClass === 'REGISTRATION';
  const today = shanghaiDay(new Date());

  // secondary identifiers of legal subjects named without a USCC
  const lookups = rows.flatMap(({ value }) => (value.subject.type === 'LEGAL' && !value.subject.uscc ? registryKeysOf(value.subject) : []));
  const registry = lookups.length ? await lookupRegistry(lookups) : new Map<string, string>();

  const registrations = new Map<string, RegistrationNeed>();
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
      // the national export needs the row's party columns (Version B 行政相对人 fields)
      ...(isExported(item.publicity) ? { party: storedPartyColumns(value.subject, value.legalRep) } : {}),
    };
    const sk = recordSortKey(msg.provider, msg.item, value.key);
    const copies: Placed['copies'] = [];

    if (value.subject.type === 'NATURAL') {
      const subject = value.subject;
      const pk = keyer(subject.idNumber18);
      const person = { subjectIdSealed: seal(subject.idNumber18), subjectIdMasked: maskIdNumber(subject.idNumber18) };
      placed.push({ row, table: 'naturalSubjects', record: { pk, sk, ...base, ...person, ...dueKeys(base, item) }, linked: true, op: value.op, copies });
      continue;
    }

    const subject = value.subject;
    const ids = registryKeysOf(subject);
    const uscc = subject.uscc ?? ids.map((k) => registry.get(k)).find(Boolean);
    const rep = value.legalRep;
    if (copiedToRepresentative(item) && rep?.idNumber18) {
      // 责任人: a serious record is also filed under the legal representative's own file
      const repPk = keyer(rep.idNumber18);
      const repId = rep.idNumber18;
      copies.push({
        table: 'naturalSubjects',
        record: {
          pk: repPk,
          sk: `${sk}#REP`,
          ...base,
          subjectName: rep.name ?? '',
          subjectIdSealed: seal(repId),
          subjectIdMasked: maskIdNumber(repId),
          via: { uscc: uscc ?? '', role: 'LEGAL_REPRESENTATIVE' },
          ...dueKeys(base, item),
        },
      });
    }
    // 双公示: the public search index (GSI byPublicity) and the last public day. Held records carry
    // them too, so a record keeps them when release-held moves it into the subject's file.
    const pub = value.op === 'upsert' ? shownAttributes(publicityAttributes(item, subject.name, rid, fields), today) : undefined;
    // the byExpiry index: the day its query period or its publicity ends (held records carry it into the file too)
    const due = dueKeys({ ...base, ...pub }, item);
    if (uscc) {
      if (isRegistration && subject.uscc && value.op === 'upsert') {
        registrations.set(uscc, {
          uscc,
          name: subject.name,
          partyType: subject.partyType,
          regNo: subject.regNo,
          orgCode: subject.orgCode ?? orgCodeOfUscc(uscc),
          otherIds: { instCertNo: subject.instCertNo, socOrgCertNo: subject.socOrgCertNo, taxNo: subject.taxNo },
          legalRepName: rep?.name,
          source: { provider: msg.provider, item: msg.item, recordId: rid },
        });
      }
      placed.push({ row, table: 'legalSubjects', record: { pk: uscc, sk, ...base, ...pub, ...due }, linked: true, op: value.op, copies });
      continue;
    }
    // 未关联: no subject known yet; the record waits under each identifier it carries
    const holdSk = `${msg.provider}#${msg.item}#${rid}`;
    for (const extra of ids.slice(1)) copies.push({ table: 'registry', record: { pk: holdPk(extra), sk: holdSk, ...base, ...pub, ...due, holdKeys: ids } });
    // only the first hold entry is in the byWaiting index: housekeeping reads each waiting record once
    placed.push({
      row,
      table: 'registry',
      record: { pk: holdPk(ids[0]!), sk: holdSk, ...base, ...pub, ...due, holdKeys: ids, ...waitKeys(rid, msg.receivedAt) },
      linked: false,
      op: value.op,
      copies,
    });
  }
  await registerSubjects([...registrations.values()], msg.receivedAt);
  return placed;
}

/** A record already past its publicity period keeps its last public day but is not indexed for search. */
function shownAttributes(pub: PublicityAttributes | undefined, today: string): PublicityAttributes | { publicUntil: string } | undefined {
  return pub && !isShownOn(pub.publicUntil, today) ? { publicUntil: pub.publicUntil } : pub;
}

/** Columns holding a resident ID number, by key and by label (a JSON Lines row keeps its own names). */
export function idColumnsOf(item: InfoItem | undefined): Set<string> {
  const cols = [...SUBJECT_COLUMNS.filter((c) => c.kind === 'idNumber'), ...(item?.fields.filter((f) => f.type === 'idNumber') ?? [])];
  return new Set(cols.flatMap((c) => [c.key, c.label]));
}

/** Rejected rows are kept (400 days) for the provider's rejection CSV: ID numbers only masked. */
async function writeRejections(
  msg: ChunkMessage,
  rejected: Array<{ row: number; errors: RowError[]; raw: Record<string, unknown> }>,
  item?: InfoItem,
): Promise<void> {
  if (!rejected.length) return;
  const idColumns = idColumnsOf(item);
  const lines = rejected.map((r) =>
    JSON.stringify({ row: r.row, errors: r.errors.map((e) => ({ ...e, message: maskIdNumbersIn(e.message) })), raw: maskRejectedRow(r.raw, idColumns) }),
  );
  await putText(
    bucketName('work'),
    `${rejectionsPrefix(msg.batchId)}${String(msg.chunk.index).padStart(6, '0')}.jsonl`,
    lines.join('\n') + '\n',
    'application/x-ndjson',
  );
}
