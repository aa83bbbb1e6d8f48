/**
 * The subject's own credit report (SH-REG-2017 Art 34): every record the platform holds about it
 * with its source and state, its objections, and who queried it. Pure: the handler reads, this
 * arranges; report-html renders the same document as a printable page.
 */
import type { CatalogIndex } from './catalog.ts';
import { isServable, servableUntil } from './record-view.ts';
import { shanghaiDay } from './working-days.ts';

export const FREE_REPORTS_PER_YEAR = 2;

/** Statuses whose records are no longer stored as content: never in a report (revocation deletes). */
const GONE = new Set(['REVOKED', 'WITHDRAWN', 'DELETED']);

export interface ReportRecordInput {
  recordId: string;
  item: string;
  provider: string;
  key: string;
  status: string;
  fields: Record<string, unknown>;
  recordClass: string;
  polarity: string;
  severity?: string;
  disclosure: string;
  receivedAt: string;
  via?: { uscc: string; role: string };
  objection?: { status: string; since: string };
  repair?: { certificateNo: string; issuedOn: string; at: string };
  expiredAt?: string;
}

export interface ReportObjectionInput {
  objectionId: string;
  recordId: string;
  item: string;
  status: string;
  receivedAt: string;
  decidedAt: string | null;
  outcome: { decision: string; reasons: string } | null;
}

export interface ReportQueryInput {
  at: string;
  unit?: string;
  role: string;
  purpose?: string;
  businessRef?: string;
  outcome: string;
  records: number;
}

export interface OwnReport {
  reportId: string;
  generatedAt: string;
  subject: { type: 'LEGAL' | 'NATURAL'; id: string; name: string };
  records: Array<{
    recordId: string;
    item: string;
    itemName: string;
    provider: string;
    providerName: string;
    recordClass: string;
    polarity: string;
    severity: string | null;
    disclosure: string;
    key: string;
    fields: Array<{ key: string; label: string; value: string }>;
    receivedAt: string;
    /** SERVED, or why not: REPAIRED, EXPIRED (the query period ended). */
    state: 'SERVED' | 'REPAIRED' | 'EXPIRED';
    servableUntil: string | null;
    via: { uscc: string; role: string } | null;
    objection: { status: string; since: string } | null;
    repair: { certificateNo: string; issuedOn: string; at: string } | null;
  }>;
  objections: ReportObjectionInput[];
  queries: Array<{ at: string; unit: string | null; role: string; purpose: string | null; businessRef: string | null; outcome: string; records: number }>;
  summary: { records: number; served: number; negative: number; repaired: number; expired: number; objectionsOpen: number; queries: number };
  quota: { year: string; used: number; limit: number } | null;
}

const text = (v: unknown): string => (Array.isArray(v) ? v.join('、') : v === null || v === undefined ? '' : String(v));

export function buildOwnReport(input: {
  reportId: string;
  generatedAt: string;
  subject: OwnReport['subject'];
  catalog: CatalogIndex | undefined;
  records: ReportRecordInput[];
  objections: ReportObjectionInput[];
  queries: ReportQueryInput[];
  quota: OwnReport['quota'];
}): OwnReport {
  const today = shanghaiDay(input.generatedAt);
  const records = input.records
    .filter((r) => !GONE.has(r.status))
    .map((r) => {
      const item = input.catalog?.item(r.item);
      const labels = new Map(item?.fields.map((f) => [f.key, f.label]) ?? []);
      const state: OwnReport['records'][number]['state'] =
        r.status === 'REPAIRED' ? 'REPAIRED' : r.status === 'EXPIRED' || !isServable(r, item, today) ? 'EXPIRED' : 'SERVED';
      return {
        recordId: r.recordId,
        item: r.item,
        itemName: item?.name ?? r.item,
        provider: r.provider,
        providerName: input.catalog?.provider(r.provider)?.name ?? r.provider,
        recordClass: r.recordClass,
        polarity: r.polarity,
        severity: r.severity ?? null,
        disclosure: r.disclosure,
        key: r.key,
        fields: Object.entries(r.fields).map(([key, value]) => ({ key, label: labels.get(key) ?? key, value: text(value) })),
        receivedAt: r.receivedAt,
        state,
        servableUntil: servableUntil(r, item),
        via: r.via ?? null,
        objection: r.objection ? { status: r.objection.status, since: r.objection.since } : null,
        repair: r.repair ? { certificateNo: r.repair.certificateNo, issuedOn: r.repair.issuedOn, at: r.repair.at } : null,
      };
    })
    .sort((a, b) => a.item.localeCompare(b.item) || b.receivedAt.localeCompare(a.receivedAt));
  const queries = [...input.queries]
    .sort((a, b) => b.at.localeCompare(a.at))
    .map((q) => ({
      at: q.at,
      unit: q.unit ?? null,
      role: q.role,
      purpose: q.purpose ?? null,
      businessRef: q.businessRef ?? null,
      outcome: q.outcome,
      records: q.records,
    }));
  const objections = input.objections
    .map((o) => ({
      objectionId: o.objectionId,
      recordId: o.recordId,
      item: o.item,
      status: o.status,
      receivedAt: o.receivedAt,
      decidedAt: o.decidedAt,
      outcome: o.outcome ? { decision: o.outcome.decision, reasons: o.outcome.reasons } : null,
    }))
    .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
  return {
    reportId: input.reportId,
    generatedAt: input.generatedAt,
    subject: input.subject,
    records,
    objections,
    queries,
    summary: {
      records: records.length,
      served: records.filter((r) => r.state === 'SERVED').length,
      negative: records.filter((r) => r.state === 'SERVED' && r.polarity === 'NEGATIVE').length,
      repaired: records.filter((r) => r.state === 'REPAIRED').length,
      expired: records.filter((r) => r.state === 'EXPIRED').length,
      objectionsOpen: objections.filter((o) => o.decidedAt === null).length,
      queries: queries.length,
    },
    quota: input.quota,
  };
}

/** When the next free report is available: the next calendar year, midnight in Asia/Shanghai. */
export function nextFreeReportAt(year: string): string {
  return new Date(`${Number(year) + 1}-01-01T00:00:00+08:00`).toISOString();
}
