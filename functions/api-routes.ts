/**
 * The success body of every route, as a type: the zod response schema its OpenAPI entry names
 * (functions/query/openapi.ts ROUTES → RESPONSES), inferred. httpHandler (adapters/http.ts) takes
 * a table of routes keyed by route key and checks each handler's result against its route's type,
 * so a handler that answers a field its schema does not name, or a value of the wrong type, fails
 * `tsc`, not only the response check in tests. Types only: nothing here reaches a bundle.
 */
import type { z } from 'zod';
import type { HttpRequest, HttpResponse } from '#adapters/http';
import type { RESPONSES, ROUTES } from './query/openapi.ts';

/** Every route of the API, e.g. 'GET /v1/catalog'. */
export type ApiRouteKey = keyof typeof ROUTES;

/** The JSON success body of route K; never for a route that answers only CSV or HTML. */
export type ResponseOf<K extends ApiRouteKey> = (typeof ROUTES)[K] extends { response: infer N extends keyof typeof RESPONSES }
  ? z.infer<(typeof RESPONSES)[N]>
  : never;

/** What the handler of route K answers: its typed JSON body, or a text body (CSV, HTML). */
export type Reply<K extends ApiRouteKey> = HttpResponse<ResponseOf<K>>;

/** A handler table: each route's handler answers its route's type. */
export type RouteTable = { [K in ApiRouteKey]?: (req: HttpRequest) => Promise<Reply<K>> };
