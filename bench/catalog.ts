/**
 * npm run bench:catalog — the catalog at the reference size (issue 16 parts 2–3), each figure
 * against the same on the 17-item demo catalog in the same run:
 *
 * 1. GET /v1/catalog/items/{code} p50/p95 (demo published, then the reference catalog published);
 * 2. receipt time of a 10,000-row upload against one item (a penalty item of each catalog);
 * 3. import time of the reference catalog (45,933 items, gzipped) through POST /v1/catalog/imports;
 * 4. memory the upload handlers' catalog read holds (the gate reads one item by key) against what
 *    the whole catalog takes once parsed (what every reader held before).
 * Written to docs/benchmarks.md.
 */
import { cpus, loadavg } from 'node:os';
import { gzipSync } from 'node:zlib';
import type { Catalog } from '#core/catalog';
import { columnsFor, generateRows, toCsv } from '#local/seed/generate';
import { referenceCatalog } from '#local/seed/reference-catalog';
import { publishDemoCatalog, startTestPlatform, type TestPlatform } from '../test/support/platform.ts';
import { writeSection } from './benchmarks-doc.ts';

const ROWS = Number(process.env.ROWS ?? 10_000);
const GETS = Number(process.env.GETS ?? 300);
const fmt = (n: number) => n.toLocaleString('en-US');
const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

async function itemGets(p: TestPlatform, token: string, codes: string[]): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < GETS; i++) {
    const code = codes[i % codes.length]!;
    const t = performance.now();
    const res = await p.api('GET', `/v1/catalog/items/${code}`, { token });
    ms.push(performance.now() - t);
    if (res.status !== 200) throw new Error(`GET item ${code}: ${res.status} ${res.text}`);
  }
  return ms;
}

async function uploadReceipt(p: TestPlatform, catalog: Catalog, itemCode: string, seed: number): Promise<{ ms: number; receipt: any }> {
  const item = catalog.items.find((i) => i.code === itemCode)!;
  const rows = generateRows(itemCode, catalog, ROWS, seed);
  const csv = toCsv(
    columnsFor(item),
    rows.map((r) => r.values),
  );
  const t = performance.now();
  const batchId = await p.upload(item.provider, itemCode, `bench-${seed}.csv`, csv);
  const receipt = await p.receipt(batchId, 600_000);
  return { ms: performance.now() - t, receipt };
}

const heapNow = () => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
};

async function main() {
  const p = await startTestPlatform({ notifyEveryMs: 50 });
  const load = loadavg()[0]!;
  try {
    const admin = await p.as('admin');
    const gov = await p.as('gov', 'SH-EPB');
    const demo = await publishDemoCatalog(p);
    await itemGets(p, gov, ['AMR-PENALTY']); // warm the function
    const demoGets = await itemGets(
      p,
      gov,
      demo.items.map((i) => i.code),
    );
    const demoUpload = await uploadReceipt(p, demo, 'AMR-PENALTY', 2016);
    console.log(
      `demo: GET item p50 ${pct(demoGets, 0.5).toFixed(1)} ms; upload ${(demoUpload.ms / 1000).toFixed(1)} s (${demoUpload.receipt.status}, ${demoUpload.receipt.accepted} accepted)`,
    );

    // the reference catalog, imported as a gzipped document
    const { catalog: ref } = referenceCatalog();
    const body = gzipSync(JSON.stringify(ref));
    const jsonBytes = Buffer.byteLength(JSON.stringify(ref));
    const started = await p.api('POST', '/v1/catalog/imports', { token: admin });
    const t0 = performance.now();
    const put = await fetch(started.json.uploadUrl, { method: 'PUT', body });
    if (put.status !== 200) throw new Error(`PUT: ${put.status}`);
    await p.notifyUploads();
    let status: any;
    for (;;) {
      status = (await p.api('GET', `/v1/catalog/imports/${started.json.importId}`, { token: admin })).json;
      if (status.status === 'PUBLISHED' || status.status === 'REJECTED') break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const importMs = performance.now() - t0;
    if (status.status !== 'PUBLISHED') throw new Error(`import ${status.status}: ${JSON.stringify(status.problems.slice(0, 3))}`);
    console.log(`import: ${fmt(status.items)} items in ${(importMs / 1000).toFixed(0)} s`);

    const penalty = ref.items.filter((i) => i.subjectType === 'LEGAL' && i.recordClass === 'SUPERVISION');
    const sampleCodes = Array.from({ length: 100 }, (_, i) => ref.items[(i * 7919) % ref.items.length]!.code);
    await itemGets(p, gov, sampleCodes.slice(0, 5));
    const refGets = await itemGets(p, gov, sampleCodes);
    const refUpload = await uploadReceipt(p, ref, penalty[penalty.length - 1]!.code, 2016);
    console.log(
      `reference: GET item p50 ${pct(refGets, 0.5).toFixed(1)} ms; upload ${(refUpload.ms / 1000).toFixed(1)} s (${refUpload.receipt.status}, ${refUpload.receipt.accepted} accepted)`,
    );

    // memory: what the gate's catalog read holds, against the whole catalog parsed
    const { currentCatalog } = await import('#adapters/catalog-repo');
    const code = penalty[0]!.code;
    let h = heapNow();
    const gate = await currentCatalog({ fresh: true, items: [code] });
    const gateBytes = heapNow() - h;
    h = heapNow();
    const whole = await currentCatalog({ fresh: true });
    const wholeBytes = heapNow() - h;
    if (!gate?.index.item(code) || whole?.catalog.items.length !== ref.items.length) throw new Error('catalog reads');
    const rss = process.memoryUsage().rss;

    const ratio = (a: number, b: number) => (a / b).toFixed(2);
    const MiB = (b: number) => (b / 2 ** 20).toFixed(1);
    const section = `## Catalog at the reference size (\`npm run bench:catalog\`)

Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} cores shared with other work (1-minute load average ${load.toFixed(1)} when the run started), local emulators (DynamoDB Local, the S3 and SQS emulators), every function in one process.

The reference catalog (local/seed/reference-catalog.ts): ${fmt(ref.providers.length)} providers, ${fmt(ref.items.length)} items, ${fmt(ref.matters!.length)} application matters; ${MiB(jsonBytes)} MiB of JSON, ${MiB(body.length)} MiB gzipped.

| figure | demo catalog (17 items) | reference catalog (${fmt(ref.items.length)} items) | ratio (goal ≤ 1.2) |
|---|---:|---:|---:|
| \`GET /v1/catalog/items/{code}\` p50 (${GETS} requests) | ${pct(demoGets, 0.5).toFixed(1)} ms | ${pct(refGets, 0.5).toFixed(1)} ms | ${ratio(pct(refGets, 0.5), pct(demoGets, 0.5))} |
| same, p95 | ${pct(demoGets, 0.95).toFixed(1)} ms | ${pct(refGets, 0.95).toFixed(1)} ms | ${ratio(pct(refGets, 0.95), pct(demoGets, 0.95))} |
| ${fmt(ROWS)}-row upload, PUT to receipt | ${(demoUpload.ms / 1000).toFixed(1)} s | ${(refUpload.ms / 1000).toFixed(1)} s | ${ratio(refUpload.ms, demoUpload.ms)} |

**Import** (\`POST /v1/catalog/imports\`, gzipped document PUT, streamed check, streamed publish, snapshot): ${(importMs / 1000).toFixed(0)} s from the PUT to PUBLISHED (goal < 600 s).

**Memory.** The upload gate reads the one item a file is for: ${MiB(Math.max(0, gateBytes))} MiB of heap held by that read, against ${MiB(wholeBytes)} MiB for the whole reference catalog parsed (what every reader held before, per container). Process RSS at the end of the run (all functions, emulator clients): ${MiB(rss)} MiB.
`;
    writeSection('## Catalog at the reference size', section);
    console.log(section);
  } finally {
    await p.stop();
  }
}

await main();
