/**
 * The one middleware stack every Lambda handler runs in (middy): the logger carries the Lambda
 * context, metrics are flushed as EMF at the end of each invocation (with a ColdStart metric on
 * the first), and, where tracing is on, the handler runs in its own segment annotated with the
 * ids it works on. HTTP handlers get it through httpHandler (adapters/http.ts); every other
 * handler is `export const handler = lambdaHandler(async (event, context) => …)`.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { Context } from 'aws-lambda';
import { logger, metrics, tracer } from './powertools.ts';

/** The ids a trace can be searched by (X-Ray annotations) and log lines carry as keys. */
export const ANNOTATION_KEYS = ['batchId', 'checkId', 'runId', 'objectionId'] as const;
export type AnnotationKey = (typeof ANNOTATION_KEYS)[number];
export type Annotations = Partial<Record<AnnotationKey, string>>;

const STACK = Symbol.for('credit-platform.handlerStack');

/** Annotates the current trace segment and the invocation's log lines with the given ids. */
export function annotate(ids: Annotations): void {
  const keys: Annotations = {};
  for (const key of ANNOTATION_KEYS) {
    const value = ids[key];
    if (typeof value !== 'string' || value === '') continue;
    keys[key] = value;
    tracer?.putAnnotation(key, value);
  }
  if (Object.keys(keys).length > 0) logger.appendKeys(keys);
}

/**
 * The ids an event names: an HTTP route's path parameters, or the fields of the SQS messages'
 * JSON bodies. An id counts only when every message names the same one (a batch of messages
 * about different batches annotates none).
 */
export function idsOf(event: unknown): Annotations {
  const e = event as { pathParameters?: Record<string, unknown>; Records?: Array<{ body?: unknown }> } | undefined;
  if (e?.pathParameters) return pick([e.pathParameters]);
  if (!Array.isArray(e?.Records)) return {};
  const bodies = e.Records.map((r) => (typeof r.body === 'string' ? parseObject(r.body) : undefined));
  return bodies.every((b) => b !== undefined) ? pick(bodies as Array<Record<string, unknown>>) : {};
}

function pick(sources: Array<Record<string, unknown>>): Annotations {
  const ids: Annotations = {};
  for (const key of ANNOTATION_KEYS) {
    const values = new Set(sources.map((s) => s[key]));
    const [value] = values;
    if (values.size === 1 && typeof value === 'string') ids[key] = value;
  }
  return ids;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const annotations = (): middy.MiddlewareObj => ({
  before: (request) => annotate(idsOf(request.event)),
});

/** Wraps a Lambda handler in the stack. */
export function lambdaHandler<E, R>(fn: (event: E, context: Context) => Promise<R>) {
  const stack = middy(fn)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }));
  // responses are credit files and reports: never copied into trace metadata
  if (tracer) stack.use(captureLambdaHandler(tracer, { captureResponse: false }));
  stack.use(annotations());
  return Object.assign(stack, { [STACK]: true as const });
}

/** True for a handler built by lambdaHandler (test/unit/handler-stack.test.ts checks every function). */
export function isWrapped(handler: unknown): boolean {
  return typeof handler === 'function' && (handler as unknown as Record<symbol, unknown>)[STACK] === true;
}
