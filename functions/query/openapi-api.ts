/**
 * GET /v1/openapi.json, public: the OpenAPI 3.1 description of this API. It serves the document
 * `npm run openapi` builds from the schemas (functions/query/openapi.ts → docs/openapi.json, and
 * gzipped into openapi-document.ts; the unit test fails when they differ) rather than building it
 * here: zod alone bundles to ~450 KB, and this function stays small (test/unit/openapi.test.ts
 * measures it).
 */
import { gunzipSync } from 'node:zlib';
import { httpHandler, json } from '#adapters/http';
import type { z } from 'zod';
import { OPENAPI_GZIP_BASE64 } from './openapi-document.ts';
import type { OpenApiDocument } from './schemas.ts';

const document: z.infer<typeof OpenApiDocument> = JSON.parse(gunzipSync(Buffer.from(OPENAPI_GZIP_BASE64, 'base64')).toString('utf8'));

export const handler = httpHandler({
  'GET /v1/openapi.json': async () => json(200, document),
});
