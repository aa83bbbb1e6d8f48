/**
 * A stored record as the national format's input: item fields with sealed ID numbers opened
 * (the national platform receives them in full), the party columns ingest kept, the subject's
 * USCC (legal) or ID number (natural), and the provider as 数据来源单位.
 */
import type { Provider } from '#core/catalog';
import type { ExportSource, NationalType, PartyColumns } from '#core/national-format';
import { unseal } from '#adapters/personal-data';
import type { StoredRecord, SubjectTable } from '#adapters/subject-repo';

export async function exportSource(record: StoredRecord, table: SubjectTable, provider: Provider | undefined): Promise<ExportSource> {
  const fields: Record<string, unknown> = { ...record.fields };
  for (const [key, sealed] of Object.entries(record.sealed ?? {})) fields[key] = await unseal(sealed);
  const party: PartyColumns = { partyName: record.subjectName, ...record.party };
  if (table === 'legalSubjects') party.partyUscc = record.pk;
  else if (record.subjectIdSealed) party.personIdNo = await unseal(record.subjectIdSealed);
  return {
    type: record.publicity as NationalType,
    fields,
    party,
    sourceUnit: { name: provider?.name ?? '', uscc: provider?.uscc ?? '' },
  };
}
