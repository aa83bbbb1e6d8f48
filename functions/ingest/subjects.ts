/**
 * Registrations (登记类): a registration record writes the subject's REGISTRATION item (which
 * makes it `registered: true`) and teaches the registry its identifiers, then links any records
 * that were waiting for them. A subject exists as soon as its partition holds anything, so other
 * records need no profile write: the hot path stays one batched write per 25 records.
 */
import pMap from 'p-map';
import { batchGet, batchPut, keyOf } from '#adapters/batch-io';
import { heldRecords, holdPk, registryKeysOf } from '#adapters/subject-repo';
import { releaseHeld } from './release-held.ts';

export const HOLD_MARKER = '#';

export interface RegistrationNeed {
  uscc: string;
  name: string;
  partyType: string;
  regNo?: string;
  orgCode: string;
  otherIds: { instCertNo?: string; socOrgCertNo?: string; taxNo?: string };
  legalRepName?: string;
  source: { provider: string; item: string; recordId: string };
}

export const REGISTRATION = 'REGISTRATION';

export async function registerSubjects(regs: RegistrationNeed[], at: string): Promise<void> {
  if (!regs.length) return;
  const writes: Parameters<typeof batchPut>[0] = [];
  const keys: string[] = [];
  for (const r of regs) {
    writes.push({
      table: 'legalSubjects',
      item: {
        pk: r.uscc,
        sk: REGISTRATION,
        uscc: r.uscc,
        name: r.name,
        partyType: r.partyType,
        registered: true,
        orgCode: r.orgCode,
        ...(r.regNo ? { regNo: r.regNo } : {}),
        ...(r.legalRepName ? { legalRepName: r.legalRepName } : {}),
        registeredBy: r.source,
        registeredAt: at,
      },
    });
    for (const key of registryKeysOf({ regNo: r.regNo, orgCode: r.orgCode, ...r.otherIds })) {
      writes.push({ table: 'registry', item: { pk: key, sk: 'SUBJECT', uscc: r.uscc, at } });
      keys.push(key);
    }
  }
  await batchPut(writes, 'register');
  // records waiting for these identifiers leave a marker; only those keys need a query
  const markers = await batchGet(keys.map((k) => ({ table: 'registry' as const, pk: holdPk(k), sk: HOLD_MARKER })));
  const waiting = keys.filter((k) => markers.has(keyOf({ table: 'registry', pk: holdPk(k), sk: HOLD_MARKER })));
  await pMap(
    waiting,
    async (k) => {
      const held = (await heldRecords(k)).filter((r) => r.sk !== HOLD_MARKER);
      if (held.length) await releaseHeld(held);
    },
    { concurrency: 4 },
  );
}
