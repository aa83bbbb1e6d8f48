/**
 * One national export run (docs/adr/0003-national-export.md): under the lease, read each shard of
 * the change index from its watermark up to now − lag, decide per record (core/export-plan: the
 * sequence comes from the change key, so no per-record state is read), send signed batches of
 * ≤ 500, record each batch's answers in one outbox item (per-record items only for the rare
 * exceptions: rejected, held, answered behind an unanswered record), and move each watermark only
 * past records that were answered.
 *
 * Every (table, shard) is a lane, and all lanes run at once: a lane reads its next page while the
 * current one is mapped and sent, has up to LANE_DEPTH pages sent and not yet recorded, and
 * records its pages (outbox item, then watermark) strictly in page order. A record has one entry
 * in the index and always the same shard, so its events stay in one ordered lane. The batches in
 * flight to the national platform are bounded run-wide (SEND_CONCURRENCY).
 *
 * A run that nears its time limit continues in a new message; a run that dies is resumed by the
 * next one from the watermarks, and re-sending what it had sent changes nothing (idempotency keys).
 *
 * Its parts: run-pages.ts (one page prepared, sent, recorded), run-counters.ts, run-lease.ts.
 */
import pLimit from 'p-limit';
import { advanceWatermark, readUpperBound } from '#core/export-plan';
import { loadCalendar } from '#adapters/calendar-repo';
import { currentCatalog } from '#adapters/catalog-repo';
import {
  SHARDS,
  SUBJECT_TABLES,
  acquireLease,
  changePages,
  emptyCounts,
  ensureRun,
  finishRun,
  readExceptions,
  readWatermarks,
  releaseLease,
  saveWatermark,
  watermarkOf,
  type RunCounts,
} from '#adapters/export-repo';
import type { NationalClient } from '#adapters/national-client';
import { logger } from '#adapters/powertools';
import type { SubjectTable } from '#adapters/subject-repo';
import { pushListEntries } from './list-entries.ts';
import { leaseKeeper } from './run-lease.ts';
import { counterSink, publishMetrics } from './run-counters.ts';
import { preparePage, recordPage, sendPage, type RunContext, type SentPage, type Shard } from './run-pages.ts';

/** A run stops reading when less than this is left of its invocation, and continues in a new one. */
export const STOP_MARGIN_MS = 90_000;
/** Batches in flight to the national platform at once, over all lanes. */
export const SEND_CONCURRENCY = 4;
/** Pages of one lane sent and not yet recorded (a page is recorded once the ones before it are). */
const LANE_DEPTH = 2;

export interface RunOptions {
  runId: string;
  trigger: 'API' | 'SCHEDULE';
  client: NationalClient;
  lagMs: number;
  leaseMs: number;
  now?: () => Date;
  /** Milliseconds left in this invocation (Lambda's getRemainingTimeInMillis). */
  remainingMs?: () => number;
  /** Called when the run has to continue in a new invocation. */
  continueLater?: () => Promise<void>;
  /** Change-index entries per page (default 500, one full batch); tests use small pages to get many per shard. */
  pageSize?: number;
}

export type RunEnd = { runId: string; status: 'COMPLETED' | 'FAILED' | 'CONTINUED' | 'REFUSED'; reason?: string; counts: RunCounts };

export async function runExport(o: RunOptions): Promise<RunEnd> {
  const now = o.now ?? (() => new Date());
  const counts = emptyCounts();
  const lease = await acquireLease(o.runId, now(), o.leaseMs);
  await ensureRun({ runId: o.runId, trigger: o.trigger, started: now().toISOString() });
  if (!lease.acquired) {
    const reason = `run ${lease.holder} holds the export lease until ${lease.expiresAt}; runs never overlap`;
    await finishRun(o.runId, 'FAILED', now().toISOString(), reason);
    return { runId: o.runId, status: 'REFUSED', reason, counts };
  }
  if (lease.takenFrom) {
    await finishRun(lease.takenFrom, 'FAILED', now().toISOString(), `stopped before finishing (crash or timeout); run ${o.runId} resumed from the watermarks`);
  }

  // the providers (small section) are all a run looks up in it: no item is read
  const catalog = await currentCatalog({ fresh: true, items: [] });
  const cal = await loadCalendar({ fresh: true });
  const marks = await readWatermarks();
  const upper = readUpperBound(now(), o.lagMs);
  const sink = counterSink(o.runId);
  const leaseKeep = leaseKeeper(o, now);
  let unanswered = 0;
  let continued = false;

  /** The first error of any lane: the others stop reading and record what they have sent. */
  let failure: unknown;
  const run: RunContext = {
    runId: o.runId,
    client: o.client,
    now,
    catalog,
    cal,
    counts,
    sink,
    sendSlots: pLimit(SEND_CONCURRENCY),
    stop: () => failure !== undefined || leaseKeep.lost() || continued,
  };

  /** One lane: a (table, shard) of the change index, read, sent and recorded in page order. */
  async function lane(table: SubjectTable, shard: number): Promise<void> {
    let mark = watermarkOf(marks, table, shard);
    const state: Shard = { table, shard, exceptions: await readExceptions(table, shard), blocked: false };
    const pages = changePages(table, shard, mark, upper, o.pageSize);
    let next = pages.next();
    /** Pages sent (or being sent) and not yet recorded, oldest first. */
    const sent: Array<Promise<SentPage>> = [];
    let writes: Promise<void> = Promise.resolve();
    let failed = false;
    /** Records the oldest sent page: its outbox item, then (once that has landed) its watermark. */
    const recordOldest = async () => {
      const { processed, written } = recordPage(await sent.shift()!, state, run);
      const missing = processed.filter((p) => !p.acknowledged).length;
      unanswered += missing;
      const moved = state.blocked ? mark : advanceWatermark(mark, processed);
      state.blocked ||= missing > 0;
      await writes; // the previous page's outbox and watermark
      const advanced = moved !== mark;
      writes = written.then(() => (advanced ? saveWatermark(table, shard, moved, now().toISOString()) : undefined));
      writes.catch(() => undefined); // awaited with the next page or at the end
      mark = moved;
    };
    try {
      for (let page = await next; !page.done; page = await next) {
        next = pages.next(); // read ahead while this page is mapped and sent
        leaseKeep.renewIfDue();
        if (run.stop()) break;
        if (o.remainingMs && o.remainingMs() < STOP_MARGIN_MS) {
          continued = true;
          break;
        }
        const sending = sendPage(await preparePage(page.value, state, run), run);
        sending.catch(() => undefined); // awaited when recorded
        sent.push(sending);
        while (sent.length >= LANE_DEPTH) await recordOldest();
      }
      while (sent.length) await recordOldest();
    } catch (err) {
      failed = true;
      failure ??= err;
      throw err;
    } finally {
      // a page read ahead and never used, and pages sent and never recorded (after a failure):
      // let them finish (or fail) quietly; a resumed run sends them again under the same keys
      next.catch(() => undefined);
      await pages.return(undefined).catch(() => undefined);
      await Promise.allSettled(sent);
      if (!failed) await writes;
    }
  }

  // all lanes at once: reading is spread over every shard, sending is bounded by sendSlots
  const lanes = await Promise.allSettled(SUBJECT_TABLES.flatMap((table) => SHARDS.map((shard) => lane(table, shard))));
  const laneFailure = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
  if (laneFailure) throw failure ?? laneFailure.reason;
  // then the credit-list entries whose listing or exit the national platform has not had
  if (!run.stop()) unanswered += (await pushListEntries(run)).unanswered;
  await Promise.all([sink.drain(), leaseKeep.settle()]);

  if (leaseKeep.lost()) {
    const reason = 'lost the export lease to another run (this run was too slow to renew it)';
    await finishRun(o.runId, 'FAILED', now().toISOString(), reason);
    return { runId: o.runId, status: 'FAILED', reason, counts };
  }
  if (continued && o.continueLater) {
    await o.continueLater();
    logger.info('export run continues in a new invocation', { runId: o.runId, counts });
    return { runId: o.runId, status: 'CONTINUED', counts };
  }
  await publishMetrics(now(), counts);
  const status = unanswered ? 'FAILED' : 'COMPLETED';
  const reason = unanswered ? `${unanswered} record(s) got no answer from the national platform; the next run sends them again` : undefined;
  await finishRun(o.runId, status, now().toISOString(), reason);
  await releaseLease(o.runId);
  logger.info('export run finished', { runId: o.runId, status, counts });
  return { runId: o.runId, status, reason, counts };
}
