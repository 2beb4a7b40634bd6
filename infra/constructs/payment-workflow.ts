import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { RETRYABLE_PAYMENT_ERRORS } from '../../services/payments/handlers/worker-errors.ts';
import { LAMBDA_SERVICE_ERRORS } from './watch-workflow.ts';
import { workerStateMachine } from './worker-state-machine.ts';

/**
 * How long the workflow waits for the bank's callback before it asks the bank by the idempotency
 * key. A transfer settles within the banking day; a callback lost on the way costs at most this.
 */
export const BANK_CALLBACK_WAIT = Duration.hours(4);

/** The worker's error names worth another attempt (services/payments/handlers/worker-errors.ts). */
const RETRYABLE = [...RETRYABLE_PAYMENT_ERRORS];
const BACKOFF = { interval: Duration.seconds(10), backoffRate: 2, maxAttempts: 6 };

/**
 * One payment, exactly once (decision 0019): send the instruction under its idempotency key, then
 * wait on a task token for the bank's signed callback (the callback route releases it). If no
 * callback comes in time, or the send's outcome is unknown, the next step is always a **query by
 * the key** — never a blind resend; only the bank's "no such payment" sends the same instruction
 * again. A rejection ends the workflow (the branch corrects it as a new, linked payment with a
 * workflow of its own). Any failure tells finance, then fails the execution.
 *
 * Each task answers `{ next }` from the payment record (services/payments/app/payment-workflow.ts),
 * so a retried or restarted step decides again from what was recorded.
 */
export class PaymentWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: { name: string; worker: lambda.IFunction; tracing?: boolean }) {
    super(scope, id);
    const { worker } = props;
    const invoke = (stateId: string, action: string) => {
      const task = new tasks.LambdaInvoke(this, stateId, {
        lambdaFunction: worker,
        payload: sfn.TaskInput.fromObject({
          action,
          execution: sfn.JsonPath.stringAt('$$.Execution.Name'),
          paymentId: sfn.JsonPath.stringAt('$.paymentId'),
          now: sfn.JsonPath.stringAt('$$.State.EnteredTime'),
        }),
        resultSelector: { 'next.$': '$.Payload.next' },
        resultPath: '$.step',
        retryOnServiceExceptions: false,
      });
      task.addRetry({ errors: [...LAMBDA_SERVICE_ERRORS, ...RETRYABLE], ...BACKOFF });
      return task;
    };

    const send = invoke('SendToBank', 'send');
    const query = invoke('QueryBank', 'query');
    const done = new sfn.Succeed(this, 'Settled');

    const awaitBank = new tasks.LambdaInvoke(this, 'AwaitBankCallback', {
      lambdaFunction: worker,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: sfn.TaskInput.fromObject({
        action: 'await',
        execution: sfn.JsonPath.stringAt('$$.Execution.Name'),
        paymentId: sfn.JsonPath.stringAt('$.paymentId'),
        token: sfn.JsonPath.taskToken,
      }),
      taskTimeout: sfn.Timeout.duration(BANK_CALLBACK_WAIT),
      resultPath: '$.bank',
      retryOnServiceExceptions: false,
    });
    awaitBank.addRetry({ errors: [...LAMBDA_SERVICE_ERRORS, ...RETRYABLE], ...BACKOFF });
    // No callback in time: ask the bank what it did under the key.
    awaitBank.addCatch(query, { errors: ['States.Timeout'], resultPath: '$.timedOut' });
    awaitBank.next(done);

    const afterSend = new sfn.Choice(this, 'AfterSend')
      .when(sfn.Condition.stringEquals('$.step.next', 'await'), awaitBank)
      .when(sfn.Condition.stringEquals('$.step.next', 'query'), query)
      .otherwise(done);
    send.next(afterSend);
    const afterQuery = new sfn.Choice(this, 'AfterQuery')
      .when(sfn.Condition.stringEquals('$.step.next', 'await'), awaitBank)
      // The bank has no payment under the key: sending the same instruction again is safe.
      .when(sfn.Condition.stringEquals('$.step.next', 'send'), send)
      .otherwise(done);
    query.next(afterQuery);

    const reportFailure = new tasks.LambdaInvoke(this, 'ReportFailure', {
      lambdaFunction: worker,
      payload: sfn.TaskInput.fromObject({
        action: 'workflow-failed',
        execution: sfn.JsonPath.stringAt('$$.Execution.Name'),
        paymentId: sfn.JsonPath.stringAt('$.paymentId'),
        now: sfn.JsonPath.stringAt('$$.State.EnteredTime'),
        error: sfn.JsonPath.stringAt('$.failure.Error'),
        cause: sfn.JsonPath.stringAt('$.failure.Cause'),
      }),
      resultPath: sfn.JsonPath.DISCARD,
      retryOnServiceExceptions: false,
    });
    reportFailure.addRetry({ errors: [...LAMBDA_SERVICE_ERRORS, ...RETRYABLE], ...BACKOFF });
    reportFailure.addCatch(new sfn.Fail(this, 'FailedUnreported', { error: 'PaymentWorkflowFailedUnreported', cause: 'A payment workflow failed and finance could not be told.' }), { errors: ['States.ALL'] });
    const failed = reportFailure.next(new sfn.Fail(this, 'Failed', { error: 'PaymentWorkflowFailed', cause: 'A payment workflow failed; finance was told to check the payment with the bank.' }));

    // Everything the steps do not handle goes to finance (the payment stays as recorded).
    const steps = new sfn.Parallel(this, 'Pay', { resultPath: sfn.JsonPath.DISCARD });
    steps.branch(send);
    steps.addCatch(failed, { errors: ['States.ALL'], resultPath: '$.failure' });

    this.stateMachine = workerStateMachine(this, { name: props.name, definition: steps, worker, tracing: props.tracing });
  }
}
