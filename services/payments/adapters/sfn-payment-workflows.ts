import { createHash } from 'node:crypto';
import { ExecutionAlreadyExists, InvalidToken, SendTaskSuccessCommand, StartExecutionCommand, TaskDoesNotExist, TaskTimedOut, type SFNClient } from '@aws-sdk/client-sfn';
import { sfnClient } from '../../../shared/adapters/aws/sfn.ts';
import { loadConfig } from '../../../shared/config.ts';
import type { BankWaitReleaser, PaymentWorkflowStarter } from '../app/ports.ts';

/** Step Functions execution names: at most 80 characters, no ':' (the key's separator). */
const MAX_NAME = 80;

/** The payment's execution name, the same on every start: a second start finds the first. A restart has its own. */
export function paymentExecutionName(paymentId: string, restart?: string): string {
  const name = `${paymentId.replaceAll(':', '_')}${restart ? `-${restart}` : ''}`;
  if (name.length <= MAX_NAME) return name;
  // A long key keeps a readable head and a hash of the whole, still one name per payment.
  const hash = createHash('sha256').update(paymentId).digest('hex').slice(0, 24);
  return `${name.slice(0, MAX_NAME - hash.length - 1)}-${hash}`;
}

/**
 * The release of a payment's wait for the bank. A task token names its execution, so no state
 * machine ARN is needed: the worker (which the state machine invokes, and so cannot be given its
 * ARN without a cycle) releases too.
 */
export class SfnBankWaitReleaser implements BankWaitReleaser {
  protected readonly sfn: SFNClient;

  constructor(sfn: SFNClient) {
    this.sfn = sfn;
  }

  async release(token: string, output: object): Promise<void> {
    try {
      await this.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }));
    } catch (error) {
      // The wait already ended (timed out into a query, or the execution stopped): nothing waits.
      if (error instanceof TaskTimedOut || error instanceof TaskDoesNotExist || error instanceof InvalidToken) return;
      throw error;
    }
  }
}

/** One Standard execution per payment (input `{ paymentId }`), and the release of its wait for the bank. */
export class SfnPaymentWorkflows extends SfnBankWaitReleaser implements PaymentWorkflowStarter {
  readonly #stateMachineArn: string;

  constructor(sfn: SFNClient, stateMachineArn: string) {
    super(sfn);
    this.#stateMachineArn = stateMachineArn;
  }

  async start(paymentId: string, restart?: string): Promise<void> {
    try {
      await this.sfn.send(new StartExecutionCommand({ stateMachineArn: this.#stateMachineArn, name: paymentExecutionName(paymentId, restart), input: JSON.stringify({ paymentId }) }));
    } catch (error) {
      // Started before (a retried instruction, a reconcile): that execution looks after the payment.
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
  }
}

export function paymentWorkflowsFromEnv(sfn: SFNClient = sfnClient()): SfnPaymentWorkflows {
  return new SfnPaymentWorkflows(sfn, loadConfig('PAYMENT_WORKFLOW_ARN').PAYMENT_WORKFLOW_ARN);
}
