import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../../../shared/errors.ts';
import { RETRYABLE_WORKER_ERRORS } from '../../../infra/constructs/watch-workflow.ts';
import { AlertInFlightError } from '../app/use-cases.ts';
import { RETRYABLE_ERRORS, workerError } from './worker-errors.ts';

/** An AWS SDK service error as the SDK throws it (name, $metadata, sometimes $retryable). */
const awsError = (name: string, status: number, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status }, ...extra });

describe('worker error naming (what the state machine retries)', () => {
  it('throttling, 5xx, timeouts and network failures become TransientAwsError, keeping the cause', () => {
    for (const error of [
      awsError('ThrottlingException', 400),
      awsError('ProvisionedThroughputExceededException', 400),
      awsError('InternalServerError', 500),
      awsError('ServiceUnavailable', 503),
      awsError('SomethingNew', 400, { $retryable: { throttling: true } }),
      Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      Object.assign(new Error('timed out'), { name: 'TimeoutError' }),
    ]) {
      const named = workerError(error);
      expect(named.name, error.name).toBe('TransientAwsError');
      expect(named.cause).toBe(error);
      expect(RETRYABLE_ERRORS).toContain(named.name);
    }
  });

  it('an alert still in flight keeps its retryable name', () => {
    expect(workerError(new AlertInFlightError()).name).toBe('AlertInFlightError');
  });

  it('invalid input, a missing record, a conflict, a client error or a bug are not retryable', () => {
    const cases: Array<[unknown, string]> = [
      [new NotFoundError('deadline.not-found', '期限记录不存在'), 'NotFoundError'],
      [new ConflictError('x', '冲突'), 'ConflictError'],
      [awsError('ConditionalCheckFailedException', 400), 'ConditionalCheckFailedException'],
      [awsError('AccessDeniedException', 403), 'AccessDeniedException'],
      [new TypeError('x is undefined'), 'TypeError'],
    ];
    for (const [error, name] of cases) {
      expect(workerError(error).name).toBe(name);
      expect(RETRYABLE_ERRORS).not.toContain(name);
    }
  });

  it('the worker and the state machine agree on the retryable names', () => {
    expect([...RETRYABLE_ERRORS].sort()).toEqual([...RETRYABLE_WORKER_ERRORS].sort());
  });
});

describe('worker handler chain', () => {
  it('refuses an invalid task with ValidationError (not retried), before any use case runs', async () => {
    Object.assign(process.env, {
      CASES_TABLE: 'cases', AUDIT_TABLE: 'audit', ALERTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:alerts',
      WATCH_WORKFLOW_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:watch', MAINTENANCE_WORKFLOW_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:maintenance', CURSOR_KEY_ID: 'arn:aws:kms:us-east-1:123456789012:key/cursor', AWS_REGION: 'us-east-1', LOG_LEVEL: 'silent',
    });
    const { handler } = await import('./worker.ts');
    await expect(handler({ action: 'fall-due', caseId: 'c1' }, {} as never)).rejects.toMatchObject({ name: 'ValidationError', code: 'task.invalid' });
    await expect(handler({ action: 'nonsense' }, {} as never)).rejects.toMatchObject({ name: 'ValidationError' });
  });
});
