/**
 * Reconciliation under injected faults: one mixed file (valid rows, rows broken four ways,
 * duplicate keys, malformed lines) is uploaded to the local platform running a fault mix,
 * and the outcome is counted from the ground up — the subject tables and the rejection report,
 * not the receipt — then compared with the receipt and with what the generator put in the file.
 * Shared by the reliability test (test/reliability) and `npm run reliability` (the figures).
 */
import { performance } from 'node:perf_hooks';
import { parse } from 'csv-parse/sync';
import { faults, type FaultCounts, type FaultMix } from '#adapters/faults';
import { columnsFor, generateRows, toCsv } from '#local/seed/generate';
import { demoCatalog, type TestPlatform } from '../support/platform.ts';
import { isRepresentativeCopy, scanTable } from '../support/tables.ts';

/** The fault mixes, for a file of `rows` rows (the crashing worker dies about every fifth of the file). */
export function faultMixes(rows: number): Record<string, FaultMix> {
  const crash = { writes: Math.max(100, Math.floor(rows / 5)), times: 3 };
  return {
    'no faults': {},
    'DynamoDB throttling 5%': { dynamoThrottleRate: 0.05 },
    'UnprocessedItems 20%': { unprocessedRate: 0.2 },
    'S3 read errors 20% + truncated ranges 20%': { s3ReadErrorRate: 0.2, s3TruncateRate: 0.2 },
    'every SQS message delivered twice': { sqsDuplicateRate: 1 },
    [`worker dies after ${crash.writes.toLocaleString('en-US')} writes (3x)`]: { crashAfterWrites: crash },
    'all of the above (S3 and SQS at 10% and 50%)': {
      dynamoThrottleRate: 0.05,
      unprocessedRate: 0.2,
      s3ReadErrorRate: 0.1,
      s3TruncateRate: 0.1,
      sqsDuplicateRate: 0.5,
      crashAfterWrites: crash,
    },
  };
}

const ITEM = 'AMR-PENALTY';

export interface Figures {
  mix: string;
  rowsIn: number;
  accepted: number;
  rejected: number;
  /** Records stored more than once (same item and key), or rows counted twice. */
  duplicates: number;
  /** Rows neither stored nor reported. */
  lost: number;
  receiptMatches: boolean;
  expectedRejectionsMatch: boolean;
  status: string;
  seconds: number;
  injected: FaultCounts;
}

/** A mixed file of `rows` data rows, and the data rows that must be rejected (header = row 1). */
export function mixedFile(catalog: Parameters<typeof generateRows>[1], rows: number, seed: number): { csv: string; mustReject: Set<number> } {
  const item = catalog.items.find((i) => i.code === ITEM)!;
  const cols = columnsFor(item);
  const duplicates = Math.max(1, Math.floor(rows * 0.005));
  const malformed = Math.max(1, Math.floor(rows * 0.002));
  const generated = generateRows(ITEM, catalog, rows - duplicates - malformed, seed, { invalidRate: 0.03 });
  const mustReject = new Set<number>();
  generated.forEach((g, i) => g.invalid && mustReject.add(i + 2));
  // later rows repeating the key of a valid earlier row: DUPLICATE_KEY_IN_FILE
  const valid = generated.filter((g) => !g.invalid);
  const lines = [
    toCsv(
      cols,
      generated.map((g) => g.values),
    ),
  ];
  let row = generated.length + 2;
  for (let i = 0; i < duplicates; i++, row++) {
    lines.push(toCsv(cols, [{ ...valid[(i * 7919) % valid.length]!.values }]).split('\r\n')[1]! + '\r\n');
    mustReject.add(row);
  }
  for (let i = 0; i < malformed; i++, row++) {
    lines.push(`malformed line ${i},only three\r\n`);
    mustReject.add(row);
  }
  return { csv: lines.join(''), mustReject };
}

/** Uploads the mixed file under `mix` on a running platform (with the demo catalog) and counts the outcome. */
export async function reconcile(p: TestPlatform, mixName: string, mix: FaultMix, rows: number, seed = 606): Promise<Figures> {
  try {
    const catalog = demoCatalog();
    const { csv, mustReject } = mixedFile(catalog, rows, seed);
    faults.configure(mix);
    const started = performance.now();
    const batchId = await p.putObject(`incoming/SH-AMR/${ITEM}/reliability-${seed}.csv`, csv);
    const receipt = await p.receipt(batchId, 3_600_000);
    const seconds = (performance.now() - started) / 1000;
    const injected = faults.counts();
    faults.clear(); // count the outcome without faults in the way

    const stored = [...(await scanTable(p, 'legalSubjects', { batchId })), ...(await scanTable(p, 'registry', { batchId }))].filter(
      (i) => i.batchId === batchId && !isRepresentativeCopy(i),
    );
    const report = await p.api('GET', `/v1/batches/${batchId}/rejections`, { token: await p.as('provider', 'SH-AMR'), headers: { 'accept-language': 'en' } }); // the `row` column
    const rejectedRows = new Set<number>(
      (parse(report.text, { bom: true, columns: true, relax_column_count: true }) as Array<{ row: string }>).map((r) => Number(r.row)),
    );

    const acceptedRows = stored.map((i) => Number(i.row));
    const keys = new Set(stored.map((i) => `${String(i.item)}\u0000${String(i.key)}`));
    const seen = new Map<number, number>();
    for (const r of [...acceptedRows, ...rejectedRows]) seen.set(r, (seen.get(r) ?? 0) + 1);
    let lost = 0;
    let twice = stored.length - keys.size;
    for (let r = 2; r < rows + 2; r++) {
      const n = seen.get(r) ?? 0;
      if (n === 0) lost++;
      if (n > 1) twice += n - 1;
    }
    const strays = [...seen.keys()].filter((r) => r < 2 || r >= rows + 2).length;
    return {
      mix: mixName,
      rowsIn: rows,
      accepted: stored.length,
      rejected: rejectedRows.size,
      duplicates: twice + strays,
      lost,
      receiptMatches:
        receipt.rows === rows &&
        receipt.accepted === stored.length &&
        receipt.rejected === rejectedRows.size &&
        receipt.accepted + receipt.rejected === receipt.rows,
      expectedRejectionsMatch: rejectedRows.size === mustReject.size && [...mustReject].every((r) => rejectedRows.has(r)),
      status: receipt.status,
      seconds: Math.round(seconds * 10) / 10,
      injected,
    };
  } finally {
    faults.clear();
  }
}

export function figuresTable(all: Figures[]): string {
  const injected = (c: FaultCounts) =>
    Object.entries(c)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ') || '—';
  const fmt = (n: number) => n.toLocaleString('en-US');
  const lines = [
    '| fault mix | rows in | accepted | rejected | duplicates | lost | receipt = tables | faults injected | seconds |',
    '|---|---:|---:|---:|---:|---:|---|---|---:|',
    ...all.map(
      (f) =>
        `| ${f.mix} | ${fmt(f.rowsIn)} | ${fmt(f.accepted)} | ${fmt(f.rejected)} | ${f.duplicates} | ${f.lost} | ${f.receiptMatches && f.expectedRejectionsMatch ? 'yes' : 'NO'} | ${injected(f.injected)} | ${f.seconds} |`,
    ),
  ];
  return lines.join('\n');
}

export interface ExportFigures {
  /** ACTIVE double-publicity records in the subject tables. */
  expected: number;
  /** Of those, held by the export with a reason (cannot be mapped to the national format). */
  held: number;
  /** Records the national stand-in holds as ACTIVE. */
  nationalActive: number;
  /** Expected records neither held nor ACTIVE nationally. */
  missing: number;
  /** ACTIVE nationally but not ACTIVE here (withdrawn, closed or unknown), or held and sent alike. */
  extra: number;
  /** Records listed twice by the stand-in. */
  duplicates: number;
  /** ACTIVE national records whose decision number differs from the record's key. */
  wrongFields: number;
  runs: number;
  seconds: number;
  retriedOrRefused: number;
  /** Export runs killed on purpose (and resumed). */
  killed: number;
}

/**
 * Pushes everything to the stand-in national platform while it fails its first batch and `errorRate` of batches with
 * 5xx and times out `timeoutRate`, the run itself dying once after two answered batches; runs again
 * until a run completes, then compares what the stand-in holds with the subject tables.
 */
export async function reconcileExport(p: TestPlatform, errorRate = 0.3, timeoutRate = 0.1): Promise<ExportFigures> {
  const admin = await p.as('admin');
  const started = performance.now();
  const nationalFaults = await p.api('POST', '/local/national/faults', { body: { errorRate, timeoutRate, failNext: 1, timeOutNext: 1, timeoutDelayMs: 2500 } });
  if (nationalFaults.status !== 200) throw new Error(`stand-in refused the faults: ${nationalFaults.text}`);
  faults.crashAfterExportBatches(2);
  let runs = 0;
  let killed = 0;
  try {
    for (let status = ''; status !== 'COMPLETED'; runs++) {
      if (runs >= 20) throw new Error('no export run completed after 20 runs');
      await new Promise((r) => setTimeout(r, 1200)); // past the local safety lag of 1 s
      const run = await p.api('POST', '/v1/exports/run', { token: admin });
      if (run.status !== 202) throw new Error(`export run refused: ${run.text}`);
      status = await runEnded(p, admin, run.json.runId);
    }
  } finally {
    killed = faults.counts().crashes;
    await p.api('POST', '/local/national/faults', { body: {} });
    faults.clear();
  }

  const records = [...(await scanTable(p, 'legalSubjects')), ...(await scanTable(p, 'naturalSubjects'))].filter(
    (i) => String(i.sk).startsWith('REC#') && !isRepresentativeCopy(i) && (i.publicity === 'PENALTY' || i.publicity === 'LICENSING'),
  );
  const active = new Map(records.filter((r) => r.status === 'ACTIVE').map((r) => [String(r.recordId), r]));
  const held = new Set<string>();
  for (let cursor: string | undefined; ; ) {
    const page = await p.api('GET', `/v1/exports/held?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: admin });
    for (const h of page.json.records) held.add(String(h.recordId));
    cursor = page.json.next ?? undefined;
    if (!cursor) break;
  }
  const national = p.national.records();
  const nationalActive = national.filter((n) => n.status === 'ACTIVE');
  const activeKeys = new Set(nationalActive.map((n) => n.key));
  const stats = p.national.stats();
  return {
    expected: active.size,
    held: [...held].filter((id) => active.has(id)).length,
    nationalActive: nationalActive.length,
    missing: [...active.keys()].filter((id) => !held.has(id) && !activeKeys.has(id)).length,
    extra: nationalActive.filter((n) => !active.has(n.key) || held.has(n.key)).length,
    duplicates: national.length - new Set(national.map((n) => n.key)).size,
    wrongFields: nationalActive.filter((n) => n.type === 'PENALTY' && active.get(n.key)?.item === ITEM && n.fields.CF_WSH !== active.get(n.key)?.key).length,
    runs,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    retriedOrRefused: stats.failedOnPurpose + stats.timedOutOnPurpose,
    killed,
  };
}

async function runEnded(p: TestPlatform, admin: string, runId: string): Promise<string> {
  for (let i = 0; i < 36_000; i++) {
    const runs = await p.api('GET', '/v1/exports/runs?limit=50', { token: admin });
    const found = runs.json.runs.find((r: { runId: string }) => r.runId === runId);
    if (found && found.status !== 'RUNNING') return found.status as string;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`export run ${runId} did not end`);
}

export function exportTable(f: ExportFigures): string {
  const fmt = (n: number) => n.toLocaleString('en-US');
  return [
    '| ACTIVE double-publicity records | held (unmappable) | held ACTIVE nationally | missing | extra | duplicates | wrong fields | runs started | runs killed | batches refused or timed out | seconds |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    `| ${fmt(f.expected)} | ${fmt(f.held)} | ${fmt(f.nationalActive)} | ${f.missing} | ${f.extra} | ${f.duplicates} | ${f.wrongFields} | ${f.runs} | ${f.killed} | ${f.retriedOrRefused} | ${f.seconds} |`,
  ].join('\n');
}
