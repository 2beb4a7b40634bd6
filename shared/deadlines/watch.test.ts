import { afterEach, describe, expect, it } from 'vitest';
import { HolidayCalendar } from '../calendar/index.ts';
import { clockStep } from '../cases/timeline.ts';
import { deadlineWatchResponse } from '../http/response-schemas.ts';
import { watchRule } from './watch-rules.ts';
import { cancelWatch, describeDue, fallDue, isLive, meetWatch, openMonthlyWatch, openWatch, recountWatch } from './watch.ts';

const calendar = HolidayCalendar.builtIn();
const ON = { caseId: 'E-1', phase: 'enforcement', jurisdiction: 'yongzhou/lengshuitan' };
const OPENED = new Date('2026-03-02T02:00:00Z');
const opened = () => openWatch(ON, watchRule('implementation-plan'), OPENED, calendar);
const later = (iso: string, ms: number) => new Date(Date.parse(iso) + ms);

describe('a cancelled watch', () => {
  it('a live watch (open or overdue) stops: cancelled, when and why; it is no longer live', () => {
    const at = new Date('2026-03-10T02:00:00Z');
    const open = opened();
    const cancelled = cancelWatch(open, at, '案件中止');
    expect(cancelled).toEqual({ ...open, status: 'cancelled', cancelledAt: at.toISOString(), cancelReason: '案件中止' });
    expect(isLive(cancelled)).toBe(false);
    const overdue = fallDue(open, later(open.dueAt, 1)).watch;
    expect(overdue.status).toBe('overdue');
    expect(cancelWatch(overdue, later(open.dueAt, 2), '程序重新开始')).toMatchObject({ status: 'cancelled', alertedAt: overdue.alertedAt, cancelReason: '程序重新开始' });
  });

  it('a watch already met, elapsed or cancelled is returned unchanged', () => {
    const met = meetWatch(opened(), new Date('2026-03-10T02:00:00Z'), 'li.lb');
    expect(cancelWatch(met, new Date('2026-03-11T02:00:00Z'), '案件终结')).toBe(met);
    const window = openWatch(ON, watchRule('registration-window', { period: '10d' }), OPENED, calendar);
    const elapsed = fallDue(window, later(window.dueAt, 1)).watch;
    expect(cancelWatch(elapsed, later(window.dueAt, 2), '案件终结')).toBe(elapsed);
    const cancelled = cancelWatch(opened(), new Date('2026-03-10T02:00:00Z'), '案件中止');
    expect(cancelWatch(cancelled, new Date('2026-03-12T02:00:00Z'), '再次')).toBe(cancelled);
  });

  it('falls due as already settled (no alert, no record), and a late step does not revive it', () => {
    const cancelled = cancelWatch(opened(), new Date('2026-03-10T02:00:00Z'), '案件中止');
    expect(fallDue(cancelled, later(cancelled.dueAt, 60_000))).toEqual({ kind: 'already-settled', watch: cancelled });
    expect(meetWatch(cancelled, later(cancelled.dueAt, 60_000), 'li.lb')).toBe(cancelled);
  });

  it('reads as cancelled (已撤销) on a timeline, not as open or overdue, and passes the response schema', () => {
    const cancelled = cancelWatch(opened(), new Date('2026-03-10T02:00:00Z'), '案件中止');
    const step = clockStep(cancelled, 'implementation-plan', later(cancelled.dueAt, 60_000));
    expect(step).toMatchObject({ status: 'cancelled', detail: '已撤销（2026-03-10T10:00:00+08:00）：案件中止' });
    expect(deadlineWatchResponse.safeParse(cancelled).success).toBe(true);
  });
});

describe('an unassessed rule (the courts)', () => {
  it('is carried from the rule table to the watch; an assessed one carries nothing', () => {
    const rule = watchRule('court-acceptance');
    expect(rule).toMatchObject({ responsibleAgency: 'basic-court', assessed: false });
    const watch = openWatch(ON, rule, OPENED, calendar);
    expect(watch.assessed).toBe(false);
    expect(deadlineWatchResponse.safeParse(watch).success).toBe(true);
    expect('assessed' in watchRule('implementation-plan')).toBe(false);
    expect('assessed' in opened()).toBe(false);
  });
});

describe('the responsible agency and the rule variant of a watch', () => {
  afterEach(() => {
    delete process.env.RULE_VARIANT;
  });

  it('the agency that answers, and where, can be given when the watch opens (the court that received the application)', () => {
    const court = { agency: 'intermediate-court' as const, jurisdiction: 'yongzhou' };
    const watch = openWatch(ON, watchRule('court-acceptance'), OPENED, calendar, { responsible: court });
    expect(watch).toMatchObject({ responsibleAgency: 'intermediate-court', jurisdiction: 'yongzhou', caseId: 'E-1' });
    // Without it: the rule's agency, in the case's jurisdiction.
    expect(openWatch(ON, watchRule('court-acceptance'), OPENED, calendar)).toMatchObject({ responsibleAgency: 'basic-court', jurisdiction: 'yongzhou/lengshuitan' });
  });

  it("a case's variant overrides the deployment's; without one the deployment's applies", () => {
    expect(watchRule('compensation-decision')).toMatchObject({ period: '10d', responsibleAgency: 'land-bureau' });
    expect(watchRule('compensation-decision', { variant: 'national' })).toMatchObject({ period: '10wd', responsibleAgency: 'district-government' });
    process.env.RULE_VARIANT = 'national';
    expect(watchRule('compensation-decision')).toMatchObject({ period: '10wd' });
    expect(watchRule('compensation-decision', { variant: 'seed' })).toMatchObject({ period: '10d', responsibleAgency: 'land-bureau' });
  });
});

describe('a duty per calendar month (the joint meeting)', () => {
  const on = { caseId: 'JOINT-MEETINGS', phase: 'oversight-meetings', jurisdiction: 'yongzhou' };
  const rule = (month: string) => ({ ...watchRule('joint-meeting'), id: `joint-meeting/${month}` });

  it('runs from 00:00 Beijing of the first day to 24:00 of the last, whatever day that is, with no holiday data (2027)', () => {
    expect(openMonthlyWatch(on, rule('2027-02'), '2027-02')).toMatchObject({
      triggeredAt: '2027-01-31T16:00:00.000Z',
      lastDay: '2027-02-28',
      dueAt: '2027-02-28T16:00:00.000Z',
      clock: 'agency-deadline',
      responsibleAgency: 'leading-group-office',
      status: 'open',
    });
    expect(openMonthlyWatch(on, rule('2028-02'), '2028-02').lastDay).toBe('2028-02-29');
    // December runs into the next year's first instant; October's end is National Day's week or not, the same.
    expect(openMonthlyWatch(on, rule('2026-12'), '2026-12').dueAt).toBe('2026-12-31T16:00:00.000Z');
  });

  it('is never re-counted on a corrected holiday calendar; a bad month or another rule is a programming error', () => {
    expect(recountWatch(openMonthlyWatch(on, rule('2026-10'), '2026-10'), calendar)).toBeUndefined();
    expect(() => openMonthlyWatch(on, rule('2026-13'), '2026-13')).toThrow();
    expect(() => openMonthlyWatch(on, { ...watchRule('implementation-plan'), id: 'x' }, '2026-10')).toThrow();
  });
});

describe('how a due instant is worded', () => {
  it('24:00 of the last day for days; the exact instant for hours', () => {
    expect(describeDue({ lastDay: '2026-10-15', dueAt: '2026-10-15T16:00:00.000Z', period: '10wd' })).toBe('2026年10月15日24时（北京时间，即 2026-10-16T00:00:00+08:00）');
    expect(describeDue({ lastDay: '2026-10-02', dueAt: '2026-10-01T16:30:00.000Z', period: '2h' })).toBe('2026年10月2日00:30（北京时间）');
  });
});

describe('how a calendar-month duty is worded', () => {
  it('24:00 of the month’s last day (its period ends in "h" but is not a number of hours)', () => {
    expect(describeDue({ lastDay: '2026-11-30', dueAt: '2026-11-30T16:00:00.000Z', period: 'each-calendar-month' })).toBe('2026年11月30日24时（北京时间，即 2026-12-01T00:00:00+08:00）');
  });
});
