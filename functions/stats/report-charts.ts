/**
 * The annual report's charts: Vega-Lite specifications compiled to Vega and rendered to SVG
 * strings on the server (headless vega View, no canvas), so the report needs no script to show.
 */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

const FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif';
const CONFIG = {
  font: FONT,
  axis: { labelFontSize: 11, titleFontSize: 12, labelLimit: 220 },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 200 },
  view: { stroke: null },
  background: 'white',
};

// Headless vega measures text with Latin widths, about half of a Chinese character's: the legend
// (on the right) and its Chinese labels overflowed the computed width and were clipped. Every chart
// keeps room on the right unless its spec says otherwise.
const DEFAULT_PADDING = { left: 5, top: 5, bottom: 5, right: 72 };

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vega = compile({ ...spec, padding: spec.padding ?? DEFAULT_PADDING, config: { ...CONFIG, ...spec.config } } as TopLevelSpec).spec;
  const view = new View(parse(vega), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

type Row = Record<string, string | number | null>;

/** Stacked bars: collected records by record class, per year (one panel per subject type). */
export const classByYearChart = (values: Row[]): TopLevelSpec => ({
  data: { values },
  mark: { type: 'bar', tooltip: true },
  width: 260,
  height: 220,
  encoding: {
    column: { field: '主体类型', type: 'nominal', title: null, header: { labelFontSize: 13 } },
    x: { field: '年度', type: 'ordinal', title: null, axis: { labelAngle: 0 } },
    y: { field: '数据量', type: 'quantitative', title: '条', stack: 'zero' },
    color: { field: '类别', type: 'nominal', title: '信息类别', scale: { scheme: 'tableau10' } },
    order: { field: '序', type: 'quantitative' },
  },
});

/** Horizontal bars, largest first: a rate (0..1, as percentages) or a count per category. */
export const rankingChart = (values: Row[], label: string, title: string, measure: 'rate' | 'count'): TopLevelSpec => ({
  data: { values },
  mark: { type: 'bar', color: measure === 'rate' ? '#2f6fb0' : '#d9822b', tooltip: true },
  width: 420,
  height: { step: 22 },
  encoding: {
    // headless vega measures text with Latin widths: reserve room for Chinese labels
    y: { field: label, type: 'nominal', sort: '-x', title: null, axis: { minExtent: 230 } },
    x:
      measure === 'rate'
        ? { field: 'value', type: 'quantitative', title, axis: { format: '.0%' }, scale: { domain: [0, 1] } }
        : { field: 'value', type: 'quantitative', title, axis: { format: 'd', tickMinStep: 1 } },
  },
});

/** Monthly query volume, stacked by purpose. */
export const monthlyQueriesChart = (values: Row[]): TopLevelSpec => ({
  data: { values },
  mark: { type: 'bar', tooltip: true },
  width: 520,
  height: 240,
  encoding: {
    x: { field: '月份', type: 'ordinal', title: null, axis: { labelAngle: 0 } },
    y: { field: '查询量', type: 'quantitative', title: '次', axis: { format: 'd', tickMinStep: 1 } },
    color: { field: '用途', type: 'nominal', title: '查询用途', scale: { scheme: 'tableau10' } },
  },
});

/** Grouped bars: a count per category, one bar per series side by side (e.g. 申请/办结/标注 per subject type). */
export const groupedBarChart = (values: Row[], category: string, series: string, title: string): TopLevelSpec => ({
  data: { values },
  mark: { type: 'bar', tooltip: true },
  width: { step: 36 },
  height: 200,
  // headless vega measures the legend's Chinese labels with Latin widths: room for them on the right
  padding: { left: 5, top: 5, bottom: 5, right: 40 },
  encoding: {
    x: { field: category, type: 'nominal', title: null, axis: { labelAngle: 0 }, sort: null },
    xOffset: { field: series, type: 'nominal', sort: null },
    y: { field: 'value', type: 'quantitative', title, axis: { format: 'd', tickMinStep: 1 } },
    color: { field: series, type: 'nominal', title: null, scale: { scheme: 'tableau10' }, sort: null },
  },
});
