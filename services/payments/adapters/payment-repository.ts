import { entityOf, itemOf, put, type Item, type Table } from '../../../shared/adapters/table.ts';
import type { Change, Expected } from '../../../shared/cases/ports.ts';
import { ConflictError, NotFoundError } from '../../../shared/errors.ts';
import { parseIdempotencyKey } from '../../../shared/payments/bank-gateway.ts';
import type { FundsRefusalRepository, PaymentRepository, StoredPayment } from '../app/ports.ts';
import type { FundsRefusal } from '../domain/payment-clock.ts';
import type { Payment } from '../domain/payment.ts';

/**
 * An agreement's payments (and the refusals of their reservations) share a partition of their own,
 * so a bank callback, which names only the idempotency key (= payment id, whose first part is the
 * agreement), finds its payment with one read, and the agreement's payments are one query.
 */
export const agreementPaymentsPk = (agreementId: string) => `AGREEMENT-PAYMENTS#${agreementId}`;
const PAYMENT = 'PAYMENT#';
const REFUSAL = 'FUNDS-REFUSAL#';

export class TablePaymentRepository implements PaymentRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async find(paymentId: string): Promise<StoredPayment | undefined> {
    const item = await this.#table.get(agreementPaymentsPk(parseIdempotencyKey(paymentId).agreementId), `${PAYMENT}${paymentId}`);
    return item ? stored(item) : undefined;
  }

  async get(paymentId: string): Promise<StoredPayment> {
    const found = await this.find(paymentId);
    if (!found) throw new NotFoundError('payment.not-found', `支付不存在：${paymentId}`);
    return found;
  }

  async ofAgreement(agreementId: string): Promise<StoredPayment[]> {
    return (await this.#table.query(agreementPaymentsPk(agreementId), PAYMENT)).map(stored);
  }

  save(payment: Payment, expected: Expected, options: { waiting?: string } = {}): Change {
    // A new payment's key is the idempotency key: a duplicate instruction finds it taken.
    const onConflict =
      expected === 'absent'
        ? new ConflictError('payment.instalment-instructed', `协议${payment.agreementNumber}第${payment.instalment}批支付已下达`, { paymentIds: [payment.paymentId] })
        : new ConflictError('payment.changed', `支付“${payment.paymentId}”已被同时更新，请刷新后重试`, { paymentId: payment.paymentId });
    const entity = { ...payment, ...(options.waiting ? { waitingCallback: options.waiting } : {}) };
    return put('payment', itemOf({ pk: agreementPaymentsPk(payment.agreementId), sk: `${PAYMENT}${payment.paymentId}` }, 'payment', entity), expected, onConflict);
  }
}

export class TableFundsRefusalRepository implements FundsRefusalRepository {
  #table: Table;

  constructor(table: Table) {
    this.#table = table;
  }

  async ofAgreement(agreementId: string): Promise<FundsRefusal[]> {
    return (await this.#table.query(agreementPaymentsPk(agreementId), REFUSAL)).map((item) => {
      const { version: _version, ...refusal } = entityOf<FundsRefusal>(item);
      return refusal;
    });
  }

  add(refusal: FundsRefusal): Change {
    return put('funds-refusal', itemOf({ pk: agreementPaymentsPk(refusal.agreementId), sk: `${REFUSAL}${refusal.refusedAt}#${refusal.paymentId}` }, 'funds-refusal', refusal), 'absent');
  }
}

function stored(item: Item): StoredPayment {
  const { version, waitingCallback, ...payment } = entityOf<Payment & { waitingCallback?: string }>(item);
  return { payment, version, ...(waitingCallback ? { waiting: waitingCallback } : {}) };
}
