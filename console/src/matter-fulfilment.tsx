/**
 * 应用事项落实率 for the admin: the `matters` figures of GET /v1/stats/applications — the total, per
 * level, per unit, and each matter fulfilled or not and how (docs/domain.md, 应用事项落实).
 */
import { labelOf, num, pct, PURPOSE, SUBJECT_TYPE_NAMES } from './labels.ts';
import { DataTable } from './ui.tsx';

interface Rate {
  declared: number;
  fulfilled: number;
  rate: number | null;
}
interface MatterFigures extends Rate {
  byLevel: Array<Rate & { level: string }>;
  byUnit: Array<Rate & { unit: string; name: string; level: string }>;
  matters: Array<{ code: string; name: string; unit: string; subjectType: string; purpose: string; fulfilled: boolean; by: 'MATTER' | 'PURPOSE' | null }>;
}

const LEVELS: Record<string, string> = { MUNICIPAL: '市级', DISTRICT: '区级', CENTRAL: '中央在沪', OTHER: '其他' };
const BY: Record<string, string> = { MATTER: '查询注明该事项', PURPOSE: '按用途及主体类型' };

/** `stats`: the answer of GET /v1/stats/applications (its other figures are shown by the view that loads it). */
export function MatterFulfilment({ stats, year }: { stats: { matters?: MatterFigures; [figure: string]: unknown } | null; year: string }) {
  const m = stats?.matters;
  if (!m) return null;
  const unitName = (code: string) => m.byUnit.find((u) => u.unit === code)?.name ?? code;
  return (
    <section aria-labelledby="matter-fulfilment-title">
      <h3 id="matter-fulfilment-title">应用事项落实率</h3>
      <p data-testid="matters-rate">
        {year} 年应用事项落实率 {pct(m.rate)}（实际应用 {num(m.fulfilled)} / 填报 {num(m.declared)} 项；
        {m.byLevel
          .filter((l) => l.declared)
          .map((l) => `${LEVELS[l.level] ?? l.level} ${num(l.fulfilled)} / ${num(l.declared)}，${pct(l.rate)}`)
          .join('；')}
        ）
      </p>
      <DataTable
        caption="各单位应用事项落实情况"
        testId="matters-by-unit"
        columns={[
          { label: '单位', value: (u: MatterFigures['byUnit'][number]) => u.name },
          { label: '层级', value: (u) => LEVELS[u.level] ?? u.level },
          { label: '填报', value: (u) => u.declared, numeric: true },
          { label: '落实', value: (u) => u.fulfilled, numeric: true },
          { label: '落实率', value: (u) => u.rate, render: (u) => pct(u.rate), numeric: true },
        ]}
        rows={m.byUnit}
        rowKey={(u) => u.unit}
        empty="目录中没有应用事项。"
      />
      <DataTable
        caption="各应用事项落实情况"
        testId="matters-fulfilled"
        columns={[
          { label: '单位', value: (x: MatterFigures['matters'][number]) => unitName(x.unit) },
          { label: '应用事项', value: (x) => x.name },
          { label: '主体类型', value: (x) => labelOf(x.subjectType, SUBJECT_TYPE_NAMES) },
          { label: '查询用途', value: (x) => PURPOSE[x.purpose] ?? x.purpose },
          { label: '是否落实', value: (x) => (x.by ? `已落实（${BY[x.by]}）` : '未落实') },
        ]}
        rows={m.matters}
        rowKey={(x) => x.code}
        empty="目录中没有应用事项。"
      />
    </section>
  );
}
