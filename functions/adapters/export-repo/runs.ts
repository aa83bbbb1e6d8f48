/** Runs (RUNS / {runId}) and their counters. */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '../clients.ts';
import { isConditionFailure } from '../conditions.ts';
import { tableName } from '../config.ts';
import { addCounters } from './counters.ts';

export type RunStatus = 'RUNNING' | 'COMPLETED' | 'FAILED';
/** `listEntries`: how many of the sent were credit-list entries (functions/export/list-entries.ts); the others are records. */
export const RUN_COUNTERS = ['sent', 'accepted', 'rejected', 'retried', 'held', 'withdrawn', 'skipped', 'listEntries'] as const;
export type RunCounts = Record<(typeof RUN_COUNTERS)[number], number>;

export interface ExportRun extends RunCounts {
  runId: string;
  status: RunStatus;
  trigger: 'API' | 'SCHEDULE';
  requestedBy?: string;
  started: string;
  finished?: string;
  reason?: string;
}

export const emptyCounts = (): RunCounts => Object.fromEntries(RUN_COUNTERS.map((c) => [c, 0])) as RunCounts;

/** Creates the run item unless it exists (a resumed run keeps its item and counts). */
export async function ensureRun(run: Pick<ExportRun, 'runId' | 'trigger' | 'started' | 'requestedBy'>): Promise<void> {
  try {
    await ddb.send(
      new PutCommand({
        TableName: tableName('exports'),
        Item: { pk: 'RUNS', sk: run.runId, status: 'RUNNING', ...emptyCounts(), ...run },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
  }
}

export async function getRun(runId: string): Promise<ExportRun | undefined> {
  const out = await ddb.send(new GetCommand({ TableName: tableName('exports'), Key: { pk: 'RUNS', sk: runId }, ConsistentRead: true }));
  return out.Item as ExportRun | undefined;
}

export const addRunCounts = (runId: string, counts: Partial<RunCounts>) => addCounters({ pk: 'RUNS', sk: runId }, counts);

/** Ends a run that is still RUNNING (a finished run is never reopened). */
export async function finishRun(runId: string, status: Exclude<RunStatus, 'RUNNING'>, at: string, reason?: string): Promise<void> {
  try {
    await ddb.send(
      new UpdateCommand({
        TableName: tableName('exports'),
        Key: { pk: 'RUNS', sk: runId },
        UpdateExpression: reason ? 'SET #s = :s, finished = :f, reason = :r' : 'SET #s = :s, finished = :f',
        ConditionExpression: 'attribute_exists(pk) AND #s = :running',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':s': status, ':f': at, ':running': 'RUNNING', ...(reason ? { ':r': reason } : {}) },
      }),
    );
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
  }
}

export async function listRuns(limit: number, before?: string): Promise<{ runs: ExportRun[]; next?: string }> {
  const out = await ddb.send(
    new QueryCommand({
      TableName: tableName('exports'),
      KeyConditionExpression: before ? 'pk = :pk AND sk < :b' : 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'RUNS', ...(before ? { ':b': before } : {}) },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  const runs = (out.Items ?? []).map(({ pk: _pk, sk: _sk, ...run }) => run as ExportRun);
  return { runs, next: out.LastEvaluatedKey ? runs.at(-1)?.runId : undefined };
}
