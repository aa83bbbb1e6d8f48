/**
 * Overdue records (7-working-day rule, domain.md §2.1): active double-publicity records whose
 * publication deadline has passed and that the national platform has not accepted. Records a run
 * has seen are in the exports table's sparse byDeadline index; records changed since the last
 * watermark (no run has seen them yet) are read from the change index, so a late upload of an
 * old decision shows up at once.
 */
import pMap from 'p-map';
import { isExported } from '#core/change-marker';
import { publicationDeadline } from '#core/export-plan';
import type { NationalType } from '#core/national-format';
import { SHARDS, SUBJECT_TABLES, changePages, overdueStates, readStates, readWatermarks, watermarkOf, type ExportState } from '#adapters/export-repo';
import type { StoredRecord } from '#adapters/subject-repo';

export type OverdueEntry = Pick<ExportState, 'recordId' | 'type' | 'item' | 'provider' | 'key' | 'partyName' | 'decisionDate' | 'deadline' | 'outcome' | 'error' | 'heldReason'>;

export async function overdueRecords(asOf: string, limit: number, cursor?: string): Promise<{ records: OverdueEntry[]; next?: string }> {
  const page = await overdueStates(asOf, limit, cursor);
  // records not yet seen by any run come with the first page
  const unseen = cursor ? [] : await unseenOverdue(asOf, new Set(page.states.map((s) => s.recordId)));
  return { records: [...unseen, ...page.states], next: page.next };
}

async function unseenOverdue(asOf: string, listed: Set<string>): Promise<OverdueEntry[]> {
  const marks = await readWatermarks();
  const candidates: StoredRecord[] = [];
  const jobs = SUBJECT_TABLES.flatMap((table) => SHARDS.map((shard) => ({ table, shard })));
  await pMap(
    jobs,
    async ({ table, shard }) => {
      for await (const records of changePages(table, shard, watermarkOf(marks, table, shard), '\uffff')) {
        for (const r of records) {
          const decided = r.fields?.decisionDate;
          if (r.via || r.status !== 'ACTIVE' || !isExported(r.publicity) || typeof decided !== 'string' || listed.has(r.recordId)) continue;
          if (publicationDeadline(decided) < asOf) candidates.push(r);
        }
      }
    },
    { concurrency: 4 },
  );
  const states = await readStates(candidates.map((r) => r.recordId));
  return candidates
    .filter((r) => {
      const s = states.get(r.recordId);
      return !s || (s.holds !== 'YES' && !s.duesk);
    })
    .map((r) => {
      const decisionDate = r.fields.decisionDate as string;
      return {
        recordId: r.recordId,
        type: r.publicity as NationalType,
        item: r.item,
        provider: r.provider,
        key: r.key,
        partyName: r.subjectName,
        decisionDate,
        deadline: publicationDeadline(decisionDate),
        outcome: 'PENDING' as const,
      };
    })
    .sort((a, b) => (a.deadline < b.deadline ? -1 : 1));
}
