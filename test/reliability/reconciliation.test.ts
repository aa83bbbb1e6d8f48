/**
 * Every row accounted for exactly once under every fault mix: a mixed file per mix, counted from
 * the tables and the rejection report (reconcile.ts). RELIABILITY_ROWS rows per mix (default
 * 6,000: two chunks, so redelivery and S3 faults meet a multi-chunk batch, and the suite stays
 * within a few minutes on 2 cores); `npm run test:soak` and `npm run reliability` run 100,000.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishDemoCatalog, startTestPlatform, type TestPlatform } from '../support/platform.ts';
import { exportTable, faultMixes, figuresTable, reconcile, reconcileExport, type Figures } from './reconcile.ts';

const ROWS = Number(process.env.RELIABILITY_ROWS ?? 6_000);
const mixes = faultMixes(ROWS);
const all: Figures[] = [];
let p: TestPlatform;

beforeAll(async () => {
  p = await startTestPlatform(); // putObject() notifies at once: no faster listing needed
  await publishDemoCatalog(p);
});

afterAll(async () => {
  if (all.length) console.log(`\n${figuresTable(all)}\n`);
  await p?.stop();
});

describe(`reconciliation of a ${ROWS.toLocaleString('en-US')}-row mixed file`, () => {
  Object.entries(mixes).forEach(([name, mix], i) => {
    it(
      `under ${name}: nothing lost, nothing twice, the receipt equals the tables`,
      async () => {
        const f = await reconcile(p, name, mix, ROWS, 600 + i);
        all.push(f);
        expect(f.status).toBe('COMPLETED');
        expect(f.lost).toBe(0);
        expect(f.duplicates).toBe(0);
        expect(f.accepted + f.rejected).toBe(ROWS);
        expect(f.receiptMatches).toBe(true);
        expect(f.expectedRejectionsMatch).toBe(true);
        if (name !== 'no faults') expect(Object.values(f.injected).some((n) => n > 0)).toBe(true);
      },
      Math.max(600_000, ROWS * 30),
    );
  });

  it(
    'then the national platform holds exactly the ACTIVE double-publicity records, after 5xx, timeouts and a killed run',
    async () => {
      const f = await reconcileExport(p);
      console.log(`\n${exportTable(f)}\n`);
      expect(f.expected).toBeGreaterThan(ROWS / 2);
      expect(f.missing).toBe(0);
      expect(f.extra).toBe(0);
      expect(f.duplicates).toBe(0);
      expect(f.wrongFields).toBe(0);
      expect(f.nationalActive + f.held).toBe(f.expected);
      expect(f.retriedOrRefused).toBeGreaterThan(0);
      expect(f.killed).toBe(1);
    },
    Math.max(600_000, ROWS * 60),
  );
});
