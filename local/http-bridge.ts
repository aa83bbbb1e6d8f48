/**
 * The local API Gateway: an HTTP server that turns each request into an HTTP API (payload v2)
 * event with the verified JWT claims, invokes the route's handler, and writes its result back.
 * Routes come from lib/platform.ts, like the deployed HTTP API's. It enforces the limits AWS does,
 * with the answers AWS gives, so a response that would fail there fails in tests (AWS_LIMITS).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { errorMessageZh, preferredLang } from '#core/api-messages';
import { isPublicRoute } from '#lib/platform';
import { lambdaContext } from './lambda-context.ts';
import type { LocalIssuer } from './local-auth.ts';

/**
 * Idle keep-alive connections stay open this long past the timeout the servers advertise (5 s). A
 * client reuses a connection up to a second before the advertised end; on the shared, starved machine
 * its request was seen reaching a socket the server had just closed (ECONNRESET, EPIPE) when the
 * default 1 s margin was all there was.
 */
export const KEEP_ALIVE_MARGIN = { keepAliveTimeoutBuffer: 30_000 };

export type HttpLambda = (
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  context: ReturnType<typeof lambdaContext>,
) => Promise<APIGatewayProxyStructuredResultV2>;

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

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/**
 * The client's address, as API Gateway's `sourceIp` gives it: the socket's peer. The local gateway
 * listens on 127.0.0.1 only, so every peer is this machine; a request from it may name the client
 * it stands for in X-Forwarded-For (its first address), as a local proxy would — this is how tests
 * act as several clients of the per-client limit. API Gateway HTTP APIs ignore the header for
 * sourceIp, and the deployed functions never read it.
 */
export function sourceIpOf(req: IncomingMessage): string {
  const peer = req.socket.remoteAddress ?? '127.0.0.1';
  const forwarded = req.headers['x-forwarded-for'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return LOOPBACK.test(peer) && first ? first : peer;
}

/**
 * The limits of API Gateway HTTP APIs and Lambda that a request or response can hit:
 *   requestBytes   10 MB request payload (HTTP API quota) → 413 "HTTP content length exceeded 10485760 bytes."
 *   responseBytes  6 MB synchronous Lambda invocation response (6,291,556 bytes: the whole
 *                  serialised {statusCode, headers, body}); the invocation fails, and an HTTP API
 *                  answers a failed Lambda integration 500 {"message":"Internal Server Error"}
 *   timeoutMs      30 s, the HTTP API's maximum (and default) integration timeout → 503
 *                  {"message":"Service Unavailable"}; the function itself runs on, as in AWS
 */
export const AWS_LIMITS = { requestBytes: 10 * 1024 * 1024, responseBytes: 6_291_556, timeoutMs: 30_000 } as const;
export type BridgeLimits = { requestBytes: number; responseBytes: number; timeoutMs: number };

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
      res.writeHead(200, {
        'content-type': STATIC_TYPES[extname(candidate)] ?? 'application/octet-stream',
        'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
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

/** The bridge's own errors, in the caller's language like the handlers' (core/api-messages). */
const errorBody = (code: string, message: string, req?: IncomingMessage) => ({
  error: { code, message: preferredLang(req?.headers['accept-language']) === 'en' ? message : errorMessageZh(code), details: [] },
});

async function readBody(req: IncomingMessage, max: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  // read to the end even when over the limit, so the client gets the 413 rather than a reset connection
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > max) over = true;
    else chunks.push(c as Buffer);
  }
  return over ? null : Buffer.concat(chunks).toString('utf8');
}

const TIMED_OUT = Symbol('timed out');

/** The handler's result, or TIMED_OUT once the integration timeout has passed. */
async function withinTimeout<T>(work: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => (timer = setTimeout(() => resolve(TIMED_OUT), ms)));
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function startHttpBridge(o: {
  port: number;
  routes: RouteBinding[];
  issuer: LocalIssuer;
  local: Record<string, LocalRoute>;
  /** Directory of the built web console, served at `/` for GET requests outside the API. */
  staticDir?: string;
  onError: (e: unknown) => void;
  /** AWS_LIMITS unless a test narrows one. */
  limits?: Partial<BridgeLimits>;
}): Promise<Server> {
  const routes = o.routes.map(compile);
  const limits: BridgeLimits = { ...AWS_LIMITS, ...o.limits };
  const server = createServer(KEEP_ALIVE_MARGIN, async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const body = await readBody(req, limits.requestBytes);
      if (body === null) {
        return send(res, 413, `HTTP content length exceeded ${limits.requestBytes} bytes.`, { 'content-type': 'text/plain; charset=utf-8' });
      }
      const localRoute = o.local[`${req.method} ${url.pathname}`];
      if (localRoute) {
        const out = await localRoute(req, body);
        return send(res, out.status, out.body);
      }
      let match: RegExpExecArray | null = null;
      const route = routes.find((r) => r.method === req.method && (match = r.pattern.exec(url.pathname)));
      if ((!route || !match) && req.method === 'GET' && o.staticDir && !url.pathname.startsWith('/v1/') && (await serveStatic(o.staticDir, url.pathname, res)))
        return;
      if (!route || !match) {
        const allowed = routes.some((r) => r.pattern.test(url.pathname));
        return send(res, allowed ? 405 : 404, errorBody(allowed ? 'METHOD_NOT_ALLOWED' : 'NOT_FOUND', `no route ${req.method} ${url.pathname}`, req));
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
          http: {
            method: route.method,
            path: url.pathname,
            protocol: 'HTTP/1.1',
            sourceIp: sourceIpOf(req),
            userAgent: headers['user-agent'] ?? '',
          },
          requestId: randomUUID(),
          routeKey: `${route.method} ${route.template}`,
          stage: '$default',
          time: now.toUTCString(),
          timeEpoch: now.getTime(),
          authorizer: claims ? { principalId: '', integrationLatency: 0, jwt: { claims, scopes: [] } } : undefined,
        },
      } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
      const handler = await route.handler();
      const invocation = handler(event, lambdaContext(route.functionName, 29_000));
      invocation.catch(() => undefined); // after a timeout its failure is the function's own business, as in AWS
      const result = await withinTimeout(invocation, limits.timeoutMs);
      if (result === TIMED_OUT) {
        o.onError(new Error(`${route.method} ${route.template}: no answer within the ${limits.timeoutMs} ms integration timeout (API Gateway answers 503)`));
        return send(res, 503, { message: 'Service Unavailable' });
      }
      const size = Buffer.byteLength(JSON.stringify(result));
      if (size > limits.responseBytes) {
        o.onError(
          new Error(`${route.method} ${route.template}: response payload of ${size} bytes exceeds Lambda's ${limits.responseBytes} (API Gateway answers 500)`),
        );
        return send(res, 500, { message: 'Internal Server Error' });
      }
      res.writeHead(result.statusCode ?? 200, (result.headers ?? {}) as Record<string, string>);
      res.end(result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? ''));
    } catch (err) {
      o.onError(err);
      if (!res.headersSent) send(res, 500, errorBody('INTERNAL', 'internal error; it has been logged', req));
      else res.end();
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, '127.0.0.1', () => resolve(server));
  });
}
