/**
 * Bulk checks (批量核查) and eligibility rules end to end on the local platform: HTTP API → S3 part
 * inputs → SQS fan-out → process-check-part → part results → result files behind a presigned URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Catalog } from '#core/catalog';
import { maskIdNumber } from '#core/identifiers';
import { recordId } from '#core/record-id';
import { columnsFor, companies, persons, rowsFor, toCsv } from '#local/seed/generate';
import { publishDemoCatalog, startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
let catalog: Catalog;

// who has what: penalties (PUBLIC) for one set of companies, tax arrears (GOV_SHARE) for another
const penalised = companies(300, 41);
const taxDebtors = companies(150, 42);
const unknown = companies(1_950, 44);
const drivers = persons(5, 43);
const clean = persons(1, 45)[0]!;
let penaltyRows: Array<Record<string, string>>;
let taxRows: Array<Record<string, string>>;
let drunkRows: Array<Record<string, string>>;

const item = (code: string) => catalog.items.find((i) => i.code === code)!;

beforeAll(async () => {
  p = await startTestPlatform({});
  catalog = await publishDemoCatalog(p);
  penaltyRows = rowsFor('AMR-PENALTY', catalog, 400, 41, { subjects: penalised });
  taxRows = rowsFor('TAX-ARREARS', catalog, 200, 42, { subjects: taxDebtors });
  drunkRows = rowsFor('PSB-DRUNK-DRIVING', catalog, 8, 43, { subjects: drivers });
  const uploads = await Promise.all([
    p.upload('SH-AMR', 'AMR-PENALTY', 'penalties.csv', toCsv(columnsFor(item('AMR-PENALTY')), penaltyRows)),
    p.upload('SH-TAX', 'TAX-ARREARS', 'arrears.csv', toCsv(columnsFor(item('TAX-ARREARS')), taxRows)),
    p.upload('SH-PSB', 'PSB-DRUNK-DRIVING', 'drunk.csv', toCsv(columnsFor(item('PSB-DRUNK-DRIVING')), drunkRows)),
  ]);
  for (const batchId of uploads) expect(await p.receipt(batchId)).toMatchObject({ status: 'COMPLETED', rejected: 0, unlinked: 0 });
});

afterAll(async () => {
  await p?.stop();
});

async function waitForCheck(token: string, checkId: string, timeoutMs = 45_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await p.api('GET', `/v1/checks/${checkId}`, { token });
    expect(res.status).toBe(200);
    if (res.json.status !== 'RUNNING') return res.json;
    if (Date.now() > until) throw new Error(`check ${checkId} still RUNNING: ${res.text}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function download(url: string): Promise<Array<Record<string, string>>> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return parse(await res.text(), { columns: true, bom: true }) as Array<Record<string, string>>;
}

const countBy = (rows: Array<Record<string, string>>, key: string) => {
  const m = new Map<string, number>();
  for (const r of rows) m.set(r[key]!, (m.get(r[key]!) ?? 0) + 1);
  return m;
};

describe('a bulk check of 2,500 companies', () => {
  const invalid = [
    '',
    'ABC',
    '=HYPERLINK("http://evil.example")',
    unknown[0]!.uscc.slice(0, 17) + (unknown[0]!.uscc[17] === '0' ? '1' : '0'), // checksum broken
    drivers[0]!.idNumber, // an ID number where USCCs were asked
  ];
  const invalidIds = Array.from({ length: 100 }, (_, i) => invalid[i % invalid.length]!);
  // interleaved: hits, subjects without negative records, unknown subjects and invalid ids
  const ids: string[] = [];
  const groups = [penalised.map((c) => c.uscc), taxDebtors.map((c) => c.uscc), unknown.map((c) => c.uscc), invalidIds];
  for (let i = 0; ids.length < 2_500; i++) for (const g of groups) if (i < g.length) ids.push(g[i]!);

  it('completes, counts every id, and reports what a query for the same purpose would see', async () => {
    const token = await p.as('gov', 'SH-EPB');
    const started = Date.now();
    const res = await p.api('POST', '/v1/checks', { token, body: { subjectType: 'LEGAL', ids, purpose: 'PENALTY', ref: 'CASE-2026-001' } });
    expect(res.status, res.text).toBe(202);
    expect(res.json).toMatchObject({ checkId: expect.any(String), total: 2_500 });
    const check = await waitForCheck(token, res.json.checkId);

    const penaltiesOf = countBy(penaltyRows, 'partyUscc');
    expect(check).toMatchObject({
      status: 'COMPLETED',
      total: 2_500,
      done: 2_500,
      invalid: 100,
      hitSubjects: penaltiesOf.size,
      negativeRecords: penaltyRows.length,
      resultUrl: expect.stringContaining('result.csv'),
      resultJsonlUrl: expect.stringContaining('result.jsonl'),
      completedAt: expect.any(String),
    });
    expect(Date.now() - started).toBeLessThan(45_000);

    const rows = await download(check.resultUrl);
    expect(rows).toHaveLength(2_500);
    expect(rows.map((r) => Number(r.row))).toEqual(ids.map((_, i) => i + 1));
    const byId = new Map(rows.map((r) => [r.subject, r]));
    for (const c of penalised) {
      const r = byId.get(c.uscc)!;
      const n = penaltiesOf.get(c.uscc) ?? 0;
      expect(r).toMatchObject({ found: n ? 'true' : 'false', negativeRecords: String(n) });
      if (n) expect(r.items.split(';')).toEqual(Array(n).fill('AMR-PENALTY'));
      if (n)
        expect(r.keys.split(';').sort()).toEqual(
          penaltyRows
            .filter((x) => x.partyUscc === c.uscc)
            .map((x) => x.decisionNo)
            .sort(),
        );
    }
    // tax arrears are GOV_SHARE and SH-EPB never declared them for PENALTY: found, but nothing shown
    const taxOf = countBy(taxRows, 'partyUscc');
    for (const c of taxDebtors) expect(byId.get(c.uscc)).toMatchObject({ found: String(taxOf.has(c.uscc)), negativeRecords: '0', items: '', keys: '' });
    for (const c of unknown.slice(0, 100)) expect(byId.get(c.uscc)).toMatchObject({ found: 'false', negativeRecords: '0' });
    expect(rows.some((r) => r.items.includes('TAX-ARREARS'))).toBe(false);

    const bad = rows.filter((r) => r.error);
    expect(bad).toHaveLength(100);
    for (const r of bad) expect(r.error).toMatch(/^INVALID_IDENTIFIER: /);
    // a formula is neutralised, and an ID number never appears unmasked
    expect(bad.some((r) => r.subject.startsWith("'=HYPERLINK"))).toBe(true);
    expect(rows.some((r) => r.subject === drivers[0]!.idNumber)).toBe(false);

    const jsonl = (await (await fetch(check.resultJsonlUrl)).text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(jsonl).toHaveLength(2_500);
    const hit = jsonl.find((l) => l.negativeRecords > 0);
    expect(hit.records[0]).toMatchObject({ recordId: expect.any(String), item: 'AMR-PENALTY', key: expect.any(String) });

    // each checked subject is logged like a query, with the check's id
    const { ddb } = await import('#adapters/clients');
    const logged = await ddb.send(
      new QueryCommand({
        TableName: p.emulators.tables.queryLog,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `SUBJ#LEGAL#${penaltyRows[0]!.partyUscc}` },
      }),
    );
    expect(logged.Items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ checkId: check.checkId, unit: 'SH-EPB', purpose: 'PENALTY', businessRef: 'CASE-2026-001', outcome: 'ALLOWED' }),
      ]),
    );
    const unknownLog = await ddb.send(
      new QueryCommand({
        TableName: p.emulators.tables.queryLog,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `SUBJ#LEGAL#${unknown[5]!.uscc}` },
      }),
    );
    expect(unknownLog.Items).toEqual([expect.objectContaining({ checkId: check.checkId, outcome: 'NOT_FOUND' })]);
    // an invalid id is logged as a refused query, by a hash, never in plaintext
    const { naturalSubjectKey } = await import('#adapters/personal-data');
    const invalidLog = await ddb.send(
      new QueryCommand({
        TableName: p.emulators.tables.queryLog,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `SUBJ#LEGAL#INVALID#${await naturalSubjectKey('ABC')}` },
      }),
    );
    expect(invalidLog.Items).toHaveLength(20); // 'ABC' is every fifth of the 100 invalid ids
    expect(invalidLog.Items![0]).toMatchObject({ checkId: check.checkId, outcome: 'REFUSED', status: 400, subjectLabel: '***' });

    // another unit may not read it; an admin may
    expect((await p.api('GET', `/v1/checks/${check.checkId}`, { token: await p.as('gov', 'SH-DRC') })).status).toBe(403);
    expect((await p.api('GET', `/v1/checks/${check.checkId}`, { token: await p.as('admin') })).json.status).toBe('COMPLETED');
  });

  it('sees GOV_SHARE records of items the unit declared for the purpose, restricted to the items asked', async () => {
    const token = await p.as('gov', 'SH-EPB');
    const ids = [...taxDebtors, ...penalised.slice(0, 50)].map((c) => c.uscc);
    const res = await p.api('POST', '/v1/checks', {
      token,
      body: { subjectType: 'LEGAL', ids, purpose: 'ADMIN_APPROVAL', items: ['TAX-ARREARS'], ref: 'CASE-2026-002' },
    });
    expect(res.status, res.text).toBe(202);
    const check = await waitForCheck(token, res.json.checkId);
    expect(check).toMatchObject({
      status: 'COMPLETED',
      total: 200,
      done: 200,
      invalid: 0,
      hitSubjects: countBy(taxRows, 'partyUscc').size,
      negativeRecords: taxRows.length,
    });
  });

  it('checks natural persons by ID number and masks them in the result', async () => {
    const token = await p.as('gov', 'SH-HOUSING');
    const ids = [...drivers.map((d) => d.idNumber), clean.idNumber];
    const res = await p.api('POST', '/v1/checks', { token, body: { subjectType: 'NATURAL', ids, purpose: 'RESIDENCE', ref: 'CASE-2026-003' } });
    expect(res.status, res.text).toBe(202);
    const check = await waitForCheck(token, res.json.checkId);
    const drunkOf = countBy(drunkRows, 'personIdNo');
    expect(check).toMatchObject({ status: 'COMPLETED', total: 6, hitSubjects: drunkOf.size, negativeRecords: drunkRows.length });
    const rows = await download(check.resultUrl);
    expect(rows.map((r) => r.subject)).toEqual(ids.map(maskIdNumber));
    expect(rows.at(-1)).toMatchObject({ found: 'false', negativeRecords: '0' });
  });

  it('a part that fails on its last allowed receive ends the check FAILED with the reason', async () => {
    const { createCheck, newCheck } = await import('../../functions/checks/check-repo.ts');
    const { handler } = await import('../../functions/checks/process-check-part.ts');
    const { lambdaContext } = await import('#local/lambda-context');
    // a check whose part input is missing: every attempt fails
    const checkId = `broken-${Date.now()}`;
    await createCheck(
      newCheck({
        checkId,
        subjectType: 'LEGAL',
        purpose: 'PENALTY',
        items: null,
        ref: null,
        role: 'gov',
        unit: 'SH-EPB',
        sub: 'test',
        total: 3,
        partSize: 1_000,
        partCount: 1,
        createdAt: new Date().toISOString(),
      }),
    );
    const event = (receives: number) => ({
      Records: [
        {
          messageId: `m${receives}`,
          receiptHandle: 'r',
          body: JSON.stringify({ checkId, part: 0, partCount: 1 }),
          attributes: { ApproximateReceiveCount: String(receives), SentTimestamp: '0', SenderId: 'test', ApproximateFirstReceiveTimestamp: '0' },
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:cn-north-1:000000000000:checkParts',
          awsRegion: 'cn-north-1',
        },
      ],
    });
    const token = await p.as('gov', 'SH-EPB');
    // an early attempt fails and is retried (a batch of one failing record fails whole)
    await expect(handler(event(1), lambdaContext('processCheckPart'))).rejects.toThrow();
    expect((await p.api('GET', `/v1/checks/${checkId}`, { token })).json.status).toBe('RUNNING');
    expect(await handler(event(5), lambdaContext('processCheckPart'))).toEqual({ batchItemFailures: [] });
    const failed = (await p.api('GET', `/v1/checks/${checkId}`, { token })).json;
    expect(failed).toMatchObject({ status: 'FAILED', reason: expect.stringMatching(/^part 1 of 1 failed 5 times: /), resultUrl: null });
  });

  it('refuses a purpose the unit never declared, oversized lists and other roles', async () => {
    const token = await p.as('gov', 'SH-EPB');
    const undeclared = await p.api('POST', '/v1/checks', { token, body: { subjectType: 'LEGAL', ids: [penalised[0]!.uscc], purpose: 'FUNDING', ref: 'C-1' } });
    expect(undeclared.status).toBe(403);
    expect(undeclared.json.error.code).toBe('PURPOSE_NOT_DECLARED');
    const tooMany = await p.api('POST', '/v1/checks', { token, body: { subjectType: 'LEGAL', ids: Array(100_001).fill('x'), purpose: 'PENALTY', ref: 'C-1' } });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.error.code).toBe('VALIDATION_FAILED');
    const noPurpose = await p.api('POST', '/v1/checks', { token, body: { subjectType: 'LEGAL', ids: ['x'], ref: 'C-1' } });
    expect(noPurpose.status).toBe(400);
    const noRef = await p.api('POST', '/v1/checks', {
      token,
      body: { subjectType: 'LEGAL', ids: ['x'], purpose: 'PENALTY' },
      headers: { 'accept-language': 'en' },
    });
    expect(noRef.status).toBe(400);
    expect(noRef.json.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringMatching(/ref \(the case reference the check serves\) is required/),
    });
    const wrongItem = await p.api('POST', '/v1/checks', {
      token,
      body: { subjectType: 'LEGAL', ids: ['x'], purpose: 'PENALTY', items: ['PSB-DRUNK-DRIVING'], ref: 'C-1' },
    });
    expect(wrongItem.json.error.code).toBe('UNKNOWN_ITEM');
    const market = await p.api('POST', '/v1/checks', {
      token: await p.as('market', 'SH-CREDIT-AGENCY'),
      body: { subjectType: 'LEGAL', ids: ['x'], purpose: 'PENALTY', ref: 'C-1' },
    });
    expect(market.status).toBe(403);
    expect((await p.api('GET', '/v1/checks/no-such-check', { token })).status).toBe(404);
  });
});

describe('reading many credit files at once', () => {
  it('reads each partition whole and in key order, 50 partitions a request, as a Query of each would', async () => {
    const { subjectPartition, subjectPartitions } = await import('#adapters/subject-repo');
    // 130 companies (three statements), the penalised ones holding one to several records, named twice over
    const keys = [...penalised.slice(0, 90), ...unknown.slice(0, 40)].map((c) => c.uscc);
    const many = await subjectPartitions('legalSubjects', [...keys, ...keys.slice(0, 10)]);
    expect([...many.keys()]).toEqual(keys);
    const counts: number[] = [];
    for (const key of keys) {
      const one = await subjectPartition('legalSubjects', key);
      expect(many.get(key), key).toEqual(one);
      counts.push(one.records.length);
    }
    // files with several records, and files with none, were among them
    expect(Math.max(...counts)).toBeGreaterThan(1);
    expect(counts.filter((n) => n === 0).length).toBeGreaterThanOrEqual(40);
  });
});

describe('eligibility (信用状况良好)', () => {
  it('NEV_PURCHASE: a person with a drunk-driving record is not eligible, a clean one is', async () => {
    const drunk = drunkRows[0]!.personIdNo!;
    const expected = drunkRows.filter((r) => r.personIdNo === drunk).map((r) => recordId('SH-PSB', 'PSB-DRUNK-DRIVING', r.decisionNo!));
    const token = await p.as('gov', 'SH-ECONOMY');
    const res = await p.api('POST', '/v1/eligibility', { token, body: { ruleSet: 'NEV_PURCHASE', ids: [drunk, clean.idNumber, '123'], purpose: 'FUNDING' } });
    expect(res.status, res.text).toBe(200);
    const [bad, good, invalid] = res.json.results;
    expect(bad).toMatchObject({ id: maskIdNumber(drunk), eligible: false, found: true });
    expect(bad.reasons.map((r: { recordId: string }) => r.recordId).sort()).toEqual(expected.sort());
    expect(bad.reasons.every((r: { item: string }) => r.item === 'PSB-DRUNK-DRIVING')).toBe(true);
    expect(good).toMatchObject({ id: maskIdNumber(clean.idNumber), eligible: true, reasons: [], found: false });
    expect(invalid).toMatchObject({ eligible: null, error: { code: 'INVALID_IDENTIFIER' } });
    // authorised-query items need the person's authorisation, which a bulk call never carries
    expect(res.json.uncheckedItems.sort()).toEqual(['HRSS-SI-ARREARS', 'TAX-PERSONAL-ARREARS', 'TRANSPORT-FARE-EVASION']);
    expect(res.json.summary).toEqual({ subjects: 3, eligible: 1, ineligible: 1, notEvaluated: 1 });

    const admin = await p.api('POST', '/v1/eligibility', { token: await p.as('admin'), body: { ruleSet: 'NEV_PURCHASE', ids: [drunk] } });
    expect(admin.json.results[0]).toMatchObject({ eligible: false });
    expect(admin.json.uncheckedItems).toEqual([]);
  });

  it('a unit that never declared drunk driving for its purpose does not see it', async () => {
    const drunk = drunkRows[0]!.personIdNo!;
    const res = await p.api('POST', '/v1/eligibility', {
      token: await p.as('gov', 'SH-CIVIL-AFFAIRS'),
      body: { ruleSet: 'NEV_PURCHASE', ids: [drunk], purpose: 'HONOURS' },
    });
    expect(res.status).toBe(200);
    expect(res.json.results[0]).toMatchObject({ eligible: true });
    expect(res.json.uncheckedItems).toContain('PSB-DRUNK-DRIVING');
  });

  it('refuses unknown rule sets, ids of the wrong subject type and undeclared purposes', async () => {
    const token = await p.as('gov', 'SH-ECONOMY');
    const unknownSet = await p.api('POST', '/v1/eligibility', { token, body: { ruleSet: 'NO_SUCH_RULE', ids: [clean.idNumber], purpose: 'FUNDING' } });
    expect(unknownSet.status).toBe(404);
    const mismatch = await p.api('POST', '/v1/eligibility', {
      token,
      body: { ruleSet: 'NEV_PURCHASE', ids: [penalised[0]!.uscc], purpose: 'FUNDING', ref: 'C-1' },
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.json.error.code).toBe('SUBJECT_TYPE_MISMATCH');
    const undeclared = await p.api('POST', '/v1/eligibility', { token, body: { ruleSet: 'NEV_PURCHASE', ids: [clean.idNumber], purpose: 'RESIDENCE' } });
    expect(undeclared.status).toBe(403);
    expect(undeclared.json.error.code).toBe('PURPOSE_NOT_DECLARED');
  });
});
