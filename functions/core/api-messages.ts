/**
 * Messages in the caller's language. Every error the API returns carries a stable `code`; its
 * `message` is Chinese unless the request prefers English (`Accept-Language: en…`). A handler may
 * give the Chinese text of one error itself; otherwise the code's sentence below is used.
 * Row errors carry both texts (`message`, `messageZh`), and so may other parts of a response
 * (`reason`, `reasonZh`): localize() keeps the one asked for under the plain name.
 */

export type Lang = 'zh' | 'en';

/** The language a request prefers: English only when an `en` tag outranks every Chinese one. */
export function preferredLang(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'zh';
  let best: { lang: Lang; q: number } | null = null;
  for (const part of acceptLanguage.split(',')) {
    const [tag, ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q) || q <= 0) continue;
    const lang: Lang | null = tag?.startsWith('zh') ? 'zh' : tag?.startsWith('en') ? 'en' : null;
    if (lang && (best === null || q > best.q)) best = { lang, q };
  }
  return best?.lang ?? 'zh';
}

/** The Chinese sentence of each API error code (the `code` stays the machine's word). */
export const API_ERROR_ZH: Readonly<Record<string, string>> = {
  // the working-day calendar, the units register, rejection reports, joint reward and punishment
  INVALID_YEAR: '年份应为四位数字，且在 2000 至 2200 之间',
  INVALID_CALENDAR: '节假日安排有误，详见 details（日期须真实、在当年之内，且同一天不能既是节假日又是调休工作日）',
  INVALID_UNIT_CODE: '单位代码只能由大写字母、数字、“-”或“_”组成，最长 64 个字符',
  REJECTIONS_GONE: '该批次的错误数据报告已不再保存（已过期或已删除）；回执中的统计数字仍然有效，如需报告请重新上传文件',
  OVERDUE_REQUIRED: '请使用 overdue=true 查询逾期未反馈的联合奖惩措施',
  LIST_NOT_FOUND: '没有这个信用名单',
  REASON_REQUIRED: '强制性措施未采取的，须填写未采取的理由（reason）',
  FEEDBACK_EXISTS: '该主体该项措施的反馈已经提交，不能更改',
  NO_SUCH_MEASURE: '该次核查没有对这个主体给出需要反馈的这项措施',
  NOT_YOUR_CHECK: '只有发起核查的单位可以反馈',
  NOT_YOUR_LIST: '只有认定该名单的单位可以办理',
  LIST_BY_RULE_ONLY: '该名单只按规则列入，不能由单位决定列入',
  NOT_YOUR_ENTRY: '只能对本主体的名单记录提出异议',
  ENTRY_NOT_FOUND: '没有这条名单记录',
  ENTRY_CHANGED: '名单记录已被更新，请重新读取后再试',
  OBJECTION_NOT_ALLOWED: '该名单记录不能再提出异议（已移出或已有异议在办理）',
  NO_OPEN_OBJECTION: '该名单记录没有正在办理的异议',
  // requests
  INVALID_JSON: '请求内容不是有效的 JSON',
  VALIDATION_FAILED: '请求参数不符合要求，详见 details',
  PAYLOAD_TOO_LARGE: '请求内容过大',
  RATE_LIMITED: '请求过于频繁，请稍后再试（等待时间见响应头 Retry-After，单位为秒）',
  NOT_FOUND: '没有这个接口地址',
  METHOD_NOT_ALLOWED: '该接口地址不支持此请求方法',
  INTERNAL: '服务内部错误，已记录日志，请稍后重试',
  INVALID_CURSOR: '翻页游标无效，请从第一页重新查询',
  CURSOR_NEEDS_PROVIDER: '按游标翻页时须指定信息提供单位',
  INVALID_IDEMPOTENCY_KEY: '幂等键格式不对',
  // identity and access
  UNAUTHENTICATED: '请先登录（需要有效的访问令牌）',
  FORBIDDEN: '当前角色无权执行此操作',
  NO_UNIT: '当前账号未关联单位',
  NO_SUBJECT_IDENTITY: '当前账号未关联信息主体',
  NOT_YOUR_PROVIDER: '只能查看本单位的数据',
  NOT_YOUR_ITEM: '该信息项不属于本单位',
  NOT_YOUR_RECORD: '该记录不属于本单位',
  NOT_YOUR_FILE: '只能查询本人（本单位）的信用档案',
  AUDIT_ADMIN_ONLY: '审计查询仅限平台管理员',
  // queries
  PURPOSE_REQUIRED: '查询须注明用途',
  INVALID_PURPOSE: '查询用途不在规定范围内',
  PURPOSE_NOT_DECLARED: '本单位的应用清单中没有这一查询用途或信息项',
  UNKNOWN_MATTER: '本单位的应用清单中没有这一应用事项',
  MATTER_MISMATCH: '查询用途或主体类型与该应用事项不符',
  AUTHORIZATION_REQUIRED: '查询须提供信息主体的授权',
  AUTHORIZATION_INVALID: '授权无效（已撤回、已过期或不涵盖此次查询）',
  AUTHORIZATION_NOT_FOUND: '没有这份授权',
  INVALID_AUTHORIZATION_REF: '授权编号格式不对',
  ALREADY_REVOKED: '该授权已撤回',
  INVALID_REF: '业务编号格式不对',
  INVALID_IDENTIFIER: '主体代码（统一社会信用代码或身份证号码）不正确',
  INVALID_USCC: '统一社会信用代码不正确',
  SUBJECT_REQUIRED: '须指定信息主体',
  SUBJECT_NOT_FOUND: '平台上没有这个信息主体',
  SUBJECT_TYPE_MISMATCH: '主体类别与信息项不符',
  RULE_SET_NOT_FOUND: '没有这个核查规则',
  CHECK_NOT_FOUND: '没有这个批量核查任务',
  FREE_REPORT_QUOTA: '本年度两次免费信用报告已用完，下一年度 1 月 1 日起可再次免费获取',
  QUERY_BUDGET_EXCEEDED: '本单位今日查询次数已达每日限额，北京时间 0 时起恢复；如需提高限额，请联系平台管理员',
  // uploads and the catalog
  NO_CATALOG: '尚未发布公共信用信息目录',
  IMPORT_NOT_FOUND: '没有这个目录导入任务',
  INVALID_CATALOG: '目录文件有错误，未发布，详见 details',
  VERSION_EXISTS: '该目录版本已发布过',
  // units' own lists (数据清单 / 应用清单)
  CATALOG_BUSY: '目录正在发布另一版本，请稍后再试',
  NOT_YOUR_UNIT_LIST: '单位只能维护本单位的清单',
  SECTION_NOT_YOURS: '信息提供单位维护信息事项，政府部门维护应用事项和应用清单',
  INVALID_ENTRY_KEY: '清单条目的代码不符合要求',
  INVALID_LIST_ENTRY: '清单条目有误，详见 details；未保存',
  UNIT_LIST_NOT_EDITABLE: '清单正在审核或发布中，退回或发布后才能再修改',
  UNIT_LIST_FULL: '一次提交的清单变更不能超过 2000 项',
  UNIT_LIST_CHANGED: '清单已被他人更新，请重新读取后再试',
  UNIT_LIST_ENTRY_NOT_FOUND: '清单中没有这一条目（既未发布，也未在草稿中）',
  UNIT_LIST_NOT_FOUND: '该单位还没有清单草稿',
  UNIT_LIST_EMPTY: '草稿没有任何变更，无需提交',
  UNIT_LIST_WRONG_STATE: '清单当前的状态不允许这一操作',
  INVALID_COMMENT_PERIOD: '公示期有误：结束时间须晚于开始时间且晚于当前时间',
  COMMENT_PERIOD_OPEN: '清单仍在公示期内，公示期结束后才能批准',
  UNIT_LIST_HAS_PROBLEMS: '清单有问题（详见 details），未发布',
  UNKNOWN_ITEM: '目录中没有这个信息项',
  ITEM_NOT_IN_CATALOG: '该信息项已不在发布的目录中',
  UNSUPPORTED_FORMAT: '只接受 .csv 或 .jsonl 文件',
  INVALID_FILE_NAME: '文件名不符合要求',
  // records, objections, repair
  RECORD_NOT_FOUND: '没有这条记录',
  RECORD_NOT_ACTIVE: '该记录当前状态不允许此操作',
  RECORD_GONE: '该记录已不存在',
  CONCURRENT_CHANGE: '记录正被同时修改，请刷新后重试',
  NOT_NEGATIVE: '只有失信记录可以信用修复',
  NOT_REPAIRABLE: '该信息项的记录不适用信用修复',
  CORRECTION_NOT_ALLOWED: '更正只能修改信息项的字段，不能修改主体或记录主键',
  CORRECTION_INVALID: '更正后的记录未通过校验，详见 details',
  OBJECTION_NOT_FOUND: '没有这件异议',
  OBJECTION_OPEN: '该记录已有办理中的异议',
  OBJECTION_CLOSED: '该异议已办结，不再办理',
  NOT_YOUR_STEP: '这一步不由当前单位办理',
  REMIT_ALREADY_DECIDED: '该异议已分办',
  REMIT_NOT_DECIDED: '该异议尚未分办，须由平台先决定自行核查或转提供单位',
  // national push
  EXPORT_RUNNING: '已有一次推送正在进行，请等它结束后再启动',
};

/** The Chinese message of an error: the handler's own text if it gave one, else the code's sentence. */
export function errorMessageZh(code: string, own?: string): string {
  return own ?? API_ERROR_ZH[code] ?? `请求未能完成（${code}）`;
}

/**
 * A response body with every `x` / `xZh` pair reduced to `x` in the language asked for (row errors
 * carry `message` and `messageZh`; a receipt carries `reason` and `reasonZh`).
 */
export function localize<T>(body: T, lang: Lang): T {
  return walk(body, lang) as T;
}

function walk(v: unknown, lang: Lang): unknown {
  if (Array.isArray(v)) return v.map((x) => walk(x, lang));
  if (v === null || typeof v !== 'object' || v instanceof Date) return v;
  const src = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(src)) {
    if (k.endsWith('Zh') && k.length > 2 && k.slice(0, -2) in src) continue; // folded into its pair below
    const zh = src[`${k}Zh`];
    out[k] = lang === 'zh' && typeof zh === 'string' ? zh : walk(src[k], lang);
  }
  return out;
}
