/**
 * A project's legal clocks as a Gantt chart (ECharts custom series): one row per step, a bar from
 * when its clock started to its due instant, coloured by status; a step done without a clock of
 * its own (the project created, the notice drafted) is a diamond at the instant it was done; a red
 * line marks the server's now. Beijing time whatever the browser's zone: instants are shifted by
 * +8 h and the axis is drawn in UTC, so its ticks fall on Beijing midnights.
 */
import type { Timeline } from '../api/endpoints.ts';
import { agencyName } from '../agencies.ts';
import type { ChartOption } from '../components/chart.tsx';
import { formatDue, formatInstant } from '../format.ts';
import { STEP_STATUSES } from '../statuses.ts';

export type Step = Timeline['steps'][number];

const BEIJING_SHIFT_MS = 8 * 3600_000;
const beijing = (iso: string): number => Date.parse(iso) + BEIJING_SHIFT_MS;


const STATUS_LABEL: Record<string, string> = Object.fromEntries(STEP_STATUSES.map((s) => [s.status, s.label]));

/** How a step is drawn: a bar over its clock, a milestone at the instant it was done, or nothing yet. */
export type Mark = { kind: 'bar'; start: number; end: number; done?: number } | { kind: 'milestone'; at: number } | { kind: 'none' };

export function markOf(step: Step): Mark {
  if (step.startedAt && step.dueAt) {
    return { kind: 'bar', start: beijing(step.startedAt), end: beijing(step.dueAt), ...(step.doneAt ? { done: beijing(step.doneAt) } : {}) };
  }
  if (step.doneAt) return { kind: 'milestone', at: beijing(step.doneAt) };
  return { kind: 'none' };
}

/** The tooltip's lines: step, who, due (Beijing), status, legal source. */
export function tooltipLines(step: Step): string[] {
  return [
    step.step,
    `责任单位：${agencyName(step.responsibleAgency)}`,
    ...(step.startedAt ? [`起算：${formatInstant(step.startedAt)}`] : []),
    `期限：${step.dueAt ? formatDue(step.dueAt) : (step.due ?? '—')}`,
    `状态：${STATUS_LABEL[step.status] ?? step.status}`,
    ...(step.doneAt ? [`办结：${formatInstant(step.doneAt)}`] : []),
    `依据：${step.legalSource}`,
  ];
}

/** `8月3日` on the shifted (Beijing) axis, read in UTC. */
function axisDay(value: number): string {
  const date = new Date(value);
  return `${date.getUTCMonth() + 1}月${date.getUTCDate()}日`;
}

// ECharts' renderItem API, as far as the Gantt uses it.
interface RenderApi {
  value(dimension: number): number;
  coord(point: [number, number]): [number, number];
  size(range: [number, number]): [number, number];
  visual(name: 'color'): string;
}

const ROW_FILL = 0.55;

function renderStep(_params: unknown, api: RenderApi) {
  const row = api.value(0);
  const start = api.value(1);
  const end = api.value(2);
  const done = api.value(3);
  const milestone = api.value(4) === 1;
  const color = api.visual('color');
  const height = api.size([0, 1])[1] * ROW_FILL;
  const [x0, y] = api.coord([start, row]);
  if (milestone) {
    // A milestone: a diamond at the instant the step was done.
    const r = Math.max(5, height / 2.5);
    return { type: 'polygon', shape: { points: [[x0, y - r], [x0 + r, y], [x0, y + r], [x0 - r, y]] }, style: { fill: color } };
  }
  const [x1] = api.coord([end, row]);
  const bar = { type: 'rect', shape: { x: x0, y: y - height / 2, width: Math.max(2, x1 - x0), height }, style: { fill: color } };
  if (!(done > 0)) return bar;
  // When the step was done: a dark tick across the bar (beyond it when done late).
  const [xd] = api.coord([done, row]);
  return { type: 'group', children: [bar, { type: 'rect', shape: { x: xd - 1.5, y: y - height / 2 - 3, width: 3, height: height + 6 }, style: { fill: '#1f2328' } }] };
}

/**
 * The chart's option. Rows keep the timeline's order, top to bottom; one custom series per status
 * present, so the legend names each colour; `now` is the server's clock (epoch ms).
 */
export function ganttOption(steps: readonly Step[], now: number, description?: string): ChartOption {
  const rows = steps.map((s) => s.step);
  const present = STEP_STATUSES.filter((s) => steps.some((step) => step.status === s.status));
  const marks = steps.map(markOf);
  const series = present.map((s, index) => ({
    type: 'custom',
    name: s.label,
    itemStyle: { color: s.color },
    encode: { x: [1, 2], y: 0 },
    renderItem: renderStep,
    data: steps.flatMap((step, row) => {
      if (step.status !== s.status) return [];
      const mark = marks[row]!;
      // [row, start, end, done (0: not yet), 1 for a milestone]
      if (mark.kind === 'bar') return [{ value: [row, mark.start, mark.end, mark.done ?? 0, 0], step }];
      if (mark.kind === 'milestone') return [{ value: [row, mark.at, mark.at, 0, 1], step }];
      return [];
    }),
    // The server's now, once: on the first series.
    ...(index === 0
      ? {
          markLine: {
            silent: true,
            symbol: 'none',
            lineStyle: { color: '#b42318', type: 'dashed', width: 2 },
            label: { formatter: `现在 ${formatInstant(now)}`, color: '#b42318' },
            data: [{ xAxis: now + BEIJING_SHIFT_MS }],
          },
        }
      : {}),
  }));
  const instants = marks.flatMap((m) => (m.kind === 'bar' ? [m.start, m.end, ...(m.done ? [m.done] : [])] : m.kind === 'milestone' ? [m.at] : []));
  instants.push(now + BEIJING_SHIFT_MS);
  const day = 86_400_000;
  return {
    // ECharts writes its own aria-label over the element's; a Gantt of custom bars is better said in words of ours.
    ...(description ? { aria: { enabled: true, label: { description } } } : {}),
    useUTC: true,
    legend: { top: 0, data: present.map((s) => s.label) },
    grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'item',
      // Drawn on the canvas, not as HTML: no markup from the data, nothing the CSP forbids.
      renderMode: 'richText',
      formatter: (params: { data?: { step?: Step } }) => (params.data?.step ? tooltipLines(params.data.step).join('\n') : ''),
    },
    xAxis: {
      type: 'time',
      min: Math.min(...instants) - day,
      max: Math.max(...instants) + day,
      axisLabel: { formatter: axisDay, hideOverlap: true },
      splitLine: { show: true, lineStyle: { color: '#e5e7eb' } },
    },
    yAxis: { type: 'category', data: rows, inverse: true, axisLabel: { width: 200, overflow: 'truncate' } },
    series,
    // On a phone the step names yield room to the bars (the table below names them in full).
    media: [{ query: { maxWidth: 600 }, option: { yAxis: { axisLabel: { width: 84 } }, legend: { itemGap: 6 } } }],
  };
}

/** The chart's height: enough for each row to be read. */
export const ganttHeight = (steps: number): number => Math.max(200, 60 + steps * 30);
