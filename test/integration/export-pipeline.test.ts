/**
 * The export run's pipeline with many pages per shard: pages of one shard are sent while the next
 * ones are read and mapped, answers come back out of order, and one batch gets no answer. The
 * watermark of that shard must stop before its first unanswered record, records answered behind
 * it must be kept as exceptions (not sent again), and the next run must finish the job exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '#core/catalog';
import { changeShard } from '#core/change-marker';
import { recordId } from '#core/record-id';
import { NationalUnavailableError, nationalClient, type NationalClient } from '#adapters/national-client';
import { companies, columnsFor, rowsFor, toCsv } from '#local/seed/generate';
import { publishDemoCatalog, startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
let catalog: Catalog;
const today = new Date().toISOString().slice(0, 10);
const PAGE = 5;

beforeAll(async () => {
  p = await startTestPlatform();
  catalog = await publishDemoCatalog(p);
}, 60_000);

afterAll(async () => {
  await p?.stop();
});

describe('export pipeline', () => {
  it('moves each watermark only past answered records, whatever order pages are answered in', async () => {
    const item = catalog.items.find((i) => i.code === 'AMR-LICENSING')!;
    const rows = rowsFor('AMR-LICENSING', catalog, 240, 7301, { subjects: companies(40, 7302), until: today });
    const receipt = await p.receipt(await p.upload(item.provider, item.code, 'many.csv', toCsv(columnsFor(item), rows)), 120_000);
    expect(receipt.rejected, JSON.stringify(receipt.errors)).toBe(0);
    const ids = rows.map((r) => recordId(item.provider, item.code, r.decisionNo!));
    // the shard with the most records loses a batch
    const perShard = [0, 1, 2, 3, 4, 5, 6, 7].map((s) => ids.filter((id) => changeShard(id) === s).length);
    const LOST_SHARD = perShard.indexOf(Math.max(...perShard));
    const inLostShard = perShard[LOST_SHARD]!;
    expect(inLostShard).toBeGreaterThan(3 * PAGE); // at least four pages in that shard
    await new Promise((r) => setTimeout(r, 1200)); // past the local safety lag

    const { runExport } = await import('../../functions/export/national-push.ts');
    const { readExceptions, readSentBatches, readWatermarks } = await import('#adapters/export-repo');
    const real = await nationalClient();
    // answers arrive in random order, and the second batch of one shard is never answered
    let lostSeen = 0;
    let lost: string[] = [];
    const flaky: NationalClient = {
      async send(batchId, records) {
        await new Promise((r) => setTimeout(r, Math.random() * 40));
        if (changeShard(records[0]!.key) === LOST_SHARD && ++lostSeen === 2) {
          lost = records.map((r) => r.key);
          throw new NationalUnavailableError('no answer (test)', 5);
        }
        return real.send(batchId, records);
      },
    };
    const first = await runExport({ runId: 'pipeline-1', trigger: 'API', client: flaky, lagMs: 1_000, leaseMs: 60_000, pageSize: PAGE });
    expect(lost).toHaveLength(PAGE);
    expect(first).toMatchObject({ status: 'FAILED', counts: { sent: ids.length, accepted: ids.length - PAGE, held: 0, rejected: 0 } });
    expect(
      (await readSentBatches('pipeline-1'))
        .filter((a) => a.outcome === 'NONE')
        .map((a) => a.recordId)
        .sort(),
    ).toEqual([...lost].sort());

    // that shard's watermark stops just before the first lost record; every other shard is done
    const national = async () => (await p.api('GET', '/local/national/records')).json.records as Array<{ key: string; status: string }>;
    const held = new Set((await national()).map((r) => r.key));
    expect(ids.filter((id) => !held.has(id)).sort()).toEqual([...lost].sort());
    const marks = await readWatermarks();
    const lostMark = marks.get(`legalSubjects#${LOST_SHARD}`)!;
    const behindLost = [...(await readExceptions('legalSubjects', LOST_SHARD)).values()];
    // the lost batch was the shard's second page: the first page is behind the watermark; the pages
    // after the lost one were answered, and keep an ACCEPTED item each so the next run skips them
    expect(behindLost.every((e) => e.outcome === 'ACCEPTED' && e.chgsk > lostMark)).toBe(true);
    expect(behindLost.length).toBe(inLostShard - 2 * PAGE);
    for (const shard of [0, 1, 2, 3, 4, 5, 6, 7].filter((s) => s !== LOST_SHARD)) expect((await readExceptions('legalSubjects', shard)).size).toBe(0);

    const second = await runExport({ runId: 'pipeline-2', trigger: 'API', client: real, lagMs: 1_000, leaseMs: 60_000, pageSize: PAGE });
    expect(second).toMatchObject({ status: 'COMPLETED', counts: { sent: PAGE, accepted: PAGE, skipped: behindLost.length } });
    const after = await national();
    expect(after.map((r) => r.key).sort()).toEqual([...ids].sort());
    expect(after.every((r) => r.status === 'ACTIVE')).toBe(true);
    expect((await readExceptions('legalSubjects', LOST_SHARD)).size).toBe(0);
    expect((await readWatermarks()).get(`legalSubjects#${LOST_SHARD}`)! > lostMark).toBe(true);

    // nothing is left: a third run sends nothing
    const third = await runExport({ runId: 'pipeline-3', trigger: 'API', client: real, lagMs: 1_000, leaseMs: 60_000, pageSize: PAGE });
    expect(third).toMatchObject({ status: 'COMPLETED', counts: { sent: 0 } });
  }, 240_000);
});
