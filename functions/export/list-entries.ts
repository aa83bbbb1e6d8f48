/**
 * Credit-list entries in an export run (docs/adr/0003-national-export.md, "List entries"): after the
 * records, the run sends every entry whose listing or exit the national platform has not had —
 * read from the sparse byNational index of the joint table, so the cost follows the changes, never
 * the lists. A LISTED entry of a legal person is an upsert (core/national-lists), an entry that
 * exited after being listed a withdrawal. The sequence is the entry's revision (each save adds
 * one), so a late retry of an older state changes nothing on the national side; the idempotency
 * key is the entry, revision and content. An answered entry is settled at that revision only: an
 * entry saved meanwhile stays pending with its new state, for the next run.
 */
import { createHash } from 'node:crypto';
import { CREDIT_LIST_TYPE, listEntryOp, mapListEntry, notSent, validateListEntry } from '#core/national-lists';
import { describeProblems } from '#core/national-format';
import { shanghaiDay } from '#core/working-days';
import { emptyCounts } from '#adapters/export-repo';
import { nationalPending, settleNational, type EntryAt } from '#adapters/joint-repo';
import { MAX_BATCH, NationalUnavailableError, type NationalRecord } from '#adapters/national-client';
import { logger } from '#adapters/powertools';
import type { RunContext } from './run-pages.ts';

/** Pages of pending entries one run sends at most (the rest wait for the next run). */
const MAX_PAGES = 200;

type Planned = { at: EntryAt; record?: NationalRecord; settle?: string };

function plan(at: EntryAt, run: RunContext): Planned {
  const e = at.entry;
  const op = listEntryOp(e);
  const list = run.catalog?.index.creditList(e.list);
  // nothing to send: not a legal person, a list gone from the catalog, or a state with no national operation
  if (!op || notSent(e) || !list) return { at };
  const fields = op === 'UPSERT' ? mapListEntry(e, list) : undefined;
  if (fields) {
    const problems = validateListEntry(fields, { today: shanghaiDay(run.now()) });
    if (problems.length) return { at, settle: `not sent: ${describeProblems(problems)}` };
  }
  const seq = at.rev + 1;
  let text = `${op}|${CREDIT_LIST_TYPE}`;
  if (fields) for (const code of Object.keys(fields).sort()) text += `|${code}:${JSON.stringify(fields[code])}`;
  const version = createHash('sha256').update(text).digest('base64url').slice(0, 16);
  return {
    at,
    record: { key: e.entryId, type: CREDIT_LIST_TYPE, op, seq, version, idempotencyKey: `${e.entryId}:${seq}:${version}`, ...(fields ? { fields } : {}) },
  };
}

/**
 * Sends the pending list entries in batches of ≤ 500, one batch at a time; returns how many got no
 * answer (they stay pending: the run ends FAILED and the next one sends them again).
 */
export async function pushListEntries(run: RunContext): Promise<{ unanswered: number }> {
  for (let page = 0; page < MAX_PAGES && !run.stop(); page++) {
    const pending = await nationalPending(MAX_BATCH);
    if (pending.length === 0) break;
    const planned = pending.map((at) => plan(at, run));
    const records = planned.flatMap((p) => (p.record ? [p.record] : []));
    const counts = emptyCounts();
    let answers = new Map<string, { status: string; error?: string }>();
    if (records.length) {
      try {
        const out = await run.sendSlots(() => run.client.send(`${run.runId}-lists-${page}`, records));
        counts.retried += out.retries;
        answers = new Map(out.results.map((r) => [r.idempotencyKey, r]));
      } catch (err) {
        if (!(err instanceof NationalUnavailableError)) throw err;
        counts.retried += err.retries;
        logger.warn('national batch of list entries unanswered', { runId: run.runId, records: records.length, error: err.message });
        addCounts(run, counts);
        return { unanswered: records.length };
      }
    }
    let unanswered = 0;
    await Promise.all(
      planned.map(async (p) => {
        if (!p.record) {
          if (p.settle) logger.warn('credit-list entry not sent', { entryId: p.at.entry.entryId, reason: p.settle });
          return settleNational(p.at);
        }
        const answer = answers.get(p.record.idempotencyKey);
        if (!answer) {
          unanswered++;
          return;
        }
        counts.sent++;
        counts.listEntries++;
        if (answer.status === 'ACCEPTED') {
          counts.accepted++;
          if (p.record.op === 'WITHDRAW') counts.withdrawn++;
          return settleNational(p.at);
        }
        counts.rejected++;
        return settleNational(p.at, answer.error ?? 'rejected without a reason');
      }),
    );
    addCounts(run, counts);
    if (unanswered) return { unanswered };
    if (pending.length < MAX_BATCH) break;
  }
  return { unanswered: 0 };
}

function addCounts(run: RunContext, counts: ReturnType<typeof emptyCounts>): void {
  for (const k of Object.keys(counts) as Array<keyof typeof counts>) run.counts[k] += counts[k];
  // the yearly statistics count double-publicity records only
  run.sink.add(counts, run.now().toISOString().slice(0, 4), { PENALTY: {}, LICENSING: {} });
}
