/**
 * Every role against the credit-file routes, end to end over HTTP on the running local platform:
 * records go in through uploads as providers send them — a PUBLIC penalty and a GOV_SHARE tax
 * arrears about a company, AUTHORIZED_QUERY social-insurance arrears about a natural person — and
 * each caller gets exactly the status and the records its role allows (docs/domain.md, Who may see what): admin,
 * provider, gov for a declared purpose (and an undeclared one), market, the subject itself, no
 * token and a tampered token. The public search answers without any token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '#core/catalog';
import { maskIdNumber } from '#core/identifiers';
import { columnsFor, companies, persons, rowsFor, toCsv, type Company, type Person } from '#local/seed/generate';
import { publishDemoCatalog, startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
let catalog: Catalog;

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString().slice(0, 10);

const [X, Y] = companies(2, 5150) as [Company, Company];
const [P] = persons(1, 5151) as [Person];

type Row = Record<string, string>;
let penalties: Row[] = [];
let taxArrears: Row[] = [];
let siArrears: Row[] = [];

async function upload(itemCode: string, fileName: string, data: Row[]) {
  const item = catalog.items.find((i) => i.code === itemCode)!;
  const batchId = await p.upload(item.provider, itemCode, fileName, toCsv(columnsFor(item), data));
  return p.receipt(batchId);
}

const legal = (token: string | undefined, params: Record<string, string> = {}, uscc = X.uscc) =>
  p.api('GET', `/v1/subjects/legal/${uscc}?${new URLSearchParams(params)}`, { token });
const natural = (token: string | undefined, params: Record<string, string> = {}, id = P.idNumber) =>
  p.api('GET', `/v1/subjects/natural/${id}?${new URLSearchParams(params)}`, { token });

/** The item codes of the records served, sorted, one per record. */
const items = (res: { json: any }) => (res.json.records as Array<{ item: string }>).map((r) => r.item).sort();

const ALL_LEGAL = ['AMR-PENALTY', 'AMR-PENALTY', 'TAX-ARREARS'];
const PUBLIC_LEGAL = ['AMR-PENALTY', 'AMR-PENALTY'];
const ALL_NATURAL = ['HRSS-SI-ARREARS', 'HRSS-SI-ARREARS'];

/** The token with one character of its signature changed. */
function tampered(token: string): string {
  const last = token.at(-2) === 'A' ? 'B' : 'A';
  return `${token.slice(0, -2)}${last}${token.slice(-1)}`;
}

/** The token with its payload rewritten to claim the admin role, signature kept. */
function forged(token: string): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  for (const key of Object.keys(claims)) if (key.endsWith('role')) claims[key] = 'admin';
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
}

beforeAll(async () => {
  p = await startTestPlatform();
  catalog = await publishDemoCatalog(p);

  penalties = rowsFor('AMR-PENALTY', catalog, 2, 201, { subjects: [X] }).map((r, i) => ({
    ...r,
    decisionDate: daysAgo(30 + i),
    effectiveUntil: daysAgo(10),
    publicityUntil: '',
  }));
  taxArrears = rowsFor('TAX-ARREARS', catalog, 1, 202, { subjects: [X] }).map((r) => ({ ...r, noticeDate: daysAgo(40) }));
  siArrears = rowsFor('HRSS-SI-ARREARS', catalog, 2, 203, { subjects: [P] }).map((r, i) => ({ ...r, determinedDate: daysAgo(50 + i) }));

  const receipts = await Promise.all([
    upload('AMR-PENALTY', 'penalties.csv', penalties),
    upload('TAX-ARREARS', 'tax-arrears.csv', taxArrears),
    upload('HRSS-SI-ARREARS', 'si-arrears.csv', siArrears),
  ]);
  expect(receipts.map((r) => [r.status, r.accepted, r.rejected, r.errors])).toEqual([
    ['COMPLETED', 2, 0, []],
    ['COMPLETED', 1, 0, []],
    ['COMPLETED', 2, 0, []],
  ]);
}, 40_000);

afterAll(async () => {
  await p?.stop();
});

describe('admin', () => {
  it('sees every record of both files, the natural person masked', async () => {
    const token = await p.as('admin');
    const company = await legal(token);
    expect(company.status).toBe(200);
    expect(items(company)).toEqual(ALL_LEGAL);
    expect(company.json.subject).toMatchObject({ type: 'LEGAL', id: X.uscc, name: X.name });

    const person = await natural(token);
    expect(person.status).toBe(200);
    expect(items(person)).toEqual(ALL_NATURAL);
    expect(person.json.subject.id).toBe(maskIdNumber(P.idNumber));
    expect(person.text).not.toContain(P.idNumber);
  });
});

describe('provider', () => {
  it('reads no credit file', async () => {
    const token = await p.as('provider', 'SH-AMR');
    for (const res of [await legal(token), await natural(token)]) {
      expect(res.status).toBe(403);
      expect(res.json.error.code).toBe('FORBIDDEN');
    }
  });
});

describe('gov', () => {
  it('sees PUBLIC records plus the GOV_SHARE items it declared for the purpose', async () => {
    // SH-DRC declared AMR-PENALTY and TAX-ARREARS for FUNDING; SH-EPB only AMR-PENALTY for PENALTY
    const drc = await legal(await p.as('gov', 'SH-DRC'), { purpose: 'FUNDING' });
    expect(drc.status).toBe(200);
    expect(items(drc)).toEqual(ALL_LEGAL);
    const epb = await legal(await p.as('gov', 'SH-EPB'), { purpose: 'PENALTY' });
    expect(epb.status).toBe(200);
    expect(items(epb)).toEqual(PUBLIC_LEGAL);
  });

  it('needs a purpose, and one its unit declared', async () => {
    const token = await p.as('gov', 'SH-EPB');
    const none = await legal(token);
    expect([none.status, none.json.error.code]).toEqual([400, 'PURPOSE_REQUIRED']);
    const undeclared = await legal(token, { purpose: 'FUNDING' });
    expect([undeclared.status, undeclared.json.error.code]).toEqual([403, 'PURPOSE_NOT_DECLARED']);
    expect(undeclared.json.error.message).toContain('SH-EPB');
  });

  it("sees a natural person's AUTHORIZED_QUERY records only under the person's authorisation", async () => {
    const token = await p.as('gov', 'SH-HOUSING');
    const without = await natural(token, { purpose: 'RESIDENCE' });
    expect(without.status).toBe(200);
    expect(items(without)).toEqual([]);

    const subject = await p.token({ role: 'subject', subject: { type: 'NATURAL', id: P.idNumber } });
    const granted = await p.api('POST', '/v1/authorizations', {
      token: subject,
      body: { grantee: 'SH-HOUSING', purpose: 'RESIDENCE', items: ['HRSS-SI-ARREARS'], expiresAt: new Date(Date.now() + 30 * DAY).toISOString() },
    });
    expect(granted.status).toBe(201);
    const withGrant = await natural(token, { purpose: 'RESIDENCE', authorization: granted.json.ref });
    expect(withGrant.status).toBe(200);
    expect(items(withGrant)).toEqual(ALL_NATURAL);
    expect(withGrant.json.subject.id).toBe(maskIdNumber(P.idNumber));
  });
});

describe('market', () => {
  it("sees only a company's PUBLIC records", async () => {
    const res = await legal(await p.as('market', 'CREDIT-AGENCY-1'));
    expect(res.status).toBe(200);
    expect(items(res)).toEqual(PUBLIC_LEGAL);
  });

  it('reads a natural person only with an authorisation', async () => {
    const res = await natural(await p.as('market', 'CREDIT-AGENCY-1'));
    expect([res.status, res.json.error.code]).toEqual([403, 'AUTHORIZATION_REQUIRED']);
  });
});

describe('subject', () => {
  it('reads its own file, everything, its ID number unmasked', async () => {
    const person = await natural(await p.token({ role: 'subject', subject: { type: 'NATURAL', id: P.idNumber } }));
    expect(person.status).toBe(200);
    expect(items(person)).toEqual(ALL_NATURAL);
    expect(person.json.subject.id).toBe(P.idNumber);

    const company = await legal(await p.token({ role: 'subject', subject: { type: 'LEGAL', id: X.uscc } }));
    expect(company.status).toBe(200);
    expect(items(company)).toEqual(ALL_LEGAL);
  });

  it("reads nobody else's file", async () => {
    const person = await p.token({ role: 'subject', subject: { type: 'NATURAL', id: P.idNumber } });
    const other = await p.token({ role: 'subject', subject: { type: 'LEGAL', id: Y.uscc } });
    for (const res of [await legal(person), await natural(other), await legal(other)]) {
      expect([res.status, res.json.error.code]).toEqual([403, 'NOT_YOUR_FILE']);
    }
  });
});

describe('no valid token', () => {
  it('answers 401 without a token, with a tampered one, and with a forged role', async () => {
    const market = await p.as('market', 'CREDIT-AGENCY-1');
    for (const token of [undefined, tampered(market), forged(market), 'not-a-jwt']) {
      const company = await legal(token);
      const person = await natural(token);
      expect([company.status, person.status], String(token)).toEqual([401, 401]);
      expect(company.text).not.toContain('AMR-PENALTY');
      expect(person.text).not.toContain('HRSS-SI-ARREARS');
    }
  });
});

describe('public search', () => {
  it("answers without a token, with the company's PUBLIC penalties only", async () => {
    const byUscc = await p.api('GET', `/v1/public/publicity?${new URLSearchParams({ type: 'PENALTY', q: X.uscc })}`);
    expect(byUscc.status).toBe(200);
    expect((byUscc.json.results as Array<{ fields: Row }>).map((r) => r.fields.decisionNo).sort()).toEqual(penalties.map((r) => r.decisionNo).sort());
    expect(byUscc.text).not.toContain('TAX-ARREARS');

    // a name's middle is a contains scan, one page of the index a request: follow `next` to the end
    const byName: { status: number; json: { results: Array<{ recordId: string }> } } = { status: 200, json: { results: [] } };
    let cursor: string | null = null;
    do {
      const page = await p.api('GET', `/v1/public/publicity?${new URLSearchParams({ type: 'PENALTY', q: X.name.slice(2), ...(cursor ? { cursor } : {}) })}`);
      expect(page.status).toBe(200);
      byName.json.results.push(...page.json.results);
      cursor = page.json.next;
    } while (cursor);
    expect(byName.json.results.map((r: { recordId: string }) => r.recordId).sort()).toEqual(
      byUscc.json.results.map((r: { recordId: string }) => r.recordId).sort(),
    );

    const summary = await p.api('GET', `/v1/public/subjects/${X.uscc}`);
    expect(summary.status).toBe(200);
    expect(summary.json).toMatchObject({ uscc: X.uscc, name: X.name, publicity: { PENALTY: { count: 2 }, LICENSING: { count: 0 } } });
    expect(summary.text).not.toContain('TAX-ARREARS');

    // a natural person is never public
    const person = await p.api('GET', `/v1/public/publicity?${new URLSearchParams({ type: 'PENALTY', q: P.name.length >= 2 ? P.name : `${P.name}某` })}`);
    expect(person.json.results).toEqual([]);
  });
});
