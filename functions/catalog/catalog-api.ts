/**
 * PUT /v1/catalog (admin), GET /v1/catalog, GET /v1/catalog/versions; the units register:
 * GET /v1/units (signed in), PUT /v1/units/{code} (admin).
 */
import { DomainError } from '#core/errors';
import { parseCatalog } from '#core/catalog';
import { UNIT_CODE } from '#core/units';
import {
  CatalogBusyError,
  catalogItem,
  catalogPointer,
  catalogVersions,
  currentCatalog,
  INLINE_CATALOG_ITEMS,
  itemsByCode,
  listItems,
  publishCatalog,
  VersionExistsError,
} from '#adapters/catalog-repo';
import { randomUUID } from 'node:crypto';
import { createImport, getImport } from '#adapters/catalog-import-repo';
import { bucketName } from '#adapters/config';
import { presignPut } from '#adapters/presign';
import { presignGet } from '#adapters/presign-get';
import { body, httpHandler, json, requireRole, ROLES, validate, type HttpRequest } from '#adapters/http';
import { listUnits, putUnit } from '#adapters/units-repo';
import { CatalogItemsQuery, UnitBody, UnitsQuery } from './schemas.ts';
import type { Reply } from '../api-routes.ts';

export { INLINE_CATALOG_ITEMS };

async function putCatalog(req: HttpRequest): Promise<Reply<'PUT /v1/catalog'>> {
  const caller = requireRole(req, 'admin');
  let doc: unknown;
  try {
    doc = JSON.parse(req.rawBody ?? '');
  } catch (err) {
    throw new DomainError('invalid', 'INVALID_JSON', `the catalog document is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = parseCatalog(doc);
  if (!parsed.ok) {
    throw new DomainError(
      'invalid',
      'INVALID_CATALOG',
      `the catalog document has ${parsed.problems.length} problem(s); nothing was published`,
      parsed.problems,
    );
  }
  try {
    const published = await publishCatalog(parsed.catalog, caller.sub || caller.unit || 'admin');
    return json(201, {
      version: published.version,
      publishedAt: published.publishedAt,
      items: parsed.catalog.items.length,
      providers: parsed.catalog.providers.length,
    });
  } catch (err) {
    if (err instanceof VersionExistsError) throw new DomainError('conflict', 'VERSION_EXISTS', err.message);
    if (err instanceof CatalogBusyError) throw new DomainError('conflict', 'CATALOG_BUSY', err.message);
    throw err;
  }
}

/**
 * The published catalog: inline up to INLINE_CATALOG_ITEMS items, otherwise its version, counts and
 * a presigned URL of the gzipped snapshot. Read fresh: an admin reads what was just published.
 */
async function getCatalog(req: HttpRequest): Promise<Reply<'GET /v1/catalog'>> {
  requireRole(req, ...ROLES);
  const fresh = true;
  const pointer = await catalogPointer({ fresh });
  if (!pointer) throw new DomainError('notFound', 'NO_CATALOG', 'no catalog has been published yet');
  if (pointer.items > INLINE_CATALOG_ITEMS && pointer.snapshotKey) {
    const snapshotUrl = await presignGet(bucketName('work'), pointer.snapshotKey, {
      fileName: `catalog-${pointer.version}.json.gz`,
      contentType: 'application/gzip',
    });
    return json(200, {
      version: pointer.version,
      publishedAt: pointer.publishedAt,
      counts: pointer.counts,
      snapshotUrl,
      snapshotBytes: pointer.snapshotBytes ?? null,
    });
  }
  if (pointer.items > INLINE_CATALOG_ITEMS) {
    // a unit's approved list publishes its changes only; its snapshot follows from the import worker
    // (adapters/catalog-snapshot) moments later: until then, page the items
    return json(200, { version: pointer.version, publishedAt: pointer.publishedAt, counts: pointer.counts });
  }
  const current = await currentCatalog({ fresh });
  if (!current) throw new DomainError('notFound', 'NO_CATALOG', 'no catalog has been published yet');
  return json(200, { version: current.version, publishedAt: current.publishedAt, counts: pointer.counts, catalog: current.catalog });
}

async function getItems(req: HttpRequest): Promise<Reply<'GET /v1/catalog/items'>> {
  requireRole(req, ...ROLES);
  const q = validate(CatalogItemsQuery, req.query, 'query');
  if (q.codes) return json(200, { items: await itemsByCode(q.codes), next: null });
  const { items, next } = await listItems(
    { provider: q.provider, subjectType: q.subjectType, recordClass: q.recordClass, q: q.q },
    itemAfter(q.cursor),
    q.limit ?? 100,
  );
  return json(200, { items, next: next ? Buffer.from(next, 'utf8').toString('base64url') : null });
}

async function getItem(req: HttpRequest): Promise<Reply<'GET /v1/catalog/items/{code}'>> {
  requireRole(req, ...ROLES);
  const code = req.path.code ?? '';
  const item = UNIT_CODE.test(code) ? await catalogItem(code) : undefined;
  if (!item) throw new DomainError('notFound', 'UNKNOWN_ITEM', `item '${code}' is not in the published catalog`);
  return json(200, item);
}

/** POST /v1/catalog/imports (admin): an import and the presigned URL its document (the catalog JSON of PUT /v1/catalog, gzip or not) is PUT to. */
async function startImportRoute(req: HttpRequest): Promise<Reply<'POST /v1/catalog/imports'>> {
  const caller = requireRole(req, 'admin');
  const importId = randomUUID();
  const key = `catalog/${importId}`;
  await createImport({ importId, status: 'RECEIVED', createdAt: new Date().toISOString(), createdBy: caller.sub || caller.unit || 'admin', key });
  const uploadUrl = await presignPut(bucketName('imports'), key);
  return json(201, { importId, uploadUrl, statusUrl: `/v1/catalog/imports/${importId}` });
}

async function getImportRoute(req: HttpRequest): Promise<Reply<'GET /v1/catalog/imports/{importId}'>> {
  requireRole(req, 'admin');
  const importId = req.path.importId ?? '';
  const imp = /^[0-9a-f-]{36}$/.test(importId) ? await getImport(importId) : null;
  if (!imp) throw new DomainError('notFound', 'IMPORT_NOT_FOUND', `no catalog import '${importId}'`);
  const problemsUrl = imp.problemsKey
    ? await presignGet(bucketName('work'), imp.problemsKey, { fileName: `catalog-import-${importId}-problems.json.gz`, contentType: 'application/gzip' })
    : null;
  return json(200, {
    importId,
    status: imp.status,
    version: imp.version ?? null,
    items: imp.items ?? null,
    providers: imp.providers ?? null,
    problems: imp.problems ?? [],
    problemCount: imp.problemCount ?? 0,
    problemsUrl,
    createdAt: imp.createdAt,
    startedAt: imp.startedAt ?? null,
    finishedAt: imp.finishedAt ?? null,
    reason: imp.reason ?? null,
  });
}

function itemAfter(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const code = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!UNIT_CODE.test(code)) throw new DomainError('invalid', 'INVALID_CURSOR', 'the cursor is not one this listing returned');
  return code;
}

async function getVersions(req: HttpRequest): Promise<Reply<'GET /v1/catalog/versions'>> {
  requireRole(req, ...ROLES);
  return json(200, { versions: await catalogVersions() });
}

function afterCode(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const code = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!UNIT_CODE.test(code)) throw new DomainError('invalid', 'INVALID_CURSOR', 'the cursor is not one this listing returned');
  return code;
}

async function getUnits(req: HttpRequest): Promise<Reply<'GET /v1/units'>> {
  requireRole(req, ...ROLES);
  const q = validate(UnitsQuery, req.query, 'query');
  const { units, next } = await listUnits({ kind: q.kind, level: q.level, district: q.district }, afterCode(q.cursor), q.limit ?? 100);
  return json(200, { units, next: next ? Buffer.from(next, 'utf8').toString('base64url') : null });
}

async function putUnitRoute(req: HttpRequest): Promise<Reply<'PUT /v1/units/{code}'>> {
  const caller = requireRole(req, 'admin');
  const code = req.path.code ?? '';
  if (!UNIT_CODE.test(code))
    throw new DomainError('invalid', 'INVALID_UNIT_CODE', `unit code '${code}' must be upper-case letters, digits, "-" or "_" (at most 64)`);
  const unit = { code, ...body(req, UnitBody), updatedAt: new Date().toISOString(), updatedBy: caller.sub || caller.unit || 'admin' };
  await putUnit(unit);
  return json(200, unit);
}

export const handler = httpHandler({
  'PUT /v1/catalog': putCatalog,
  'GET /v1/catalog': getCatalog,
  'GET /v1/catalog/versions': getVersions,
  'GET /v1/catalog/items': getItems,
  'GET /v1/catalog/items/{code}': getItem,
  'POST /v1/catalog/imports': startImportRoute,
  'GET /v1/catalog/imports/{importId}': getImportRoute,
  'GET /v1/units': getUnits,
  'PUT /v1/units/{code}': putUnitRoute,
});
