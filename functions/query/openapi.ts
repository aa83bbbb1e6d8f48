/**
 * The OpenAPI 3.1 description of the HTTP API, built from the manifest (lib/platform.ts: every
 * `http` trigger route) and the zod schemas of functions/<context>/schemas.ts — never from the
 * handlers, so nothing here pulls in an SDK client. Pure and deterministic: `npm run openapi` writes
 * it to docs/openapi.json, GET /v1/openapi.json serves that file (openapi-api.ts), and
 * test/unit/openapi.test.ts fails when the two drift. A route in the manifest without an entry in
 * ROUTES below (assembled from functions/<context>/routes.ts) makes the build throw, so no route goes undocumented.
 */
import { z } from 'zod';
import { FUNCTIONS, isClientLimited, isPublicRoute } from '#lib/platform';
import { BODIES, type DocumentedRoute, RESPONSES, ROUTE_DOCS, ROUTES, SHARED_PARTS } from './openapi-registry.ts';

export { RESPONSES, ROUTES, successOf } from './openapi-registry.ts';

export const OPENAPI_VERSION = '3.1.0';
export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

type JsonSchema = Record<string, unknown>;

const PATH_PARAMS: Record<string, string> = {
  batchId: 'Batch id from POST /v1/uploads',
  importId: 'Import id from POST /v1/catalog/imports',
  code: 'Unit code (upper-case letters, digits, "-", "_") under /v1/units; item code under /v1/catalog/items; credit list code from the catalog (creditLists[].code) under /v1/joint/lists and /v1/public/lists',
  uscc: 'Unified social credit code (统一社会信用代码), 18 characters',
  idNumber: 'Resident ID number (居民身份证号码), 18 characters',
  ref: 'Authorisation ref',
  checkId: 'Check id from POST /v1/checks',
  objectionId: 'Objection id from POST /v1/objections',
  recordId: 'Record id as credit-file queries return it (22 characters)',
  year: 'Calendar year, four digits (2000–2200)',
  entryId: 'List entry id',
  unit: 'Unit code (the unit whose list it is)',
  section: "A unit list's section: items | matters | applications",
  key: 'Entry key: the item or matter code; an application is {unit}#{purpose} (URL-encoded)',
};

function toSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io }) as JsonSchema;
  return rest;
}

/**
 * JSON Schemas of named zod schemas, one component each; a named schema inside another is a $ref to
 * its component. Requests are described as accepted (input), responses as answered (output).
 */
function components(named: Record<string, z.ZodType>, io: 'input' | 'output'): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(named)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { target: 'draft-2020-12', io, uri: (id) => `#/components/schemas/${id}` });
  return Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _dialect, $id: _id, ...rest }]) => [id, rest as JsonSchema]));
}

function queryParameters(schema: z.ZodType): JsonSchema[] {
  const js = toSchema(schema);
  const properties = (js.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((js.required ?? []) as string[]);
  return Object.entries(properties).map(([name, prop]) => {
    const { description, ...rest } = prop;
    return {
      name,
      in: 'query',
      required: required.has(name),
      ...(description === undefined ? {} : { description }),
      schema: rest,
    };
  });
}

function operationId(method: string, path: string): string {
  const words = path
    .replace(/^\/v1\//, '')
    .replace(/\.json$/, '')
    .split('/')
    .map((seg) => (seg.startsWith('{') ? `by-${seg.slice(1, -1)}` : seg))
    .flatMap((seg) => seg.split(/[^A-Za-z0-9]+/))
    .filter(Boolean);
  return [method.toLowerCase(), ...words.map((w) => w[0]!.toUpperCase() + w.slice(1))].join('');
}

const errorRef = (name: string) => ({ $ref: `#/components/responses/${name}` });

export interface HttpRouteOfManifest {
  fn: string;
  method: string;
  path: string;
  routeKey: string;
}

/** Every http route of the manifest, in manifest order. */
export function manifestRoutes(): HttpRouteOfManifest[] {
  return Object.entries(FUNCTIONS).flatMap(([fn, def]) =>
    def.trigger.kind === 'http'
      ? def.trigger.routes.map((routeKey) => {
          const [method, path] = routeKey.split(' ') as [string, string];
          return { fn, method, path, routeKey };
        })
      : [],
  );
}

function operation(route: HttpRouteOfManifest, doc: DocumentedRoute): JsonSchema {
  const isPublic = isPublicRoute(route.routeKey);
  if (isPublic !== (doc.roles === 'public')) {
    throw new Error(
      `OpenAPI: ${route.routeKey} is ${isPublic ? '' : 'not '}public in lib/platform.ts but documented as ${doc.roles === 'public' ? 'public' : 'authenticated'}`,
    );
  }
  const pathNames = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const parameters = [
    ...pathNames.map((name) => {
      const description = PATH_PARAMS[name];
      if (!description) throw new Error(`OpenAPI: no description for path parameter {${name}} of ${route.routeKey}`);
      return { name, in: 'path', required: true, description, schema: { type: 'string', minLength: 1 } };
    }),
    ...(doc.query ? queryParameters(doc.query) : []),
  ];
  const roles = doc.roles === 'public' ? 'none (no token)' : doc.roles.join(', ');
  if (!doc.response && !doc.contentType) throw new Error(`OpenAPI: ${route.routeKey} answers JSON but names no response schema`);
  const content = {
    ...(doc.response ? { 'application/json': { schema: { $ref: `#/components/schemas/${doc.response}` } } } : {}),
    ...(doc.contentType ? { [doc.contentType]: { schema: { type: 'string' } } } : {}),
  };
  const responses: Record<string, unknown> = { [String(doc.status)]: { description: doc.returns, content } };
  if (parameters.length > 0 || doc.body) responses['400'] = errorRef('BadRequest');
  if (doc.roles !== 'public') {
    responses['401'] = errorRef('Unauthenticated');
    responses['403'] = errorRef('Forbidden');
  }
  if (pathNames.length > 0) responses['404'] = errorRef('NotFound');
  responses['429'] = errorRef(isClientLimited(route.routeKey) ? 'RateLimited' : 'Throttled');
  responses['500'] = errorRef('Internal');
  responses['503'] = errorRef('Unavailable');
  return {
    operationId: operationId(route.method, route.path),
    summary: doc.summary,
    description: `${FUNCTIONS[route.fn as keyof typeof FUNCTIONS].description}. Roles: ${roles}.`,
    tags: [route.fn],
    security: doc.roles === 'public' ? [] : [{ bearerAuth: [] }],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(doc.body ? { requestBody: { required: true, content: { 'application/json': { schema: { $ref: `#/components/schemas/${doc.body}` } } } } } : {}),
    responses,
  };
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

/** The OpenAPI 3.1 document. Throws when a manifest route has no entry in ROUTES, or ROUTES one the manifest lacks. */
export function buildOpenApi(): Record<string, unknown> {
  const routes = manifestRoutes();
  const known = new Set(routes.map((r) => r.routeKey));
  const stale = Object.keys(ROUTES).filter((k) => !known.has(k));
  if (stale.length > 0) throw new Error(`OpenAPI: documented routes not in lib/platform.ts: ${stale.join(', ')}`);

  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const doc = ROUTE_DOCS[route.routeKey];
    if (!doc) throw new Error(`OpenAPI: route ${route.routeKey} (${route.fn}) has no entry in its context's routes.ts (functions/query/openapi.ts ROUTES)`);
    const item = (paths[route.path] ??= {});
    const method = route.method.toLowerCase();
    if (item[method]) throw new Error(`OpenAPI: route ${route.routeKey} appears twice in the manifest`);
    item[method] = operation(route, doc);
  }

  const tags = Object.entries(FUNCTIONS)
    .filter(([, def]) => def.trigger.kind === 'http')
    .map(([name, def]) => ({ name, description: def.description }));

  const schemas: Record<string, unknown> = {
    Error: {
      type: 'object',
      properties: {
        error: {
          type: 'object',
          properties: {
            code: { type: 'string', description: 'Machine-readable code, e.g. VALIDATION_FAILED' },
            message: { type: 'string', description: 'What went wrong, for people' },
            details: { type: 'array', description: 'Specific problems, e.g. {path, message} per invalid field', items: {} },
          },
          required: ['code', 'message', 'details'],
          additionalProperties: false,
        },
      },
      required: ['error'],
      additionalProperties: false,
    },
  };
  schemas.GatewayError = {
    type: 'object',
    description: 'What API Gateway itself answers (no token, throttled, the function timed out) before or instead of a handler',
    properties: { message: { type: 'string', examples: ['Unauthorized', 'Too Many Requests', 'Service Unavailable'] } },
    required: ['message'],
  };
  Object.assign(schemas, components(BODIES, 'input'), components({ ...RESPONSES, ...SHARED_PARTS }, 'output'));

  return {
    openapi: OPENAPI_VERSION,
    jsonSchemaDialect: JSON_SCHEMA_DIALECT,
    info: {
      title: 'Public credit information platform API',
      version: '1',
      description:
        'Generated from lib/platform.ts and the zod schemas in functions/<context>/schemas.ts (functions/query/openapi.ts). Errors from a handler have the Error shape with a stable `code`; API Gateway answers some statuses itself (401 without a valid token, 429 when throttled, 503 when a function times out) with the GatewayError shape. Do not edit docs/openapi.json by hand: run `npm run openapi`.',
    },
    tags,
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Cognito ID token (locally: POST /local/token)' },
      },
      schemas,
      responses: {
        BadRequest: errorResponse('Invalid JSON, path, query or body; details lists every problem'),
        Unauthenticated: {
          description: 'No valid bearer token (API Gateway answers {"message": "Unauthorized"})',
          content: { 'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/GatewayError' }, { $ref: '#/components/schemas/Error' }] } } },
        },
        Forbidden: errorResponse('The role or scope does not allow this request'),
        NotFound: errorResponse('No such resource'),
        Internal: errorResponse('Internal error (logged; never a stack trace)'),
        Throttled: {
          description: 'Too many requests (API Gateway throttling; public routes are throttled more tightly)',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/GatewayError' } } },
        },
        RateLimited: {
          description:
            'Too many requests: API Gateway throttling (GatewayError), or this client (source IP) used up its requests of the current window on the anonymous routes (Error, code RATE_LIMITED; `details[0].retryAfterSeconds`)',
          headers: { 'Retry-After': { description: 'Seconds until the next window (RATE_LIMITED only)', schema: { type: 'integer', minimum: 1 } } },
          content: { 'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/GatewayError' }, { $ref: '#/components/schemas/Error' }] } } },
        },
        Unavailable: {
          description: 'The function did not answer in time (API Gateway)',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/GatewayError' } } },
        },
      },
    },
  };
}
