/**
 * GET /v1/public/catalog and GET /v1/public/catalog/items (no token): the published catalog and
 * application lists — what is collected, from whom, and which unit may query what for which purpose
 * (the regulation requires both to be public). Served from the per-instance cache: an anonymous route
 * never forces a read. A catalog over INLINE_CATALOG_ITEMS items comes without its items, which page.
 */
import { DomainError } from '#core/errors';
import { catalogPointer, currentCatalog, INLINE_CATALOG_ITEMS, listItems } from '#adapters/catalog-repo';
import { UNIT_CODE } from '#core/units';
import { json, validate, type HttpRequest } from '#adapters/http';
import type { Reply } from '../api-routes.ts';
import { CatalogItemsQuery } from '../catalog/schemas.ts';

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

export async function publicCatalogItems(req: HttpRequest): Promise<Reply<'GET /v1/public/catalog/items'>> {
  const q = validate(CatalogItemsQuery, req.query, 'query');
  let after: string | undefined;
  if (q.cursor !== undefined) {
    after = Buffer.from(q.cursor, 'base64url').toString('utf8');
    if (!UNIT_CODE.test(after)) throw new DomainError('invalid', 'INVALID_CURSOR', 'the cursor is not one this listing returned');
  }
  const { items, next } = await listItems({ provider: q.provider, subjectType: q.subjectType, recordClass: q.recordClass, q: q.q }, after, q.limit ?? 100);
  return json(200, { items, next: next ? Buffer.from(next, 'utf8').toString('base64url') : null });
}
