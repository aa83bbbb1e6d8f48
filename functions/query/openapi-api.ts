/** GET /v1/openapi.json: the OpenAPI 3.1 description of this API (functions/query/openapi.ts), for any authenticated role. */
import { httpHandler, json, requireRole, ROLES, type HttpRequest } from '#adapters/http';
import { buildOpenApi } from './openapi.ts';

let document: Record<string, unknown> | undefined;

async function getOpenApi(req: HttpRequest) {
  requireRole(req, ...ROLES);
  document ??= buildOpenApi();
  return json(200, document);
}

export const handler = httpHandler({
  'GET /v1/openapi.json': getOpenApi,
});
