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
    const { worker } = props;

    const page = new tasks.LambdaInvoke(this, 'Page', {
      lambdaFunction: worker,
      payload: sfn.TaskInput.fromObject({
        action: 'maintenance-page',
        execution: sfn.JsonPath.stringAt('$$.Execution.Name'),
        jobId: sfn.JsonPath.stringAt('$.jobId'),
        now: sfn.JsonPath.stringAt('$$.State.EnteredTime'),
      }),
      resultSelector: { 'done.$': '$.Payload.done' },
      resultPath: '$.page',
      retryOnServiceExceptions: false,
    });
    // A concurrent write to a watch or the job (ConflictError) is worth another go at the page too.
    page.addRetry({ errors: [...LAMBDA_SERVICE_ERRORS, ...RETRYABLE_WORKER_ERRORS, 'ConflictError'], interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 8 });

    const reportFailure = new tasks.LambdaInvoke(this, 'ReportJobFailed', {
      lambdaFunction: worker,
      payload: sfn.TaskInput.fromObject({
        action: 'maintenance-failed',
        execution: sfn.JsonPath.stringAt('$$.Execution.Name'),
        jobId: sfn.JsonPath.stringAt('$.jobId'),
        now: sfn.JsonPath.stringAt('$$.State.EnteredTime'),
        error: sfn.JsonPath.stringAt('$.failure.Error'),
        cause: sfn.JsonPath.stringAt('$.failure.Cause'),
      }),
      resultPath: sfn.JsonPath.DISCARD,
      retryOnServiceExceptions: false,
    });
    reportFailure.addRetry({ errors: [...LAMBDA_SERVICE_ERRORS, ...RETRYABLE_WORKER_ERRORS], interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 5 });
    page.addCatch(reportFailure.next(new sfn.Fail(this, 'Failed', { error: 'MaintenanceFailed', cause: 'A maintenance page failed; the job is marked failed and the leading group office alerted.' })), { resultPath: '$.failure' });

    const definition = page.next(new sfn.Choice(this, 'MorePages?').when(sfn.Condition.booleanEquals('$.page.done', true), new sfn.Succeed(this, 'Done')).otherwise(page));

    this.stateMachine = workerStateMachine(this, { name: props.name, definition: definition, worker, tracing: props.tracing });
  }
}
