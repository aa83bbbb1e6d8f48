/**
 * The pages of an export run's lanes (functions/export/national-push.ts): each page of the change
 * index is prepared (decided, mapped, held), sent in batches, then recorded (outbox item, exception
 * items, counts) strictly in page order.
 */
import type { LimitFunction } from 'p-limit';
import { isExported } from '#core/change-marker';
import { decide, idempotencyKey, publicationDeadline, type ExportDecision } from '#core/export-plan';
import { describeProblems, mapRecord, type ExportSource, type NationalFields, type NationalType } from '#core/national-format';
import { maskIdNumbersIn } from '#core/redact';
import type { WorkCalendar } from '#core/work-calendar';
import { shanghaiDay } from '#core/working-days';
import type { PublishedCatalog } from '#adapters/catalog-repo';
import { emptyCounts, exceptionPk, writeOutbox, type ExportState, type RunCounts, type SentResult, type StatCounts } from '#adapters/export-repo';
import { afterExportBatch } from '#adapters/faults';
import { MAX_BATCH, NationalUnavailableError, type NationalClient, type NationalRecord, type NationalResult } from '#adapters/national-client';
import { logger } from '#adapters/powertools';
import type { StoredRecord, SubjectTable } from '#adapters/subject-repo';
import { exportSource, exportSourceNow } from './export-source.ts';
import type { CounterSink } from './run-counters.ts';

interface Planned {
  record: StoredRecord;
  type: NationalType;
  decision: ExportDecision;
  fields?: NationalFields;
  decisionDate?: string;
}

/** One (table, shard) of the change index as a run works through it. */
export interface Shard {
  table: SubjectTable;
  shard: number;
  /** Its exception items, kept current as the run writes and clears them. */
  exceptions: Map<string, ExportState>;
  /** An unanswered record was met: the watermark stays before it, and answered records after it keep an item. */
  blocked: boolean;
}

/** What every page of a run needs. */
export interface RunContext {
  runId: string;
  client: NationalClient;
  now: () => Date;
  catalog: PublishedCatalog | null;
  /** The working-day calendar, for the publication deadlines of the exception items written. */
  cal: WorkCalendar;
  /** The run's counts, added to as pages are recorded. */
  counts: RunCounts;
  sink: CounterSink;
  /** Bounds the batches in flight to the national platform, run-wide. */
  sendSlots: LimitFunction;
  /** The run is ending (a lane failed, the lease was lost, the time slice is up): read no further. */
  stop: () => boolean;
}

/** A page of changes, decided: what to send, hold or skip. */
export interface PreparedPage {
  page: StoredRecord[];
  planned: Planned[];
  /** The records to send, in batches of at most MAX_BATCH. */
  batches: Planned[][];
}

/** A page after sending: the answers by idempotency key (none for a batch that got no answer). */
export interface SentPage extends PreparedPage {
  answers: Map<string, NationalResult>;
  retried: number;
}

/**
 * Decides every record of a page (in change-key order): copies filed under a legal representative
 * are never exported; an active record is mapped and validated (held when it cannot be), a record
 * that is no longer active is a withdrawal.
 */
export async function preparePage(page: StoredRecord[], shard: Shard, run: RunContext): Promise<PreparedPage> {
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
export async function sendPage(prepared: PreparedPage, run: RunContext): Promise<SentPage> {
  const answers = new Map<string, NationalResult>();
  let retried = 0;
  await Promise.all(
    prepared.batches.map((batch) =>
      run.sendSlots(async () => {
        const records = batch.map(toNational);
        try {
          const out = await run.client.send(`${run.runId}-${records[0]!.key}`, records);
          retried += out.retries;
          for (const r of out.results) answers.set(r.idempotencyKey, r);
          afterExportBatch();
        } catch (err) {
          if (!(err instanceof NationalUnavailableError)) throw err;
          retried += err.retries;
          logger.warn('national batch unanswered', { runId: run.runId, records: records.length, error: err.message });
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
export function recordPage(
  result: SentPage,
  shard: Shard,
  run: RunContext,
): { processed: Array<{ chgsk: string; acknowledged: boolean }>; written: Promise<void> } {
  const { page, planned, batches, answers } = result;
  const { runId, now, counts, sink } = run;
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
      exceptions.push({
        ...baseState(p, shard, at),
        ...due(p, run.cal),
        outcome: 'HELD',
        heldReason: maskIdNumbersIn(d.reason),
        heldpk: 'HELD',
        heldsk: `${heldAt}#${id}`,
      });
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
      // the national platform's text is stored (outbox, exception item): an ID number it echoes, masked
      const error = maskIdNumbersIn(answer.error ?? 'rejected without a reason');
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
    runId,
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
