/**
 * The HTTP side of thin handlers: API Gateway HTTP API (payload v2) events in, JSON out, errors
 * as {"error": {code, message, details}} and never a stack trace. Routes are matched on the
 * event's routeKey, exactly as API Gateway names them in lib/platform.ts.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyResultV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import { errorMessageZh, localize, preferredLang, type Lang } from '#core/api-messages';
import { callerFromClaims, type Caller, type Role } from '#core/claims';
import { DomainError, type DomainErrorKind } from '#core/errors';
import type { RouteTable } from '../api-routes.ts';
import { RATE_LIMITED_METRIC, type Verdict } from '#core/rate-limit';
import { ENV, isClientLimited } from '#lib/platform';
import { env } from './config.ts';
import { lambdaHandler } from './handler-stack.ts';
import { logger, metrics } from './powertools.ts';

export { CHANNELS, CLAIMS, ROLES, type Caller, type Channel, type Role } from '#core/claims';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown[],
    /** The Chinese message when it says more than the code's sentence (core/api-messages). */
    readonly messageZh?: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface HttpRequest {
  routeKey: string;
  path: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
  caller?: Caller;
  rawBody: string | undefined;
}

/**
 * A handler's answer. `B` is the JSON body's type: httpHandler binds it to the route's response
 * schema (functions/api-routes.ts); every handler is typed so, and unknown is left only for the
 * adapter's own answers (errors) and for reading an answer back.
 */
export interface HttpResponse<B = unknown> {
  status: number;
  body?: B;
  /** Raw text body with its content type (CSV, HTML) instead of JSON. */
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export type Route = (req: HttpRequest) => Promise<HttpResponse>;

/**
 * A JSON answer. The body's type comes from where the answer goes (a handler's declared
 * `Promise<Reply<'GET /v1/…'>>`), never from the body itself, so an object literal with a field its
 * route's schema does not name fails to compile.
 */
export const json = <B = unknown>(status: number, body: NoInfer<B>): HttpResponse<B> => ({ status, body });

function callerOf(event: APIGatewayProxyEventV2WithJWTAuthorizer): Caller | undefined {
  return callerFromClaims(event.requestContext.authorizer?.jwt?.claims, env(ENV.consoleClientId));
}

/** The caller, required to hold one of `roles`. 401 without identity, 403 with the wrong role. */
export function requireRole(req: HttpRequest, ...roles: Role[]): Caller {
  if (!req.caller) throw new HttpError(401, 'UNAUTHENTICATED', 'a valid bearer token is required');
  if (!roles.includes(req.caller.role)) {
    throw new HttpError(403, 'FORBIDDEN', `role '${req.caller.role}' may not call ${req.routeKey}; allowed: ${roles.join(', ')}`);
  }
  return req.caller;
}

/** Parses and validates the JSON body; every problem is listed in `details`. */
export function body<T>(req: HttpRequest, schema: z.ZodType<T>): T {
  let parsed: unknown;
  try {
    parsed = req.rawBody ? JSON.parse(req.rawBody) : undefined;
  } catch (err) {
    throw new HttpError(400, 'INVALID_JSON', `the request body is not valid JSON: ${(err as Error).message}`);
  }
  return validate(schema, parsed, 'body');
}

export function validate<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const details = result.error.issues.map((i) => ({ path: [where, ...i.path].join('.'), message: i.message }));
    const zh = `请求参数不符合要求：${[...new Set(details.map((d) => d.path))].join('、')}`;
    throw new HttpError(400, 'VALIDATION_FAILED', `invalid ${where}: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details, zh);
  }
  return result.data;
}

/** The language the request prefers for messages (Chinese unless `Accept-Language` prefers English). */
export function langOf(req: Pick<HttpRequest, 'headers'>): Lang {
  return preferredLang(req.headers['accept-language'] ?? req.headers['Accept-Language']);
}

function toResult(res: HttpResponse, lang: Lang = 'zh'): APIGatewayProxyResultV2 {
  if (res.text !== undefined) {
    return {
      statusCode: res.status,
      headers: { 'content-type': res.contentType ?? 'text/plain; charset=utf-8', ...res.headers },
      body: res.text,
    };
  }
  return {
    statusCode: res.status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'content-language': lang === 'en' ? 'en' : 'zh-CN', ...res.headers },
    body: res.body === undefined ? '' : JSON.stringify(localize(res.body, lang)),
  };
}

/** The one mapping of use-case errors to HTTP statuses. */
export const DOMAIN_ERROR_STATUS: Record<DomainErrorKind, number> = {
  invalid: 400,
  forbidden: 403,
  notFound: 404,
  conflict: 409,
  gone: 410,
  unprocessable: 422,
  exhausted: 429,
};

/** An error as the response body: a stable code and the message in the language asked for. */
export function errorResult(err: unknown, lang: Lang = 'zh'): APIGatewayProxyResultV2 {
  if (err instanceof HttpError || err instanceof DomainError) {
    const status = err instanceof HttpError ? err.status : DOMAIN_ERROR_STATUS[err.kind];
    const message = lang === 'en' ? err.message : errorMessageZh(err.code, err.messageZh);
    return toResult(json(status, { error: { code: err.code, message, details: err.details ?? [] } }), lang);
  }
  logger.error('unhandled error', { error: err as Error });
  const message = lang === 'en' ? 'internal error; it has been logged' : errorMessageZh('INTERNAL');
  return toResult(json(500, { error: { code: 'INTERNAL', message, details: [] } }), lang);
}

export interface HttpHandlerOptions {
  /**
   * The per-client limit (adapters/rate-limit admitClient), required when the handler serves an
   * anonymous route (lib/platform.ts isClientLimited). It is passed in rather than imported here so
   * a handler without such routes carries no DynamoDB client for it.
   */
  clientLimit?: (sourceIp: string) => Promise<Verdict>;
}

/** 429 with the seconds until the client's window ends (Retry-After, and in details). */
function rateLimited(retryAfterSeconds: number, lang: Lang): APIGatewayProxyResultV2 {
  const err = new HttpError(429, 'RATE_LIMITED', `too many requests from this client; retry after ${retryAfterSeconds} s`, [{ retryAfterSeconds }]);
  const result = errorResult(err, lang) as APIGatewayProxyStructuredResultV2;
  return { ...result, headers: { ...result.headers, 'retry-after': String(retryAfterSeconds) } };
}

/** A Lambda handler serving the given routes (keys are API Gateway route keys). */
export function httpHandler(routes: RouteTable, options: HttpHandlerOptions = {}) {
  const limited = Object.keys(routes).filter(isClientLimited);
  if (limited.length > 0 && !options.clientLimit) throw new Error(`anonymous routes ${limited.join(', ')} need the per-client limit (httpHandler clientLimit)`);
  const run = async (event: APIGatewayProxyEventV2WithJWTAuthorizer, _context: Context): Promise<APIGatewayProxyResultV2> => {
    const headers = (event.headers ?? {}) as Record<string, string>;
    const lang = langOf({ headers });
    const route = (routes as Record<string, Route | undefined>)[event.routeKey];
    if (!route) return errorResult(new HttpError(404, 'NOT_FOUND', `no route ${event.routeKey}`), lang);
    const rawBody = event.body && event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    try {
      if (options.clientLimit && isClientLimited(event.routeKey)) {
        // API Gateway's sourceIp: the address the connection came from (a proxy's, behind one)
        const verdict = await options.clientLimit(event.requestContext.http?.sourceIp ?? '');
        if (!verdict.admitted) {
          // counted, never logged with the address: the dashboard shows how often clients hit the limit
          metrics.addMetric(RATE_LIMITED_METRIC, 'Count', 1);
          return rateLimited(verdict.retryAfterSeconds, lang);
        }
      }
      return toResult(
        await route({
          routeKey: event.routeKey,
          path: (event.pathParameters ?? {}) as Record<string, string>,
          query: (event.queryStringParameters ?? {}) as Record<string, string>,
          headers,
          caller: callerOf(event),
          rawBody,
        }),
        lang,
      );
    } catch (err) {
      return errorResult(err, lang);
    }
  };
  return lambdaHandler(run);
}
