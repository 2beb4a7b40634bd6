/**
 * ECharts, with only the parts the console draws (bars, the Gantt's custom bars, axes, tooltips,
 * the accessible description) and the canvas renderer: no inline style attributes, which the CSP
 * forbids. Every chart also says in words what it shows (`aria.enabled`), and each screen puts
 * the same figures in a table beside it.
 */
import { BarChart, CustomChart } from 'echarts/charts';
import { AriaComponent, DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { type EChartsCoreOption, init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'preact/hooks';

use([BarChart, CustomChart, GridComponent, TooltipComponent, LegendComponent, AriaComponent, MarkLineComponent, DataZoomComponent, CanvasRenderer]);

export type ChartOption = EChartsCoreOption;

const FONT = '"Noto Sans SC", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';

export function Chart(props: { option: ChartOption; label: string; height?: number }) {
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const chart = init(element.current!, undefined, { renderer: 'canvas', locale: 'ZH' });
    chart.setOption({ aria: { enabled: true }, textStyle: { fontFamily: FONT }, animation: false, ...props.option });
    const resize = () => chart.resize();
    addEventListener('resize', resize);
    return () => {
      removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [props.option]);
  return <div ref={element} class="chart" role="img" aria-label={props.label} style={{ height: `${props.height ?? 300}px` }} />;
}
