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
import { executionName, leftDormant, waitsOn, WatcherGaveUpError, workflowInput, type WatcherOutcome, type WatchScheduler, type WatchWorkflowInput } from '../deadlines/scheduler.ts';
import type { DeadlineWatch } from '../deadlines/watch.ts';

/**
 * How many FAILED generations of one case phase reconcile restarts before giving up (and alerting).
 * Executions that ended otherwise do not count: one that ended dormant at the horizon, one stopped
 * to restart on re-counted instants, or one that reached Step Functions' one-year limit on its
 * weekly re-check (TIMED_OUT).
 */
const MAX_GENERATIONS = 20;
/** A bound on the names walked (each a DescribeExecution): decades of generations, one per horizon (150 days). */
const MAX_NAMES = 200;

/**
 * WatchScheduler on Step Functions. Executions have deterministic names per case, phase and
 * generation; the first name not yet used (or the running one) is the phase's current watcher.
 */
export class SfnWatchScheduler implements WatchScheduler {
  #sfn: SFNClient;
  #stateMachineArn: string;

  constructor(sfn: SFNClient, stateMachineArn: string) {
    this.#sfn = sfn;
    this.#stateMachineArn = stateMachineArn;
  }

  /** Finds the phase's running execution, or starts the next generation: never stops one. */
  async watch(caseId: string, phase: string, watches: readonly DeadlineWatch[], now: Date): Promise<void> {
    await this.#walk(caseId, phase, watches, now, false);
  }

  async ensure(caseId: string, phase: string, watches: readonly DeadlineWatch[], now: Date): Promise<WatcherOutcome> {
    return this.#walk(caseId, phase, watches, now, true);
  }

  async #walk(caseId: string, phase: string, watches: readonly DeadlineWatch[], now: Date, replaceStale: boolean): Promise<WatcherOutcome> {
    const input = workflowInput(caseId, phase, watches, now);
    let failed = 0;
    let stopped = false;
    for (let generation = 0; generation < MAX_NAMES; generation++) {
      const name = executionName(caseId, phase, generation);
      const execution = await this.#describe(name);
      if (execution?.status === 'RUNNING') {
        const running = parseInput(execution.input);
        if (!replaceStale || (waitsOn(running, watches) && leftDormant(running, watches, now).length === 0)) return stopped ? 'restarted' : 'running';
        await this.#stop(name);
        stopped = true;
        continue;
      }
      if (execution?.status === 'FAILED' && ++failed >= MAX_GENERATIONS) {
        throw new WatcherGaveUpError(`${caseId}/${phase}: ${failed} generations failed; not restarted again`);
      }
      if (execution) continue;
      try {
        await this.#sfn.send(new StartExecutionCommand({ stateMachineArn: this.#stateMachineArn, name, input: JSON.stringify(input) }));
      } catch (error) {
        // Started concurrently by another caller under the same name: that one watches.
        if (!(error instanceof ExecutionAlreadyExists)) throw error;
        return 'running';
      }
      return stopped ? 'restarted' : 'started';
    }
    throw new WatcherGaveUpError(`${caseId}/${phase}: no free execution name after ${MAX_NAMES} generations`);
  }

  async #stop(name: string): Promise<void> {
    try {
      await this.#sfn.send(new StopExecutionCommand({ executionArn: this.#executionArn(name), error: 'DeadlinesRecounted', cause: 'waits on instants the records no longer hold' }));
    } catch (error) {
      // It ended meanwhile: the walk goes on to the next name either way.
      if (!(error instanceof ExecutionDoesNotExist)) throw error;
    }
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

  async #describe(name: string): Promise<{ status?: string | undefined; input?: string | undefined } | undefined> {
    try {
      return await this.#sfn.send(new DescribeExecutionCommand({ executionArn: this.#executionArn(name) }));
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

function parseInput(input: string | undefined): WatchWorkflowInput | undefined {
  try {
    return input ? (JSON.parse(input) as WatchWorkflowInput) : undefined;
  } catch {
    return undefined;
  }
}
