import * as z from 'zod';
import { DomainError, isDependencyOutage, ValidationError } from './errors.ts';

/**
 * Errors of a Step Functions task function, as the state machine should see them: the error's
 * `name` is the Step Functions error name. A transient AWS failure (throttling, 5xx, network)
 * becomes `TransientAwsError`, which the workflows retry; a domain error keeps its name; invalid
 * task input is a validation error. Everything else goes to the Catch that reports it.
 */
export class TransientAwsError extends Error {
  override name = 'TransientAwsError';
}

export function taskError(error: unknown, passThrough: (error: unknown) => boolean = () => false): Error {
  if (error instanceof DomainError || passThrough(error)) return error as Error;
  if (error instanceof z.ZodError) {
    return new ValidationError('task.invalid', `任务输入不符合要求：${error.issues.map((i) => `${i.path.join('.') || '(根)'} ${i.message}`).join('；')}`);
  }
  if (!(error instanceof Error)) return new Error(String(error));
  // One classification of outages for the API (503) and the workflow (retry): shared/errors.ts.
  return isDependencyOutage(error) ? new TransientAwsError(`${error.name}: ${error.message}`, { cause: error }) : error;
}
