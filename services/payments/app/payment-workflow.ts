import { CITY } from '../../../shared/agencies.ts';
import { auditOf, type ActionContext } from '../../../shared/audit.ts';
import { ConflictError } from '../../../shared/errors.ts';
import { inboxEvent } from '../../../shared/inbox.ts';
import { formatYuan } from '../../../shared/money.ts';
import type { Identity } from '../../../shared/identity.ts';
import { BankOutcomeUnknownError, PAYMENT_CURRENCY, type BankPaymentState, type PaymentInstruction } from '../../../shared/payments/bank-gateway.ts';
import { markSent, markUnknown, payeeLabel, STATUS_NAME, type BankQueryAnswer, type Payment } from '../domain/payment.ts';
import { householdData, rejectionReason, recordBankOutcome } from './bank-outcome.ts';
import { accountContext, householdMoney, paymentTarget, withRetries, type PaymentWorkerDeps } from './household-payments.ts';

/**
 * The tasks of a payment's Step Functions Standard workflow (one execution per payment, named from
 * its id). The workflow never re-sends blindly: after an unknown outcome or a wait that timed out it
 * queries the bank by the key first, and sends again (same key, same content) only when the bank
 * says it never received the instruction.
 *
 *   send ─ await ─(released: confirmed/rejected)→ done
 *     │      └─(timeout)→ query ─ await | send | done
 *     └─(outcome unknown)→ query
 */

/** The workflow acts as this identity in the audit trail. */
export const PAYMENT_WORKFLOW_ACTOR: Identity = { user: 'payment-workflow', agency: 'finance', jurisdiction: CITY.id };

const ctxOf = (paymentId: string, now: Date): ActionContext => ({ actor: PAYMENT_WORKFLOW_ACTOR, requestId: `payment-workflow:${paymentId}:${now.getTime()}`, now });

/** Where the workflow goes from a payment's state. */
function nextFrom(payment: Payment): 'await' | 'query' | 'done' | 'send' {
  switch (payment.status) {
    case 'instructed':
      return 'send';
    case 'sent':
      return 'await';
    case 'unknown':
      return 'query';
    case 'confirmed':
    case 'rejected':
      return 'done';
  }
}

/**
 * Sends an instructed payment to the bank (the clear account number is revealed from the vault only
 * here). Accepted → sent, await the bank; settled or rejected at once → recorded, done; outcome
 * unknown → unknown, query next; bank unavailable → rethrown (nothing was sent; the workflow retries).
 */
export async function sendToBank(deps: PaymentWorkerDeps, input: { paymentId: string }, now: Date): Promise<{ next: 'await' | 'query' | 'done' }> {
  const { payment } = await deps.payments.get(input.paymentId);
  const from = nextFrom(payment);
  if (from !== 'send') return { next: from };
  const instruction = await instructionOf(deps, payment);
  const ctx = ctxOf(payment.paymentId, now);
  let answer: Awaited<ReturnType<typeof deps.bank.instruct>>;
  try {
    answer = await deps.bank.instruct(instruction);
  } catch (error) {
    if (!(error instanceof BankOutcomeUnknownError)) throw error;
    const after = await transition(deps, payment.paymentId, (p) => (p.status === 'instructed' || p.status === 'sent' ? markUnknown(p, now) : p), ctx, 'payment.outcome-unknown');
    return { next: after.status === 'unknown' ? 'query' : settledOr(after) };
  }
  if (answer.status === 'accepted') {
    const after = await transition(deps, payment.paymentId, (p) => (p.status === 'instructed' ? markSent(p, now) : p), ctx, 'payment.sent', { bankReference: answer.bankReference });
    return { next: settledOr(after) };
  }
  await recordBankOutcome(deps, payment.paymentId, answerOf(answer), ctx);
  return { next: 'done' };
}

/** After a send: 'await' unless the bank's word is already recorded. */
function settledOr(payment: Payment): 'await' | 'query' | 'done' {
  const next = nextFrom(payment);
  return next === 'send' ? 'query' : next;
}

/**
 * The workflow waits for the bank's word with a task token. If the payment is no longer waiting for
 * it (already confirmed or rejected), the wait ends at once; else the token is kept on the payment
 * for the callback to release.
 */
export async function awaitBank(deps: PaymentWorkerDeps, input: { paymentId: string; token: string }): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const { payment, version } = await deps.payments.get(input.paymentId);
    if (payment.status !== 'sent') {
      await deps.releaser.release(input.token, { status: payment.status });
      return;
    }
    try {
      await deps.uow.commit([deps.payments.save(payment, version, { waiting: input.token })], []);
      return;
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= 3) throw error;
    }
  }
}

/**
 * Asks the bank by the key (after an unknown outcome or a wait that timed out): never found → the
 * payment is instructed again and may be sent under the same key; accepted → await; settled or
 * rejected → recorded, done. A query that fails is BankUnavailableError: the workflow retries.
 */
export async function queryBank(deps: PaymentWorkerDeps, input: { paymentId: string }, now: Date): Promise<{ next: 'await' | 'send' | 'done' }> {
  const { payment } = await deps.payments.get(input.paymentId);
  if (payment.status === 'confirmed' || payment.status === 'rejected') return { next: 'done' };
  const state = await deps.bank.query(payment.paymentId);
  const { payment: after } = await recordBankOutcome(deps, payment.paymentId, answerOf(state), ctxOf(payment.paymentId, now));
  const next = nextFrom(after);
  return { next: next === 'query' ? 'await' : next };
}

function answerOf(state: BankPaymentState): BankQueryAnswer {
  switch (state.status) {
    case 'unknown':
      return { kind: 'not-found' };
    case 'accepted':
      return { kind: 'pending' };
    case 'settled':
      return { kind: 'confirmed', bankReference: state.bankReference, settledAt: state.settledAt, amountFen: state.amountFen };
    case 'rejected':
      return { kind: 'rejected', reason: rejectionReason(state.reason) };
  }
}

/** The instruction the bank receives: the same content every time it is sent under the key. */
async function instructionOf(deps: PaymentWorkerDeps, payment: Payment): Promise<PaymentInstruction> {
  const accountNumber = await deps.pii.reveal(payment.payee.accountRef, accountContext(payment.agreementId, payment.payeeGroup));
  const correction = payment.correction > 0 ? `，更正${payment.correction}` : '';
  return {
    idempotencyKey: payment.paymentId,
    payee: { accountNumber, accountName: payment.payee.accountName, bankName: payment.payee.bankName },
    amountFen: payment.amountFen,
    currency: PAYMENT_CURRENCY,
    purpose: `征地补偿款（协议${payment.agreementNumber}，第${payment.instalment}期${correction}）`.slice(0, 140),
  };
}

/**
 * The workflow stopped on an error it could not get past: finance is told in its inbox to check the
 * payment with the bank by its key (the payment stays as recorded; nothing is re-sent). Once per
 * execution: the event's id is derived from the execution's name.
 */
export async function paymentWorkflowFailed(deps: PaymentWorkerDeps, input: { paymentId: string; execution?: string | undefined; error?: string | undefined; cause?: string | undefined }, now: Date): Promise<void> {
  const { payment } = await deps.payments.get(input.paymentId);
  const money = await householdMoney(deps, payment.householdId);
  const agreement = money.agreements.find((a) => a.agreementId === payment.agreementId);
  if (!agreement) throw new ConflictError('payment.agreement-missing', `支付“${payment.paymentId}”所依据的协议未在案件中公布`);
  const error = [input.error, input.cause].filter(Boolean).join(': ').slice(0, 500) || '未知错误';
  const told = inboxEvent({
    id: `pwf-${(input.execution ?? payment.paymentId).replaceAll(':', '_')}`,
    projectId: payment.projectId,
    addressee: 'finance',
    kind: 'payment-workflow-failed',
    at: now,
    title: `支付流程异常，须与银行核对：${agreement.caseLabel} ${payeeLabel(payment.payeeGroup)}`,
    text: `支付“${payment.paymentId}”${formatYuan(payment.amountFen)}元的处理流程因异常中止，当前状态：${STATUS_NAME[payment.status]}。请先按幂等键向银行查询该笔支付的实际结果，切勿另行重复支付。`,
    jurisdictions: [agreement.jurisdiction],
    data: { ...householdData(agreement), agreementId: payment.agreementId, paymentId: payment.paymentId, status: payment.status, amountFen: payment.amountFen, error, failedAt: now.toISOString() },
  });
  await deps.uow.commit([deps.inbox.add(told)], [auditOf(ctxOf(payment.paymentId, now), 'payment.workflow-failed', paymentTarget(payment), { status: payment.status, error })]);
}

/** A state change of the payment alone (no money moves), version-guarded, re-read on a concurrent change. */
async function transition(deps: PaymentWorkerDeps, paymentId: string, change: (p: Payment) => Payment, ctx: ActionContext, action: string, summary: Record<string, unknown> = {}): Promise<Payment> {
  return withRetries(async () => {
    const stored = await deps.payments.get(paymentId);
    const next = change(stored.payment);
    if (next === stored.payment) return next;
    await deps.uow.commit(
      [deps.payments.save(next, stored.version, stored.waiting ? { waiting: stored.waiting } : {})],
      [auditOf(ctx, action, paymentTarget(next), { from: stored.payment.status, to: next.status, ...summary })],
    );
    return next;
  });
}
