import type { AgencyId } from '../../../shared/agencies.ts';
import { DomainError } from '../../../shared/errors.ts';
import { isDue, type DeadlineWatch } from '../../../shared/deadlines/watch.ts';
import { formatYuan, type Fen } from '../../../shared/money.ts';
import type { Payment, PayeeGroup, PayoutPlan } from './payment.ts';

/**
 * The 3-month payment clock of an agreement (seed §五(一)4, §四(三)): paid in full — every payee
 * group's payout confirmed by the bank — before the due instant is met; anything less when it falls
 * due is overdue, partly paid included. A late or missing payment counts against the branch that
 * signed; and against finance too when the funds were not there in time, i.e. a reservation for the
 * agreement was refused for insufficient funds before the due instant (ledger.ts refuses, it does
 * not queue). The bank's settlement instant is what counts, not the instruction's.
 */

/** The record kept when the ledger refused a payment's reservation for want of funds. */
export interface FundsRefusal {
  agreementId: string;
  paymentId: string;
  refusedAt: string;
  shortfallFen: Fen;
}

/** The refusal to keep, if the error is the ledger's insufficient-funds refusal of this payment. */
export function fundsRefusalOf(error: unknown, payment: Pick<Payment, 'agreementId' | 'paymentId'>, at: Date): FundsRefusal | undefined {
  if (!(error instanceof DomainError) || error.code !== 'ledger.insufficient-funds') return undefined;
  const shortfallFen = error.details?.shortfallFen;
  if (typeof shortfallFen !== 'number') return undefined;
  return { agreementId: payment.agreementId, paymentId: payment.paymentId, refusedAt: at.toISOString(), shortfallFen };
}

export type PaymentClockState = 'open' | 'met' | 'met-late' | 'overdue';

export interface Accountable {
  agency: AgencyId;
  jurisdiction: string;
  reason: string;
}

export interface PaymentClock {
  agreementId: string;
  dueAt: string;
  state: PaymentClockState;
  /** What the agreement pays out. */
  dueFen: Fen;
  /** Confirmed by the bank by now. */
  paidFen: Fen;
  outstandingFen: Fen;
  /** Instructed and not yet confirmed or rejected. */
  inFlightFen: Fen;
  /** The bank settlement that completed the last payee group, once all are paid. */
  paidInFullAt?: string;
  partlyPaid: boolean;
  /** Empty unless the clock is overdue or was met late. */
  countsAgainst: Accountable[];
}

export interface PaymentClockInput {
  watch: DeadlineWatch;
  plan: PayoutPlan;
  /** The household's payments, under this agreement and the ones it superseded (corrections included). */
  payments: readonly Payment[];
  refusals: readonly FundsRefusal[];
  now: Date;
}

export function paymentClock(input: PaymentClockInput): PaymentClock {
  const { watch, plan, now } = input;
  // The household's payments under this agreement and those it superseded: a supplement pays only
  // the difference, so what the superseded agreement paid counts towards it (per payee group).
  const payments = input.payments;
  const confirmed = payments
    .filter((p) => p.status === 'confirmed' && p.confirmation && Date.parse(p.confirmation.settledAt) <= now.getTime())
    .sort((a, b) => Date.parse(a.confirmation?.settledAt ?? '') - Date.parse(b.confirmation?.settledAt ?? ''));
  const owed = new Map<PayeeGroup, Fen>(plan.payouts.map((p) => [p.payeeGroup, p.amountFen]));
  const paid = new Map<PayeeGroup, Fen>();
  let paidInFullAt: string | undefined;
  for (const payment of confirmed) {
    paid.set(payment.payeeGroup, (paid.get(payment.payeeGroup) ?? 0) + payment.amountFen);
    if (paidInFullAt === undefined && [...owed].every(([group, amount]) => (paid.get(group) ?? 0) >= amount)) paidInFullAt = payment.confirmation?.settledAt;
  }
  // Only what a payee was owed counts as paid towards the agreement (an overpayment is a receivable).
  const paidFen = [...owed].reduce((acc, [group, amount]) => acc + Math.min(amount, paid.get(group) ?? 0), 0);
  const inFlightFen = payments.filter((p) => p.status === 'instructed' || p.status === 'sent' || p.status === 'unknown').reduce((acc, p) => acc + p.amountFen, 0);
  if (plan.payouts.length === 0) paidInFullAt = watch.triggeredAt;

  const state: PaymentClockState = paidInFullAt !== undefined ? (isDue(watch, new Date(paidInFullAt)) ? 'met-late' : 'met') : isDue(watch, now) ? 'overdue' : 'open';
  const countsAgainst: Accountable[] = [];
  if (state === 'overdue' || state === 'met-late') {
    countsAgainst.push({ agency: watch.responsibleAgency, jurisdiction: watch.jurisdiction, reason: `征地补偿款未在${watch.lastDay}（北京时间24时）前足额支付` });
    const dueMs = Date.parse(watch.dueAt);
    const short = input.refusals.filter((r) => r.agreementId === plan.agreementId && Date.parse(r.refusedAt) < dueMs);
    if (short.length > 0) {
      const most = Math.max(...short.map((r) => r.shortfallFen));
      // Finance is a city agency: the record goes to the city the case's jurisdiction belongs to.
      countsAgainst.push({ agency: 'finance', jurisdiction: watch.jurisdiction.split('/')[0] ?? watch.jurisdiction, reason: `到期前专户资金不足，支付被拒${short.length}次（最多尚差${formatYuan(most)}元）` });
    }
  }
  return {
    agreementId: plan.agreementId,
    dueAt: watch.dueAt,
    state,
    dueFen: plan.paysOutFen,
    paidFen,
    outstandingFen: plan.paysOutFen - paidFen,
    inFlightFen,
    ...(paidInFullAt !== undefined ? { paidInFullAt } : {}),
    partlyPaid: paidFen > 0 && paidFen < plan.paysOutFen,
    countsAgainst,
  };
}
