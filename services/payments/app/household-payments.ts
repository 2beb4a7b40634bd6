import { CITY } from '../../../shared/agencies.ts';
import type { ActionContext, AuditRecord } from '../../../shared/audit.ts';
import { auditOf } from '../../../shared/audit.ts';
import type { HouseholdPaymentStatus, PayableAgreement } from '../../../shared/cases/household-money.ts';
import type {
  HouseholdPaymentStatusRepository, HouseholdStepRepository,
  PayableAgreementRepository,
  StoredWatch,
  Versioned,
  WatchRepository,
} from '../../../shared/cases/ports.ts';
import { withoutVersion } from '../../../shared/cases/versioned.ts';
import type { Project } from '../../../shared/cases/project.ts';
import type { WatchScheduler } from '../../../shared/deadlines/scheduler.ts';
import { alsoAccountable } from '../../../shared/deadlines/watch.ts';
import { ConflictError, DomainError, RuleViolationError } from '../../../shared/errors.ts';
import { inboxEvent } from '../../../shared/inbox.ts';
import { formatYuan } from '../../../shared/money.ts';
import type { BankGateway, NonceStore } from '../../../shared/payments/bank-gateway.ts';
import { maskAccountNumber } from '../../../shared/payments/bank-gateway.ts';
import type { PiiVault } from '../../../shared/pii/pii-vault.ts';
import { FUND_NAME } from '../domain/ledger.ts';
import { paymentClock, type FundsRefusal, type PaymentClock } from '../domain/payment-clock.ts';
import { payoutsOf, type PayeeAccount, type Payment, type PayoutPlan, type ResettlementSubsidyTo } from '../domain/payment.ts';
import type { AccountDeps } from './account.ts';
import type { BankWaitReleaser, FundsRefusalRepository, PaymentRepository, PaymentWorkflowStarter, StoredPayment } from './ports.ts';

/**
 * What the payment use cases share: the deps, the household's money as stored (its agreements, every
 * payment, the payment clock's watch), the status the kernel publishes, and the refusal for want of
 * funds. Use cases live in payments.ts, bank-outcome.ts and payment-workflow.ts.
 */
export interface PaymentsDeps extends AccountDeps {
  payments: PaymentRepository;
  refusals: FundsRefusalRepository;
  payableAgreements: PayableAgreementRepository;
  paymentStatus: HouseholdPaymentStatusRepository;
  /** The household timeline's published steps: paid in full opens the persons' social security. */
  householdSteps: HouseholdStepRepository;
  watches: WatchRepository;
  scheduler: WatchScheduler;
  pii: PiiVault;
  bank: BankGateway;
  nonces: NonceStore;
  /** The HMAC secret shared with the bank for its callbacks (read once, lazily). */
  callbackSecret: () => Promise<string>;
  workflows: PaymentWorkflowStarter;
  releaser: BankWaitReleaser;
}

/** The API: seals payee accounts, starts workflows, verifies callbacks; never talks to the bank. */
export type PaymentsApiDeps = Omit<PaymentsDeps, 'bank'>;
/** Recording the bank's answer (the callback in the API, the query in the worker). */
export type OutcomeDeps = Omit<PaymentsDeps, 'bank' | 'pii' | 'evidence' | 'uploads' | 'nonces' | 'callbackSecret' | 'workflows'>;
/** The payment workflow's worker: talks to the bank and reveals payee accounts; no uploads, callbacks or starts. */
export type PaymentWorkerDeps = Omit<PaymentsDeps, 'evidence' | 'uploads' | 'nonces' | 'callbackSecret' | 'workflows'>;

/** The clock of a household's payment (opened at signing by the compensation service). */
export const PAYMENT_RULE = 'compensation-payment';

/**
 * Payments write records that others write too (a fund's available balance, the household's status,
 * the watch): a loser re-reads and decides again. `ledger.balance-moved`: a reservation read the fund
 * before another movement changed it, and the fund no longer covers it as read — reading again either
 * finds room or refuses with the figures (decision 0025).
 */
export const RETRYABLE = new Set(['ledger.concurrent-append', 'ledger.balance-moved', 'conflict.concurrent-change', 'payment.changed']);
/**
 * Writers of one household (its status, its watch) and instructions of one project reserving at the
 * same instant take turns: each round has one winner, and the losers wait a random, growing while
 * before they re-read. Past this many attempts the caller gets the 409 and may simply repeat.
 */
export const MAX_ATTEMPTS = 24;
const BACKOFF_MS = 5;
const MAX_BACKOFF_MS = 200;

export async function withRetries<T>(attempt: () => Promise<T>, pause: (ms: number) => Promise<void> = sleep): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ConflictError) || !RETRYABLE.has(error.code) || n >= MAX_ATTEMPTS) throw error;
      // Full jitter: concurrent losers spread out instead of colliding again at once.
      await pause(Math.random() * Math.min(MAX_BACKOFF_MS, BACKOFF_MS * 2 ** n));
    }
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface HouseholdMoney {
  agreements: Array<Versioned<PayableAgreement>>;
  /** The signed agreement in force (a supplement supersedes the one it amends). */
  inForce: PayableAgreement | undefined;
  /** Every payment of the household, under every agreement it signed. */
  payments: StoredPayment[];
}

export async function householdMoney(deps: Pick<PaymentsDeps, 'payableAgreements' | 'payments'>, householdId: string): Promise<HouseholdMoney> {
  const agreements = await deps.payableAgreements.ofHousehold(householdId);
  const payments = (await Promise.all(agreements.map((a) => deps.payments.ofAgreement(a.agreementId)))).flat();
  const found = agreements.find((a) => a.status === 'signed');
  return { agreements, inForce: found ? withoutVersion(found) : undefined, payments };
}

export function requireInForce(money: HouseholdMoney): PayableAgreement {
  if (!money.inForce) throw new RuleViolationError('payment.no-signed-agreement', '该户尚无现行有效的已签订征收土地协议，不能支付征地补偿款');
  return money.inForce;
}

/** Where a household's case lies: its district, and the township of its village group (when the project knows it). */
export function householdJurisdictions(agreement: Pick<PayableAgreement, 'jurisdiction' | 'villageGroupId'>, project: Pick<Project, 'villageGroups'> | undefined): string[] {
  const township = project?.villageGroups.find((g) => g.id === agreement.villageGroupId)?.township;
  return township ? [agreement.jurisdiction, township] : [agreement.jurisdiction];
}

/** Where the instruction sent the resettlement subsidy: the latest instruction under the agreement, else any. */
export function subsidyToOf(agreementId: string, payments: readonly Payment[]): ResettlementSubsidyTo | undefined {
  const latest = (list: readonly Payment[]) => [...list].filter((p) => p.subsidyTo).sort((a, b) => b.instructedAt.localeCompare(a.instructedAt))[0]?.subsidyTo;
  return latest(payments.filter((p) => p.agreementId === agreementId)) ?? latest(payments);
}

export interface ComputedStatus {
  plan: PayoutPlan;
  clock: PaymentClock;
  status: HouseholdPaymentStatus;
}

/** The household's status as the kernel publishes it, for the agreement in force and these payments. */
export function statusOf(agreement: PayableAgreement, subsidyTo: ResettlementSubsidyTo, payments: readonly Payment[], watch: StoredWatch, refusals: readonly FundsRefusal[], now: Date): ComputedStatus {
  const plan = payoutsOf(agreement, subsidyTo);
  // What the bank confirmed counts, whatever our clock says: a request that began before another
  // payment's settlement instant (and committed after it, on a retry) must not leave that one out.
  const settled = payments.flatMap((p) => (p.status === 'confirmed' && p.confirmation ? [Date.parse(p.confirmation.settledAt)] : []));
  const asOf = new Date(Math.max(now.getTime(), ...settled));
  const clock = paymentClock({ watch: watch.watch, plan, payments, refusals, now: asOf });
  const rejectedGroups = [...new Set(payments.filter((p) => p.agreementId === agreement.agreementId && p.status === 'rejected' && !p.correctedBy).map((p) => p.payeeGroup))];
  const status: HouseholdPaymentStatus = {
    householdId: agreement.householdId,
    projectId: agreement.projectId,
    agreementId: agreement.agreementId,
    agreementNumber: agreement.number,
    dueFen: clock.dueFen,
    paidFen: clock.paidFen,
    inFlightFen: clock.inFlightFen,
    outstandingFen: clock.outstandingFen,
    ...(clock.paidInFullAt ? { paidInFullAt: clock.paidInFullAt } : {}),
    rejectedGroups,
    updatedAt: now.toISOString(),
  };
  return { plan, clock, status };
}

/** Replaces stored payments by their new states (and adds new ones). */
export function merged(stored: readonly StoredPayment[], changed: readonly Payment[]): Payment[] {
  const byId = new Map(stored.map((s) => [s.payment.paymentId, s.payment]));
  for (const p of changed) byId.set(p.paymentId, p);
  return [...byId.values()];
}

/** A payment's audit target: chained under its household (decision 0012). */
export const paymentTarget = (payment: Pick<Payment, 'paymentId' | 'projectId' | 'householdId'>): AuditRecord['target'] => ({
  type: 'payment',
  id: payment.paymentId,
  projectId: payment.projectId,
  householdId: payment.householdId,
});

/** The vault context a payee's account number is sealed under: the same agreement and payee group reveal it. */
export const accountContext = (agreementId: string, payeeGroup: string): Record<string, string> => ({ purpose: 'payee-account', agreementId, payeeGroup });

/** At most the first and last 4 digits; a short number shows only its last 4 (at least 4 hidden). */
export function maskForPayment(accountNumber: string): string {
  return accountNumber.length >= 12 ? maskAccountNumber(accountNumber) : `${'*'.repeat(accountNumber.length - 4)}${accountNumber.slice(-4)}`;
}

export interface AccountInput {
  accountName: string;
  bankName: string;
  accountNumber: string;
}

/** Seals the clear number in the vault: only the mask and the sealed reference are kept. */
export async function sealAccount(pii: PiiVault, agreementId: string, payeeGroup: string, input: AccountInput): Promise<PayeeAccount> {
  const masked = maskForPayment(input.accountNumber);
  const sealed = await pii.protect(input.accountNumber, masked, accountContext(agreementId, payeeGroup));
  return { accountName: input.accountName.trim(), bankName: input.bankName.trim(), accountMasked: masked, accountRef: sealed.cipher };
}

/** A payment as the API and events show it: the vault reference never leaves the service. */
export type PaymentView = Omit<Payment, 'payee'> & { payee: Omit<PayeeAccount, 'accountRef'> };

export function paymentView(payment: Payment): PaymentView {
  const { accountRef: _ref, ...payee } = payment.payee;
  return { ...payment, payee };
}

/**
 * The ledger refused a reservation for want of funds (decision 0020: refuse, not queue). Kept on its
 * own: the refusal record, finance and the investment groups alerted, and finance named on the
 * household's payment clock as answering for a miss too (once, before the due instant).
 */
export async function recordFundsRefusal(
  deps: OutcomeDeps,
  agreement: PayableAgreement,
  refusal: FundsRefusal,
  payment: Pick<Payment, 'paymentId' | 'fund' | 'amountFen'>,
  ctx: ActionContext,
): Promise<void> {
  await withRetries(async () => {
    const [watch, fund, payouts, deposits] = await Promise.all([
      deps.watches.get(agreement.householdId, PAYMENT_RULE),
      deps.ledger.balance(agreement.projectId, payment.fund),
      deps.counters.read(agreement.projectId, 'agreements-payout-fen'),
      deps.counters.read(agreement.projectId, 'deposits-confirmed-fen'),
    ]);
    const balanceFen = fund.availableFen;
    const accountable = alsoAccountable(watch.watch, { agency: 'finance', jurisdiction: CITY.id, reason: `专户${FUND_NAME[payment.fund]}不足，支付“${payment.paymentId}”被拒（尚差${formatYuan(refusal.shortfallFen)}元）` }, ctx.now);
    const alerts = (['finance', 'investment-group'] as const).map((addressee) =>
      inboxEvent({
        id: deps.newId(ctx.now.getTime()),
        projectId: agreement.projectId,
        addressee,
        kind: 'funds-short',
        at: ctx.now,
        title: `专户资金不足，征地补偿款支付被拒：${agreement.caseLabel}`,
        text: `协议${agreement.number}的支付${formatYuan(payment.amountFen)}元因专户${FUND_NAME[payment.fund]}可用余额${formatYuan(balanceFen)}元不足被拒，尚差${formatYuan(refusal.shortfallFen)}元；请及时足额缴存并确认到账后重新下达（方案§三(八)(十五)，《土地管理法实施条例》第三十二条）。`,
        jurisdictions: [agreement.jurisdiction],
        data: {
          payoutsFen: payouts,
          depositsFen: deposits,
          shortfallFen: refusal.shortfallFen,
          agreementId: agreement.agreementId,
          refusedPayment: { paymentId: payment.paymentId, householdId: agreement.householdId, fund: payment.fund, amountFen: payment.amountFen, balanceFen, refusedAt: refusal.refusedAt },
        },
      }),
    );
    await deps.uow.commit(
      [
        deps.refusals.add(refusal),
        ...alerts.map((e) => deps.inbox.add(e)),
        ...(accountable ? [deps.watches.save(accountable, watch.version, watch.waiting ? { waiting: watch.waiting } : {})] : []),
      ],
      [auditOf(ctx, 'payment.funds-refused', paymentTarget({ ...payment, projectId: agreement.projectId, householdId: agreement.householdId }), { fund: payment.fund, amountFen: payment.amountFen, balanceFen, shortfallFen: refusal.shortfallFen, financeAccountable: accountable !== undefined })],
    );
  });
}

/** The error is the ledger's refusal for want of funds. */
export const isFundsRefusal = (error: unknown): error is DomainError => error instanceof DomainError && error.code === 'ledger.insufficient-funds';
