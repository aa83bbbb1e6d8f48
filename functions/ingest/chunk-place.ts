/**
 * Where a chunk's valid rows go (which table and partition, linked to their subject or held
 * unlinked, with their copies), and the Art 28 copies a write leaves behind. Reads by key only.
 */
import type { InfoItem } from '#core/catalog';
import { maskIdNumber, orgCodeOfUscc } from '#core/identifiers';
import { isExported } from '#core/change-marker';
import { DUE_ATTRIBUTES, ITEM_ATTRIBUTES, dueKeys } from '#core/due-day';
import { storedPartyColumns } from '#core/national-format';
import { publicityAttributes } from '#core/publicity';
import { recordId, recordSortKey } from '#core/record-id';
import type { ValidRow } from '#core/row-validator';
import { shanghaiDay } from '#core/working-days';
import { naturalKeyer, sealer, unseal } from '#adapters/personal-data';
import { holdPk, lookupRegistry, registryKeysOf, waitKeys, type StoredRecord } from '#adapters/subject-repo';
import { batchGet, keyOf, type ItemKey } from '#adapters/batch-io';
import type { TableName } from '#lib/platform';
import type { ChunkMessage } from './chunk-message.ts';
import { copiedToRepresentative, shownAttributes, type Placed } from './chunk-rules.ts';
import { registerSubjects, type RegistrationNeed } from './subjects.ts';

/** Decides where each valid row goes: which table and partition, linked or held. */
export async function place(msg: ChunkMessage, item: InfoItem, rows: Array<{ row: number; value: ValidRow }>): Promise<Placed[]> {
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

/**
 * The Art 28 copies a write leaves behind: the stored record names a legal representative (its
 * sealed number) whose copy this row does not rewrite — a withdrawal row need not repeat the
 * legalRep* columns, and an upsert may name another representative. Found by key, no query.
 */
export async function staleRepresentativeCopies(
  item: InfoItem,
  placed: Placed[],
  existing: Map<string, Record<string, unknown>>,
): Promise<Map<Placed, ItemKey>> {
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
export async function retiredCopies(
  keys: Array<ItemKey & { row: number }>,
  msg: ChunkMessage,
): Promise<Array<{ table: TableName; item: Record<string, unknown> }>> {
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
