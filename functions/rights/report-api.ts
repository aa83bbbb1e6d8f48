/**
 * GET /v1/me/report?format=json|html (role `subject`): the subject's own credit report (Art 34) —
 * every record with its source, objection and repair state, its objections and the full query
 * history. A natural person gets two free reports per calendar year (Asia/Shanghai); the third is
 * 429 FREE_REPORT_QUOTA saying when the next is free. An `Idempotency-Key` header makes a retried
 * request return the report again without counting it twice.
 */
import { DomainError } from '#core/errors';
import { randomUUID } from 'node:crypto';
import { FREE_REPORTS_PER_YEAR, buildOwnReport, nextFreeReportAt } from '#core/own-report';
import { shanghaiDay } from '#core/working-days';
import { currentCatalog, indexWithItems } from '#adapters/catalog-repo';
import { httpHandler, json, requireRole, validate, type HttpRequest } from '#adapters/http';
import { objectionsOfSubject } from '#adapters/objection-repo';
import { logger } from '#adapters/powertools';
import { queriesOfSubject, type QueryLogEntry } from '#adapters/query-log-repo';
import { tableOf } from '#adapters/record-state-repo';
import { takeFreeReport } from '#adapters/report-quota-repo';
import { subjectPartition } from '#adapters/subject-repo';
import { callerSubject } from '#adapters/subject-identity';
import { jointFileForReport } from '../joint/index.ts';
import { renderReportHtml } from './report-html.ts';
import { ReportQuery } from './schemas.ts';
import type { Reply } from '../api-routes.ts';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{8,64}$/;
const LOG_PAGE = 200;
/**
 * The newest queries the report carries (about 0.3 MB of JSON): a subject queried more often than
 * that would outgrow Lambda's 6 MB response, and the report's cost would grow with the log. The
 * rest are paged by GET /v1/me/queries from `queriesNext`.
 */
export const REPORT_QUERIES = 2_000;

async function newestQueries(type: 'LEGAL' | 'NATURAL', key: string): Promise<{ entries: QueryLogEntry[]; next?: string }> {
  const entries: QueryLogEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await queriesOfSubject(type, key, { limit: Math.min(LOG_PAGE, REPORT_QUERIES - entries.length), cursor });
    entries.push(...page.entries);
    cursor = page.next;
  } while (cursor && entries.length < REPORT_QUERIES);
  return { entries, next: cursor };
}

async function report(req: HttpRequest): Promise<Reply<'GET /v1/me/report'>> {
  const caller = requireRole(req, 'subject');
  const q = validate(ReportQuery, req.query, 'query');
  const own = await callerSubject(caller);
  const requestKey = req.headers['idempotency-key'];
  if (requestKey !== undefined && !IDEMPOTENCY_KEY.test(requestKey)) {
    throw new DomainError('invalid', 'INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key is 8 to 64 letters, digits, "-" or "_"');
  }
  const now = new Date().toISOString();
  const year = shanghaiDay(now).slice(0, 4);

  const [small, file, objections, log] = await Promise.all([
    currentCatalog({ items: [] }),
    subjectPartition(tableOf(own.type), own.key),
    objectionsOfSubject(own.type, own.key),
    newestQueries(own.type, own.key),
  ]);
  // the small sections, and the items of this subject's records read by key: never the whole catalog
  const published = small && {
    ...small,
    index: await indexWithItems(
      small.index,
      file.records.map((r) => r.item),
    ),
  };

  let quota = null;
  if (own.type === 'NATURAL') {
    const taken = await takeFreeReport(own.key, year, requestKey ?? randomUUID(), FREE_REPORTS_PER_YEAR, now);
    if (!taken.granted) {
      const next = nextFreeReportAt(year);
      throw new DomainError(
        'exhausted',
        'FREE_REPORT_QUOTA',
        `the ${FREE_REPORTS_PER_YEAR} free reports of ${year} have been issued; the next free report is available from ${next} (${Number(year) + 1}-01-01 Asia/Shanghai)`,
        [{ year, used: taken.used, limit: FREE_REPORTS_PER_YEAR, nextFreeAt: next }],
        `${year} 年的 ${FREE_REPORTS_PER_YEAR} 次免费信用报告已用完，${Number(year) + 1}-01-01（北京时间）起可再次免费获取`,
      );
    }
    quota = { year, used: taken.used, limit: FREE_REPORTS_PER_YEAR };
  }

  const name = (file.registration?.name as string | undefined) ?? file.records.find((r) => !r.via)?.subjectName ?? file.records[0]?.subjectName ?? '';
  const built = buildOwnReport({
    reportId: randomUUID(),
    generatedAt: now,
    subject: { type: own.type, id: own.id, name },
    catalog: published?.index,
    records: file.records,
    objections,
    queries: log.entries,
    quota,
  });
  // the cursor GET /v1/me/queries continues from when the log holds more than the report carries
  const queriesNext = log.next ?? null;
  // 联合奖惩 (知情权): behaviours, list entries and the measures that follow, with bases, and the feedback units gave
  const joint = published ? await jointFileForReport(own, file.records, { catalog: published.catalog, index: published.index, now }) : null;
  logger.info('own report issued', { subjectType: own.type, records: built.records.length, queries: built.queries.length, format: q.format });
  if (q.format === 'html') return { status: 200, text: renderReportHtml(built, queriesNext !== null, joint), contentType: 'text/html; charset=utf-8' };
  return json(200, { ...built, queriesNext, joint });
}

export const handler = httpHandler({ 'GET /v1/me/report': report });
