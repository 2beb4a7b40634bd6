import { ArnFormat, CfnOutput, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { PaymentWorkflow } from '../payment-workflow.ts';
import { functionDefaults, Grants, type ServiceContext } from '../service-context.ts';
import { ServiceFunction } from '../service-function.ts';

/**
 * Payments: the project's dedicated account (deposits, finance's confirmation) and the payments
 * of signed agreements, each exactly once through the bank (decision 0019, 0020). The API
 * instructs and records the bank's signed callbacks; the worker alone talks to the bank and
 * decrypts payee accounts, driven by one Standard workflow per payment.
 */
export class PaymentsService extends Construct {
  readonly api: ServiceFunction;
  readonly worker: ServiceFunction;
  readonly workflow: sfn.StateMachine;
  readonly callbackSecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, ctx: ServiceContext) {
    super(scope, id);
    const stack = Stack.of(this);
    this.callbackSecret = new secretsmanager.Secret(this, 'BankCallbackSecret', {
      description: 'HMAC secret the bank signs its payment callbacks with (docs/bank-protocol.md)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(this.callbackSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'The secret is shared with the bank, which must switch to a new value at the same moment: it is rotated by the procedure agreed with the bank (docs/bank-protocol.md), not by a rotation Lambda.',
    });

    this.api = new ServiceFunction(this, 'Api', {
      entry: 'services/payments/handlers/api.ts',
      description: 'Dedicated account (deposits, confirmation); payment instructions, corrections and the bank callbacks',
      ...functionDefaults(ctx),
      // Every money movement of a project appends to its one ledger: under contention a request
      // re-reads and retries with backoff (household-payments.ts withRetries) for longer than 10 s.
      timeout: Duration.seconds(30),
    });
    this.worker = new ServiceFunction(this, 'Worker', {
      entry: 'services/payments/handlers/payment-worker.ts',
      description: 'Payment workflow tasks: instruct the bank, wait for its callback, query by the idempotency key',
      ...functionDefaults(ctx),
      // The bank adapter gives up on a request after 10 s; an instruct and a record fit well within.
      timeout: Duration.seconds(30),
    });
    this.worker.fn.addEnvironment('BANK_URL', ctx.config.bankUrl);
    const workflowName = `${stack.stackName}-payments`;
    this.workflow = new PaymentWorkflow(this, 'Workflow', { name: workflowName, worker: this.worker.fn, tracing: ctx.observability.tracing }).stateMachine;
    // The worker releases its own workflow's waits: named by ARN from the name, or the two would depend on each other.
    const workflowArn = stack.formatArn({ service: 'states', resource: 'stateMachine', resourceName: workflowName, arnFormat: ArnFormat.COLON_RESOURCE_NAME });

    // The account is read whole (no paging cursors); voucher scans go the presigned evidence path.
    new Grants(this.api, ctx)
      .caseData()
      .evidence()
      .sealBankAccounts()
      .readSecret('BANK_CALLBACK_SECRET_ARN', this.callbackSecret)
      .startJobs('PAYMENT_WORKFLOW_ARN', this.workflow.stateMachineArn)
      .releasePayments(this.workflow.stateMachineArn)
      // Paid in full meets the household's payment clock: the deadline workflow waiting on it is released.
      .releaseWorkflow();
    new Grants(this.worker, ctx).caseData().revealBankAccounts().releasePayments(workflowArn).releaseWorkflow();
    new CfnOutput(stack, 'BankCallbackSecretArn', { value: this.callbackSecret.secretArn, description: 'Give this secret to the bank: it signs the payment callbacks with it' });
  }
}
