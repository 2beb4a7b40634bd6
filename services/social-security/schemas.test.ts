import { describe, expect, it } from 'vitest';
import { enrolmentBody, personParams, transferBody } from './schemas.ts';

const transfer = { amountFen: 2_500_000, transferDate: '2026-11-04', voucherNumber: 'SB-2026-001' };
const enrolment = { pension: 'urban-rural-resident', medical: 'employee', enrolmentDate: '2026-11-05', socialSecurityNumber: '11010519491231002X' };
const firstMessage = (parsed: { error?: { issues: Array<{ message: string }> } | undefined }) => parsed.error?.issues[0]?.message ?? '';

describe('transfer request', () => {
  it('takes the amount in integer fen only: yuan with decimals, zero, negatives and strings are refused in Chinese', () => {
    expect(transferBody.safeParse(transfer).success).toBe(true);
    for (const amountFen of [25000.5, 0, -100, '2500000']) {
      const parsed = transferBody.safeParse({ ...transfer, amountFen });
      expect(parsed.success, String(amountFen)).toBe(false);
      expect(firstMessage(parsed)).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('names the transfer date as a calendar day, needs the voucher number, and refuses fields it does not know', () => {
    expect(firstMessage(transferBody.safeParse({ ...transfer, transferDate: '2026-11-04T10:00:00+08:00' }))).toContain('划转日期');
    expect(transferBody.safeParse({ ...transfer, voucherNumber: '  ' }).success).toBe(false);
    expect(transferBody.safeParse({ ...transfer, lineFen: 1 }).success).toBe(false);
    expect(transferBody.safeParse({ ...transfer, reason: '区政府补足' }).success).toBe(true);
  });
});

describe('enrolment request', () => {
  it('names the pension and medical schemes from a closed list, in Chinese when wrong', () => {
    expect(enrolmentBody.safeParse(enrolment).success).toBe(true);
    expect(firstMessage(enrolmentBody.safeParse({ ...enrolment, pension: 'rural' }))).toContain('城乡居民基本养老保险');
    expect(enrolmentBody.safeParse({ ...enrolment, medical: undefined }).success).toBe(false);
    expect(enrolmentBody.safeParse({ ...enrolment, socialSecurityNumberMasked: 'x' }).success).toBe(false);
  });

  it('takes member ids of the id alphabet only', () => {
    expect(personParams.safeParse({ householdId: 'H1', memberId: 'Mabc123' }).success).toBe(true);
    expect(personParams.safeParse({ householdId: 'H1', memberId: '../x' }).success).toBe(false);
  });
});
