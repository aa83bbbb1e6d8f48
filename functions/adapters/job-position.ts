/**
 * Scheduled jobs that read an index in pages save where they stopped (the jobs table,
 * pk = JOB#{job}, sk = POSITION) after every page, so an invocation that runs out of time leaves
 * the rest to the next one instead of starting over: a job's cost per invocation is bounded by its
 * time slice, and across invocations by the entries it reads.
 *
 * A sweep walks a fixed list of queries (the shards of an index) in order; a finished pass starts
 * again at the first. Two overlapping invocations may read the same page; the jobs' writes are
 * conditional, so nothing changes twice.
 */
import { GetCommand, PutCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { ddb } from './clients.ts';
import { tableName } from './config.ts';

export interface SweepPosition {
  /** Index into the sweep's list of queries. */
  part: number;
  /** Where to continue inside that query. */
  lastKey?: Record<string, unknown>;
}

const key = (job: string) => ({ pk: `JOB#${job}`, sk: 'POSITION' });

export async function loadPosition(job: string): Promise<SweepPosition> {
  const out = await ddb.send(new GetCommand({ TableName: tableName('jobs'), Key: key(job), ConsistentRead: true }));
  if (!out.Item) return { part: 0 };
  return { part: Number(out.Item.part) || 0, lastKey: out.Item.lastKey as Record<string, unknown> | undefined };
}

export async function savePosition(job: string, position: SweepPosition, at: string): Promise<void> {
  await ddb.send(
    new PutCommand({
      TableName: tableName('jobs'),
      Item: { ...key(job), part: position.part, ...(position.lastKey ? { lastKey: position.lastKey } : {}), savedAt: at },
    }),
  );
}

export interface SweepResult {
  /** Index entries read in this invocation. */
  read: number;
  /** The pass reached the end of the last query (the next invocation starts a new pass). */
  finished: boolean;
}

/**
 * Reads the queries' pages from the saved position, hands each page (and which query it came
 * from) to `handle`, saves the position after it, and stops — position saved — as soon as `stop`
 * says so before a page (the invocation's time is nearly up).
 */
export async function sweep<T>(
  job: string,
  parts: QueryCommandInput[],
  handle: (items: T[], part: number) => Promise<void>,
  stop: () => boolean,
): Promise<SweepResult> {
  const position = await loadPosition(job);
  if (position.part >= parts.length) Object.assign(position, { part: 0, lastKey: undefined });
  let read = 0;
  for (; position.part < parts.length; position.part++, position.lastKey = undefined) {
    do {
      if (stop()) {
        await savePosition(job, position, new Date().toISOString());
        return { read, finished: false };
      }
      const out = await ddb.send(new QueryCommand({ ...parts[position.part]!, ExclusiveStartKey: position.lastKey }));
      const items = (out.Items ?? []) as T[];
      read += items.length;
      if (items.length) await handle(items, position.part);
      position.lastKey = out.LastEvaluatedKey;
      if (position.lastKey) await savePosition(job, position, new Date().toISOString());
    } while (position.lastKey);
  }
  await savePosition(job, { part: 0 }, new Date().toISOString());
  return { read, finished: true };
}

/** Stops taking new pages a minute before the invocation's own timeout. */
export function stopNearTimeout(context: { getRemainingTimeInMillis(): number } | undefined, fallbackMs = 240_000): () => boolean {
  const stopAt = Date.now() + Math.max(0, (context?.getRemainingTimeInMillis() ?? fallbackMs) - 60_000);
  return () => Date.now() >= stopAt;
}

export const never = (): boolean => false;
