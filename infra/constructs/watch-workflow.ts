import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { workerStateMachine } from './worker-state-machine.ts';

/**
 * How long the workflow waits for an overdue step before it looks at the record again. The step's
 * service releases the wait at once; the weekly look only matters if that release was lost.
 */
const STEP_RECHECK = Duration.days(7);

/**
 * The worker's error names worth another attempt (services/deadlines/handlers/worker.ts): a
 * transient AWS failure and an alert still being sent by another attempt. Anything else — invalid
 * input, a missing record, a bug — fails at once into the Catch that alerts the leading group office.
 */
export const RETRYABLE_WORKER_ERRORS = ['TransientAwsError', 'AlertInFlightError'];
/**
 * Failures of the Lambda service (retried as AWS recommends), and of the function's sandbox: a
 * timeout or a crashed runtime. Every worker task is idempotent, so trying again is safe; a bug
 * that crashes every time still ends in the Catch after the last attempt.
 */
export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.Unknown',
  'Sandbox.Timedout',
];
const BACKOFF = { interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 5 };

/**
 * The legal clocks of one case phase. For each watch (Map): a Wait on the due instant the legal
 * calendar computed, or on the horizon if that comes first (`wakeAt`, TimestampPath — never
 * polling), then the worker judges the watch at that instant. An overdue agency deadline is
 * alerted once by the worker, then the workflow waits (task token) for the step and ends when its
 * service reports it done. A watch still more than the horizon off ends its iteration dormant: the
 * hourly reconcile starts the next generation, so no execution nears the one-year limit waiting.
 * Any failure alerts the leading group office; reconcile restarts the phase.
 */
export class WatchWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: { name: string; worker: lambda.IFunction; /** X-Ray; off where the partition does not offer it. */ tracing?: boolean }) {
    super(scope, id);
    const { worker } = props;

    // Until the due instant, or the horizon if that comes first (shared/deadlines/scheduler.ts workflowInput).
    const waitUntilDue = new sfn.Wait(this, 'WaitUntilDue', { time: sfn.WaitTime.timestampPath('$.wakeAt') });
    const fallDue = new tasks.LambdaInvoke(this, 'FallDue', {
      lambdaFunction: worker,
      payload: sfn.TaskInput.fromObject({
        action: 'fall-due',
        execution: sfn.JsonPath.stringAt('$$.Execution.Name'),
        caseId: sfn.JsonPath.stringAt('$.caseId'),
        ruleId: sfn.JsonPath.stringAt('$.ruleId'),
        now: sfn.JsonPath.stringAt('$$.State.EnteredTime'),
      }),
      resultSelector: { 'status.$': '$.Payload.status', 'dueAt.$': '$.Payload.dueAt' },
      resultPath: '$.outcome',
      retryOnServiceExceptions: false,
    });
    fallDue.addRetry({ errors: [...LAMBDA_SERVICE_ERRORS, ...RETRYABLE_WORKER_ERRORS], ...BACKOFF });

    const awaitStep = new tasks.LambdaInvoke(this, 'AwaitStep', {
      lambdaFunction: worker,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: sfn.TaskInput.fromObject({
        action: 'await-step',
        execution: sfn.JsonPath.stringAt('$$.Execution.Name'),
        caseId: sfn.JsonPath.stringAt('$.caseId'),
        ruleId: sfn.JsonPath.stringAt('$.ruleId'),
        token: sfn.JsonPath.taskToken,
      }),
      taskTimeout: sfn.Timeout.duration(STEP_RECHECK),
      resultPath: sfn.JsonPath.DISCARD,
      retryOnServiceExceptions: false,
    });
    awaitStep.addRetry({ errors: [...LAMBDA_SERVICE_ERRORS, ...RETRYABLE_WORKER_ERRORS], ...BACKOFF });
    const settled = new sfn.Succeed(this, 'Settled');
    // No word within a week: judge the record again (met → settled; still overdue → wait again).
    awaitStep.addCatch(fallDue, { errors: ['States.Timeout'], resultPath: '$.timedOut' });

    // Not due yet but within the horizon (woken at the horizon, the record's instant moved, or the
    // timer fired early): wait for the record's instant.
    const adoptDueAt = new sfn.Pass(this, 'AdoptRecordedDueAt', {
      parameters: { 'caseId.$': '$.caseId', 'ruleId.$': '$.ruleId', 'dueAt.$': '$.outcome.dueAt', 'wakeAt.$': '$.outcome.dueAt' },
    });
    // Still more than the horizon off: this iteration ends; the next generation waits for it.
    const dormant = new sfn.Succeed(this, 'Dormant');
    const judge = new sfn.Choice(this, 'StillAwaitingStep?')
      .when(sfn.Condition.stringEquals('$.outcome.status', 'overdue'), awaitStep.next(settled))
      .when(sfn.Condition.stringEquals('$.outcome.status', 'not-yet-due'), adoptDueAt.next(waitUntilDue))
      .when(sfn.Condition.stringEquals('$.outcome.status', 'dormant'), dormant)
      .otherwise(settled);

    const watchEach = new sfn.Map(this, 'WatchEach', { itemsPath: '$.watches', maxConcurrency: 0, resultPath: sfn.JsonPath.DISCARD });
    watchEach.itemProcessor(waitUntilDue.next(fallDue).next(judge));

    const reportFailure = new tasks.LambdaInvoke(this, 'ReportFailure', {
      lambdaFunction: worker,
      payload: sfn.TaskInput.fromObject({
        action: 'workflow-failed',
        execution: sfn.JsonPath.stringAt('$$.Execution.Name'),
        caseId: sfn.JsonPath.stringAt('$.caseId'),
        phase: sfn.JsonPath.stringAt('$.phase'),
        now: sfn.JsonPath.stringAt('$$.State.EnteredTime'),
        error: sfn.JsonPath.stringAt('$.failure.Error'),
        cause: sfn.JsonPath.stringAt('$.failure.Cause'),
      }),
      resultPath: sfn.JsonPath.DISCARD,
      retryOnServiceExceptions: false,
    });
    reportFailure.addRetry({ errors: [...LAMBDA_SERVICE_ERRORS, ...RETRYABLE_WORKER_ERRORS], ...BACKOFF });
    // If even the alert cannot be sent, the execution fails under its own name: the failed-executions
    // alarm tells the operators, who learn from the error that the office was not told.
    reportFailure.addCatch(new sfn.Fail(this, 'FailedUnreported', { error: 'WatchFailedUnreported', cause: 'A deadline watch failed and the alert to the leading group office could not be sent.' }), {
      errors: ['States.ALL'],
    });
    watchEach.addCatch(reportFailure.next(new sfn.Fail(this, 'Failed', { error: 'WatchFailed', cause: 'A deadline watch failed; the leading group office was alerted.' })), {
      resultPath: '$.failure',
    });

    this.stateMachine = workerStateMachine(this, { name: props.name, definition: watchEach, worker, tracing: props.tracing });
  }
}
