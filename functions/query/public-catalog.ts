/**
 * GET /v1/public/catalog and GET /v1/public/catalog/items (no token): the published catalog and
 * application lists — what is collected, from whom, and which unit may query what for which purpose
 * (the regulation requires both to be public). Served from the per-instance cache: an anonymous route
 * never forces a read. A catalog over INLINE_CATALOG_ITEMS items comes without its items, which page.
 * GET /v1/public/units: the units those lists name (code, name, kind, level, district), one page of
 * the register at a time — one Query of at most `limit` units, as GET /v1/units reads it.
 */
import { DomainError } from '#core/errors';
import { catalogPointer, currentCatalog, INLINE_CATALOG_ITEMS, itemsByCode, listItems } from '#adapters/catalog-repo';
import { listUnits } from '#adapters/units-repo';
import { UNIT_CODE } from '#core/units';
import { json, validate, type HttpRequest } from '#adapters/http';
import type { Reply } from '../api-routes.ts';
import { CatalogItemsQuery, UnitsQuery } from '../catalog/schemas.ts';

export async function publicCatalog(): Promise<Reply<'GET /v1/public/catalog'>> {
  const pointer = await catalogPointer();
  if (!pointer) throw new DomainError('notFound', 'NO_CATALOG', 'no catalog has been published yet');
  const whole = pointer.items <= INLINE_CATALOG_ITEMS;
  const current = await currentCatalog(whole ? {} : { items: [] });
  if (!current) throw new DomainError('notFound', 'NO_CATALOG', 'no catalog has been published yet');
  return json(200, {
    version: current.version,
    publishedAt: current.publishedAt,
    counts: pointer.counts,
    catalog: current.catalog,
    itemsPaged: !whole,
  });
}

/** The code a listing's cursor continues after (base64url of a code), or 400 INVALID_CURSOR. */
function afterCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const after = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!UNIT_CODE.test(after)) throw new DomainError('invalid', 'INVALID_CURSOR', 'the cursor is not one this listing returned');
  return after;
}
const cursorOf = (next: string | undefined) => (next ? Buffer.from(next, 'utf8').toString('base64url') : null);

export async function publicCatalogItems(req: HttpRequest): Promise<Reply<'GET /v1/public/catalog/items'>> {
  const q = validate(CatalogItemsQuery, req.query, 'query');
  if (q.codes) return json(200, { items: await itemsByCode(q.codes), next: null });
  const { items, next } = await listItems(
    { provider: q.provider, subjectType: q.subjectType, recordClass: q.recordClass, q: q.q },
    afterCursor(q.cursor),
    q.limit ?? 100,
  );
  return json(200, { items, next: cursorOf(next) });
}

export async function publicUnits(req: HttpRequest): Promise<Reply<'GET /v1/public/units'>> {
  const q = validate(UnitsQuery, req.query, 'query');
  const { units, next } = await listUnits({ kind: q.kind, level: q.level, district: q.district }, afterCursor(q.cursor), q.limit ?? 100);
  return json(200, {
    units: units.map((u) => ({ code: u.code, name: u.name, kind: u.kind, level: u.level, ...(u.district ? { district: u.district } : {}) })),
    next: cursorOf(next),
  });
}
