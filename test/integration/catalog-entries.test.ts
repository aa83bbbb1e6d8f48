/**
 * The catalog stored entry by entry (issue 16 part 2): items read by key and paged, a publish
 * writes only the entries that changed, readers see one version at a time, GET /v1/catalog inline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '#core/catalog';
import { demoCatalog, startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
let admin: string;
const base = demoCatalog();

beforeAll(async () => {
  p = await startTestPlatform();
  admin = await p.as('admin');
  const res = await p.api('PUT', '/v1/catalog', { token: admin, body: base });
  expect(res.status).toBe(201);
});

afterAll(async () => {
  await p?.stop();
});

describe('catalog per item', () => {
  it('answers one item by code, as in the document; an unknown code is 404 UNKNOWN_ITEM', async () => {
    const gov = await p.as('gov', 'SH-EPB');
    const res = await p.api('GET', '/v1/catalog/items/AMR-PENALTY', { token: gov });
    expect(res.status).toBe(200);
    expect(res.json).toEqual(base.items.find((i) => i.code === 'AMR-PENALTY'));
    const missing = await p.api('GET', '/v1/catalog/items/NO-SUCH-ITEM', { token: gov });
    expect([missing.status, missing.json.error.code]).toEqual([404, 'UNKNOWN_ITEM']);
  });

  it('pages every item in code order and filters by provider, subject type, class and text', async () => {
    const token = await p.as('admin');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; json: any } = await p.api('GET', `/v1/catalog/items?limit=5${cursor ? `&cursor=${cursor}` : ''}`, { token });
      expect(res.status).toBe(200);
      expect(res.json.items.length).toBeLessThanOrEqual(5);
      seen.push(...res.json.items.map((i: { code: string }) => i.code));
      cursor = res.json.next;
    } while (cursor);
    expect(seen).toEqual(base.items.map((i) => i.code).sort());

    const amr = await p.api('GET', '/v1/catalog/items?provider=SH-AMR&limit=500', { token });
    expect(amr.json.items.map((i: { code: string }) => i.code)).toEqual(
      base.items
        .filter((i) => i.provider === 'SH-AMR')
        .map((i) => i.code)
        .sort(),
    );
    const natural = await p.api('GET', '/v1/catalog/items?subjectType=NATURAL&limit=500', { token });
    expect(natural.json.items.map((i: { code: string }) => i.code)).toEqual(
      base.items
        .filter((i) => i.subjectType === 'NATURAL')
        .map((i) => i.code)
        .sort(),
    );
    const penalty = await p.api('GET', '/v1/catalog/items?q=penalty&limit=500', { token });
    expect(penalty.json.items.map((i: { code: string }) => i.code)).toEqual(
      base.items
        .filter((i) => /penalty/i.test(i.code) || /penalty/i.test(i.name))
        .map((i) => i.code)
        .sort(),
    );
    const tooMany = await p.api('GET', '/v1/catalog/items?limit=501', { token });
    expect(tooMany.status).toBe(400);
  });

  it('looks up to 100 items up by key (codes=), signed in and public; unknown codes are left out, bad lookups are 400', async () => {
    const token = await p.as('gov', 'SH-EPB');
    const wanted = base.items.slice(0, 3).map((i) => i.code);
    const codes = [wanted[2], 'NO-SUCH-ITEM', wanted[0], wanted[1], wanted[0]].join(',');
    const expected = wanted
      .slice()
      .sort()
      .map((c) => base.items.find((i) => i.code === c));
    const signedIn = await p.api('GET', `/v1/catalog/items?codes=${codes}`, { token });
    expect([signedIn.status, signedIn.json]).toEqual([200, { items: expected, next: null }]);
    const anonymous = await p.api('GET', `/v1/public/catalog/items?codes=${codes}`);
    expect([anonymous.status, anonymous.json]).toEqual([200, { items: expected, next: null }]);

    const hundredAndOne = Array.from({ length: 101 }, (_, n) => `X-${n}`).join(',');
    for (const bad of [hundredAndOne, 'ok,lower-case', `${wanted[0]}&limit=5`, `${wanted[0]}&q=penalty`, ',']) {
      const res = await p.api('GET', `/v1/catalog/items?codes=${bad}`, { token });
      expect([bad, res.status, res.json.error.code]).toEqual([bad, 400, 'VALIDATION_FAILED']);
    }
    // exactly 100 distinct codes is one lookup
    const hundred = Array.from({ length: 99 }, (_, n) => `X-${n}`)
      .concat(wanted[0]!)
      .join(',');
    const full = await p.api('GET', `/v1/catalog/items?codes=${hundred}`, { token });
    expect(full.json.items.map((i: { code: string }) => i.code)).toEqual([wanted[0]]);
  });

  it('GET /v1/catalog answers a small catalog inline with its counts', async () => {
    const res = await p.api('GET', '/v1/catalog', { token: admin });
    expect(res.status).toBe(200);
    expect(res.json.catalog.items).toHaveLength(base.items.length);
    expect(res.json.counts).toMatchObject({ items: base.items.length, providers: base.providers.length, behaviours: base.behaviours!.length });
  });

  it('a new version rewrites only the entries that changed; removed items are gone; history is kept', async () => {
    const next: Catalog = structuredClone(base);
    next.version = `${base.version}-b`;
    const changed = next.items.find((i) => i.code === 'AMR-PENALTY')!;
    changed.name = `${changed.name}（修订）`;
    // an item added in this version and removed in the next
    const added = {
      ...structuredClone(changed),
      code: 'AMR-EXTRA',
      name: '临时信息项',
      fields: structuredClone(base.items.find((i) => i.code === 'AMR-PENALTY')!.fields),
    };
    next.items.push(added);
    expect((await p.api('PUT', '/v1/catalog', { token: admin, body: next })).status).toBe(201);
    const third: Catalog = { ...structuredClone(next), version: `${base.version}-c`, items: next.items.filter((i) => i.code !== added.code) };
    const dropped = added;
    const res = await p.api('PUT', '/v1/catalog', { token: admin, body: third });
    expect(res.status).toBe(201);
    const { ddb } = await import('#adapters/clients');
    const { GetCommand, QueryCommand } = await import('@aws-sdk/lib-dynamodb');
    const TableName = p.emulators.tables.catalog;
    const head = async (code: string) => (await ddb.send(new GetCommand({ TableName, Key: { pk: 'HEAD#items', sk: code } }))).Item!;
    const pointer = (await ddb.send(new GetCommand({ TableName, Key: { pk: 'CATALOG', sk: 'CURRENT' } }))).Item!;
    const untouched = base.items.find((i) => i.code !== changed.code && i.code !== dropped.code)!;
    expect((await head(changed.code)).seq).toBe(pointer.seq - 1);
    expect((await head(untouched.code)).seq).toBe(pointer.seq - 2);
    const gone = await head(dropped.code);
    expect([gone.seq, gone.doc]).toEqual([pointer.seq, undefined]);
    const history = await ddb.send(
      new QueryCommand({ TableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `HIST#items#${changed.code}` } }),
    );
    expect(history.Items!.map((h) => h.version)).toEqual([base.version, next.version]);
    const droppedHistory = await ddb.send(
      new QueryCommand({ TableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `HIST#items#${dropped.code}` } }),
    );
    expect(droppedHistory.Items!.map((h) => [h.version, h.gone ?? false])).toEqual([
      [next.version, false],
      [third.version, true],
    ]);

    const token = await p.as('admin');
    expect((await p.api('GET', `/v1/catalog/items/${dropped.code}`, { token })).status).toBe(404);
    expect((await p.api('GET', `/v1/catalog/items/${changed.code}`, { token })).json.name).toBe(changed.name);
    const listed = await p.api('GET', '/v1/catalog/items?limit=500', { token });
    expect(listed.json.items.map((i: { code: string }) => i.code)).not.toContain(dropped.code);
    const whole = await p.api('GET', '/v1/catalog', { token });
    expect(whole.json.version).toBe(third.version);
    expect(whole.json.catalog.items).toHaveLength(base.items.length);
  });

  it('a reader whose version is older than a publish under way still sees its own version of a changed entry', async () => {
    const { catalogEntries, catalogPointer } = await import('#adapters/catalog-repo');
    const { ddb } = await import('#adapters/clients');
    const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
    const pointer = (await catalogPointer({ fresh: true }))!;
    const code = 'AMR-LICENSING';
    const before = (await catalogEntries('items', [code])).get(code)!;
    // a publish that has written this head (seq ahead of the pointer) but not yet moved the pointer
    await ddb.send(
      new UpdateCommand({
        TableName: p.emulators.tables.catalog,
        Key: { pk: 'HEAD#items', sk: code },
        UpdateExpression: 'SET prevSeq = #s, prevDoc = #d, #s = :s, #d = :d',
        ExpressionAttributeNames: { '#s': 'seq', '#d': 'doc' },
        ExpressionAttributeValues: { ':s': pointer.seq + 1, ':d': JSON.stringify({ ...before, name: 'not yet' }) },
      }),
    );
    await catalogPointer({ fresh: true });
    expect((await catalogEntries('items', [code])).get(code)!.name).toBe(before.name);
  });
});
