/**
 * Per-unit daily query budgets on the local emulators: a unit's budget comes from the units
 * register; credit-file queries cost 1 and bulk checks 1 per id, charged by one conditional write;
 * past the budget the answer is 429 QUERY_BUDGET_EXCEEDED (Chinese by default) and nothing is
 * counted; parallel requests never overshoot. The volume watch flags a unit whose day passes
 * max(5 × its 30-day median, 1,000), reading only the counters of units that queried.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { daysBefore } from '#core/query-budget';
import { shanghaiDay } from '#core/working-days';
import { makeIdNumber } from '#local/seed/generate';
import { demoUnits } from '#local/seed';
import { unusualUnits } from '../../functions/housekeeping/query-volume-watch.ts';
import { publishDemoCatalog, startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
let ddb: DynamoDBDocumentClient;
let table: string;

beforeAll(async () => {
  p = await startTestPlatform();
  await publishDemoCatalog(p);
  table = p.emulators.tables.queryBudgets;
  ddb = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: 'cn-north-1', endpoint: p.emulators.dynamoEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  );
});

afterAll(async () => {
  ddb?.destroy();
  await p?.stop();
});

const counter = async (unit: string, day: string) => (await ddb.send(new GetCommand({ TableName: table, Key: { pk: `UNIT#${unit}`, sk: day } }))).Item;

describe('per-unit daily query budgets', () => {
  it("refuses a unit's queries past its register budget with 429 and a Chinese message, never overshooting under parallel requests", async () => {
    const admin = await p.as('admin');
    const housing = demoUnits().find((u) => u.code === 'SH-HOUSING')!;
    const { code, ...body } = housing;
    expect((await p.api('PUT', `/v1/units/${code}`, { token: admin, body: { ...body, dailyQueryBudget: 5 } })).status).toBe(200);

    const gov = await p.as('gov', code);
    const today = shanghaiDay(new Date());
    // a bulk check costs one per id: 2 of the 5
    const check = (ids: string[], ref: string) => p.api('POST', '/v1/checks', { token: gov, body: { subjectType: 'NATURAL', ids, purpose: 'RESIDENCE', ref } });
    const first = await check([makeIdNumber(950), makeIdNumber(951)], 'BUDGET-1');
    expect(first.status, first.text).toBe(202);
    expect(await counter(code, today)).toMatchObject({ n: 2, budget: 5, daypk: `DAY#${today}`, daysk: code });

    // 8 queries at once for the 3 left: exactly 3 answered, whatever the order
    const query = (i: number, headers?: Record<string, string>) =>
      p.api('GET', `/v1/subjects/natural/${makeIdNumber(900 + i)}?purpose=RESIDENCE`, { token: gov, headers });
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => query(i)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 429, 429, 429, 429, 429]);
    const refused = answers.find((a) => a.status === 429)!;
    expect(refused.json.error.code).toBe('QUERY_BUDGET_EXCEEDED');
    expect(refused.json.error.message).toMatch(/每日限额 5 次/);
    expect((await counter(code, today))?.n).toBe(5);

    // in English on request; a check of 2 more ids is refused whole and counts nothing
    const en = await query(20, { 'accept-language': 'en' });
    expect([en.status, en.json.error.code]).toEqual([429, 'QUERY_BUDGET_EXCEEDED']);
    expect(en.json.error.message).toMatch(/daily query budget of 5/);
    const second = await check([makeIdNumber(952), makeIdNumber(953)], 'BUDGET-2');
    expect([second.status, second.json.error.code]).toEqual([429, 'QUERY_BUDGET_EXCEEDED']);
    expect((await counter(code, today))?.n).toBe(5);
    // other units are untouched: on the default budget, nothing counted
    expect(await counter('SH-EPB', today)).toBeUndefined();
  }, 120_000);

  it('flags a unit whose day passes 5x its 30-day median (and 1,000), and not a unit within its habit', async () => {
    const day = '2026-11-30';
    const put = (unit: string, d: string, n: number) =>
      ddb.send(new PutCommand({ TableName: table, Item: { pk: `UNIT#${unit}`, sk: d, n, daypk: `DAY#${d}`, daysk: unit, budget: 200_000 } }));
    const window = daysBefore(day, 30);
    for (const d of window) {
      await put('HABIT-LOW', d, 100); // median 100: 1,500 is unusual (threshold 1,000 by the floor)
      await put('HABIT-HIGH', d, 400); // median 400: threshold 2,000
    }
    // HABIT-SPARSE queried on 10 of the 30 days: median 0, so only the floor applies
    for (const d of window.slice(0, 10)) await put('HABIT-SPARSE', d, 5_000);
    await put('HABIT-LOW', day, 1_500);
    await put('HABIT-HIGH', day, 1_500);
    await put('HABIT-SPARSE', day, 999);
    await put('HABIT-NEW', day, 1_001);
    const found = await unusualUnits([day]);
    expect(found.map((u) => u.unit).sort()).toEqual(['HABIT-LOW', 'HABIT-NEW']);
    expect(found.find((u) => u.unit === 'HABIT-LOW')).toMatchObject({ used: 1_500, median: 100, threshold: 1_000, anomalous: true });
  }, 60_000);
});
