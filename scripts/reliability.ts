/**
 * npm run reliability — the reconciliation figures: a 100,000-row mixed file (ROWS=… overrides)
 * under each fault mix on the local platform, counted from the tables and the rejection report.
 * Exits 1 if any mix lost a row, stored one twice, or disagreed with its receipt.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publishDemoCatalog, startTestPlatform } from '../test/support/platform.ts';
import { exportTable, faultMixes, figuresTable, reconcile, reconcileExport, type ExportFigures, type Figures } from '../test/reliability/reconcile.ts';

const ROWS = Number(process.env.ROWS ?? 100_000);
// On disk, not in memory: seven mixes of 100,000 rows outgrow the in-memory emulator's 1 GiB heap
// (DynamoDB Local then answers InternalFailure), while its SQLite files only grow.
const dataDir = process.env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'reliability-'));
const p = await startTestPlatform({ notifyEveryMs: 50, dataDir });
const all: Figures[] = [];
let pushed: ExportFigures | undefined;
try {
  await publishDemoCatalog(p);
  for (const [i, [name, mix]] of Object.entries(faultMixes(ROWS)).entries()) {
    const f = await reconcile(p, name, mix, ROWS, 700 + i);
    all.push(f);
    console.error(`${name}: ${f.status} in ${f.seconds} s`);
  }
  pushed = await reconcileExport(p);
} finally {
  await p.stop();
  if (!process.env.DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
}
console.log(figuresTable(all));
console.log(`\nNational export of everything above (30% 5xx, 10% timeouts, the run killed once):\n\n${exportTable(pushed!)}`);
const bad = all.filter((f) => f.status !== 'COMPLETED' || f.lost || f.duplicates || !f.receiptMatches || !f.expectedRejectionsMatch);
const exportBad = pushed!.missing || pushed!.extra || pushed!.duplicates || pushed!.wrongFields;
process.exit(bad.length || exportBad ? 1 : 0);
