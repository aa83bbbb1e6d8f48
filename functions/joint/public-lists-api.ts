/**
 * Public credit lists, no token (Art 20: published with their criteria, remedy and exit conditions):
 * GET /v1/public/lists and GET /v1/public/lists/{code}/entries?cursor= — the LISTED entries, newest
 * first, a page at a time; legal persons named, natural persons masked (ID and name).
 */
import { DomainError } from '#core/errors';
import { httpHandler, json, type HttpRequest } from '#adapters/http';
import { admitClient } from '#adapters/rate-limit';
import { entriesOfList } from '#adapters/joint-repo';
import type { Reply } from '../api-routes.ts';
import { published } from './handlers.ts';
import { publicEntry } from './lists.ts';

export const PUBLIC_PAGE = 50;
const CURSOR = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z#[A-Za-z0-9-]{1,80}$/;

async function publicLists(): Promise<Reply<'GET /v1/public/lists'>> {
  const { catalog } = await published();
  const lists = (catalog.creditLists ?? []).filter((l) => l.public);
  return json(200, { lists: lists.map(({ entry, ...l }) => ({ ...l, entry: entry.byDecision ? 'DECISION' : 'RULE' })) });
}

async function publicEntries(req: HttpRequest): Promise<Reply<'GET /v1/public/lists/{code}/entries'>> {
  const { index } = await published();
  const list = index.creditList(req.path.code ?? '');
  if (!list?.public) throw new DomainError('notFound', 'LIST_NOT_FOUND', `no public credit list ${req.path.code}`);
  const cursor = req.query.cursor || undefined;
  if (cursor !== undefined && !CURSOR.test(cursor)) throw new DomainError('invalid', 'INVALID_CURSOR', 'cursor must be the `next` of a previous page');
  const page = await entriesOfList(list.code, 'LISTED', PUBLIC_PAGE, cursor);
  return json(200, {
    list: { code: list.code, name: list.name, kind: list.kind },
    entries: page.entries.map((e) => publicEntry(e.entry)),
    next: page.next ?? null,
  });
}

export const handler = httpHandler({ 'GET /v1/public/lists': publicLists, 'GET /v1/public/lists/{code}/entries': publicEntries }, { clientLimit: admitClient });
