import { ConflictError, DependencyUnavailableError } from '../../../shared/errors.ts';
import { taskError, TransientAwsError } from '../../../shared/task-errors.ts';

/**
 * The payment workflow's error names (infra/constructs/payment-workflow.ts retries exactly these,
 * besides the Lambda service's): a dependency that could not be reached — the bank (nothing was
 * sent: BankUnavailableError) or AWS — and another writer's change of the payment or the ledger
 * (the step decides again from the record). Anything else goes to the Catch that tells finance.
 */
export const RETRYABLE_PAYMENT_ERRORS = ['TransientAwsError', 'PaymentChangedError'] as const;

export class PaymentChangedError extends Error {
  override name = 'PaymentChangedError';
}

const CONCURRENT = new Set(['conflict.concurrent-change', 'ledger.concurrent-append', 'ledger.balance-moved', 'payment.changed']);

export function paymentTaskError(error: unknown): Error {
  if (error instanceof ConflictError && CONCURRENT.has(error.code)) return new PaymentChangedError(error.message, { cause: error });
  // A domain error keeps its name, but an outage is not the payment's fault: try again later.
  if (error instanceof DependencyUnavailableError) return new TransientAwsError(`${error.code}: ${error.message}`, { cause: error });
  return taskError(error);
}
