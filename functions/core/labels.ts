/**
 * The one home of the platform's Chinese labels: every code a person sees (statuses, purposes,
 * roles, record attributes) has its name here, and the console, the own report, the annual
 * report and the statistics all take it from here. Dependency-free, so the web console bundles it.
 * Times a person sees are shown in China time (Asia/Shanghai, UTC+8 all year).
 */

export const RECORD_CLASS_NAMES: Readonly<Record<string, string>> = {
  REGISTRATION: '登记类',
  QUALIFICATION: '资质类',
  SUPERVISION: '监管类',
  JUDGMENT: '判决类',
  ENFORCEMENT: '执行类',
  CONTRACT: '履约类',
  MANAGEMENT: '管理类',
  PUBLIC_WELFARE: '公益类',
};
export const SUBJECT_TYPE_NAMES: Readonly<Record<string, string>> = { LEGAL: '法人', NATURAL: '自然人' };
/** The longer form used where a subject is described (the own report's 主体类别). */
export const SUBJECT_TYPE_LONG_NAMES: Readonly<Record<string, string>> = { LEGAL: '法人及非法人组织', NATURAL: '自然人' };
export const PURPOSE_NAMES: Readonly<Record<string, string>> = {
  ADMIN_APPROVAL: '行政审批',
  PENALTY: '行政处罚',
  INSPECTION: '日常监管',
  GOV_PROCUREMENT: '政府采购',
  BIDDING: '招标投标',
  HONOURS: '表彰评优',
  FUNDING: '资金支持',
  HR_PROMOTION: '录用晋升',
  RESIDENCE: '居住落户',
  // the statistics' value for a query without a purpose (market agencies, subjects, the public)
  '(none)': '未注明用途',
};
export const CHANNEL_NAMES: Readonly<Record<string, string>> = {
  api: '接口',
  console: '网页',
  window: '窗口',
  app: 'APP',
  check: '批量核查',
  ELIGIBILITY: '信用状况核查',
};
export const NATIONAL_TYPE_NAMES: Readonly<Record<string, string>> = { PENALTY: '行政处罚', LICENSING: '行政许可' };
export const PROVIDER_KIND_NAMES: Readonly<Record<string, string>> = {
  MUNICIPAL_AGENCY: '市级行政机关',
  DISTRICT_GOVERNMENT: '区级政府',
  CENTRAL_UNIT: '中央在沪单位',
  PEOPLES_ORGANIZATION: '人民团体',
  JUDICIAL: '司法机关',
  PUBLIC_UTILITY: '公共企事业单位',
  SOCIAL_ORGANIZATION: '社会组织',
};
export const POLARITY_NAMES: Readonly<Record<string, string>> = { POSITIVE: '守信', NEUTRAL: '基础', NEGATIVE: '失信' };
export const SEVERITY_NAMES: Readonly<Record<string, string>> = { MINOR: '轻微', GENERAL: '一般', SERIOUS: '严重' };
export const DISCLOSURE_NAMES: Readonly<Record<string, string>> = { PUBLIC: '社会公开', GOV_SHARE: '政务共享', AUTHORIZED_QUERY: '授权查询' };
export const RECORD_STATE_NAMES: Readonly<Record<string, string>> = {
  SERVED: '在查询期内',
  REPAIRED: '已信用修复',
  EXPIRED: '查询期限届满',
  ACTIVE: '有效',
  REVOKED: '已撤销',
  WITHDRAWN: '已撤回',
  DELETED: '已删除',
};
/** A batch (批次) as its receipt names it. */
export const BATCH_STATUS_NAMES: Readonly<Record<string, string>> = { RECEIVED: '已接收', PROCESSING: '处理中', COMPLETED: '已完成', FAILED: '失败' };
/** An objection's steps; RECEIVED is the same word for the subject who filed it and the platform that sorts it. */
export const OBJECTION_STATUS_NAMES: Readonly<Record<string, string>> = {
  RECEIVED: '已受理',
  UNDER_REVIEW: '平台核查中',
  FORWARDED: '已转提供单位核查',
  CORRECTED: '已更正',
  DELETED: '已删除',
  UPHELD: '维持原记录',
};
export const OBJECTION_REMIT_NAMES: Readonly<Record<string, string>> = { PLATFORM: '平台核查', PROVIDER: '转提供单位' };
export const QUERY_OUTCOME_NAMES: Readonly<Record<string, string>> = { ALLOWED: '已提供', REFUSED: '已拒绝', NOT_FOUND: '无记录' };
export const ROLE_NAMES: Readonly<Record<string, string>> = {
  admin: '平台',
  gov: '政府部门',
  market: '信用服务机构',
  subject: '本人',
  provider: '信息提供单位',
};
export const EXPORT_RUN_STATUS_NAMES: Readonly<Record<string, string>> = { RUNNING: '进行中', COMPLETED: '已完成', FAILED: '失败' };
/** Row error codes (core/row-validator RowErrorCode) as the console names them. */
export const ROW_ERROR_NAMES: Readonly<Record<string, string>> = {
  REQUIRED: '必填项为空',
  TYPE: '类型不符',
  ENUM: '不在可选值中',
  LENGTH: '长度超限',
  DATE: '日期不正确',
  FORMAT: '格式不正确',
  CHECKSUM: '校验位不正确',
  RANGE: '超出范围',
  CROSS_FIELD: '字段间矛盾',
  SUBJECT_TYPE: '主体类别不符',
  UNKNOWN_COLUMN: '未知列',
  DUPLICATE_COLUMN: '重复列',
  MISSING_COLUMN: '缺少列',
  NO_SUBJECT: '缺少主体代码',
  DUPLICATE_KEY_IN_FILE: '文件内主键重复',
  NOT_FOUND: '没有可删除的记录',
  RECORD_CLOSED: '记录已办结',
  PROCESSING_FAILED: '处理失败',
};
export const CHECK_STATUS_NAMES: Readonly<Record<string, string>> = { RUNNING: '核查中', COMPLETED: '已完成', FAILED: '失败' };

const ALL: ReadonlyArray<Readonly<Record<string, string>>> = [
  BATCH_STATUS_NAMES,
  RECORD_CLASS_NAMES,
  PURPOSE_NAMES,
  POLARITY_NAMES,
  SEVERITY_NAMES,
  DISCLOSURE_NAMES,
  RECORD_STATE_NAMES,
  QUERY_OUTCOME_NAMES,
  ROLE_NAMES,
  PROVIDER_KIND_NAMES,
  SUBJECT_TYPE_LONG_NAMES,
];

/**
 * A code's name from the given table (or, without one, the first table that knows it); '—' for
 * no value, so an empty cell never shows as '(none)' or 'undefined'.
 */
export function labelOf(code: unknown, table?: Readonly<Record<string, string>>): string {
  if (code === undefined || code === null || code === '') return '—';
  const c = String(code);
  if (table) return table[c] ?? c;
  for (const t of ALL) if (t[c] !== undefined) return t[c]!;
  return c;
}

const CHINA_OFFSET_MS = 8 * 3_600_000; // Asia/Shanghai: UTC+8, no daylight saving since 1991

/**
 * An instant (ISO text) as China time: 'YYYY-MM-DD HH:mm' (or the day alone). Dates without a time
 * (YYYY-MM-DD) are days already and are returned as they are; '—' for no value.
 */
export function chinaTime(iso: unknown, unit: 'day' | 'minute' | 'second' = 'minute'): string {
  if (typeof iso !== 'string' || iso === '') return '—';
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  const local = new Date(ms + CHINA_OFFSET_MS).toISOString().replace('T', ' ');
  return local.slice(0, unit === 'day' ? 10 : unit === 'minute' ? 16 : 19);
}
