/**
 * The working-day calendar (工作日历):
 *   GET /v1/calendar/{year}   (any role) the year's holidays and adjusted working days, official or provisional
 *   PUT /v1/calendar/{year}   (admin) publish the State Council's arrangement for the year; the open
 *                             objection and export deadlines it moves are re-indexed at once
 */
import { DomainError } from '#core/errors';
import { arrangementProblems, MAX_YEAR, MIN_YEAR } from '#core/work-calendar';
import { loadCalendar, putArrangement } from '#adapters/calendar-repo';
import { reindexDeadlines } from '#adapters/export-repo';
import { body, httpHandler, json, requireRole, ROLES, type HttpRequest } from '#adapters/http';
import { reindexOpenObjections } from '#adapters/objection-repo';
import { logger } from '#adapters/powertools';
import { ArrangementBody } from './schemas.ts';
import type { Reply } from '../api-routes.ts';

function yearOf(req: HttpRequest): number {
  const raw = req.path.year ?? '';
  const year = Number(raw);
  if (!/^\d{4}$/.test(raw) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new DomainError('invalid', 'INVALID_YEAR', `年份应为 ${MIN_YEAR} 至 ${MAX_YEAR} 之间的四位数字，收到 '${raw}'`);
  }
  return year;
}

async function getYear(req: HttpRequest): Promise<Reply<'GET /v1/calendar/{year}'>> {
  requireRole(req, ...ROLES);
  const year = yearOf(req);
  const a = (await loadCalendar()).arrangement(year);
  return json(200, { year, source: a.source, holidays: a.holidays, workdays: a.workdays });
}

async function putYear(req: HttpRequest): Promise<Reply<'PUT /v1/calendar/{year}'>> {
  const caller = requireRole(req, 'admin');
  const year = yearOf(req);
  const input = body(req, ArrangementBody);
  const problems = arrangementProblems(year, input.holidays, input.workdays);
  if (problems.length > 0) {
    throw new DomainError('invalid', 'INVALID_CALENDAR', `${year} 年的安排有 ${problems.length} 处问题，未发布`, problems);
  }
  const holidays = [...input.holidays].sort();
  const workdays = [...input.workdays].sort();
  await putArrangement({
    year,
    source: 'official',
    holidays,
    workdays,
    origin: 'ADMIN',
    publishedAt: new Date().toISOString(),
    publishedBy: caller.sub || 'admin',
  });
  const cal = await loadCalendar({ fresh: true });
  // deadlines counted over this year move with it; those ending earlier were counted over earlier years only
  const from = `${year}-01-01`;
  const [objections, exports] = await Promise.all([reindexOpenObjections(from, cal), reindexDeadlines(from, cal)]);
  logger.info('calendar published', { year, holidays: holidays.length, workdays: workdays.length, moved: { objections, exports } });
  return json(200, { year, source: 'official', holidays, workdays, deadlinesMoved: { objections, exports } });
}

export const handler = httpHandler({
  'GET /v1/calendar/{year}': getYear,
  'PUT /v1/calendar/{year}': putYear,
});
