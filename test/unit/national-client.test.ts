/** The national client's retries, with the HTTP layer stubbed: 5xx and 429 are retried and counted, 4xx is not. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NationalRequestError, nationalClient, signBody } from '#adapters/national-client';

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
});
