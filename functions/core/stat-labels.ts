/**
 * Chinese names of the codes the statistics and the annual report show (信息类别, 主体类型, 查询用途,
 * 查询渠道, 推送类型). Dependency-free, so the web console bundles the same names.
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
};
export const CHANNEL_NAMES: Readonly<Record<string, string>> = { api: '接口', console: '网页', window: '窗口', app: 'APP', check: '批量核查', ELIGIBILITY: '信用状况核查' };
export const NATIONAL_TYPE_NAMES: Readonly<Record<string, string>> = { PENALTY: '行政处罚', LICENSING: '行政许可' };
