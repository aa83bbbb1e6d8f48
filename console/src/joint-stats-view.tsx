/** 联合奖惩统计, the admin's sub-tab: figures of a year from GET /v1/joint/stats. */
import { useEffect, useState } from 'preact/hooks';
import type { JointStatsResponse } from '../../functions/api-types.ts';
import { call, type Session } from './api.ts';
import { PURPOSE, num, pct } from './labels.ts';

/** Admin: the year's joint statistics (checks by matter × subject type, feedback by unit, list movements). */
export function JointStatsView({ session }: { session: Session }) {
  const [year, setYear] = useState(() => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 4));
  const [s, setS] = useState<JointStatsResponse | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    setError('');
    call<JointStatsResponse>(session, 'GET', `/v1/joint/stats?year=${year}`)
      .then(setS)
      .catch((e) => setError((e as Error).message));
  }, [session, year]);
  return (
    <section aria-labelledby="joint-stats-title">
      <h2 id="joint-stats-title">联合奖惩统计</h2>
      <label for="joint-year">年度</label>{' '}
      <input id="joint-year" type="number" min="2000" max="2100" value={year} onChange={(e) => setYear((e.target as HTMLInputElement).value)} />
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {s && (
        <>
          <p data-testid="joint-totals">
            核查 {num(s.totals.subjects)} 次，命中 {num(s.totals.hits)} 次（{pct(s.totals.hitRate)}）；应反馈 {num(s.totals.feedbackDue)} 项，已反馈{' '}
            {num(s.totals.feedback)} 项（{pct(s.totals.feedbackRate)}），逾期未反馈 {num(s.totals.overdueOpen)} 项
          </p>
          <table aria-label="按事项核查">
            <thead>
              <tr>
                <th>事项</th>
                <th>法人</th>
                <th>自然人</th>
                <th>命中</th>
                <th>命中率</th>
              </tr>
            </thead>
            <tbody>
              {s.byMatter
                .filter((m) => m.subjects > 0)
                .map((m) => (
                  <tr key={m.matter}>
                    <td>{PURPOSE[m.matter] ?? m.matter}</td>
                    <td>{num(m.bySubjectType.LEGAL)}</td>
                    <td>{num(m.bySubjectType.NATURAL)}</td>
                    <td>{num(m.hits)}</td>
                    <td>{pct(m.hitRate)}</td>
                  </tr>
                ))}
            </tbody>
          </table>
          <table aria-label="各单位反馈">
            <thead>
              <tr>
                <th>单位</th>
                <th>核查</th>
                <th>应反馈</th>
                <th>已反馈</th>
                <th>反馈率</th>
                <th>已采取</th>
                <th>未采取</th>
                <th>逾期反馈</th>
                <th>逾期未反馈</th>
              </tr>
            </thead>
            <tbody>
              {s.byUnit.map((u) => (
                <tr key={u.unit}>
                  <td>{u.unit}</td>
                  <td>{num(u.subjects)}</td>
                  <td>{num(u.feedbackDue)}</td>
                  <td>{num(u.feedback)}</td>
                  <td>{pct(u.feedbackRate)}</td>
                  <td>{num(u.applied)}</td>
                  <td>{num(u.notApplied)}</td>
                  <td>{num(u.late)}</td>
                  <td>{num(u.overdueOpen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table aria-label="信用名单列入与移出">
            <thead>
              <tr>
                <th>名单</th>
                <th>告知</th>
                <th>列入</th>
                <th>移出</th>
              </tr>
            </thead>
            <tbody>
              {s.byList.map((l) => (
                <tr key={l.list}>
                  <td>{l.name}</td>
                  <td>{num(l.entered)}</td>
                  <td>{num(l.listed)}</td>
                  <td>{num(l.exited)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
