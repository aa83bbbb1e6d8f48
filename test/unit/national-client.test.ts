/** The national client's retries, with the HTTP layer stubbed: 5xx and 429 are retried and counted, 4xx is not. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NationalRequestError, NationalResultSchema, nationalClient, resultsOf, signBody } from '#adapters/national-client';

const answer = (status: number, body: unknown = {}) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const accepted = { results: [{ idempotencyKey: 'R1:1:v', status: 'ACCEPTED', nationalId: 'N-1' }] };

beforeEach(() => {
  vi.stubEnv('NATIONAL_ENDPOINT', 'http://national.test/records');
  vi.stubEnv('LOCAL_NATIONAL_SECRET', 'test-secret');
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
});

describe('national client', () => {
  it('retries 5xx and 429, counts the retries, and signs the body it sends', async () => {
    const fetchMock = vi.fn().mockResolvedValueOnce(answer(503)).mockResolvedValueOnce(answer(429)).mockResolvedValueOnce(answer(200, accepted));
    vi.stubGlobal('fetch', fetchMock);
    const out = await (await nationalClient()).send('B1', []);
    expect(out.retries).toBe(2);
    expect(fetchMock).toHaveBeenCalledTimes(3);
    const [, init] = fetchMock.mock.calls[2]!;
    expect(init.headers['x-signature']).toBe(signBody('test-secret', init.body));
  });

  it('does not retry a refusal (4xx)', async () => {
    const fetchMock = vi.fn().mockResolvedValue(answer(400, { error: 'bad batch' }));
    vi.stubGlobal('fetch', fetchMock);
    await expect((await nationalClient()).send('B2', [])).rejects.toBeInstanceOf(NationalRequestError);
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('reads an answer’s results in place exactly when the result schema accepts every one', () => {
    const good = [
      { idempotencyKey: 'R1:1:v', status: 'ACCEPTED', nationalId: 'N-1' },
      { idempotencyKey: 'R2:1:v', status: 'ACCEPTED', nationalId: null },
      { idempotencyKey: 'R3:1:v', status: 'REJECTED', error: 'CF_WSH: is empty' },
    ];
    expect(resultsOf({ results: good })).toBe(good);
    expect(resultsOf({ results: [] })).toEqual([]);
    const bad: unknown[] = [
      undefined,
      null,
      'text',
      {},
      { results: 'x' },
      { results: [null] },
      { results: [['R1', 'ACCEPTED']] },
      { results: [{ status: 'ACCEPTED' }] },
      { results: [{ idempotencyKey: 'R1', status: 'accepted' }] },
      { results: [{ idempotencyKey: 'R1', status: 'ACCEPTED', nationalId: 7 }] },
      { results: [{ idempotencyKey: 'R1', status: 'REJECTED', error: { text: 'x' } }] },
      { results: [...good, { idempotencyKey: 1, status: 'ACCEPTED' }] },
    ];
    for (const answer of bad) {
      const schema = Array.isArray((answer as { results?: unknown } | null)?.results)
        ? ((answer as { results: unknown[] }).results.every((r) => NationalResultSchema.safeParse(r).success) as boolean)
        : false;
      expect(schema).toBe(false);
      expect(resultsOf(answer)).toBeUndefined();
    }
  });

  it('treats an answer of another shape as no answer and asks again', async () => {
    const fetchMock = vi
      .fn()
      .mockResolvedValueOnce(answer(200, { results: [{ idempotencyKey: 'R1:1:v', status: 'MAYBE' }] }))
      .mockResolvedValueOnce(answer(200, accepted));
    vi.stubGlobal('fetch', fetchMock);
    const out = await (await nationalClient()).send('B3', []);
    expect(out).toEqual({ results: accepted.results, retries: 1 });
  });
});
