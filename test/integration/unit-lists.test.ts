/**
 * Units' own lists end to end (issue 16 part 4) on the local platform: a provider drafts changes to
 * its items, submits; the credit centre reads the diff and the dry run (records under a changed
 * item, fields that would reject accepted rows, references to a removed item, every problem with the
 * catalog's labels), returns with comments, the unit fixes and resubmits, a comment period holds the
 * approval back, the approval publishes only that unit's entries; two approvals at once publish once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Catalog, InfoItem } from '#core/catalog';
import { columnsFor, companies, rowsFor, toCsv } from '#local/seed/generate';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { publishDemoCatalog, startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
let catalog: Catalog;
let admin: string;
let water: string;

const company = companies(1, 5151)[0]!;

async function ddb() {
  return (await import('#adapters/clients')).ddb;
}

/** The head row of an entry as stored (its publish seq tells whether a publish rewrote it). */
async function head(section: string, key: string) {
  const out = await (await ddb()).send(new GetCommand({ TableName: p.emulators.tables.catalog, Key: { pk: `HEAD#${section}`, sk: key } }));
  return out.Item;
}

const itemOf = (code: string) => structuredClone(catalog.items.find((i) => i.code === code)!) as InfoItem;
const put = (unit: string, token: string, section: string, key: string, body: unknown) =>
  p.api('PUT', `/v1/lists/${unit}/entries/${section}/${encodeURIComponent(key)}`, { token, body });

beforeAll(async () => {
  p = await startTestPlatform();
  catalog = await publishDemoCatalog(p);
  admin = await p.as('admin');
  water = await p.as('provider', 'SH-WATER');
  // records under WATER-ARREARS: the dry run counts them
  const item = catalog.items.find((i) => i.code === 'WATER-ARREARS')!;
  const rows = rowsFor('WATER-ARREARS', catalog, 3, 11, { subjects: [company] }).map((r) => ({ ...r, determinedDate: '2025-06-10' }));
  const batchId = await p.upload('SH-WATER', 'WATER-ARREARS', 'water.csv', toCsv(columnsFor(item), rows));
  expect(await p.receipt(batchId)).toMatchObject({ status: 'COMPLETED', accepted: 3 });
});

afterAll(async () => {
  await p?.stop();
});

describe("a unit's own list", () => {
  it('a unit edits only its own list and only the sections its role keeps; bad entries are refused with every problem', async () => {
    const amr = itemOf('AMR-PENALTY');
    const other = await put('SH-AMR', water, 'items', 'AMR-PENALTY', amr);
    expect([other.status, other.json.error.code]).toEqual([403, 'NOT_YOUR_UNIT_LIST']);
    const stolen = await put('SH-WATER', water, 'items', 'AMR-PENALTY', amr);
    expect([stolen.status, stolen.json.error.code]).toEqual([400, 'INVALID_LIST_ENTRY']);
    expect(stolen.json.error.details.map((d: { code: string }) => d.code)).toEqual(['NOT_YOUR_ENTRY']);
    const matter = await put('SH-WATER', water, 'matters', 'M-1', { code: 'M-1' });
    expect([matter.status, matter.json.error.code]).toEqual([403, 'SECTION_NOT_YOURS']);
    const broken = await put('SH-WATER', water, 'items', 'WATER-X', { ...itemOf('WATER-ARREARS'), code: 'WATER-Y', fields: [] });
    expect(broken.status).toBe(400);
    expect(broken.json.error.details.map((d: { code: string }) => d.code).sort()).toEqual(['INVALID']);
    const unknown = await p.api('DELETE', '/v1/lists/SH-WATER/entries/items/WATER-NONE', { token: water });
    expect([unknown.status, unknown.json.error.code]).toEqual([404, 'UNIT_LIST_ENTRY_NOT_FOUND']);
    const market = await p.api('GET', '/v1/lists/SH-WATER', { token: await p.as('market', 'SH-WATER') });
    expect(market.status).toBe(403);
  });

  it('draft → submit → review (diff, dry run, problems) → return with comments → fix → comment period → approve', async () => {
    // one change that tightens a field of an item with records, one new item with a problem
    const changed = itemOf('WATER-ARREARS');
    changed.name = '水费欠费信息（修订）';
    changed.fields.find((f) => f.key === 'owedMonths')!.min = 3;
    changed.fields.push({ key: 'meterNo', label: '水表编号', type: 'string', required: true });
    expect((await put('SH-WATER', water, 'items', 'WATER-ARREARS', changed)).status).toBe(200);
    const added: InfoItem = { ...itemOf('WATER-ARREARS'), code: 'WATER-LATE-FEE', name: '水费滞纳金信息', queryPeriodFrom: 'noSuchField' };
    const staged = await put('SH-WATER', water, 'items', 'WATER-LATE-FEE', added);
    expect(staged.json).toMatchObject({ status: 'DRAFT', changes: 2 });

    const state = await p.api('GET', '/v1/lists/SH-WATER', { token: water });
    expect(state.json.draft.map((c: { key: string; op: string }) => `${c.op} ${c.key}`).sort()).toEqual(['PUT WATER-ARREARS', 'PUT WATER-LATE-FEE']);
    expect(state.json.published).toEqual({ items: 1, matters: 0, applications: 0 });

    const submitted = await p.api('POST', '/v1/lists/SH-WATER/submit', { token: water, body: { rev: state.json.rev } });
    expect(submitted.json.status).toBe('SUBMITTED');
    // in review: the unit cannot edit, a stale rev is refused
    const locked = await put('SH-WATER', water, 'items', 'WATER-LATE-FEE', { ...added, queryPeriodFrom: 'determinedDate' });
    expect([locked.status, locked.json.error.code]).toEqual([409, 'UNIT_LIST_NOT_EDITABLE']);
    const queue = await p.api('GET', '/v1/lists', { token: admin });
    expect(queue.json.lists.map((l: { unit: string }) => l.unit)).toEqual(['SH-WATER']);

    const review = await p.api('GET', '/v1/lists/SH-WATER/review', { token: admin });
    expect(review.json.summary).toEqual({ added: 1, removed: 0, changed: 1, unchanged: 0 });
    const diff = review.json.diff.find((d: { key: string }) => d.key === 'WATER-ARREARS');
    expect(diff.changes.map((c: { label: string }) => c.label)).toEqual(['名称', '字段「欠费月数」.最小值', '字段「水表编号」']);
    expect(review.json.dryRun.records).toEqual([{ item: 'WATER-ARREARS', op: 'CHANGED', records: 3, capped: false }]);
    expect(review.json.dryRun.tightenings.map((t: { code: string; label: string }) => `${t.code} ${t.label}`)).toEqual([
      'FIELD_RANGE_NARROWED 欠费月数',
      'FIELD_ADDED_REQUIRED 水表编号',
    ]);
    expect(review.json.problems).toEqual([
      expect.objectContaining({ key: 'WATER-LATE-FEE', code: 'QUERY_PERIOD_FIELD_NOT_FOUND', where: '信息事项「水费滞纳金信息」' }),
    ]);
    expect(review.json.approvable).toBe(false);
    const refused = await p.api('POST', '/v1/lists/SH-WATER/approve', { token: admin, body: { rev: submitted.json.rev } });
    expect([refused.status, refused.json.error.code]).toEqual([422, 'UNIT_LIST_HAS_PROBLEMS']);

    const returned = await p.api('POST', '/v1/lists/SH-WATER/return', {
      token: admin,
      body: { rev: submitted.json.rev, comments: '滞纳金信息的查询期限起算字段有误' },
    });
    expect(returned.json).toMatchObject({ status: 'RETURNED', comments: '滞纳金信息的查询期限起算字段有误' });
    expect((await p.api('GET', '/v1/lists', { token: admin })).json.lists).toEqual([]);

    // the unit fixes the entry and submits again
    const fixed = await put('SH-WATER', water, 'items', 'WATER-LATE-FEE', { ...added, queryPeriodFrom: 'determinedDate' });
    expect(fixed.json).toMatchObject({ status: 'DRAFT', changes: 2 });
    const again = await p.api('POST', '/v1/lists/SH-WATER/submit', { token: water, body: { rev: fixed.json.rev } });
    expect(again.status).toBe(200);

    // a comment period that has not ended holds the approval back
    const start = new Date().toISOString();
    // long enough for the two calls below at the shared machine's load (a period that ended lets the early approval through)
    const end = new Date(Date.now() + 8_000).toISOString();
    const comment = await p.api('POST', '/v1/lists/SH-WATER/comment-period', { token: admin, body: { rev: again.json.rev, start, end } });
    expect(comment.json).toMatchObject({ status: 'COMMENT', commentEnd: end });
    const early = await p.api('POST', '/v1/lists/SH-WATER/approve', { token: admin, body: { rev: comment.json.rev } });
    expect([early.status, early.json.error.code]).toEqual([409, 'COMMENT_PERIOD_OPEN']);
    await new Promise((r) => setTimeout(r, Date.parse(end) - Date.now() + 50));

    const otherHeadBefore = await head('items', 'AMR-PENALTY');
    const before = await p.api('GET', '/v1/catalog/versions', { token: admin });
    const approved = await p.api('POST', '/v1/lists/SH-WATER/approve', { token: admin, body: { rev: comment.json.rev } });
    expect(approved.status, approved.text).toBe(200);
    expect(approved.json).toMatchObject({ unit: 'SH-WATER', version: `LIST-SH-WATER-${comment.json.rev}`, added: 1, changed: 1, removed: 0 });

    // published: the new and the changed item; nobody else's entry was rewritten
    expect((await p.api('GET', '/v1/catalog/items/WATER-LATE-FEE', { token: admin })).json.name).toBe('水费滞纳金信息');
    expect((await p.api('GET', '/v1/catalog/items/WATER-ARREARS', { token: admin })).json.name).toBe('水费欠费信息（修订）');
    expect(await head('items', 'AMR-PENALTY')).toEqual(otherHeadBefore);
    const cat = await p.api('GET', '/v1/catalog', { token: admin });
    expect(cat.json.version).toBe(approved.json.version);
    expect(cat.json.counts.items).toBe(catalog.items.length + 1);
    expect(cat.json.catalog.items).toHaveLength(catalog.items.length + 1);
    const after = await p.api('GET', '/v1/catalog/versions', { token: admin });
    expect(after.json.versions.length).toBe(before.json.versions.length + 1);

    // the snapshot GET /v1/catalog presigns for a large catalog follows the approval (the import worker rebuilds it)
    const { snapshotKey } = await import('#adapters/catalog-repo');
    const { rebuildSnapshot } = await import('#adapters/catalog-snapshot');
    const { s3 } = await import('#adapters/clients');
    const pointer = async () =>
      (await (await ddb()).send(new GetCommand({ TableName: p.emulators.tables.catalog, Key: { pk: 'CATALOG', sk: 'CURRENT' }, ConsistentRead: true }))).Item!;
    for (let i = 0; i < 100 && (await pointer()).snapshotKey !== snapshotKey(approved.json.version); i++) await new Promise((r) => setTimeout(r, 200));
    const current = await pointer();
    expect(current).toMatchObject({ version: approved.json.version, snapshotKey: snapshotKey(approved.json.version) });
    const object = await s3.send(new GetObjectCommand({ Bucket: p.emulators.buckets.work, Key: current.snapshotKey }));
    const gz = Buffer.from(await object.Body!.transformToByteArray());
    expect(current.snapshotBytes).toBe(gz.length);
    expect(JSON.parse(gunzipSync(gz).toString('utf8'))).toEqual(cat.json.catalog);
    // a second request (a retried approval) finds it current and writes nothing
    expect(await rebuildSnapshot()).toEqual({ status: 'CURRENT', version: approved.json.version });

    const list = await p.api('GET', '/v1/lists/SH-WATER', { token: water });
    expect(list.json).toMatchObject({ status: 'PUBLISHED', changes: 0, draft: [], publishedVersion: approved.json.version, comments: null });
    expect(list.json.published.items).toBe(2);
    const history = await p.api('GET', '/v1/lists/SH-WATER/history', { token: water });
    expect(history.json.history.map((h: { event: string }) => h.event)).toEqual(['APPROVED', 'COMMENT_OPENED', 'SUBMITTED', 'RETURNED', 'SUBMITTED']);
    expect(history.json.history[3].comments).toBe('滞纳金信息的查询期限起算字段有误');
  }, 180_000); // the whole journey, then the snapshot job on the import worker's queue: over a minute at the shared machine's load

  it('a list in its public comment period (公示) is public with its change counts, and leaves it when returned', async () => {
    const amr = await p.as('provider', 'SH-AMR');
    const renamed = { ...itemOf('AMR-ABNORMAL'), name: '经营异常名录信息（修订）' };
    const staged = await put('SH-AMR', amr, 'items', 'AMR-ABNORMAL', renamed);
    expect(staged.json).toMatchObject({ status: 'DRAFT', changes: 1 });
    const submitted = await p.api('POST', '/v1/lists/SH-AMR/submit', { token: amr, body: { rev: staged.json.rev } });
    expect((await p.api('GET', '/v1/public/unit-lists')).json.lists).toEqual([]); // submitted, not yet in comment
    const start = new Date().toISOString();
    const end = new Date(Date.now() + 3_600_000).toISOString();
    const comment = await p.api('POST', '/v1/lists/SH-AMR/comment-period', { token: admin, body: { rev: submitted.json.rev, start, end } });
    expect(comment.json).toMatchObject({ status: 'COMMENT', commentEnd: end });
    // anyone sees it, without a token
    const open = await p.api('GET', '/v1/public/unit-lists?limit=10');
    expect(open.status, open.text).toBe(200);
    expect(open.json).toEqual({
      lists: [{ unit: 'SH-AMR', rev: comment.json.rev, commentStart: start, commentEnd: end, summary: { added: 0, removed: 0, changed: 1, unchanged: 0 } }],
      next: null,
    });
    const badCursor = await p.api('GET', '/v1/public/unit-lists?cursor=bm9wZQ');
    expect([badCursor.status, badCursor.json.error.code]).toEqual([400, 'INVALID_CURSOR']);
    const returned = await p.api('POST', '/v1/lists/SH-AMR/return', { token: admin, body: { rev: comment.json.rev, comments: '请补充修订依据' } });
    expect(returned.json.status).toBe('RETURNED');
    expect((await p.api('GET', '/v1/public/unit-lists')).json.lists).toEqual([]);
  });

  it('removing an item that other lists use is refused at approval, with the entries that name it', async () => {
    const hrss = await p.as('provider', 'SH-HRSS');
    const removed = await p.api('DELETE', '/v1/lists/SH-HRSS/entries/items/HRSS-WAGE-ARREARS', { token: hrss });
    expect(removed.json).toMatchObject({ status: 'DRAFT', changes: 1 });
    await p.api('POST', '/v1/lists/SH-HRSS/submit', { token: hrss, body: { rev: removed.json.rev } });
    const review = await p.api('GET', '/v1/lists/SH-HRSS/review', { token: admin });
    expect(review.json.summary.removed).toBe(1);
    const refs = review.json.dryRun.references.map((r: { section: string; key: string }) => `${r.section} ${r.key}`).sort();
    expect(refs).toEqual([
      'applications SH-DRC#BIDDING',
      'applications SH-DRC#FUNDING',
      'applications SH-DRC#GOV_PROCUREMENT',
      'behaviours B-WAGE-ARREARS',
      'matters DRC-PROJECT-FUNDING',
      'matters DRC-SUPPLIER-REVIEW',
      'ruleSets FUNDING_GOOD_CREDIT',
    ]);
    expect(new Set(review.json.problems.map((x: { code: string }) => x.code))).toEqual(new Set(['ITEM_STILL_REFERENCED']));
    expect(review.json.problems).toHaveLength(7);
    expect(review.json.approvable).toBe(false);
  });

  it('two approvals at once publish once; the loser is told, nothing is mixed', async () => {
    const tax = await p.as('provider', 'SH-TAX');
    const changed = itemOf('TAX-A-GRADE');
    changed.description = '纳税信用 A 级纳税人名单';
    const staged = await put('SH-TAX', tax, 'items', 'TAX-A-GRADE', changed);
    const submitted = await p.api('POST', '/v1/lists/SH-TAX/submit', { token: tax, body: { rev: staged.json.rev } });
    const rev = submitted.json.rev;
    const versions = (await p.api('GET', '/v1/catalog/versions', { token: admin })).json.versions.length;
    const [a, b] = await Promise.all([
      p.api('POST', '/v1/lists/SH-TAX/approve', { token: admin, body: { rev } }),
      p.api('POST', '/v1/lists/SH-TAX/approve', { token: admin, body: { rev } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect((a.status === 409 ? a : b).json.error.code).toBe('UNIT_LIST_CHANGED');
    expect((await p.api('GET', '/v1/catalog/versions', { token: admin })).json.versions.length).toBe(versions + 1);
    expect((await p.api('GET', '/v1/catalog/items/TAX-A-GRADE', { token: admin })).json.description).toBe('纳税信用 A 级纳税人名单');
    // an edit racing a return: exactly one wins
    const edit = await put('SH-TAX', tax, 'items', 'TAX-A-GRADE', { ...changed, description: '二次修订' });
    const sub = await p.api('POST', '/v1/lists/SH-TAX/submit', { token: tax, body: { rev: edit.json.rev } });
    const [ret, late] = await Promise.all([
      p.api('POST', '/v1/lists/SH-TAX/return', { token: admin, body: { rev: sub.json.rev, comments: '请说明修订理由' } }),
      p.api('POST', '/v1/lists/SH-TAX/approve', { token: admin, body: { rev: sub.json.rev } }),
    ]);
    expect([ret.status, late.status].sort()).toEqual([200, 409]);
    const final = await p.api('GET', '/v1/lists/SH-TAX', { token: tax });
    const item = (await p.api('GET', '/v1/catalog/items/TAX-A-GRADE', { token: admin })).json;
    // either the return won (draft kept, old text published) or the approval (draft gone, new text published)
    if (ret.status === 200) expect([final.json.status, final.json.changes, item.description]).toEqual(['RETURNED', 1, '纳税信用 A 级纳税人名单']);
    else expect([final.json.status, final.json.changes, item.description]).toEqual(['PUBLISHED', 0, '二次修订']);
  });

  it('a unit reads only its own list; the queue is the credit centre’s', async () => {
    const gov = await p.as('gov', 'SH-EPB');
    expect((await p.api('GET', '/v1/lists/SH-WATER', { token: gov })).status).toBe(403);
    expect((await p.api('GET', '/v1/lists', { token: gov })).status).toBe(403);
    expect((await p.api('GET', '/v1/lists/SH-EPB', { token: gov })).json).toMatchObject({ status: 'NONE', rev: 0 });
    // the staged rows live under the unit's partition only
    const rows = await (await ddb()).send(
      new QueryCommand({ TableName: p.emulators.tables.catalog, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'LIST#SH-EPB' } }),
    );
    expect(rows.Items).toEqual([]);
  });
});
