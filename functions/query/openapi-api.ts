/**
 * GET /v1/openapi.json, public: the OpenAPI 3.1 description of this API. It serves the document
 * `npm run openapi` builds from the schemas (functions/query/openapi.ts → docs/openapi.json; the unit
 * test fails when the two differ) rather than building it here: zod alone bundles to ~450 KB, and this
 * function stays small (test/unit/openapi.test.ts measures it).
 */
import { httpHandler, json } from '#adapters/http';
import document from '../../docs/openapi.json' with { type: 'json' };

export const handler = httpHandler({
  'GET /v1/openapi.json': async () => json(200, document),
});
