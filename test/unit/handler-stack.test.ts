/**
 * Every Lambda runs in the one handler stack (adapters/handler-stack.ts): each function of the
 * manifest exports a wrapped handler, and a queue handler's metrics leave as EMF before its
 * invocation returns (Powertools alone would hold them until 100 values piled up).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SQSEvent } from 'aws-lambda';
import { FUNCTIONS } from '#lib/platform';
import { lambdaContext } from '#local/lambda-context';
import { idsOf, isWrapped } from '#adapters/handler-stack';

describe('handler stack', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
    vi.resetModules();
  });

  it.each(Object.entries(FUNCTIONS))('%s exports a handler wrapped in the stack', async (_name, def) => {
    const mod = (await import(`../../${def.entry}`)) as { handler: unknown };
    expect(isWrapped(mod.handler)).toBe(true);
  });

  it('a plain function is not taken for a wrapped one', () => {
    expect(isWrapped(async () => undefined)).toBe(false);
  });

  it("a queue handler's metrics are emitted as EMF within the invocation, with a cold start", async () => {
    vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
    // as Lambda sets it for an on-demand environment: only then does Powertools count a cold start
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    vi.resetModules();
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
    // a dead letter that is neither a chunk nor an upload event: counted, logged, dropped (no AWS call)
    const { handler } = await import('../../functions/ingest/dead-letters.ts');
    const event = { Records: [{ messageId: 'm-1', body: '{}', attributes: { ApproximateReceiveCount: '5' } }] } as unknown as SQSEvent;
    await handler(event, lambdaContext('deadLetters'));

    const emf = lines.flatMap((l) => (l.startsWith('{') ? [JSON.parse(l) as Record<string, unknown>] : [])).filter((o) => '_aws' in o);
    const named = (metric: string) =>
      emf.find((o) =>
        (o._aws as { CloudWatchMetrics: Array<{ Metrics: Array<{ Name: string }> }> }).CloudWatchMetrics[0]!.Metrics.some((m) => m.Name === metric),
      );
    expect(named('DeadLetters')).toMatchObject({ DeadLetters: 1, service: expect.any(String) });
    expect(named('ColdStart')).toMatchObject({ ColdStart: 1, function_name: 'deadLetters' });

    // a second invocation emits its own metric again and no second cold start
    lines.length = 0;
    await handler(event, lambdaContext('deadLetters'));
    const names = lines.filter((l) => l.includes('"_aws"')).map((l) => Object.keys(JSON.parse(l) as object));
    expect(names.flat()).toContain('DeadLetters');
    expect(names.flat()).not.toContain('ColdStart');
  });
});

describe('ids a handler annotates', () => {
  it("takes an HTTP route's path parameters", () => {
    expect(idsOf({ pathParameters: { batchId: 'b-1', recordId: 'r' } })).toEqual({ batchId: 'b-1' });
    expect(idsOf({ pathParameters: { objectionId: 'o-9' } })).toEqual({ objectionId: 'o-9' });
  });

  it('takes the ids every SQS message names, and none the messages disagree on', () => {
    const event = (...bodies: string[]) => ({ Records: bodies.map((body) => ({ body })) });
    expect(idsOf(event('{"batchId":"b-1","checkId":"c-1"}', '{"batchId":"b-1","checkId":"c-2"}'))).toEqual({ batchId: 'b-1' });
    expect(idsOf(event('{"runId":"r-1"}'))).toEqual({ runId: 'r-1' });
    expect(idsOf(event('not json', '{"runId":"r-1"}'))).toEqual({});
    expect(idsOf(event('{"batchId":7}'))).toEqual({});
  });

  it('finds nothing in a scheduled event', () => {
    expect(idsOf({ source: 'aws.scheduler', detail: {} })).toEqual({});
    expect(idsOf(undefined)).toEqual({});
  });
});
