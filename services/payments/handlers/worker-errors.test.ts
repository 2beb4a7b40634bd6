import { describe, expect, it } from 'vitest';
import { ConflictError, ValidationError } from '../../../shared/errors.ts';
import { BankUnavailableError, keyConflict } from '../../../shared/payments/bank-gateway.ts';
import { paymentTaskError, RETRYABLE_PAYMENT_ERRORS } from './worker-errors.ts';

const retried = (error: unknown) => (RETRYABLE_PAYMENT_ERRORS as readonly string[]).includes(paymentTaskError(error).name);

describe('the payment worker\'s errors as the workflow sees them', () => {
  it('retries a bank or AWS that could not be reached, and another writer\'s change', () => {
    expect(retried(new BankUnavailableError({ idempotencyKey: 'A1:collective:1' }))).toBe(true);
    expect(retried(Object.assign(new Error('throttled'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } }))).toBe(true);
    expect(retried(new ConflictError('ledger.balance-moved', '专户可用余额已变动，请刷新后重试'))).toBe(true);
    expect(retried(new ConflictError('payment.changed', '支付已被更新'))).toBe(true);
  });

  it('does not retry what another attempt cannot change: the bank refusing the key\'s content, a contradiction, bad input', () => {
    expect(retried(keyConflict('A1:collective:1'))).toBe(false);
    expect(retried(new ConflictError('payment.bank-contradiction', '银行已退回，又确认付讫'))).toBe(false);
    expect(retried(new ValidationError('task.invalid', '任务输入不符合要求'))).toBe(false);
  });
});
