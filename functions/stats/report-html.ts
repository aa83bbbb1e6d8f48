/**
 * The annual report as one self-contained HTML page (inline CSS, inline SVG charts, no script),
 * rendered with Eta: text goes through `<%= %>` (escaped); only the chart SVG that vega rendered
 * on the server is output raw (`<%~ %>`).
 */
import { Eta } from 'eta';
import { chinaTime, PROVIDER_KIND_NAMES } from '#core/labels';
import { CHANNEL_NAMES, NATIONAL_TYPE_NAMES, NATIONAL_TYPES, PURPOSE_NAMES, RECORD_CLASS_NAMES, SUBJECT_TYPE_NAMES } from '#core/stats';
import { UNIT_LEVEL_NAMES, UNIT_LEVELS } from '#core/units';
import { JOINT_NAMES, type AnnualReportCharts, type AnnualReportData } from './annual-report.ts';

const eta = new Eta({ autoEscape: true, autoTrim: false, useWith: false });

const NAMES: Record<string, string> = {
  ...PROVIDER_KIND_NAMES,
  ...RECORD_CLASS_NAMES,
  ...SUBJECT_TYPE_NAMES,
  ...PURPOSE_NAMES,
  ...CHANNEL_NAMES,
  ...NATIONAL_TYPE_NAMES,
};
const label = (k: string) => NAMES[k] ?? k;
const num = (n: number) => n.toLocaleString('zh-CN');
const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(2)}%`);

const TEMPLATE = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title><%= it.d.year %> 年度公共信用信息服务平台运行情况报告</title>
<style>
  body { font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; margin: 0 auto; max-width: 980px; padding: 24px; color: #1f2933; line-height: 1.6; }
  h1 { font-size: 26px; border-bottom: 3px solid #2f6fb0; padding-bottom: 8px; }
  h2 { font-size: 21px; margin-top: 40px; color: #2f6fb0; }
  h3 { font-size: 17px; margin-top: 24px; }
  .figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap: 12px; }
  .figure { border: 1px solid #d9e2ec; border-radius: 6px; padding: 12px; }
  .figure b { display: block; font-size: 22px; color: #2f6fb0; }
  table { border-collapse: collapse; margin: 8px 0; font-size: 14px; }
  th, td { border: 1px solid #d9e2ec; padding: 4px 10px; text-align: right; }
  th:first-child, td:first-child { text-align: left; }
  th { background: #f0f4f8; }
  figure { margin: 12px 0; overflow-x: auto; }
  figure svg { max-width: 100%; height: auto; }
  figcaption { font-size: 13px; color: #52606d; }
  .muted { color: #7b8794; }
  footer { margin-top: 48px; font-size: 12px; color: #7b8794; }
</style>
</head>
<body>
<h1><%= it.d.year %> 年度公共信用信息服务平台运行情况报告</h1>
<p class="muted">统计期间：<%= it.d.period.from %> 至 <%= it.d.period.to %>（北京时间）；目录版本：<%= it.d.catalog.version ?? '未发布' %></p>

<h2>综合篇</h2>
<div class="figures">
  <div class="figure">可查询数据存量<b><%= it.num(it.d.stock.total) %> 条</b>法人 <%= it.num(it.d.stock.bySubjectType.LEGAL) %>，自然人 <%= it.num(it.d.stock.bySubjectType.NATURAL) %>（截至 <%= it.d.generatedAt.slice(0, 10) %>）</div>
  <div class="figure">归集数据<b><%= it.num(it.d.ingestion.totals.accepted) %> 条</b>提交 <%= it.num(it.d.ingestion.totals.rows) %> 行，<%= it.num(it.d.ingestion.totals.batches) %> 个批次</div>
  <div class="figure">关联入库有效性<b><%= it.pct(it.d.quality.linkRate) %></b>关联 <%= it.num(it.d.quality.linked) %> 条</div>
  <div class="figure">双公示数据<b><%= it.num(it.d.publicity.records.total) %> 条</b>许可 <%= it.num(it.d.publicity.records.LICENSING) %>，处罚 <%= it.num(it.d.publicity.records.PENALTY) %></div>
  <div class="figure">信用信息查询<b><%= it.num(it.d.queries.total) %> 次</b></div>
  <div class="figure">应用清单落实率<b><%= it.pct(it.d.applications.rate) %></b>落实 <%= it.d.applications.fulfilled %> / 填报 <%= it.d.applications.declared %> 项</div>
  <div class="figure">推送国家平台<b><%= it.num(it.d.exports.total) %> 条</b>行政许可 <%= it.num(it.d.exports.byType.LICENSING.records) %>，行政处罚 <%= it.num(it.d.exports.byType.PENALTY.records) %></div>
  <div class="figure">异议申请<b><%= it.num(it.d.objections.total.applications) %> 件</b>办结 <%= it.num(it.d.objections.total.completed) %> 件；信用修复 <%= it.num(it.d.objections.repairs.repaired) %> 条</div>
  <div class="figure">联合奖惩核查<b><%= it.num(it.d.joint.totals.subjects) %> 次</b>命中 <%= it.num(it.d.joint.totals.hits) %> 次，措施反馈率 <%= it.pct(it.d.joint.totals.feedbackRate) %></div>
</div>

<h2>数据篇</h2>
<h3>一、数据清单编制情况</h3>
<p>共计 <%= it.d.catalog.providers %> 家单位编制数据清单，确认向平台提供 <%= it.d.catalog.items %> 项信息事项<% for (const t of it.d.catalog.itemsBySubjectType) { %>，<%= it.label(t.key) %>信息事项 <%= t.n %> 项<% } %>。</p>
<table><caption class="muted">数据归集单位分类</caption><tr><th>单位类别</th><th>单位数</th></tr>
<% for (const k of it.d.catalog.providersByKind) { %><tr><td><%= it.label(k.key) %></td><td><%= k.n %></td></tr><% } %>
</table>

<h3>二、归集数据量统计情况</h3>
<p><%= it.d.year %> 年度，平台直接归集数据 <%= it.num(it.d.ingestion.totals.accepted) %> 条<% for (const t of it.d.ingestion.bySubjectType) { %>，其中<%= it.label(t.subjectType) %>数据 <%= it.num(t.accepted) %> 条<% } %>。</p>
<% if (it.c.collection) { %><figure><%~ it.c.collection %><figcaption>历年直接归集数据（按信息类别）</figcaption></figure><% } else { %><p class="muted">本期暂无归集数据。</p><% } %>
<table><caption class="muted">各单位归集数据量（条）</caption><tr><th>信息提供单位</th><th>批次</th><th>提交</th><th>入库</th><th>拒收</th><th>关联</th><th>未关联</th></tr>
<% for (const p of it.d.ingestion.byProvider) { %><tr><td><%= p.name %></td><td><%= it.num(p.batches) %></td><td><%= it.num(p.rows) %></td><td><%= it.num(p.accepted) %></td><td><%= it.num(p.rejected) %></td><td><%= it.num(p.linked) %></td><td><%= it.num(p.unlinked) %></td></tr><% } %>
</table>

<h3>三、数据提供质量情况</h3>
<p>各单位报送的数据，通过统一社会信用代码、注册号、组织机构代码或身份证号关联入库的比例（关联入库有效性），直接反映数据的有效性。</p>
<% if (it.c.linkRates) { %><figure><%~ it.c.linkRates %><figcaption>各单位关联入库有效性排名</figcaption></figure><% } %>
<% for (const t of ['LEGAL', 'NATURAL']) { %>
<p><%= it.label(t) %>数据关联入库有效性为 100% 的单位（以数据量排序）：<%= it.d.quality.fullyLinked[t].map((p) => p.name).join('、') || '无' %></p>
<% } %>

<h3>四、双公示信息事项及数据提供情况</h3>
<p>目录中双公示信息事项 <%= it.d.publicity.items.LICENSING + it.d.publicity.items.PENALTY %> 项（行政许可 <%= it.d.publicity.items.LICENSING %> 项，行政处罚 <%= it.d.publicity.items.PENALTY %> 项），由 <%= it.d.publicity.providers %> 家单位提供；本期归集双公示数据 <%= it.num(it.d.publicity.records.total) %> 条。</p>
<% if (it.d.publicity.byProvider.length) { %><table><tr><th>单位</th><th>行政许可（条）</th><th>行政处罚（条）</th></tr>
<% for (const p of it.d.publicity.byProvider) { %><tr><td><%= p.name %></td><td><%= it.num(p.LICENSING) %></td><td><%= it.num(p.PENALTY) %></td></tr><% } %></table><% } %>

<h3>五、数据推送情况</h3>
<p><%= it.d.year %> 年度，平台向国家信用信息共享平台推送双公示数据并被接收 <%= it.num(it.d.exports.total) %> 条<% for (const t of it.types) { %>，其中<%= it.label(t) %> <%= it.num(it.d.exports.byType[t].records) %> 条<% } %>。</p>
<% if (it.c.exports) { %><figure><%~ it.c.exports %><figcaption>推送国家平台数据（按类型）</figcaption></figure><% } %>
<table><caption class="muted">推送国家平台数据（条）</caption><tr><th>类型</th><th>推送（新增及更新）</th><th>撤回</th><th>退回</th></tr>
<% for (const t of it.types) { const x = it.d.exports.byType[t]; %><tr><td><%= it.label(t) %></td><td><%= it.num(x.records) %></td><td><%= it.num(x.withdrawals) %></td><td><%= it.num(x.rejections) %></td></tr><% } %>
</table>

<h2>行为篇</h2>
<% const bl = it.d.behaviourList; %>
<h3>一、行为清单编制情况</h3>
<% if (bl.behaviours.total) { %>
<p>行为清单共 <%= bl.behaviours.total %> 项，由 <%= bl.behaviours.units %> 家单位提出<% for (const k of bl.behaviours.byKind) { %>，<%= it.jl(k.key) %> <%= k.n %> 项<% } %>；<% for (const t of bl.behaviours.byTier) { %><%= it.jl(t.key) %>联合奖惩行为事项 <%= t.n %> 项，<% } %>国家级事项依据国家部委签署的联合奖惩合作备忘录。</p>
<% if (it.c.behaviours) { %><figure><%~ it.c.behaviours %><figcaption>行为清单事项（按层级、奖惩类别）</figcaption></figure><% } %>
<table><caption class="muted">行为清单事项表（项）</caption><tr><th>层级</th><th>联合惩戒</th><th>联合激励</th><th>合计</th></tr>
<% for (const t of bl.behaviours.byTierKind) { %><tr><td><%= it.jl(t.key) %></td><td><%= t.by.PUNISHMENT ?? 0 %></td><td><%= t.by.INCENTIVE ?? 0 %></td><td><%= t.total %></td></tr><% } %></table>
<table><caption class="muted">提交单位层级（项）</caption><tr><th>单位层级</th><th>行为事项</th></tr>
<% for (const l of bl.behaviours.byUnitLevel) { %><tr><td><%= it.levels[l.key] ?? l.key %></td><td><%= l.n %></td></tr><% } %></table>
<table><caption class="muted">程度分级（项）</caption><tr><th>分级</th><th>行为事项</th></tr>
<% for (const g of bl.behaviours.byGrade) { %><tr><td><%= it.jl(g.key) %></td><td><%= g.n %></td></tr><% } %></table>
<% } else { %><p class="muted">目录尚未发布行为清单。</p><% } %>

<h3>二、联合奖惩措施表</h3>
<% if (bl.measures.total) { %>
<p>联合奖惩措施 <%= bl.measures.total %> 项，涉及 <%= bl.measures.units %> 家实施单位<% for (const k of bl.measures.bySide) { %>，<%= it.jl(k.key) %>措施 <%= k.n %> 项<% } %><% for (const k of bl.measures.byBinding) { %>；<%= it.jl(k.key) %>措施 <%= k.n %> 项<% } %>。</p>
<% if (it.c.measures) { %><figure><%~ it.c.measures %><figcaption>联合奖惩措施（按发起、实施部门及单位层级，一项措施按每个实施单位计）</figcaption></figure><% } %>
<table><caption class="muted">措施事项（按单位计，项）</caption><tr><th>部门</th><% for (const l of it.levelKeys) { %><th><%= it.levels[l] %></th><% } %><th>总计</th></tr>
<% for (const r of bl.measures.bySideLevel) { %><tr><td><%= it.jl(r.key) %></td><% for (const l of it.levelKeys) { %><td><%= r.by[l] ?? 0 %></td><% } %><td><%= r.total %></td></tr><% } %></table>
<table><caption class="muted">措施适用事项（项）</caption><tr><th>事项</th><th>措施</th></tr>
<% for (const m of bl.measures.byMatter) { %><tr><td><%= it.label(m.key) %></td><td><%= m.n %></td></tr><% } %></table>
<% } else { %><p class="muted">目录尚未发布联合奖惩措施表。</p><% } %>

<h3>三、信用名单</h3>
<% if (bl.lists.length) { %><table><tr><th>名单</th><th>类别</th><th>认定单位</th><th>是否公开</th><th>期限（年）</th></tr>
<% for (const l of bl.lists) { %><tr><td><%= l.name %></td><td><%= it.jl(l.kind) %></td><td><%= l.unit %></td><td><%= l.public ? '公开' : '不公开' %></td><td><%= l.years %></td></tr><% } %></table>
<% } else { %><p class="muted">目录尚未发布信用名单。</p><% } %>

<h2>应用篇</h2>
<h3>一、应用清单编制情况</h3>
<p>共 <%= it.d.catalog.applications.units %> 家单位提交应用清单，涉及应用事项 <%= it.d.catalog.applications.entries %> 项。</p>
<table><tr><th>查询用途</th><th>应用事项（项）</th></tr>
<% for (const p of it.d.catalog.applications.byPurpose) { %><tr><td><%= it.label(p.key) %></td><td><%= p.n %></td></tr><% } %></table>

<h3>二、政府部门应用情况</h3>
<p><%= it.d.year %> 年当年共查询信用信息 <%= it.num(it.d.queries.total) %> 次<% for (const t of it.d.queries.groups.subjectType) { %>，其中<%= it.label(t.key) %> <%= it.num(t.queries) %> 次<% } %>。</p>
<% if (it.c.purposes) { %><figure><%~ it.c.purposes %><figcaption>查询用途分布</figcaption></figure><% } %>

<h3>三、本年度每月查询量情况</h3>
<% if (it.c.monthly) { %><figure><%~ it.c.monthly %><figcaption>每月查询量（按查询用途）</figcaption></figure><% } else { %><p class="muted">本期暂无查询。</p><% } %>

<h3>四、应用清单落实情况</h3>
<% const m = it.d.applications.matters; %>
<p>针对应用清单 <%= it.num(m.declared) %> 项应用事项，实际应用事项共 <%= it.num(m.fulfilled) %> 项，落实率 <%= it.pct(m.rate) %><% for (const l of m.byLevel) { if (!l.declared) continue; %>；其中<%= it.levels[l.level] %>单位填报 <%= it.num(l.declared) %> 项，落实 <%= it.num(l.fulfilled) %> 项，落实率 <%= it.pct(l.rate) %><% } %>。</p>
<p class="muted">应用事项落实：本年度内，事项所属单位以该事项（或该事项的查询用途及主体类型）查询过信用信息。</p>
<table data-section="matters-by-unit"><caption class="muted">各单位应用事项落实情况排名前十名</caption><tr><th>排名</th><th>部门</th><th>层级</th><th>应用事项落实</th><th>应用事项填报</th><th>落实率</th></tr>
<% m.byUnit.slice(0, 10).forEach((u, i) => { %><tr><td><%= i + 1 %></td><td><%= u.name %></td><td><%= it.levels[u.level] %></td><td><%= u.fulfilled %></td><td><%= u.declared %></td><td><%= it.pct(u.rate) %></td></tr><% }) %></table>
<p>按应用清单条目（单位 × 查询用途 × 信息事项）计，填报 <%= it.d.applications.declared %> 条，有查询实际调用的 <%= it.d.applications.fulfilled %> 条，落实率 <%= it.pct(it.d.applications.rate) %>。</p>
<% if (it.c.fulfilment) { %><figure><%~ it.c.fulfilment %><figcaption>各单位应用清单条目落实率</figcaption></figure><% } %>
<table><tr><th>排名</th><th>部门</th><th>条目落实</th><th>条目填报</th><th>落实率</th></tr>
<% it.d.applications.byUnit.slice(0, 10).forEach((u, i) => { %><tr><td><%= i + 1 %></td><td><%= u.name %></td><td><%= u.fulfilled %></td><td><%= u.declared %></td><td><%= it.pct(u.rate) %></td></tr><% }) %></table>
<table><caption class="muted">市级、区级对比</caption><tr><th>层级</th><th>信息事项（项）</th><th>查询量（次）</th><th>应用事项落实</th><th>应用事项填报</th><th>事项落实率</th><th>清单条目落实</th><th>清单条目填报</th><th>条目落实率</th></tr>
<% for (const l of it.d.byLevel) { const ml = m.byLevel.find((x) => x.level === l.level); %><tr><td><%= it.levels[l.level] %></td><td><%= it.num(l.items) %></td><td><%= it.num(l.queries) %></td><td><%= ml?.fulfilled ?? 0 %></td><td><%= ml?.declared ?? 0 %></td><td><%= it.pct(ml?.rate ?? null) %></td><td><%= l.fulfilled %></td><td><%= l.declared %></td><td><%= it.pct(l.rate) %></td></tr><% } %></table>

<h3>五、查询渠道情况</h3>
<% if (it.c.channels) { %><figure><%~ it.c.channels %><figcaption>各渠道查询量</figcaption></figure><% } else { %><p class="muted">本期暂无查询。</p><% } %>

<h3>六、异议处理情况</h3>
<p><%= it.d.year %> 年度，平台受理异议申请 <%= it.num(it.d.objections.total.applications) %> 件，已办结 <%= it.num(it.d.objections.total.completed) %> 件，异议标注 <%= it.num(it.d.objections.total.annotated) %> 条<% if (it.d.objections.total.overdue) { %>，超期 <%= it.num(it.d.objections.total.overdue) %> 件<% } %>。</p>
<% if (it.c.objections) { %><figure><%~ it.c.objections %><figcaption>异议申请、办结、标注（按主体类型）</figcaption></figure><% } %>
<table><tr><th>主体类型</th><th>异议申请（件）</th><th>已办结（件）</th><th>异议标注（条）</th></tr>
<% for (const t of it.d.objections.bySubjectType) { %><tr><td><%= it.label(t.subjectType) %></td><td><%= it.num(t.applications) %></td><td><%= it.num(t.completed) %></td><td><%= it.num(t.annotated) %></td></tr><% } %></table>

<h3>七、信用修复情况</h3>
<p><%= it.d.year %> 年度，完成信用修复 <%= it.num(it.d.objections.repairs.repaired) %> 条，因原决定撤销删除信息 <%= it.num(it.d.objections.repairs.revoked) %> 条。</p>
<table><tr><th>信息提供单位</th><th>信用修复（条）</th><th>撤销删除（条）</th></tr>
<% for (const p of it.d.objections.repairs.byProvider) { %><tr><td><%= p.name %></td><td><%= it.num(p.repaired) %></td><td><%= it.num(p.revoked) %></td></tr><% } %>
<% for (const t of it.d.objections.repairs.bySubjectType) { %><tr><td>合计（<%= it.label(t.subjectType) %>）</td><td><%= it.num(t.repaired) %></td><td><%= it.num(t.revoked) %></td></tr><% } %></table>

<h3>八、政府信用联合奖惩情况</h3>
<% const j = it.d.joint; %>
<p><%= it.d.year %> 年度，政府部门在行政审批、日常监管、政府采购、资金支持、表彰评优、录用晋升等事项中开展联合奖惩核查 <%= it.num(j.totals.subjects) %> 次<% for (const t of ['LEGAL', 'NATURAL']) { %>，其中<%= it.label(t) %> <%= it.num(j.totals.bySubjectType[t]) %> 次<% } %>；命中行为清单或信用名单 <%= it.num(j.totals.hits) %> 次，命中率 <%= it.pct(j.totals.hitRate) %>（联合惩戒 <%= it.num(j.totals.punishmentHits) %> 次，联合激励 <%= it.num(j.totals.incentiveHits) %> 次）。</p>
<p>应反馈措施 <%= it.num(j.totals.feedbackDue) %> 项，已反馈 <%= it.num(j.totals.feedback) %> 项（反馈率 <%= it.pct(j.totals.feedbackRate) %>），其中已采取 <%= it.num(j.totals.applied) %> 项、未采取 <%= it.num(j.totals.notApplied) %> 项，逾期反馈 <%= it.num(j.totals.late) %> 项<% if (j.totals.overdueOpen) { %>，目前逾期未反馈 <%= it.num(j.totals.overdueOpen) %> 项<% } %>。</p>
<% if (it.c.jointMatters) { %><figure><%~ it.c.jointMatters %><figcaption>联合奖惩核查（按事项、主体类型）</figcaption></figure><% } %>
<table><caption class="muted">联合奖惩核查（次）</caption><tr><th>事项</th><th>法人</th><th>自然人</th><th>命中</th><th>命中率</th></tr>
<% for (const m of j.byMatter) { if (!m.subjects) continue; %><tr><td><%= it.label(m.matter) %></td><td><%= it.num(m.bySubjectType.LEGAL) %></td><td><%= it.num(m.bySubjectType.NATURAL) %></td><td><%= it.num(m.hits) %></td><td><%= it.pct(m.hitRate) %></td></tr><% } %></table>
<% if (it.c.jointFeedback) { %><figure><%~ it.c.jointFeedback %><figcaption>各单位措施反馈情况</figcaption></figure><% } %>
<% if (j.byUnit.length) { %><table><caption class="muted">各单位核查与反馈</caption><tr><th>单位</th><th>核查（次）</th><th>命中率</th><th>应反馈</th><th>已反馈</th><th>反馈率</th><th>已采取</th><th>未采取</th><th>逾期反馈</th><th>逾期未反馈</th></tr>
<% for (const u of j.byUnit) { %><tr><td><%= u.name %></td><td><%= it.num(u.subjects) %></td><td><%= it.pct(u.hitRate) %></td><td><%= it.num(u.feedbackDue) %></td><td><%= it.num(u.feedback) %></td><td><%= it.pct(u.feedbackRate) %></td><td><%= it.num(u.applied) %></td><td><%= it.num(u.notApplied) %></td><td><%= it.num(u.late) %></td><td><%= it.num(u.overdueOpen) %></td></tr><% } %></table><% } %>
<% if (j.byList.length) { %><table><caption class="muted">信用名单列入与移出（条）</caption><tr><th>名单</th><th>告知</th><th>列入</th><th>移出</th><th>其中期满</th><th>其中信息修复、撤销</th><th>其中异议成立</th></tr>
<% for (const l of j.byList) { %><tr><td><%= l.name %></td><td><%= it.num(l.entered) %></td><td><%= it.num(l.listed) %></td><td><%= it.num(l.exited) %></td><td><%= it.num(l.exitReasons.EXPIRED) %></td><td><%= it.num(l.exitReasons.RECORD_ENDED) %></td><td><%= it.num(l.exitReasons.OBJECTION_UPHELD) %></td></tr><% } %></table><% } %>

<footer>生成时间 <%= it.time(it.d.generatedAt) %>（北京时间）。数据来自平台运行统计（批次完成时计入归集数据，查询时计入查询统计，异议、修复和撤销办理时计入，推送数据以国家平台接收为准）。</footer>
</body>
</html>
`;

export function renderAnnualReport(d: AnnualReportData, c: AnnualReportCharts): string {
  return eta.renderString(TEMPLATE, {
    d,
    c,
    label,
    num,
    pct,
    time: (iso: string) => chinaTime(iso),
    types: NATIONAL_TYPES,
    levels: UNIT_LEVEL_NAMES,
    levelKeys: UNIT_LEVELS,
    jl: (k: string) => JOINT_NAMES[k] ?? k,
  });
}
