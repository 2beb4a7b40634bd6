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
 * Available balance (per fund) = confirmed deposits − reservations not released. A settled payment
 * stays counted: its money has left the account.
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
 * **Concurrency (decision 0025).** No movement reads the ledger whole. Each one is computed from the
 * few records it concerns — the fund's running figures, the deposit, the payment — and returns a
 * `LedgerMovement`: the entry to append (keyed by time and subject, never by a shared sequence) and
 * how the fund's figures move. The repository applies a reservation as one conditional update of the
 * fund ("available ≥ what is reserved", in the same transaction as the payment), so the balance
 * check and the reservation are one atomic step, and movements that do not change the available
 * balance (a settlement) touch no shared record at all. That a payment is reserved, released or
 * settled once is guarded by the payment's own record (put once, then version-guarded) in the same
 * transaction; that a deposit is confirmed or reversed once, by the deposit's record.
 *
 * Reversals: a deposit (voids it, and its confirmation if confirmed) or a confirmation (the deposit
 * is unconfirmed again and may be confirmed anew). A reversal must leave the fund's available
 * balance non-negative — money already reserved is never taken back from under a payment: the
 * investment group deposits the replacement first, then the wrong deposit is reversed (checked by
 * the same conditional update). A reservation is undone by release (the bank's rejection), not by
 * reversal; a reversal is not itself reversed (record the deposit again instead).
 */

export type FundKind = 'compensation' | 'social-security-subsidy';

/** Who may record a deposit into which fund: the investment groups deposit, finance the subsidy. */
export const DEPOSITOR: Readonly<Record<FundKind, AgencyId>> = {
  compensation: 'investment-group',
  'social-security-subsidy': 'finance',
};

export const FUND_NAME: Readonly<Record<FundKind, string>> = {
  compensation: '征地补偿资金',
  'social-security-subsidy': '被征地农民社会保障补贴资金',
};

interface EntryBase {
  projectId: string;
  /** Unique within the project and ordered by time: `<at>#<kind>#<subject>`. */
  entryId: string;
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
  amountFen: Fen;
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
  amountFen: Fen;
  reason: string;
}

export interface PaymentSettled extends EntryBase {
  kind: 'payment-settled';
  paymentId: string;
  amountFen: Fen;
  bankReference: string;
}

export interface Reversal extends EntryBase {
  kind: 'reversal';
  /** The `entryId` of the entry reversed. */
  reverses: string;
  depositId: string;
  reason: string;
}

export type LedgerEntry = DepositRecorded | DepositConfirmed | Reservation | ReservationReleased | PaymentSettled | Reversal;

/** A fund's running figures, kept beside its entries so that no movement reads the ledger whole. */
export interface FundBalance {
  fund: FundKind;
  /** Confirmed deposits, less those reversed. */
  confirmedFen: Fen;
  /** Confirmed deposits − reservations not released: what a payment may still draw on. */
  availableFen: Fen;
}

/** A deposit and where it stands. */
export interface Deposit {
  entry: DepositRecorded;
  status: 'recorded' | 'confirmed' | 'reversed';
  /** The entry of the confirmation in force. */
  confirmedBy?: string;
}

/** What one movement writes: its entry, how the fund's figures move, and the deposit's new state. */
export interface LedgerMovement {
  entry: LedgerEntry;
  fund: FundKind;
  /** Added to the fund's available balance (negative: reserved or reversed). */
  availableFen: Fen;
  /** Added to the fund's confirmed deposits. */
  confirmedFen: Fen;
  /** The available balance the movement needs; the repository checks it in the same transaction. */
  needsFen?: Fen;
  deposit?: Deposit;
}

/** The fund a payment draws on and what it reserves. */
export interface PaymentToReserve {
  paymentId: string;
  projectId: string;
  fund: FundKind;
  amountFen: Fen;
}

/** A fund that has never had a confirmed deposit. */
export const emptyFund = (fund: FundKind): FundBalance => ({ fund, confirmedFen: 0, availableFen: 0 });

export interface DepositInput {
  projectId: string;
  depositId: string;
  fund: FundKind;
  amountFen: Fen;
  voucherNumber: string;
  valueDate: string;
  voucher: EvidenceRecord | undefined;
}

/**
 * An investment group records its deposit (finance, the social-security subsidy); it counts once
 * confirmed. `sameVoucher` is the deposit that already holds the voucher number, if any.
 */
export function recordDeposit(input: DepositInput, existing: Deposit | undefined, sameVoucher: Deposit | undefined, actor: Identity, now: Date): LedgerMovement {
  const depositor = DEPOSITOR[input.fund];
  if (actor.agency !== depositor) {
    throw new ForbiddenError('ledger.depositor', input.fund === 'compensation' ? '征地补偿资金由市城投集团、市经投集团缴存专户（方案§三(十五)）' : '被征地农民社会保障补贴资金由市财政局落实并登记（方案§三(八)）');
  }
  checkAmount(input.amountFen, '存入金额');
  const voucherNumber = input.voucherNumber.trim();
  if (!voucherNumber) throw new ValidationError('ledger.voucher-number-required', '须填写银行回单号');
  if (parseDay(input.valueDate) === undefined) throw new ValidationError('ledger.value-date-invalid', `到账日期“${input.valueDate}”不是有效日期（YYYY-MM-DD）`);
  if (!input.voucher?.sha256) throw new RuleViolationError('ledger.voucher-evidence-required', '须上传银行回单扫描件作为存入凭证');
  if (existing) throw new ConflictError('ledger.deposit-duplicate', `存入记录“${input.depositId}”已存在`);
  if (sameVoucher && sameVoucher.status !== 'reversed') {
    throw new ConflictError('ledger.voucher-duplicate', `银行回单${voucherNumber}已登记（存入记录“${sameVoucher.entry.depositId}”），同一笔资金不能登记两次`);
  }
  const entry: DepositRecorded = {
    ...base(input.projectId, 'deposit-recorded', input.depositId, input.fund, actor, now),
    kind: 'deposit-recorded',
    depositId: input.depositId,
    amountFen: input.amountFen,
    voucherNumber,
    valueDate: input.valueDate,
    voucher: input.voucher,
  };
  return { entry, fund: input.fund, availableFen: 0, confirmedFen: 0, deposit: { entry, status: 'recorded' } };
}

/** Finance confirms a deposit reached the account (§三(八)): once, and never one it recorded itself. */
export function confirmDeposit(deposit: Deposit | undefined, depositId: string, actor: Identity, now: Date): LedgerMovement {
  if (actor.agency !== 'finance') throw new ForbiddenError('ledger.confirmer', '专户资金到账由市财政局确认（方案§三(八)）');
  if (!deposit || deposit.status === 'reversed') throw new ConflictError('ledger.deposit-unknown', `存入记录“${depositId}”不存在或已冲销`);
  if (deposit.status === 'confirmed') throw new ConflictError('ledger.deposit-already-confirmed', `存入记录“${depositId}”已确认到账（分录${deposit.confirmedBy}）`);
  if (deposit.entry.by.user === actor.user) throw new ForbiddenError('ledger.confirm-own-deposit', '登记存入的人员不能确认自己登记的存入');
  const { projectId, fund, amountFen } = deposit.entry;
  const entry: DepositConfirmed = { ...base(projectId, 'deposit-confirmed', depositId, fund, actor, now), kind: 'deposit-confirmed', depositId, amountFen };
  return { entry, fund, availableFen: amountFen, confirmedFen: amountFen, deposit: { ...deposit, status: 'confirmed', confirmedBy: entry.entryId } };
}

/**
 * Reserves a payment's amount: refused, writing nothing, when the fund cannot cover it (see the
 * module comment for why it is refused rather than queued). `balance` is the fund as read; the
 * movement carries what it needs, and the repository checks that against the fund as it stands when
 * the transaction commits (a balance that moved in between makes the writer read again).
 */
export function reserve(balance: FundBalance, payment: PaymentToReserve, actor: Identity, now: Date): LedgerMovement {
  if (actor.agency !== 'finance') throw new ForbiddenError('ledger.disburser', '征地补偿款由市财政局拨付，其他单位不能动用专户资金（方案§三(八)）');
  checkAmount(payment.amountFen, '支付金额');
  if (balance.fund !== payment.fund) throw new ValidationError('ledger.other-fund', `支付“${payment.paymentId}”动用${FUND_NAME[payment.fund]}，不是${FUND_NAME[balance.fund]}`);
  if (payment.amountFen > balance.availableFen) throw insufficientFunds(payment, balance.availableFen);
  const entry: Reservation = { ...base(payment.projectId, 'reservation', payment.paymentId, payment.fund, actor, now), kind: 'reservation', paymentId: payment.paymentId, amountFen: payment.amountFen };
  return { entry, fund: payment.fund, availableFen: -payment.amountFen, confirmedFen: 0, needsFen: payment.amountFen };
}

/** The refusal for want of funds, with the figures finance and the investment groups need. */
export function insufficientFunds(payment: Pick<PaymentToReserve, 'fund' | 'amountFen'>, balanceFen: Fen): RuleViolationError {
  const shortfallFen = payment.amountFen - balanceFen;
  return new RuleViolationError(
    'ledger.insufficient-funds',
    `专户${FUND_NAME[payment.fund]}已确认到账的可用余额${formatYuan(balanceFen)}元，不足以支付本笔${formatYuan(payment.amountFen)}元，尚差${formatYuan(shortfallFen)}元：资金未足额到位前不得支付（《土地管理法实施条例》第三十二条）`,
    { fund: payment.fund, balanceFen, amountFen: payment.amountFen, shortfallFen },
  );
}

/**
 * The payment failed (rejected by the bank, or withdrawn before sending): its amount is free again.
 * Called once per payment: the payment's own record, version-guarded in the same transaction, leaves
 * a reserved state once.
 */
export function release(payment: PaymentToReserve, reason: string, actor: Identity, now: Date): LedgerMovement {
  if (!reason.trim()) throw new ValidationError('ledger.reason-required', '须写明释放占用资金的原因');
  const entry: ReservationReleased = {
    ...base(payment.projectId, 'reservation-released', payment.paymentId, payment.fund, actor, now),
    kind: 'reservation-released',
    paymentId: payment.paymentId,
    amountFen: payment.amountFen,
    reason: reason.trim(),
  };
  return { entry, fund: payment.fund, availableFen: payment.amountFen, confirmedFen: 0 };
}

/** The bank confirmed the payment: the reserved money has left the account (the balance does not move). */
export function settle(payment: PaymentToReserve, bankReference: string, actor: Identity, now: Date): LedgerMovement {
  if (!bankReference.trim()) throw new ValidationError('ledger.bank-reference-required', '须记录银行交易流水号');
  const entry: PaymentSettled = {
    ...base(payment.projectId, 'payment-settled', payment.paymentId, payment.fund, actor, now),
    kind: 'payment-settled',
    paymentId: payment.paymentId,
    amountFen: payment.amountFen,
    bankReference: bankReference.trim(),
  };
  return { entry, fund: payment.fund, availableFen: 0, confirmedFen: 0 };
}

/**
 * Finance reverses a deposit (voiding it, and its confirmation with it) or only its confirmation in
 * force (the deposit awaits confirmation again): see the module comment.
 */
export function reverseDeposit(deposit: Deposit | undefined, balance: FundBalance, target: 'deposit' | 'confirmation', reason: string, actor: Identity, now: Date): LedgerMovement {
  if (actor.agency !== 'finance') throw new ForbiddenError('ledger.reverser', '专户分录由市财政局冲销（方案§三(八)）');
  if (!reason.trim()) throw new ValidationError('ledger.reason-required', '须写明冲销原因');
  if (!deposit) throw new ConflictError('ledger.deposit-unknown', '存入记录不存在');
  const { projectId, fund, amountFen, depositId } = deposit.entry;
  if (deposit.status === 'reversed') throw new ConflictError('ledger.already-reversed', `存入记录“${depositId}”已冲销`);
  if (target === 'confirmation' && deposit.confirmedBy === undefined) throw new ConflictError('ledger.deposit-not-confirmed', `存入记录“${depositId}”尚未确认到账，没有可冲销的确认`);
  const entryId = target === 'deposit' ? deposit.entry.entryId : deposit.confirmedBy!;
  const after: Deposit = target === 'deposit' ? { entry: deposit.entry, status: 'reversed' } : { entry: deposit.entry, status: 'recorded' };
  const confirmed = deposit.status === 'confirmed' ? amountFen : 0;
  if (balance.fund !== fund) throw new ValidationError('ledger.other-fund', `存入记录“${depositId}”属于${FUND_NAME[fund]}，不是${FUND_NAME[balance.fund]}`);
  if (confirmed > balance.availableFen) {
    throw new RuleViolationError('ledger.reversal-overdrawn', `冲销后专户${FUND_NAME[fund]}可用余额将为${formatYuan(balance.availableFen - confirmed)}元：已占用的资金不能冲回，须先补足资金或释放相应支付`, { fund, balanceAfterFen: balance.availableFen - confirmed });
  }
  const entry: Reversal = { ...base(projectId, 'reversal', entryId, fund, actor, now), kind: 'reversal', reverses: entryId, depositId, reason: reason.trim() };
  if (confirmed === 0) return { entry, fund, availableFen: 0, confirmedFen: 0, deposit: after };
  return { entry, fund, availableFen: -confirmed, confirmedFen: -confirmed, needsFen: confirmed, deposit: after };
}

/**
 * A fund's available balance recomputed from its entries alone: what a reconciliation of the
 * account checks the running figures against (they are kept apart so no movement reads the entries).
 */
export function availableFromEntries(entries: readonly LedgerEntry[], fund: FundKind): Fen {
  const reversed = new Set(entries.flatMap((e) => (e.kind === 'reversal' ? [e.reverses] : [])));
  const voided = new Set(entries.flatMap((e) => (e.kind === 'deposit-recorded' && reversed.has(e.entryId) ? [e.depositId] : [])));
  let total = 0;
  for (const e of entries) {
    if (e.fund !== fund || reversed.has(e.entryId)) continue;
    if (e.kind === 'deposit-confirmed' && !voided.has(e.depositId)) total += e.amountFen;
    if (e.kind === 'reservation') total -= e.amountFen;
    if (e.kind === 'reservation-released') total += e.amountFen;
  }
  return total;
}

/** A fund's confirmed deposits recomputed from its entries alone (what `confirmedFen` must equal). */
export function confirmedFromEntries(entries: readonly LedgerEntry[], fund: FundKind): Fen {
  const reversed = new Set(entries.flatMap((e) => (e.kind === 'reversal' ? [e.reverses] : [])));
  const voided = new Set(entries.flatMap((e) => (e.kind === 'deposit-recorded' && reversed.has(e.entryId) ? [e.depositId] : [])));
  let total = 0;
  for (const e of entries) if (e.fund === fund && e.kind === 'deposit-confirmed' && !reversed.has(e.entryId) && !voided.has(e.depositId)) total += e.amountFen;
  return total;
}

/** A fund's figures after movements (what the repository's updates add up to). */
export function applyMovements(balance: FundBalance, movements: readonly LedgerMovement[]): FundBalance {
  let { confirmedFen, availableFen } = balance;
  for (const m of movements) {
    if (m.fund !== balance.fund) continue;
    confirmedFen += m.confirmedFen;
    availableFen += m.availableFen;
  }
  return { fund: balance.fund, confirmedFen, availableFen };
}

function base(projectId: string, kind: LedgerEntry['kind'], subject: string, fund: FundKind, by: Identity, now: Date): EntryBase {
  const at = now.toISOString();
  return { projectId, entryId: `${at}#${kind}#${subject}`, fund, by, at };
}

function checkAmount(amountFen: Fen, label: string): void {
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0) throw new ValidationError('ledger.amount-invalid', `${label}须为大于零的整数（单位：分）`);
}
