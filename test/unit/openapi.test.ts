import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS, isPublicRoute } from '#lib/platform';
import { build } from 'esbuild';
import { gunzipSync } from 'node:zlib';
import { buildOpenApi, successOf } from '../../functions/query/openapi.ts';
import { OPENAPI_GZIP_BASE64 } from '../../functions/query/openapi-document.ts';
import { responseProblem } from '../support/response-check.ts';

const committedPath = join(import.meta.dirname, '../../docs/openapi.json');
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, any>>;
  components: { schemas: Record<string, any> };
};

const built = () => buildOpenApi() as unknown as Doc;

const manifestRouteKeys = () => Object.values(FUNCTIONS).flatMap((def) => (def.trigger.kind === 'http' ? def.trigger.routes : []));

describe('OpenAPI document', () => {
  it('matches the committed docs/openapi.json (run `npm run openapi` after changing routes or schemas)', () => {
    const committed = JSON.parse(readFileSync(committedPath, 'utf8'));
    expect(built(), 'docs/openapi.json is out of date: run `npm run openapi` and commit the result').toEqual(committed);
  });

  it('is served as committed: the gzipped copy the function serves is docs/openapi.json', () => {
    const served = JSON.parse(gunzipSync(Buffer.from(OPENAPI_GZIP_BASE64, 'base64')).toString('utf8'));
    expect(served, 'functions/query/openapi-document.ts is out of date: run `npm run openapi`').toEqual(JSON.parse(readFileSync(committedPath, 'utf8')));
  });

  it('is deterministic', () => {
    expect(JSON.stringify(buildOpenApi())).toBe(JSON.stringify(buildOpenApi()));
  });

  it('lists every manifest http route exactly once, and nothing else', () => {
    const doc = built();
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((m) => METHODS.includes(m))
        .map((m) => `${m.toUpperCase()} ${path}`),
    );
    const routes = manifestRouteKeys();
    expect(new Set(routes).size).toBe(routes.length);
    expect([...documented].sort()).toEqual([...routes].sort());
    expect(documented).toContain('GET /v1/openapi.json');
  });

  it('has a summary, a security requirement (none for public routes) and the error schema on every operation', () => {
    for (const [path, item] of Object.entries(built().paths)) {
      for (const [method, op] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect(op.summary, where).toMatch(/\S/);
        expect(op.operationId, where).toMatch(/^[a-z][A-Za-z0-9]*$/);
        if (isPublicRoute(where)) expect(op.security, where).toEqual([]);
        else expect(op.security, where).toEqual([{ bearerAuth: [] }]);
        expect(op.responses['500'], where).toEqual({ $ref: '#/components/responses/Internal' });
        for (const name of path.matchAll(/\{([^}]+)\}/g)) {
          expect(
            op.parameters.filter((p: any) => p.in === 'path' && p.name === name[1]),
            where,
          ).toHaveLength(1);
        }
      }
    }
  });

  it('describes request bodies and query parameters with JSON Schema objects from the zod schemas', () => {
    const doc = built();
    const schemas = doc.components.schemas;
    expect(schemas.Error.properties.error.required).toEqual(['code', 'message', 'details']);
    let bodies = 0;
    for (const item of Object.values(doc.paths)) {
      for (const op of Object.values(item)) {
        for (const p of op.parameters ?? []) expect(typeof p.schema, p.name).toBe('object');
        if (!op.requestBody) continue;
        bodies++;
        const ref: string = op.requestBody.content['application/json'].schema.$ref;
        const schema = schemas[ref.replace('#/components/schemas/', '')];
        expect(schema, ref).toBeDefined();
        expect(schema.type, ref).toBe('object');
        expect(Object.keys(schema.properties).length, ref).toBeGreaterThan(0);
        expect(schema.$schema, ref).toBeUndefined();
      }
    }
    expect(bodies).toBe(24); // 11 + the calendar arrangement + a unit (PUT /v1/units/{code}) + the five joint bodies + a subject reference + five of units' lists (entry, submit, comment period, approve, return)
    expect(schemas.CheckRequest.required).toEqual(expect.arrayContaining(['subjectType', 'ids', 'purpose']));
    expect(schemas.CreateObjection.required).toEqual(['recordId', 'reason']);
    expect(schemas.ObjectionDecision.properties.outcome.enum).toEqual(['CORRECTED', 'DELETED', 'UPHELD']);
    expect(schemas.RepairRequest.required).toEqual(expect.arrayContaining(['subject', 'certificateNo', 'issuedOn']));
    const publicSearch = Object.fromEntries(doc.paths['/v1/public/publicity']!.get.parameters.map((p: any) => [p.name, p.required]));
    expect(publicSearch).toEqual({ type: true, q: true, pageSize: false, cursor: false }); // paged by cursor, never by page number
  });

  it('types the receipt responses from their schemas and lists the gateway error shapes', () => {
    const doc = built();
    const schemas = doc.components.schemas;
    const ok = (route: string, status: string) => {
      const [method, path] = route.split(' ') as [string, string];
      return doc.paths[path]![method.toLowerCase()].responses[status].content['application/json'].schema;
    };
    expect(ok('GET /v1/batches/{batchId}', '200')).toEqual({ $ref: '#/components/schemas/Receipt' });
    expect(ok('GET /v1/batches', '200')).toEqual({ $ref: '#/components/schemas/BatchList' });
    expect(schemas.Receipt.properties.status.enum).toEqual(['RECEIVED', 'PROCESSING', 'COMPLETED', 'FAILED']);
    expect(schemas.Receipt.required).toEqual(expect.arrayContaining(['batchId', 'rows', 'accepted', 'rejected', 'errors']));
    expect(schemas.GatewayError.required).toEqual(['message']);
    const openapi = doc.paths['/v1/openapi.json']!.get;
    expect(openapi.security).toEqual([]);
    expect(openapi.responses['401']).toBeUndefined();
    expect(openapi.responses['429']).toEqual({ $ref: '#/components/responses/Throttled' });
  });
});

describe('typed responses', () => {
  it('every route answering JSON names its response schema (a component), and only CSV or HTML routes lack one', () => {
    const doc = built();
    const untyped: string[] = [];
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const success = Object.entries(op.responses as Record<string, any>).find(([status]) => status.startsWith('2'));
        const content = success?.[1].content as Record<string, { schema: { $ref?: string } }>;
        const ref = content['application/json']?.schema.$ref;
        if (content['application/json'] && !ref) untyped.push(`${method.toUpperCase()} ${path}`);
        if (ref) expect(doc.components.schemas[ref.replace('#/components/schemas/', '')], ref).toBeDefined();
        if (!content['application/json'])
          expect(
            Object.keys(content).every((t) => t.startsWith('text/')),
            path,
          ).toBe(true);
      }
    }
    expect(untyped).toEqual([]);
    const withoutJson = manifestRouteKeys().filter((k) => !successOf(k));
    expect(withoutJson).toEqual(['GET /v1/batches/{batchId}/rejections']);
  });

  it('the response check (test/support/response-check.ts, run on every answer tests receive) refuses a drifted body', () => {
    const run = { runId: 'r1', status: 'RUNNING' };
    expect(responseProblem('POST', '/v1/exports/run', 202, run)).toBeUndefined();
    expect(responseProblem('POST', '/v1/exports/run', 202, { ...run, extra: 1 })).toMatch(/does not name: \.extra/);
    expect(responseProblem('POST', '/v1/exports/run', 202, { runId: 'r1' })).toMatch(/POST \/v1\/exports\/run answered 202 .*status/);
    expect(responseProblem('GET', '/v1/calendar/2027?x=1', 200, { year: 2027, source: 'provisional', holidays: [], workdays: [], note: '' })).toMatch(/\.note/);
    // a literal segment is not taken for a parameter; errors and non-JSON answers are not checked here
    expect(responseProblem('GET', '/v1/catalog/versions', 200, { versions: [] })).toBeUndefined();
    expect(responseProblem('GET', '/v1/catalog', 404, { error: {} })).toBeUndefined();
    expect(responseProblem('GET', '/v1/reports/annual', 200, undefined)).toBeUndefined();
  });
});

describe('the OpenAPI function', () => {
  const bundle = (entry: string) =>
    build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      mainFields: ['module', 'main'],
      minify: true,
      write: false,
      metafile: true,
      outdir: 'out',
      logLevel: 'silent',
    });

  it('bundles well under 300 KB, as CDK bundles it (minified, SDK included)', async () => {
    const out = await bundle('functions/query/openapi-api.ts');
    const bytes = out.outputFiles.reduce((n, f) => n + f.contents.length, 0);
    expect(bytes).toBeLessThan(300_000);
    const inputs = Object.keys(out.metafile.inputs);
    expect(inputs.filter((i) => /@aws-sdk\/client-|iconv-lite|vega|node_modules\/zod\//.test(i))).toEqual([]);
  });

  it('the document builder reads schemas, never a handler or an adapter', async () => {
    const inputs = Object.keys((await bundle('functions/query/openapi.ts')).metafile.inputs).filter((i) => i.startsWith('functions/'));
    expect(inputs.filter((i) => /-api\.ts$|^functions\/adapters\//.test(i))).toEqual([]);
    expect(inputs).toEqual(expect.arrayContaining(['functions/ingest/schemas.ts', 'functions/rights/schemas.ts']));
  });
});
