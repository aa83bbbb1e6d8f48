/**
 * The bad-input corpus (generate.ts) through the real upload paths of the local platform: every
 * case ends with the expected receipt (status, reason, row error codes) or the expected refusal,
 * receipts always balance, and a refused file stores nothing.
 */
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishDemoCatalog, startTestPlatform, type TestPlatform } from '../support/platform.ts';
import { recordsOfBatch } from '../support/tables.ts';
import { writeCorpus, type CorpusCase } from './generate.ts';

const dir = mkdtempSync(join(tmpdir(), 'corpus-'));
const cases = writeCorpus(dir);
let p: TestPlatform;

beforeAll(async () => {
  p = await startTestPlatform();
  await publishDemoCatalog(p);
});

afterAll(async () => {
  await p?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function send(c: CorpusCase): Promise<string> {
  const path = join(dir, c.file!);
  if (c.via === 'upload') return p.upload(c.provider, c.item, c.target, readFileSync(path));
  return p.putObject(c.target, c.name === 'sparse-2gb' ? createReadStream(path) : readFileSync(path));
}

describe('bad-input corpus', () => {
  for (const c of cases) {
    it(
      `${c.name}: ${c.about}`,
      async () => {
        const e = c.expect;
        if ('http' in e) {
          const res = await p.api('POST', '/v1/uploads', { token: await p.as('provider', c.provider), body: { item: c.item, fileName: c.target } });
          expect(res.status).toBe(e.http);
          expect(res.json.error.code).toBe(e.code);
          return;
        }
        const batchId = await send(c);
        const r = await p.receipt(batchId, 120_000);
        expect(r.status, r.reason ?? '').toBe(e.status);
        expect(r.rows).toBe(r.accepted + r.rejected);
        expect(r.accepted).toBe(r.linked + r.unlinked);
        const stored = await recordsOfBatch(p, batchId);
        if (e.status === 'FAILED') {
          expect(r.reasonCode).toBe(e.code);
          // the receipt's reason is Chinese by default; the English one names the detail the corpus expects
          expect(r.reason).toMatch(/[\u4e00-\u9fff]/);
          const en = await p.api('GET', `/v1/batches/${batchId}`, { token: await p.as('admin'), headers: { 'accept-language': 'en' } });
          expect(en.json.reason).toMatch(e.reason);
          if (e.errorCode) expect(r.errors[0]?.code).toBe(e.errorCode);
          expect(r.accepted).toBe(0);
          expect(stored).toHaveLength(0);
          return;
        }
        expect({ rows: r.rows, accepted: r.accepted }).toEqual({ rows: e.rows, accepted: e.accepted });
        expect(stored).toHaveLength(e.accepted);
        const rejected = e.rejected ?? {};
        expect(r.rejected).toBe(Object.keys(rejected).length);
        for (const [row, code] of Object.entries(rejected)) {
          expect(
            r.errors.filter((x: any) => x.row === Number(row)).map((x: any) => x.code),
            `row ${row}`,
          ).toContain(code);
        }
        if (e.encoding) expect(r.encoding).toBe(e.encoding);
        if (c.name === 'formula-injection') {
          const report = await p.api('GET', `/v1/batches/${batchId}/rejections`, { token: await p.as('provider', c.provider) });
          expect(report.text).toContain(",'=1+1,");
          expect(report.text).not.toMatch(/(^|,)[=+\-@]/m);
        }
      },
      c.name === 'sparse-2gb' ? 900_000 : 180_000,
    );
  }
});
