/**
 * GET /v1/reports/annual?year=YYYY[&format=html|json][&charts=svg] (admin): the annual operations
 * report as a self-contained HTML page, or its figures as JSON (with the chart SVGs on request).
 */
import { shanghaiDay } from '#core/working-days';
import { httpHandler, json, requireRole, validate, type HttpRequest } from '#adapters/http';
import { annualReportChartRows, annualReportCharts, annualReportData } from './annual-report.ts';
import { renderAnnualReport } from './report-html.ts';
import { AnnualReportQuery } from './schemas.ts';
import type { Reply } from '../api-routes.ts';

async function annualReport(req: HttpRequest): Promise<Reply<'GET /v1/reports/annual'>> {
  requireRole(req, 'admin');
  const q = validate(AnnualReportQuery, req.query, 'query');
  const year = Number(q.year ?? shanghaiDay(new Date()).slice(0, 4));
  const data = await annualReportData(year);
  // charts=svg: the SVGs and each chart's data (the console's table under every chart)
  if (q.format === 'json') return json(200, q.charts ? { ...data, charts: await annualReportCharts(data), chartData: annualReportChartRows(data) } : data);
  return { status: 200, text: renderAnnualReport(data, await annualReportCharts(data)), contentType: 'text/html; charset=utf-8' };
}

export const handler = httpHandler({ 'GET /v1/reports/annual': annualReport });
