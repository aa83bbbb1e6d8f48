/**
 * One national export run (docs/adr/0003-national-export.md): under the lease, read each shard of
 * the change index from its watermark up to now − lag, decide per record (core/export-plan), send
 * adds and updates, then withdrawals, in signed batches of ≤ 500, record every answer in the
 * outbox, and move each watermark only past records that were answered. A run that nears its
 * time limit continues in a new message; a run that dies is resumed by the next one from the
 * watermarks, and re-sending what it had sent changes nothing (idempotency keys).
 */
import pMap from 'p-map';
import { isExported } from '#core/change-marker';
import {
  advanceWatermark,
  EXPORT_METRICS,
  decide,
  holdsAfter,
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
  finishRun,
  readStates,
  readWatermarks,
  releaseLease,
  renewLease,
  saveWatermark,
  statePk,
  watermarkOf,
  writeStates,
  type ExportState,
  type RunCounts,
  type StatCounts,
} from '#adapters/export-repo';
import { afterExportBatch } from '#adapters/faults';
import { MAX_BATCH, NationalUnavailableError, type NationalClient, type NationalRecord, type NationalResult } from '#adapters/national-client';
import { logger, metrics } from '#adapters/powertools';
import type { StoredRecord, SubjectTable } from '#adapters/subject-repo';
import { exportSource } from './export-source.ts';

/** A run stops reading when less than this is left of its invocation, and continues in a new one. */
export const STOP_MARGIN_MS = 90_000;
/** Shards (×2 tables) read and sent in parallel. */
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
  prev?: ExportState;
  decision: ExportDecision;
  fields?: NationalFields;
  decisionDate?: string;
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
  let unanswered = 0;
  let continued = false;
  let lostLease = false;

  const jobs = SUBJECT_TABLES.flatMap((table) => SHARDS.map((shard) => ({ table, shard })));
  await pMap(
    jobs,
    async ({ table, shard }) => {
      let mark = watermarkOf(marks, table, shard);
      let blocked = false;
      for await (const page of changePages(table, shard, mark, upper)) {
        if (lostLease) return;
        if (o.remainingMs && o.remainingMs() < STOP_MARGIN_MS) {
          continued = true;
          return;
        }
        const processed = await exportPage(page, table, catalog, o, now, counts);
        const missing = processed.filter((p) => !p.acknowledged).length;
        unanswered += missing;
        if (!blocked) {
          const next = advanceWatermark(mark, processed);
          if (next !== mark) await saveWatermark(table, shard, next, now().toISOString());
          mark = next;
          blocked = missing > 0;
        }
        if (!(await renewLease(o.runId, now(), o.leaseMs))) lostLease = true;
      }
    },
    { concurrency: CONCURRENCY },
  );

  if (lostLease) {
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

/** This run's counts, and the current number of overdue and held records as gauges for the alarms. */
async function publishMetrics(now: Date, counts: RunCounts): Promise<void> {
  metrics.addMetric(EXPORT_METRICS.sent, 'Count', counts.sent);
  metrics.addMetric(EXPORT_METRICS.rejected, 'Count', counts.rejected);
  metrics.addMetric(EXPORT_METRICS.heldInRun, 'Count', counts.held);
  const [overdue, held] = await Promise.all([countIndex('byDeadline', shanghaiDay(now)), countIndex('byHeld')]);
  metrics.addMetric(EXPORT_METRICS.overdue, 'Count', overdue);
  metrics.addMetric(EXPORT_METRICS.held, 'Count', held);
}

/** Exports one page of changes; returns, in change-key order, which records were answered. */
async function exportPage(
  page: StoredRecord[],
  table: SubjectTable,
  catalog: PublishedCatalog | null,
  o: RunOptions,
  now: () => Date,
  counts: RunCounts,
): Promise<Array<{ chgsk: string; acknowledged: boolean }>> {
  const today = shanghaiDay(now());
  const latest = new Map<string, StoredRecord>();
  for (const r of page) {
    // copies filed under a legal representative are never exported
    if (r.via || r.sk.endsWith('#REP') || !isExported(r.publicity)) continue;
    latest.set(r.recordId, r);
  }
  const states = await readStates([...latest.keys()]);
  const planned: Planned[] = await Promise.all(
    [...latest.values()].map(async (record) => {
      const type = record.publicity as NationalType;
      const prev = states.get(record.recordId);
      const active = record.status === 'ACTIVE';
      const decisionDate = typeof record.fields?.decisionDate === 'string' ? record.fields.decisionDate : undefined;
      if (!active) return { record, type, prev, decision: decide({ type, active }, prev) };
      const provider = catalog?.index.provider(record.provider);
      const mapped = mapRecord(await exportSource(record, table, provider), { today });
      const decision = decide({ type, active, mapped: mapped.ok ? mapped : { ok: false, reason: describeProblems(mapped.problems) } }, prev);
      return { record, type, prev, decision, fields: mapped.ok ? mapped.fields : undefined, decisionDate };
    }),
  );

  // adds and updates first, withdrawals after them
  const toSend = planned.filter((p) => p.decision.kind === 'send');
  const ordered = [...toSend.filter((p) => opOf(p) === 'UPSERT'), ...toSend.filter((p) => opOf(p) === 'WITHDRAW')];
  const answers = new Map<string, NationalResult>();
  const pageCounts = emptyCounts();
  for (let i = 0; i < ordered.length; i += MAX_BATCH) {
    const batch = ordered.slice(i, i + MAX_BATCH).map(toNational);
    try {
      const out = await o.client.send(`${o.runId}-${batch[0]!.key}`, batch);
      pageCounts.retried += out.retries;
      for (const r of out.results) answers.set(r.idempotencyKey, r);
      afterExportBatch();
    } catch (err) {
      if (!(err instanceof NationalUnavailableError)) throw err;
      pageCounts.retried += err.retries;
      logger.warn('national batch unanswered', { runId: o.runId, records: batch.length, error: err.message });
    }
  }

  const at = now().toISOString();
  const year = at.slice(0, 4);
  const stats: Record<NationalType, Partial<StatCounts>> = { PENALTY: {}, LICENSING: {} };
  const writes: ExportState[] = [];
  const answered = new Set<string>();
  for (const p of planned) {
    const d = p.decision;
    if (d.kind === 'skip') {
      pageCounts.skipped++;
      answered.add(p.record.recordId);
      continue;
    }
    const base = baseState(p, table, at);
    if (d.kind === 'settle') {
      writes.push({ ...base, outcome: 'SETTLED', holds: 'NO' });
      answered.add(p.record.recordId);
    } else if (d.kind === 'hold') {
      pageCounts.held++;
      const heldAt = p.prev?.heldsk?.slice(0, p.prev.heldsk.indexOf('#')) ?? at;
      writes.push({ ...base, ...due(p), outcome: 'HELD', holds: p.prev?.holds ?? 'NO', heldReason: d.reason, heldpk: 'HELD', heldsk: `${heldAt}#${p.record.recordId}` });
      answered.add(p.record.recordId);
    } else {
      pageCounts.sent++;
      const answer = answers.get(idempotencyKey(p.record.recordId, d.seq, d.version));
      const holds = holdsAfter(d.op, answer?.status ?? 'NONE', p.prev?.holds);
      const sent = { ...base, seq: d.seq, version: d.version, op: d.op, holds };
      if (answer?.status === 'ACCEPTED') {
        pageCounts.accepted++;
        if (d.op === 'WITHDRAW') {
          pageCounts.withdrawn++;
          stats[p.type].withdrawals = (stats[p.type].withdrawals ?? 0) + 1;
        } else {
          const counter = p.prev?.holds === 'YES' ? 'updates' : 'records';
          stats[p.type][counter] = (stats[p.type][counter] ?? 0) + 1;
        }
        writes.push({ ...sent, outcome: 'ACCEPTED', nationalId: answer.nationalId ?? p.prev?.nationalId, acceptedAt: at });
        answered.add(p.record.recordId);
      } else if (answer?.status === 'REJECTED') {
        pageCounts.rejected++;
        stats[p.type].rejections = (stats[p.type].rejections ?? 0) + 1;
        writes.push({ ...sent, ...(d.op === 'UPSERT' && holds !== 'YES' ? due(p) : {}), outcome: 'REJECTED', error: answer.error ?? 'rejected without a reason' });
        answered.add(p.record.recordId);
      } else {
        writes.push({ ...sent, ...(d.op === 'UPSERT' && holds !== 'YES' ? due(p) : {}), outcome: 'PENDING' });
      }
    }
  }
  await writeStates(writes);
  await Promise.all([addStats(year, 'PENALTY', stats.PENALTY), addStats(year, 'LICENSING', stats.LICENSING), addRunCounts(o.runId, pageCounts)]);
  for (const k of Object.keys(pageCounts) as Array<keyof RunCounts>) counts[k] += pageCounts[k];

  return page.map((r) => ({ chgsk: r.chgsk!, acknowledged: !latest.has(r.recordId) || answered.has(r.recordId) }));
}

const opOf = (p: Planned) => (p.decision.kind === 'send' ? p.decision.op : undefined);

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

/** The state fields every outcome shares; answer-specific fields (error, held, due) start cleared. */
function baseState(p: Planned, table: SubjectTable, at: string): Omit<ExportState, 'outcome' | 'holds'> {
  const r = p.record;
  return {
    pk: statePk(r.recordId),
    sk: 'STATE',
    recordId: r.recordId,
    type: p.type,
    table,
    item: r.item,
    provider: r.provider,
    key: r.key,
    partyName: r.subjectName,
    chgsk: r.chgsk!,
    seq: p.prev?.seq ?? 0,
    version: p.prev?.version,
    op: p.prev?.op,
    nationalId: p.prev?.nationalId,
    acceptedAt: p.prev?.acceptedAt,
    decisionDate: p.decisionDate,
    updatedAt: at,
  };
}

/** The overdue-index keys of an active record that the national platform does not hold yet. */
function due(p: Planned): Pick<ExportState, 'deadline' | 'duepk' | 'duesk'> {
  if (!p.decisionDate || p.prev?.holds === 'YES') return {};
  const deadline = publicationDeadline(p.decisionDate);
  return { deadline, duepk: 'DUE', duesk: `${deadline}#${p.record.recordId}` };
}
