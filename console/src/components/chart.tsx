/**
 * A chart that says in words what it shows (its label; ECharts' `aria.enabled` describes the
 * data); each screen puts the same figures in a table beside it. ECharts itself (`echarts.ts`)
 * is a chunk of its own, fetched when the first chart is drawn.
 */
import type { EChartsCoreOption } from 'echarts/core';
import { useEffect, useRef, useState } from 'preact/hooks';

export type ChartOption = EChartsCoreOption;

export function Chart(props: { option: ChartOption; label: string; height?: number }) {
  const element = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let remove: (() => void) | undefined;
    let gone = false;
    import('./echarts.ts').then(
      ({ drawChart }) => {
        if (!gone && element.current) remove = drawChart(element.current, props.option);
      },
      // Offline or a deployment replaced the chunk: the table beside the chart still has the figures.
      () => setFailed(true),
    );
    return () => {
      gone = true;
      remove?.();
    };
  }, [props.option]);
  if (failed) return <p class="note" role="status">图表未能加载，请参看下表或刷新页面。</p>;
  return <div ref={element} class="chart" role="img" aria-label={props.label} style={{ height: `${props.height ?? 300}px` }} />;
}
