/**
 * The local API Gateway: an HTTP server that turns each request into an HTTP API (payload v2)
 * event with the verified JWT claims, invokes the route's handler, and writes its result back.
 * Routes come from lib/platform.ts, like the deployed HTTP API's.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { isPublicRoute } from '#lib/platform';
import { lambdaContext } from './lambda-context.ts';
import type { LocalIssuer } from './local-auth.ts';

export type HttpLambda = (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: ReturnType<typeof lambdaContext>) => Promise<APIGatewayProxyStructuredResultV2>;

export interface RouteBinding {
  method: string;
  template: string;
  functionName: string;
  handler: () => Promise<HttpLambda>;
}

interface CompiledRoute extends RouteBinding {
  pattern: RegExp;
  params: string[];
}

export type LocalRoute = (req: IncomingMessage, body: string) => Promise<{ status: number; body: unknown }>;

const MAX_BODY = 10 * 1024 * 1024;

const STATIC_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
};

/**
 * The web console's built files (what CloudFront serves from S3 in AWS): a file under `root`, or
 * index.html for any other page path (client-side routes). False when there is nothing to serve.
 */
async function serveStatic(root: string, pathname: string, res: ServerResponse): Promise<boolean> {
  const file = normalize(join(root, decodeURIComponent(pathname)));
  if (!file.startsWith(root + sep) && file !== root) return false;
  for (const candidate of extname(file) ? [file] : [join(root, 'index.html')]) {
    try {
      const body = await readFile(candidate);
      const hashed = candidate.includes(`${sep}assets${sep}`);
      res.writeHead(200, { 'content-type': STATIC_TYPES[extname(candidate)] ?? 'application/octet-stream', 'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache' });
      res.end(body);
      return true;
    } catch {
      return false;
    }
  }
  return false;
}

function compile(r: RouteBinding): CompiledRoute {
  const params: string[] = [];
  const source = r.template
    .split('/')
    .map((seg) => {
      const m = /^\{(\w+)\}$/.exec(seg);
      if (!m) return seg.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      params.push(m[1]!);
      return '([^/]+)';
    })
    .join('/');
  return { ...r, pattern: new RegExp(`^${source}$`), params };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

const errorBody = (code: string, message: string) => ({ error: { code, message, details: [] } });

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) return null;
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function startHttpBridge(o: {
  port: number;
  routes: RouteBinding[];
  issuer: LocalIssuer;
  local: Record<string, LocalRoute>;
  /** Directory of the built web console, served at `/` for GET requests outside the API. */
  staticDir?: string;
  onError: (e: unknown) => void;
}): Promise<Server> {
  const routes = o.routes.map(compile);
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const body = await readBody(req);
      if (body === null) return send(res, 413, errorBody('PAYLOAD_TOO_LARGE', `request bodies are limited to ${MAX_BODY} bytes`));
      const localRoute = o.local[`${req.method} ${url.pathname}`];
      if (localRoute) {
        const out = await localRoute(req, body);
        return send(res, out.status, out.body);
      }
      let match: RegExpExecArray | null = null;
      const route = routes.find((r) => r.method === req.method && (match = r.pattern.exec(url.pathname)));
      if ((!route || !match) && req.method === 'GET' && o.staticDir && !url.pathname.startsWith('/v1/') && (await serveStatic(o.staticDir, url.pathname, res))) return;
      if (!route || !match) {
        const allowed = routes.some((r) => r.pattern.test(url.pathname));
        return send(res, allowed ? 405 : 404, errorBody(allowed ? 'METHOD_NOT_ALLOWED' : 'NOT_FOUND', `no route ${req.method} ${url.pathname}`));
      }
      const params: Record<string, string> = {};
      route.params.forEach((p, i) => {
        params[p] = decodeURIComponent((match as RegExpExecArray)[i + 1]!);
      });

      let claims: Record<string, string | number | boolean | string[]> | undefined;
      if (!isPublicRoute(`${route.method} ${route.template}`)) {
        // API Gateway's JWT authorizer: no valid token, no invocation
        const auth = req.headers.authorization ?? '';
        const token = /^Bearer (.+)$/i.exec(auth)?.[1];
        if (!token) return send(res, 401, { message: 'Unauthorized' });
        try {
          claims = (await o.issuer.verify(token)) as typeof claims;
        } catch {
          return send(res, 401, { message: 'Unauthorized' });
        }
      }
      const query: Record<string, string> = {};
      url.searchParams.forEach((v, k) => {
        query[k] = query[k] !== undefined ? `${query[k]},${v}` : v;
      });
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      const now = new Date();
      const event = {
        version: '2.0',
        routeKey: `${route.method} ${route.template}`,
        rawPath: url.pathname,
        rawQueryString: url.search.slice(1),
        headers,
        queryStringParameters: Object.keys(query).length ? query : undefined,
        pathParameters: route.params.length ? params : undefined,
        body: body || undefined,
        isBase64Encoded: false,
        requestContext: {
          accountId: '000000000000',
          apiId: 'local',
          domainName: headers.host ?? 'localhost',
          domainPrefix: 'local',
          http: { method: route.method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
          requestId: randomUUID(),
          routeKey: `${route.method} ${route.template}`,
          stage: '$default',
          time: now.toUTCString(),
          timeEpoch: now.getTime(),
          authorizer: claims ? { principalId: '', integrationLatency: 0, jwt: { claims, scopes: [] } } : undefined,
        },
      } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
      const handler = await route.handler();
      const result = await handler(event, lambdaContext(route.functionName, 29_000));
      res.writeHead(result.statusCode ?? 200, (result.headers ?? {}) as Record<string, string>);
      res.end(result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? ''));
    } catch (err) {
      o.onError(err);
      if (!res.headersSent) send(res, 500, errorBody('INTERNAL', 'internal error; it has been logged'));
      else res.end();
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, '127.0.0.1', () => resolve(server));
  });
}
