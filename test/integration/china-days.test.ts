/**
 * Calendar decisions — "not in the future", "still inside its publicity period", a repair
 * certificate's date — use the day in China (Asia/Shanghai, UTC+8), not the UTC day. The two differ
 * between 00:00 and 08:00 in Shanghai, when providers' nightly jobs upload. The clock here is set to
 * 17:00 UTC (01:00 the next day in Shanghai) and keeps running.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Catalog } from '#core/catalog';
import { shanghaiDay } from '#core/working-days';
import { columnsFor, companies, rowsFor, toCsv, type Company } from '#local/seed/generate';
import { publishDemoCatalog, startTestPlatform, type TestPlatform } from '../support/platform.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** The next 17:00 UTC: still "today" in UTC, already tomorrow in Shanghai. */
const startOfUtcDay = Math.floor(Date.now() / DAY) * DAY;
const at = startOfUtcDay + 17 * HOUR > Date.now() ? startOfUtcDay + 17 * HOUR : startOfUtcDay + DAY + 17 * HOUR;
const utcToday = new Date(at).toISOString().slice(0, 10);
const chinaToday = shanghaiDay(new Date(at));
const chinaDaysAgo = (n: number) => new Date(Date.parse(`${chinaToday}T00:00:00Z`) - n * DAY).toISOString().slice(0, 10);

let p: TestPlatform;
let catalog: Catalog;
const [A, B] = companies(2, 8810) as [Company, Company];
type Row = Record<string, string>;

async function upload(itemCode: string, fileName: string, data: Row[]) {
  const item = catalog.items.find((i) => i.code === itemCode)!;
  return p.receipt(await p.upload(item.provider, itemCode, fileName, toCsv(columnsFor(item), data)));
}

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
  vi.setSystemTime(at);
  p = await startTestPlatform();
  catalog = await publishDemoCatalog(p);
});

afterAll(async () => {
  await p?.stop();
  vi.useRealTimers();
});

describe('at 01:00 in Shanghai (17:00 UTC the day before)', () => {
  it('runs on a clock where the two days differ', () => {
    expect(chinaToday > utcToday).toBe(true);
  });

  it("accepts a decision dated today in China (tomorrow in UTC), and rejects tomorrow's", async () => {
    const [today, tomorrow] = rowsFor('AMR-PENALTY', catalog, 2, 8811, { subjects: [A], until: chinaToday });
    Object.assign(today!, { decisionDate: chinaToday, effectiveUntil: chinaToday, publicityUntil: '' });
    Object.assign(tomorrow!, { decisionDate: chinaDaysAgo(-1), effectiveUntil: chinaDaysAgo(-1), publicityUntil: '' });
    const receipt = await upload('AMR-PENALTY', 'tonight.csv', [today!, tomorrow!]);
    expect(receipt).toMatchObject({ accepted: 1, rejected: 1 });
    expect(receipt.errors).toEqual([expect.objectContaining({ row: 3, field: 'decisionDate', code: 'CROSS_FIELD' })]);
  });

  it('no longer shows a penalty whose publicity ended yesterday in China (today in UTC)', async () => {
    const [ended, running] = rowsFor('AMR-PENALTY', catalog, 2, 8812, { subjects: [B], until: chinaDaysAgo(30) });
    Object.assign(ended!, { decisionDate: chinaDaysAgo(60), effectiveUntil: chinaDaysAgo(50), publicityUntil: utcToday });
    Object.assign(running!, { decisionDate: chinaDaysAgo(60), effectiveUntil: chinaDaysAgo(50), publicityUntil: chinaToday });
    const receipt = await upload('AMR-PENALTY', 'periods.csv', [ended!, running!]);
    expect(receipt).toMatchObject({ accepted: 2, rejected: 0 });
    const res = await p.api('GET', `/v1/public/publicity?type=PENALTY&q=${B.uscc}`);
    expect(res.status).toBe(200);
    expect(res.json.results.map((r: { fields: Row }) => r.fields.decisionNo)).toEqual([running!.decisionNo]);
  });
});
