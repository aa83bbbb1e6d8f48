/**
 * The matter check (发起 → 响应): for each subject, the behaviours the unit may see for the matter
 * (the access rules of a query for that purpose), its list entries, and the measures that bind this
 * unit in this matter, on their bases. Every checked subject is logged in the query log, like a
 * query, before the answer; measures that want feedback are due within N working days.
 */
import { decideAccess, type Disclosure } from '#core/access-rules';
import type { WorkCalendar } from '#core/work-calendar';
import type { Catalog, CatalogIndex } from '#core/catalog';
import { shanghaiDay, workingDeadline } from '#core/working-days';
import { checkIncrements } from '#core/joint-stats';
import { env } from '#adapters/config';
import { DOMAIN_ERROR_STATUS } from '#adapters/http';
import { countJoint, putCheck, type PendingFeedback } from '#adapters/joint-repo';
import { appendQueries, type QueryLogEntry } from '#adapters/query-log-repo';
import { resolveSubject } from '#adapters/subject-identity';
import { JointError } from './errors.ts';
import { bindingMeasures, isListed, shownBehaviours } from './rules.ts';
import type { JointCheckRequest, JointCheckResponse } from './schemas.ts';
import { subjectState } from './subject-state.ts';

export const DEFAULT_FEEDBACK_WORKING_DAYS = 10;

/** Working days a unit has to give feedback (JOINT_FEEDBACK_WORKING_DAYS, default 10). */
export function feedbackWorkingDays(): number {
  const n = Number(env('JOINT_FEEDBACK_WORKING_DAYS') ?? DEFAULT_FEEDBACK_WORKING_DAYS);
  return Number.isInteger(n) && n > 0 && n <= 60 ? n : DEFAULT_FEEDBACK_WORKING_DAYS;
}

export interface CheckCaller {
  unit: string;
  sub: string;
  channel: string;
}

export interface CheckContext {
  catalog: Catalog;
  index: CatalogIndex;
  checkId: string;
  now: string;
  feedbackWorkingDays: number;
  /** The working-day calendar feedback deadlines are counted in. */
  calendar: WorkCalendar;
}

type Result = JointCheckResponse['results'][number];

export async function runJointCheck(caller: CheckCaller, req: JointCheckRequest, ctx: CheckContext): Promise<JointCheckResponse> {
  const { catalog, index, checkId, now } = ctx;
  const today = shanghaiDay(now);
  const feedbackDueAt = workingDeadline(ctx.calendar, now, ctx.feedbackWorkingDays);
  const resolved = await Promise.all(req.subjects.map((s) => resolveSubject(s.type, s.id)));
  const invalid = resolved.findIndex((s) => !s.ok);
  const log = (
    s: (typeof resolved)[number],
    outcome: QueryLogEntry['outcome'],
    status: number,
    records: number,
    reason: string,
    items?: string[],
  ): QueryLogEntry => ({
    queryId: `${checkId}-${s.key.slice(0, 24)}`,
    at: now,
    role: 'gov',
    unit: caller.unit,
    sub: caller.sub,
    channel: caller.channel,
    purpose: req.matter,
    businessRef: req.caseRef,
    subjectType: s.type,
    subjectKey: s.key,
    subjectLabel: s.label,
    outcome,
    status,
    records,
    reason,
    checkId,
    ...(items ? { items } : {}),
  });
  if (invalid >= 0) {
    const s = resolved[invalid]!;
    const message = `subjects[${invalid}]: '${s.label}' is ${s.ok ? '' : s.message}`;
    await appendQueries([log(s, 'REFUSED', 400, 0, `INVALID_IDENTIFIER: ${message}`)]);
    throw new JointError('invalid', 'INVALID_IDENTIFIER', message);
  }

  const results: Result[] = [];
  const entries: QueryLogEntry[] = [];
  const pending: PendingFeedback[] = [];
  for (const s of resolved) {
    if (!s.ok) continue;
    const decision = decideAccess({
      caller: { role: 'gov', unit: caller.unit },
      subject: { type: s.type, id: s.id, key: s.key },
      purpose: req.matter,
      applications: catalog.applications ?? [],
      now,
    });
    if (!decision.allowed) {
      // the same refusal for every subject (the unit has not declared the matter): all logged, none answered
      await appendQueries(resolved.map((x) => log(x, 'REFUSED', DOMAIN_ERROR_STATUS[decision.kind], 0, `${decision.code}: ${decision.message}`)));
      throw new JointError(decision.kind, decision.code, decision.message);
    }
    const state = await subjectState(s.type, s.key, catalog, index, now);
    const found = Boolean(state.registration) || state.records.length > 0 || state.entries.length > 0;
    // an item that left the catalog is treated as the most restricted disclosure
    const visible = (r: { item: string }) =>
      decision.visible({ item: r.item, disclosure: (state.index.item(r.item)?.disclosure ?? 'AUTHORIZED_QUERY') as Disclosure });
    const shown = shownBehaviours(state.records, catalog.behaviours ?? [], state.index, today, visible);
    const open = state.entries.filter((e) => e.status !== 'EXITED');
    const measures = bindingMeasures(catalog.measures ?? [], {
      unit: caller.unit,
      matter: req.matter,
      shown,
      listed: open.filter(isListed).map((e) => e.list),
      today,
    });
    const records = new Set(shown.flatMap((b) => b.records));
    entries.push(
      log(s, found ? 'ALLOWED' : 'NOT_FOUND', found ? 200 : 404, records.size, `joint check: ${decision.scope}`, [
        ...new Set(state.records.filter((r) => records.has(r.recordId)).map((r) => r.item)),
      ]),
    );
    for (const m of measures) {
      if (!m.feedbackRequired) continue;
      pending.push({
        checkId,
        unit: caller.unit,
        matter: req.matter,
        subject: { type: s.type, key: s.key, label: s.label },
        measure: m.measure.code,
        binding: m.measure.binding,
        dueAt: feedbackDueAt,
      });
    }
    results.push({
      subject: { type: s.type, id: s.label, name: (state.registration?.name as string | undefined) ?? state.records.find((r) => !r.via)?.subjectName ?? null },
      found,
      behaviours: shown.map((b) => ({
        code: b.behaviour.code,
        name: b.behaviour.name,
        kind: b.behaviour.kind,
        tier: b.behaviour.tier,
        grade: b.behaviour.grade,
        basis: b.behaviour.basis,
        records: b.records,
        since: b.since,
        ...(b.extendedFrom ? { extendedFrom: b.extendedFrom } : {}),
      })),
      lists: open.map((e) => ({
        entryId: e.entryId,
        code: e.list,
        name: index.creditList(e.list)?.name ?? e.list,
        kind: index.creditList(e.list)?.kind ?? '',
        status: e.status,
        since: e.listedOn ?? shanghaiDay(e.notifiedAt),
        until: e.until ?? null,
      })),
      measures: measures.map((m) => ({
        code: m.measure.code,
        name: m.measure.name,
        binding: m.measure.binding,
        side: m.measure.side,
        basis: m.measure.basis,
        special: m.measure.special === true,
        behaviours: m.behaviours,
        lists: m.lists,
        until: m.until,
        feedbackRequired: m.feedbackRequired,
      })),
    });
  }
  // logged before answering: a check that cannot be logged is not answered
  await appendQueries(entries);
  await putCheck({ checkId, unit: caller.unit, matter: req.matter, caseRef: req.caseRef, at: now, by: caller.sub, feedbackDueAt, results }, pending);
  await countJoint(
    checkIncrements(
      { checkId, unit: caller.unit, matter: req.matter, at: now },
      results.map((r) => ({ ...r, subjectType: r.subject.type })),
    ),
  );
  return { checkId, matter: req.matter, feedbackDueAt, results };
}
