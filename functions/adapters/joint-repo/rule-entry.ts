/** Entry by rule, as records are written (ingest, and held records linked late). */
import { createHash } from 'node:crypto';
import { indexCatalog, type Catalog } from '#core/catalog';
import { nextDueAt, notifyEntry } from '#core/credit-lists';
import { listsEnteredBy, ruleEntryItems } from '#core/joint-triggers';
import { isServable, type RecordLike } from '#core/record-view';
import { shanghaiDay } from '#core/working-days';
import { loadCalendar } from '../calendar-repo.ts';
import { openEntry } from './entries.ts';

const entryIdFor = (list: string, type: string, key: string, recordId: string) =>
  `${list}-${createHash('sha256').update(`${type}|${key}|${recordId}`).digest('hex').slice(0, 20)}`;

/**
 * Puts the subjects of newly written records on the lists a rule enters them on (NOTIFIED, told
 * now). Only served records of the subject itself count; a subject already on the list (an open
 * entry) is not entered twice, so a redelivered chunk changes nothing. Returns the entries created.
 */
export async function enterListsByRule(
  catalog: Catalog,
  written: ReadonlyArray<{ table: string; item: Record<string, unknown> }>,
  now: string,
): Promise<number> {
  const items = ruleEntryItems(catalog);
  if (items.size === 0) return 0;
  const index = indexCatalog(catalog);
  const today = shanghaiDay(now);
  let created = 0;
  for (const { table: t, item: r } of written) {
    if ((t !== 'legalSubjects' && t !== 'naturalSubjects') || r.via || !items.has(String(r.item))) continue;
    const record = r as unknown as RecordLike & { subjectName?: string; subjectIdMasked?: string; pk: string };
    if (!isServable(record, index.item(record.item), today)) continue;
    const type = t === 'legalSubjects' ? 'LEGAL' : 'NATURAL';
    const key = record.pk;
    for (const { list, behaviours } of listsEnteredBy(catalog, record)) {
      const entry = notifyEntry(
        list,
        {
          entryId: entryIdFor(list.code, type, key, record.recordId),
          subject: { type, key, label: type === 'LEGAL' ? key : String(record.subjectIdMasked ?? '') },
          subjectName: String(record.subjectName ?? ''),
          by: 'RULE',
          basis: list.criteria,
          reasons: behaviours.map((b) => index.behaviour(b)?.name ?? b).join('；'),
          behaviours,
          records: [record.recordId],
        },
        now,
        await loadCalendar(),
      );
      if ((await openEntry(entry, nextDueAt(entry))).created) created++;
    }
  }
  return created;
}
