import { taskError, TransientAwsError } from '../../../shared/task-errors.ts';
import { AlertInFlightError } from '../app/use-cases.ts';

/**
 * The names the state machine retries on (infra/constructs/watch-workflow.ts): a transient AWS
 * failure (throttling, 5xx, network) and an alert another attempt is still sending. Every other
 * error — invalid input, a missing record, a rule conflict, a bug — goes to the Catch that reports it.
 */
export const RETRYABLE_ERRORS = ['TransientAwsError', 'AlertInFlightError'] as const;

export { TransientAwsError };

/** The error as the workflow should see it: its `name` is the Step Functions error name. */
export function workerError(error: unknown): Error {
  return taskError(error, (e) => e instanceof AlertInFlightError);
}
