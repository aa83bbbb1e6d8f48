/** Polls a batch's receipt over HTTP until it ends (COMPLETED or FAILED). */
import type { Platform } from './runtime.ts';

export async function waitForBatch(platform: Platform, token: string, batchId: string, timeoutMs = 120_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${platform.url}/v1/batches/${batchId}`, { headers: { authorization: `Bearer ${token}` } });
    const r = { status: res.status, json: (await res.json()) as Record<string, unknown> };
    if (r.status === 200 && (r.json.status === 'COMPLETED' || r.json.status === 'FAILED')) return r.json;
    if (Date.now() > deadline) throw new Error(`batch ${batchId} did not finish in ${timeoutMs} ms: ${JSON.stringify(r.json)}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}
