/**
 * Every successful JSON answer a test receives is checked against the response schema the OpenAPI
 * document publishes for its route (functions/query/openapi.ts), fields the schema does not name
 * included: a handler that drifts from its documented shape fails the test that called it.
 */
import { isDeepStrictEqual } from 'node:util';
import { manifestRoutes, successOf } from '../../functions/query/openapi.ts';

const ROUTES = manifestRoutes()
  .map((r) => ({
    routeKey: r.routeKey,
    method: r.method,
    params: (r.path.match(/\{/g) ?? []).length,
    pattern: new RegExp(`^${r.path.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }))
  // a literal segment wins over a parameter (GET /v1/catalog/versions is not a catalog item)
  .sort((a, b) => a.params - b.params);

/** The manifest route a request was served by, e.g. 'GET /v1/batches/{batchId}'. */
export function routeOf(method: string, url: string): string | undefined {
  const path = url.split('?')[0]!;
  return ROUTES.find((r) => r.method === method.toUpperCase() && r.pattern.test(path))?.routeKey;
}

/** Fields in `actual` that parsing dropped (the schema does not name them), as paths. */
function unnamed(actual: unknown, parsed: unknown, at: string): string[] {
  if (Array.isArray(actual) && Array.isArray(parsed)) return actual.flatMap((v, i) => unnamed(v, parsed[i], `${at}[${i}]`));
  if (actual && parsed && typeof actual === 'object' && typeof parsed === 'object') {
    const p = parsed as Record<string, unknown>;
    return Object.entries(actual).flatMap(([k, v]) => (k in p ? unnamed(v, p[k], `${at}.${k}`) : [`${at}.${k}`]));
  }
  return [];
}

/** Why a 2xx JSON body does not match its route's documented schema, or undefined when it does (or has none). */
export function responseProblem(method: string, url: string, status: number, body: unknown): string | undefined {
  if (status < 200 || status >= 300 || body === undefined) return undefined;
  const routeKey = routeOf(method, url);
  const success = routeKey ? successOf(routeKey) : undefined;
  if (!routeKey || !success) return undefined;
  const result = success.schema.safeParse(body);
  if (!result.success) {
    const issues = result.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
    return `${routeKey} answered ${status} with a body its response schema refuses: ${issues.join('; ')}`;
  }
  const extra = unnamed(body, result.data, '');
  if (extra.length > 0) return `${routeKey} answered ${status} with fields its response schema does not name: ${extra.slice(0, 5).join(', ')}`;
  if (!isDeepStrictEqual(result.data, body))
    return `${routeKey}: its response schema changes the body it parses (no defaults or transforms in response schemas)`;
  return undefined;
}
