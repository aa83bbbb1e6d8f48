/**
 * SQS (exportRuns) → one national export run. Messages come from `POST /v1/exports/run` (with the
 * run id the API returned), from the daily schedule, and from a run continuing after its time
 * slice. A message that fails is received again and the same run resumes from the watermarks.
 */
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { EXPORT_LEASE_MS, EXPORT_METRICS, newRunId } from '#core/export-plan';
import { ENV } from '#lib/platform';
import { queueUrl } from '#adapters/config';
import { ensureRun, finishRun } from '#adapters/export-repo';
import { annotate, lambdaHandler } from '#adapters/handler-stack';
import { nationalClient } from '#adapters/national-client';
import { logger, metrics } from '#adapters/powertools';
import { sendAll } from '#adapters/queue';
import { runExport } from './national-push.ts';

/** How long a run holds the lease without renewing it (national-push.ts leaseKeeper renews it every tenth of this). */
export const LEASE_MS = EXPORT_LEASE_MS;
const DEFAULT_LAG_SECONDS = 300;

export const RunMessageSchema = z.object({
  runId: z.string().min(1).max(64).optional(),
  trigger: z.enum(['API', 'SCHEDULE']).default('SCHEDULE'),
});
export type RunMessage = z.infer<typeof RunMessageSchema>;

export const lagMs = () => Number(process.env[ENV.exportLagSeconds] ?? DEFAULT_LAG_SECONDS) * 1000;

async function handleMessage(record: SQSRecord, context: Context): Promise<void> {
  const { messageId } = record;
  const parsed = RunMessageSchema.safeParse(safeJson(record.body));
  if (!parsed.success) {
    logger.error('malformed export-run message dropped', { messageId, issues: parsed.error.issues });
    return;
  }
  // a scheduled message carries no run id: derive it from the message, so a redelivery resumes the same run
  const sent = new Date(Number(record.attributes.SentTimestamp) || Date.now());
  const runId = parsed.data.runId ?? newRunId(sent, `s${messageId.replace(/[^a-zA-Z0-9]/g, '').slice(0, 8)}`);
  const message: RunMessage = { runId, trigger: parsed.data.trigger };
  annotate({ runId });
  let client: Awaited<ReturnType<typeof nationalClient>>;
  try {
    client = await nationalClient();
  } catch (err) {
    // configuration, not a passing fault: end the run with the reason instead of retrying it
    await ensureRun({ runId, trigger: message.trigger, started: new Date().toISOString() });
    await finishRun(runId, 'FAILED', new Date().toISOString(), (err as Error).message);
    metrics.addMetric(EXPORT_METRICS.runsFailed, 'Count', 1);
    logger.error('export run cannot start', { runId, error: err as Error });
    return;
  }
  const end = await runExport({
    runId,
    trigger: message.trigger,
    client,
    lagMs: lagMs(),
    leaseMs: LEASE_MS,
    remainingMs: () => context.getRemainingTimeInMillis(),
    continueLater: () => sendAll(queueUrl('exportRuns'), [message]),
  });
  // the export-run-failed alarm (lib/operations-construct.ts); REFUSED (another run holds the lease) is not a failure
  if (end.status === 'FAILED') metrics.addMetric(EXPORT_METRICS.runsFailed, 'Count', 1);
}

export const handler = lambdaHandler(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    try {
      await handleMessage(record, context);
    } catch (err) {
      logger.error('export run failed; the message is received again and the run resumes', { messageId: record.messageId, error: err as Error });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
});

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
