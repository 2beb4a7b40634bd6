import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../shared/errors.ts';
import type { EvidenceRecord } from '../../../shared/evidence/evidence.ts';
import type { Identity } from '../../../shared/identity.ts';
import {
  applyMovements,
  availableFromEntries,
  confirmedFromEntries,
  confirmDeposit,
  emptyFund,
  recordDeposit,
  release,
  reserve,
  reverseDeposit,
  settle,
  type Deposit,
  type DepositInput,
  type FundBalance,
  type FundKind,
  type LedgerEntry,
  type LedgerMovement,
} from './ledger.ts';

const CITY_GROUP: Identity = { user: 'liu.ig', agency: 'investment-group', jurisdiction: 'yongzhou' };
const FINANCE: Identity = { user: 'qian.fin', agency: 'finance', jurisdiction: 'yongzhou' };
const FINANCE_2: Identity = { user: 'sun.fin', agency: 'finance', jurisdiction: 'yongzhou' };
const BRANCH: Identity = { user: 'wang.lb', agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan' };
const now = new Date('2026-10-08T02:00:00.000Z');
const voucher = (key = 'voucher.jpg'): EvidenceRecord => ({ key, sha256: 'c'.repeat(64), size: 2048, contentType: 'image/jpeg', uploadedBy: CITY_GROUP, verifiedAt: '2026-10-08T01:00:00.000Z' });
const deposit = (over: Partial<DepositInput> = {}): DepositInput => ({ projectId: 'P1', depositId: 'D1', fund: 'compensation', amountFen: 100_000_000, voucherNumber: 'ICBC-20261008-0001', valueDate: '2026-10-08', voucher: voucher(), ...over });
const refused = (code: string, category = 'rule', text?: string) => expect.objectContaining({ code, category, ...(text ? { message: expect.stringContaining(text) } : {}) });
const payment = (paymentId: string, amountFen: number, fund: FundKind = 'compensation') => ({ paymentId, projectId: 'P1', fund, amountFen });
const compensation = (availableFen: number, confirmedFen = availableFen): FundBalance => ({ fund: 'compensation', confirmedFen, availableFen });

/** 1,000,000.00 元 deposited by the city investment group and confirmed by finance. */
function funded(amountFen = 100_000_000): { deposit: Deposit; balance: FundBalance } {
  const recorded = recordDeposit(deposit({ amountFen }), undefined, undefined, CITY_GROUP, now);
  const confirmed = confirmDeposit(recorded.deposit, 'D1', FINANCE, now);
  return { deposit: confirmed.deposit!, balance: applyMovements(emptyFund('compensation'), [recorded, confirmed]) };
}

describe('deposits', () => {
  it('count only once finance confirms them', () => {
    const recorded = recordDeposit(deposit(), undefined, undefined, CITY_GROUP, now);
    expect(recorded.entry).toMatchObject({ entryId: '2026-10-08T02:00:00.000Z#deposit-recorded#D1', kind: 'deposit-recorded', amountFen: 100_000_000, voucherNumber: 'ICBC-20261008-0001', fund: 'compensation', by: CITY_GROUP });
    expect(recorded.deposit).toMatchObject({ status: 'recorded' });
    expect(applyMovements(emptyFund('compensation'), [recorded])).toEqual(emptyFund('compensation'));
    const confirmed = confirmDeposit(recorded.deposit, 'D1', FINANCE, now);
    expect(confirmed.entry).toMatchObject({ kind: 'deposit-confirmed', depositId: 'D1', amountFen: 100_000_000, by: FINANCE });
    expect(confirmed.deposit).toMatchObject({ status: 'confirmed', confirmedBy: confirmed.entry.entryId });
    expect(applyMovements(emptyFund('compensation'), [recorded, confirmed])).toEqual(compensation(100_000_000));
    expect(confirmed.needsFen).toBeUndefined();
  });

  it('only the investment groups deposit compensation funds; only finance records the social-security subsidy', () => {
    expect(() => recordDeposit(deposit(), undefined, undefined, FINANCE, now)).toThrow(refused('ledger.depositor', 'forbidden', '城投'));
    expect(() => recordDeposit(deposit({ fund: 'social-security-subsidy' }), undefined, undefined, CITY_GROUP, now)).toThrow(refused('ledger.depositor', 'forbidden', '财政局'));
    expect(recordDeposit(deposit({ fund: 'social-security-subsidy' }), undefined, undefined, FINANCE, now).fund).toBe('social-security-subsidy');
  });

  it('refuses a zero, negative or fractional amount, a missing voucher number, a bad value date, no voucher scan', () => {
    for (const amountFen of [0, -1, 12.5]) expect(() => recordDeposit(deposit({ amountFen }), undefined, undefined, CITY_GROUP, now)).toThrow(refused('ledger.amount-invalid', 'validation'));
    expect(() => recordDeposit(deposit({ voucherNumber: ' ' }), undefined, undefined, CITY_GROUP, now)).toThrow(refused('ledger.voucher-number-required', 'validation'));
    expect(() => recordDeposit(deposit({ valueDate: '2026-02-30' }), undefined, undefined, CITY_GROUP, now)).toThrow(refused('ledger.value-date-invalid', 'validation'));
    expect(() => recordDeposit(deposit({ voucher: undefined }), undefined, undefined, CITY_GROUP, now)).toThrow(refused('ledger.voucher-evidence-required', 'rule'));
  });

  it('refuses the same deposit id, or a bank voucher another deposit holds, unless that deposit was reversed', () => {
    const { deposit: held } = funded();
    expect(() => recordDeposit(deposit({ voucherNumber: 'other' }), held, undefined, CITY_GROUP, now)).toThrow(refused('ledger.deposit-duplicate', 'conflict'));
    expect(() => recordDeposit(deposit({ depositId: 'D2' }), undefined, held, CITY_GROUP, now)).toThrow(refused('ledger.voucher-duplicate', 'conflict', 'ICBC-20261008-0001'));
    expect(recordDeposit(deposit({ depositId: 'D2' }), undefined, { ...held, status: 'reversed' }, CITY_GROUP, now).entry).toMatchObject({ depositId: 'D2' });
  });

  it('confirmation: finance only, once, never one’s own, never an unknown or reversed deposit', () => {
    const recorded = recordDeposit(deposit({ fund: 'social-security-subsidy' }), undefined, undefined, FINANCE, now).deposit!;
    expect(() => confirmDeposit(recorded, 'D1', BRANCH, now)).toThrow(refused('ledger.confirmer', 'forbidden'));
    expect(() => confirmDeposit(recorded, 'D1', FINANCE, now)).toThrow(refused('ledger.confirm-own-deposit', 'forbidden'));
    expect(() => confirmDeposit(undefined, 'D9', FINANCE_2, now)).toThrow(refused('ledger.deposit-unknown', 'conflict'));
    const confirmed = confirmDeposit(recorded, 'D1', FINANCE_2, now);
    expect(applyMovements(emptyFund('social-security-subsidy'), [confirmed]).availableFen).toBe(100_000_000);
    expect(applyMovements(emptyFund('compensation'), [confirmed]).availableFen).toBe(0);
    expect(() => confirmDeposit(confirmed.deposit, 'D1', FINANCE_2, now)).toThrow(refused('ledger.deposit-already-confirmed', 'conflict', confirmed.entry.entryId));
    expect(() => confirmDeposit({ ...recorded, status: 'reversed' }, 'D1', FINANCE_2, now)).toThrow(refused('ledger.deposit-unknown', 'conflict'));
  });
});

describe('reservations', () => {
  it('1,000,000.00 元 confirmed; 308,830.79 元 reserved leaves 691,169.21 元; 700,000.00 元 more is refused, short 8,830.79 元', () => {
    const { balance } = funded();
    const first = reserve(balance, payment('A1:household:1', 30_883_079), FINANCE, now);
    expect(first).toMatchObject({ entry: { kind: 'reservation', paymentId: 'A1:household:1', amountFen: 30_883_079 }, availableFen: -30_883_079, confirmedFen: 0, needsFen: 30_883_079 });
    const after = applyMovements(balance, [first]);
    expect(after).toEqual(compensation(69_116_921, 100_000_000));
    let error: unknown;
    try {
      reserve(after, payment('A2:household:1', 70_000_000), FINANCE, now);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'ledger.insufficient-funds', category: 'rule', details: { fund: 'compensation', balanceFen: 69_116_921, amountFen: 70_000_000, shortfallFen: 883_079 } });
    expect((error as Error).message).toContain('可用余额691,169.21元，不足以支付本笔700,000.00元，尚差8,830.79元');
    // Exactly the balance is allowed: the account may be emptied, not overdrawn.
    expect(applyMovements(after, [reserve(after, payment('A2:household:1', 69_116_921), FINANCE, now)]).availableFen).toBe(0);
  });

  it('draws on its own fund only: the social-security subsidy does not cover compensation', () => {
    expect(() => reserve(emptyFund('social-security-subsidy'), payment('A1:social-security-fund:1', 1, 'social-security-subsidy'), FINANCE, now)).toThrow(refused('ledger.insufficient-funds', 'rule', '社会保障补贴资金'));
    expect(() => reserve(funded().balance, payment('A1:social-security-fund:1', 1, 'social-security-subsidy'), FINANCE, now)).toThrow(refused('ledger.other-fund', 'validation'));
  });

  it('only finance reserves or reverses: nobody else moves money', () => {
    expect(() => reserve(funded().balance, payment('A', 1), BRANCH, now)).toThrow(refused('ledger.disburser', 'forbidden'));
    expect(() => reserve(funded().balance, payment('A', 1), CITY_GROUP, now)).toThrow(refused('ledger.disburser', 'forbidden'));
    const { deposit: d, balance } = funded();
    expect(() => reverseDeposit(d, balance, 'deposit', '录错', CITY_GROUP, now)).toThrow(refused('ledger.reverser', 'forbidden'));
  });

  it('release frees the amount; settlement keeps it counted and touches no figure', () => {
    let { balance } = funded();
    const a = payment('A1:collective:1', 40_000_000);
    const b = payment('A1:household:1', 10_000_000);
    balance = applyMovements(balance, [reserve(balance, a, FINANCE, now)]);
    balance = applyMovements(balance, [reserve(balance, b, FINANCE, now)]);
    const released = release(a, '银行退回：户名不符', FINANCE, now);
    expect(released).toMatchObject({ entry: { kind: 'reservation-released', amountFen: 40_000_000, reason: '银行退回：户名不符' }, availableFen: 40_000_000 });
    expect(released.needsFen).toBeUndefined();
    balance = applyMovements(balance, [released]);
    expect(balance.availableFen).toBe(90_000_000);
    const settled = settle(b, 'BANK-778', FINANCE, now);
    expect(settled).toMatchObject({ entry: { kind: 'payment-settled', bankReference: 'BANK-778', amountFen: 10_000_000 }, availableFen: 0, confirmedFen: 0 });
    expect(applyMovements(balance, [settled])).toEqual(balance);
  });

  it('release needs a reason, settlement a bank reference', () => {
    expect(() => release(payment('P', 5), ' ', FINANCE, now)).toThrow(refused('ledger.reason-required', 'validation'));
    expect(() => settle(payment('P', 5), '', FINANCE, now)).toThrow(refused('ledger.bank-reference-required', 'validation'));
  });

  it('entries of one instant stay apart: each is keyed by its kind and subject', () => {
    const { balance } = funded();
    const ids = [reserve(balance, payment('A', 1), FINANCE, now), reserve(balance, payment('B', 1), FINANCE, now), settle(payment('A', 1), 'X', FINANCE, now)].map((m) => m.entry.entryId);
    expect(new Set(ids).size).toBe(3);
  });
});

describe('reversals', () => {
  it('a confirmed deposit reversed no longer counts; it needs the money still available', () => {
    const { deposit: d, balance } = funded();
    const reversal = reverseDeposit(d, balance, 'deposit', '回单金额录错', FINANCE_2, now);
    expect(reversal).toMatchObject({ entry: { kind: 'reversal', reverses: d.entry.entryId, depositId: 'D1', reason: '回单金额录错' }, availableFen: -100_000_000, confirmedFen: -100_000_000, needsFen: 100_000_000, deposit: { status: 'reversed' } });
    expect(applyMovements(balance, [reversal])).toEqual(compensation(0));
    expect(() => reverseDeposit(reversal.deposit, balance, 'deposit', 'again', FINANCE_2, now)).toThrow(refused('ledger.already-reversed', 'conflict'));
  });

  it('an unconfirmed deposit reversed moves no figure', () => {
    const recorded = recordDeposit(deposit(), undefined, undefined, CITY_GROUP, now);
    expect(() => reverseDeposit(recorded.deposit, emptyFund('compensation'), 'confirmation', '未到账', FINANCE, now)).toThrow(refused('ledger.deposit-not-confirmed', 'conflict'));
    const reversal = reverseDeposit(recorded.deposit, emptyFund('compensation'), 'deposit', '重复登记', FINANCE, now);
    expect(reversal).toMatchObject({ availableFen: 0, confirmedFen: 0, deposit: { status: 'reversed' } });
    expect(reversal.needsFen).toBeUndefined();
  });

  it('a confirmation reversed: unconfirmed again, and may be confirmed anew', () => {
    const { deposit: d, balance } = funded();
    const reversal = reverseDeposit(d, balance, 'confirmation', '确认有误：款项未到账', FINANCE_2, now);
    expect(reversal.entry).toMatchObject({ kind: 'reversal', reverses: d.confirmedBy });
    expect(reversal.deposit).toMatchObject({ status: 'recorded' });
    expect(applyMovements(balance, [reversal]).availableFen).toBe(0);
    const again = confirmDeposit(reversal.deposit, 'D1', FINANCE_2, new Date(now.getTime() + 60_000));
    expect(applyMovements(balance, [reversal, again]).availableFen).toBe(100_000_000);
    expect(applyMovements(balance, [reversal, again, reverseDeposit(again.deposit, balance, 'confirmation', '再次冲销', FINANCE_2, new Date(now.getTime() + 120_000))]).availableFen).toBe(0);
  });

  it('refuses to take back money already reserved, naming the balance it would leave', () => {
    const { deposit: d, balance } = funded();
    const reserved = applyMovements(balance, [reserve(balance, payment('A1:household:1', 30_883_079), FINANCE, now)]);
    expect(() => reverseDeposit(d, reserved, 'deposit', '退票', FINANCE_2, now)).toThrow(refused('ledger.reversal-overdrawn', 'rule', '-308,830.79元'));
  });

  it('refuses an unknown deposit, or no reason', () => {
    const { deposit: d, balance } = funded();
    expect(() => reverseDeposit(undefined, balance, 'deposit', '?', FINANCE, now)).toThrow(refused('ledger.deposit-unknown', 'conflict'));
    expect(() => reverseDeposit(d, balance, 'deposit', ' ', FINANCE, now)).toThrow(refused('ledger.reason-required', 'validation'));
  });
});

type Command =
  | { op: 'deposit'; fund: FundKind; amountFen: number }
  | { op: 'confirm'; pick: number }
  | { op: 'reserve'; fund: FundKind; amountFen: number }
  | { op: 'release' | 'settle'; pick: number }
  | { op: 'reverse'; pick: number; confirmation: boolean };

describe('property: any sequence of ledger movements, applied as the repository applies them', () => {
  const fund = fc.constantFrom<FundKind>('compensation', 'social-security-subsidy');
  const command: fc.Arbitrary<Command> = fc.oneof(
    fc.record({ op: fc.constant('deposit' as const), fund, amountFen: fc.integer({ min: 1, max: 50_000_000 }) }),
    fc.record({ op: fc.constant('confirm' as const), pick: fc.nat() }),
    fc.record({ op: fc.constant('reserve' as const), fund, amountFen: fc.integer({ min: 1, max: 30_000_000 }) }),
    fc.record({ op: fc.constantFrom('release' as const, 'settle' as const), pick: fc.nat() }),
    fc.record({ op: fc.constant('reverse' as const), pick: fc.nat(), confirmation: fc.boolean() }),
  );

  it('never leaves a fund negative, refuses a reservation exactly when it exceeds the balance, and the running figures equal the recomputation from the entries', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 60 }), (commands) => {
        // What the repository keeps: the figures, the deposits, the open reservations (on the payments), the entries.
        const funds = new Map<FundKind, FundBalance>([
          ['compensation', emptyFund('compensation')],
          ['social-security-subsidy', emptyFund('social-security-subsidy')],
        ]);
        const deposits = new Map<string, Deposit>();
        const open = new Map<string, ReturnType<typeof payment>>();
        const entries: LedgerEntry[] = [];
        const apply = (m: LedgerMovement) => {
          const before = funds.get(m.fund)!;
          // The conditional update: refused (nothing written) when the fund does not hold what is needed.
          if (m.needsFen !== undefined && before.availableFen < m.needsFen) throw new Error('the domain let through a movement the fund cannot cover');
          funds.set(m.fund, applyMovements(before, [m]));
          if (m.deposit) deposits.set(m.deposit.entry.depositId, m.deposit);
          entries.push(m.entry);
        };
        commands.forEach((c, i) => {
          const at = new Date(now.getTime() + i);
          const pickOf = <T>(items: T[], pick: number) => items[pick % Math.max(1, items.length)];
          try {
            if (c.op === 'deposit') {
              const actor = c.fund === 'compensation' ? CITY_GROUP : FINANCE;
              apply(recordDeposit({ projectId: 'P1', depositId: `D${i}`, fund: c.fund, amountFen: c.amountFen, voucherNumber: `V${i}`, valueDate: '2026-10-08', voucher: voucher() }, undefined, undefined, actor, at));
            } else if (c.op === 'confirm') {
              const d = pickOf([...deposits.values()], c.pick);
              if (d) apply(confirmDeposit(d, d.entry.depositId, FINANCE_2, at));
            } else if (c.op === 'reserve') {
              const before = funds.get(c.fund)!.availableFen;
              const p = payment(`X${i}`, c.amountFen, c.fund);
              try {
                apply(reserve(funds.get(c.fund)!, p, FINANCE, at));
              } catch (e) {
                expect((e as DomainError).code).toBe('ledger.insufficient-funds');
                expect(c.amountFen).toBeGreaterThan(before);
                throw e;
              }
              expect(c.amountFen).toBeLessThanOrEqual(before);
              open.set(p.paymentId, p);
            } else if (c.op === 'release' || c.op === 'settle') {
              // The payment's record leaves the reserved state once: here, by leaving `open`.
              const p = pickOf([...open.values()], c.pick);
              if (p) {
                apply(c.op === 'release' ? release(p, '银行退回', FINANCE, at) : settle(p, `B${i}`, FINANCE, at));
                open.delete(p.paymentId);
              }
            } else {
              const d = pickOf([...deposits.values()], c.pick);
              if (d && c.op === 'reverse') apply(reverseDeposit(d, funds.get(d.entry.fund)!, c.confirmation ? 'confirmation' : 'deposit', '冲销', FINANCE, at));
            }
          } catch (e) {
            // A refusal is a domain answer and writes nothing; anything else is a bug.
            if (!(e instanceof DomainError)) throw e;
          }
          for (const f of ['compensation', 'social-security-subsidy'] as const) {
            expect(funds.get(f)!.availableFen).toBeGreaterThanOrEqual(0);
            expect(funds.get(f)!.availableFen).toBe(availableFromEntries(entries, f));
            expect(funds.get(f)!.confirmedFen).toBe(confirmedFromEntries(entries, f));
          }
          expect(new Set(entries.map((e) => e.entryId)).size).toBe(entries.length);
        });
      }),
      { numRuns: 300 },
    );
  });
});
