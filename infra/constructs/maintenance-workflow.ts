import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { workerStateMachine } from './worker-state-machine.ts';
import { LAMBDA_SERVICE_ERRORS, RETRYABLE_WORKER_ERRORS } from './watch-workflow.ts';

/**
 * deadline-maintenance: one job (reconcile, or a holiday recount) walks the live deadlines a page
 * at a time. The worker reads the job's checkpoint, does one page and moves the checkpoint; the
 * Choice loops until the job says done. A throttled or failed page is retried (every page is
 * idempotent); when retries run out the job is marked failed and the leading group office alerted.
 * ~7 history events a page: 25,000 events hold ~3,500 pages (700,000 live deadlines at 200 a page).
 */
export class MaintenanceWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: { name: string; worker: lambda.IFunction; tracing?: boolean }) {
    super(scope, id);
    this.stateMachine = pagedJob(this, {
      ...props,
      actions: { page: 'maintenance-page', failed: 'maintenance-failed' },
      failure: { error: 'MaintenanceFailed', cause: 'A maintenance page failed; the job is marked failed and the leading group office alerted.' },
    });
  }
}

export interface PagedJobProps {
  name: string;
  worker: lambda.IFunction;
  tracing?: boolean | undefined;
  /** The worker's actions: one page of the job, and recording that the job failed. */
  actions: { page: string; failed: string };
  failure: { error: string; cause: string };
  /** Fields of the execution's input passed to the worker besides `jobId` (e.g. `projectId`). */
  inputFields?: readonly string[];
}

/**
 * A job that a worker does a page at a time from a checkpoint in its record, until it says done;
 * failed pages are retried, and when retries run out the worker records the failure. The
 * execution's input is `{ jobId }` and any `inputFields`.
 */
export function pagedJob(scope: Construct, props: PagedJobProps): sfn.StateMachine {
  const { worker, actions } = props;
  const extra = Object.fromEntries((props.inputFields ?? []).map((f) => [f, sfn.JsonPath.stringAt(`$.${f}`)]));

  const page = new tasks.LambdaInvoke(scope, 'Page', {
    lambdaFunction: worker,
    payload: sfn.TaskInput.fromObject({
      action: actions.page,
      execution: sfn.JsonPath.stringAt('$$.Execution.Name'),
      jobId: sfn.JsonPath.stringAt('$.jobId'),
      ...extra,
      now: sfn.JsonPath.stringAt('$$.State.EnteredTime'),
    }),
    resultSelector: { 'done.$': '$.Payload.done' },
    resultPath: '$.page',
    retryOnServiceExceptions: false,
  });
  // A concurrent write to a watch or the job (ConflictError) is worth another go at the page too.
  page.addRetry({ errors: [...LAMBDA_SERVICE_ERRORS, ...RETRYABLE_WORKER_ERRORS, 'ConflictError'], interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 8 });

  const reportFailure = new tasks.LambdaInvoke(scope, 'ReportJobFailed', {
    lambdaFunction: worker,
    payload: sfn.TaskInput.fromObject({
      action: actions.failed,
      execution: sfn.JsonPath.stringAt('$$.Execution.Name'),
      jobId: sfn.JsonPath.stringAt('$.jobId'),
      ...extra,
      now: sfn.JsonPath.stringAt('$$.State.EnteredTime'),
      error: sfn.JsonPath.stringAt('$.failure.Error'),
      cause: sfn.JsonPath.stringAt('$.failure.Cause'),
    }),
    resultPath: sfn.JsonPath.DISCARD,
    retryOnServiceExceptions: false,
  });
  reportFailure.addRetry({ errors: [...LAMBDA_SERVICE_ERRORS, ...RETRYABLE_WORKER_ERRORS], interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 5 });
  page.addCatch(reportFailure.next(new sfn.Fail(scope, 'Failed', props.failure)), { resultPath: '$.failure' });

  const definition = page.next(new sfn.Choice(scope, 'MorePages?').when(sfn.Condition.booleanEquals('$.page.done', true), new sfn.Succeed(scope, 'Done')).otherwise(page));

  return workerStateMachine(scope, { name: props.name, definition, worker, tracing: props.tracing });
}
