/**
 * Personal data at rest and in logs: after natural-person ingests (18-digit, legacy 15-digit and
 * full-width ID numbers, ID-typed fields, legal representatives, rejected rows), a bulk check of
 * natural persons and the rejection CSVs, no table item, no S3 object the platform wrote (raw
 * uploads, rejection files, check inputs, parts and results) holds a resident ID number in
 * plaintext, no log line holds one or a bearer token, and no token the runtime issued (to providers,
 * units, admins and the persons themselves, who read their files, take their reports and object)
 * carries one — also after the national export opened the sealed numbers of double-publicity
 * penalties (a serious one copied to the legal representative, then withdrawn on the person's
 * objection) to send them. The figures go to docs/reliability.md.
 */
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { TABLES, type TableName } from '#lib/platform';
import type { Catalog } from '#core/catalog';
import { id15to18, validateIdNumber, validateRegNo } from '#core/identifiers';
import { columnsFor, rowsFor, toCsv } from '#local/seed/generate';
import type { LocalIssuer } from '#local/local-auth';
import { publishDemoCatalog, startTestPlatform, type TestPlatform } from '../support/platform.ts';
import { scanTable } from '../support/tables.ts';

// every log line of the pipeline, from DEBUG up: set before the logger exists, since Powertools
// returns to the initial level at each invocation
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
});

let p: TestPlatform;
let catalog: Catalog;
/** Every token the local issuer signs, through POST /local/token or the runtime's token() alike. */
let issued: MockInstance<LocalIssuer['sign']>;
const logLines: string[] = [];
const tokens: string[] = [];
const figures: string[] = [];

beforeAll(async () => {
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void logLines.push(args.map(String).join(' ')));
  }
  p = await startTestPlatform();
  issued = vi.spyOn(p.issuer, 'sign');
  catalog = await publishDemoCatalog(p);
});

afterAll(async () => {
  await p?.stop();
  vi.restoreAllMocks();
});

const FULL_WIDTH_OFFSET = 0xfee0;
const fullWidth = (s: string) => s.replace(/[0-9X]/g, (c) => String.fromCharCode(c.charCodeAt(0) + FULL_WIDTH_OFFSET));
/** The legacy 15-digit form of an 18-digit number born in the 1900s. */
const to15 = (id: string) => id.slice(0, 6) + id.slice(8, 17);

/** Every string inside a value, recursively (DynamoDB items hold maps, lists and sets). */
function* strings(v: unknown): Generator<string> {
  if (typeof v === 'string') yield v;
  else if (v instanceof Set || Array.isArray(v)) for (const x of v) yield* strings(x);
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      yield k;
      yield* strings(x);
    }
}

const DIGIT_RUN = /(?<![0-9A-Za-z])(?:\d{17}[\dX]|\d{15})(?![0-9A-Za-z])/g;

/** ID numbers found in text: any of the uploaded ones, or any digit run that is a valid resident ID. */
function idNumbersIn(text: string, uploaded: Set<string>): string[] {
  const found = [...uploaded].filter((id) => text.includes(id));
  for (const [run] of text.matchAll(DIGIT_RUN)) {
    const valid = validateIdNumber(run).ok && (run.length === 18 || !validateRegNo(run).ok);
    if (valid) found.push(run);
  }
  return found;
}

describe('natural-person data', () => {
  it('never rests in any table in plaintext, and never reaches a log line', async () => {
    const uploaded = new Set<string>();
    const upload = async (itemCode: string, rows: Array<Record<string, string>>, extra: string[] = []) => {
      const item = catalog.items.find((i) => i.code === itemCode)!;
      for (const r of rows)
        for (const v of Object.values(r))
          if (/^[\dX０-９Ｘ]{15,18}$/.test(v)) uploaded.add(v.replace(/[０-９Ｘ]/g, (c) => String.fromCharCode(c.charCodeAt(0) - FULL_WIDTH_OFFSET)));
      const token = await p.as('provider', item.provider);
      tokens.push(token);
      return p.receipt(await p.upload(item.provider, itemCode, `${itemCode}.csv`, toCsv([...columnsFor(item), ...extra], rows)));
    };

    const arrears = rowsFor('HRSS-SI-ARREARS', catalog, 30, 301);
    for (const r of arrears.slice(0, 5)) r.personIdNo = to15(r.personIdNo!); // legacy numbers
    for (const r of arrears.slice(5, 8)) r.personIdNo = fullWidth(r.personIdNo!);
    for (const r of arrears.slice(8, 11)) r.personIdNo = r.personIdNo!.slice(0, 17) + (r.personIdNo!.endsWith('1') ? '2' : '1'); // bad checksum
    expect(arrears.slice(0, 5).every((r) => id15to18(r.personIdNo!).length === 18)).toBe(true);
    const r1 = await upload('HRSS-SI-ARREARS', arrears);
    expect(r1).toMatchObject({ status: 'COMPLETED', rows: 30, rejected: 3 });
    expect(r1.errors.map((e: any) => e.code)).toEqual(['CHECKSUM', 'CHECKSUM', 'CHECKSUM']);

    const drunk = rowsFor('PSB-DRUNK-DRIVING', catalog, 15, 302);
    drunk[0]!.driverLicenceNo = drunk[0]!.driverLicenceNo!.slice(0, 17) + (drunk[0]!.driverLicenceNo!.endsWith('1') ? '2' : '1');
    expect(await upload('PSB-DRUNK-DRIVING', drunk)).toMatchObject({ status: 'COMPLETED', rows: 15, rejected: 1 });
    expect(await upload('COURT-DISHONEST-DEBTOR', rowsFor('COURT-DISHONEST-DEBTOR', catalog, 10, 303))).toMatchObject({ status: 'COMPLETED', rejected: 0 });
    expect(await upload('VOLUNTEER-SERVICE', rowsFor('VOLUNTEER-SERVICE', catalog, 10, 304))).toMatchObject({ status: 'COMPLETED', rejected: 0 });
    const wages = await upload('HRSS-WAGE-ARREARS', rowsFor('HRSS-WAGE-ARREARS', catalog, 10, 305));
    expect(wages).toMatchObject({ status: 'COMPLETED', rejected: 0 });
    // double-publicity penalties the national export opens the sealed numbers of: a serious one
    // naming the legal representative (copied to the person's file), and penalties of persons
    const today = new Date().toISOString().slice(0, 10);
    const food = rowsFor('AMR-FOOD-SAFETY-PENALTY', catalog, 8, 306, { until: today });
    expect(await upload('AMR-FOOD-SAFETY-PENALTY', food)).toMatchObject({ status: 'COMPLETED', rejected: 0 });
    const passengers = rowsFor('TRANSPORT-ILLEGAL-PASSENGER', catalog, 8, 307, { until: today });
    expect(await upload('TRANSPORT-ILLEGAL-PASSENGER', passengers)).toMatchObject({ status: 'COMPLETED', rejected: 0 });
    expect(uploaded.size).toBeGreaterThan(50);
    for (const id of [...uploaded]) if (id.length === 15) uploaded.add(id15to18(id));

    // the representatives' copies exist, so the natural table is not trivially clean
    const natural = await scanTable(p, 'naturalSubjects');
    expect(natural.some((i) => String(i.sk).endsWith('#REP'))).toBe(true);

    // a bulk check of natural persons: its inputs, parts and results land in the work bucket
    const gov = await p.as('gov', 'SH-HOUSING');
    tokens.push(gov);
    const checkIds = arrears.slice(11, 31).map((r) => r.personIdNo!);
    const started = await p.api('POST', '/v1/checks', { token: gov, body: { subjectType: 'NATURAL', ids: checkIds, purpose: 'RESIDENCE', ref: 'PD-SCAN' } });
    expect(started.status, started.text).toBe(202);
    for (let t = Date.now(); ; ) {
      const c = await p.api('GET', `/v1/checks/${started.json.checkId}`, { token: gov });
      if (c.json.status !== 'RUNNING') {
        expect(c.json.status).toBe('COMPLETED');
        break;
      }
      if (Date.now() - t > 120_000) throw new Error('check still running');
      await new Promise((r) => setTimeout(r, 200));
    }
    // the person's own side: a token from POST /local/token (as the console gets one) names the
    // person only by an opaque reference, which still opens the own file, the report and an objection
    const person = arrears[20]!.personIdNo!;
    const minted = await p.api('POST', '/local/token', { body: { role: 'subject', subject: { type: 'NATURAL', id: person } } });
    expect(minted.status).toBe(200);
    const own = await p.api('GET', `/v1/subjects/natural/${person}`, { token: minted.json.token });
    expect(own.status, own.text).toBe(200);
    expect(own.json.subject.id).toBe(person);
    expect(own.json.records.length).toBeGreaterThan(0);
    const objection = await p.api('POST', '/v1/objections', {
      token: minted.json.token,
      body: { recordId: own.json.records[0].recordId, reason: '欠费已补缴' },
    });
    expect(objection.status, objection.text).toBe(201);
    const report = await p.api('GET', '/v1/me/report', {
      token: await p.token({ role: 'subject', subject: { type: 'NATURAL', id: arrears[21]!.personIdNo! } }),
    });
    expect(report.status, report.text).toBe(200);
    // the reference the admin route issues for provisioning a Cognito user opens the same file
    const ref = await p.api('POST', '/v1/subject-refs', { token: await p.as('admin'), body: { type: 'NATURAL', id: person } });
    expect(ref.status, ref.text).toBe(201);
    expect(idNumbersIn(ref.text, uploaded)).toEqual([]);

    // the national export: the plaintext goes to the national platform only (outbox, exception
    // items and the run's logs are scanned below); then the representative objects to the copy of a
    // food-safety penalty, it is deleted, and the next run withdraws it
    const admin = await p.as('admin');
    const exportRun = async () => {
      await new Promise((r) => setTimeout(r, 1200)); // past the local safety lag of 1 s
      const started = await p.api('POST', '/v1/exports/run', { token: admin });
      expect(started.status, started.text).toBe(202);
      for (let t = Date.now(); ; ) {
        const runs = await p.api('GET', '/v1/exports/runs?limit=10', { token: admin });
        const run = runs.json.runs.find((r: { runId: string }) => r.runId === started.json.runId);
        if (run && run.status !== 'RUNNING') return run;
        if (Date.now() - t > 120_000) throw new Error('export run still running');
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    expect(await exportRun()).toMatchObject({ status: 'COMPLETED', accepted: food.length + passengers.length });
    const national = (await p.api('GET', '/local/national/records')).json.records as Array<{ key: string; status: string; fields: Record<string, string> }>;
    expect(national.filter((r) => r.fields.CF_FR_ZJHM && uploaded.has(r.fields.CF_FR_ZJHM))).toHaveLength(food.length);
    const rep = food[0]!.legalRepIdNo!;
    const repToken = await p.token({ role: 'subject', subject: { type: 'NATURAL', id: rep } });
    const repFile = await p.api('GET', `/v1/subjects/natural/${rep}`, { token: repToken });
    const copied = (repFile.json.records as Array<{ recordId: string; via?: unknown }>).find((r) => r.via)!;
    const onCopy = await p.api('POST', '/v1/objections', { token: repToken, body: { recordId: copied.recordId, reason: '本人并非该公司法定代表人' } });
    expect(onCopy.status, onCopy.text).toBe(201);
    expect((await p.api('POST', `/v1/objections/${onCopy.json.objectionId}/remit`, { token: admin, body: { remit: 'PLATFORM' } })).status).toBe(200);
    const deleted = await p.api('POST', `/v1/objections/${onCopy.json.objectionId}/decision`, {
      token: admin,
      body: { outcome: 'DELETED', reasons: '核实后删除' },
    });
    expect(deleted.json.status, deleted.text).toBe('DELETED');
    expect(await exportRun()).toMatchObject({ status: 'COMPLETED', withdrawn: 1 });

    // the rejection CSV, as the provider and as an admin get it: masked for both
    for (const token of [await p.as('provider', 'SH-HRSS'), admin]) {
      const csv = await p.api('GET', `/v1/batches/${r1.batchId}/rejections`, { token });
      expect(csv.status).toBe(200);
      expect(csv.text.split('\n').length).toBeGreaterThan(3);
      expect(idNumbersIn(csv.text, uploaded)).toEqual([]);
      expect(csv.text).toMatch(/\d{6}\*{8}\d{3}[\dX]/);
    }

    const leaks: string[] = [];
    let items = 0;
    for (const table of Object.keys(TABLES) as TableName[]) {
      for (const item of await scanTable(p, table)) {
        items++;
        for (const s of strings(item)) for (const id of idNumbersIn(s, uploaded)) leaks.push(`${table} ${String(item.pk)} ${String(item.sk)}: ${id}`);
      }
    }
    // every object in every bucket of the platform
    const s3 = new S3Client({
      region: 'cn-north-1',
      endpoint: p.emulators.awsEndpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    let objects = 0;
    const prefixes = new Set<string>();
    for (const bucket of Object.values(p.emulators.buckets)) {
      let token: string | undefined;
      do {
        const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
        for (const o of page.Contents ?? []) {
          objects++;
          prefixes.add(`${bucket}/${o.Key!.split('/')[0]}`);
          const text = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key! }))).Body!.transformToString();
          for (const id of idNumbersIn(text, uploaded)) leaks.push(`s3://${bucket}/${o.Key}: ${id}`);
        }
        token = page.NextContinuationToken;
      } while (token);
    }
    s3.destroy();
    expect(leaks).toEqual([]);
    // the raw uploads are gone once their batches completed; rejections and the check remain
    expect([...prefixes].some((x) => x.endsWith('/incoming'))).toBe(false);
    expect([...prefixes].some((x) => x.endsWith('/checks'))).toBe(true);
    expect([...prefixes].some((x) => x.endsWith('/rejections'))).toBe(true);
    figures.push(`tables: ${items} items`, `S3: ${objects} objects`);

    // every token issued during the run, decoded: no ID number in any header or claim
    const jwts = await Promise.all(issued.mock.results.map((r) => r.value as Promise<string>));
    let subjectTokens = 0;
    for (const jwt of jwts) {
      const [header, payload] = jwt
        .split('.')
        .slice(0, 2)
        .map((part) => Buffer.from(part!, 'base64url').toString('utf8'));
      for (const id of idNumbersIn(`${header}\n${payload}`, uploaded)) leaks.push(`token ${payload}: ${id}`);
      const claims = JSON.parse(payload!) as Record<string, unknown>;
      expect(claims).not.toHaveProperty('custom:subject_id');
      if (claims['custom:subject_ref']) subjectTokens++;
    }
    expect(leaks).toEqual([]);
    expect(subjectTokens).toBeGreaterThanOrEqual(2);
    figures.push(`tokens: ${jwts.length} (${subjectTokens} of persons)`);

    // the subject's own file still shows the number masked, so the data is there, only sealed
    const first = arrears[20]!.personIdNo!;
    const file = await p.api('GET', `/v1/subjects/natural/${first}`, { token: await p.as('admin') });
    expect(file.json.subject.id).toBe(`${first.slice(0, 6)}********${first.slice(14)}`);

    expect(logLines.length).toBeGreaterThan(0);
    const logs = logLines.join('\n');
    expect(idNumbersIn(logs, uploaded)).toEqual([]);
    for (const t of tokens) expect(logs).not.toContain(t.split('.')[2]);
    figures.push(`log lines: ${logLines.length}`, `ID numbers uploaded: ${uploaded.size}`, 'plaintext found: 0');
    process.stderr.write(`personal-data scan: ${figures.join(', ')}\n`);
  }, 300_000); // seven uploads, two export runs, a check and a scan of everything, on a machine shared by many test runs
});

describe('the logger', () => {
  it('masks ID numbers and drops tokens in messages, attributes, nested objects and errors', async () => {
    const { logger } = await import('#adapters/powertools');
    const token = await p.as('admin');
    logLines.length = 0;
    logger.error('row 3 names 11010519491231002X and legacy 110105491231002', {
      authorization: `Bearer ${token}`,
      header: `Bearer ${token}`,
      nested: { list: [{ personIdNo: '11010519491231002X' }], note: `copied ${token}` },
      err: new Error('cannot link 11010519491231002X'),
      uscc: '91310115MA1K3BTP2B',
    });
    const line = logLines.join('\n');
    expect(line).not.toContain('11010519491231002X');
    expect(line).not.toContain('110105491231002');
    expect(line).not.toContain(token.split('.')[1]);
    expect(line).toContain('110105********002X');
    expect(line).toContain('91310115MA1K3BTP2B'); // a company code is not personal data
    expect(line).toContain('[REDACTED]');
  });
});
