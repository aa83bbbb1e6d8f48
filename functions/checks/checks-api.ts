/**
 * Bulk checks (批量核查) and eligibility rules (信用状况良好):
 *   POST /v1/checks            (gov)        up to 100,000 ids → 202 {checkId, total}; fanned out over SQS
 *   GET  /v1/checks/{checkId}  (gov, admin) status, progress, summary, presigned result URLs
 *   POST /v1/eligibility       (gov, admin) up to 1,000 ids against a catalog rule set
 * A check or an eligibility call sees exactly what a query by the same unit for the same purpose
 * would see, and logs every evaluated subject like a query.
 */
import { DomainError } from '#core/errors';
import { randomUUID } from 'node:crypto';
import type { InfoItem } from '#core/catalog';
import { evaluateEligibility, uncheckedItems } from '#core/eligibility';
import { maskIdNumber } from '#core/identifiers';
import { QUERY_BUDGET_EXCEEDED_METRIC, budgetRefusalText } from '#core/query-budget';
import { shanghaiDay } from '#core/working-days';
import { currentCatalog, indexWithItems, type PublishedCatalog } from '#adapters/catalog-repo';
import { bucketName, queueUrl } from '#adapters/config';
import { DOMAIN_ERROR_STATUS, body, httpHandler, json, requireRole, type Caller, type HttpRequest } from '#adapters/http';
import { logger, metrics } from '#adapters/powertools';
import { chargeQueries } from '#adapters/query-budget-repo';
import { presignGet, GET_URL_EXPIRES_SECONDS } from '#adapters/presign-get';
import { appendQueries, type QueryLogEntry } from '#adapters/query-log-repo';
import { sendAll } from '#adapters/queue';
import { createCheck, getCheck, markFailed, newCheck, partLength } from './check-repo.ts';
import { resultCsvKey, resultJsonlKey, writeInputs, type PartInput } from './check-files.ts';
import type { PartMessage } from './check-part.ts';
import { accessFor, invalidKeyer, isOtherType, keyerFor, logEntry, parseId, readFiles, type CheckCaller } from './subject-files.ts';
import { CheckRequestSchema, EligibilityRequestSchema } from './schemas.ts';
import type { Reply } from '../api-routes.ts';

export const PART_SIZE = 1_000;
/** How eligibility dates a record for the look-back (see core/eligibility.ts). */
export const DATE_BASIS = "the item's queryPeriodFrom field (decision or behaviour date), else decisionDate, else the day the record was received";

/** The small sections and the items `items` (by key): a request never reads the whole catalog. */
async function published(items: readonly string[]): Promise<PublishedCatalog> {
  const p = await currentCatalog({ items });
  if (!p) throw new DomainError('conflict', 'NO_CATALOG', 'no catalog has been published yet');
  return p;
}

/**
 * A gov unit's check or eligibility call counts against its daily query budget, one per id
 * submitted (core/query-budget): one conditional write, nothing written when refused.
 */
async function chargeBudget(caller: Caller, ids: number): Promise<void> {
  if (caller.role !== 'gov' || !caller.unit) return;
  const at = new Date().toISOString();
  const charged = await chargeQueries(caller.unit, shanghaiDay(at), ids, at);
  if (charged.ok) return;
  metrics.addMetric(QUERY_BUDGET_EXCEEDED_METRIC, 'Count', 1);
  logger.warn('query budget exceeded', { ...charged.refusal });
  const text = budgetRefusalText(charged.refusal);
  throw new DomainError('exhausted', 'QUERY_BUDGET_EXCEEDED', text.message, [charged.refusal], text.messageZh);
}

function checkCaller(caller: Caller): CheckCaller {
  return { role: caller.role, unit: caller.unit ?? null, sub: caller.sub };
}

/**
 * The purpose check a query makes, up front: a gov unit must state a purpose it declared in the
 * catalog's 应用清单. It is decided by decideAccess itself (it depends on caller and purpose
 * alone, not on the subject), so the refusal's kind, code and message are a query's.
 */
function requireDeclaredPurpose(p: PublishedCatalog, caller: Caller, purpose: string | undefined): void {
  if (caller.role !== 'gov') return;
  const probe = { type: 'LEGAL' as const, id: '', key: '' };
  const decision = accessFor(checkCaller(caller), p.catalog, probe, purpose, new Date().toISOString());
  if (!decision.allowed) throw new DomainError(decision.kind, decision.code, decision.message, undefined, decision.messageZh);
}

async function startCheck(req: HttpRequest): Promise<Reply<'POST /v1/checks'>> {
  const caller = requireRole(req, 'gov');
  const input = body(req, CheckRequestSchema);
  const p = await published(input.items ?? []);
  requireDeclaredPurpose(p, caller, input.purpose);
  if (input.items) {
    const details = input.items.flatMap((code, i) => {
      const item = p.index.item(code);
      if (!item) return [{ path: `body.items.${i}`, message: `item '${code}' is not in catalog ${p.version}` }];
      if (item.subjectType !== input.subjectType)
        return [{ path: `body.items.${i}`, message: `item '${code}' is about ${item.subjectType} subjects, the check about ${input.subjectType}` }];
      return [];
    });
    if (details.length) throw new DomainError('invalid', 'UNKNOWN_ITEM', details.map((d) => d.message).join('; '), details);
  }
  await chargeBudget(caller, input.ids.length);

  const checkId = randomUUID();
  const total = input.ids.length;
  const partCount = Math.ceil(total / PART_SIZE);
  const inputs: PartInput[] = Array.from({ length: partCount }, (_, part) => ({
    checkId,
    part,
    firstRow: part * PART_SIZE + 1,
    ids: input.ids.slice(part * PART_SIZE, (part + 1) * PART_SIZE),
  }));
  await writeInputs(inputs);
  const check = newCheck({
    checkId,
    subjectType: input.subjectType,
    purpose: input.purpose,
    items: input.items ? [...new Set(input.items)] : null,
    ref: input.ref ?? null,
    ...(input.joint ? { joint: true } : {}),
    role: caller.role,
    unit: caller.unit ?? null,
    sub: caller.sub,
    total,
    partSize: PART_SIZE,
    partCount,
    createdAt: new Date().toISOString(),
  });
  await createCheck(check);
  try {
    await sendAll<PartMessage>(
      queueUrl('checkParts'),
      inputs.map((i) => ({ checkId, part: i.part, partCount })),
    );
  } catch (err) {
    await markFailed(checkId, `the check could not be queued: ${(err as Error).message}`);
    throw err;
  }
  logger.info('check started', { checkId, unit: caller.unit, purpose: input.purpose, total, parts: partCount });
  return json(202, { checkId, status: check.status, total, createdAt: check.createdAt });
}

async function showCheck(req: HttpRequest): Promise<Reply<'GET /v1/checks/{checkId}'>> {
  const caller = requireRole(req, 'gov', 'admin');
  const check = await getCheck(decodeURIComponent(req.path.checkId ?? ''));
  if (!check) throw new DomainError('notFound', 'CHECK_NOT_FOUND', `no check '${req.path.checkId}'`);
  if (caller.role !== 'admin' && check.unit !== (caller.unit ?? null)) {
    throw new DomainError('forbidden', 'FORBIDDEN', 'a check is visible only to the unit that started it and to admins');
  }
  const done = check.doneParts.reduce((n, part) => n + partLength(check, part), 0);
  const completed = check.status === 'COMPLETED';
  const bucket = bucketName('work');
  return json(200, {
    checkId: check.checkId,
    status: check.status,
    reason: check.reason,
    subjectType: check.subjectType,
    purpose: check.purpose,
    items: check.items,
    ref: check.ref,
    unit: check.unit,
    total: check.total,
    done: completed ? check.total : done,
    hitSubjects: check.hitSubjects,
    negativeRecords: check.negativeRecords,
    invalid: check.invalid,
    resultUrl: completed ? await presignGet(bucket, resultCsvKey(check.checkId), { fileName: `check-${check.checkId}.csv` }) : null,
    resultJsonlUrl: completed ? await presignGet(bucket, resultJsonlKey(check.checkId), { fileName: `check-${check.checkId}.jsonl` }) : null,
    resultUrlExpiresAt: completed ? new Date(Date.now() + GET_URL_EXPIRES_SECONDS * 1000).toISOString() : null,
    createdAt: check.createdAt,
    completedAt: check.completedAt,
  });
}

async function eligibility(req: HttpRequest): Promise<Reply<'POST /v1/eligibility'>> {
  const caller = requireRole(req, 'gov', 'admin');
  const input = body(req, EligibilityRequestSchema);
  const p = await published([]);
  requireDeclaredPurpose(p, caller, input.purpose);
  const ruleSet = (p.catalog.ruleSets ?? []).find((r) => r.code === input.ruleSet);
  if (!ruleSet) throw new DomainError('notFound', 'RULE_SET_NOT_FOUND', `no rule set '${input.ruleSet}' in catalog ${p.version}`);
  const type = ruleSet.subjectType;

  const parsed = input.ids.map((raw) => parseId(type, raw));
  const mismatched = parsed.flatMap((id, i) => (!id.ok && isOtherType(type, input.ids[i]!) ? [i] : []));
  if (mismatched.length) {
    const other = type === 'LEGAL' ? 'resident ID numbers' : 'USCCs';
    const details = mismatched.slice(0, 100).map((i) => ({
      path: `body.ids.${i}`,
      message: `a ${type === 'LEGAL' ? 'resident ID number' : 'USCC'}, but rule set ${ruleSet.code} is about ${type} subjects`,
    }));
    throw new DomainError(
      'invalid',
      'SUBJECT_TYPE_MISMATCH',
      `rule set ${ruleSet.code} applies to ${type} subjects; ${mismatched.length} id(s) are ${other}`,
      details,
    );
  }
  await chargeBudget(caller, input.ids.length);

  const keyer = await keyerFor(type);
  const invalidKey = await invalidKeyer();
  const keys = parsed.map((id) => (id.ok ? keyer(id.id) : null));
  const files = await readFiles(
    type,
    keys.filter((k): k is string => k !== null),
  );
  const now = new Date().toISOString();
  const today = shanghaiDay(now);
  // the rule's items and the items these subjects' records name, read by key
  const index = await indexWithItems(p.index, [...ruleSet.failIfAnyOf, ...[...files.values()].flatMap((f) => f.records.map((r) => r.item))]);
  const itemOf = (code: string): InfoItem | undefined => index.item(code);
  const who = checkCaller(caller);
  const unchecked = new Set<string>();
  const log: QueryLogEntry[] = [];
  const results = parsed.map((id, i) => {
    const entry = { queryId: randomUUID(), at: now, caller: who, channel: 'ELIGIBILITY', purpose: input.purpose, businessRef: input.ref };
    if (!id.ok) {
      // refused like a query naming a malformed identifier
      log.push(
        logEntry(
          entry,
          { type, key: invalidKey(id.shown), label: maskIdNumber(id.shown) },
          { outcome: 'REFUSED', status: 400, records: 0, reason: `${id.code}: ${id.message}` },
        ),
      );
      return { row: i + 1, id: id.label, eligible: null, found: false, reasons: [], error: { code: id.code, message: id.message } };
    }
    const key = keys[i]!;
    const file = files.get(key)!;
    const subject = { type, key, label: id.label };
    const decision = accessFor(who, p.catalog, { type, id: id.id, key }, input.purpose, now);
    if (!decision.allowed) {
      log.push(logEntry(entry, subject, { outcome: 'REFUSED', status: DOMAIN_ERROR_STATUS[decision.kind], records: 0, reason: decision.message }));
      return { row: i + 1, id: id.label, eligible: null, found: false, reasons: [], error: { code: decision.code, message: decision.message } };
    }
    for (const code of uncheckedItems(ruleSet, itemOf, decision.visible)) unchecked.add(code);
    const outcome = evaluateEligibility(ruleSet, file.records, itemOf, today, decision.visible);
    log.push(
      logEntry(
        entry,
        subject,
        file.found
          ? { outcome: 'ALLOWED', status: 200, records: outcome.reasons.length, reason: decision.scope }
          : { outcome: 'NOT_FOUND', status: 404, records: 0 },
      ),
    );
    return { row: i + 1, id: id.label, eligible: outcome.eligible, found: file.found, reasons: outcome.reasons };
  });
  if (log.length) await appendQueries(log);
  return json(200, {
    ruleSet: { code: ruleSet.code, name: ruleSet.name, subjectType: type, failIfAnyOf: ruleSet.failIfAnyOf, lookbackYears: ruleSet.lookbackYears ?? null },
    dateBasis: DATE_BASIS,
    evaluatedAt: now,
    // rule items this caller may not see: the outcome cannot speak for them
    uncheckedItems: [...unchecked],
    summary: {
      subjects: results.length,
      eligible: results.filter((r) => r.eligible === true).length,
      ineligible: results.filter((r) => r.eligible === false).length,
      notEvaluated: results.filter((r) => r.eligible === null).length,
    },
    results,
  });
}

export const handler = httpHandler({
  'POST /v1/checks': startCheck,
  'GET /v1/checks/{checkId}': showCheck,
  'POST /v1/eligibility': eligibility,
});
