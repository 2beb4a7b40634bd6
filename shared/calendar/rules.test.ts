import { describe, expect, it } from 'vitest';
import { AGENCY_IDS } from '../agencies.ts';
import {
  HolidayCalendar,
  InvalidPeriodError,
  RULES,
  RULE_IDS,
  SET_BY_NOTICE,
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
    if (rule.period !== SET_BY_NOTICE) expect(() => parsePeriod(rule.period)).not.toThrow();
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
      'court-application': '10d waiting-period land-bureau',
      'court-application-deadline': '3mo agency-deadline land-bureau',
      'emergency-on-site': '2h agency-deadline district-government',
      'joint-meeting': '1mo agency-deadline leading-group-office',
    });
    expect(RULES['compensation-payment'].coResponsible).toEqual(['finance', 'investment-group']);
    expect(RULES['emergency-on-site'].escalateTo).toContain('joint-meeting');
    expect(RULES['notice-posting'].source).toContain('《征收土地公告办法》');
    expect(RULES['notice-posting'].national).toMatchObject({ period: '15wd', source: expect.stringContaining('第三十一条') });
    expect(RULES['registration-window'].startsOn.id).toBe('notice-posted');
    expect(RULES['implementation-plan'].source).toBe('永州市征地拆迁联动机制实施方案 §五(一)3');
    expect(RULES['court-application'].source).toContain('《中华人民共和国行政强制法》第五十四条');
    expect(RULES['court-application-deadline'].source).toContain('第五十三条');
    expect(RULES['performance-reminder'].source).toContain('《中华人民共和国行政诉讼法》第四十六条');
  });
});

describe('resolveRule', () => {
  it('uses the seed by default and national law on request', () => {
    expect(resolveRule('compensation-decision')).toMatchObject({ period: '10d', variant: 'seed' });
    const national = resolveRule('vacating-decision', 'national');
    expect(national).toMatchObject({ period: '10wd', variant: 'national', source: '《中华人民共和国行政强制法》第六十九条' });
    expect(national).not.toHaveProperty('national');
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
