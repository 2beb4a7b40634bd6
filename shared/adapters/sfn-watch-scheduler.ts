import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
  InvalidToken,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { sfnClient } from './aws/sfn.ts';
import { loadConfig } from '../config.ts';
import { executionName, workflowInput, type WatchScheduler } from '../deadlines/scheduler.ts';
import type { DeadlineWatch } from '../deadlines/watch.ts';

/** How many restarts of one case phase reconcile will make before giving up (and alerting). */
const MAX_GENERATIONS = 20;

/**
 * WatchScheduler on Step Functions. `watch` is idempotent: it finds the phase's running execution
 * by its deterministic name, or starts the next generation when an earlier one ended while watches
 * were still live (a failed or stopped execution, or the local cloud restarted).
 */
export class SfnWatchScheduler implements WatchScheduler {
  #sfn: SFNClient;
  #stateMachineArn: string;

  constructor(sfn: SFNClient, stateMachineArn: string) {
    this.#sfn = sfn;
    this.#stateMachineArn = stateMachineArn;
  }

  async watch(caseId: string, phase: string, watches: readonly DeadlineWatch[]): Promise<void> {
    const input = JSON.stringify(workflowInput(caseId, phase, watches));
    for (let generation = 0; generation < MAX_GENERATIONS; generation++) {
      const name = executionName(caseId, phase, generation);
      const status = await this.#status(name);
      if (status === 'RUNNING') return;
      if (status === undefined) {
        try {
          await this.#sfn.send(new StartExecutionCommand({ stateMachineArn: this.#stateMachineArn, name, input }));
        } catch (error) {
          // Started concurrently by another caller under the same name: that one watches.
          if (!(error instanceof ExecutionAlreadyExists)) throw error;
        }
        return;
      }
    }
    throw new Error(`no free execution name for ${caseId}/${phase} after ${MAX_GENERATIONS} generations`);
  }

  async restart(caseId: string, phase: string, watches: readonly DeadlineWatch[]): Promise<void> {
    for (let generation = 0; generation < MAX_GENERATIONS; generation++) {
      const name = executionName(caseId, phase, generation);
      const status = await this.#status(name);
      if (status === undefined) break;
      if (status === 'RUNNING') {
        await this.#sfn.send(new StopExecutionCommand({ executionArn: this.#executionArn(name), error: 'DeadlinesRecounted', cause: 'holiday data corrected' }));
      }
    }
    await this.watch(caseId, phase, watches);
  }

  async release(callbackToken: string, watch: DeadlineWatch): Promise<void> {
    try {
      await this.#sfn.send(new SendTaskSuccessCommand({ taskToken: callbackToken, output: JSON.stringify({ status: watch.status }) }));
    } catch (error) {
      // The waiting task already ended (timed out, or the execution was replaced): nothing waits.
      if (error instanceof TaskTimedOut || error instanceof TaskDoesNotExist || error instanceof InvalidToken) return;
      throw error;
    }
  }

  async #status(name: string): Promise<string | undefined> {
    const executionArn = this.#executionArn(name);
    try {
      const out = await this.#sfn.send(new DescribeExecutionCommand({ executionArn }));
      return out.status;
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) return undefined;
      throw error;
    }
  }

  /** arn:<partition>:states:<region>:<account>:stateMachine:<name> → …:execution:<name>:<execution> */
  #executionArn(name: string): string {
    return `${this.#stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
  }
}

export function schedulerFromEnv(): SfnWatchScheduler {
  return new SfnWatchScheduler(sfnClient(), loadConfig('WATCH_WORKFLOW_ARN').WATCH_WORKFLOW_ARN);
}
