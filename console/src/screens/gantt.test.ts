import { describe, expect, it } from 'vitest';
import { ganttHeight, ganttOption, markOf, type Step, tooltipLines } from './gantt.ts';

const H8 = 8 * 3600_000;
const created: Step = { step: '创建征收项目', status: 'done', responsibleAgency: 'district-government', legalSource: '实施方案 §三(三)', doneAt: '2026-08-03T01:00:00.000Z' };
const registration: Step = {
  step: '办理征地补偿登记：梅湾村一组',
  status: 'open',
  responsibleAgency: 'land-bureau',
  legalSource: '《土地管理法实施条例》第二十七条',
  startedAt: '2026-08-03T02:30:00.000Z',
  dueAt: '2026-09-02T15:59:59.999Z',
};
const posting: Step = {
  step: '张贴征收土地通告并拍照留存：梅湾村一组',
  status: 'done-late',
  responsibleAgency: 'township',
  legalSource: '实施方案 §五(一)1',
  startedAt: '2026-08-03T01:00:00.000Z',
  dueAt: '2026-08-06T15:59:59.999Z',
  doneAt: '2026-08-07T02:00:00.000Z',
};
const plan: Step = { step: '联席会议审定实施方案', status: 'not-started', responsibleAgency: 'leading-group-office', legalSource: '实施方案 §四(一)' };
const NOW = Date.parse('2026-08-10T02:00:00Z');

describe('the Gantt chart of a project’s legal clocks', () => {
  it('draws a clock as a bar from its start to its due instant, a step done without a clock as a milestone, and nothing for one not started — in Beijing time', () => {
    expect(markOf(registration)).toEqual({ kind: 'bar', start: Date.parse(registration.startedAt!) + H8, end: Date.parse(registration.dueAt!) + H8 });
    expect(markOf(posting)).toMatchObject({ kind: 'bar', done: Date.parse(posting.doneAt!) + H8 });
    expect(markOf(created)).toEqual({ kind: 'milestone', at: Date.parse(created.doneAt!) + H8 });
    expect(markOf(plan)).toEqual({ kind: 'none' });
  });

  it('keeps the steps in order as rows, one series (legend entry, colour) per status present, and the server’s now as a marker line', () => {
    const option = ganttOption([created, posting, registration, plan], NOW, '甘特图') as any;
    expect(option.aria).toEqual({ enabled: true, label: { description: '甘特图' } });
    expect(option.useUTC).toBe(true);
    expect(option.media[0]).toMatchObject({ query: { maxWidth: 600 }, option: { yAxis: { axisLabel: { width: 84 } } } });
    expect(option.yAxis).toMatchObject({ type: 'category', inverse: true, data: [created.step, posting.step, registration.step, plan.step] });
    expect(option.legend.data).toEqual(['已办结', '办理中', '逾期办结', '未开始']);
    const byName = Object.fromEntries(option.series.map((s: any) => [s.name, s]));
    expect(byName['办理中'].data).toEqual([{ value: [2, Date.parse(registration.startedAt!) + H8, Date.parse(registration.dueAt!) + H8, 0, 0], step: registration }]);
    expect(byName['已办结'].data[0].value).toEqual([0, Date.parse(created.doneAt!) + H8, Date.parse(created.doneAt!) + H8, 0, 1]);
    expect(byName['未开始'].data).toEqual([]);
    const marked = option.series.filter((s: any) => s.markLine);
    expect(marked).toHaveLength(1);
    expect(marked[0].markLine.data).toEqual([{ xAxis: NOW + H8 }]);
    expect(marked[0].markLine.label.formatter).toBe('现在 2026年8月10日 10:00');
    // The axis spans every instant drawn and now, with a day either side.
    expect(option.xAxis.min).toBe(Date.parse(created.doneAt!) + H8 - 86_400_000);
    expect(option.xAxis.max).toBe(Date.parse(registration.dueAt!) + H8 + 86_400_000);
    expect(option.xAxis.axisLabel.formatter(Date.parse('2026-08-03T00:00:00Z'))).toBe('8月3日');
  });

  it('draws a bar with a tick where the step was done, and a diamond for a milestone', () => {
    const option = ganttOption([created, posting], NOW) as any;
    const render = option.series[0].renderItem;
    const api = (value: number[]) => ({
      value: (i: number) => value[i]!,
      coord: ([x, row]: [number, number]) => [x / 1e9, row * 30 + 15] as [number, number],
      size: () => [0, 30] as [number, number],
      visual: () => '#123456',
    });
    const late = render({}, api([1, 2e9, 5e9, 6e9, 0]));
    expect(late.type).toBe('group');
    expect(late.children[0]).toMatchObject({ type: 'rect', shape: { x: 2, width: 3 }, style: { fill: '#123456' } });
    expect(late.children[1].shape.x).toBeCloseTo(6 - 1.5);
    expect(render({}, api([1, 2e9, 5e9, 0, 0]))).toMatchObject({ type: 'rect' });
    expect(render({}, api([0, 3e9, 3e9, 0, 1]))).toMatchObject({ type: 'polygon' });
  });

  it('tells in the tooltip the step, the agency in Chinese, the due instant in Beijing time, the status and the legal source', () => {
    expect(tooltipLines(posting)).toEqual([
      posting.step,
      '责任单位：乡镇人民政府 / 街道办事处',
      '起算：2026年8月3日 09:00',
      '期限：2026年8月6日 23:59',
      '状态：逾期办结',
      '办结：2026年8月7日 10:00',
      '依据：实施方案 §五(一)1',
    ]);
    expect(tooltipLines({ ...plan, due: '张贴后起算' })).toContain('期限：张贴后起算');
    // A period ending with a day ends at its 24:00, not at the next day's 00:00.
    expect(tooltipLines({ ...registration, dueAt: '2026-09-02T16:00:00.000Z' })).toContain('期限：2026年9月2日 24:00');
    expect(ganttHeight(10)).toBeGreaterThan(ganttHeight(2));
  });
});
