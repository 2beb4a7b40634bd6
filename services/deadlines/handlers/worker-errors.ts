import * as z from 'zod';
import { DomainError, isDependencyOutage, ValidationError } from '../../../shared/errors.ts';
import { AlertInFlightError } from '../app/use-cases.ts';

/**
 * The names the state machine retries on (infra/constructs/watch-workflow.ts): a transient AWS
 * failure (throttling, 5xx, network) and an alert another attempt is still sending. Every other
 * error — invalid input, a missing record, a rule conflict, a bug — goes to the Catch that reports it.
 */
export const RETRYABLE_ERRORS = ['TransientAwsError', 'AlertInFlightError'] as const;

export class TransientAwsError extends Error {
  override name = 'TransientAwsError';
}


/** The error as the workflow should see it: its `name` is the Step Functions error name. */
export function workerError(error: unknown): Error {
  if (error instanceof DomainError || error instanceof AlertInFlightError) return error;
  if (error instanceof z.ZodError) {
    return new ValidationError('task.invalid', `任务输入不符合要求：${error.issues.map((i) => `${i.path.join('.') || '(根)'} ${i.message}`).join('；')}`);
  }
  if (!(error instanceof Error)) return new Error(String(error));
  // One classification of outages for the API (503) and the workflow (retry): shared/errors.ts.
  return isDependencyOutage(error) ? new TransientAwsError(`${error.name}: ${error.message}`, { cause: error }) : error;
}
