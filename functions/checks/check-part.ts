/**
 * Checks one part of a bulk check: every id is validated (an invalid id is reported in the
 * results with its reason, never fails the check), its credit file read, the access decision a
 * query by the same unit for the same purpose would get applied, and its servable, visible
 * NEGATIVE records (optionally only of the requested items) listed. The part's lines go to S3,
 * every checked subject to the query log, the part's result once to the table; the worker that
 * finishes the last part writes the result files and completes the check.
 */
import { z } from 'zod';
import type { Disclosure } from '#core/catalog';
import { maskIdNumber } from '#core/identifiers';
import { isServable } from '#core/record-view';
import { shanghaiDay } from '#core/working-days';
import { currentCatalog, indexWithItems } from '#adapters/catalog-repo';
import { DOMAIN_ERROR_STATUS } from '#adapters/http';
import { logger, metrics } from '#adapters/powertools';
import { queryAppender, type QueryLogEntry } from '#adapters/query-log-repo';
import { getCheck, hasPartResult, markCompleted, markPartDone, partLength, partResults, putPartResult, type Check, type PartResult } from './check-repo.ts';
import { readInput, writePart, writeResults, type SubjectResult } from './check-files.ts';
import { accessFor, invalidKeyer, keyerFor, logEntry, parseId, readFiles, type CheckCaller } from './subject-files.ts';
import { countBulkPart, entriesOfSubjects, jointLine, openBulkFeedback, type BulkHit } from '../joint/index.ts';
import type { CheckedSubject } from '#core/joint-stats';
import type { Matter } from '#core/catalog';

export const PartMessageSchema = z.object({ checkId: z.string().min(1), part: z.int().nonnegative(), partCount: z.int().positive() });
export type PartMessage = z.infer<typeof PartMessageSchema>;

export const CHECK_CHANNEL = 'BULK_CHECK';

export async function checkPart(msg: PartMessage): Promise<void> {
  const check = await getCheck(msg.checkId);
  if (!check) throw new Error(`check ${msg.checkId} does not exist`);
  if (check.status !== 'RUNNING') {
    logger.info('part of an ended check skipped', { checkId: msg.checkId, part: msg.part, status: check.status });
    return;
  }
  if (!(await hasPartResult(check.checkId, msg.part))) {
    const result = await runPart(check, msg.part);
    await putPartResult(check.checkId, result);
    metrics.addMetric('CheckedSubjects', 'Count', result.ids);
  }
  if (await markPartDone(check.checkId, msg.part)) await completeCheck(check.checkId);
}

/**
 * Subjects read and decided a slice at a time: the log puts of the slices already decided run
 * while the next slice's credit files are read (adapters/query-log-repo queryAppender), so the
 * part's reads hide behind its writes instead of preceding them (docs/adr/0005-bulk-check-reads-and-log.md).
 */
const SLICE = 250;

async function runPart(check: Check, part: number): Promise<PartResult> {
  const input = await readInput(check.checkId, part);
  if (input.ids.length !== partLength(check, part)) {
    throw new Error(`part ${part} of check ${check.checkId}: expected ${partLength(check, part)} ids, read ${input.ids.length}`);
  }
  // the small sections now; the items these subjects' records name once their files are read (by key, never the whole catalog)
  const small = (await currentCatalog({ items: [] })) ?? undefined;
  const keyer = await keyerFor(check.subjectType);
  const invalidKey = await invalidKeyer();
  const parsed = input.ids.map((raw) => parseId(check.subjectType, raw));
  const keyOf = new Map<string, string>();
  for (const p of parsed) if (p.ok && !keyOf.has(p.id)) keyOf.set(p.id, keyer(p.id));
  // 联合奖惩: the open list entries of the subjects, read alongside their files
  const jointOn = check.joint === true && small !== undefined && check.unit !== null;
  const lists = (small?.catalog.creditLists ?? []).map((l) => l.code);
  const jointChecked: CheckedSubject[] = [];
  const jointHits: BulkHit[] = [];

  const now = new Date().toISOString();
  const today = shanghaiDay(now);
  const only = check.items ? new Set(check.items) : null;
  const caller: CheckCaller = { role: check.role as CheckCaller['role'], unit: check.unit, sub: check.sub };
  const lines: SubjectResult[] = [];
  const log = queryAppender();
  const result: PartResult = { part, ids: input.ids.length, checked: 0, notFound: 0, refused: 0, hitSubjects: 0, negativeRecords: 0, invalid: 0 };

  const decideSlice = async (from: number): Promise<QueryLogEntry[]> => {
    const slice = parsed.slice(from, from + SLICE);
    const keys = [...new Set(slice.flatMap((p) => (p.ok ? [keyOf.get(p.id)!] : [])))];
    const [files, entries] = await Promise.all([readFiles(check.subjectType, keys), jointOn ? entriesOfSubjects(check.subjectType, keys, lists) : null]);
    const published = small && {
      ...small,
      index: await indexWithItems(
        small.index,
        [...files.values()].flatMap((f) => f.records.map((r) => r.item)),
      ),
    };
    const decided: QueryLogEntry[] = [];
    slice.forEach((p, j) => {
      const row = input.firstRow + from + j;
      // logged as queried when the unit submitted the check, under a deterministic query id: a
      // redelivered part writes the very same entries, which the append-only log keeps once
      const entry = {
        queryId: `${check.checkId}:${row}`,
        at: check.createdAt,
        caller,
        channel: CHECK_CHANNEL,
        purpose: check.purpose,
        businessRef: check.ref,
        checkId: check.checkId,
      };
      if (!p.ok) {
        result.invalid++;
        lines.push({ row, subject: p.label, valid: false, error: { code: p.code, message: p.message }, found: false, negativeRecords: 0, records: [] });
        // refused like a query naming a malformed identifier
        const invalid = { type: check.subjectType, key: invalidKey(p.shown), label: maskIdNumber(p.shown) };
        decided.push(logEntry(entry, invalid, { outcome: 'REFUSED', status: 400, records: 0, reason: `${p.code}: ${p.message}` }));
        return;
      }
      const key = keyOf.get(p.id)!;
      const file = files.get(key)!;
      const subject = { type: check.subjectType, key, label: p.label };
      const decision = accessFor(caller, published?.catalog, { type: check.subjectType, id: p.id, key }, check.purpose, now);
      if (!decision.allowed) {
        result.refused++;
        lines.push({
          row,
          subject: p.label,
          valid: true,
          found: false,
          outcome: 'REFUSED',
          error: { code: decision.code, message: decision.message },
          negativeRecords: 0,
          records: [],
        });
        decided.push(logEntry(entry, subject, { outcome: 'REFUSED', status: DOMAIN_ERROR_STATUS[decision.kind], records: 0, reason: decision.message }));
        return;
      }
      if (!file.found) {
        result.notFound++;
        if (jointOn) jointChecked.push({ subjectType: check.subjectType, found: false, behaviours: [], lists: [], measures: [] });
        lines.push({ row, subject: p.label, valid: true, found: false, outcome: 'NOT_FOUND', negativeRecords: 0, records: [] });
        decided.push(logEntry(entry, subject, { outcome: 'NOT_FOUND', status: 404, records: 0 }));
        return;
      }
      const negative = file.records.filter((r) => {
        if (r.polarity !== 'NEGATIVE' || (only && !only.has(r.item))) return false;
        // servable and visible exactly as for a query: the catalog's current disclosure level decides
        const item = published?.index.item(r.item);
        return isServable(r, item, today) && decision.visible({ item: r.item, disclosure: (item?.disclosure ?? r.disclosure) as Disclosure });
      });
      negative.sort((a, b) => a.item.localeCompare(b.item) || a.key.localeCompare(b.key));
      const joint =
        jointOn && entries
          ? jointLine(
              file.records,
              entries.get(key) ?? [],
              { catalog: published!.catalog, index: published!.index, unit: check.unit!, matter: check.purpose as Matter, now },
              (r) => decision.visible({ item: r.item, disclosure: (published!.index.item(r.item)?.disclosure ?? 'AUTHORIZED_QUERY') as Disclosure }),
            )
          : undefined;
      if (joint) jointChecked.push({ subjectType: check.subjectType, found: true, ...joint });
      if (joint?.measures.length) jointHits.push({ subject, line: joint });
      result.checked++;
      if (negative.length) result.hitSubjects++;
      result.negativeRecords += negative.length;
      lines.push({
        row,
        subject: p.label,
        valid: true,
        found: true,
        outcome: 'ALLOWED',
        negativeRecords: negative.length,
        records: negative.map((r) => ({
          recordId: r.recordId,
          item: r.item,
          key: r.key,
          objection: r.objection ? { status: r.objection.status, since: r.objection.since } : null,
        })),
        ...(joint ? { joint } : {}),
      });
      decided.push(logEntry(entry, subject, { outcome: 'ALLOWED', status: 200, records: negative.length, reason: decision.scope }));
    });
    return decided;
  };

  // slices in order (the lines stay in submission order); each slice's entries start their puts
  // at once, and the next slice is read while they run
  for (let from = 0; from < parsed.length; from += SLICE) log.add(await decideSlice(from));
  // the part's lines and its log entries at once; both before the part counts as done: a crash in
  // between repeats the same file and the same entries, never loses them
  await Promise.all([writePart(check.checkId, part, lines), log.finish()]);
  // feedback on the measures found is due like a matter check's, before the part counts as done
  if (jointOn && jointHits.length)
    await openBulkFeedback(
      { checkId: check.checkId, unit: check.unit!, matter: check.purpose, ...(check.ref ? { caseRef: check.ref } : {}), at: check.createdAt, by: check.sub },
      jointHits,
    );
  if (jointOn && jointChecked.length)
    await countBulkPart({ checkId: check.checkId, part, unit: check.unit!, matter: check.purpose, at: check.createdAt }, jointChecked);
  return result;
}

/** Writes the result files and completes the check. Idempotent; safe to repeat after a crash. */
export async function completeCheck(checkId: string): Promise<void> {
  const check = await getCheck(checkId);
  if (!check || check.status !== 'RUNNING') return;
  const parts = await partResults(checkId);
  if (parts.length < check.partCount) return;
  await writeResults(checkId, check.partCount);
  const summary = parts.reduce(
    (s, p) => ({ hitSubjects: s.hitSubjects + p.hitSubjects, negativeRecords: s.negativeRecords + p.negativeRecords, invalid: s.invalid + p.invalid }),
    { hitSubjects: 0, negativeRecords: 0, invalid: 0 },
  );
  const ids = parts.reduce((n, p) => n + p.ids, 0);
  if (ids !== check.total) throw new Error(`check ${checkId}: parts hold ${ids} ids, the check ${check.total}`);
  if (await markCompleted(checkId, summary)) {
    metrics.addMetric('ChecksCompleted', 'Count', 1);
    logger.info('check completed', { checkId, total: check.total, ...summary });
  }
}
