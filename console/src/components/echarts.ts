/**
 * ECharts, with only the parts the console draws (bars, the Gantt's custom bars, axes, tooltips,
 * the accessible description) and the canvas renderer: no inline style attributes, which the CSP
 * forbids. Loaded on first use (`chart.tsx`), so the screens without a chart — 我的待办 first —
 * neither download nor parse it.
 */
import { BarChart, CustomChart } from 'echarts/charts';
import { AriaComponent, DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { type EChartsCoreOption, init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

use([BarChart, CustomChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, MarkLineComponent, DataZoomComponent, CanvasRenderer]);

const FONT = '"Noto Sans SC", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';

/** Draws `option` into `element`, following the window's size; returns what removes it. */
export function drawChart(element: HTMLElement, option: EChartsCoreOption): () => void {
  const chart = init(element, undefined, { renderer: 'canvas', locale: 'ZH' });
  chart.setOption({ aria: { enabled: true }, textStyle: { fontFamily: FONT }, animation: false, ...option });
  const resize = () => chart.resize();
  addEventListener('resize', resize);
  return () => {
    removeEventListener('resize', resize);
    chart.dispose();
  };
}
