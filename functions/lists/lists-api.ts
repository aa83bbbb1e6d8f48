/**
 * Lists maintained by their units (issue 16 part 4):
 *   GET    /v1/lists                                   (admin) the lists in review
 *   GET    /v1/lists/{unit}                            (the unit, admin) state, staged draft, comments
 *   PUT    /v1/lists/{unit}/entries/{section}/{key}    (the unit) stage an entry (added or changed)
 *   DELETE /v1/lists/{unit}/entries/{section}/{key}    (the unit) stage the removal of a published entry, or drop a staged one
 *   POST   /v1/lists/{unit}/submit                     (the unit) submit for review
 *   GET    /v1/lists/{unit}/review                     (the unit, admin) diff, dry run, problems
 *   POST   /v1/lists/{unit}/comment-period             (admin) open the public comment period
 *   POST   /v1/lists/{unit}/approve                    (admin) publish the unit's changes only
 *   POST   /v1/lists/{unit}/return                     (admin) back to the unit with comments
 *   GET    /v1/lists/{unit}/history                    (the unit, admin)
 * A provider keeps its items, a government unit its matters and applications.
 */
import { randomUUID } from 'node:crypto';
import { UNIT_CODE } from '#core/units';
import { DomainError } from '#core/errors';
import type { Reply } from '../api-routes.ts';
import { APPROVING_LEASE_MS, EDITABLE, MAX_LIST_CHANGES, approvableAt, commentPeriodProblems, entryProblems, type ListSection } from '#core/unit-lists';
import { CatalogBusyError, ownerEntries, publishChanges, publishedEntries, VersionExistsError } from '#adapters/catalog-repo';
import { requestSnapshot } from '#adapters/catalog-snapshot';
import { body, httpHandler, json, requireRole, validate, type Caller, type HttpRequest } from '#adapters/http';
import { deleteChanges, getListMeta, listChanges, listHistory, reviewQueue, stageChange, unstageChange } from '#adapters/unit-list-repo';
import { claimApproval, finishApproval, openCommentPeriod, releaseApproval, returnList, submitList } from '#adapters/unit-list-transitions';
import { changeView, diffSummary, metaView, reviewList } from './review.ts';
import { CommentPeriodBody, ListSectionParam, PageQuery, ReturnBody, RevBody } from './schemas.ts';

/** Which sections each role keeps in its unit's list. */
const SECTIONS_OF: Partial<Record<Caller['role'], readonly ListSection[]>> = {
  provider: ['items'],
  gov: ['matters', 'applications'],
  admin: ['items', 'matters', 'applications'],
};

function unitOf(req: HttpRequest): string {
  const unit = req.path.unit ?? '';
  if (!UNIT_CODE.test(unit))
    throw new DomainError('invalid', 'INVALID_UNIT_CODE', `unit code '${unit}' must be upper-case letters, digits, "-" or "_" (at most 64)`);
  return unit;
}

/** The unit itself (its provider or government users) or the credit centre. */
function requireUnitOrAdmin(req: HttpRequest, unit: string): Caller {
  const caller = requireRole(req, 'admin', 'provider', 'gov');
  if (caller.role !== 'admin' && caller.unit !== unit)
    throw new DomainError('forbidden', 'NOT_YOUR_UNIT_LIST', `a unit keeps its own list only; this is the list of '${unit}'`);
  return caller;
}

const by = (caller: Caller) => caller.sub || caller.unit || caller.role;

function cursorIn(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[\w:.+#-]{1,300}$/.test(raw)) throw new DomainError('invalid', 'INVALID_CURSOR', 'the cursor is not one this listing returned');
  return raw;
}
const cursorOut = (next: string | undefined) => (next ? Buffer.from(next, 'utf8').toString('base64url') : null);

async function getQueue(req: HttpRequest): Promise<Reply<'GET /v1/lists'>> {
  requireRole(req, 'admin');
  const q = validate(PageQuery, req.query, 'query');
  const { lists, next } = await reviewQueue(cursorIn(q.cursor), q.limit ?? 50);
  return json(200, { lists: lists.map((m) => metaView(m.unit, m)), next: cursorOut(next) });
}

async function getList(req: HttpRequest): Promise<Reply<'GET /v1/lists/{unit}'>> {
  const unit = unitOf(req);
  requireUnitOrAdmin(req, unit);
  const meta = await getListMeta(unit);
  const draft = meta && meta.changes > 0 ? await listChanges(unit) : [];
  const [items, matters, applications] = await Promise.all((['items', 'matters', 'applications'] as const).map((s) => ownerEntries(s, unit)));
  return json(200, {
    ...metaView(unit, meta),
    draft: draft.map(changeView),
    published: { items: items!.length, matters: matters!.length, applications: applications!.length },
  });
}

/** Section and key from the path, and that the caller keeps that section. */
function entryTarget(req: HttpRequest, caller: Caller): { section: ListSection; key: string } {
  const section = validate(ListSectionParam, req.path.section, 'path.section');
  if (!(SECTIONS_OF[caller.role] ?? []).includes(section)) {
    throw new DomainError(
      'forbidden',
      'SECTION_NOT_YOURS',
      `role '${caller.role}' does not keep ${section} (providers keep items; government units matters and applications)`,
    );
  }
  const key = req.path.key ?? '';
  if (!/^[A-Z0-9][A-Z0-9_#-]{0,140}$/.test(key)) throw new DomainError('invalid', 'INVALID_ENTRY_KEY', `'${key}' is not an entry key`);
  return { section, key };
}

/** Why an edit was refused: the list is in review or full, or a concurrent edit won (retry). */
async function editRefused(unit: string): Promise<never> {
  const meta = await getListMeta(unit);
  if (meta && !EDITABLE.includes(meta.status)) {
    throw new DomainError('conflict', 'UNIT_LIST_NOT_EDITABLE', `the list is ${meta.status}; it can be edited again once it is returned or published`);
  }
  if (meta && meta.changes >= MAX_LIST_CHANGES) throw new DomainError('conflict', 'UNIT_LIST_FULL', `a submission holds at most ${MAX_LIST_CHANGES} changes`);
  throw new DomainError('conflict', 'UNIT_LIST_CHANGED', 'the list changed at the same moment; read it again and retry');
}

async function putEntry(req: HttpRequest): Promise<Reply<'PUT /v1/lists/{unit}/entries/{section}/{key}'>> {
  const unit = unitOf(req);
  const caller = requireUnitOrAdmin(req, unit);
  const { section, key } = entryTarget(req, caller);
  let entry: unknown;
  try {
    entry = JSON.parse(req.rawBody ?? '');
  } catch (err) {
    throw new DomainError('invalid', 'INVALID_JSON', `the entry is not valid JSON: ${(err as Error).message}`);
  }
  const problems = entryProblems(section, unit, key, entry);
  if (problems.length > 0) throw new DomainError('invalid', 'INVALID_LIST_ENTRY', `the entry has ${problems.length} problem(s); nothing was staged`, problems);
  if (!(await stageChange(unit, { section, key, entry }, by(caller)))) await editRefused(unit);
  return json(200, metaView(unit, await getListMeta(unit)));
}

async function deleteEntry(req: HttpRequest): Promise<Reply<'DELETE /v1/lists/{unit}/entries/{section}/{key}'>> {
  const unit = unitOf(req);
  const caller = requireUnitOrAdmin(req, unit);
  const { section, key } = entryTarget(req, caller);
  const published = await publishedEntries(section, [key]);
  const live = published.get(key);
  if (live !== undefined && entryProblems(section, unit, key, live).some((p) => p.code === 'NOT_YOUR_ENTRY')) {
    throw new DomainError('forbidden', 'NOT_YOUR_UNIT_LIST', `${section} '${key}' is not in the list of '${unit}'`);
  }
  if (live !== undefined) {
    if (!(await stageChange(unit, { section, key }, by(caller)))) await editRefused(unit);
  } else if (!(await unstageChange(unit, section, key, by(caller)))) {
    const meta = await getListMeta(unit);
    if (meta && !EDITABLE.includes(meta.status)) await editRefused(unit);
    throw new DomainError('notFound', 'UNIT_LIST_ENTRY_NOT_FOUND', `${section} '${key}' is neither published in nor staged for the list of '${unit}'`);
  }
  return json(200, metaView(unit, await getListMeta(unit)));
}

/** A transition refused: the list is not where the caller saw it. */
async function transitionRefused(unit: string, rev: number, action: string): Promise<never> {
  const meta = await getListMeta(unit);
  if (!meta) throw new DomainError('notFound', 'UNIT_LIST_NOT_FOUND', `unit '${unit}' has no list draft`);
  if (meta.rev !== rev) throw new DomainError('conflict', 'UNIT_LIST_CHANGED', `the list is at rev ${meta.rev}, not ${rev}: read it again`);
  if (action === 'submit' && meta.changes === 0) throw new DomainError('conflict', 'UNIT_LIST_EMPTY', 'the draft stages no change; nothing to submit');
  throw new DomainError(
    'conflict',
    'UNIT_LIST_WRONG_STATE',
    `a ${meta.status} list cannot be ${action === 'submit' ? 'submitted' : action === 'comment' ? 'put to public comment' : `${action}ed`}`,
  );
}

async function submit(req: HttpRequest): Promise<Reply<'POST /v1/lists/{unit}/submit'>> {
  const unit = unitOf(req);
  const caller = requireUnitOrAdmin(req, unit);
  const { rev } = body(req, RevBody);
  if (!(await submitList(unit, rev, by(caller)))) await transitionRefused(unit, rev, 'submit');
  return json(200, metaView(unit, await getListMeta(unit)));
}

async function review(req: HttpRequest): Promise<Reply<'GET /v1/lists/{unit}/review'>> {
  const unit = unitOf(req);
  requireUnitOrAdmin(req, unit);
  const { meta, view } = await reviewList(unit);
  return json(200, { ...view, approvable: meta !== null && approvableAt(meta, new Date()) && view.problems.length === 0 });
}

async function commentPeriod(req: HttpRequest): Promise<Reply<'POST /v1/lists/{unit}/comment-period'>> {
  const caller = requireRole(req, 'admin');
  const unit = unitOf(req);
  const input = body(req, CommentPeriodBody);
  const problems = commentPeriodProblems(input.start, input.end, new Date());
  if (problems.length > 0) throw new DomainError('invalid', 'INVALID_COMMENT_PERIOD', `the comment period is not valid: ${problems.join('; ')}`);
  const start = new Date(input.start).toISOString();
  const end = new Date(input.end).toISOString();
  // the diff's counts, shown publicly with the list while its period runs (the draft is frozen in review)
  const summary = await diffSummary(unit);
  if (!(await openCommentPeriod(unit, input.rev, start, end, by(caller), summary))) await transitionRefused(unit, input.rev, 'comment');
  return json(200, metaView(unit, await getListMeta(unit)));
}

async function returnRoute(req: HttpRequest): Promise<Reply<'POST /v1/lists/{unit}/return'>> {
  const caller = requireRole(req, 'admin');
  const unit = unitOf(req);
  const input = body(req, ReturnBody);
  if (!(await returnList(unit, input.rev, input.comments, by(caller)))) await transitionRefused(unit, input.rev, 'return');
  return json(200, metaView(unit, await getListMeta(unit)));
}

async function approve(req: HttpRequest): Promise<Reply<'POST /v1/lists/{unit}/approve'>> {
  const caller = requireRole(req, 'admin');
  const unit = unitOf(req);
  const { rev } = body(req, RevBody);
  const { meta, changes, view } = await reviewList(unit);
  if (!meta) throw new DomainError('notFound', 'UNIT_LIST_NOT_FOUND', `unit '${unit}' has no list draft`);
  if (meta.rev !== rev) throw new DomainError('conflict', 'UNIT_LIST_CHANGED', `the list is at rev ${meta.rev}, not ${rev}: read it again`);
  const now = new Date();
  if (meta.status === 'COMMENT' && !approvableAt(meta, now)) {
    throw new DomainError('conflict', 'COMMENT_PERIOD_OPEN', `the public comment period runs until ${meta.commentEnd}; approve after it`);
  }
  if (meta.status !== 'APPROVING' && !approvableAt(meta, now)) await transitionRefused(unit, rev, 'approv');
  if (view.problems.length > 0) {
    throw new DomainError('unprocessable', 'UNIT_LIST_HAS_PROBLEMS', `the list has ${view.problems.length} problem(s); nothing was published`, view.problems);
  }
  const token = randomUUID();
  if (!(await claimApproval(unit, rev, token, new Date(now.getTime() - APPROVING_LEASE_MS).toISOString()))) {
    throw new DomainError('conflict', 'UNIT_LIST_CHANGED', 'another action on this list won the race (approval, return); read it again');
  }
  const version = `LIST-${unit}-${rev}`;
  try {
    await publishChanges({ version, claim: `list:${unit}:${rev}`, owner: unit, changes }, by(caller));
  } catch (err) {
    if (err instanceof CatalogBusyError) {
      await releaseApproval(unit, token, meta.status === 'APPROVING' ? 'SUBMITTED' : meta.status);
      throw new DomainError('conflict', 'CATALOG_BUSY', err.message);
    }
    // published already by an approval that died before it finished: finish it
    if (!(err instanceof VersionExistsError)) throw err;
  }
  // the snapshot GET /v1/catalog serves, rebuilt once by the import worker (a retried approval asks again: harmless)
  await requestSnapshot(version);
  await deleteChanges(unit, changes);
  const { added, changed, removed } = view.summary;
  if (!(await finishApproval(unit, rev, token, version, by(caller), { added, changed, removed }))) {
    throw new DomainError('conflict', 'UNIT_LIST_CHANGED', 'another approval took this list over; read it again');
  }
  return json(200, { unit, version, rev: rev + 1, added, changed, removed });
}

async function history(req: HttpRequest): Promise<Reply<'GET /v1/lists/{unit}/history'>> {
  const unit = unitOf(req);
  requireUnitOrAdmin(req, unit);
  const q = validate(PageQuery, req.query, 'query');
  const page = await listHistory(unit, cursorIn(q.cursor), q.limit ?? 50);
  return json(200, { history: page.history, next: cursorOut(page.next) });
}

export const handler = httpHandler({
  'GET /v1/lists': getQueue,
  'GET /v1/lists/{unit}': getList,
  'PUT /v1/lists/{unit}/entries/{section}/{key}': putEntry,
  'DELETE /v1/lists/{unit}/entries/{section}/{key}': deleteEntry,
  'POST /v1/lists/{unit}/submit': submit,
  'GET /v1/lists/{unit}/review': review,
  'POST /v1/lists/{unit}/comment-period': commentPeriod,
  'POST /v1/lists/{unit}/approve': approve,
  'POST /v1/lists/{unit}/return': returnRoute,
  'GET /v1/lists/{unit}/history': history,
});
