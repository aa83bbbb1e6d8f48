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
 */
import { isExported } from '#core/change-marker';
import { advanceWatermark, EXPORT_METRICS, decide, idempotencyKey, publicationDeadline, readUpperBound, type ExportDecision } from '#core/export-plan';
import { describeProblems, mapRecord, type ExportSource, type NationalFields, type NationalType } from '#core/national-format';
import type { WorkCalendar } from '#core/work-calendar';
import { shanghaiDay } from '#core/working-days';
import { loadCalendar } from '#adapters/calendar-repo';
import { currentCatalog, type PublishedCatalog } from '#adapters/catalog-repo';
import {
  SHARDS,
  SUBJECT_TABLES,
  acquireLease,
  addRunCounts,
  addStats,
  changePages,
  countIndex,
  emptyCounts,
  ensureRun,
  exceptionPk,
  finishRun,
  readExceptions,
  readWatermarks,
  releaseLease,
  renewLease,
  saveWatermark,
  watermarkOf,
  writeOutbox,
  type ExportState,
  type RunCounts,
  type SentResult,
  type StatCounts,
} from '#adapters/export-repo';
import { afterExportBatch } from '#adapters/faults';
import { MAX_BATCH, NationalUnavailableError, type NationalClient, type NationalRecord, type NationalResult } from '#adapters/national-client';
import { logger, metrics } from '#adapters/powertools';
import type { StoredRecord, SubjectTable } from '#adapters/subject-repo';
import { exportSource, exportSourceNow } from './export-source.ts';

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

interface Planned {
  record: StoredRecord;
  type: NationalType;
  decision: ExportDecision;
  fields?: NationalFields;
  decisionDate?: string;
}

/** One (table, shard) of the change index as a run works through it. */
interface Shard {
  table: SubjectTable;
  shard: number;
  /** Its exception items, kept current as the run writes and clears them. */
  exceptions: Map<string, ExportState>;
  /** An unanswered record was met: the watermark stays before it, and answered records after it keep an item. */
  blocked: boolean;
}

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

  const catalog = await currentCatalog({ fresh: true });
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
    o,
    now,
    catalog,
    cal,
    counts,
    sink,
    sendSlots: slots(SEND_CONCURRENCY),
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

/**
 * The run's lease, renewed every tenth of its length (not on every page: a renewal waits behind
 * the page reads on a busy table), at most one renewal in flight.
 */
function leaseKeeper(o: RunOptions, now: () => Date) {
  let renewedAt = Date.now();
  let renewing: Promise<void> | undefined;
  let lost = false;
  let failure: unknown;
  return {
    renewIfDue() {
      if (failure) throw failure;
      if (renewing || Date.now() - renewedAt < o.leaseMs / 10) return;
      renewedAt = Date.now();
      renewing = renewLease(o.runId, now(), o.leaseMs)
        .then((held) => {
          if (!held) lost = true;
        })
        .catch((err) => {
          failure ??= err;
        })
        .finally(() => {
          renewing = undefined;
        });
    },
    lost: () => lost,
    async settle() {
      await renewing;
      if (failure) throw failure;
    },
  };
}

/**
 * The run's counters and the yearly statistics, added after each page's outbox write lands; one
 * update of each counter item in flight, carrying whatever accumulated meanwhile.
 */
function counterSink(runId: string) {
  let run: Partial<RunCounts> = {};
  let stats = new Map<string, Partial<StatCounts>>();
  let flushing: Promise<void> | undefined;
  let failure: unknown;
  const pending = () => Object.keys(run).length > 0 || stats.size > 0;
  async function flush(): Promise<void> {
    while (pending()) {
      const [r, s] = [run, stats];
      [run, stats] = [{}, new Map()];
      await Promise.all([
        addRunCounts(runId, r),
        ...[...s].map(([key, counts]) => {
          const [year, type] = key.split('|') as [string, NationalType];
          return addStats(year, type, counts);
        }),
      ]);
    }
  }
  const kick = () => {
    flushing ??= flush()
      .catch((err) => {
        failure ??= err;
      })
      .finally(() => {
        flushing = undefined;
      });
  };
  return {
    add(counts: RunCounts, year: string, byType: Record<NationalType, Partial<StatCounts>>) {
      for (const [k, n] of Object.entries(counts) as Array<[keyof RunCounts, number]>) if (n) run[k] = (run[k] ?? 0) + n;
      for (const [type, c] of Object.entries(byType) as Array<[NationalType, Partial<StatCounts>]>) {
        const entries = Object.entries(c).filter(([, n]) => n);
        if (!entries.length) continue;
        const into = stats.get(`${year}|${type}`) ?? {};
        for (const [k, n] of entries as Array<[keyof StatCounts, number]>) into[k] = (into[k] ?? 0) + n;
        stats.set(`${year}|${type}`, into);
      }
      kick();
    },
    async drain() {
      while (flushing || pending()) {
        kick();
        await flushing;
        if (failure) throw failure;
      }
      if (failure) throw failure;
    },
  };
}

/** This run's counts, and the current number of overdue and held records as gauges for the alarms. */
async function publishMetrics(now: Date, counts: RunCounts): Promise<void> {
  metrics.addMetric(EXPORT_METRICS.sent, 'Count', counts.sent);
  metrics.addMetric(EXPORT_METRICS.rejected, 'Count', counts.rejected);
  metrics.addMetric(EXPORT_METRICS.heldInRun, 'Count', counts.held);
  const [overdue, held] = await Promise.all([countIndex('byDeadline', shanghaiDay(now)), countIndex('byHeld')]);
  metrics.addMetric(EXPORT_METRICS.overdue, 'Count', overdue);
  metrics.addMetric(EXPORT_METRICS.held, 'Count', held);
}

/** What every page of a run needs. */
interface RunContext {
  o: RunOptions;
  now: () => Date;
  catalog: PublishedCatalog | null;
  /** The working-day calendar, for the publication deadlines of the exception items written. */
  cal: WorkCalendar;
  /** The run's counts, added to as pages are recorded. */
  counts: RunCounts;
  sink: ReturnType<typeof counterSink>;
  sendSlots: ReturnType<typeof slots>;
  /** The run is ending (a lane failed, the lease was lost, the time slice is up): read no further. */
  stop: () => boolean;
}

/** A page of changes, decided: what to send, hold or skip. */
interface PreparedPage {
  page: StoredRecord[];
  planned: Planned[];
  /** The records to send, in batches of at most MAX_BATCH. */
  batches: Planned[][];
}

/** A page after sending: the answers by idempotency key (none for a batch that got no answer). */
interface SentPage extends PreparedPage {
  answers: Map<string, NationalResult>;
  retried: number;
}

/** At most `n` tasks at once, started in the order they asked. */
function slots(n: number) {
  let free = n;
  const waiting: Array<() => void> = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (free > 0) free--;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const nextTask = waiting.shift();
      if (nextTask) nextTask();
      else free++;
    }
  };
}

/**
 * Decides every record of a page (in change-key order): copies filed under a legal representative
 * are never exported; an active record is mapped and validated (held when it cannot be), a record
 * that is no longer active is a withdrawal.
 */
async function preparePage(page: StoredRecord[], shard: Shard, run: RunContext): Promise<PreparedPage> {
  const today = shanghaiDay(run.now());
  const latest = new Map<string, StoredRecord>();
  for (const r of page) {
    if (r.via || r.sk.endsWith('#REP') || !isExported(r.publicity)) continue;
    latest.set(r.recordId, r);
  }
  const planned: Planned[] = [];
  const sealed: Array<Promise<void>> = [];
  for (const record of latest.values()) {
    const type = record.publicity as NationalType;
    const exception = shard.exceptions.get(record.recordId);
    const active = record.status === 'ACTIVE';
    if (!active) {
      planned.push({ record, type, decision: decide({ type, chgsk: record.chgsk!, active }, exception) });
      continue;
    }
    const provider = run.catalog?.index.provider(record.provider);
    const source = exportSourceNow(record, shard.table, provider);
    if (source) planned.push(planActive(record, source, exception, today));
    else {
      // sealed ID numbers are opened first; the record keeps its place in the page
      const at = planned.push(undefined as unknown as Planned) - 1;
      sealed.push(exportSource(record, shard.table, provider).then((opened) => void (planned[at] = planActive(record, opened, exception, today))));
    }
  }
  await Promise.all(sealed);

  const toSend = planned.filter((p) => p.decision.kind === 'send');
  const batches: Planned[][] = [];
  for (let i = 0; i < toSend.length; i += MAX_BATCH) batches.push(toSend.slice(i, i + MAX_BATCH));
  return { page, planned, batches };
}

/** An active record: mapped and validated strictly, then sent, or held with every problem listed. */
function planActive(record: StoredRecord, source: ExportSource, exception: ExportState | undefined, today: string): Planned {
  const type = record.publicity as NationalType;
  const mapped = mapRecord(source, { today });
  const decision = decide(
    { type, chgsk: record.chgsk!, active: true, mapped: mapped.ok ? mapped : { ok: false, reason: describeProblems(mapped.problems) } },
    exception,
  );
  const decisionDate = typeof record.fields?.decisionDate === 'string' ? record.fields.decisionDate : undefined;
  return { record, type, decision, fields: mapped.ok ? mapped.fields : undefined, decisionDate };
}

/**
 * Sends a page's batches, each in a send slot. A record appears once in a run and its earlier
 * versions went out in earlier runs (with a lower sequence), so batches may be in flight together.
 */
async function sendPage(prepared: PreparedPage, run: RunContext): Promise<SentPage> {
  const answers = new Map<string, NationalResult>();
  let retried = 0;
  await Promise.all(
    prepared.batches.map((batch) =>
      run.sendSlots(async () => {
        const records = batch.map(toNational);
        try {
          const out = await run.o.client.send(`${run.o.runId}-${records[0]!.key}`, records);
          retried += out.retries;
          for (const r of out.results) answers.set(r.idempotencyKey, r);
          afterExportBatch();
        } catch (err) {
          if (!(err instanceof NationalUnavailableError)) throw err;
          retried += err.retries;
          logger.warn('national batch unanswered', { runId: run.o.runId, records: records.length, error: err.message });
        }
      }),
    ),
  );
  return { ...prepared, answers, retried };
}

/**
 * Records one sent page (pages of a lane strictly in order): which records were answered, and
 * from which one on (in change-key order) the watermark cannot pass; the exception items to write
 * and clear; the page's outbox write (started, not awaited; the counters follow it).
 */
function recordPage(result: SentPage, shard: Shard, run: RunContext): { processed: Array<{ chgsk: string; acknowledged: boolean }>; written: Promise<void> } {
  const { page, planned, batches, answers } = result;
  const { o, now, counts, sink } = run;
  const pageCounts = emptyCounts();
  pageCounts.retried += result.retried;
  // which records were answered, and from which one on (in change-key order) the watermark cannot pass
  const answerOf = (p: Planned) => {
    const d = p.decision;
    return d.kind === 'send' ? answers.get(idempotencyKey(p.record.recordId, d.seq, d.version)) : undefined;
  };
  const acknowledged = (p: Planned) => p.decision.kind !== 'send' || answerOf(p) !== undefined;
  const plannedById = new Map(planned.map((p) => [p.record.recordId, p]));
  const processed = page.map((r) => {
    const p = plannedById.get(r.recordId);
    return { chgsk: r.chgsk!, recordId: r.recordId, acknowledged: !p || acknowledged(p) };
  });
  const firstMissing = processed.findIndex((p) => !p.acknowledged);
  const behind = new Set(shard.blocked ? processed.map((p) => p.recordId) : firstMissing < 0 ? [] : processed.slice(firstMissing).map((p) => p.recordId));

  const at = now().toISOString();
  const year = at.slice(0, 4);
  const stats: Record<NationalType, Partial<StatCounts>> = { PENALTY: {}, LICENSING: {} };
  const bump = (type: NationalType, counter: keyof StatCounts) => (stats[type][counter] = (stats[type][counter] ?? 0) + 1);
  const exceptions: ExportState[] = [];
  const cleared: string[] = [];
  const sentResults = new Map<string, SentResult>();
  for (const p of planned) {
    const d = p.decision;
    const id = p.record.recordId;
    const had = shard.exceptions.get(id);
    if (d.kind === 'skip') {
      // answered under this change key by an earlier run; its item goes once the watermark can pass it
      pageCounts.skipped++;
      if (had?.outcome === 'ACCEPTED' && !behind.has(id)) cleared.push(id);
      continue;
    }
    if (d.kind === 'hold') {
      pageCounts.held++;
      const heldAt = had?.heldsk?.slice(0, had.heldsk.indexOf('#')) ?? at;
      exceptions.push({ ...baseState(p, shard, at), ...due(p, run.cal), outcome: 'HELD', heldReason: d.reason, heldpk: 'HELD', heldsk: `${heldAt}#${id}` });
      continue;
    }
    pageCounts.sent++;
    const answer = answerOf(p);
    if (answer?.status === 'ACCEPTED') {
      pageCounts.accepted++;
      if (d.op === 'WITHDRAW') {
        pageCounts.withdrawn++;
        bump(p.type, 'withdrawals');
      } else bump(p.type, 'records');
      sentResults.set(id, { recordId: id, seq: d.seq, version: d.version, op: d.op, outcome: 'ACCEPTED', detail: answer.nationalId ?? null });
      if (behind.has(id)) exceptions.push({ ...sentState(p, shard, at), outcome: 'ACCEPTED', ...(answer.nationalId ? { nationalId: answer.nationalId } : {}) });
      else if (had) cleared.push(id);
    } else if (answer?.status === 'REJECTED') {
      pageCounts.rejected++;
      bump(p.type, 'rejections');
      const error = answer.error ?? 'rejected without a reason';
      sentResults.set(id, { recordId: id, seq: d.seq, version: d.version, op: d.op, outcome: 'REJECTED', detail: error });
      exceptions.push({ ...sentState(p, shard, at), ...(d.op === 'UPSERT' ? due(p, run.cal) : {}), outcome: 'REJECTED', error });
    } else {
      sentResults.set(id, { recordId: id, seq: d.seq, version: d.version, op: d.op, outcome: 'NONE' });
      // no item needed: the record stays after the watermark, where the next run and the overdue listing read it
      if (had) exceptions.push({ ...sentState(p, shard, at), ...(d.op === 'UPSERT' ? due(p, run.cal) : {}), outcome: 'PENDING' });
    }
  }
  const sentBatches = batches.map((b) => b.map((p) => sentResults.get(p.record.recordId)!));
  const written = writeOutbox({
    runId: o.runId,
    table: shard.table,
    shard: shard.shard,
    at,
    batches: sentBatches,
    firstKeys: batches.map((b) => b[0]!.record.chgsk!),
    exceptions,
    cleared,
  }).then(() => sink.add(pageCounts, year, stats));
  written.catch(() => undefined); // awaited by the caller before the watermark moves
  for (const e of exceptions) shard.exceptions.set(e.recordId, e);
  for (const id of cleared) shard.exceptions.delete(id);
  for (const k of Object.keys(pageCounts) as Array<keyof RunCounts>) counts[k] += pageCounts[k];

  return { processed: processed.map(({ chgsk, acknowledged }) => ({ chgsk, acknowledged })), written };
}

function toNational(p: Planned): NationalRecord {
  const d = p.decision as Extract<ExportDecision, { kind: 'send' }>;
  return {
    key: p.record.recordId,
    type: p.type,
    op: d.op,
    seq: d.seq,
    version: d.version,
    idempotencyKey: idempotencyKey(p.record.recordId, d.seq, d.version),
    ...(d.op === 'UPSERT' ? { fields: p.fields } : {}),
  };
}

/** The fields every exception item shares; answer-specific fields (error, held, due) start cleared. */
function baseState(p: Planned, shard: Shard, at: string): Omit<ExportState, 'outcome'> {
  const r = p.record;
  return {
    pk: exceptionPk(shard.table, shard.shard),
    sk: r.recordId,
    recordId: r.recordId,
    type: p.type,
    table: shard.table,
    item: r.item,
    provider: r.provider,
    key: r.key,
    partyName: r.subjectName,
    chgsk: r.chgsk!,
    decisionDate: p.decisionDate,
    updatedAt: at,
  };
}

/** The fields of a sent record's exception item (built only for the few records that need one). */
function sentState(p: Planned, shard: Shard, at: string): Omit<ExportState, 'outcome'> {
  const d = p.decision as Extract<ExportDecision, { kind: 'send' }>;
  return { ...baseState(p, shard, at), seq: d.seq, version: d.version, op: d.op };
}

/** The overdue-index keys of an active record whose current version is not accepted yet. */
function due(p: Planned, cal: WorkCalendar): Pick<ExportState, 'deadline' | 'duepk' | 'duesk'> {
  if (!p.decisionDate || !p.record.status || p.record.status !== 'ACTIVE') return {};
  const deadline = publicationDeadline(p.decisionDate, cal);
  return { deadline, duepk: 'DUE', duesk: `${deadline}#${p.record.recordId}` };
}
