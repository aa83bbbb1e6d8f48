/** Chinese names of the platform's codes; the statistics' names are the annual report's own. */
export { PURPOSE_NAMES as PURPOSE, RECORD_CLASS_NAMES as RECORD_CLASS } from '../../functions/core/stat-labels.ts';
export const POLARITY: Record<string, string> = { POSITIVE: '守信', NEUTRAL: '基础', NEGATIVE: '失信' };
export const STATUS: Record<string, string> = { RECEIVED: '已接收', PROCESSING: '处理中', COMPLETED: '已完成', FAILED: '失败' };
export const num = (n: number | null | undefined) => (n ?? 0).toLocaleString('zh-CN');
export const pct = (r: number | null | undefined) => (r === null || r === undefined ? '—' : `${(r * 100).toFixed(2)}%`);
