import { describe, expect, it } from 'vitest';
import { HolidayCalendar, computeRuleDeadline } from '../../../shared/calendar/index.ts';
import type { Identity } from '../../../shared/identity.ts';
import { reviseCriteria } from './criteria.ts';
import { closeIncident, onSiteClock, reclassify, recordLeaderOnSite, reportIncident, type Incident } from './incident.ts';

/** The incident record's rules, pure: when the 2-hour clock runs, who may stop it, what closes it. */
const TOWNSHIP: Identity = { user: 't', agency: 'township', jurisdiction: 'yongzhou/lengshuitan/meiwan' };
const DISTRICT: Identity = { user: 'd', agency: 'district-government', jurisdiction: 'yongzhou/lengshuitan' };
const OFFICE: Identity = { user: 'o', agency: 'leading-group-office', jurisdiction: 'yongzhou' };
const at = (hhmm: string, day = '2026-10-01') => new Date(`${day}T${hhmm}:00+08:00`);
const project = { id: 'P1', district: 'yongzhou/lengshuitan' };
const input = {
  township: 'yongzhou/lengshuitan/meiwan',
  householdIds: [],
  summary: '聚集',
  location: { address: '现场' },
  occurredAt: at('22:00').toISOString(),
  people: { count: 40, description: '村民' },
  reason: '三十人以上',
};
const reported = (cls: 'general' | 'larger' | 'major'): Incident => reportIncident('I1', project, { ...input, class: cls }, undefined, TOWNSHIP, at('22:30'));
const arrival = (hhmm: string, day = '2026-10-02') => ({ leaderName: '陈明', leaderTitle: '区长', arrivedAt: at(hhmm, day).toISOString(), location: { address: '现场' } });

describe('the 2-hour clock as the record says it', () => {
  it('is the rule table’s: 2 exact hours — 22:30 on National Day runs out at 00:30, not after the holiday', () => {
    const { rule, deadline } = computeRuleDeadline('emergency-on-site', at('22:30'), HolidayCalendar.builtIn());
    expect(rule).toMatchObject({ period: '2h', responsible: 'district-government', alertSeverity: 'critical', clock: 'agency-deadline' });
    expect(deadline.dueAt).toBe(at('00:30', '2026-10-02').toISOString());
  });

  it('none for a general incident; from the report for a larger or major one', () => {
    expect(onSiteClock(reported('general'))).toBeUndefined();
    expect(onSiteClock(reported('larger'))).toEqual({ escalation: 1, triggeredAt: at('22:30').toISOString() });
    expect(onSiteClock(reported('major'))).toEqual({ escalation: 1, triggeredAt: at('22:30').toISOString() });
  });

  it('from the raise, when a general one becomes larger; larger to major is the same clock; lowered and raised again, a new one', () => {
    const raised = reclassify(reported('general'), { class: 'larger', reason: '人数增加' }, undefined, DISTRICT, at('23:00'));
    expect(onSiteClock(raised)).toEqual({ escalation: 1, triggeredAt: at('23:00').toISOString() });
    const major = reclassify(raised, { class: 'major', reason: '冲突' }, undefined, DISTRICT, at('23:10'));
    expect(onSiteClock(major)).toEqual({ escalation: 1, triggeredAt: at('23:00').toISOString() });
    const lowered = reclassify(major, { class: 'general', reason: '核实' }, undefined, OFFICE, at('23:20'));
    expect(onSiteClock(lowered)).toBeUndefined();
    const again = reclassify(lowered, { class: 'larger', reason: '再次聚集' }, undefined, DISTRICT, at('23:40'));
    expect(onSiteClock(again)).toEqual({ escalation: 2, triggeredAt: at('23:40').toISOString() });
  });

  it('is met at the recorded arrival', () => {
    const met = recordLeaderOnSite(reported('larger'), arrival('00:29'), [], DISTRICT, at('00:35', '2026-10-02'));
    expect(onSiteClock(met)).toMatchObject({ metAt: at('00:29', '2026-10-02').toISOString() });
  });
});

describe('what the record refuses', () => {
  it('only the leading group office lowers a larger incident (the clock is the district’s)', () => {
    expect(() => reclassify(reported('larger'), { class: 'general', reason: '平息' }, undefined, DISTRICT, at('23:00'))).toThrow(expect.objectContaining({ code: 'forbidden.agency' }));
    expect(reclassify(reported('larger'), { class: 'general', reason: '平息' }, undefined, OFFICE, at('23:00')).class).toBe('general');
  });

  it('an arrival before the incident, in the future, twice, or at a general incident', () => {
    expect(() => recordLeaderOnSite(reported('larger'), arrival('21:00', '2026-10-01'), [], DISTRICT, at('23:00'))).toThrow(expect.objectContaining({ code: 'incident.arrival-before-incident' }));
    expect(() => recordLeaderOnSite(reported('larger'), arrival('00:10'), [], DISTRICT, at('23:00'))).toThrow(expect.objectContaining({ code: 'incident.arrival-in-future' }));
    const met = recordLeaderOnSite(reported('larger'), arrival('00:10'), [], DISTRICT, at('00:10', '2026-10-02'));
    expect(() => recordLeaderOnSite(met, arrival('00:20'), [], DISTRICT, at('00:20', '2026-10-02'))).toThrow(expect.objectContaining({ code: 'incident.leader-recorded' }));
    expect(() => recordLeaderOnSite(reported('general'), arrival('00:10'), [], DISTRICT, at('00:10', '2026-10-02'))).toThrow(expect.objectContaining({ code: 'incident.not-larger' }));
  });

  it('closing a larger incident without its leader while the 2 hours run; after they ran out, closing is allowed', () => {
    const due = at('00:30', '2026-10-02').toISOString();
    expect(() => closeIncident(reported('larger'), '已劝散', due, DISTRICT, at('00:29', '2026-10-02'))).toThrow(expect.objectContaining({ code: 'incident.leader-not-on-site' }));
    expect(closeIncident(reported('larger'), '已劝散', due, DISTRICT, at('00:30', '2026-10-02')).status).toBe('closed');
    expect(closeIncident(reported('general'), '已劝散', undefined, DISTRICT, at('22:40')).status).toBe('closed');
  });

  it('criteria with a class left out or an id twice', () => {
    expect(() => reviseCriteria(undefined, [{ id: 'a', class: 'general', zh: 'x' }], OFFICE, at('09:00'))).toThrow(expect.objectContaining({ code: 'incident.criteria-incomplete' }));
    const three = [{ id: 'a', class: 'general' as const, zh: 'x' }, { id: 'b', class: 'larger' as const, zh: 'y' }, { id: 'c', class: 'major' as const, zh: 'z' }];
    expect(() => reviseCriteria(undefined, [...three, { id: 'a', class: 'major', zh: 'w' }], OFFICE, at('09:00'))).toThrow(expect.objectContaining({ code: 'incident.criterion-duplicate' }));
    expect(reviseCriteria(reviseCriteria(undefined, three, OFFICE, at('09:00')), three, OFFICE, at('10:00')).revision).toBe(2);
  });
});
