import { describe, expect, it } from 'vitest';
import type { HouseholdPaymentStatus, PayableAgreement } from '../../../shared/cases/household-money.ts';
import { missingSocialSecuritySteps } from '../../../shared/cases/social-security-steps.ts';
import type { Identity } from '../../../shared/identity.ts';
import { agreementInForce, checkEnrolment, personStatus, personStep, recordEnrolment, recordTransfer, subsidyLineFen } from './social-security.ts';

const finance: Identity = { user: 'qian.fi', agency: 'finance', jurisdiction: 'yongzhou' };
const hr: Identity = { user: 'lin.hr', agency: 'hr-social-security', jurisdiction: 'yongzhou' };

const agreement: PayableAgreement = {
  agreementId: 'A1',
  householdId: 'H1',
  projectId: 'P1',
  number: '冷征协〔2026〕001号',
  kind: 'original',
  status: 'signed',
  lines: [
    { kind: 'land', itemId: 'parcel-1', amountFen: 9_000_000, payee: 'collective' },
    { kind: 'social-security', itemId: 'M1', amountFen: 2_500_000, payee: 'social-security-fund' },
    { kind: 'social-security', itemId: 'M2', amountFen: 2_500_000, payee: 'social-security-fund' },
    { kind: 'resettlement', itemId: 'M1', amountFen: 1_000_000, payee: 'resettled-person' },
  ],
  totalFen: 15_000_000,
  signedAt: '2026-10-10T02:00:00.000Z',
  villageGroupId: 'g1',
  householdNumber: '001',
  caseLabel: '梅湾村一组 001 号户（户主张三）',
  jurisdiction: 'yongzhou/lengshuitan',
  persons: [
    { memberId: 'M1', name: '张三' },
    { memberId: 'M2', name: '李四' },
  ],
};

// Paid in full on 2026-11-02, Beijing (01:00 +08:00 is still 1 November in UTC).
const paid: HouseholdPaymentStatus = {
  householdId: 'H1', projectId: 'P1', agreementId: 'A1', agreementNumber: agreement.number,
  dueFen: 15_000_000, paidFen: 15_000_000, inFlightFen: 0, outstandingFen: 0,
  paidInFullAt: '2026-11-01T17:00:00.000Z', rejectedGroups: [], updatedAt: '2026-11-01T17:00:00.000Z',
};
const now = new Date('2026-11-05T02:00:00Z');
const transfer = { amountFen: 2_500_000, transferDate: '2026-11-03', voucherNumber: 'SB-2026-001' };

describe('the subsidy transfer (finance, seed §三(八))', () => {
  it('is the agreement\'s social-security line for the person, recorded once the household is paid in full', () => {
    expect(subsidyLineFen(agreement, 'M1')).toBe(2_500_000);
    const record = recordTransfer(agreement, paid, undefined, 'M1', transfer, finance, now);
    expect(record).toMatchObject({ householdId: 'H1', memberId: 'M1', name: '张三', transfer: { amountFen: 2_500_000, lineFen: 2_500_000, transferDate: '2026-11-03', voucherNumber: 'SB-2026-001', by: finance } });
    expect(record.transfer.reason).toBeUndefined();
  });

  it('is refused before full payment, for another agreement\'s payment, and a second time', () => {
    const { paidInFullAt: _, ...partly } = paid;
    expect(() => recordTransfer(agreement, partly, undefined, 'M1', transfer, finance, now)).toThrow(expect.objectContaining({ code: 'social-security.not-paid', category: 'rule' }));
    expect(() => recordTransfer(agreement, undefined, undefined, 'M1', transfer, finance, now)).toThrow(expect.objectContaining({ code: 'social-security.not-paid' }));
    expect(() => recordTransfer(agreement, { ...paid, agreementId: 'A0' }, undefined, 'M1', transfer, finance, now)).toThrow(expect.objectContaining({ code: 'social-security.not-paid' }));
    const first = recordTransfer(agreement, paid, undefined, 'M1', transfer, finance, now);
    expect(() => recordTransfer(agreement, paid, first, 'M1', transfer, finance, now)).toThrow(expect.objectContaining({ code: 'social-security.transfer-recorded', category: 'conflict' }));
  });

  it('refuses less than the line always, more than the line without a reason, and keeps the reason when given', () => {
    expect(() => recordTransfer(agreement, paid, undefined, 'M1', { ...transfer, amountFen: 2_499_999 }, finance, now)).toThrow(expect.objectContaining({ code: 'social-security.amount-short', message: expect.stringContaining('25,000.00元') }));
    expect(() => recordTransfer(agreement, paid, undefined, 'M1', { ...transfer, amountFen: 2_600_000, reason: ' ' }, finance, now)).toThrow(expect.objectContaining({ code: 'social-security.amount-differs' }));
    const more = recordTransfer(agreement, paid, undefined, 'M1', { ...transfer, amountFen: 2_600_000, reason: '区政府补足缴费差额' }, finance, now);
    expect(more.transfer).toMatchObject({ amountFen: 2_600_000, lineFen: 2_500_000, reason: '区政府补足缴费差额' });
    expect(() => recordTransfer(agreement, paid, undefined, 'M1', { ...transfer, amountFen: 2_500_000.5 }, finance, now)).toThrow(expect.objectContaining({ code: 'social-security.amount-invalid' }));
  });

  it('takes a Beijing date, not in the future and not before the household was paid in full', () => {
    // 10:00 Beijing on 5 November: the 5th is today, the 6th is not yet.
    expect(recordTransfer(agreement, paid, undefined, 'M1', { ...transfer, transferDate: '2026-11-05' }, finance, now).transfer.transferDate).toBe('2026-11-05');
    expect(() => recordTransfer(agreement, paid, undefined, 'M1', { ...transfer, transferDate: '2026-11-06' }, finance, now)).toThrow(expect.objectContaining({ code: 'social-security.date-in-future', category: 'validation' }));
    expect(() => recordTransfer(agreement, paid, undefined, 'M1', { ...transfer, transferDate: '2026-11-01' }, finance, now)).toThrow(expect.objectContaining({ code: 'social-security.transfer-before-payment' }));
    expect(recordTransfer(agreement, paid, undefined, 'M1', { ...transfer, transferDate: '2026-11-02' }, finance, now).transfer.transferDate).toBe('2026-11-02');
    expect(() => recordTransfer(agreement, paid, undefined, 'M1', { ...transfer, transferDate: '2026-02-30' }, finance, now)).toThrow(expect.objectContaining({ code: 'social-security.date-invalid' }));
  });

  it('knows only the agreement\'s approved persons', () => {
    expect(() => recordTransfer(agreement, paid, undefined, 'M9', transfer, finance, now)).toThrow(expect.objectContaining({ code: 'social-security.person-not-found', category: 'not-found' }));
  });
});

describe('the enrolment (HR-social-security, seed §三(十一))', () => {
  const transferred = recordTransfer(agreement, paid, undefined, 'M1', transfer, finance, now);
  const input = { pension: 'urban-rural-resident' as const, medical: 'urban-rural-resident' as const, enrolmentDate: '2026-11-04', socialSecurityNumberMasked: '1101**********002X' };

  it('comes after the transfer, once, dated between the transfer and today', () => {
    expect(() => checkEnrolment(undefined, { name: '张三' }, input, now)).toThrow(expect.objectContaining({ code: 'social-security.transfer-first', category: 'rule' }));
    expect(() => checkEnrolment(transferred, { name: '张三' }, { ...input, enrolmentDate: '2026-11-02' }, now)).toThrow(expect.objectContaining({ code: 'social-security.enrolment-before-transfer' }));
    expect(() => checkEnrolment(transferred, { name: '张三' }, { ...input, enrolmentDate: '2026-11-06' }, now)).toThrow(expect.objectContaining({ code: 'social-security.date-in-future' }));
    const enrolled = recordEnrolment(transferred, { name: '张三' }, input, hr, now);
    expect(enrolled.enrolment).toMatchObject({ pension: 'urban-rural-resident', medical: 'urban-rural-resident', enrolmentDate: '2026-11-04', socialSecurityNumberMasked: '1101**********002X', by: hr });
    expect(() => recordEnrolment(enrolled, { name: '张三' }, input, hr, now)).toThrow(expect.objectContaining({ code: 'social-security.enrolled', category: 'conflict' }));
  });
});

describe('the person\'s status and timeline step', () => {
  const transferred = recordTransfer(agreement, paid, undefined, 'M1', transfer, finance, now);
  const enrolled = recordEnrolment(transferred, { name: '张三' }, { pension: 'urban-employee', medical: 'employee', enrolmentDate: '2026-11-04', socialSecurityNumberMasked: '1101**********002X' }, hr, now);
  const person = { memberId: 'M1', name: '张三' };

  it('moves from finance (open) to HR (open, subsidy transferred) to done (enrolled in pension and medical insurance)', () => {
    expect(personStep(agreement, person, undefined, now)).toMatchObject({ key: 'social-security:M1', step: '社会保障：张三', status: 'open', responsibleAgency: 'finance' });
    expect(personStep(agreement, person, transferred, now)).toMatchObject({ status: 'open', responsibleAgency: 'hr-social-security', detail: expect.stringMatching(/^补贴已划转（25,000\.00元，2026-11-03）/) });
    const done = personStep(agreement, person, enrolled, now);
    expect(done).toMatchObject({ status: 'done', responsibleAgency: 'hr-social-security', doneAt: now.toISOString(), by: { agency: 'hr-social-security', user: 'lin.hr' } });
    expect(done.detail).toContain('已参保养老、医疗（城镇职工基本养老保险、职工基本医疗保险');
  });

  it('status follows payment, transfer and enrolment', () => {
    expect(personStatus(undefined, agreement, undefined)).toBe('awaiting-payment');
    expect(personStatus(paid, agreement, undefined)).toBe('awaiting-transfer');
    expect(personStatus(paid, agreement, transferred)).toBe('awaiting-enrolment');
    expect(personStatus(paid, agreement, enrolled)).toBe('enrolled');
  });

  it('the open steps a paid household lacks are those of persons not yet published', () => {
    expect(missingSocialSecuritySteps(agreement, [], now).map((s) => s.key)).toEqual(['social-security:M1', 'social-security:M2']);
    expect(missingSocialSecuritySteps(agreement, [{ key: 'social-security:M1' }, { key: 'handover' }], now).map((s) => [s.key, s.status, s.responsibleAgency])).toEqual([['social-security:M2', 'open', 'finance']]);
  });
});

describe('the agreement in force', () => {
  it('is the latest signed one: a supplement supersedes the original', () => {
    const original = { ...agreement, status: 'superseded' as const, supersededBy: 'A2' };
    const supplement = { ...agreement, agreementId: 'A2', kind: 'supplementary' as const, supplements: 'A1', signedAt: '2026-10-20T02:00:00.000Z' };
    expect(agreementInForce([original, supplement])?.agreementId).toBe('A2');
    expect(agreementInForce([original])).toBeUndefined();
  });
});
