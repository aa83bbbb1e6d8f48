/**
 * npm run bench:joint — 联合奖惩 against the plain paths, measured in the same run:
 *   - inline: POST /v1/joint/checks of 100 companies (FUNDING, SH-DRC) against GET
 *     /v1/subjects/legal/{uscc}?purpose=FUNDING of the same 100 companies one after another, ROUNDS
 *     rounds each, interleaved; p50 of each, ratio goal ≤ 1.5×;
 *   - bulk: POST /v1/checks of BULK companies with "joint": true against the same check without it,
 *     until COMPLETED, BULK_ROUNDS pairs in the order plain, joint, joint, plain, … (so a machine
 *     that slows down or warms up during the run weighs on both alike); the ratio of the totals,
 *     goal ≤ 1.2×. The joint check also opens feedback on the measures it finds.
 * One in ten companies has a major tax arrears (B-TAX-MAJOR-ARREARS → L-SERIOUS by rule, measures
 * for SH-DRC). Results are printed and written to docs/benchmarks.md. BULK=... overrides 20,000.
 */
import { loadavg } from 'node:os';
import { companies, generateRows } from '#local/seed/generate';
import { publishDemoCatalog, startTestPlatform, type TestPlatform } from '../test/support/platform.ts';
import { benchRecord } from './bench-records.ts';
import { writeSection } from './benchmarks-doc.ts';

const BULK = Number(process.env.BULK ?? 20_000);
const INLINE = 100;
const ROUNDS = Number(process.env.ROUNDS ?? 15);
const HIT_EVERY = 10;
const BULK_ROUNDS = Number(process.env.BULK_ROUNDS ?? 2);

const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function bulk(p: TestPlatform, token: string, ids: string[], joint: boolean): Promise<number> {
  const t = performance.now();
  const started = await p.api('POST', '/v1/checks', {
    token,
    body: { subjectType: 'LEGAL', ids, purpose: 'FUNDING', ref: 'BENCH-JOINT', ...(joint ? { joint } : {}) },
  });
  if (started.status !== 202) throw new Error(`check refused: ${started.text.slice(0, 500)}`);
  for (;;) {
    const res = await p.api('GET', `/v1/checks/${started.json.checkId}`, { token });
    if (res.json.status === 'COMPLETED') return performance.now() - t;
    if (res.json.status !== 'RUNNING') throw new Error(`check ended ${res.text.slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function main() {
  const p = await startTestPlatform({ concurrency: { processCheckPart: 2 } });
  try {
    const catalog = await publishDemoCatalog(p);
    const item = catalog.items.find((i) => i.code === 'TAX-ARREARS')!;
    const subjects = companies(BULK, 8101);
    const sample = generateRows('TAX-ARREARS', catalog, 50, 8101).map((g) => g.values);
    const now = new Date().toISOString();
    const hits = subjects.filter((_, i) => i % HIT_EVERY === 0);
    const records = hits.map((c, s) =>
      benchRecord(
        'SH-TAX',
        item,
        { uscc: c.uscc, name: c.name },
        `JB-${s}`,
        { ...sample[s % sample.length]!, arrearsWan: '300' },
        { batchId: 'bench-joint', row: s + 2, at: now },
      ),
    );
    const { batchPut } = await import('#adapters/batch-io');
    const { enterListsByRule } = await import('#adapters/joint-repo');
    await batchPut(records, 'bench');
    // the rule lists as ingest enters them
    await enterListsByRule(catalog, records, now);
    const token = await p.as('gov', 'SH-DRC');
    const ids = subjects.slice(0, INLINE).map((c) => c.uscc);

    const joint: number[] = [];
    const plain: number[] = [];
    for (let round = 0; round < ROUNDS + 2; round++) {
      let t = performance.now();
      const j = await p.api('POST', '/v1/joint/checks', { token, body: { matter: 'FUNDING', subjects: ids.map((id) => ({ type: 'LEGAL', id })) } });
      if (j.status !== 201) throw new Error(`joint check: ${j.text.slice(0, 300)}`);
      const jointMs = performance.now() - t;
      t = performance.now();
      for (const id of ids) {
        const q = await p.api('GET', `/v1/subjects/legal/${id}?purpose=FUNDING`, { token });
        // nine in ten have no record: the query answers 404 after the same read and log entry
        if (q.status !== 200 && q.status !== 404) throw new Error(`query: ${q.text.slice(0, 300)}`);
      }
      const plainMs = performance.now() - t;
      if (round >= 2) {
        joint.push(jointMs);
        plain.push(plainMs);
      } // two warm-up rounds
    }

    const bulkIds = subjects.map((c) => c.uscc);
    await bulk(p, token, bulkIds.slice(0, 1_000), true); // warm-up
    let plainBulk = 0;
    let jointBulk = 0;
    const bulkTimes: string[] = [];
    for (let round = 0; round < BULK_ROUNDS; round++) {
      for (const joint of round % 2 === 0 ? [false, true] : [true, false]) {
        const ms = await bulk(p, token, bulkIds, joint);
        if (joint) jointBulk += ms;
        else plainBulk += ms;
        bulkTimes.push(`${joint ? 'joint' : 'plain'} ${(ms / 1000).toFixed(1)} s`);
      }
    }

    const inlineRatio = p50(joint) / p50(plain);
    const bulkRatio = jointBulk / plainBulk;
    const lines = [
      '## Joint reward and punishment (`npm run bench:joint`)',
      '',
      `${INLINE} subjects, ${HIT_EVERY === 10 ? 'one in ten' : `1/${HIT_EVERY}`} with a major tax arrears (behaviour, L-SERIOUS entry, measures for SH-DRC); ${ROUNDS} rounds after two warm-ups; bulk ${BULK.toLocaleString('en-US')} companies with 2 part workers.`,
      '',
      '| Measure | Ratio | Goal |',
      '| --- | --- | --- |',
      `| joint check of ${INLINE} subjects, p50, against ${INLINE} profile queries of the same subjects | ${inlineRatio.toFixed(2)}× | ≤ 1.5× |`,
      `| joint bulk check of ${BULK.toLocaleString('en-US')} subjects against the plain bulk check (${BULK_ROUNDS} of each) | ${bulkRatio.toFixed(2)}× | ≤ 1.2× |`,
      '',
      `Bulk runs in order: ${bulkTimes.join(', ')}. Load average at the end: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' / ')} (2 cores shared).`,
      '',
      `Run on ${new Date().toISOString().slice(0, 10)}; absolute times vary with the machine, the ratios are the figures.`,
      '',
    ];
    console.log(lines.join('\n'));
    writeSection('## Joint reward and punishment', lines.join('\n'));
  } finally {
    await p.stop();
  }
}

await main();
