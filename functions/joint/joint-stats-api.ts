/**
 * GET /v1/joint/stats?year=YYYY | from=&to= (admin): 联合奖惩 statistics — checks by matter × subject
 * type, hit rates, measures applied and not applied by unit and measure, feedback rate and lateness
 * per unit, list entries and exits by list and month; and the behaviour list as published (行为篇).
 */
import { periodOf } from '#core/stats';
import { shanghaiDay } from '#core/working-days';
import { httpHandler, json, requireRole, validate, type HttpRequest } from '#adapters/http';
import type { Reply } from '../api-routes.ts';
import { PeriodQuery } from '../stats/schemas.ts';
import { behaviourListOf, jointStatsOf } from './joint-stats.ts';

async function stats(req: HttpRequest): Promise<Reply<'GET /v1/joint/stats'>> {
  requireRole(req, 'admin');
  const q = validate(PeriodQuery, req.query, 'query');
  const period = periodOf(q, shanghaiDay(new Date()));
  const [figures, behaviourList] = await Promise.all([jointStatsOf(period), behaviourListOf()]);
  return json(200, { kind: 'joint', year: q.year ?? null, period, ...figures, behaviourList });
}

export const handler = httpHandler({ 'GET /v1/joint/stats': stats });
