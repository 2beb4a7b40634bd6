import { describe, expect, it } from 'vitest';
import { ACTORS, confirmedHousehold, evidence, ITEMS, MEMBERS } from '../../../test/support/households.ts';
import type { Household } from './household.ts';
import { confirmSurvey, determineLegality, householdState, openChecks, raiseDispute, recordCheck, replaceSurvey, resolveDispute, type SurveyInput } from './survey.ts';

const now = new Date('2026-09-10T02:00:00.000Z');
const later = new Date('2026-09-11T02:00:00.000Z');
const INPUT: SurveyInput = { ...ITEMS, houses: ITEMS.houses.map(({ legality: _l, determination: _d, ...house }) => house) };
const fresh = (): Household => {
  const { survey: _s, ...rest } = confirmedHousehold({ checks: [], state: 'surveying' });
  return rest;
};
const drafted = () => replaceSurvey(fresh(), INPUT, [evidence('well.jpg')], ACTORS.landBranch, now);
const confirmed = () => confirmSurvey(drafted(), evidence('signed-survey.jpg'), ACTORS.landBranch, later);
const refused = (code: string, category: string, text?: string) => expect.objectContaining({ code, category, ...(text ? { message: expect.stringContaining(text) } : {}) });

describe('recording the survey', () => {
  it('starts a draft at revision 1, every house pending legality', () => {
    const household = drafted();
    expect(household.survey).toMatchObject({ status: 'draft', revision: 1, surveyedBy: ACTORS.landBranch, surveyedAt: now.toISOString(), evidence: [{ key: 'well.jpg' }] });
    expect(household.survey!.houses.map((h) => h.legality)).toEqual(['pending', 'pending', 'pending']);
    expect(household.state).toBe('surveying');
  });

  it('replaces a draft: a new revision, the evidence kept and added to, a determined house keeps its determination', () => {
    const determined = determineLegality(drafted(), 'h1', { legality: 'legal', reference: '冷住建认〔2026〕11号' }, ACTORS.housing, now);
    const replaced = replaceSurvey(determined, INPUT, [evidence('wall.jpg')], ACTORS.landBranch, later);
    expect(replaced.survey!.revision).toBe(3);
    expect(replaced.survey!.evidence.map((e) => e.key)).toEqual(['well.jpg', 'wall.jpg']);
    expect(replaced.survey!.houses).toEqual([
      expect.objectContaining({ itemId: 'h1', legality: 'legal', determination: expect.objectContaining({ reference: '冷住建认〔2026〕11号' }) }),
      expect.objectContaining({ itemId: 'h2', legality: 'pending' }),
      expect.objectContaining({ itemId: 'h3', legality: 'pending' }),
    ]);
  });

  it('a re-measured, restructured or renumbered house loses its determination: it is another building until determined again', () => {
    const determined = determineLegality(drafted(), 'h1', { legality: 'illegal', reference: '冷住建违认〔2026〕3号' }, ACTORS.housing, now);
    const h1 = INPUT.houses[0]!;
    for (const changed of [{ ...h1, floorAreaSquareMetres: '200' }, { ...h1, storeys: h1.storeys + 1 }, { ...h1, structure: '砖木' }]) {
      expect(replaceSurvey(determined, { ...INPUT, houses: [changed, INPUT.houses[1]!] }, [], ACTORS.landBranch, later).survey!.houses[0]).toMatchObject({ itemId: 'h1', legality: 'pending' });
    }
    // The same area written differently is the same building.
    expect(replaceSurvey(determined, { ...INPUT, houses: [{ ...h1, floorAreaSquareMetres: h1.floorAreaSquareMetres + (h1.floorAreaSquareMetres.includes('.') ? '0' : '.0') }, INPUT.houses[1]!] }, [], ACTORS.landBranch, later).survey!.houses[0]).toMatchObject({ legality: 'illegal' });
    // Swapping the numbers of two houses does not swap their determinations.
    const swapped = replaceSurvey(determined, { ...INPUT, houses: [{ ...INPUT.houses[1]!, itemId: 'h1' }, { ...h1, itemId: 'h2' }] }, [], ACTORS.landBranch, later).survey!.houses;
    expect(swapped.map((h) => h.legality)).toEqual(['pending', 'pending']);
  });

  it('refuses duplicate item ids, across kinds too', () => {
    expect(() => replaceSurvey(fresh(), { ...INPUT, crops: [...INPUT.crops, { itemId: 'c1', crop: '水稻', areaMu: '1' }] }, [], ACTORS.landBranch, now)).toThrow(refused('survey.duplicate-item', 'validation', '“c1”'));
    expect(() => replaceSurvey(fresh(), { ...INPUT, attachments: [{ itemId: 'p1', item: '水井', unit: '口', quantity: '1' }] }, [], ACTORS.landBranch, now)).toThrow(refused('survey.duplicate-item', 'validation', '“p1”'));
  });

  it('refuses an inexact or negative quantity, naming the item', () => {
    expect(() => replaceSurvey(fresh(), { ...INPUT, parcels: [{ ...INPUT.parcels[0]!, areaMu: '1.5e2' }] }, [], ACTORS.landBranch, now)).toThrow(refused('quantity.invalid', 'validation', '地块“12-3”的面积'));
    expect(() => replaceSurvey(fresh(), { ...INPUT, attachments: [{ ...INPUT.attachments[0]!, quantity: '-1' }] }, [], ACTORS.landBranch, now)).toThrow(refused('quantity.negative', 'validation', '附着物“a1”'));
  });

  it('refuses an impossible date and a house without a positive whole number of storeys', () => {
    expect(() => replaceSurvey(fresh(), { ...INPUT, crops: [{ itemId: 'c9', crop: '水稻', areaMu: '1', cameIntoBeingOn: '2026-13-01' }] }, [], ACTORS.landBranch, now)).toThrow(refused('survey.invalid-date', 'validation', '“c9”'));
    expect(() => replaceSurvey(fresh(), { ...INPUT, houses: [{ ...INPUT.houses[0]!, storeys: 0 }] }, [], ACTORS.landBranch, now)).toThrow(refused('survey.storeys-invalid', 'validation'));
    // Beijing date of `now` is 2026-09-10: the next day has not come yet.
    expect(replaceSurvey(fresh(), { ...INPUT, crops: [{ itemId: 'c9', crop: '水稻', areaMu: '1', cameIntoBeingOn: '2026-09-10' }] }, [], ACTORS.landBranch, now).survey?.crops).toHaveLength(1);
    expect(() => replaceSurvey(fresh(), { ...INPUT, crops: [{ itemId: 'c9', crop: '水稻', areaMu: '1', cameIntoBeingOn: '2026-09-11' }] }, [], ACTORS.landBranch, now)).toThrow(refused('survey.date-in-future', 'validation', '晚于今天'));
    expect(() => replaceSurvey(fresh(), { ...INPUT, houses: [{ ...INPUT.houses[0]!, storeys: 1.5 }] }, [], ACTORS.landBranch, now)).toThrow(refused('survey.storeys-invalid', 'validation'));
  });

  it('refuses to change a confirmed survey', () => {
    expect(() => replaceSurvey(confirmed(), INPUT, [], ACTORS.landBranch, later)).toThrow(refused('survey.confirmed', 'conflict', '须经争议处理决定重新调查'));
  });
});

describe('confirming the survey', () => {
  it('needs the signed confirmation and records who and when', () => {
    const household = confirmed();
    expect(household.survey).toMatchObject({ status: 'confirmed', revision: 1, confirmation: { evidence: { key: 'signed-survey.jpg' }, confirmedBy: ACTORS.landBranch, confirmedAt: later.toISOString() } });
    expect(household.state).toBe('confirmed');
  });

  it('refuses without the evidence', () => {
    expect(() => confirmSurvey(drafted(), undefined, ACTORS.landBranch, later)).toThrow(refused('survey.confirmation-evidence-required', 'rule', '签字确认'));
  });

  it('refuses twice, before a survey, and while a dispute is open', () => {
    expect(() => confirmSurvey(confirmed(), evidence('again.jpg'), ACTORS.landBranch, later)).toThrow(refused('survey.already-confirmed', 'conflict'));
    expect(() => confirmSurvey(fresh(), evidence('x.jpg'), ACTORS.landBranch, later)).toThrow(refused('survey.missing', 'rule'));
    const disputed = raiseDispute(drafted(), { disputeId: 'D1', grounds: '面积量少了' }, ACTORS.landBranch, now);
    expect(() => confirmSurvey(disputed, evidence('x.jpg'), ACTORS.landBranch, later)).toThrow(refused('survey.dispute-open', 'rule'));
  });
});

describe('legality of a house (housing-construction, §三(九))', () => {
  it('classifies a house with its reference and bumps the revision, also on a confirmed survey', () => {
    const household = determineLegality(confirmed(), 'h3', { legality: 'illegal', reference: ' 冷住建违认〔2026〕12号 ', reasons: '未取得规划许可' }, ACTORS.housing, later);
    expect(household.survey!.houses.find((h) => h.itemId === 'h3')).toMatchObject({
      legality: 'illegal',
      determination: { legality: 'illegal', reference: '冷住建违认〔2026〕12号', reasons: '未取得规划许可', by: ACTORS.housing, at: later.toISOString() },
    });
    expect(household.survey).toMatchObject({ status: 'confirmed', revision: 2 });
  });

  it('is refused to any other agency', () => {
    expect(() => determineLegality(drafted(), 'h1', { legality: 'legal', reference: '文号' }, ACTORS.landBranch, now)).toThrow(refused('survey.legality-agency', 'forbidden', '市住建局'));
  });

  it('refuses pending as a conclusion, a missing reference, an unknown house, no survey', () => {
    expect(() => determineLegality(drafted(), 'h1', { legality: 'pending', reference: '文号' }, ACTORS.housing, now)).toThrow(refused('survey.legality-invalid', 'validation'));
    expect(() => determineLegality(drafted(), 'h1', { legality: 'legal', reference: '  ' }, ACTORS.housing, now)).toThrow(refused('survey.legality-reference-required', 'validation'));
    expect(() => determineLegality(drafted(), 'h9', { legality: 'legal', reference: '文号' }, ACTORS.housing, now)).toThrow(refused('survey.house-not-found', 'not-found', '“h9”'));
    expect(() => determineLegality(fresh(), 'h1', { legality: 'legal', reference: '文号' }, ACTORS.housing, now)).toThrow(refused('survey.missing', 'rule'));
  });

  it('refuses to determine a house twice', () => {
    const once = determineLegality(drafted(), 'h1', { legality: 'legal', reference: '冷住建认〔2026〕11号' }, ACTORS.housing, now);
    expect(() => determineLegality(once, 'h1', { legality: 'illegal', reference: '另一文号' }, ACTORS.housing, later)).toThrow(refused('survey.legality-determined', 'conflict', '冷住建认〔2026〕11号'));
  });
});

describe('disputes', () => {
  const disputed = () => raiseDispute(confirmed(), { disputeId: 'D1', grounds: '房屋面积少量了10平方米' }, ACTORS.landBranch, now);

  it('an open dispute makes the household disputed', () => {
    const household = disputed();
    expect(household.disputes).toEqual([{ disputeId: 'D1', raisedAt: now.toISOString(), recordedBy: ACTORS.landBranch, grounds: '房屋面积少量了10平方米', status: 'open' }]);
    expect(household.state).toBe('disputed');
  });

  it('upheld: the survey stands confirmed, the dispute closed with reasons', () => {
    const household = resolveDispute(disputed(), 'D1', { outcome: 'upheld', reasons: '复核测量无误' }, ACTORS.landBranch, later);
    expect(household.disputes[0]).toMatchObject({ status: 'upheld', resolution: { outcome: 'upheld', reasons: '复核测量无误', by: ACTORS.landBranch, at: later.toISOString() } });
    expect(household.survey).toMatchObject({ status: 'confirmed', revision: 1 });
    expect(household.state).toBe('confirmed');
  });

  it('re-surveyed: the survey returns to draft under a new revision, its confirmation gone, and can then be replaced', () => {
    const household = resolveDispute(disputed(), 'D1', { outcome: 'resurveyed', reasons: '同意重新测量' }, ACTORS.district, later);
    expect(household.survey).toMatchObject({ status: 'draft', revision: 2 });
    expect(household.survey!.confirmation).toBeUndefined();
    expect(household.state).toBe('surveying');
    expect(replaceSurvey(household, INPUT, [], ACTORS.landBranch, later).survey!.revision).toBe(3);
  });

  it('refuses empty grounds and a duplicate id', () => {
    expect(() => raiseDispute(confirmed(), { disputeId: 'D1', grounds: ' ' }, ACTORS.landBranch, now)).toThrow(refused('dispute.grounds-required', 'validation'));
    expect(() => raiseDispute(disputed(), { disputeId: 'D1', grounds: '又一次' }, ACTORS.landBranch, now)).toThrow(refused('dispute.duplicate', 'conflict'));
  });

  it('refuses a resolver who is not the land bureau or district, an unknown or closed dispute, a bad outcome, no reasons', () => {
    expect(() => resolveDispute(disputed(), 'D1', { outcome: 'upheld', reasons: '理由' }, ACTORS.meiwan, later)).toThrow(refused('dispute.resolver', 'forbidden'));
    expect(() => resolveDispute(disputed(), 'D9', { outcome: 'upheld', reasons: '理由' }, ACTORS.landBranch, later)).toThrow(refused('dispute.not-found', 'not-found'));
    const closed = resolveDispute(disputed(), 'D1', { outcome: 'upheld', reasons: '理由' }, ACTORS.landBranch, later);
    expect(() => resolveDispute(closed, 'D1', { outcome: 'resurveyed', reasons: '理由' }, ACTORS.landBranch, later)).toThrow(refused('dispute.closed', 'conflict'));
    expect(() => resolveDispute(disputed(), 'D1', { outcome: 'withdrawn', reasons: '理由' }, ACTORS.landBranch, later)).toThrow(refused('dispute.outcome-invalid', 'validation'));
    expect(() => resolveDispute(disputed(), 'D1', { outcome: 'upheld', reasons: '' }, ACTORS.landBranch, later)).toThrow(refused('dispute.reasons-required', 'validation'));
  });
});

describe('the household state', () => {
  it('is disputed before signed before confirmed before surveying', () => {
    const signed = { ...confirmed(), agreementInForce: 'A1' };
    expect(householdState(fresh())).toBe('surveying');
    expect(householdState(drafted())).toBe('surveying');
    expect(householdState(confirmed())).toBe('confirmed');
    expect(householdState(signed)).toBe('signed');
    expect(householdState(raiseDispute(signed, { disputeId: 'D1', grounds: '补偿款有误' }, ACTORS.landBranch, now))).toBe('disputed');
  });
});

describe('member checks', () => {
  it('opens a hukou check for every member and a military review for the serving/retired one', () => {
    expect(openChecks(MEMBERS)).toEqual([
      { kind: 'hukou', memberId: 'm1', agency: 'public-security', status: 'pending' },
      { kind: 'hukou', memberId: 'm2', agency: 'public-security', status: 'pending' },
      { kind: 'hukou', memberId: 'm3', agency: 'public-security', status: 'pending' },
      { kind: 'military', memberId: 'm3', agency: 'civil-affairs', status: 'pending' },
    ]);
  });

  it('keeps the checks already open and adds only the missing ones', () => {
    const first = openChecks(MEMBERS.slice(0, 1));
    const withResult = recordCheck({ ...fresh(), checks: first }, { kind: 'hukou', memberId: 'm1' }, { passed: true, note: '属实' }, ACTORS.police, now).checks;
    const all = openChecks(MEMBERS, withResult);
    expect(all).toHaveLength(4);
    expect(all[0]).toMatchObject({ memberId: 'm1', status: 'passed' });
  });

  const open = () => ({ ...fresh(), checks: openChecks(MEMBERS) });

  it('records the result of the right agency, once', () => {
    const passed = recordCheck(open(), { kind: 'hukou', memberId: 'm2' }, { passed: false, note: '户籍已迁出' }, ACTORS.police, now);
    expect(passed.checks[1]).toEqual({ kind: 'hukou', memberId: 'm2', agency: 'public-security', status: 'failed', result: { passed: false, note: '户籍已迁出', by: ACTORS.police, at: now.toISOString() } });
    const military = recordCheck(open(), { kind: 'military', memberId: 'm3' }, { passed: true, note: '现役' }, ACTORS.civilAffairs, now);
    expect(military.checks[3]).toMatchObject({ status: 'passed' });
    expect(() => recordCheck(passed, { kind: 'hukou', memberId: 'm2' }, { passed: true, note: '改正' }, ACTORS.police, later)).toThrow(refused('check.recorded', 'conflict'));
  });

  it('refuses another agency, an unknown check, and no note', () => {
    expect(() => recordCheck(open(), { kind: 'hukou', memberId: 'm1' }, { passed: true, note: '属实' }, ACTORS.civilAffairs, now)).toThrow(refused('check.agency', 'forbidden', '市公安局'));
    expect(() => recordCheck(open(), { kind: 'military', memberId: 'm3' }, { passed: true, note: '属实' }, ACTORS.police, now)).toThrow(refused('check.agency', 'forbidden', '市民政局'));
    expect(() => recordCheck(open(), { kind: 'military', memberId: 'm1' }, { passed: true, note: '属实' }, ACTORS.civilAffairs, now)).toThrow(refused('check.not-found', 'not-found'));
    expect(() => recordCheck(open(), { kind: 'hukou', memberId: 'm1' }, { passed: true, note: ' ' }, ACTORS.police, now)).toThrow(refused('check.note-required', 'validation'));
  });
});
