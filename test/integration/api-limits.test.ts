/**
 * Answers that could outgrow Lambda's 6 MB response limit, on the local API (which enforces it,
 * local/http-bridge AWS_LIMITS): the multipart answer of POST /v1/uploads for a 10,000-part file,
 * and a rejections CSV of a batch with more rejected rows than fit in a response (303 to a
 * presigned download of the same CSV).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '#core/catalog';
import { AWS_LIMITS } from '#local/http-bridge';
import { companies } from '#local/seed/generate';
import { publishDemoCatalog, startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
let catalog: Catalog;

beforeAll(async () => {
  p = await startTestPlatform();
  catalog = await publishDemoCatalog(p);
});

afterAll(async () => {
  await p?.stop();
});

describe('responses that could exceed 6 MB', () => {
  it('the multipart answer for a 10,000-part file stays under the limit', async () => {
    const item = catalog.items[0]!;
    const res = await p.api('POST', '/v1/uploads', {
      token: await p.as('provider', item.provider),
      body: { item: item.code, fileName: 'huge.csv', parts: 10_000 },
    });
    expect(res.status).toBe(201);
    expect(res.json.partUrls).toHaveLength(10_000);
    const bytes = Buffer.byteLength(res.text);
    expect(bytes).toBeLessThan(AWS_LIMITS.responseBytes);
    console.info(`POST /v1/uploads, 10,000 parts: ${bytes} bytes of ${AWS_LIMITS.responseBytes}`);
  });

  it('a rejections CSV too large to answer inline is a 303 to a presigned download of the whole CSV', async () => {
    const item = catalog.items[0]!;
    const batchId = 'limits-test-batch-0001';
    // adapters are imported once the platform has set the emulator endpoints
    const { createReceipt, newReceipt } = await import('#adapters/batch-repo');
    const { putText } = await import('#adapters/object-store');
    const { bucketName } = await import('#adapters/config');
    await createReceipt({
      ...newReceipt({ batchId, provider: item.provider, item: item.code, fileName: 'big.csv', bucket: 'b', key: 'k' }),
      headerKeys: ['name'],
    });
    const ROWS = 30_000;
    const lines = Array.from({ length: ROWS }, (_, i) =>
      JSON.stringify({ row: i + 2, errors: [{ field: 'name', code: 'TOO_LONG', message: '超过长度' }], raw: { name: `名称${i}`.padEnd(200, '长') } }),
    );
    for (let part = 0; part < 3; part++) {
      await putText(
        bucketName('work'),
        `rejections/${batchId}/chunk-${part}.jsonl`,
        lines.slice(part * 10_000, (part + 1) * 10_000).join('\n') + '\n',
        'application/x-ndjson',
      );
    }
    const url = `${p.url}/v1/batches/${batchId}/rejections`;
    const res = await fetch(url, { headers: { authorization: `Bearer ${await p.as('provider', item.provider)}` }, redirect: 'manual' });
    expect(res.status).toBe(303);
    const download = await fetch(res.headers.get('location')!);
    expect(download.status).toBe(200);
    const csv = await download.text();
    expect(Buffer.byteLength(csv)).toBeGreaterThan(AWS_LIMITS.responseBytes);
    const rows = csv.trim().split('\n');
    expect(rows).toHaveLength(ROWS + 1);
    expect(rows[1]).toContain('TOO_LONG');
    // a client that follows redirects (the console, the CLI) gets the CSV as before
    const followed = await fetch(url, { headers: { authorization: `Bearer ${await p.as('admin')}` } });
    expect(followed.status).toBe(200);
    expect((await followed.text()).trim().split('\n')).toHaveLength(ROWS + 1);
  });

  it('the own report carries the newest 2,000 queries and a cursor GET /v1/me/queries continues from', async () => {
    const [company] = companies(1, 9301);
    const uscc = company!.uscc;
    const { appendQueries } = await import('#adapters/query-log-repo');
    const base = Date.parse('2026-11-01T00:00:00Z');
    await appendQueries(
      Array.from({ length: 2_001 }, (_, i) => ({
        queryId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        at: new Date(base + i * 60_000).toISOString(),
        role: 'gov',
        unit: 'SH-DRC',
        sub: 'gov:SH-DRC:test',
        channel: 'api',
        purpose: 'ADMIN_APPROVAL',
        subjectType: 'LEGAL' as const,
        subjectKey: uscc,
        subjectLabel: uscc,
        outcome: 'ALLOWED' as const,
        status: 200,
        records: 0,
      })),
    );
    const me = await p.token({ role: 'subject', subject: { type: 'LEGAL', id: uscc } });
    const report = await p.api('GET', '/v1/me/report', { token: me });
    expect(report.status).toBe(200);
    expect(report.json.queries).toHaveLength(2_000);
    expect(report.json.queries[0].at).toBe(new Date(base + 2_000 * 60_000).toISOString()); // newest first
    expect(report.json.queriesNext).toEqual(expect.any(String));
    const rest = await p.api('GET', `/v1/me/queries?cursor=${encodeURIComponent(report.json.queriesNext)}`, { token: me });
    expect(rest.status).toBe(200);
    expect(rest.json.queries.map((q: { at: string }) => q.at)).toEqual([new Date(base).toISOString()]);
    const html = await p.api('GET', '/v1/me/report?format=html', { token: me });
    expect(html.text).toContain('更早的记录请通过');
  });
});
