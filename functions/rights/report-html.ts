/**
 * The own report as a printable HTML page (Chinese headings), rendered with Eta: every
 * interpolation goes through `<%= %>`, which escapes (autoEscape on); nothing is output raw.
 */
import { Eta } from 'eta';
import { chinaTime, labelOf, OBJECTION_STATUS_NAMES, PURPOSE_NAMES, QUERY_OUTCOME_NAMES, ROLE_NAMES, SUBJECT_TYPE_LONG_NAMES } from '#core/labels';
import type { OwnReport } from '#core/own-report';
import type { z } from 'zod';
import type { ownJointFileView } from '../joint/schemas.ts';

type OwnJointFile = z.infer<typeof ownJointFileView>;

const eta = new Eta({ autoEscape: true, autoTrim: false, useWith: false });

const TEMPLATE = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>公共信用信息报告（本人查询）</title>
<style>
body { font-family: "Songti SC", "SimSun", serif; margin: 2em; color: #111; }
h1 { text-align: center; } h2 { border-bottom: 2px solid #333; padding-bottom: .2em; margin-top: 1.6em; }
table { border-collapse: collapse; width: 100%; margin: .5em 0; font-size: 0.9em; }
th, td { border: 1px solid #777; padding: .3em .5em; text-align: left; vertical-align: top; }
th { background: #eee; } .mark { color: #a00; font-weight: bold; } .muted { color: #666; }
@media print { body { margin: 0; } h2 { page-break-after: avoid; } table { page-break-inside: auto; } }
</style>
</head>
<body>
<h1>公共信用信息报告（本人查询）</h1>
<p class="muted">（时间均为北京时间）报告编号：<%= it.r.reportId %>　生成时间：<%= it.time(it.r.generatedAt) %></p>

<h2>一、信息主体</h2>
<table>
<tr><th>名称</th><td><%= it.r.subject.name %></td></tr>
<tr><th>主体类别</th><td><%= it.label(it.r.subject.type, it.names.subjectType) %></td></tr>
<tr><th><%= it.r.subject.type === 'LEGAL' ? '统一社会信用代码' : '身份证号码' %></th><td><%= it.r.subject.id %></td></tr>
<% if (it.r.quota) { %><tr><th>本年度免费报告</th><td>第 <%= it.r.quota.used %> 份，共 <%= it.r.quota.limit %> 份（<%= it.r.quota.year %> 年）</td></tr><% } %>
</table>

<h2>二、信息概要</h2>
<table>
<tr><th>记录总数</th><th>在查询期内</th><th>其中失信</th><th>已信用修复</th><th>查询期限届满</th><th>进行中的异议</th><th>被查询次数</th></tr>
<tr><td><%= it.r.summary.records %></td><td><%= it.r.summary.served %></td><td><%= it.r.summary.negative %></td><td><%= it.r.summary.repaired %></td><td><%= it.r.summary.expired %></td><td><%= it.r.summary.objectionsOpen %></td><td><%= it.r.summary.queries %></td></tr>
</table>

<h2>三、信用记录</h2>
<% if (it.r.records.length === 0) { %><p>无记录。</p><% } %>
<% it.r.records.forEach(function (rec, i) { %>
<h3><%= i + 1 %>. <%= rec.itemName %>（<%= it.label(rec.polarity) %><%= rec.severity ? '·' + it.label(rec.severity) : '' %>）</h3>
<table>
<tr><th>信息来源</th><td><%= rec.providerName %>（<%= rec.provider %>）</td><th>归集时间</th><td><%= it.time(rec.receivedAt) %></td></tr>
<tr><th>公开属性</th><td><%= it.label(rec.disclosure) %></td><th>状态</th><td><%= it.label(rec.state) %><%= rec.servableUntil ? '（查询期至 ' + rec.servableUntil + '）' : '' %></td></tr>
<% if (rec.via) { %><tr><th>关联</th><td colspan="3">作为法定代表人关联：<%= rec.via.uscc %></td></tr><% } %>
<% if (rec.objection) { %><tr><th>异议标注</th><td colspan="3" class="mark"><%= it.label(rec.objection.status, it.names.objection) %>，自 <%= it.time(rec.objection.since) %></td></tr><% } %>
<% if (rec.repair) { %><tr><th>信用修复</th><td colspan="3">修复证明 <%= rec.repair.certificateNo %>（<%= rec.repair.issuedOn %>），<%= it.time(rec.repair.at) %> 起不再对外提供查询</td></tr><% } %>
<% rec.fields.forEach(function (f) { %><tr><th><%= f.label %></th><td colspan="3"><%= f.value %></td></tr><% }) %>
</table>
<% }) %>

<h2>四、异议记录</h2>
<% if (it.r.objections.length === 0) { %><p>无异议记录。</p><% } else { %>
<table>
<tr><th>异议编号</th><th>记录</th><th>提出时间</th><th>状态</th><th>办结时间</th><th>处理意见</th></tr>
<% it.r.objections.forEach(function (o) { %>
<tr><td><%= o.objectionId %></td><td><%= o.item %> / <%= o.recordId %></td><td><%= it.time(o.receivedAt) %></td><td><%= it.label(o.status, it.names.objection) %></td><td><%= it.time(o.decidedAt) %></td><td><%= o.outcome ? o.outcome.reasons : '—' %></td></tr>
<% }) %>
</table>
<% } %>

<h2>五、查询记录</h2>
<% if (it.r.queries.length === 0) { %><p>无查询记录。</p><% } else { %>
<table>
<tr><th>查询时间</th><th>查询单位</th><th>查询方</th><th>查询用途</th><th>业务编号</th><th>结果</th><th>提供记录数</th></tr>
<% it.r.queries.forEach(function (q) { %>
<tr><td><%= it.time(q.at) %></td><td><%= q.unit || '—' %></td><td><%= it.label(q.role, it.names.role) %></td><td><%= it.label(q.purpose, it.names.purpose) %></td><td><%= q.businessRef || '—' %></td><td><%= it.label(q.outcome, it.names.outcome) %></td><td><%= q.records %></td></tr>
<% }) %>
</table>
<% if (it.more) { %><p class="muted">以上为最近的查询记录；更早的记录请通过“谁查询了我”（GET /v1/me/queries）逐页查看。</p><% } %>
<% } %>

<h2>六、联合奖惩</h2>
<% if (!it.joint || (it.joint.behaviours.length === 0 && it.joint.lists.length === 0)) { %><p>无失信或守信行为，未列入信用名单。</p><% } else { %>
<% if (it.joint.behaviours.length) { %>
<table>
<tr><th>行为</th><th>类别</th><th>等级</th><th>依据</th><th>起始日期</th></tr>
<% it.joint.behaviours.forEach(function (b) { %>
<tr><td><%= b.name %>（<%= b.code %>）</td><td><%= b.kind === 'PUNISHMENT' ? '联合惩戒' : '联合激励' %></td><td><%= b.grade %></td><td><%= b.basis %></td><td><%= b.since %></td></tr>
<% }) %>
</table>
<% } %>
<% if (it.joint.lists.length) { %>
<table>
<tr><th>信用名单</th><th>状态</th><th>列入依据</th><th>事由</th><th>告知时间</th><th>列入日期</th><th>移出日期</th><th>异议与救济</th><th>移出条件</th></tr>
<% it.joint.lists.forEach(function (e) { %>
<tr><td><%= e.name %></td><td><%= e.status === 'NOTIFIED' ? '告知期' : e.status === 'LISTED' ? '已列入' : '已移出' %></td><td><%= e.basis %></td><td><%= e.reasons %></td><td><%= it.time(e.notifiedAt) %></td><td><%= e.listedOn || '—' %></td><td><%= e.exitedOn || e.until || '—' %></td><td><%= e.remedy %></td><td><%= e.exit %></td></tr>
<% }) %>
</table>
<% } %>
<% if (it.joint.measures.some(function (m) { return m.inForce; })) { %>
<table>
<tr><th>措施</th><th>实施方式</th><th>依据</th><th>期限</th></tr>
<% it.joint.measures.filter(function (m) { return m.inForce; }).forEach(function (m) { %>
<tr><td><%= m.name %></td><td><%= m.binding === 'MANDATORY' ? '必须实施' : '推荐实施' %></td><td><%= m.basis %></td><td><%= m.until || '随名单或行为存续' %></td></tr>
<% }) %>
</table>
<% } %>
<% } %>

<p class="muted">依据《上海市社会信用条例》第三十四条，自然人每年可免费获取本人信用报告两次。</p>
</body>
</html>
`;

const names = {
  subjectType: SUBJECT_TYPE_LONG_NAMES,
  objection: OBJECTION_STATUS_NAMES,
  role: ROLE_NAMES,
  purpose: PURPOSE_NAMES,
  outcome: QUERY_OUTCOME_NAMES,
};
const time = (iso: unknown) => chinaTime(iso);

/**
 * Codes by their Chinese names and instants in China time (Asia/Shanghai), as everywhere a person reads them.
 * `more`: the log holds older queries than the report carries (report-api REPORT_QUERIES).
 */
export function renderReportHtml(report: OwnReport, more = false, joint: OwnJointFile | null = null): string {
  return eta.renderString(TEMPLATE, { r: report, label: labelOf, names, time, more, joint });
}
