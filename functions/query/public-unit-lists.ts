/**
 * GET /v1/public/unit-lists (no token): the units' lists in their public comment period (公示,
 * Art 9: a state with a start and an end), with the counts of their changes against the published
 * list, so anyone can see what a unit proposes to collect or use before it is approved. Read from
 * the credit centre's review queue (adapters/unit-list-repo): one page of it per request.
 */
import { DomainError } from '#core/errors';
import { json, validate, type HttpRequest } from '#adapters/http';
import { reviewQueue } from '#adapters/unit-list-repo';
import type { Reply } from '../api-routes.ts';
import { PageQuery } from '../lists/schemas.ts';

/** The queue's sort key (`{submittedAt}#{unit}`) the cursor carries. */
const QUEUE_KEY = /^\d{4}-\d\d-\d\dT[\d:.]+Z#[A-Z0-9_-]{1,64}$/;

export async function publicUnitLists(req: HttpRequest): Promise<Reply<'GET /v1/public/unit-lists'>> {
  const q = validate(PageQuery, req.query, 'query');
  const after = q.cursor === undefined ? undefined : Buffer.from(q.cursor, 'base64url').toString('utf8');
  if (after !== undefined && !QUEUE_KEY.test(after)) throw new DomainError('invalid', 'INVALID_CURSOR', 'the cursor is not one this listing returned');
  const page = await reviewQueue(after, q.limit ?? 50, { inCommentAt: new Date().toISOString() });
  return json(200, {
    lists: page.lists.flatMap((m) =>
      m.commentStart && m.commentEnd
        ? [{ unit: m.unit, rev: m.rev, commentStart: m.commentStart, commentEnd: m.commentEnd, summary: m.commentSummary ?? null }]
        : [],
    ),
    next: page.next ? Buffer.from(page.next, 'utf8').toString('base64url') : null,
  });
}
