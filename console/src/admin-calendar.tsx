/** The working-day calendar for the admin: the banner while next year's arrangement is missing, and the editor that publishes it. */
import { useEffect, useState } from 'preact/hooks';
import { call, fullMessage, type Session } from './api.ts';
import { num } from './labels.ts';
import { ErrorLine } from './ui.tsx';

/**
 * From 1 November (Beijing day): a banner while next year's working-day arrangement (the State
 * Council's notice) is not published — deadlines reaching into it are provisional until it is.
 */
export function CalendarBanner({ session }: { session: Session }) {
  const [missing, setMissing] = useState<number | null>(null);
  useEffect(() => {
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString(); // Beijing time: UTC+8, no daylight saving
    if (today.slice(5, 10) < '11-01') return;
    const year = Number(today.slice(0, 4)) + 1;
    call<{ source: string }>(session, 'GET', `/v1/calendar/${year}`)
      .then((c) => setMissing(c.source === 'provisional' ? year : null))
      .catch(() => setMissing(null));
  }, []);
  if (missing === null) return null;
  return (
    <p role="status" class="error" data-testid="calendar-banner">
      {missing} 年节假日安排尚未发布：跨入 {missing} 年的办理期限按法定节假日暂定计算。请在国务院办公厅通知发布后通过 PUT /v1/calendar/{missing} 录入。
    </p>
  );
}

interface CalendarYear {
  year: number;
  source: 'official' | 'provisional';
  holidays: string[];
  workdays: string[];
}
const dates = (text: string) => text.split(/[\s,，、]+/).filter(Boolean);

/** The working-day calendar of a year: read it, and publish the State Council's arrangement (节假日安排). */
export function CalendarEditor({ session }: { session: Session }) {
  const [year, setYear] = useState(String(new Date().getFullYear() + 1));
  const [cal, setCal] = useState<CalendarYear | null>(null);
  const [holidays, setHolidays] = useState('');
  const [workdays, setWorkdays] = useState('');
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');
  const load = async (e?: Event) => {
    e?.preventDefault();
    setError('');
    setMessage('');
    try {
      const c = await call<CalendarYear>(session, 'GET', `/v1/calendar/${year}`);
      setCal(c);
      setHolidays(c.holidays.join('\n'));
      setWorkdays(c.workdays.join('\n'));
    } catch (err) {
      setError(fullMessage(err));
    }
  };
  useEffect(() => void load(), []);
  const publish = async (e: Event) => {
    e.preventDefault();
    setError('');
    setMessage('');
    try {
      const r = await call<CalendarYear & { deadlinesMoved: { objections: number; exports: number } }>(session, 'PUT', `/v1/calendar/${year}`, {
        holidays: dates(holidays),
        workdays: dates(workdays),
      });
      setCal(r);
      setMessage(`${r.year} 年节假日安排已发布；重新计算期限：异议 ${num(r.deadlinesMoved.objections)} 件，推送 ${num(r.deadlinesMoved.exports)} 条。`);
    } catch (err) {
      setError(fullMessage(err));
    }
  };
  return (
    <section aria-labelledby="calendar-title">
      <h2 id="calendar-title">工作日历</h2>
      <form class="inline" onSubmit={load}>
        <label for="calendar-year">年度</label>
        <input id="calendar-year" inputMode="numeric" pattern="\d{4}" value={year} onInput={(e) => setYear((e.target as HTMLInputElement).value)} />
        <button type="submit">读取</button>
      </form>
      {cal && (
        <form onSubmit={publish} class="stack">
          <p data-testid="calendar-source">
            {cal.year} 年：
            {cal.source === 'official' ? '已发布的国务院办公厅节假日安排' : '暂定（仅按法定节假日推算，尚无调休安排），跨入该年的期限均为暂定'}
            ；节假日 {cal.holidays.length} 天，调休上班 {cal.workdays.length} 天。
          </p>
          <label for="calendar-holidays">放假日期（每行一个 YYYY-MM-DD）</label>
          <textarea id="calendar-holidays" rows={8} value={holidays} onInput={(e) => setHolidays((e.target as HTMLTextAreaElement).value)} />
          <label for="calendar-workdays">调休上班日期（每行一个 YYYY-MM-DD）</label>
          <textarea id="calendar-workdays" rows={4} value={workdays} onInput={(e) => setWorkdays((e.target as HTMLTextAreaElement).value)} />
          <button type="submit">发布 {cal.year} 年节假日安排</button>
        </form>
      )}
      {message && (
        <p role="status" class="ok">
          {message}
        </p>
      )}
      <ErrorLine error={error} />
    </section>
  );
}
