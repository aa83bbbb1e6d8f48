/**
 * The credit-file query (docs/api.md, the credit-file routes): validate, decide access (core/access-rules), read the
 * subject's partition, serve only visible and servable records, and log the query — allowed,
 * refused or not found — before answering. A gov unit asking about a natural person without a
 * file gets the answer of an empty file (no existence oracle). A query that cannot be logged is not answered.
 */
import { randomUUID } from 'node:crypto';
import { decideAccess, type Disclosure } from '#core/access-rules';
import { QUERY_BUDGET_EXCEEDED_METRIC, budgetRefusalText } from '#core/query-budget';
import { isServable, summarise } from '#core/record-view';
import { matterRefusal } from '#core/stats';
import { shanghaiDay } from '#core/working-days';
import { getAuthorization } from '#adapters/authorization-repo';
import { currentCatalog } from '#adapters/catalog-repo';
import { DomainError, type DomainErrorKind } from '#core/errors';
import { DOMAIN_ERROR_STATUS, ROLES, json, requireRole, type HttpRequest, type HttpResponse } from '#adapters/http';
import { callerSubject, openSubjectRef, resolveSubject, type SubjectType } from '#adapters/subject-identity';
import { logger, metrics } from '#adapters/powertools';
import { chargeQueries } from '#adapters/query-budget-repo';
import { appendQuery, type QueryLogEntry } from '#adapters/query-log-repo';
import { subjectPartition, type StoredRecord } from '#adapters/subject-repo';
import type { ResponseOf } from '../api-routes.ts';

export type { SubjectType, ResolvedSubject } from '#adapters/subject-identity';
export { callerSubject, resolveSubject };

const MAX_BUSINESS_REF = 128;
const AUTHORIZATION_REF = /^[A-Z0-9-]{1,64}$/;

function decodePathParam(raw: string | undefined): string {
  try {
    return decodeURIComponent(raw ?? '');
  } catch {
    return raw ?? '';
  }
}

export async function queryCreditFile(req: HttpRequest, type: SubjectType): Promise<HttpResponse<ResponseOf<'GET /v1/subjects/legal/{uscc}'>>> {
  const caller = requireRole(req, ...ROLES);
  const at = new Date().toISOString();
  const queryId = randomUUID();
  const purpose = req.query.purpose || undefined;
  // the application matter (应用事项) the query is made under: counted for that matter's fulfilment
  const matter = req.query.matter || undefined;
  const authorizationRef = req.query.authorization || undefined;
  const businessRef = req.query.ref || undefined;
  const audit = req.query.audit === 'true';
  const requested = decodePathParam(type === 'LEGAL' ? req.path.uscc : req.path.idNumber);
  // `me`: a subject's own file; its token carries an opaque reference, not the identifier (core/claims.ts)
  const subject =
    requested === 'me' && caller.role === 'subject' && caller.subject?.type === type ? await callerSubject(caller) : await resolveSubject(type, requested);

  const entry = (outcome: QueryLogEntry['outcome'], status: number, records: number, reason?: string): QueryLogEntry => ({
    queryId,
    at,
    role: caller.role,
    unit: caller.unit,
    sub: caller.sub,
    channel: caller.channel,
    purpose: purpose?.slice(0, 64),
    ...(matter ? { matter: matter.slice(0, 64) } : {}),
    businessRef: businessRef?.slice(0, MAX_BUSINESS_REF),
    authorizationRef: authorizationRef?.slice(0, 64),
    subjectType: type,
    subjectKey: subject.key,
    subjectLabel: subject.label,
    outcome,
    status,
    records,
    reason,
  });
  const refuse = async (kind: DomainErrorKind, code: string, message: string, messageZh?: string): Promise<never> => {
    const status = DOMAIN_ERROR_STATUS[kind];
    await appendQuery(entry(status === 404 ? 'NOT_FOUND' : 'REFUSED', status, 0, `${code}: ${message}`));
    logger.info('credit query refused', { queryId, role: caller.role, unit: caller.unit, subjectType: type, status, code });
    throw new DomainError(kind, code, message, [{ queryId }], messageZh);
  };

  if (!subject.ok) return refuse('invalid', 'INVALID_IDENTIFIER', `'${subject.label}' is ${subject.message}`);
  if (businessRef !== undefined && businessRef.length > MAX_BUSINESS_REF) {
    return refuse('invalid', 'INVALID_REF', `ref (the business reference) is at most ${MAX_BUSINESS_REF} characters, got ${businessRef.length}`);
  }
  if (authorizationRef !== undefined && !AUTHORIZATION_REF.test(authorizationRef)) {
    return refuse('invalid', 'INVALID_AUTHORIZATION_REF', 'authorization must be the ref returned by POST /v1/authorizations');
  }

  const published = await currentCatalog({ items: [] });
  const matterProblem =
    matter === undefined ? null : matterRefusal(matter, published?.catalog.matters ?? [], { role: caller.role, unit: caller.unit, purpose, subjectType: type });
  if (matterProblem) return refuse('invalid', matterProblem.code, matterProblem.message);
  // a subject's token names it by an opaque reference (core/claims.ts), opened here
  const own = caller.role === 'subject' && caller.subject ? await openSubjectRef(caller.subject.type, caller.subject.ref) : undefined;
  const decision = decideAccess({
    caller: {
      role: caller.role,
      unit: caller.unit,
      subject: own ? { type: own.type, id: own.id } : undefined,
    },
    subject: { type, id: subject.id, key: subject.key },
    purpose,
    authorization: authorizationRef === undefined ? undefined : await getAuthorization(authorizationRef),
    applications: published?.catalog.applications ?? [],
    now: at,
    audit,
  });
  if (!decision.allowed) return refuse(decision.kind, decision.code, decision.message, decision.messageZh);
  // the partition is read while the query is charged (two round trips at once, not one after the
  // other); a refused query is answered without it
  const reading = subjectPartition(type === 'LEGAL' ? 'legalSubjects' : 'naturalSubjects', subject.key);
  reading.catch(() => undefined); // awaited below, unless the charge refuses the query first
  // a unit's query counts against its daily budget (core/query-budget): one conditional write
  if (caller.unit && (caller.role === 'gov' || caller.role === 'market')) {
    const charged = await chargeQueries(caller.unit, shanghaiDay(at), 1, at);
    if (!charged.ok) {
      metrics.addMetric(QUERY_BUDGET_EXCEEDED_METRIC, 'Count', 1);
      logger.warn('query budget exceeded', { ...charged.refusal });
      const text = budgetRefusalText(charged.refusal);
      return refuse('exhausted', 'QUERY_BUDGET_EXCEEDED', text.message, text.messageZh);
    }
  }

  const { registration, records } = await reading;
  // the items this file's records belong to, read by key (never the whole catalog)
  const withItems = await currentCatalog({ items: records.map((r) => r.item) });
  // A government unit must not learn whether a person has a file at all: a person without one
  // is answered exactly like one whose file holds nothing the unit may see (logged as NOT_FOUND).
  const noOracle = caller.role === 'gov' && type === 'NATURAL';
  if (!registration && records.length === 0 && !noOracle) {
    return refuse('notFound', 'SUBJECT_NOT_FOUND', `no ${type === 'LEGAL' ? 'legal' : 'natural'} subject with that identifier has any record`);
  }

  const today = shanghaiDay(at);
  const served = records.filter((r) => {
    const item = withItems?.index.item(r.item);
    return (decision.audit || isServable(r, item, today)) && decision.visible({ item: r.item, disclosure: (item?.disclosure ?? r.disclosure) as Disclosure });
  });
  // the items served count towards application-list fulfilment (应用清单落实) in the statistics
  const found = Boolean(registration) || records.length > 0;
  await appendQuery({ ...entry(found ? 'ALLOWED' : 'NOT_FOUND', 200, served.length, decision.scope), items: [...new Set(served.map((r) => r.item))] });
  logger.info('credit query', { queryId, role: caller.role, unit: caller.unit, subjectType: type, records: served.length });

  return json(200, {
    subject: {
      type,
      id: type === 'LEGAL' || decision.unmasked ? subject.id : subject.label,
      // to a gov unit a person's name comes only from records it is served (no existence oracle)
      name: (registration?.name as string | undefined) ?? latestName(noOracle ? served : records),
      ...(type === 'LEGAL' ? { registered: Boolean(registration) } : {}),
      ...(typeof registration?.regNo === 'string' && registration.regNo ? { regNo: registration.regNo } : {}),
      ...(typeof registration?.orgCode === 'string' && registration.orgCode ? { orgCode: registration.orgCode } : {}),
    },
    records: served.map((r) => ({ ...view(r, withItems?.index.item(r.item)?.name), ...(decision.audit ? auditState(r) : {}) })),
    summary: summarise(served),
    queryId,
  });
}

/** Without a registration, the name the most recent record gives. */
function latestName(records: StoredRecord[]): string {
  const own = records.filter((r) => !r.via);
  return [...(own.length ? own : records)].sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))[0]?.subjectName ?? '';
}

function view(r: StoredRecord, itemName: string | undefined) {
  return {
    recordId: r.recordId,
    item: r.item,
    itemName: itemName ?? r.item,
    recordClass: r.recordClass,
    polarity: r.polarity,
    severity: r.severity ?? null,
    disclosure: r.disclosure,
    provider: r.provider,
    key: r.key,
    fields: r.fields ?? {},
    receivedAt: r.receivedAt,
    ...(r.via ? { via: r.via } : {}),
    // 异议标注: shown while an objection about the record runs
    objection: r.objection ? { status: r.objection.status, since: r.objection.since } : null,
  };
}

/** The admin audit view adds each record's status and what ended its service (repair, revocation, ...). */
function auditState(r: StoredRecord) {
  const state: Record<string, unknown> = { status: r.status, updatedAt: r.updatedAt };
  for (const k of ['repair', 'revokedAt', 'revokedBy', 'reason', 'deletedAt', 'deletedBy', 'expiredAt', 'withdrawnAt', 'withdrawnBy'] as const) {
    if (r[k] !== undefined) state[k] = r[k];
  }
  return state;
}
