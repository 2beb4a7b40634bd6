import { CITY } from '../../../shared/agencies.ts';
import { auditOf, auditRead, type ActionContext } from '../../../shared/audit.ts';
import type { HouseholdPaymentStatus, PayableAgreement } from '../../../shared/cases/household-money.ts';
import { withoutVersion } from '../../../shared/cases/versioned.ts';
import { formatBeijing } from '../../../shared/calendar/index.ts';
import type { DeadlineWatch } from '../../../shared/deadlines/watch.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../../shared/errors.ts';
import { inboxEvent } from '../../../shared/inbox.ts';
import { log } from '../../../shared/log.ts';
import { formatYuan, type Fen } from '../../../shared/money.ts';
import { authorize, authorizeAgency } from '../../../shared/permissions.ts';
import { applyMovements, reserve, type LedgerMovement } from '../domain/ledger.ts';
import { fundsRefusalOf, type PaymentClock } from '../domain/payment-clock.ts';
import { correctPayment, instructPayments, paidOrInFlight, payoutsOf, STATUS_NAME, receivablesOf, type PayeeAccount, type PayeeGroup, type Payment, type PayoutPlan, type Receivable, type ResettlementSubsidyTo } from '../domain/payment.ts';
import {
  householdJurisdictions,
  householdMoney,
  isFundsRefusal,
  merged,
  PAYMENT_RULE,
  paymentTarget,
  paymentView,
  recordFundsRefusal,
  requireInForce,
  sealAccount,
  statusOf,
  subsidyToOf,
  withRetries,
  type AccountInput,
  type PaymentsApiDeps,
  type PaymentView,
} from './household-payments.ts';

export interface InstructionRequest {
  instalment: number;
  subsidyTo: ResettlementSubsidyTo;
  accounts: Array<AccountInput & { payeeGroup: string }>;
}

export interface InstructionResult {
  agreementId: string;
  instalment: number;
  payments: PaymentView[];
  receivables: Receivable[];
  status?: HouseholdPaymentStatus;
}

/**
 * Finance instructs an instalment of the household's agreement in force (seed §三(八), §五(一)4): one
 * payment per payee group, each reserving its amount in the dedicated account, all in one
 * transaction with the audit, the household's published status and the land bureau's inbox event.
 * Account numbers are sealed in the vault first; only masks are stored. A duplicate of the same
 * instalment — sequential or concurrent — ends as 409 `payment.instalment-instructed` (the payments'
 * puts are conditional on absence). A reservation the account cannot cover is refused (422) and the
 * refusal kept (recordFundsRefusal). Each payment's workflow starts after the commit.
 */
export async function instructHouseholdPayments(deps: PaymentsApiDeps, householdId: string, input: InstructionRequest, ctx: ActionContext): Promise<InstructionResult> {
  authorizeAgency(ctx.actor, 'payment.instruct');
  const money = await householdMoney(deps, householdId);
  // Finance is a city agency: with no agreement there is nothing to place the household by but the city.
  authorize(ctx.actor, 'payment.instruct', money.agreements.length > 0 ? [...new Set(money.agreements.map((a) => a.jurisdiction))] : [CITY.id]);
  const agreement = requireInForce(money);
  const plan = payoutsOf(agreement, input.subsidyTo);
  checkAccountsGiven(input.accounts, plan);
  const sealed = await Promise.all(input.accounts.map(async (a) => [a.payeeGroup, await sealAccount(deps.pii, agreement.agreementId, a.payeeGroup, a)] as const));
  const accounts: Partial<Record<PayeeGroup, PayeeAccount>> = Object.fromEntries(sealed);

  const outcome = await withRetries(() => instructOnce(deps, agreement, input, accounts, ctx));
  if (outcome.kind === 'refused') {
    await recordFundsRefusal(deps, agreement, outcome.refusal, outcome.payment, ctx);
    throw outcome.error;
  }
  await startWorkflows(deps, outcome.payments);
  return {
    agreementId: agreement.agreementId,
    instalment: input.instalment,
    payments: outcome.payments.map(paymentView),
    receivables: outcome.receivables,
    ...(outcome.status ? { status: outcome.status } : {}),
  };
}

type Attempt =
  | { kind: 'instructed'; payments: Payment[]; receivables: Receivable[]; status?: HouseholdPaymentStatus }
  | { kind: 'refused'; refusal: NonNullable<ReturnType<typeof fundsRefusalOf>>; payment: Payment; error: Error };

async function instructOnce(deps: PaymentsApiDeps, agreement: PayableAgreement, input: InstructionRequest, accounts: Partial<Record<PayeeGroup, PayeeAccount>>, ctx: ActionContext): Promise<Attempt> {
  // The status before the payments it is computed from (see bank-outcome.ts householdChanges).
  const stored = await deps.paymentStatus.find(agreement.householdId);
  const [money, watch, refusals] = await Promise.all([
    householdMoney(deps, agreement.householdId),
    deps.watches.get(agreement.householdId, PAYMENT_RULE),
    deps.refusals.ofAgreement(agreement.agreementId),
  ]);
  const earlier = money.payments.map((s) => s.payment);
  const { payments, receivables } = instructPayments({ agreement, subsidyTo: input.subsidyTo, instalment: input.instalment, earlier, accounts, actor: ctx.actor, now: ctx.now });
  // Only more paid than now due: nothing to instruct, the receivable is the answer.
  if (payments.length === 0) return { kind: 'instructed', payments, receivables };
  const funds = await Promise.all([...new Set(payments.map((p) => p.fund))].map((fund) => deps.ledger.balance(agreement.projectId, fund)));
  const reservations: LedgerMovement[] = [];
  for (const payment of payments) {
    try {
      // Each payment must fit in what the ones before it in this instruction left.
      reservations.push(reserve(applyMovements(funds.find((f) => f.fund === payment.fund)!, reservations), payment, ctx.actor, ctx.now));
    } catch (error) {
      const refusal = fundsRefusalOf(error, payment, ctx.now);
      if (refusal && isFundsRefusal(error)) return { kind: 'refused', refusal, payment, error };
      throw error;
    }
  }
  const { status } = statusOf(agreement, input.subsidyTo, merged(money.payments, payments), watch, refusals, ctx.now);
  const totalFen = payments.reduce((acc, p) => acc + p.amountFen, 0);
  await deps.uow.commit(
    [
      // The payments first: a concurrent duplicate fails on their absence (409), not on the fund's balance.
      ...payments.map((p) => deps.payments.save(p, 'absent')),
      ...deps.ledger.write(reservations),
      deps.paymentStatus.save(status, stored?.version ?? 'absent'),
      deps.inbox.add(instructedEvent(deps, agreement, input.instalment, payments, totalFen, ctx.now)),
    ],
    payments.map((p, i) =>
      auditOf(ctx, 'payment.instruct', paymentTarget(p), {
        agreementId: p.agreementId,
        payeeGroup: p.payeeGroup,
        instalment: p.instalment,
        fund: p.fund,
        amountFen: p.amountFen,
        accountMasked: p.payee.accountMasked,
        reservation: reservations[i]?.entry.entryId,
      }),
    ),
  );
  return { kind: 'instructed', payments, receivables, status };
}

function instructedEvent(deps: PaymentsApiDeps, agreement: PayableAgreement, instalment: number, payments: readonly Payment[], totalFen: Fen, now: Date) {
  return inboxEvent({
    id: deps.newId(now.getTime()),
    projectId: agreement.projectId,
    addressee: 'land-bureau',
    kind: 'payment-instructed',
    at: now,
    title: `征地补偿款已下达支付：${agreement.caseLabel}`,
    text: `市财政局已于${formatBeijing(now.toISOString())}下达协议${agreement.number}第${instalment}批支付，共${payments.length}笔、${formatYuan(totalFen)}元，已在专户中占用相应资金，待银行确认入账（方案§三(八)、§五(一)4）。`,
    jurisdictions: [agreement.jurisdiction],
    data: {
      householdId: agreement.householdId,
      villageGroupId: agreement.villageGroupId,
      householdNumber: agreement.householdNumber,
      agreementId: agreement.agreementId,
      agreementNumber: agreement.number,
      instalment,
      payments: payments.map((p) => ({ paymentId: p.paymentId, payeeGroup: p.payeeGroup, amountFen: p.amountFen, accountName: p.payee.accountName, accountMasked: p.payee.accountMasked })),
      totalFen,
      instructedAt: now.toISOString(),
    },
  });
}

/** Each payee group once, and only groups the agreement pays (a typo must not seal a stray account). */
function checkAccountsGiven(accounts: ReadonlyArray<{ payeeGroup: string }>, plan: PayoutPlan): void {
  const seen = new Set<string>();
  for (const { payeeGroup } of accounts) {
    if (seen.has(payeeGroup)) throw new ValidationError('payment.account-duplicate', `收款方“${payeeGroup}”的银行账户重复填写`, { payeeGroup });
    seen.add(payeeGroup);
    if (!plan.payouts.some((p) => p.payeeGroup === payeeGroup)) {
      throw new ValidationError('payment.payee-unknown', `协议不向“${payeeGroup}”支付款项，请核对收款方`, { payeeGroup, payeeGroups: plan.payouts.map((p) => p.payeeGroup) });
    }
  }
}

/** A failed start is not the instruction's failure: the payment stays instructed and starting again is idempotent. */
export async function startWorkflows(deps: Pick<PaymentsApiDeps, 'workflows'>, payments: readonly Pick<Payment, 'paymentId'>[]): Promise<void> {
  await Promise.all(
    payments.map(async (p) => {
      try {
        await deps.workflows.start(p.paymentId);
      } catch (error) {
        log.error('payment workflow start failed; the payment stays instructed', { paymentId: p.paymentId, error: String(error) });
      }
    }),
  );
}

/**
 * Finance restarts the workflow of a payment nobody follows any more (its start was lost, or the
 * workflow failed and finance was told): a new execution that decides from the record — an
 * instructed payment is sent under its key (the bank answers a repeat with the same payment), an
 * unknown one is queried first, a sent one awaits the bank and queries it. A final one is refused.
 */
export async function restartPaymentWorkflow(deps: PaymentsApiDeps, paymentId: string, ctx: ActionContext): Promise<{ paymentId: string; status: 'instructed' | 'sent' | 'unknown'; restartedAt: string }> {
  authorizeAgency(ctx.actor, 'payment.instruct');
  const { payment } = await deps.payments.get(paymentId);
  const money = await householdMoney(deps, payment.householdId);
  const agreement = money.agreements.find((a) => a.agreementId === payment.agreementId);
  authorize(ctx.actor, 'payment.instruct', [agreement?.jurisdiction ?? CITY.id]);
  if (payment.status === 'confirmed' || payment.status === 'rejected') {
    throw new ConflictError('payment.final', `支付“${payment.paymentId}”${STATUS_NAME[payment.status]}，无须重新启动支付流程`, { status: payment.status });
  }
  await deps.workflows.start(payment.paymentId, `restart-${ctx.now.getTime()}`);
  await deps.uow.commit([], [auditOf(ctx, 'payment.workflow-restart', paymentTarget(payment), { status: payment.status })]);
  return { paymentId: payment.paymentId, status: payment.status, restartedAt: ctx.now.toISOString() };
}

export interface CorrectionResult {
  correction: PaymentView;
  corrects: PaymentView;
}

/**
 * Finance corrects a payment the bank rejected: a NEW payment (key `…:r<n>`) to the corrected
 * account, linked both ways, reserving its amount afresh; the rejected one is never sent again.
 */
export async function correctRejectedPayment(deps: PaymentsApiDeps, paymentId: string, input: AccountInput, ctx: ActionContext): Promise<CorrectionResult> {
  // An agency without the duty learns nothing, not even whether the payment exists.
  authorizeAgency(ctx.actor, 'payment.instruct');
  const { payment: rejected } = await deps.payments.get(paymentId);
  const money = await householdMoney(deps, rejected.householdId);
  const agreement = money.agreements.find((a) => a.agreementId === rejected.agreementId);
  authorize(ctx.actor, 'payment.instruct', [agreement?.jurisdiction ?? CITY.id]);
  const inForce = requireInForce(money);
  const account = await sealAccount(deps.pii, rejected.agreementId, rejected.payeeGroup, input);

  const outcome = await withRetries(async () => {
    // The status before the payments it is computed from (see bank-outcome.ts householdChanges).
    const status = await deps.paymentStatus.find(rejected.householdId);
    const [stored, watch, refusals, current] = await Promise.all([
      deps.payments.get(paymentId),
      deps.watches.get(rejected.householdId, PAYMENT_RULE),
      deps.refusals.ofAgreement(inForce.agreementId),
      householdMoney(deps, rejected.householdId),
    ]);
    // What the group is still owed under the agreement in force, its other payments counted.
    const others = current.payments.map((s) => s.payment).filter((p) => p.paymentId !== paymentId);
    const subsidyTo = subsidyToOf(inForce.agreementId, current.payments.map((s) => s.payment)) ?? stored.payment.subsidyTo ?? 'resettled-persons';
    const due = payoutsOf(inForce, subsidyTo).payouts.find((p) => p.payeeGroup === stored.payment.payeeGroup)?.amountFen ?? 0;
    const corrected = correctPayment(stored.payment, account, ctx.actor, ctx.now, due - paidOrInFlight(others, stored.payment.payeeGroup));
    let reservation: LedgerMovement;
    try {
      reservation = reserve(await deps.ledger.balance(rejected.projectId, corrected.correction.fund), corrected.correction, ctx.actor, ctx.now);
    } catch (error) {
      const refusal = fundsRefusalOf(error, corrected.correction, ctx.now);
      if (refusal && isFundsRefusal(error)) return { kind: 'refused' as const, refusal, payment: corrected.correction, error };
      throw error;
    }
    const computed = statusOf(inForce, subsidyTo, merged(current.payments, [corrected.rejected, corrected.correction]), watch, refusals, ctx.now);
    await deps.uow.commit(
      [
        // The rejected one first: a concurrent correction fails on its version and, re-read, finds it corrected.
        deps.payments.save(corrected.rejected, stored.version),
        deps.payments.save(corrected.correction, 'absent'),
        ...deps.ledger.write([reservation]),
        deps.paymentStatus.save(computed.status, status?.version ?? 'absent'),
      ],
      [
        auditOf(ctx, 'payment.correct', paymentTarget(corrected.correction), {
          corrects: rejected.paymentId,
          payeeGroup: rejected.payeeGroup,
          amountFen: corrected.correction.amountFen,
          accountMasked: account.accountMasked,
          reservation: reservation.entry.entryId,
        }),
      ],
    );
    return { kind: 'corrected' as const, ...corrected };
  });
  if (outcome.kind === 'refused') {
    await recordFundsRefusal(deps, inForce, outcome.refusal, outcome.payment, ctx);
    throw outcome.error;
  }
  await startWorkflows(deps, [outcome.correction]);
  return { correction: paymentView(outcome.correction), corrects: paymentView(outcome.rejected) };
}

export interface HouseholdPaymentsView {
  householdId: string;
  agreement: Pick<PayableAgreement, 'agreementId' | 'number' | 'kind' | 'status' | 'totalFen' | 'signedAt'>;
  /** Known once an instalment was instructed (the instruction says where the subsidy goes). */
  plan?: PayoutPlan;
  payments: PaymentView[];
  receivables: Receivable[];
  status?: HouseholdPaymentStatus;
  clock?: PaymentClock;
  deadline?: DeadlineWatch & { dueBeijing: string };
}

/** The household's payments: the plan of the agreement in force, every payment, what is owed back, the 3-month clock. */
export async function readHouseholdPayments(deps: PaymentsApiDeps, householdId: string, query: { subsidyTo?: ResettlementSubsidyTo | undefined }, ctx: ActionContext): Promise<HouseholdPaymentsView> {
  authorizeAgency(ctx.actor, 'payment.read');
  const money = await householdMoney(deps, householdId);
  const shown = money.inForce ?? (money.agreements.at(-1) ? withoutVersion(money.agreements.at(-1)!) : undefined);
  if (!shown) throw new NotFoundError('payment.household-unknown', `该户尚无已签订的征收土地协议：${householdId}`);
  const project = await deps.projects.get(shown.projectId).catch(() => undefined);
  authorize(ctx.actor, 'payment.read', householdJurisdictions(shown, project));
  const [watch, status, refusals] = await Promise.all([deps.watches.find(householdId, PAYMENT_RULE), deps.paymentStatus.find(householdId), deps.refusals.ofAgreement(shown.agreementId)]);
  const payments = money.payments.map((s) => s.payment).sort((a, b) => a.instructedAt.localeCompare(b.instructedAt) || a.paymentId.localeCompare(b.paymentId));
  const subsidyTo = subsidyToOf(shown.agreementId, payments);
  const computed = subsidyTo && watch ? statusOf(shown, subsidyTo, payments, watch, refusals, ctx.now) : undefined;
  await auditRead(deps.uow, ctx, 'payment.read', { type: 'household', id: householdId, projectId: shown.projectId, householdId }, { payments: payments.length });
  return {
    householdId,
    agreement: { agreementId: shown.agreementId, number: shown.number, kind: shown.kind, status: shown.status, totalFen: shown.totalFen, signedAt: shown.signedAt },
    // Nothing instructed yet: the plan finance would instruct, for the subsidy's destination asked for.
    ...(computed ? { plan: computed.plan, clock: computed.clock } : query.subsidyTo && shown.status === 'signed' ? { plan: payoutsOf(shown, query.subsidyTo) } : {}),
    payments: payments.map(paymentView),
    receivables: computed ? receivablesOf(computed.plan, payments) : [],
    ...(status ? { status: withoutVersion(status) } : {}),
    ...(watch ? { deadline: { ...watch.watch, dueBeijing: formatBeijing(watch.watch.dueAt) } } : {}),
  };
}
