/** Chinese names of the platform's codes; the statistics' names are the annual report's own. */
export { PURPOSE_NAMES as PURPOSE, RECORD_CLASS_NAMES as RECORD_CLASS } from '../../functions/core/stat-labels.ts';
export const POLARITY: Record<string, string> = { POSITIVE: '守信', NEUTRAL: '基础', NEGATIVE: '失信' };
export const STATUS: Record<string, string> = { RECEIVED: '已接收', PROCESSING: '处理中', COMPLETED: '已完成', FAILED: '失败' };
export const OBJECTION_STATUS: Record<string, string> = {
  RECEIVED: '待分办',
  UNDER_REVIEW: '平台核查中',
  FORWARDED: '已转提供单位',
  CORRECTED: '已更正',
  DELETED: '已删除',
  UPHELD: '维持原记录',
};
/** An ISO instant as the Beijing day (a working-day deadline ends at 24:00 of that day) or minute. */
export const beijing = (iso: unknown, unit: 'day' | 'minute' = 'minute') =>
  typeof iso === 'string' && iso ? new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, unit === 'day' ? 10 : 16).replace('T', ' ') : '—';
export const num = (n: number | null | undefined) => (n ?? 0).toLocaleString('zh-CN');
export const pct = (r: number | null | undefined) => (r === null || r === undefined ? '—' : `${(r * 100).toFixed(2)}%`);
