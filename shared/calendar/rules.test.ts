import { describe, expect, it } from 'vitest';
import { AGENCY_IDS } from '../agencies.ts';
import {
  HolidayCalendar,
  InvalidPeriodError,
  RULES,
  RULE_IDS,
  PERIODS_NOT_FIXED,
  computeRuleDeadline,
  isRuleId,
  parsePeriod,
  resolveRule,
} from './index.ts';

const cal = HolidayCalendar.builtIn();

describe('rule table', () => {
  it('has the stable ids the workflows reference, keyed by their own id', () => {
    expect(Object.keys(RULES).sort()).toEqual([...RULE_IDS].sort());
    for (const id of RULE_IDS) {
      expect(RULES[id].id).toBe(id);
      expect(id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(RULES[id].startsOn.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
    }
    expect(isRuleId('court-application')).toBe(true);
    expect(isRuleId('nope')).toBe(false);
  });

  it.each(RULE_IDS)('%s is complete and well-formed', (id) => {
    const rule = RULES[id];
    expect(rule.step.zh).not.toBe('');
    expect(rule.step.en).not.toBe('');
    expect(rule.descriptionZh).toMatch(/\p{Script=Han}/u);
    expect(rule.source).not.toBe('');
    expect(AGENCY_IDS).toContain(rule.responsible);
    for (const a of rule.coResponsible ?? []) expect(AGENCY_IDS).toContain(a);
    expect(rule.escalateTo).toContain('leading-group-office');
    if (!PERIODS_NOT_FIXED.includes(rule.period)) expect(() => parsePeriod(rule.period)).not.toThrow();
    if (rule.national) expect(() => parsePeriod(rule.national?.period ?? '')).not.toThrow();
    if (rule.gates) expect(RULE_IDS).toContain(rule.gates);
    expect(rule.clock === 'waiting-period').toBe(rule.gates !== undefined);
  });

  it('encodes the seed clocks', () => {
    const summary = Object.fromEntries(RULE_IDS.map((id) => [id, `${RULES[id].period} ${RULES[id].clock} ${RULES[id].responsible}`]));
    expect(summary).toEqual({
      'notice-posting': '10wd agency-deadline township',
      'registration-window': 'set-by-notice public-window land-bureau',
      'implementation-plan': '45d agency-deadline land-bureau',
      'compensation-payment': '3mo agency-deadline land-bureau',
      'compensation-notification': '7wd waiting-period land-bureau',
      'compensation-decision': '10d agency-deadline land-bureau',
      'vacating-notice': '7wd waiting-period land-bureau',
      'vacating-decision': '10d agency-deadline land-bureau',
      'performance-reminder': '6mo waiting-period land-bureau',
      'court-application': '10wd waiting-period land-bureau',
      'court-application-deadline': '3mo agency-deadline land-bureau',
      'reconsideration-period': '60d public-window legal-affairs-office',
      'reconsideration-period-unstated': '12mo public-window legal-affairs-office',
      'litigation-period': '6mo public-window land-bureau',
      'litigation-period-unstated': '12mo public-window land-bureau',
      'litigation-after-reconsideration': '15d public-window land-bureau',
      'court-acceptance': '5wd agency-deadline basic-court',
      'court-refusal-review': '15d public-window land-bureau',
      'higher-court-review': '15d agency-deadline intermediate-court',
      'court-ruling': '7wd agency-deadline basic-court',
      'court-ruling-after-hearing': '30d agency-deadline basic-court',
      'court-emergency-execution': '5wd agency-deadline basic-court',
      'forced-demolition': 'set-by-notice waiting-period urban-management',
      'public-notice-service': '30d public-window land-bureau',
      'emergency-on-site': '2h agency-deadline district-government',
      'joint-meeting': 'each-calendar-month agency-deadline leading-group-office',
      resolution: 'set-by-decision agency-deadline leading-group-office',
      'supervision-assignment': 'set-by-decision agency-deadline leading-group-office',
    });
    expect(RULES['compensation-payment'].coResponsible).toEqual(['finance', 'investment-group']);
    expect(RULES['emergency-on-site'].escalateTo).toContain('joint-meeting');
    expect(RULES['notice-posting'].source).toContain('《征收土地公告办法》');
    expect(RULES['notice-posting'].national).toMatchObject({ period: '15wd', source: expect.stringContaining('第三十一条') });
    expect(RULES['registration-window'].startsOn.id).toBe('notice-posted');
    expect(RULES['implementation-plan'].source).toBe('永州市征地拆迁联动机制实施方案 §五(一)3');
    expect(RULES['court-application'].source).toContain('第五十四条');
    expect(RULES['court-application-deadline'].source).toContain('第五十三条');
    expect(RULES['performance-reminder'].source).toContain('《中华人民共和国行政诉讼法》第四十六条');
    expect(RULES['court-application'].source).toContain('第六十九条');
    expect(RULES['court-application-deadline'].source).toContain('法释〔2018〕1号）第一百五十六条');
    expect(RULES['reconsideration-period'].source).toContain('《中华人民共和国行政复议法》（2023年修订）第二十条第一款');
    expect(RULES['reconsideration-period-unstated'].source).toContain('第二十条第三款');
    expect(RULES['litigation-period-unstated'].source).toContain('第六十四条');
    expect(RULES['litigation-after-reconsideration'].source).toContain('第四十五条');
    expect(RULES['forced-demolition'].source).toContain('第四十四条');
  });

  it('does not assess the courts: their deadlines are shown, not scored', () => {
    const unassessed = RULE_IDS.filter((id) => RULES[id].assessed === false);
    expect(unassessed.sort()).toEqual(['court-acceptance', 'court-emergency-execution', 'court-ruling', 'court-ruling-after-hearing', 'higher-court-review']);
    for (const id of unassessed) expect(['basic-court', 'intermediate-court']).toContain(RULES[id].responsible);
    for (const id of RULE_IDS.filter((r) => RULES[r].assessed !== false)) expect(['basic-court', 'intermediate-court']).not.toContain(RULES[id].responsible);
  });
});

describe('resolveRule', () => {
  it('uses the seed by default and national law on request', () => {
    expect(resolveRule('compensation-decision')).toMatchObject({ period: '10d', variant: 'seed' });
    const national = resolveRule('vacating-decision', 'national');
    expect(national).toMatchObject({ period: '10wd', variant: 'national', source: expect.stringContaining('《中华人民共和国行政强制法》第六十九条') });
    expect(national).not.toHaveProperty('national');
  });

  it('switches the issuer of the decisions, not only their periods (2021 Regulations arts. 31, 62)', () => {
    for (const id of ['compensation-decision', 'vacating-decision'] as const) {
      expect(resolveRule(id, 'seed')).toMatchObject({ responsible: 'land-bureau', period: '10d' });
      expect(resolveRule(id, 'national')).toMatchObject({ responsible: 'district-government', period: '10wd', source: expect.stringContaining('第三十一条、第六十二条') });
    }
    expect(resolveRule('vacating-notice', 'national').responsible).toBe('land-bureau');
    // The agency that decided reminds and applies to the court (ACL arts. 53–54).
    for (const id of ['performance-reminder', 'court-application', 'court-application-deadline'] as const) {
      expect(resolveRule(id, 'seed').responsible).toBe('land-bureau');
      expect(resolveRule(id, 'national')).toMatchObject({ responsible: 'district-government', period: RULES[id].period });
    }
  });

  it('keeps the seed rule where national law does not differ', () => {
    const { variant: _a, ...seed } = resolveRule('implementation-plan', 'seed');
    const { variant: _b, ...national } = resolveRule('implementation-plan', 'national');
    expect(national).toEqual(seed);
  });

  it('switches by data: a jurisdiction can supply its own table', () => {
    const custom = { ...RULES, 'implementation-plan': { ...RULES['implementation-plan'], period: '30d' } };
    expect(resolveRule('implementation-plan', 'seed', custom).period).toBe('30d');
  });
});

describe('computeRuleDeadline', () => {
  it('seed vs national for the compensation decision after National Day 2026', () => {
    const from = '2026-09-28T10:00:00+08:00';
    // 10 calendar days: Oct 8 (a working Thursday)
    expect(computeRuleDeadline('compensation-decision', from, cal).deadline.lastDay).toBe('2026-10-08');
    // 10 working days: Sep 29, 30, Oct 8, 9, 10, 12, 13, 14, 15, 16
    expect(computeRuleDeadline('compensation-decision', from, cal, { variant: 'national' }).deadline.lastDay).toBe('2026-10-16');
  });

  it('needs the notice period for the registration window', () => {
    expect(() => computeRuleDeadline('registration-window', '2026-09-01T10:00:00+08:00', cal)).toThrow(InvalidPeriodError);
    const { deadline } = computeRuleDeadline('registration-window', '2026-09-01T10:00:00+08:00', cal, { noticePeriod: '30d' });
    expect(deadline.lastDay).toBe('2026-10-08'); // Oct 1 → rolled past National Day
  });

  it('the emergency clock is two hours to the minute', () => {
    const { deadline } = computeRuleDeadline('emergency-on-site', '2026-10-01T03:15:00+08:00', cal);
    expect(deadline.dueAtBeijing).toBe('2026-10-01T05:15:00+08:00');
  });
});

/**
 * The chain's clocks worked by hand across the 2026 holidays (State Council notice 国办发明电〔2025〕7号):
 * Mid-Autumn Sep 25 and National Day Oct 1–7 rest, Saturday Oct 10 worked; Spring Festival
 * Feb 15–23 rest, Saturdays Feb 14 and Feb 28 worked.
 */
describe('the forced-vacating clocks, worked by hand', () => {
  const day = (ruleId: Parameters<typeof computeRuleDeadline>[0], from: string, variant: 'seed' | 'national' = 'seed') =>
    computeRuleDeadline(ruleId, from, cal, { variant }).deadline;

  it('a notification served on 2026-09-28: the decision is first allowed on Oct 14, and overdue after Oct 23 (Oct 27 under national law)', () => {
    // 7 working days from Sep 29: Sep 29, 30, Oct 8, 9, 10 (worked Saturday), 12, 13.
    const waiting = day('compensation-notification', '2026-09-28T10:00:00+08:00');
    expect(waiting.lastDay).toBe('2026-10-13');
    expect(waiting.dueAtBeijing).toBe('2026-10-14T00:00:00+08:00');
    // 10 days from the day after the waiting period's last day: Oct 14 … Oct 23 (a Friday).
    const expired = new Date(Date.parse(waiting.dueAt) - 1).toISOString();
    expect(day('compensation-decision', expired).lastDay).toBe('2026-10-23');
    // National law: 10 working days Oct 14, 15, 16, 19, 20, 21, 22, 23, 26, 27.
    expect(day('compensation-decision', expired, 'national').lastDay).toBe('2026-10-27');
  });

  it('a vacating notice served on 2026-02-12, before Spring Festival: the decision is first allowed on Mar 1, overdue after Mar 10 (Mar 13 under national law)', () => {
    // Feb 13, 14 (worked Saturday), 24, 25, 26, 27, 28 (worked Saturday).
    const waiting = day('vacating-notice', '2026-02-12T15:00:00+08:00');
    expect(waiting.lastDay).toBe('2026-02-28');
    const expired = new Date(Date.parse(waiting.dueAt) - 1).toISOString();
    expect(day('vacating-decision', expired).lastDay).toBe('2026-03-10');
    // Mar 1 is a Sunday: Mar 2, 3, 4, 5, 6, 9, 10, 11, 12, 13.
    expect(day('vacating-decision', expired, 'national').lastDay).toBe('2026-03-13');
  });

  it('a reminder served on 2026-09-28: the application waits out 10 working days, to the end of Oct 16', () => {
    // Sep 29, 30, Oct 8, 9, 10 (worked Saturday), 12, 13, 14, 15, 16.
    expect(day('court-application', '2026-09-28T10:00:00+08:00').dueAtBeijing).toBe('2026-10-17T00:00:00+08:00');
  });

  it('remedy periods: 60 days, six months, one year when the right was not stated, 15 days after reconsideration', () => {
    const served = '2026-04-15T10:00:00+08:00';
    // 60 days from Apr 16: Jun 14, a Sunday → Monday Jun 15.
    expect(day('reconsideration-period', served).lastDay).toBe('2026-06-15');
    // Six months: Oct 15, a working Thursday.
    expect(day('litigation-period', served).lastDay).toBe('2026-10-15');
    // One year: 2027-04-15 — no 2027 schedule in any package: refused, never guessed.
    expect(() => day('litigation-period-unstated', served)).toThrow(/2027/);
    // 15 days from a reconsideration decision served Sep 20: Oct 5 → past National Day → Oct 8.
    expect(day('litigation-after-reconsideration', '2026-09-20T10:00:00+08:00').lastDay).toBe('2026-10-08');
  });

  it('the courts: acceptance in 5 working days, a written ruling in 7, after a hearing 30 days', () => {
    // Filed Sep 28: Sep 29, 30, Oct 8, 9, 10.
    expect(day('court-acceptance', '2026-09-28T10:00:00+08:00').lastDay).toBe('2026-10-10');
    // Accepted Feb 12: Feb 13, 14, 24, 25, 26, 27, 28.
    expect(day('court-ruling', '2026-02-12T10:00:00+08:00').lastDay).toBe('2026-02-28');
    // 30 days from Feb 12: Mar 14, a Saturday → Monday Mar 16.
    expect(day('court-ruling-after-hearing', '2026-02-12T10:00:00+08:00').lastDay).toBe('2026-03-16');
  });
});
