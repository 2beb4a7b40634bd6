import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../shared/errors.ts';
import type { EvidenceRecord } from '../../../shared/evidence/evidence.ts';
import type { Identity } from '../../../shared/identity.ts';
import { balanceOf, confirmDeposit, nextSeq, recordDeposit, release, reserve, reverse, settle, unconfirmedDeposits, type DepositInput, type FundKind, type LedgerEntry } from './ledger.ts';

const CITY_GROUP: Identity = { user: 'liu.ig', agency: 'investment-group', jurisdiction: 'yongzhou' };
const FINANCE: Identity = { user: 'qian.fin', agency: 'finance', jurisdiction: 'yongzhou' };
const FINANCE_2: Identity = { user: 'sun.fin', agency: 'finance', jurisdiction: 'yongzhou' };
const BRANCH: Identity = { user: 'wang.lb', agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan' };
const now = new Date('2026-10-08T02:00:00.000Z');
const voucher = (key = 'voucher.jpg'): EvidenceRecord => ({ key, sha256: 'c'.repeat(64), size: 2048, contentType: 'image/jpeg', uploadedBy: CITY_GROUP, verifiedAt: '2026-10-08T01:00:00.000Z' });
const deposit = (over: Partial<DepositInput> = {}): DepositInput => ({ projectId: 'P1', depositId: 'D1', fund: 'compensation', amountFen: 100_000_000, voucherNumber: 'ICBC-20261008-0001', valueDate: '2026-10-08', voucher: voucher(), ...over });
const refused = (code: string, category = 'rule', text?: string) => expect.objectContaining({ code, category, ...(text ? { message: expect.stringContaining(text) } : {}) });

/** Appends what a ledger function returns, as the repository would. */
function append(entries: LedgerEntry[], entry: LedgerEntry): LedgerEntry[] {
  expect(entry.seq).toBe(nextSeq(entries));
  return [...entries, entry];
}

/** 1,000,000.00 元 deposited by the city investment group and confirmed by finance. */
function funded(amountFen = 100_000_000): LedgerEntry[] {
  let entries = append([], recordDeposit([], deposit({ amountFen }), CITY_GROUP, now));
  entries = append(entries, confirmDeposit(entries, 'D1', FINANCE, now));
  return entries;
}
const payment = (paymentId: string, amountFen: number, fund: FundKind = 'compensation') => ({ paymentId, projectId: 'P1', fund, amountFen });

describe('deposits', () => {
  it('count only once finance confirms them', () => {
    const recorded = append([], recordDeposit([], deposit(), CITY_GROUP, now));
    expect(recorded[0]).toMatchObject({ seq: 1, kind: 'deposit-recorded', amountFen: 100_000_000, voucherNumber: 'ICBC-20261008-0001', valueDate: '2026-10-08', fund: 'compensation', by: CITY_GROUP });
    expect(balanceOf(recorded)).toBe(0);
    expect(unconfirmedDeposits(recorded).map((d) => d.depositId)).toEqual(['D1']);
    const confirmed = append(recorded, confirmDeposit(recorded, 'D1', FINANCE, now));
    expect(confirmed[1]).toMatchObject({ seq: 2, kind: 'deposit-confirmed', depositId: 'D1', by: FINANCE });
    expect(balanceOf(confirmed)).toBe(100_000_000);
    expect(unconfirmedDeposits(confirmed)).toEqual([]);
  });

  it('only the investment groups deposit compensation funds; only finance records the social-security subsidy', () => {
    expect(() => recordDeposit([], deposit(), FINANCE, now)).toThrow(refused('ledger.depositor', 'forbidden', '城投'));
    expect(() => recordDeposit([], deposit({ fund: 'social-security-subsidy' }), CITY_GROUP, now)).toThrow(refused('ledger.depositor', 'forbidden', '财政局'));
    expect(recordDeposit([], deposit({ fund: 'social-security-subsidy' }), FINANCE, now).fund).toBe('social-security-subsidy');
  });

  it('refuses a zero, negative or fractional amount, a missing voucher number, a bad value date, no voucher scan', () => {
    for (const amountFen of [0, -1, 12.5]) expect(() => recordDeposit([], deposit({ amountFen }), CITY_GROUP, now)).toThrow(refused('ledger.amount-invalid', 'validation'));
    expect(() => recordDeposit([], deposit({ voucherNumber: ' ' }), CITY_GROUP, now)).toThrow(refused('ledger.voucher-number-required', 'validation'));
    expect(() => recordDeposit([], deposit({ valueDate: '2026-02-30' }), CITY_GROUP, now)).toThrow(refused('ledger.value-date-invalid', 'validation'));
    expect(() => recordDeposit([], deposit({ voucher: undefined }), CITY_GROUP, now)).toThrow(refused('ledger.voucher-evidence-required', 'rule'));
  });

  it('refuses the same deposit id or the same bank voucher twice', () => {
    const entries = funded();
    expect(() => recordDeposit(entries, deposit({ voucherNumber: 'other' }), CITY_GROUP, now)).toThrow(refused('ledger.deposit-duplicate', 'conflict'));
    expect(() => recordDeposit(entries, deposit({ depositId: 'D2' }), CITY_GROUP, now)).toThrow(refused('ledger.voucher-duplicate', 'conflict', 'ICBC-20261008-0001'));
  });

  it('refuses an entry of another project', () => {
    expect(() => recordDeposit(funded(), deposit({ projectId: 'P2', depositId: 'D2', voucherNumber: 'x' }), CITY_GROUP, now)).toThrow(refused('ledger.other-project', 'validation'));
  });

  it('confirmation: finance only, once, never one’s own, never an unknown or reversed deposit', () => {
    const recorded = [recordDeposit([], deposit({ fund: 'social-security-subsidy' }), FINANCE, now)];
    expect(() => confirmDeposit(recorded, 'D1', BRANCH, now)).toThrow(refused('ledger.confirmer', 'forbidden'));
    expect(() => confirmDeposit(recorded, 'D1', FINANCE, now)).toThrow(refused('ledger.confirm-own-deposit', 'forbidden'));
    expect(() => confirmDeposit(recorded, 'D9', FINANCE_2, now)).toThrow(refused('ledger.deposit-unknown', 'conflict'));
    const confirmed = append(recorded, confirmDeposit(recorded, 'D1', FINANCE_2, now));
    expect(balanceOf(confirmed, 'social-security-subsidy')).toBe(100_000_000);
    expect(balanceOf(confirmed, 'compensation')).toBe(0);
    expect(() => confirmDeposit(confirmed, 'D1', FINANCE_2, now)).toThrow(refused('ledger.deposit-already-confirmed', 'conflict', '第2笔'));
    const voided = append(recorded, reverse(recorded, 1, '回单号录错', FINANCE_2, now));
    expect(() => confirmDeposit(voided, 'D1', FINANCE_2, now)).toThrow(refused('ledger.deposit-unknown', 'conflict'));
  });
});

describe('reservations', () => {
  it('1,000,000.00 元 confirmed; 308,830.79 元 reserved leaves 691,169.21 元; 700,000.00 元 more is refused, short 8,830.79 元', () => {
    const entries = append(funded(), reserve(funded(), payment('A1:household:1', 30_883_079), FINANCE, now));
    expect(entries[2]).toMatchObject({ seq: 3, kind: 'reservation', paymentId: 'A1:household:1', amountFen: 30_883_079 });
    expect(balanceOf(entries)).toBe(69_116_921);
    let error: unknown;
    try {
      reserve(entries, payment('A2:household:1', 70_000_000), FINANCE, now);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'ledger.insufficient-funds', category: 'rule', details: { fund: 'compensation', balanceFen: 69_116_921, amountFen: 70_000_000, shortfallFen: 883_079 } });
    expect((error as Error).message).toContain('可用余额691,169.21元，不足以支付本笔700,000.00元，尚差8,830.79元');
    // Exactly the balance is allowed: the account may be emptied, not overdrawn.
    const emptied = append(entries, reserve(entries, payment('A2:household:1', 69_116_921), FINANCE, now));
    expect(balanceOf(emptied)).toBe(0);
  });

  it('draws on its own fund only: the social-security subsidy does not cover compensation', () => {
    expect(() => reserve(funded(), payment('A1:social-security-fund:1', 1, 'social-security-subsidy'), FINANCE, now)).toThrow(refused('ledger.insufficient-funds', 'rule', '社会保障补贴资金'));
  });

  it('only finance reserves or reverses: nobody else moves money', () => {
    expect(() => reserve(funded(), payment('A', 1), BRANCH, now)).toThrow(refused('ledger.disburser', 'forbidden'));
    expect(() => reserve(funded(), payment('A', 1), CITY_GROUP, now)).toThrow(refused('ledger.disburser', 'forbidden'));
    expect(() => reverse(funded(), 1, '录错', CITY_GROUP, now)).toThrow(refused('ledger.reverser', 'forbidden'));
  });

  it('a payment reserves once, ever', () => {
    const entries = append(funded(), reserve(funded(), payment('A1:collective:1', 1_000), FINANCE, now));
    expect(() => reserve(entries, payment('A1:collective:1', 1_000), FINANCE, now)).toThrow(refused('ledger.already-reserved', 'conflict'));
    const released = append(entries, release(entries, 'A1:collective:1', '银行退回：账户已销户', FINANCE, now));
    expect(() => reserve(released, payment('A1:collective:1', 1_000), FINANCE, now)).toThrow(refused('ledger.already-reserved', 'conflict'));
  });

  it('release frees the amount; settlement keeps it counted; neither twice, nor one after the other', () => {
    let entries = funded();
    entries = append(entries, reserve(entries, payment('A1:collective:1', 40_000_000), FINANCE, now));
    entries = append(entries, reserve(entries, payment('A1:household:1', 10_000_000), FINANCE, now));
    entries = append(entries, release(entries, 'A1:collective:1', '银行退回：户名不符', FINANCE, now));
    expect(balanceOf(entries)).toBe(90_000_000);
    entries = append(entries, settle(entries, 'A1:household:1', 'BANK-778', FINANCE, now));
    expect(balanceOf(entries)).toBe(90_000_000);
    expect(() => release(entries, 'A1:collective:1', 'again', FINANCE, now)).toThrow(refused('ledger.already-released', 'conflict'));
    expect(() => settle(entries, 'A1:collective:1', 'BANK-1', FINANCE, now)).toThrow(refused('ledger.already-released', 'conflict'));
    expect(() => settle(entries, 'A1:household:1', 'BANK-2', FINANCE, now)).toThrow(refused('ledger.already-settled', 'conflict'));
    expect(() => release(entries, 'A1:household:1', '撤回', FINANCE, now)).toThrow(refused('ledger.already-settled', 'conflict', '退汇'));
    expect(() => release(entries, 'A9:household:1', '撤回', FINANCE, now)).toThrow(refused('ledger.reservation-unknown', 'conflict'));
    expect(() => settle(funded(), 'A9:household:1', 'B', FINANCE, now)).toThrow(refused('ledger.reservation-unknown', 'conflict'));
  });

  it('release needs a reason, settlement a bank reference', () => {
    const entries = append(funded(), reserve(funded(), payment('P', 5), FINANCE, now));
    expect(() => release(entries, 'P', ' ', FINANCE, now)).toThrow(refused('ledger.reason-required', 'validation'));
    expect(() => settle(entries, 'P', '', FINANCE, now)).toThrow(refused('ledger.bank-reference-required', 'validation'));
  });
});

describe('reversals', () => {
  it('a confirmed deposit reversed no longer counts; the entry stays', () => {
    const entries = append(funded(), reverse(funded(), 1, '回单金额录错', FINANCE_2, now));
    expect(entries).toHaveLength(3);
    expect(entries[2]).toMatchObject({ kind: 'reversal', reverses: 1, reason: '回单金额录错' });
    expect(balanceOf(entries)).toBe(0);
  });

  it('a confirmation reversed: unconfirmed again, and may be confirmed anew', () => {
    let entries = append(funded(), reverse(funded(), 2, '确认有误：款项未到账', FINANCE_2, now));
    expect(balanceOf(entries)).toBe(0);
    entries = append(entries, confirmDeposit(entries, 'D1', FINANCE_2, now));
    expect(balanceOf(entries)).toBe(100_000_000);
    expect(() => reverse(entries, 2, 'again', FINANCE_2, now)).toThrow(refused('ledger.already-reversed', 'conflict'));
  });

  it('refuses to take back money already reserved, naming the balance it would leave', () => {
    const entries = append(funded(), reserve(funded(), payment('A1:household:1', 30_883_079), FINANCE, now));
    expect(() => reverse(entries, 1, '退票', FINANCE_2, now)).toThrow(refused('ledger.reversal-overdrawn', 'rule', '-308,830.79元'));
  });

  it('a release reversed counts the reservation again; a settlement reversed (退汇) lets the payment be released', () => {
    let entries = funded();
    entries = append(entries, reserve(entries, payment('A', 60_000_000), FINANCE, now));
    entries = append(entries, release(entries, 'A', '银行退回', FINANCE, now));
    entries = append(entries, reverse(entries, 4, '银行更正：实已付讫', FINANCE, now));
    expect(balanceOf(entries)).toBe(40_000_000);
    entries = append(entries, settle(entries, 'A', 'BANK-9', FINANCE, now));
    entries = append(entries, reverse(entries, 6, '退汇', FINANCE, now));
    expect(balanceOf(entries)).toBe(40_000_000);
    entries = append(entries, release(entries, 'A', '退汇，款项退回专户', FINANCE, now));
    expect(balanceOf(entries)).toBe(100_000_000);
  });

  it('refuses a reversal of a reversal, of a reservation, of an unknown entry, without a reason', () => {
    let entries = append(funded(), reserve(funded(), payment('A', 1), FINANCE, now));
    expect(() => reverse(entries, 3, '撤回', FINANCE, now)).toThrow(refused('ledger.reverse-reservation', 'rule'));
    expect(() => reverse(entries, 9, '?', FINANCE, now)).toThrow(refused('ledger.entry-unknown', 'validation'));
    expect(() => reverse(entries, 1, ' ', FINANCE, now)).toThrow(refused('ledger.reason-required', 'validation'));
    entries = append(entries, release(entries, 'A', '撤回', FINANCE, now));
    entries = append(entries, reverse(entries, 4, '误释放', FINANCE, now));
    expect(() => reverse(entries, 5, '再冲', FINANCE, now)).toThrow(refused('ledger.reverse-reversal', 'rule'));
  });
});

describe('the entries handed in', () => {
  it('refuses a gap or a reordering (a repository that lost an entry)', () => {
    const entries = append(funded(), reserve(funded(), payment('A', 1), FINANCE, now));
    const gap = [entries[0]!, entries[2]!];
    expect(() => balanceOf(gap)).toThrow(refused('ledger.sequence-broken', 'conflict'));
    expect(() => reserve([entries[1]!, entries[0]!], payment('B', 1), FINANCE, now)).toThrow(refused('ledger.sequence-broken', 'conflict'));
  });

  it('refuses entries that cannot follow each other (a settlement of a released reservation)', () => {
    let entries = append(funded(), reserve(funded(), payment('A', 1), FINANCE, now));
    entries = append(entries, release(entries, 'A', '撤回', FINANCE, now));
    const forged: LedgerEntry = { projectId: 'P1', seq: 5, fund: 'compensation', by: FINANCE, at: now.toISOString(), kind: 'payment-settled', paymentId: 'A', bankReference: 'X' };
    expect(() => balanceOf([...entries, forged])).toThrow(refused('ledger.entry-invalid', 'conflict'));
  });
});

type Command =
  | { op: 'deposit'; fund: FundKind; amountFen: number }
  | { op: 'confirm'; pick: number }
  | { op: 'reserve'; fund: FundKind; amountFen: number }
  | { op: 'release'; pick: number }
  | { op: 'settle'; pick: number }
  | { op: 'reverse'; pick: number };

/** An independent recomputation: which entries stand after the reversals, then plain sums. */
function recompute(entries: readonly LedgerEntry[], fund: FundKind): number {
  const standing = (seq: number) => !entries.some((e) => e.kind === 'reversal' && e.reverses === seq);
  const live = entries.filter((e) => e.kind !== 'reversal' && standing(e.seq));
  const voided = new Set(entries.filter((e) => e.kind === 'deposit-recorded' && !standing(e.seq)).map((e) => (e.kind === 'deposit-recorded' ? e.depositId : '')));
  let total = 0;
  for (const e of live) {
    if (e.fund !== fund) continue;
    if (e.kind === 'deposit-confirmed' && !voided.has(e.depositId)) total += (entries.find((d) => d.kind === 'deposit-recorded' && d.depositId === e.depositId) as { amountFen: number }).amountFen;
    if (e.kind === 'reservation') total -= e.amountFen;
    if (e.kind === 'reservation-released') total += (entries.find((r) => r.kind === 'reservation' && r.paymentId === e.paymentId) as { amountFen: number }).amountFen;
  }
  return total;
}

describe('property: any sequence of ledger operations', () => {
  const fund = fc.constantFrom<FundKind>('compensation', 'social-security-subsidy');
  const command: fc.Arbitrary<Command> = fc.oneof(
    fc.record({ op: fc.constant('deposit' as const), fund, amountFen: fc.integer({ min: 1, max: 50_000_000 }) }),
    fc.record({ op: fc.constant('confirm' as const), pick: fc.nat() }),
    fc.record({ op: fc.constant('reserve' as const), fund, amountFen: fc.integer({ min: 1, max: 30_000_000 }) }),
    fc.record({ op: fc.constant('release' as const), pick: fc.nat() }),
    fc.record({ op: fc.constant('settle' as const), pick: fc.nat() }),
    fc.record({ op: fc.constant('reverse' as const), pick: fc.nat() }),
  );

  it('never leaves a fund negative, refuses a reservation exactly when it exceeds the balance, and the balance equals the recomputation', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 60 }), (commands) => {
        let entries: LedgerEntry[] = [];
        commands.forEach((c, i) => {
          const pickOf = <T>(items: T[], pick: number) => items[pick % Math.max(1, items.length)];
          const reservations = entries.flatMap((e) => (e.kind === 'reservation' ? [e.paymentId] : []));
          const deposits = entries.flatMap((e) => (e.kind === 'deposit-recorded' ? [e] : []));
          try {
            let entry: LedgerEntry | undefined;
            if (c.op === 'deposit') {
              const actor = c.fund === 'compensation' ? CITY_GROUP : FINANCE;
              entry = recordDeposit(entries, { projectId: 'P1', depositId: `D${i}`, fund: c.fund, amountFen: c.amountFen, voucherNumber: `V${i}`, valueDate: '2026-10-08', voucher: voucher() }, actor, now);
            } else if (c.op === 'confirm') {
              const d = pickOf(deposits, c.pick);
              if (d) entry = confirmDeposit(entries, d.depositId, FINANCE_2, now);
            } else if (c.op === 'reserve') {
              const before = balanceOf(entries, c.fund);
              try {
                entry = reserve(entries, payment(`X${i}`, c.amountFen, c.fund), FINANCE, now);
              } catch (e) {
                expect((e as DomainError).code).toBe('ledger.insufficient-funds');
                expect(c.amountFen).toBeGreaterThan(before);
                throw e;
              }
              expect(c.amountFen).toBeLessThanOrEqual(before);
            } else if (c.op === 'release' || c.op === 'settle') {
              const p = pickOf(reservations, c.pick);
              if (p) entry = c.op === 'release' ? release(entries, p, '银行退回', FINANCE, now) : settle(entries, p, `B${i}`, FINANCE, now);
            } else {
              if (entries.length > 0) entry = reverse(entries, (c.pick % entries.length) + 1, '冲销', FINANCE, now);
            }
            if (entry) entries = [...entries, entry];
          } catch (e) {
            // A refusal is a domain answer and writes nothing; anything else is a bug.
            if (!(e instanceof DomainError)) throw e;
          }
          for (const f of ['compensation', 'social-security-subsidy'] as const) {
            expect(balanceOf(entries, f)).toBeGreaterThanOrEqual(0);
            expect(balanceOf(entries, f)).toBe(recompute(entries, f));
          }
          expect(entries.map((e) => e.seq)).toEqual(entries.map((_, k) => k + 1));
        });
      }),
      { numRuns: 300 },
    );
  });
});
