import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../shared/errors.ts';
import type { Identity } from '../../../shared/identity.ts';
import { applyPolicyQuery, currentOpinion, decidePolicyQuery, nextStep, recordTopicMeeting, submitForApproval, submitPolicyQuery, type PolicyQuery } from './policy-query.ts';

/** The policy query's path as a record, pure: which step follows which, who is next, which instants are refused. */
const DISTRICT: Identity = { user: 'd', agency: 'district-government', jurisdiction: 'yongzhou/lengshuitan' };
const LAND: Identity = { user: 'l', agency: 'land-bureau', jurisdiction: 'yongzhou' };
const CITY: Identity = { user: 'c', agency: 'city-government', jurisdiction: 'yongzhou' };
const at = (day: number, hh = 10) => new Date(`2026-10-${String(day).padStart(2, '0')}T${String(hh).padStart(2, '0')}:00:00+08:00`);
const iso = (day: number, hh = 10) => at(day, hh).toISOString();
const letter = { number: '冷政函〔2026〕15号', date: '2026-10-09' };
const input = { subject: '大棚设施补偿标准', question: '钢架大棚是否按附着物计补', proposal: '按钢架大棚每平方米 40 元计补', letter };

const submitted = () => submitPolicyQuery('Q1', 'yongzhou/lengshuitan', input, DISTRICT, at(10));
const meeting = (q: PolicyQuery, day: number, opinion = '按附着物计补，每平方米 35 元') => recordTopicMeeting(q, { heldAt: iso(day), attendees: ['land-bureau', 'finance', 'district-government'], opinion }, LAND, at(day, 15));
const refused = (call: () => unknown) => {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('not refused');
};

describe('the path of a policy query', () => {
  it('submitted → meeting → for approval → returned → meeting again → approved → in force, each step naming who is next', () => {
    const q0 = submitted();
    expect(q0).toMatchObject({ status: 'submitted', district: 'yongzhou/lengshuitan', submittedAt: iso(10), steps: [{ step: 'submitted', at: iso(10), letter }] });
    expect(q0.projectId).toBeUndefined();
    expect(nextStep(q0)).toEqual({ agency: 'land-bureau', jurisdiction: 'yongzhou', zh: '由市国土资源局牵头召开专题协调会议研究意见' });

    const q1 = meeting(q0, 12);
    expect(q1.status).toBe('meeting-held');
    expect(q1.steps.at(-1)).toMatchObject({ step: 'topic-meeting', round: 1, at: iso(12), recordedAt: iso(12, 15) });
    expect(nextStep(q1).zh).toContain('报市人民政府批准');

    const q2 = submitForApproval(q1, { reference: '永国土资〔2026〕88号' }, LAND, at(13));
    expect(q2.steps.at(-1)).toMatchObject({ step: 'submitted-for-approval', round: 1, reference: '永国土资〔2026〕88号', at: iso(13) });
    expect(nextStep(q2)).toMatchObject({ agency: 'city-government' });

    const q3 = decidePolicyQuery(q2, { decision: 'return', decidedAt: iso(15), reasons: '标准未与邻区衔接' }, CITY, at(16));
    expect(q3.status).toBe('returned');
    expect(q3.steps.at(-1)).toMatchObject({ step: 'returned', round: 1, reasons: '标准未与邻区衔接', at: iso(15), recordedAt: iso(16) });
    expect(nextStep(q3)).toMatchObject({ agency: 'land-bureau', zh: expect.stringContaining('重新召开专题协调会议') });

    const q4 = meeting(q3, 20, '按附着物计补，每平方米 38 元，与零陵区一致');
    expect(q4.steps.at(-1)).toMatchObject({ round: 2 });
    expect(currentOpinion(q4)).toEqual({ round: 2, opinion: '按附着物计补，每平方米 38 元，与零陵区一致' });
    const q5 = decidePolicyQuery(submitForApproval(q4, { reference: '永国土资〔2026〕95号' }, LAND, at(21)), { decision: 'approve', decidedAt: iso(23), reference: '永政函〔2026〕120号' }, CITY, at(23, 11));
    expect(q5.status).toBe('approved');
    expect(q5.steps.at(-1)).toMatchObject({ step: 'approved', round: 2, reference: '永政函〔2026〕120号' });
    expect(nextStep(q5)).toEqual({ agency: 'district-government', jurisdiction: 'yongzhou/lengshuitan', zh: '由区人民政府 / 经开区管委会（冷水滩区）执行经批准的意见并登记执行起始时间' });

    const q6 = applyPolicyQuery(q5, { appliedFrom: iso(26, 0), note: '适用于本区在建项目' }, DISTRICT, at(26, 9));
    expect(q6.status).toBe('in-force');
    expect(q6.steps.map((s) => s.step)).toEqual(['submitted', 'topic-meeting', 'submitted-for-approval', 'returned', 'topic-meeting', 'submitted-for-approval', 'approved', 'applied']);
    expect(nextStep(q6)).toEqual({ zh: '无：经批准的意见已自 2026-10-26T00:00:00+08:00 起执行' });
    expect(q6.updatedAt).toBe(iso(26, 9));
  });

  it('refuses each step out of turn (409), saying what is next', () => {
    const q0 = submitted();
    const early = refused(() => submitForApproval(q0, { reference: 'x' }, LAND, at(13)));
    expect(early).toMatchObject({ code: 'policy-query.wrong-state', category: 'conflict' });
    expect(early.message).toBe('政策请示 Q1 已书面函告市国土资源局，不能报市人民政府批准；下一步应由市国土资源局牵头召开专题协调会议研究意见');
    expect(refused(() => decidePolicyQuery(q0, { decision: 'approve', decidedAt: iso(10) }, CITY, at(11)))).toMatchObject({ code: 'policy-query.wrong-state' });
    expect(refused(() => applyPolicyQuery(q0, { appliedFrom: iso(10) }, DISTRICT, at(11)))).toMatchObject({ code: 'policy-query.wrong-state' });
    const q1 = meeting(q0, 12);
    expect(refused(() => meeting(q1, 12)).message).toContain('下一步应由市国土资源局将专题协调会议意见报市人民政府批准');
    const approved = decidePolicyQuery(submitForApproval(q1, { reference: 'r' }, LAND, at(13)), { decision: 'approve', decidedAt: iso(14) }, CITY, at(14));
    expect(refused(() => meeting(approved, 15))).toMatchObject({ code: 'policy-query.wrong-state' });
    const inForce = applyPolicyQuery(approved, { appliedFrom: iso(15) }, DISTRICT, at(15));
    expect(refused(() => applyPolicyQuery(inForce, { appliedFrom: iso(16) }, DISTRICT, at(16))).message).toContain('已执行');
  });

  it('refuses instants in the future or before the step before (400)', () => {
    const q0 = submitted();
    expect(refused(() => submitPolicyQuery('Q2', 'yongzhou/lengshuitan', { ...input, letter: { ...letter, date: '2026-10-11' } }, DISTRICT, at(10)))).toMatchObject({ code: 'policy-query.in-future', category: 'validation' });
    expect(refused(() => submitPolicyQuery('Q2', 'yongzhou/lengshuitan', { ...input, letter: { ...letter, date: '2026-02-30' } }, DISTRICT, at(10)))).toMatchObject({ code: 'policy-query.letter-date-invalid' });
    // The letter dated the same Beijing day as it is sent, at 00:30 Beijing (still the day before in UTC).
    expect(submitPolicyQuery('Q3', 'yongzhou/lengshuitan', { ...input, letter: { ...letter, date: '2026-10-10' } }, DISTRICT, at(10, 0)).letter.date).toBe('2026-10-10');
    expect(refused(() => recordTopicMeeting(q0, { heldAt: iso(12), attendees: ['land-bureau'], opinion: 'o' }, LAND, at(11)))).toMatchObject({ code: 'policy-query.in-future' });
    expect(refused(() => recordTopicMeeting(q0, { heldAt: iso(10, 9), attendees: ['land-bureau'], opinion: 'o' }, LAND, at(11)))).toMatchObject({ code: 'policy-query.before-previous-step' });
    const q2 = submitForApproval(meeting(q0, 12), { reference: 'r' }, LAND, at(13));
    expect(refused(() => decidePolicyQuery(q2, { decision: 'approve', decidedAt: iso(12, 23) }, CITY, at(14)))).toMatchObject({ code: 'policy-query.before-previous-step' });
    expect(refused(() => decidePolicyQuery(q2, { decision: 'approve', decidedAt: iso(15) }, CITY, at(14)))).toMatchObject({ code: 'policy-query.in-future' });
    const approved = decidePolicyQuery(q2, { decision: 'approve', decidedAt: iso(14) }, CITY, at(14));
    expect(refused(() => applyPolicyQuery(approved, { appliedFrom: iso(13) }, DISTRICT, at(15)))).toMatchObject({ code: 'policy-query.before-previous-step' });
    expect(refused(() => applyPolicyQuery(approved, { appliedFrom: iso(16) }, DISTRICT, at(15)))).toMatchObject({ code: 'policy-query.in-future' });
  });

  it('a return states its reasons; the meeting is the land bureau’s, each agency listed once', () => {
    const q0 = submitted();
    const q2 = submitForApproval(meeting(q0, 12), { reference: 'r' }, LAND, at(13));
    expect(refused(() => decidePolicyQuery(q2, { decision: 'return', decidedAt: iso(14) }, CITY, at(14)))).toMatchObject({ code: 'policy-query.reasons-required' });
    expect(refused(() => recordTopicMeeting(q0, { heldAt: iso(11), attendees: ['finance'], opinion: 'o' }, LAND, at(11)))).toMatchObject({ code: 'policy-query.convener-absent' });
    expect(refused(() => recordTopicMeeting(q0, { heldAt: iso(11), attendees: ['land-bureau', 'finance', 'finance'], opinion: 'o' }, LAND, at(11)))).toMatchObject({ code: 'policy-query.attendee-duplicate' });
  });
});
