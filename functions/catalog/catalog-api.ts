/** PUT /v1/catalog (admin), GET /v1/catalog, GET /v1/catalog/versions. */
import { parseCatalog } from '#core/catalog';
import { catalogVersions, currentCatalog, publishCatalog, VersionExistsError } from '#adapters/catalog-repo';
import { HttpError, httpHandler, json, requireRole, ROLES, type HttpRequest } from '#adapters/http';

async function putCatalog(req: HttpRequest) {
  const caller = requireRole(req, 'admin');
  let doc: unknown;
  try {
    doc = JSON.parse(req.rawBody ?? '');
  } catch (err) {
    throw new HttpError(400, 'INVALID_JSON', `the catalog document is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = parseCatalog(doc);
  if (!parsed.ok) {
    throw new HttpError(
      400,
      'INVALID_CATALOG',
      `the catalog document has ${parsed.problems.length} problem(s); nothing was published`,
      parsed.problems,
    );
  }
  try {
    const published = await publishCatalog(parsed.catalog, caller.sub || caller.unit || 'admin');
    return json(201, { version: published.version, publishedAt: published.publishedAt, items: parsed.catalog.items.length, providers: parsed.catalog.providers.length });
  } catch (err) {
    if (err instanceof VersionExistsError) throw new HttpError(409, 'VERSION_EXISTS', err.message);
    throw err;
  }
}

async function getCatalog(req: HttpRequest) {
  requireRole(req, ...ROLES);
  const current = await currentCatalog({ fresh: true });
  if (!current) throw new HttpError(404, 'NO_CATALOG', 'no catalog has been published yet');
  return json(200, { version: current.version, publishedAt: current.publishedAt, catalog: current.catalog });
}

async function getVersions(req: HttpRequest) {
  requireRole(req, ...ROLES);
  return json(200, { versions: await catalogVersions() });
}

export const handler = httpHandler({
  'PUT /v1/catalog': putCatalog,
  'GET /v1/catalog': getCatalog,
  'GET /v1/catalog/versions': getVersions,
});
