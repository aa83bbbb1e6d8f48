/**
 * Overdue records (7-working-day rule, docs/domain.md, Publication deadline): active double-publicity records whose
 * publication deadline has passed and whose current version the national platform has not
 * accepted. Rejected and held records keep an exception item in the exports table's sparse
 * byDeadline index; records changed since the last watermark (no run has answered them yet) are
 * read from the change index, so a late upload of an old decision shows up at once. No scans.
 */
import pMap from 'p-map';
import { isExported } from '#core/change-marker';
import { publicationDeadline } from '#core/export-plan';
import type { WorkCalendar } from '#core/work-calendar';
import type { NationalType } from '#core/national-format';
import { SHARDS, SUBJECT_TABLES, changePages, getExceptions, overdueStates, readWatermarks, watermarkOf, type ExportState } from '#adapters/export-repo';
import type { StoredRecord, SubjectTable } from '#adapters/subject-repo';

export type OverdueEntry = Pick<
  ExportState,
  'recordId' | 'type' | 'item' | 'provider' | 'key' | 'partyName' | 'decisionDate' | 'deadline' | 'outcome' | 'error' | 'heldReason'
>;

export async function overdueRecords(asOf: string, limit: number, cal: WorkCalendar, cursor?: string): Promise<{ records: OverdueEntry[]; next?: string }> {
  const page = await overdueStates(asOf, limit, cursor);
  // records not yet answered by any run come with the first page
  const unseen = cursor ? [] : await unansweredOverdue(asOf, new Set(page.states.map((s) => s.recordId)), cal);
  return { records: [...unseen, ...page.states], next: page.next };
}

async function unansweredOverdue(asOf: string, listed: Set<string>, cal: WorkCalendar): Promise<OverdueEntry[]> {
  const marks = await readWatermarks();
  const candidates: Array<{ table: SubjectTable; record: StoredRecord }> = [];
  const jobs = SUBJECT_TABLES.flatMap((table) => SHARDS.map((shard) => ({ table, shard })));
  await pMap(
    jobs,
    async ({ table, shard }) => {
      for await (const records of changePages(table, shard, watermarkOf(marks, table, shard), '\uffff')) {
        for (const r of records) {
          const decided = r.fields?.decisionDate;
          if (r.via || r.status !== 'ACTIVE' || !isExported(r.publicity) || typeof decided !== 'string' || listed.has(r.recordId)) continue;
          if (publicationDeadline(decided, cal) < asOf) candidates.push({ table, record: r });
        }
      }
    },
    { concurrency: 4 },
  );
  // a record after its watermark may have an exception item: listed by the index already when it
  // is due, or accepted behind an unanswered record (not overdue) — either way not listed here
  const exceptions = await getExceptions(candidates.map(({ table, record }) => ({ table, recordId: record.recordId })));
  return candidates
    .filter(({ record }) => exceptions.get(record.recordId)?.chgsk !== record.chgsk)
    .map(({ record: r }) => {
      const decisionDate = r.fields.decisionDate as string;
      return {
        recordId: r.recordId,
        type: r.publicity as NationalType,
        item: r.item,
        provider: r.provider,
        key: r.key,
        partyName: r.subjectName,
        decisionDate,
        deadline: publicationDeadline(decisionDate, cal),
        outcome: 'PENDING' as const,
      };
    })
    .sort((a, b) => (a.deadline < b.deadline ? -1 : 1));
}
