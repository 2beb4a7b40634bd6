import { describe, expect, it } from 'vitest';
import { HolidayCalendar } from '../calendar/index.ts';
import { meetWatch, openWatch } from '../deadlines/watch.ts';
import { perGroupRuleId, watchRule } from '../deadlines/watch-rules.ts';
import { timelineStepResponse } from '../http/response-schemas.ts';
import { clockStep } from './timeline.ts';

const calendar = HolidayCalendar.builtIn();
const ON = { caseId: 'P-1', projectId: 'P-1', phase: 'notice', jurisdiction: 'yongzhou/lengshuitan/meiwan' };
// Posted at 10:30 Beijing on 2026-08-03: the group's registration window starts then.
const POSTED = new Date('2026-08-03T02:30:00Z');

describe('a clock step on a timeline', () => {
  it('starts where its watch was triggered (UTC and Beijing), so a Gantt bar runs from the start to the due instant', () => {
    const window = openWatch(ON, { ...watchRule('registration-window', { period: '30d' }), id: perGroupRuleId('registration-window', 'g1') }, POSTED, calendar);
    const step = clockStep(window, 'registration-window', new Date('2026-08-10T00:00:00Z'));
    expect(step).toMatchObject({ status: 'open', startedAt: '2026-08-03T02:30:00.000Z', startedAtBeijing: '2026-08-03T10:30:00+08:00', dueAt: window.dueAt });
    expect(Date.parse(step.startedAt!)).toBeLessThan(Date.parse(step.dueAt!));
    expect(timelineStepResponse.safeParse(step).success).toBe(true);
  });

  it('keeps its start once the step is done (done and done-late bars still span the clock)', () => {
    const plan = openWatch(ON, watchRule('implementation-plan'), POSTED, calendar);
    const met = meetWatch(plan, new Date('2026-08-20T02:00:00Z'), 'li.lb');
    const step = clockStep(met, 'implementation-plan', new Date('2026-08-21T00:00:00Z'));
    expect(step).toMatchObject({ status: 'done', startedAt: plan.triggeredAt, doneAt: '2026-08-20T02:00:00.000Z' });
  });

  it('has no start while its clock has not started (no watch): the chart draws no bar for it', () => {
    const step = clockStep(undefined, 'implementation-plan', POSTED);
    expect(step.status).toBe('not-started');
    expect('startedAt' in step).toBe(false);
    expect('startedAtBeijing' in step).toBe(false);
    expect(timelineStepResponse.safeParse(step).success).toBe(true);
  });
});
