import { ConflictError, ForbiddenError, RuleViolationError, ValidationError } from '../../../shared/errors.ts';
import type { Identity } from '../../../shared/identity.ts';
import { formatYuan, type Fen } from '../../../shared/money.ts';
import type { PayableAgreement, PayeeClass } from '../../../shared/cases/household-money.ts';
import { idempotencyKeyOf } from '../../../shared/payments/bank-gateway.ts';
import type { FundKind } from './ledger.ts';

/**
 * Payment instructions made from a signed agreement (seed §五(一)4, §三(八)): one payment per payee
 * group per instalment, each with a deterministic idempotency key, so a retried or duplicated
 * instruction is the same payment at the bank and in the ledger.
 *
 * Payee groups (Land Administration Law art. 48; 2021 Regulations art. 32):
 * - `collective` ← the 'collective' lines (land compensation);
 * - `household` ← the 'owner' lines (crops, attachments, houses) net of a swap house's price. A
 *   negative net (the household owes for the swap) pays the household nothing and is returned as a
 *   receivable (产权调换差价由被征收户补交): it is not set off against the collective's or the persons'
 *   money, which are not the household's to give (decision 0018);
 * - `person-<memberId>` ← the resettlement subsidy ('resettled-person' lines), when the standard
 *   pays it to the persons: the subsidy lines are per parcel, not per person, so the household's
 *   subsidy is shared equally among its resettled persons (those with a social-security line — the
 *   approved list, hukou passed), the odd fen going one each to the first persons in line order.
 *   When the standard has the collective resettle them (统一安置), the subsidy joins `collective`;
 * - `social-security-fund` ← the 'social-security-fund' lines; drawn on finance's social-security
 *   subsidy fund, every other group on the compensation fund (fundFor).
 * A group whose amount is zero gets no payment. Sum of payouts − receivable = the agreement's total.
 *
 * Bank accounts reach this module masked only, with the PII vault's reference to the clear number.
 */

/** What payments needs of a signed agreement, as the compensation service publishes it in the kernel. */
export type AgreementForPayment = Pick<PayableAgreement, 'agreementId' | 'householdId' | 'projectId' | 'number' | 'status' | 'lines' | 'totalFen'>;

/** Where the standard sends the resettlement subsidy (安置补助费). */
export type ResettlementSubsidyTo = 'resettled-persons' | 'collective';

export type PayeeGroup = 'collective' | 'household' | 'social-security-fund' | `person-${string}`;

export interface PayoutBasis {
  kind: string;
  itemId: string;
  amountFen: Fen;
}

export interface Payout {
  payeeGroup: PayeeGroup;
  fund: FundKind;
  amountFen: Fen;
  /** The agreement's lines behind the amount (for a person: the whole subsidy, shared). */
  basis: PayoutBasis[];
  memberId?: string;
}

export interface Receivable {
  payeeGroup: PayeeGroup;
  amountFen: Fen;
  reason: string;
}

export interface PayoutPlan {
  agreementId: string;
  payouts: Payout[];
  receivables: Receivable[];
  /** Sum of the payouts: what the agreement pays out. */
  paysOutFen: Fen;
}

export function fundFor(group: PayeeGroup): FundKind {
  return group === 'social-security-fund' ? 'social-security-subsidy' : 'compensation';
}

/** What the agreement pays to whom; `receivables` is what the household owes back. */
export function payoutsOf(agreement: AgreementForPayment, subsidyTo: ResettlementSubsidyTo): PayoutPlan {
  const basis = (payee: PayeeClass) => agreement.lines.filter((l) => l.payee === payee).map((l) => ({ kind: l.kind, itemId: l.itemId, amountFen: l.amountFen }));
  const sum = (lines: readonly PayoutBasis[]) => lines.reduce((acc, l) => acc + l.amountFen, 0);
  const collective = basis('collective');
  const subsidy = basis('resettled-person');
  const owner = basis('owner');
  const socialSecurity = basis('social-security-fund');

  const payouts: Payout[] = [];
  const receivables: Receivable[] = [];
  const add = (payeeGroup: PayeeGroup, amountFen: Fen, lines: PayoutBasis[], memberId?: string) => {
    if (amountFen > 0) payouts.push({ payeeGroup, fund: fundFor(payeeGroup), amountFen, basis: lines, ...(memberId ? { memberId } : {}) });
  };

  add('collective', sum(collective) + (subsidyTo === 'collective' ? sum(subsidy) : 0), subsidyTo === 'collective' ? [...collective, ...subsidy] : collective);
  const ownerNet = sum(owner);
  add('household', ownerNet, owner);
  if (ownerNet < 0) receivables.push({ payeeGroup: 'household', amountFen: -ownerNet, reason: `被征收户应补交产权调换差价${formatYuan(-ownerNet)}元` });
  if (subsidyTo === 'resettled-persons') {
    const persons = [...new Set(socialSecurity.map((l) => l.itemId))];
    const total = sum(subsidy);
    if (total > 0 && persons.length === 0) {
      throw new RuleViolationError('payment.no-resettled-persons', `协议${agreement.number}有安置补助费${formatYuan(total)}元，但没有经审核的安置人员可以发放：须按补偿标准改为支付给村集体经济组织统一安置`);
    }
    const share = Math.floor(total / Math.max(1, persons.length));
    const odd = total - share * persons.length;
    persons.forEach((memberId, i) => {
      add(`person-${memberId}`, share + (i < odd ? 1 : 0), subsidy, memberId);
    });
  }
  add('social-security-fund', sum(socialSecurity), socialSecurity);

  const paysOutFen = payouts.reduce((acc, p) => acc + p.amountFen, 0);
  const owed = receivables.reduce((acc, r) => acc + r.amountFen, 0);
  if (paysOutFen - owed !== agreement.totalFen) {
    throw new ConflictError('payment.agreement-total-mismatch', `协议${agreement.number}的合计${formatYuan(agreement.totalFen)}元与各项金额之和${formatYuan(paysOutFen - owed)}元不符`);
  }
  return { agreementId: agreement.agreementId, payouts, receivables, paysOutFen };
}

export type PaymentStatus = 'instructed' | 'sent' | 'confirmed' | 'rejected' | 'unknown';

/** A payee's bank account as payments may hold it: masked, with the vault's handle on the clear number. */
export interface PayeeAccount {
  accountName: string;
  bankName: string;
  /** e.g. `6217********1234`: at most the first 4 and last 4 digits shown. */
  accountMasked: string;
  /** The PII vault's reference to the sealed clear number (the bank gateway adapter reveals it). */
  accountRef: string;
}

export interface Payment {
  /** The idempotency key, which is also the payment's id. */
  paymentId: string;
  agreementId: string;
  agreementNumber: string;
  householdId: string;
  projectId: string;
  payeeGroup: PayeeGroup;
  memberId?: string;
  instalment: number;
  /** Where the instruction sent the resettlement subsidy: the payout plan is recomputed from it. */
  subsidyTo?: ResettlementSubsidyTo;
  fund: FundKind;
  amountFen: Fen;
  payee: PayeeAccount;
  basis: PayoutBasis[];
  status: PaymentStatus;
  /** 0 for the original instruction; n for the n-th correction of a rejected one. */
  correction: number;
  /** The rejected payment this one corrects. */
  corrects?: string;
  /** The payment that corrects this rejected one. */
  correctedBy?: string;
  instructedBy: Identity;
  instructedAt: string;
  sentAt?: string;
  confirmation?: { bankReference: string; settledAt: string };
  rejection?: { reason: string; at: string };
  unknownSince?: string;
  history: Array<{ status: PaymentStatus; at: string }>;
}

/** `${agreementId}:${payeeGroup}:${instalment}`; a correction appends `:r<n>` so the bank sees a new instruction. */
export function idempotencyKey(agreementId: string, payeeGroup: PayeeGroup, instalment: number, correction = 0): string {
  return idempotencyKeyOf({ agreementId, payeeGroup, instalment, correction });
}

export interface InstructionInput {
  agreement: AgreementForPayment;
  subsidyTo: ResettlementSubsidyTo;
  instalment: number;
  /** The household's earlier payments, under this agreement and those it superseded. */
  earlier: readonly Payment[];
  accounts: Readonly<Partial<Record<PayeeGroup, PayeeAccount>>>;
  actor: Identity;
  now: Date;
}

export interface Instructed {
  payments: Payment[];
  /** What the household owes: a swap's difference, or more paid earlier than now due. */
  receivables: Receivable[];
}

/**
 * Finance instructs this instalment: per group, what is due less what earlier payments already paid
 * or have in flight (a rejected one counts nothing; its correction counts). Each payment still has
 * to reserve its amount in the ledger in the same transaction that stores it.
 */
export function instructPayments(input: InstructionInput): Instructed {
  const { agreement, instalment, actor } = input;
  if (actor.agency !== 'finance') throw new ForbiddenError('payment.disburser', '征地补偿款由市财政局拨付（方案§三(八)）');
  if (agreement.status !== 'signed') throw new RuleViolationError('payment.agreement-not-signed', `协议${agreement.number}不是现行有效的已签订协议，不能据以支付`);
  if (!Number.isSafeInteger(instalment) || instalment < 1) throw new ValidationError('payment.instalment-invalid', '支付批次须为正整数');
  const stranger = input.earlier.find((p) => p.householdId !== agreement.householdId);
  if (stranger) throw new ValidationError('payment.other-household', `支付“${stranger.paymentId}”不属于协议${agreement.number}的被征收户`);
  const sameInstalment = input.earlier.filter((p) => p.agreementId === agreement.agreementId && p.instalment === instalment);
  if (sameInstalment.length > 0) {
    throw new ConflictError('payment.instalment-instructed', `协议${agreement.number}第${instalment}批支付已下达`, { paymentIds: sameInstalment.map((p) => p.paymentId) });
  }

  // Where the subsidy goes is decided once: paid to the persons, it must not be paid to the collective too.
  const decided = input.earlier.find((p) => p.status !== 'rejected' && p.subsidyTo !== undefined && p.subsidyTo !== input.subsidyTo);
  if (decided) {
    throw new ConflictError('payment.subsidy-destination-fixed', `该户的安置补助费已按“${SUBSIDY_TO_NAME[decided.subsidyTo!]}”下达支付（“${decided.paymentId}”），不能改为“${SUBSIDY_TO_NAME[input.subsidyTo]}”`, { paymentId: decided.paymentId });
  }
  // A payee the bank returned a payment to is paid by correcting that payment, not by another instalment.
  const returned = input.earlier.find((p) => p.status === 'rejected' && !p.correctedBy);
  if (returned) throw new ConflictError('payment.correct-first', `收款方“${payeeLabel(returned.payeeGroup)}”的支付“${returned.paymentId}”被银行退回，须先更正该笔支付`, { paymentId: returned.paymentId });
  const plan = payoutsOf(agreement, input.subsidyTo);
  const receivables = [...plan.receivables];
  const payments: Payment[] = [];
  const counted = (group: PayeeGroup) => paidOrInFlight(input.earlier, group);
  const groups = new Set<PayeeGroup>([...plan.payouts.map((p) => p.payeeGroup), ...input.earlier.map((p) => p.payeeGroup)]);
  for (const group of groups) {
    const payout = plan.payouts.find((p) => p.payeeGroup === group);
    const remaining = (payout?.amountFen ?? 0) - counted(group);
    if (remaining < 0) receivables.push({ payeeGroup: group, amountFen: -remaining, reason: `此前已支付或在途${formatYuan(counted(group))}元，超出现行协议应付${formatYuan(payout?.amountFen ?? 0)}元，多付${formatYuan(-remaining)}元须追回` });
    if (remaining <= 0 || !payout) continue;
    const account = input.accounts[group];
    if (!account) throw new RuleViolationError('payment.account-missing', `收款方“${payeeLabel(group)}”的银行账户尚未登记`, { payeeGroup: group });
    checkAccount(account, group);
    payments.push({
      paymentId: idempotencyKey(agreement.agreementId, group, instalment),
      agreementId: agreement.agreementId,
      agreementNumber: agreement.number,
      householdId: agreement.householdId,
      projectId: agreement.projectId,
      payeeGroup: group,
      ...(payout.memberId ? { memberId: payout.memberId } : {}),
      instalment,
      subsidyTo: input.subsidyTo,
      fund: payout.fund,
      amountFen: remaining,
      payee: account,
      basis: payout.basis,
      status: 'instructed',
      correction: 0,
      instructedBy: actor,
      instructedAt: input.now.toISOString(),
      history: [{ status: 'instructed', at: input.now.toISOString() }],
    });
  }
  // Nothing to pay is an answer only when something was overpaid (to be recovered); else a refusal.
  if (payments.length === 0 && receivables.length === plan.receivables.length) throw new RuleViolationError('payment.nothing-due', `协议${agreement.number}已无待支付款项`);
  return { payments, receivables };
}

/**
 * What the household owes back, given the plan of the agreement in force and every payment so far
 * (a rejected one counts nothing): the plan's own receivables and any group paid or in flight
 * beyond what it is now owed (as instructPayments finds them).
 */
export function receivablesOf(plan: PayoutPlan, payments: readonly Payment[]): Receivable[] {
  const receivables = [...plan.receivables];
  const groups = new Set(payments.map((p) => p.payeeGroup));
  for (const group of groups) {
    const counted = payments.filter((p) => p.payeeGroup === group && p.status !== 'rejected').reduce((acc, p) => acc + p.amountFen, 0);
    const owed = plan.payouts.find((p) => p.payeeGroup === group)?.amountFen ?? 0;
    if (counted > owed) receivables.push({ payeeGroup: group, amountFen: counted - owed, reason: `此前已支付或在途${formatYuan(counted)}元，超出现行协议应付${formatYuan(owed)}元，多付${formatYuan(counted - owed)}元须追回` });
  }
  return receivables;
}

/** What a payee group's earlier payments paid or have in flight (a rejected one counts nothing; its correction counts). */
export function paidOrInFlight(payments: readonly Payment[], group: PayeeGroup): Fen {
  return payments.filter((p) => p.payeeGroup === group && p.status !== 'rejected').reduce((acc, p) => acc + p.amountFen, 0);
}

export const SUBSIDY_TO_NAME: Readonly<Record<ResettlementSubsidyTo, string>> = { 'resettled-persons': '支付给安置人员', collective: '支付给村集体统一安置' };

/**
 * A rejected payment is corrected by a NEW payment linked to it (a new key, so the bank never
 * takes it for the rejected one); the rejected one is never sent again. The correction pays what
 * the group is still owed under the agreement in force (`owedFen`: its payout less what its other
 * payments paid or have in flight) — nothing if that is nothing — and reserves it afresh (the
 * rejection released the old reservation).
 */
export function correctPayment(rejected: Payment, account: PayeeAccount, actor: Identity, now: Date, owedFen: Fen): { correction: Payment; rejected: Payment } {
  if (actor.agency !== 'finance') throw new ForbiddenError('payment.disburser', '征地补偿款由市财政局拨付（方案§三(八)）');
  if (rejected.status !== 'rejected') throw new ConflictError('payment.correct-only-rejected', `支付“${rejected.paymentId}”未被银行退回（${STATUS_NAME[rejected.status]}），不能另行更正支付`);
  if (rejected.correctedBy) throw new ConflictError('payment.already-corrected', `支付“${rejected.paymentId}”已由“${rejected.correctedBy}”更正`);
  checkAccount(account, rejected.payeeGroup);
  if (owedFen <= 0) throw new RuleViolationError('payment.nothing-due', `收款方“${payeeLabel(rejected.payeeGroup)}”已无待支付款项，被退回的支付“${rejected.paymentId}”无须更正`);
  const correction = rejected.correction + 1;
  const paymentId = idempotencyKey(rejected.agreementId, rejected.payeeGroup, rejected.instalment, correction);
  const { rejection: _rejection, confirmation: _confirmation, sentAt: _sentAt, unknownSince: _unknown, correctedBy: _correctedBy, ...rest } = rejected;
  return {
    correction: { ...rest, paymentId, amountFen: owedFen, payee: account, status: 'instructed', correction, corrects: rejected.paymentId, instructedBy: actor, instructedAt: now.toISOString(), history: [{ status: 'instructed', at: now.toISOString() }] },
    rejected: { ...rejected, correctedBy: paymentId },
  };
}

/** The bank accepted the instruction. Refused while the outcome is unknown: query first. */
export function markSent(payment: Payment, at: Date): Payment {
  if (payment.status === 'sent') return payment;
  if (payment.status === 'unknown') throw new ConflictError('payment.query-first', `支付“${payment.paymentId}”的银行处理结果不明：须先按幂等键向银行查询，不能重新发送`);
  if (payment.status !== 'instructed') throw illegal(payment, 'sent');
  return move(payment, 'sent', at, { sentAt: at.toISOString() });
}

/** The bank confirms (callback or query answer); a duplicate confirmation changes nothing. */
export function markConfirmed(payment: Payment, bank: { bankReference: string; settledAt: string; amountFen: Fen }, at: Date): Payment {
  if (!bank.bankReference.trim()) throw new ValidationError('payment.bank-reference-required', '银行确认缺少交易流水号');
  if (Number.isNaN(Date.parse(bank.settledAt))) throw new ValidationError('payment.settled-at-invalid', '银行确认的入账时间无效');
  if (bank.amountFen !== payment.amountFen) {
    throw new ConflictError('payment.amount-mismatch', `银行确认金额${formatYuan(bank.amountFen)}元与支付指令${formatYuan(payment.amountFen)}元不符`, { paymentId: payment.paymentId });
  }
  if (payment.status === 'confirmed') {
    if (payment.confirmation?.bankReference === bank.bankReference) return payment;
    throw new ConflictError('payment.confirmation-conflict', `支付“${payment.paymentId}”已由银行以流水号${payment.confirmation?.bankReference}确认，又收到流水号${bank.bankReference}的确认`);
  }
  if (payment.status === 'rejected') throw new ConflictError('payment.bank-contradiction', `银行已退回支付“${payment.paymentId}”，又确认付讫：须与银行核对`);
  return move(payment, 'confirmed', at, { confirmation: { bankReference: bank.bankReference.trim(), settledAt: new Date(bank.settledAt).toISOString() } });
}

/** The bank rejects (closed account, wrong name, …): back to the branch with the bank's reason. */
export function markRejected(payment: Payment, reason: string, at: Date): Payment {
  if (!reason.trim()) throw new ValidationError('payment.reason-required', '银行退回须附退回原因');
  if (payment.status === 'rejected') return payment;
  if (payment.status === 'confirmed') throw new ConflictError('payment.bank-contradiction', `银行已确认支付“${payment.paymentId}”付讫，又退回：须与银行核对`);
  return move(payment, 'rejected', at, { rejection: { reason: reason.trim(), at: at.toISOString() } });
}

/** Sending or waiting timed out: the outcome is unknown until the bank is queried. */
export function markUnknown(payment: Payment, at: Date): Payment {
  if (payment.status === 'unknown') return payment;
  if (payment.status !== 'instructed' && payment.status !== 'sent') throw illegal(payment, 'unknown');
  return move(payment, 'unknown', at, { unknownSince: at.toISOString() });
}

export type BankQueryAnswer =
  | { kind: 'confirmed'; bankReference: string; settledAt: string; amountFen: Fen }
  | { kind: 'rejected'; reason: string }
  | { kind: 'pending' }
  /** The bank never received the instruction: sending it again under the same key is safe. */
  | { kind: 'not-found' };

/** The answer to a query by idempotency key: the only way out of `unknown` besides the bank's callback. */
export function resolveByQuery(payment: Payment, answer: BankQueryAnswer, at: Date): Payment {
  switch (answer.kind) {
    case 'confirmed':
      return markConfirmed(payment, answer, at);
    case 'rejected':
      return markRejected(payment, answer.reason, at);
    case 'pending':
      if (payment.status === 'sent') return payment;
      if (payment.status !== 'unknown' && payment.status !== 'instructed') throw illegal(payment, 'sent');
      return move(payment, 'sent', at, { sentAt: payment.sentAt ?? at.toISOString() });
    case 'not-found':
      if (payment.status === 'instructed') return payment;
      if (payment.status !== 'unknown') throw new ConflictError('payment.bank-lost-instruction', `银行查无支付“${payment.paymentId}”，但该支付${STATUS_NAME[payment.status]}：须与银行核对`);
      return move(payment, 'instructed', at, {});
  }
}

/** What the workflow does next with the payment. */
export function nextAction(payment: Payment): 'send' | 'await-bank' | 'query-bank' | 'correct' | 'done' {
  switch (payment.status) {
    case 'instructed':
      return 'send';
    case 'sent':
      return 'await-bank';
    case 'unknown':
      return 'query-bank';
    case 'rejected':
      return payment.correctedBy ? 'done' : 'correct';
    case 'confirmed':
      return 'done';
  }
}

export const STATUS_NAME: Readonly<Record<PaymentStatus, string>> = {
  instructed: '已下达',
  sent: '已发送银行',
  confirmed: '银行已确认付讫',
  rejected: '银行已退回',
  unknown: '银行处理结果不明',
};

export function payeeLabel(group: PayeeGroup): string {
  if (group === 'collective') return '村集体经济组织';
  if (group === 'household') return '被征收户';
  if (group === 'social-security-fund') return '被征地农民社会保障基金';
  return `安置人员${group.slice('person-'.length)}`;
}

const MASKED_ACCOUNT = /^\d{0,4}\*{4,}\d{4}$/;

function checkAccount(account: PayeeAccount, group: PayeeGroup): void {
  if (!MASKED_ACCOUNT.test(account.accountMasked)) {
    throw new ValidationError('payment.account-not-masked', `收款方“${payeeLabel(group)}”的银行账号须以脱敏形式提供（至多显示前4位和后4位），明文账号只存于个人信息保险库`);
  }
  if (!account.accountRef.trim()) throw new ValidationError('payment.account-ref-required', `收款方“${payeeLabel(group)}”的银行账号缺少保险库引用`);
  if (!account.accountName.trim() || !account.bankName.trim()) throw new ValidationError('payment.account-incomplete', `收款方“${payeeLabel(group)}”须写明户名和开户银行`);
}

function move(payment: Payment, status: PaymentStatus, at: Date, fields: Partial<Payment>): Payment {
  return { ...payment, ...fields, status, history: [...payment.history, { status, at: at.toISOString() }] };
}

function illegal(payment: Payment, to: PaymentStatus): ConflictError {
  return new ConflictError('payment.illegal-transition', `支付“${payment.paymentId}”${STATUS_NAME[payment.status]}，不能改为“${STATUS_NAME[to]}”`, { from: payment.status, to });
}
