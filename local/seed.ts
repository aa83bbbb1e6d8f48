/**
 * SEED=demo: on an empty store, publish the demo catalog, register the demo units
 * (PUT /v1/units/{code}) and upload the demo provider files through the normal upload path
 * (POST /v1/uploads, then a PUT to the presigned URL).
 */
import { readFileSync } from 'node:fs';
import type { Catalog } from '#core/catalog';
import type { UnitBody } from '#core/units';
import { demoFiles } from './seed/demo-files.ts';
import { companies } from './seed/generate.ts';
import type { Platform } from './runtime.ts';
import { waitForBatch } from './seed-wait.ts';

export const demoCatalog = (): Catalog => JSON.parse(readFileSync(new URL('./seed/demo-catalog.json', import.meta.url), 'utf8')) as Catalog;
/** The demo units: the catalog's providers, the government units its applications name, two district units. */
export const demoUnits = (): Array<{ code: string } & UnitBody> => JSON.parse(readFileSync(new URL('./seed/demo-units.json', import.meta.url), 'utf8'));

async function call(platform: Platform, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${platform.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  return { status: res.status, json };
}

/** Returns the batch ids of the uploaded demo files, or null if the store was not empty. */
export async function seedDemo(platform: Platform, log: (m: string) => void = () => undefined): Promise<string[] | null> {
  const admin = await platform.token({ role: 'admin' });
  const existing = await call(platform, admin, 'GET', '/v1/catalog');
  if (existing.status === 200) return null;
  const catalog = demoCatalog();
  const published = await call(platform, admin, 'PUT', '/v1/catalog', catalog);
  if (published.status !== 201) throw new Error(`demo catalog refused: ${JSON.stringify(published.json)}`);
  log(`published demo catalog ${catalog.version}: ${catalog.providers.length} providers, ${catalog.items.length} items`);
  const units = demoUnits();
  for (const { code, ...unit } of units) {
    const put = await call(platform, admin, 'PUT', `/v1/units/${code}`, unit);
    if (put.status !== 200) throw new Error(`demo unit ${code} refused: ${JSON.stringify(put.json)}`);
  }
  log(`registered ${units.length} demo units`);
  const batchIds: string[] = [];
  for (const file of demoFiles(catalog)) {
    const token = await platform.token({ role: 'provider', unit: file.provider });
    const started = await call(platform, token, 'POST', '/v1/uploads', { item: file.item, fileName: file.fileName });
    if (started.status !== 201) throw new Error(`demo upload of ${file.fileName} refused: ${JSON.stringify(started.json)}`);
    const put = await fetch(started.json.uploadUrl as string, { method: 'PUT', body: file.body });
    if (!put.ok) throw new Error(`demo PUT of ${file.fileName} failed: ${put.status}`);
    batchIds.push(started.json.batchId as string);
    log(`uploaded ${file.item}/${file.fileName} (${file.body.length} bytes) as batch ${started.json.batchId}`);
    // registrations first: later files refer to companies by registration number
    if (file.item.endsWith('REGISTRATION')) await waitForBatch(platform, token, started.json.batchId as string);
  }
  // 联合奖惩: the red list is entered by the keeping unit's decision (the serious-dishonesty list fills by rule from the uploads)
  const [model] = companies(1, 2026);
  if (model) {
    const drc = await platform.token({ role: 'gov', unit: 'SH-DRC' });
    const entered = await call(platform, drc, 'POST', '/v1/joint/lists/L-RED/entries', {
      subject: { type: 'LEGAL', id: model.uscc },
      name: model.name,
      basis: '上海市发展和改革委员会诚信示范企业认定（演示）',
      reasons: '连续三年无不良信用记录，纳税信用A级',
    });
    if (entered.status !== 201 && entered.status !== 200) throw new Error(`demo red-list entry refused: ${JSON.stringify(entered.json)}`);
    log(`entered ${model.name} on the red list L-RED by decision (NOTIFIED until ${String(entered.json.noticeEndsAt)})`);
  }
  return batchIds;
}
