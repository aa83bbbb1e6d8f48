/**
 * One national export run (docs/adr/0003-national-export.md): under the lease, read each shard of
 * the change index from its watermark up to now − lag (the next page is read while the current
 * one is mapped and sent), decide per record (core/export-plan: the sequence comes from the change
 * key, so no per-record state is read), send signed batches of ≤ 500, record each batch's answers
 * in one outbox item (per-record items only for the rare exceptions: rejected, held, answered
 * behind an unanswered record), and move each watermark only past records that were answered.
 * A run that nears its time limit continues in a new message; a run that dies is resumed by the
 * next one from the watermarks, and re-sending what it had sent changes nothing (idempotency keys).
 */
import pMap from 'p-map';
import { isExported } from '#core/change-marker';
import {
  advanceWatermark,
  EXPORT_METRICS,
  decide,
  idempotencyKey,
  publicationDeadline,
  readUpperBound,
  type ExportDecision,
} from '#core/export-plan';
import { describeProblems, mapRecord, type NationalFields, type NationalType } from '#core/national-format';
import { shanghaiDay } from '#core/working-days';
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
import { exportSource } from './export-source.ts';

/** A run stops reading when less than this is left of its invocation, and continues in a new one. */
export const STOP_MARGIN_MS = 90_000;
/** Shards (×2 tables) read and sent in parallel; each has one page in flight and the next one being read. */
const CONCURRENCY = 4;

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
  const marks = await readWatermarks();
  const upper = readUpperBound(now(), o.lagMs);
  const sink = counterSink(o.runId);
  const leaseKeep = leaseKeeper(o, now);
  let unanswered = 0;
  let continued = false;

  const jobs = SUBJECT_TABLES.flatMap((table) => SHARDS.map((shard) => ({ table, shard })));
  await pMap(
    jobs,
    async ({ table, shard }) => {
      let mark = watermarkOf(marks, table, shard);
      const state: Shard = { table, shard, exceptions: await readExceptions(table, shard), blocked: false };
      const pages = changePages(table, shard, mark, upper);
      // the next page is read while this one is mapped and sent, and a page's outbox, watermark and
      // counters are written while the next one is mapped and sent (in page order, at most one behind)
      let next = pages.next();
      let writes: Promise<void> = Promise.resolve();
      let failed = false;
      try {
        for (let page = await next; !page.done; page = await next) {
          next = pages.next();
          leaseKeep.renewIfDue();
          if (leaseKeep.lost()) return;
          if (o.remainingMs && o.remainingMs() < STOP_MARGIN_MS) {
            continued = true;
            return;
          }
          const { processed, written } = await exportPage(page.value, state, catalog, o, now, counts, sink);
          const missing = processed.filter((p) => !p.acknowledged).length;
          unanswered += missing;
          const moved = state.blocked ? mark : advanceWatermark(mark, processed);
          state.blocked ||= missing > 0;
          await writes;
          // the watermark moves only once the page's outbox (its exception items) has landed
          const advanced = moved !== mark;
          writes = written.then(() => (advanced ? saveWatermark(table, shard, moved, now().toISOString()) : undefined));
          writes.catch(() => undefined); // awaited on the next page or at the end
          mark = moved;
        }
      } catch (err) {
        failed = true;
        throw err;
      } finally {
        // a page read ahead and never used: let it finish (or fail) quietly
        next.catch(() => undefined);
        await pages.return(undefined).catch(() => undefined);
        if (!failed) await writes;
      }
    },
    { concurrency: CONCURRENCY },
  );
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

/**
 * Exports one page of changes; returns, in change-key order, which records were answered, and the
 * page's outbox write (started, not awaited; the counters follow it).
 */
async function exportPage(
  page: StoredRecord[],
  shard: Shard,
  catalog: PublishedCatalog | null,
  o: RunOptions,
  now: () => Date,
  counts: RunCounts,
  sink: ReturnType<typeof counterSink>,
): Promise<{ processed: Array<{ chgsk: string; acknowledged: boolean }>; written: Promise<void> }> {
  const today = shanghaiDay(now());
  const latest = new Map<string, StoredRecord>();
  for (const r of page) {
    // copies filed under a legal representative are never exported
    if (r.via || r.sk.endsWith('#REP') || !isExported(r.publicity)) continue;
    latest.set(r.recordId, r);
  }
  const planned: Planned[] = await Promise.all(
    [...latest.values()].map(async (record) => {
      const type = record.publicity as NationalType;
      const exception = shard.exceptions.get(record.recordId);
      const change = { type, chgsk: record.chgsk!, active: record.status === 'ACTIVE' };
      const decisionDate = typeof record.fields?.decisionDate === 'string' ? record.fields.decisionDate : undefined;
      if (!change.active) return { record, type, decision: decide(change, exception) };
      const provider = catalog?.index.provider(record.provider);
      const mapped = mapRecord(await exportSource(record, shard.table, provider), { today });
      const decision = decide({ ...change, mapped: mapped.ok ? mapped : { ok: false, reason: describeProblems(mapped.problems) } }, exception);
      return { record, type, decision, fields: mapped.ok ? mapped.fields : undefined, decisionDate };
    }),
  );

  // a record appears once in a run, and its earlier versions went out in earlier runs (with a lower
  // sequence), so the batches of a page may be in flight together
  const toSend = planned.filter((p) => p.decision.kind === 'send');
  const batches: Planned[][] = [];
  for (let i = 0; i < toSend.length; i += MAX_BATCH) batches.push(toSend.slice(i, i + MAX_BATCH));
  const answers = new Map<string, NationalResult>();
  const pageCounts = emptyCounts();
  await Promise.all(
    batches.map(async (batch) => {
      const records = batch.map(toNational);
      try {
        const out = await o.client.send(`${o.runId}-${records[0]!.key}`, records);
        pageCounts.retried += out.retries;
        for (const r of out.results) answers.set(r.idempotencyKey, r);
        afterExportBatch();
      } catch (err) {
        if (!(err instanceof NationalUnavailableError)) throw err;
        pageCounts.retried += err.retries;
        logger.warn('national batch unanswered', { runId: o.runId, records: records.length, error: err.message });
      }
    }),
  );

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
    const base = baseState(p, shard, at);
    if (d.kind === 'hold') {
      pageCounts.held++;
      const heldAt = had?.heldsk?.slice(0, had.heldsk.indexOf('#')) ?? at;
      exceptions.push({ ...base, ...due(p), outcome: 'HELD', heldReason: d.reason, heldpk: 'HELD', heldsk: `${heldAt}#${id}` });
      continue;
    }
    pageCounts.sent++;
    const answer = answerOf(p);
    const sent = { ...base, seq: d.seq, version: d.version, op: d.op };
    const withDue = () => (d.op === 'UPSERT' ? due(p) : {});
    if (answer?.status === 'ACCEPTED') {
      pageCounts.accepted++;
      if (d.op === 'WITHDRAW') {
        pageCounts.withdrawn++;
        bump(p.type, 'withdrawals');
      } else bump(p.type, 'records');
      sentResults.set(id, { recordId: id, seq: d.seq, version: d.version, op: d.op, outcome: 'ACCEPTED', detail: answer.nationalId ?? null });
      if (behind.has(id)) exceptions.push({ ...sent, outcome: 'ACCEPTED', ...(answer.nationalId ? { nationalId: answer.nationalId } : {}) });
      else if (had) cleared.push(id);
    } else if (answer?.status === 'REJECTED') {
      pageCounts.rejected++;
      bump(p.type, 'rejections');
      const error = answer.error ?? 'rejected without a reason';
      sentResults.set(id, { recordId: id, seq: d.seq, version: d.version, op: d.op, outcome: 'REJECTED', detail: error });
      exceptions.push({ ...sent, ...withDue(), outcome: 'REJECTED', error });
    } else {
      sentResults.set(id, { recordId: id, seq: d.seq, version: d.version, op: d.op, outcome: 'NONE' });
      // no item needed: the record stays after the watermark, where the next run and the overdue listing read it
      if (had) exceptions.push({ ...sent, ...withDue(), outcome: 'PENDING' });
    }
  }
  const sentBatches = batches.map((b) => b.map((p) => sentResults.get(p.record.recordId)!));
  const written = writeOutbox({ runId: o.runId, table: shard.table, shard: shard.shard, at, batches: sentBatches, firstKeys: batches.map((b) => b[0]!.record.chgsk!), exceptions, cleared }).then(() =>
    sink.add(pageCounts, year, stats),
  );
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

/** The overdue-index keys of an active record whose current version is not accepted yet. */
function due(p: Planned): Pick<ExportState, 'deadline' | 'duepk' | 'duesk'> {
  if (!p.decisionDate || !p.record.status || p.record.status !== 'ACTIVE') return {};
  const deadline = publicationDeadline(p.decisionDate);
  return { deadline, duepk: 'DUE', duesk: `${deadline}#${p.record.recordId}` };
}
