/**
 * The exports table (lib/platform.ts) and the change index the national export reads:
 *   SENT#{runId} / {table}#{shard}#{first chgsk}   the outbox: one item per sent batch with every
 *                                 record's answer (seq, version, op, ACCEPTED + national id or
 *                                 REJECTED + error) — the normal case costs no per-record item
 *   EXC#{table}#{shard} / {recordId}   exception items, only for records that need a per-record
 *                                 lookup: REJECTED, HELD, answered behind an unanswered record,
 *                                 or unanswered after an earlier exception (rare)
 *   RUNS / {runId}                runs, newest last (run ids sort by start time)
 *   LEASE / LEASE                 the run lease (conditional writes: two runs never overlap)
 *   WATERMARK / {table}#{shard}   the change key up to which everything was acknowledged
 *   STATS#{year} / {type}         yearly counters of what the national platform accepted
 * GSIs on the exception items: byDeadline (DUE / {deadline}#{recordId}, active records not yet
 * accepted) and byHeld (HELD / {heldAt}#{recordId}); both sparse.
 *
 * One module per kind of item under adapters/export-repo/; this module is their public face.
 */
export * from './export-repo/change-index.ts';
export * from './export-repo/exceptions.ts';
export * from './export-repo/lease.ts';
export * from './export-repo/listings.ts';
export * from './export-repo/outbox.ts';
export * from './export-repo/runs.ts';
export * from './export-repo/shards.ts';
export * from './export-repo/stats.ts';
export * from './export-repo/watermarks.ts';
