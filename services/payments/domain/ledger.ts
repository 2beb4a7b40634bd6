import { parseDay } from '../../../shared/calendar/index.ts';
import type { AgencyId } from '../../../shared/agencies.ts';
import { ConflictError, ForbiddenError, RuleViolationError, ValidationError } from '../../../shared/errors.ts';
import type { EvidenceRecord } from '../../../shared/evidence/evidence.ts';
import type { Identity } from '../../../shared/identity.ts';
import { formatYuan, type Fen } from '../../../shared/money.ts';

/**
 * The project's dedicated expropriation account (征地拆迁专户, seed §三(八)(十五)) as an append-only
 * ledger. Entries are never edited: a mistake is undone by a reversal, itself a new entry.
 *
 * Balance (per fund) = confirmed deposits − reservations not released. A settled payment stays
 * counted: its money has left the account.
 *
 * Two funds are kept apart: `compensation` (the investment groups' deposits, §三(十五)) and
 * `social-security-subsidy` (recorded by finance, §三(八)); a payment draws on one of them only.
 *
 * **Refuse, not queue.** A reservation the fund cannot cover is refused ('ledger.insufficient-funds')
 * and nothing is written; the payment instruction does not come into being. Reasons: (1) the rule is
 * that no payout is made from money that is not there (2021 Regulations art. 32), and a refusal
 * keeps "instructed" meaning "covered"; (2) a queue would need its own order and fairness, a re-check
 * on every confirmed deposit, and would let a payment sit half-alive while the 3-month clock runs —
 * a refusal is visible at once to the branch, and the use case sends the alert to finance and the
 * investment groups and keeps the refusal as the record that the funds were not there (it counts
 * against finance on the payment clock, payment-clock.ts); (3) retrying after a deposit is
 * confirmed is the same idempotent instruction, so nothing is lost by refusing.
 *
 * Who: investment groups (compensation) and finance (the subsidy) record deposits; finance confirms,
 * reserves and reverses. Release and settlement follow the bank's answer and are recorded under
 * whatever identity the bank callback or finance's use case acts with.
 *
 * Concurrency: each entry carries `seq`, 1, 2, 3, … without gaps. Every function here computes
 * the next entry from the entries it was given, so a repository appends it with the condition
 * "no entry `seq` exists yet" (in the same transaction as the payment for a reservation); a
 * concurrent writer loses the condition and re-reads. The balance check and the append are then one
 * atomic step.
 *
 * Reversals: every reversal must leave the fund's balance non-negative (so money already reserved
 * is never taken back from under a payment: the investment group deposits the replacement first,
 * then the wrong deposit is reversed). Reversible are a deposit (voids it and its confirmation),
 * a confirmation (the deposit is unconfirmed again and may be confirmed anew), a release (the
 * reservation counts again) and a settlement (the bank returned the payment, 退汇: the reservation
 * stands until released or settled again). A reservation is undone by release, not by reversal; a
 * reversal is not itself reversed (enter the original again instead).
 */

export type FundKind = 'compensation' | 'social-security-subsidy';

/** Who may record a deposit into which fund: the investment groups deposit, finance the subsidy. */
export const DEPOSITOR: Readonly<Record<FundKind, AgencyId>> = {
  compensation: 'investment-group',
  'social-security-subsidy': 'finance',
};

interface EntryBase {
  projectId: string;
  /** 1, 2, 3, … in append order, without gaps. */
  seq: number;
  fund: FundKind;
  by: Identity;
  at: string;
}

export interface DepositRecorded extends EntryBase {
  kind: 'deposit-recorded';
  depositId: string;
  amountFen: Fen;
  /** The bank voucher's number (银行回单号). */
  voucherNumber: string;
  /** The bank's value date, Beijing: YYYY-MM-DD. */
  valueDate: string;
  /** The voucher scan, verified in the evidence bucket. */
  voucher: EvidenceRecord;
}

export interface DepositConfirmed extends EntryBase {
  kind: 'deposit-confirmed';
  depositId: string;
}

export interface Reservation extends EntryBase {
  kind: 'reservation';
  /** The payment's id (its idempotency key). */
  paymentId: string;
  amountFen: Fen;
}

export interface ReservationReleased extends EntryBase {
  kind: 'reservation-released';
  paymentId: string;
  reason: string;
}

export interface PaymentSettled extends EntryBase {
  kind: 'payment-settled';
  paymentId: string;
  bankReference: string;
}

export interface Reversal extends EntryBase {
  kind: 'reversal';
  /** The `seq` of the entry reversed. */
  reverses: number;
  reason: string;
}

export type LedgerEntry = DepositRecorded | DepositConfirmed | Reservation | ReservationReleased | PaymentSettled | Reversal;

/** The fund a payment draws on and what it reserves. */
export interface PaymentToReserve {
  paymentId: string;
  projectId: string;
  fund: FundKind;
  amountFen: Fen;
}

export const FUND_NAME: Readonly<Record<FundKind, string>> = {
  compensation: '征地补偿资金',
  'social-security-subsidy': '被征地农民社会保障补贴资金',
};

/** The fund's balance: confirmed deposits − reservations not released. */
export function balanceOf(entries: readonly LedgerEntry[], fund: FundKind = 'compensation'): Fen {
  const state = replay(entries);
  let balance = 0;
  for (const deposit of state.deposits.values()) {
    if (deposit.entry.fund === fund && deposit.confirmedBy !== undefined && !deposit.reversed) balance += deposit.entry.amountFen;
  }
  for (const reservation of state.reservations.values()) {
    if (reservation.entry.fund === fund && reservation.releasedBy === undefined) balance -= reservation.entry.amountFen;
  }
  return balance;
}

/** Deposits recorded and not yet confirmed (nor reversed), for finance's inbox. */
export function unconfirmedDeposits(entries: readonly LedgerEntry[]): DepositRecorded[] {
  return [...replay(entries).deposits.values()].filter((d) => d.confirmedBy === undefined && !d.reversed).map((d) => d.entry);
}

export interface DepositInput {
  projectId: string;
  depositId: string;
  fund: FundKind;
  amountFen: Fen;
  voucherNumber: string;
  valueDate: string;
  voucher: EvidenceRecord | undefined;
}

/** An investment group records its deposit (finance, the social-security subsidy); it counts once confirmed. */
export function recordDeposit(entries: readonly LedgerEntry[], input: DepositInput, actor: Identity, now: Date): DepositRecorded {
  const state = replay(entries, input.projectId);
  const depositor = DEPOSITOR[input.fund];
  if (actor.agency !== depositor) {
    throw new ForbiddenError('ledger.depositor', input.fund === 'compensation' ? '征地补偿资金由市城投集团、市经投集团缴存专户（方案§三(十五)）' : '被征地农民社会保障补贴资金由市财政局落实并登记（方案§三(八)）');
  }
  checkAmount(input.amountFen, '存入金额');
  if (!input.voucherNumber.trim()) throw new ValidationError('ledger.voucher-number-required', '须填写银行回单号');
  if (parseDay(input.valueDate) === undefined) throw new ValidationError('ledger.value-date-invalid', `到账日期“${input.valueDate}”不是有效日期（YYYY-MM-DD）`);
  if (!input.voucher?.sha256) throw new RuleViolationError('ledger.voucher-evidence-required', '须上传银行回单扫描件作为存入凭证');
  if (state.deposits.has(input.depositId)) throw new ConflictError('ledger.deposit-duplicate', `存入记录“${input.depositId}”已存在`);
  const voucherNumber = input.voucherNumber.trim();
  const sameVoucher = [...state.deposits.values()].find((d) => !d.reversed && d.entry.voucherNumber === voucherNumber);
  if (sameVoucher) throw new ConflictError('ledger.voucher-duplicate', `银行回单${voucherNumber}已登记（存入记录“${sameVoucher.entry.depositId}”），同一笔资金不能登记两次`);
  return { ...base(state, input.projectId, input.fund, actor, now), kind: 'deposit-recorded', depositId: input.depositId, amountFen: input.amountFen, voucherNumber, valueDate: input.valueDate, voucher: input.voucher };
}

/** Finance confirms a deposit reached the account (§三(八)): once, and never one it recorded itself. */
export function confirmDeposit(entries: readonly LedgerEntry[], depositId: string, actor: Identity, now: Date): DepositConfirmed {
  const state = replay(entries);
  if (actor.agency !== 'finance') throw new ForbiddenError('ledger.confirmer', '专户资金到账由市财政局确认（方案§三(八)）');
  const deposit = state.deposits.get(depositId);
  if (!deposit || deposit.reversed) throw new ConflictError('ledger.deposit-unknown', `存入记录“${depositId}”不存在或已冲销`);
  if (deposit.confirmedBy !== undefined) throw new ConflictError('ledger.deposit-already-confirmed', `存入记录“${depositId}”已于第${deposit.confirmedBy}笔分录确认到账`);
  if (deposit.entry.by.user === actor.user) throw new ForbiddenError('ledger.confirm-own-deposit', '登记存入的人员不能确认自己登记的存入');
  return { ...base(state, deposit.entry.projectId, deposit.entry.fund, actor, now), kind: 'deposit-confirmed', depositId };
}

/**
 * Reserves a payment's amount: refused, writing nothing, when the fund cannot cover it (see the
 * module comment for why it is refused rather than queued). A payment is reserved once, ever.
 */
export function reserve(entries: readonly LedgerEntry[], payment: PaymentToReserve, actor: Identity, now: Date): Reservation {
  const state = replay(entries, payment.projectId);
  if (actor.agency !== 'finance') throw new ForbiddenError('ledger.disburser', '征地补偿款由市财政局拨付，其他单位不能动用专户资金（方案§三(八)）');
  checkAmount(payment.amountFen, '支付金额');
  if (state.reservations.has(payment.paymentId)) throw new ConflictError('ledger.already-reserved', `支付指令“${payment.paymentId}”已占用专户资金，同一笔支付不能占用两次`);
  const balanceFen = balanceOf(entries, payment.fund);
  if (payment.amountFen > balanceFen) {
    const shortfallFen = payment.amountFen - balanceFen;
    throw new RuleViolationError(
      'ledger.insufficient-funds',
      `专户${FUND_NAME[payment.fund]}已确认到账的可用余额${formatYuan(balanceFen)}元，不足以支付本笔${formatYuan(payment.amountFen)}元，尚差${formatYuan(shortfallFen)}元：资金未足额到位前不得支付（《土地管理法实施条例》第三十二条）`,
      { fund: payment.fund, balanceFen, amountFen: payment.amountFen, shortfallFen },
    );
  }
  return { ...base(state, payment.projectId, payment.fund, actor, now), kind: 'reservation', paymentId: payment.paymentId, amountFen: payment.amountFen };
}

/** The payment failed (rejected by the bank, or withdrawn before sending): its amount is free again. */
export function release(entries: readonly LedgerEntry[], paymentId: string, reason: string, actor: Identity, now: Date): ReservationReleased {
  const state = replay(entries);
  const reservation = openReservation(state, paymentId);
  if (reservation.settledBy !== undefined) throw new ConflictError('ledger.already-settled', `支付“${paymentId}”已由银行确认付讫，不能释放；如银行退汇，须先冲销付讫分录`);
  if (!reason.trim()) throw new ValidationError('ledger.reason-required', '须写明释放占用资金的原因');
  return { ...base(state, reservation.entry.projectId, reservation.entry.fund, actor, now), kind: 'reservation-released', paymentId, reason: reason.trim() };
}

/** The bank confirmed the payment: the reserved money has left the account. */
export function settle(entries: readonly LedgerEntry[], paymentId: string, bankReference: string, actor: Identity, now: Date): PaymentSettled {
  const state = replay(entries);
  const reservation = openReservation(state, paymentId);
  if (reservation.settledBy !== undefined) throw new ConflictError('ledger.already-settled', `支付“${paymentId}”已于第${reservation.settledBy}笔分录确认付讫`);
  if (!bankReference.trim()) throw new ValidationError('ledger.bank-reference-required', '须记录银行交易流水号');
  return { ...base(state, reservation.entry.projectId, reservation.entry.fund, actor, now), kind: 'payment-settled', paymentId, bankReference: bankReference.trim() };
}

/** A new entry undoing entry `seq` (see the module comment for what may be reversed). */
export function reverse(entries: readonly LedgerEntry[], seq: number, reason: string, actor: Identity, now: Date): Reversal {
  const state = replay(entries);
  if (actor.agency !== 'finance') throw new ForbiddenError('ledger.reverser', '专户分录由市财政局冲销（方案§三(八)）');
  const target = entries[seq - 1];
  if (!target) throw new ValidationError('ledger.entry-unknown', `专户分录第${seq}笔不存在`);
  if (!reason.trim()) throw new ValidationError('ledger.reason-required', '须写明冲销原因');
  if (state.reversedSeqs.has(seq)) throw new ConflictError('ledger.already-reversed', `专户分录第${seq}笔已冲销`);
  if (target.kind === 'reversal') throw new RuleViolationError('ledger.reverse-reversal', '冲销分录不能再冲销：如冲销有误，请重新登记原业务');
  if (target.kind === 'reservation') throw new RuleViolationError('ledger.reverse-reservation', '占用资金不能冲销，须通过释放（支付失败或撤回）解除');
  if (target.kind === 'deposit-confirmed' || target.kind === 'deposit-recorded') {
    const deposit = state.deposits.get(target.depositId);
    if (target.kind === 'deposit-confirmed' && deposit?.confirmedBy !== target.seq) throw new ConflictError('ledger.confirmation-not-current', `第${seq}笔确认分录已不是该存入的现行确认`);
  }
  if (target.kind === 'payment-settled' && state.reservations.get(target.paymentId)?.settledBy !== target.seq) {
    throw new ConflictError('ledger.settlement-not-current', `第${seq}笔付讫分录已不是该支付的现行付讫`);
  }
  if (target.kind === 'reservation-released' && state.reservations.get(target.paymentId)?.releasedBy !== target.seq) {
    throw new ConflictError('ledger.release-not-current', `第${seq}笔释放分录已不是该支付的现行释放`);
  }
  const reversal: Reversal = { ...base(state, target.projectId, target.fund, actor, now), kind: 'reversal', reverses: seq, reason: reason.trim() };
  const after = balanceOf([...entries, reversal], target.fund);
  if (after < 0) {
    throw new RuleViolationError('ledger.reversal-overdrawn', `冲销后专户${FUND_NAME[target.fund]}余额将为${formatYuan(after)}元：已占用的资金不能冲回，须先补足资金或释放相应支付`, { fund: target.fund, balanceAfterFen: after });
  }
  return reversal;
}

/** The seq the next entry must take: the repository appends on condition that it is still free. */
export function nextSeq(entries: readonly LedgerEntry[]): number {
  return entries.length + 1;
}

interface DepositState {
  entry: DepositRecorded;
  confirmedBy?: number;
  reversed: boolean;
}
interface ReservationState {
  entry: Reservation;
  releasedBy?: number;
  settledBy?: number;
}
interface LedgerState {
  projectId: string | undefined;
  deposits: Map<string, DepositState>;
  reservations: Map<string, ReservationState>;
  reversedSeqs: Set<number>;
  count: number;
}

/** The ledger's state from its entries; refuses a gap, a foreign project or an entry that cannot be. */
function replay(entries: readonly LedgerEntry[], projectId?: string): LedgerState {
  const state: LedgerState = { projectId: entries[0]?.projectId ?? projectId, deposits: new Map(), reservations: new Map(), reversedSeqs: new Set(), count: entries.length };
  if (projectId !== undefined && state.projectId !== projectId) throw new ValidationError('ledger.other-project', `专户分录属于项目“${state.projectId}”，不是“${projectId}”`);
  entries.forEach((entry, i) => {
    if (entry.seq !== i + 1) throw new ConflictError('ledger.sequence-broken', `专户分录序号不连续：第${i + 1}笔的序号为${entry.seq}`);
    if (entry.projectId !== state.projectId) throw new ConflictError('ledger.mixed-projects', `专户分录第${entry.seq}笔属于其他项目`);
    apply(state, entries, entry);
  });
  return state;
}

function apply(state: LedgerState, entries: readonly LedgerEntry[], entry: LedgerEntry): void {
  const broken = () => new ConflictError('ledger.entry-invalid', `专户分录第${entry.seq}笔（${entry.kind}）与此前分录不符`);
  switch (entry.kind) {
    case 'deposit-recorded':
      state.deposits.set(entry.depositId, { entry, reversed: false });
      return;
    case 'deposit-confirmed': {
      const deposit = state.deposits.get(entry.depositId);
      if (!deposit || deposit.reversed || deposit.confirmedBy !== undefined) throw broken();
      deposit.confirmedBy = entry.seq;
      return;
    }
    case 'reservation':
      if (state.reservations.has(entry.paymentId)) throw broken();
      state.reservations.set(entry.paymentId, { entry });
      return;
    case 'reservation-released': {
      const reservation = state.reservations.get(entry.paymentId);
      if (!reservation || reservation.releasedBy !== undefined || reservation.settledBy !== undefined) throw broken();
      reservation.releasedBy = entry.seq;
      return;
    }
    case 'payment-settled': {
      const reservation = state.reservations.get(entry.paymentId);
      if (!reservation || reservation.releasedBy !== undefined || reservation.settledBy !== undefined) throw broken();
      reservation.settledBy = entry.seq;
      return;
    }
    case 'reversal': {
      const target = entries[entry.reverses - 1];
      if (!target || target.seq >= entry.seq || state.reversedSeqs.has(target.seq)) throw broken();
      state.reversedSeqs.add(target.seq);
      undo(state, target, broken);
    }
  }
}

function undo(state: LedgerState, target: LedgerEntry, broken: () => Error): void {
  switch (target.kind) {
    case 'deposit-recorded': {
      const deposit = state.deposits.get(target.depositId);
      if (!deposit) throw broken();
      deposit.reversed = true;
      return;
    }
    case 'deposit-confirmed': {
      const deposit = state.deposits.get(target.depositId);
      if (deposit?.confirmedBy !== target.seq) throw broken();
      delete deposit.confirmedBy;
      return;
    }
    case 'reservation-released': {
      const reservation = state.reservations.get(target.paymentId);
      if (reservation?.releasedBy !== target.seq) throw broken();
      delete reservation.releasedBy;
      return;
    }
    case 'payment-settled': {
      const reservation = state.reservations.get(target.paymentId);
      if (reservation?.settledBy !== target.seq) throw broken();
      delete reservation.settledBy;
      return;
    }
    default:
      throw broken();
  }
}

function openReservation(state: LedgerState, paymentId: string): ReservationState {
  const reservation = state.reservations.get(paymentId);
  if (!reservation) throw new ConflictError('ledger.reservation-unknown', `支付“${paymentId}”未占用专户资金`);
  if (reservation.releasedBy !== undefined) throw new ConflictError('ledger.already-released', `支付“${paymentId}”占用的资金已于第${reservation.releasedBy}笔分录释放`);
  return reservation;
}

function base(state: LedgerState, projectId: string, fund: FundKind, by: Identity, now: Date): EntryBase {
  return { projectId: state.projectId ?? projectId, seq: state.count + 1, fund, by, at: now.toISOString() };
}

function checkAmount(amountFen: Fen, label: string): void {
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0) throw new ValidationError('ledger.amount-invalid', `${label}须为大于零的整数（单位：分）`);
}
