/**
 * A 20,000-id bulk check end to end through the local platform's HTTP API: penalties uploaded
 * through the pipeline, POST /v1/checks as gov, polled until COMPLETED, the result CSV fetched
 * through its presigned URL. Two process-check-part pollers, as a deployment runs several.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import type { Catalog } from '#core/catalog';
import { columnsFor, companies, rowsFor, toCsv } from '#local/seed/generate';
import { publishDemoCatalog, startTestPlatform, type TestPlatform } from '../support/platform.ts';

const TOTAL = 20_000;
const INVALID = 40;

let p: TestPlatform;
let catalog: Catalog;

const valid = companies(TOTAL - INVALID, 61);
const penalised = valid.filter((_, i) => i % 1_000 === 0); // 20 companies spread over the parts
let penaltyRows: Array<Record<string, string>>;

beforeAll(async () => {
  p = await startTestPlatform({ concurrency: { processCheckPart: 2 } });
  catalog = await publishDemoCatalog(p);
  penaltyRows = rowsFor('AMR-PENALTY', catalog, 30, 61, { subjects: penalised });
  const item = catalog.items.find((i) => i.code === 'AMR-PENALTY')!;
  const batchId = await p.upload('SH-AMR', 'AMR-PENALTY', 'penalties-20k.csv', toCsv(columnsFor(item), penaltyRows));
  expect(await p.receipt(batchId)).toMatchObject({ status: 'COMPLETED', rejected: 0, unlinked: 0 });
});

afterAll(async () => {
  await p?.stop();
});

describe('a bulk check of 20,000 ids', () => {
  it('completes, counts every id and reports every one of them in the result CSV', { timeout: 900_000 }, async () => {
    const broken = ['', 'ABC', valid[5]!.uscc.slice(0, 17) + (valid[5]!.uscc[17] === '0' ? '1' : '0'), 'NOT-A-USCC-123'];
    // the invalid ids spread through the list, one every 500 positions
    const ids: string[] = [];
    let v = 0;
    for (let i = 0; i < TOTAL; i++) ids.push(i % 500 === 250 ? broken[Math.floor(i / 500) % broken.length]! : valid[v++]!.uscc);
    expect(v).toBe(valid.length);

    const token = await p.as('gov', 'SH-EPB');
    const res = await p.api('POST', '/v1/checks', { token, body: { subjectType: 'LEGAL', ids, purpose: 'PENALTY', ref: 'E2E-20K' } });
    expect(res.status, res.text).toBe(202);
    expect(res.json).toMatchObject({ checkId: expect.any(String), total: TOTAL, status: 'RUNNING' });

    let check: any;
    let progressSeen = false;
    for (;;) {
      const got = await p.api('GET', `/v1/checks/${res.json.checkId}`, { token });
      expect(got.status, got.text).toBe(200);
      check = got.json;
      if (check.status !== 'RUNNING') break;
      expect(check.total).toBe(TOTAL);
      expect(check.done).toBeLessThanOrEqual(TOTAL);
      if (check.done > 0) progressSeen = true;
      await new Promise((r) => setTimeout(r, 250));
    }

    const penaltiesOf = new Map<string, number>();
    for (const r of penaltyRows) penaltiesOf.set(r.partyUscc!, (penaltiesOf.get(r.partyUscc!) ?? 0) + 1);
    expect(check).toMatchObject({
      status: 'COMPLETED',
      total: TOTAL,
      done: TOTAL,
      invalid: INVALID,
      hitSubjects: penaltiesOf.size,
      negativeRecords: penaltyRows.length,
      resultUrl: expect.stringContaining('result.csv'),
      completedAt: expect.any(String),
    });
    expect(progressSeen).toBe(true);

    const csv = await fetch(check.resultUrl);
    expect(csv.status).toBe(200);
    const rows = parse(await csv.text(), { columns: true, bom: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(TOTAL);
    expect(rows.map((r) => Number(r.row))).toEqual(ids.map((_, i) => i + 1));
    expect(rows.filter((r) => r.error.startsWith('INVALID_IDENTIFIER'))).toHaveLength(INVALID);
    expect(rows.filter((r) => r.found === 'true')).toHaveLength(penaltiesOf.size);
    expect(rows.filter((r) => r.found === 'false')).toHaveLength(TOTAL - INVALID - penaltiesOf.size);
    for (const c of penalised) {
      const n = penaltiesOf.get(c.uscc) ?? 0;
      const row = rows.find((r) => r.subject === c.uscc)!;
      expect(row).toMatchObject({ found: String(n > 0), negativeRecords: String(n) });
    }
    expect(rows.reduce((n, r) => n + Number(r.negativeRecords || 0), 0)).toBe(penaltyRows.length);
  });
});
