import { CITY } from '../../../shared/agencies.ts';
import { auditOf, type ActionContext } from '../../../shared/audit.ts';
import type { PayableAgreement } from '../../../shared/cases/household-money.ts';
import type { Change } from '../../../shared/cases/ports.ts';
import { missingSocialSecuritySteps } from '../../../shared/cases/social-security-steps.ts';
import { isLive, meetWatch, type DeadlineWatch } from '../../../shared/deadlines/watch.ts';
import type { Identity } from '../../../shared/identity.ts';
import { inboxEvent, type InboxEvent } from '../../../shared/inbox.ts';
import { log } from '../../../shared/log.ts';
import { formatYuan } from '../../../shared/money.ts';
import { verifyCallback, type BankCallback, type Rejection } from '../../../shared/payments/bank-gateway.ts';
import { formatBeijing } from '../../../shared/calendar/index.ts';
import { release, settle } from '../domain/ledger.ts';
import { payeeLabel, resolveByQuery, type BankQueryAnswer, type Payment } from '../domain/payment.ts';
import { householdJurisdictions, householdMoney, merged, PAYMENT_RULE, paymentTarget, statusOf, subsidyToOf, withRetries, type OutcomeDeps, type PaymentsApiDeps } from './household-payments.ts';

/** Who records what the bank said in its callback (the audit trail's actor). */
export const BANK_ACTOR: Identity = { user: 'bank', agency: 'finance', jurisdiction: CITY.id };

const REJECTION_NAME: Readonly<Record<Rejection['code'], string>> = {
  'account-closed': '账户已销户',
  'name-mismatch': '户名不符',
  'account-frozen': '账户已冻结',
  other: '其他原因',
};

/**
 * The bank's signed callback (docs/bank-protocol.md): authenticated here, not by the agency JWT —
 * HMAC over timestamp, nonce and the exact body, 5-minute skew, each nonce once. A forged, stale or
 * replayed callback is 401 and acts on nothing. The outcome is recorded under BANK_ACTOR.
 */
export async function receiveBankCallback(deps: PaymentsApiDeps, request: { headers: Readonly<Record<string, string | undefined>>; body: string }, ctx: ActionContext): Promise<{ recorded: true }> {
  const callback = await verifyCallback(request.headers, request.body, { secret: await deps.callbackSecret(), now: ctx.now.getTime(), nonces: deps.nonces });
  const { payment } = await deps.payments.get(callback.idempotencyKey);
  await recordBankOutcome(deps, payment.paymentId, answerOf(callback), { ...ctx, actor: BANK_ACTOR });
  return { recorded: true };
}

/** The callback as an answer about the payment, with the amount the bank says it moved (checked against ours). */
function answerOf(callback: BankCallback): BankQueryAnswer {
  if (callback.status === 'settled') return { kind: 'confirmed', bankReference: callback.bankReference, settledAt: callback.at, amountFen: callback.amountFen };
  return { kind: 'rejected', reason: rejectionReason(callback.reason) };
}

export const rejectionReason = (reason: Rejection) => `${reason.message}（${REJECTION_NAME[reason.code]}）`;

export interface RecordedOutcome {
  payment: Payment;
  /** False when the answer was already recorded (a duplicate or late callback, a repeated query). */
  changed: boolean;
}

/**
 * Records what the bank says of a payment (its callback, or the answer to a query by key), in one
 * transaction: the payment (version-guarded), the ledger (settled → settle, rejected → release),
 * the household's published status, the inbox events and, the first time the household is paid in
 * full, its payment clock met at the bank's settlement instant and the project's `households-paid`
 * count. Idempotent: an answer already recorded writes nothing. After the commit, a workflow waiting
 * on the payment (and one waiting on the clock) is released.
 */
export async function recordBankOutcome(deps: OutcomeDeps, paymentId: string, answer: BankQueryAnswer, ctx: ActionContext): Promise<RecordedOutcome> {
  const recorded = await withRetries(() => recordOnce(deps, paymentId, answer, ctx));
  if (recorded.releasePayment) {
    try {
      await deps.releaser.release(recorded.releasePayment, { status: recorded.payment.status });
    } catch (error) {
      // The payment is recorded; the waiting workflow times out and queries, finding it settled.
      log.error('releasing the payment workflow failed', { paymentId, error: String(error) });
    }
  }
  if (recorded.releaseWatch) {
    try {
      await deps.scheduler.release(recorded.releaseWatch.token, recorded.releaseWatch.watch);
    } catch (error) {
      log.error('releasing the payment clock failed', { paymentId, error: String(error) });
    }
  }
  return { payment: recorded.payment, changed: recorded.changed };
}

interface Recorded extends RecordedOutcome {
  releasePayment?: string;
  releaseWatch?: { token: string; watch: DeadlineWatch };
}

async function recordOnce(deps: OutcomeDeps, paymentId: string, answer: BankQueryAnswer, ctx: ActionContext): Promise<Recorded> {
  const stored = await deps.payments.get(paymentId);
  const before = stored.payment;
  const payment = resolveByQuery(before, answer, ctx.now);
  if (payment === before) return { payment, changed: false };
  const final = payment.status === 'confirmed' || payment.status === 'rejected';
  const keepWaiting = !final && stored.waiting ? { waiting: stored.waiting } : {};
  const changes: Change[] = [deps.payments.save(payment, stored.version, keepWaiting)];
  const summary: Record<string, unknown> = { from: before.status, to: payment.status, payeeGroup: payment.payeeGroup, amountFen: payment.amountFen };
  let releaseWatch: Recorded['releaseWatch'];
  if (final) {
    // Once: the payment leaves its reserved state in this very transaction, guarded by its version.
    const movement =
      payment.status === 'confirmed'
        ? settle(payment, payment.confirmation?.bankReference ?? '', ctx.actor, ctx.now)
        : release(payment, `银行退票：${payment.rejection?.reason ?? ''}`, ctx.actor, ctx.now);
    changes.push(...deps.ledger.write([movement]));
    summary.entry = movement.entry.entryId;
    if (payment.confirmation) summary.bankReference = payment.confirmation.bankReference;
    if (payment.rejection) summary.reason = payment.rejection.reason;
    const household = await householdChanges(deps, payment, ctx);
    changes.push(...household.changes);
    releaseWatch = household.releaseWatch;
    if (household.paidInFull) summary.householdPaidInFullAt = household.paidInFull;
  }
  await deps.uow.commit(changes, [auditOf(ctx, `payment.${payment.status === 'confirmed' ? 'confirmed' : payment.status === 'rejected' ? 'rejected' : 'bank-answer'}`, paymentTarget(payment), summary)]);
  return { payment, changed: true, ...(final && stored.waiting ? { releasePayment: stored.waiting } : {}), ...(releaseWatch ? { releaseWatch } : {}) };
}

/** What a final outcome changes for the household: its status, the event, and when first paid in full, the clock, the count and the news. */
async function householdChanges(deps: OutcomeDeps, payment: Payment, ctx: ActionContext): Promise<{ changes: Change[]; releaseWatch?: { token: string; watch: DeadlineWatch }; paidInFull?: string }> {
  // The status first, then what it is computed from: a concurrent outcome committed in between has
  // changed the status's version too, so this commit's guard fails and it is computed again. (Read
  // together, the payments could predate another outcome whose status this one would overwrite.)
  const stored = await deps.paymentStatus.find(payment.householdId);
  const [money, watch] = await Promise.all([householdMoney(deps, payment.householdId), deps.watches.get(payment.householdId, PAYMENT_RULE)]);
  const agreement = money.inForce ?? money.agreements.find((a) => a.agreementId === payment.agreementId)!;
  const payments = merged(money.payments, [payment]);
  const refusals = await deps.refusals.ofAgreement(agreement.agreementId);
  const subsidyTo = subsidyToOf(agreement.agreementId, payments) ?? payment.subsidyTo ?? 'resettled-persons';
  const { status } = statusOf(agreement, subsidyTo, payments, watch, refusals, ctx.now);
  status.updatedAt = ctx.now.toISOString();
  const changes: Change[] = [deps.paymentStatus.save(status, stored?.version ?? 'absent')];
  changes.push(deps.inbox.add(payment.status === 'confirmed' ? confirmedEvent(deps, agreement, payment, status.outstandingFen, ctx.now) : rejectedEvent(deps, agreement, payment, ctx.now)));
  // Paid in full for the first time: the clock is still live (a later supplement does not meet it again).
  if (!status.paidInFullAt || !isLive(watch.watch)) return { changes };
  const met = meetWatch(watch.watch, new Date(status.paidInFullAt), ctx.actor.user);
  const project = await deps.projects.get(agreement.projectId).catch(() => undefined);
  const jurisdictions = householdJurisdictions(agreement, project);
  // The resettled persons' social security is open for finance and HR from now on (the household timeline shows it).
  const socialSecurity = missingSocialSecuritySteps(agreement, await deps.householdSteps.ofHousehold(agreement.householdId), ctx.now);
  changes.push(
    deps.watches.save(met, watch.version),
    deps.counters.increment(agreement.projectId, 'households-paid'),
    ...socialSecurity.map((step) => deps.householdSteps.save(step, 'absent')),
    ...(['land-bureau', 'township', 'finance'] as const).map((addressee) => deps.inbox.add(paidEvent(deps, agreement, addressee, status.paidFen, status.paidInFullAt!, met, jurisdictions, ctx.now))),
  );
  return { changes, paidInFull: status.paidInFullAt, ...(watch.waiting ? { releaseWatch: { token: watch.waiting, watch: met } } : {}) };
}

export const householdData = (agreement: PayableAgreement) => ({ householdId: agreement.householdId, villageGroupId: agreement.villageGroupId, householdNumber: agreement.householdNumber });

function confirmedEvent(deps: OutcomeDeps, agreement: PayableAgreement, payment: Payment, outstandingFen: number, now: Date): InboxEvent {
  const settledAt = payment.confirmation!.settledAt;
  return inboxEvent({
    id: deps.newId(now.getTime()),
    projectId: agreement.projectId,
    addressee: 'land-bureau',
    kind: 'payment-confirmed',
    at: now,
    title: `征地补偿款已入账：${agreement.caseLabel} ${payeeLabel(payment.payeeGroup)}`,
    text: `支付“${payment.paymentId}”${formatYuan(payment.amountFen)}元已由银行于${formatBeijing(settledAt)}确认入账（银行流水号${payment.confirmation!.bankReference}）；协议${agreement.number}尚余${formatYuan(outstandingFen)}元未付。`,
    jurisdictions: [agreement.jurisdiction],
    data: { ...householdData(agreement), agreementId: payment.agreementId, paymentId: payment.paymentId, payeeGroup: payment.payeeGroup, amountFen: payment.amountFen, bankReference: payment.confirmation!.bankReference, settledAt, outstandingFen },
  });
}

function rejectedEvent(deps: OutcomeDeps, agreement: PayableAgreement, payment: Payment, now: Date): InboxEvent {
  const reason = payment.rejection!.reason;
  return inboxEvent({
    id: deps.newId(now.getTime()),
    projectId: agreement.projectId,
    addressee: 'land-bureau',
    kind: 'payment-rejected',
    at: now,
    title: `征地补偿款被银行退回：${agreement.caseLabel} ${payeeLabel(payment.payeeGroup)}`,
    text: `支付“${payment.paymentId}”${formatYuan(payment.amountFen)}元（收款人${payment.payee.accountName}，账号${payment.payee.accountMasked}）被银行退回，原因：${reason}。请核实收款账户后由市财政局更正支付。`,
    jurisdictions: [agreement.jurisdiction],
    data: {
      ...householdData(agreement),
      agreementId: payment.agreementId,
      paymentId: payment.paymentId,
      payeeGroup: payment.payeeGroup,
      amountFen: payment.amountFen,
      accountName: payment.payee.accountName,
      accountMasked: payment.payee.accountMasked,
      reason,
      rejectedAt: payment.rejection!.at,
    },
  });
}

function paidEvent(deps: OutcomeDeps, agreement: PayableAgreement, addressee: 'land-bureau' | 'township' | 'finance', paidFen: number, paidInFullAt: string, met: DeadlineWatch, jurisdictions: string[], now: Date): InboxEvent {
  const persons = agreement.persons.map((p) => p.name).join('、');
  const next =
    addressee === 'finance'
      ? persons
        ? `请办理经审批的农转城安置人员（${persons}）的社会保障补贴资金划转（方案§三(八)(十一)）。`
        : '该户无经审批的农转城安置人员。'
      : '补偿款已足额支付，可组织腾地、交地（先补偿、后搬迁）。';
  return inboxEvent({
    id: deps.newId(now.getTime()),
    projectId: agreement.projectId,
    addressee,
    kind: 'household-paid',
    at: now,
    title: `征地补偿款已足额支付：${agreement.caseLabel}`,
    text: `协议${agreement.number}的补偿款${formatYuan(paidFen)}元已于${formatBeijing(paidInFullAt)}全部入账${met.status === 'met-late' ? '（已超过3个月支付期限）' : ''}。${next}`,
    jurisdictions,
    data: {
      ...householdData(agreement),
      agreementId: agreement.agreementId,
      agreementNumber: agreement.number,
      paidFen,
      paidInFullAt,
      deadline: met.status === 'met-late' ? 'met-late' : 'met',
      persons: agreement.persons,
    },
  });
}
