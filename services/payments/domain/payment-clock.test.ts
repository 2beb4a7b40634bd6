import { describe, expect, it } from 'vitest';
import type { DeadlineWatch } from '../../../shared/deadlines/watch.ts';
import { RuleViolationError } from '../../../shared/errors.ts';
import type { Identity } from '../../../shared/identity.ts';
import { emptyFund, reserve } from './ledger.ts';
import { fundsRefusalOf, paymentClock, type FundsRefusal } from './payment-clock.ts';
import { markConfirmed, markSent, type Payment, type PayoutPlan } from './payment.ts';

const FINANCE: Identity = { user: 'qian.fin', agency: 'finance', jurisdiction: 'yongzhou' };
/** Signed 26 September 2026; due 24:00 Beijing on 26 December 2026. */
const WATCH: DeadlineWatch = {
  caseId: 'H1',
  projectId: 'P1',
  phase: 'payment',
  jurisdiction: 'yongzhou/lengshuitan',
  ruleId: 'compensation-payment',
  step: '足额支付征地补偿款',
  clock: 'agency-deadline',
  period: '3mo',
  responsibleAgency: 'land-bureau',
  escalateTo: ['leading-group-office'],
  source: '方案§五(一)4',
  triggeredAt: '2026-09-26T02:00:00.000Z',
  lastDay: '2026-12-26',
  dueAt: '2026-12-26T16:00:00.000Z',
  status: 'open',
};
const PLAN: PayoutPlan = {
  agreementId: 'A1',
  payouts: [
    { payeeGroup: 'collective', fund: 'compensation', amountFen: 7_125_480, basis: [] },
    { payeeGroup: 'household', fund: 'compensation', amountFen: 14_007_279, basis: [] },
  ],
  receivables: [],
  paysOutFen: 21_132_759,
};
const BEFORE_DUE = new Date('2026-12-26T15:59:59.000Z');
const AFTER_DUE = new Date('2026-12-26T16:00:00.000Z');

function payment(group: 'collective' | 'household', amountFen: number, settledAt?: string, key = `A1:${group}:1`): Payment {
  const instructed: Payment = {
    paymentId: key, agreementId: 'A1', agreementNumber: 'N1', householdId: 'H1', projectId: 'P1', payeeGroup: group, instalment: 1, fund: 'compensation', amountFen,
    payee: { accountName: 'x', bankName: 'y', accountMasked: '6228****1234', accountRef: 'v' }, basis: [], status: 'instructed', correction: 0,
    instructedBy: FINANCE, instructedAt: '2026-10-01T02:00:00.000Z', history: [{ status: 'instructed', at: '2026-10-01T02:00:00.000Z' }],
  };
  const sent = markSent(instructed, new Date('2026-10-01T02:01:00.000Z'));
  return settledAt ? markConfirmed(sent, { bankReference: `B-${key}`, settledAt, amountFen }, new Date(settledAt)) : sent;
}
const clock = (payments: Payment[], now: Date, refusals: FundsRefusal[] = []) => paymentClock({ watch: WATCH, plan: PLAN, payments, refusals, now });
const refusal = (refusedAt: string, shortfallFen = 883_079): FundsRefusal => ({ agreementId: 'A1', paymentId: 'A1:household:1', refusedAt, shortfallFen });

describe('the payment clock of an agreement', () => {
  it('paid in full before the due instant: met, at the last group’s settlement, nothing counts against anyone', () => {
    const result = clock([payment('collective', 7_125_480, '2026-11-01T02:00:00.000Z'), payment('household', 14_007_279, '2026-12-26T15:59:59.000Z')], AFTER_DUE);
    expect(result).toEqual({
      agreementId: 'A1', dueAt: WATCH.dueAt, state: 'met', dueFen: 21_132_759, paidFen: 21_132_759, outstandingFen: 0, inFlightFen: 0,
      paidInFullAt: '2026-12-26T15:59:59.000Z', partlyPaid: false, countsAgainst: [],
    });
  });

  it('not yet due, partly paid: open, 140,072.79 元 outstanding and in flight', () => {
    const result = clock([payment('collective', 7_125_480, '2026-11-01T02:00:00.000Z'), payment('household', 14_007_279)], BEFORE_DUE);
    expect(result).toMatchObject({ state: 'open', paidFen: 7_125_480, outstandingFen: 14_007_279, inFlightFen: 14_007_279, partlyPaid: true, countsAgainst: [] });
  });

  it('partly paid when due is overdue, and counts against the branch', () => {
    const result = clock([payment('collective', 7_125_480, '2026-11-01T02:00:00.000Z'), payment('household', 14_007_279)], AFTER_DUE);
    expect(result).toMatchObject({ state: 'overdue', partlyPaid: true, outstandingFen: 14_007_279 });
    expect(result.paidInFullAt).toBeUndefined();
    expect(result.countsAgainst).toEqual([{ agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan', reason: '征地补偿款未在2026-12-26（北京时间24时）前足额支付' }]);
  });

  it('settled exactly at the due instant is late: met-late, still counted against the branch', () => {
    const result = clock([payment('collective', 7_125_480, '2026-11-01T02:00:00.000Z'), payment('household', 14_007_279, '2026-12-27T00:00:00+08:00')], new Date('2027-01-05T00:00:00.000Z'));
    expect(result).toMatchObject({ state: 'met-late', paidInFullAt: AFTER_DUE.toISOString(), outstandingFen: 0 });
    expect(result.countsAgainst.map((a) => a.agency)).toEqual(['land-bureau']);
  });

  it('counts against finance too when a reservation was refused for want of funds before the due instant', () => {
    const payments = [payment('collective', 7_125_480, '2026-11-01T02:00:00.000Z')];
    const result = clock(payments, AFTER_DUE, [refusal('2026-12-01T02:00:00.000Z', 883_079), refusal('2026-12-20T02:00:00.000Z', 500_000)]);
    expect(result.countsAgainst).toEqual([
      expect.objectContaining({ agency: 'land-bureau' }),
      { agency: 'finance', jurisdiction: 'yongzhou', reason: '到期前专户资金不足，支付被拒2次（最多尚差8,830.79元）' },
    ]);
  });

  it('a refusal at or after the due instant, or of another agreement, does not count against finance; nor any when met on time', () => {
    const unpaid = [payment('collective', 7_125_480, '2026-11-01T02:00:00.000Z')];
    expect(clock(unpaid, AFTER_DUE, [refusal(AFTER_DUE.toISOString()), { ...refusal('2026-12-01T02:00:00.000Z'), agreementId: 'A2' }]).countsAgainst.map((a) => a.agency)).toEqual(['land-bureau']);
    const paid = [...unpaid, payment('household', 14_007_279, '2026-12-02T02:00:00.000Z')];
    expect(clock(paid, AFTER_DUE, [refusal('2026-12-01T02:00:00.000Z')]).countsAgainst).toEqual([]);
  });

  it('a settlement after `now` is not yet paid; a payment under the agreement a supplement superseded counts; an overpayment counts only up to what was owed', () => {
    const future = clock([payment('collective', 7_125_480, '2026-12-20T02:00:00.000Z')], new Date('2026-12-10T02:00:00.000Z'));
    expect(future).toMatchObject({ paidFen: 0, state: 'open' });
    // The supplement pays only the difference over what the superseded agreement paid (instructPayments).
    const superseded = { ...payment('household', 14_007_279, '2026-11-01T02:00:00.000Z'), agreementId: 'A0', paymentId: 'A0:household:1' };
    const over = payment('collective', 9_000_000, '2026-11-01T02:00:00.000Z');
    expect(clock([superseded, over], BEFORE_DUE)).toMatchObject({ paidFen: 7_125_480 + 14_007_279, outstandingFen: 0 });
    expect(clock([over], BEFORE_DUE)).toMatchObject({ paidFen: 7_125_480, outstandingFen: 14_007_279 });
  });

  it('a group paid in two payments is complete when the second settles', () => {
    const result = clock(
      [payment('collective', 7_125_480, '2026-10-02T02:00:00.000Z'), payment('household', 7_000_000, '2026-10-03T02:00:00.000Z'), payment('household', 7_007_279, '2026-10-05T02:00:00.000Z', 'A1:household:2')],
      BEFORE_DUE,
    );
    expect(result).toMatchObject({ state: 'met', paidInFullAt: '2026-10-05T02:00:00.000Z', paidFen: 21_132_759 });
  });
  it('an agreement that pays nothing out (the household only owes) is met at signing', () => {
    const result = paymentClock({ watch: WATCH, plan: { ...PLAN, payouts: [], paysOutFen: 0 }, payments: [], refusals: [], now: AFTER_DUE });
    expect(result).toMatchObject({ state: 'met', paidInFullAt: WATCH.triggeredAt, outstandingFen: 0, countsAgainst: [] });
  });
});

describe('recording a refusal for want of funds', () => {
  it('keeps the ledger’s shortfall; ignores any other error', () => {
    let error: unknown;
    try {
      reserve(emptyFund('compensation'), { paymentId: 'A1:household:1', projectId: 'P1', fund: 'compensation', amountFen: 100 }, FINANCE, BEFORE_DUE);
    } catch (e) {
      error = e;
    }
    expect(fundsRefusalOf(error, { agreementId: 'A1', paymentId: 'A1:household:1' }, BEFORE_DUE)).toEqual({ agreementId: 'A1', paymentId: 'A1:household:1', refusedAt: BEFORE_DUE.toISOString(), shortfallFen: 100 });
    expect(fundsRefusalOf(new RuleViolationError('ledger.already-reserved', 'x'), { agreementId: 'A1', paymentId: 'p' }, BEFORE_DUE)).toBeUndefined();
    expect(fundsRefusalOf(new Error('boom'), { agreementId: 'A1', paymentId: 'p' }, BEFORE_DUE)).toBeUndefined();
  });
});
