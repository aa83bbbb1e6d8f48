/**
 * Bulk catalog import (issue 16 part 3) on the local emulators: POST /v1/catalog/imports, PUT the
 * document to the presigned URL, the S3 notification starts the streamed check and the publish.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '#core/catalog';
import { demoCatalog, startTestPlatform, type TestPlatform } from '../support/platform.ts';

let p: TestPlatform;
let admin: string;

beforeAll(async () => {
  p = await startTestPlatform();
  admin = await p.as('admin');
});

afterAll(async () => {
  await p?.stop();
});

async function importDoc(body: Buffer | string): Promise<any> {
  const started = await p.api('POST', '/v1/catalog/imports', { token: admin });
  expect(started.status).toBe(201);
  const put = await fetch(started.json.uploadUrl, { method: 'PUT', body });
  expect(put.status).toBe(200);
  await p.notifyUploads();
  const deadline = Date.now() + 120_000;
  for (;;) {
    const res = await p.api('GET', `/v1/catalog/imports/${started.json.importId}`, { token: admin });
    expect(res.status).toBe(200);
    if (res.json.status === 'PUBLISHED' || res.json.status === 'REJECTED') return res.json;
    if (Date.now() > deadline) throw new Error(`import still ${res.json.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('catalog import', () => {
  it('publishes a gzipped document: its items are read by key, GET /v1/catalog shows the version', async () => {
    const doc = demoCatalog();
    const result = await importDoc(gzipSync(JSON.stringify(doc)));
    expect(result).toMatchObject({ status: 'PUBLISHED', version: doc.version, items: doc.items.length, providers: doc.providers.length, problems: [] });
    const item = await p.api('GET', '/v1/catalog/items/AMR-PENALTY', { token: admin });
    expect(item.json).toEqual(doc.items.find((i) => i.code === 'AMR-PENALTY'));
    const whole = await p.api('GET', '/v1/catalog', { token: admin });
    expect([whole.json.version, whole.json.catalog.behaviours.length]).toEqual([doc.version, doc.behaviours!.length]);
  });

  it('rejects a document with every problem PUT reports, and changes nothing', async () => {
    const doc: Catalog = { ...demoCatalog(), version: 'import-bad' };
    doc.items[1] = { ...doc.items[1]!, provider: 'NOBODY' };
    doc.items[2] = { ...doc.items[2]!, keyField: 'noSuchField' };
    const put = await p.api('PUT', '/v1/catalog', { token: admin, body: doc });
    expect(put.status).toBe(400);
    const result = await importDoc(JSON.stringify(doc));
    expect(result.status).toBe('REJECTED');
    const key = (x: { path: string; message: string }) => `${x.path} ${x.message}`;
    expect(result.problems.map(key).sort()).toEqual(put.json.error.details.map(key).sort());
    expect(result.problemCount).toBe(put.json.error.details.length);
    expect((await p.api('GET', '/v1/catalog', { token: admin })).json.version).toBe(demoCatalog().version);
    const versions = await p.api('GET', '/v1/catalog/versions', { token: admin });
    expect(versions.json.versions.map((v: { version: string }) => v.version)).not.toContain('import-bad');
  });

  it('rejects a document that is not JSON, and a version already published', async () => {
    const broken = await importDoc('{"version": "x", "providers": [');
    expect(broken.status).toBe('REJECTED');
    expect(broken.problems[0]).toMatchObject({ path: '', code: 'INVALID_JSON' });
    const again = await importDoc(JSON.stringify(demoCatalog()));
    expect(again.status).toBe('REJECTED');
    expect(again.problems[0]).toMatchObject({ path: 'version', code: 'VERSION_EXISTS' });
  });

  it('answers 404 for an unknown import and refuses non-admins', async () => {
    const res = await p.api('GET', '/v1/catalog/imports/00000000-0000-0000-0000-000000000000', { token: admin });
    expect([res.status, res.json.error.code]).toEqual([404, 'IMPORT_NOT_FOUND']);
    expect((await p.api('POST', '/v1/catalog/imports', { token: await p.as('provider', 'SH-AMR') })).status).toBe(403);
  });
});
