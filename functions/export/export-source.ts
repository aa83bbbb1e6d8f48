/**
 * A stored record as the national format's input: item fields with sealed ID numbers opened
 * (the national platform receives them in full), the party columns ingest kept, the subject's
 * USCC (legal) or ID number (natural), and the provider as 数据来源单位.
 *
 * Most records (legal subjects without ID-number fields) have nothing sealed: their source is
 * built without a promise per record (exportSourceNow), which matters on a run's hot path.
 */
import type { Provider } from '#core/catalog';
import type { ExportSource, NationalType, PartyColumns } from '#core/national-format';
import { unseal } from '#adapters/personal-data';
import type { StoredRecord, SubjectTable } from '#adapters/subject-repo';

/** The opened values of a record's sealed fields and, for a natural person, of the subject's ID number. */
interface Opened {
  fields?: Record<string, string>;
  personIdNo?: string;
}

function hasSealed(record: StoredRecord, table: SubjectTable): boolean {
  if (table === 'naturalSubjects' && record.subjectIdSealed) return true;
  for (const _ in record.sealed ?? {}) return true;
  return false;
}

function build(record: StoredRecord, table: SubjectTable, provider: Provider | undefined, opened: Opened): ExportSource {
  const fields: Record<string, unknown> = opened.fields ? { ...record.fields, ...opened.fields } : (record.fields ?? {});
  const party: PartyColumns = { partyName: record.subjectName, ...record.party };
  if (table === 'legalSubjects') party.partyUscc = record.pk;
  else if (opened.personIdNo !== undefined) party.personIdNo = opened.personIdNo;
  return {
    type: record.publicity as NationalType,
    fields,
    party,
    sourceUnit: { name: provider?.name ?? '', uscc: provider?.uscc ?? '' },
  };
}

/** The source of a record with nothing sealed; undefined when something has to be opened first (use exportSource). */
export function exportSourceNow(record: StoredRecord, table: SubjectTable, provider: Provider | undefined): ExportSource | undefined {
  return hasSealed(record, table) ? undefined : build(record, table, provider, {});
}

export async function exportSource(record: StoredRecord, table: SubjectTable, provider: Provider | undefined): Promise<ExportSource> {
  const opened: Opened = {};
  for (const [key, sealed] of Object.entries(record.sealed ?? {})) (opened.fields ??= {})[key] = await unseal(sealed);
  if (table === 'naturalSubjects' && record.subjectIdSealed) opened.personIdNo = await unseal(record.subjectIdSealed);
  return build(record, table, provider, opened);
}
