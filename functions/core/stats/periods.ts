/** Statistics periods: closed ranges of Beijing-time days, and the buckets counters are kept in. */
import { shanghaiDay } from '../working-days.ts';

/** A closed range of Beijing-time days, `YYYY-MM-DD`. */
export interface Period {
  from: string;
  to: string;
}

const lastDayOfMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
};

/** `year`, or `from`/`to` as YYYY, YYYY-MM or YYYY-MM-DD (a year or month means all of it). */
export function periodOf(q: { year?: string; from?: string; to?: string }, today: string): Period {
  const start = (v: string) => (v.length === 4 ? `${v}-01-01` : v.length === 7 ? `${v}-01` : v);
  const end = (v: string) => (v.length === 4 ? `${v}-12-31` : v.length === 7 ? lastDayOfMonth(v) : v);
  if (q.from || q.to) return { from: start(q.from ?? q.to!.slice(0, 4)), to: end(q.to ?? today) };
  const year = q.year ?? today.slice(0, 4);
  return { from: `${year}-01-01`, to: `${year}-12-31` };
}

/** The calendar years a period touches. */
export function yearsOf(p: Period): string[] {
  const years: string[] = [];
  for (let y = Number(p.from.slice(0, 4)); y <= Number(p.to.slice(0, 4)); y++) years.push(String(y));
  return years;
}

/** Counter buckets are Beijing-time days or months. */
export const dayOf = (at: string) => shanghaiDay(at);
