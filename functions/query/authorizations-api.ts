/**
 * Written authorisations (书面授权, SH-REG-2017 Art 17): a subject lets one named unit see its
 * non-public records for one purpose until a date.
 *   POST   /v1/authorizations        {grantee, purpose, items?, expiresAt} → 201 {ref, ...}
 *   DELETE /v1/authorizations/{ref}  revokes (idempotent; another subject's ref is 404)
 *   GET    /v1/authorizations        the caller's own, newest first
 * Only role `subject`. A natural person is stored by the HMAC key of the ID number, never the number.
 */
import { DomainError } from '#core/errors';
import { randomBytes } from 'node:crypto';
import { currentCatalog } from '#adapters/catalog-repo';
import { body, httpHandler, json, requireRole, type HttpRequest } from '#adapters/http';
import { authorizationsOfSubject, putAuthorization, revokeAuthorization, type StoredAuthorization } from '#adapters/authorization-repo';
import { callerSubject } from './credit-file.ts';
import type { z } from 'zod';
import { type AuthorizationView, CreateAuthorization } from './schemas.ts';
import type { Reply } from '../api-routes.ts';

// Crockford base32: no I, L, O, U — refs are read out and typed by people.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
function newRef(): string {
  const bytes = randomBytes(10);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return `AUTH-${out}`;
}

function oneYearAfter(now: Date): Date {
  const d = new Date(now);
  d.setUTCFullYear(d.getUTCFullYear() + 1);
  return d;
}

function view(a: StoredAuthorization, now: string): z.infer<typeof AuthorizationView> {
  return {
    ref: a.ref,
    grantee: a.grantee,
    purpose: a.purpose,
    items: a.items ?? null,
    expiresAt: a.expiresAt,
    createdAt: a.createdAt,
    revokedAt: a.revokedAt ?? null,
    status: a.revokedAt ? 'REVOKED' : now < a.expiresAt ? 'ACTIVE' : 'EXPIRED',
  };
}

async function create(req: HttpRequest): Promise<Reply<'POST /v1/authorizations'>> {
  const caller = requireRole(req, 'subject');
  const own = await callerSubject(caller);
  const input = body(req, CreateAuthorization);
  const now = new Date();
  const expires = new Date(input.expiresAt);
  const problems: Array<{ path: string; message: string }> = [];
  if (!(expires > now)) problems.push({ path: 'body.expiresAt', message: 'must be in the future' });
  if (expires > oneYearAfter(now)) problems.push({ path: 'body.expiresAt', message: 'must be at most one year ahead' });
  if (input.items) {
    const published = await currentCatalog({ items: input.items });
    const seen = new Set<string>();
    input.items.forEach((code, i) => {
      const item = published?.index.item(code);
      if (seen.has(code)) problems.push({ path: `body.items.${i}`, message: `item ${code} is listed twice` });
      else if (!item) problems.push({ path: `body.items.${i}`, message: `item ${code} is not in the published catalog` });
      else if (item.subjectType !== own.type) problems.push({ path: `body.items.${i}`, message: `item ${code} is not a ${own.type} item` });
      seen.add(code);
    });
  }
  if (problems.length) {
    throw new DomainError('invalid', 'VALIDATION_FAILED', `invalid body: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, problems);
  }
  const grant: StoredAuthorization = {
    ref: newRef(),
    subjectType: own.type,
    subjectKey: own.key,
    subjectLabel: own.label,
    grantee: input.grantee,
    purpose: input.purpose,
    ...(input.items ? { items: input.items } : {}),
    expiresAt: expires.toISOString(),
    createdAt: now.toISOString(),
    createdBy: caller.sub,
  };
  await putAuthorization(grant);
  const { ref, grantee, purpose, items, expiresAt, createdAt } = view(grant, grant.createdAt);
  return json(201, { ref, grantee, purpose, items, expiresAt, createdAt });
}

async function revoke(req: HttpRequest): Promise<Reply<'DELETE /v1/authorizations/{ref}'>> {
  const caller = requireRole(req, 'subject');
  const own = await callerSubject(caller);
  const ref = req.path.ref ?? '';
  const now = new Date().toISOString();
  const revoked = /^[A-Z0-9-]{1,64}$/.test(ref) ? await revokeAuthorization(ref, { type: own.type, key: own.key }, now) : null;
  if (!revoked) throw new DomainError('notFound', 'AUTHORIZATION_NOT_FOUND', `you have no authorization ${ref.slice(0, 64)}`);
  return json(200, view(revoked, now));
}

async function list(req: HttpRequest): Promise<Reply<'GET /v1/authorizations'>> {
  const caller = requireRole(req, 'subject');
  const own = await callerSubject(caller);
  const now = new Date().toISOString();
  const all = await authorizationsOfSubject(own.type, own.key);
  return json(200, { authorizations: all.map((a) => view(a, now)) });
}

export const handler = httpHandler({
  'POST /v1/authorizations': create,
  'DELETE /v1/authorizations/{ref}': revoke,
  'GET /v1/authorizations': list,
});
