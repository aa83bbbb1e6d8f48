/**
 * Handlers are typed from their route's response schema (functions/api-routes.ts): the
 * `@ts-expect-error` lines below are what `tsc` must refuse. When the typing stops refusing them,
 * the directive itself is an error, so the typecheck in `npm test` fails.
 */
import { describe, expect, it } from 'vitest';
import { httpHandler, json } from '#adapters/http';
import type { Reply, ResponseOf } from '../../functions/api-routes.ts';

const version = { version: '2026.1', publishedAt: '2026-01-01T00:00:00.000Z', publishedBy: 'admin', items: 1, providers: 1 };

const typed = async (): Promise<Reply<'GET /v1/catalog/versions'>> => json(200, { versions: [version] });
// @ts-expect-error a field the route's response schema does not name
const unnamedField = async (): Promise<Reply<'GET /v1/catalog/versions'>> => json(200, { versions: [version], total: 1 });
// @ts-expect-error a value of the wrong type
const wrongType = async (): Promise<Reply<'GET /v1/catalog/versions'>> => json(200, { versions: [{ ...version, items: '1' }] });
// @ts-expect-error a field the schema requires is missing
const missingField = async (): Promise<Reply<'GET /v1/catalog/versions'>> => json(200, {});
const text = async (): Promise<Reply<'GET /v1/catalog/versions'>> => ({ status: 200, text: 'a CSV answer needs no body' });

/** A handler table built from these, as a context's module builds its own. */
const tables = () => [
  httpHandler({ 'GET /v1/catalog/versions': typed }),
  httpHandler({ 'GET /v1/catalog/versions': text }),
  // @ts-expect-error a handler answering an untyped body (`json` with nothing to bind it)
  httpHandler({ 'GET /v1/catalog/versions': async () => json(200, { versions: [] as unknown }) }),
  // @ts-expect-error another route's body
  httpHandler({ 'GET /v1/catalog/versions': async (): Promise<Reply<'GET /v1/units'>> => json(200, { units: [], next: null }) }),
  // @ts-expect-error a route the API does not have
  httpHandler({ 'GET /v1/no-such-route': typed }),
];

describe('route handlers typed from the response schemas', () => {
  it('types a route by its schema (checked by tsc; here only that the cases exist)', () => {
    const body: ResponseOf<'GET /v1/catalog/versions'> = { versions: [version] };
    expect(body.versions).toHaveLength(1);
    expect([typed, unnamedField, wrongType, missingField, text, tables].every((f) => typeof f === 'function')).toBe(true);
  });
});
