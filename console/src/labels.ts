/** The console's names of codes and its time format: all from the platform's one label module. */
import { BATCH_STATUS_NAMES, OBJECTION_STATUS_NAMES, POLARITY_NAMES, chinaTime } from '../../functions/core/labels.ts';

export { PURPOSE_NAMES as PURPOSE, RECORD_CLASS_NAMES as RECORD_CLASS } from '../../functions/core/labels.ts';
export * from '../../functions/core/labels.ts';
export const POLARITY = POLARITY_NAMES;
export const STATUS = BATCH_STATUS_NAMES;
export const OBJECTION_STATUS = OBJECTION_STATUS_NAMES;
/** An ISO instant as the China day (a working-day deadline ends at 24:00 of that day) or minute. */
export const beijing = (iso: unknown, unit: 'day' | 'minute' = 'minute') => chinaTime(iso, unit);
export const num = (n: number | null | undefined) => (n ?? 0).toLocaleString('zh-CN');
export const pct = (r: number | null | undefined) => (r === null || r === undefined ? '—' : `${(r * 100).toFixed(2)}%`);
