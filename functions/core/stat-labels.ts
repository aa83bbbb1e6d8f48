/**
 * The statistics' names of codes (信息类别, 主体类型, 查询用途, 查询渠道, 推送类型): kept as an entry point;
 * the names themselves live in labels.ts with every other Chinese label.
 */
export { CHANNEL_NAMES, NATIONAL_TYPE_NAMES, PURPOSE_NAMES, RECORD_CLASS_NAMES, SUBJECT_TYPE_NAMES } from './labels.ts';
