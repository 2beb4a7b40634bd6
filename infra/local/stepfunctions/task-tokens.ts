import { randomBytes } from 'node:crypto';
import type { VirtualClock } from '../clock.ts';
import { StepFunctionsApiError } from './api-error.ts';
import type { Json } from './asl.ts';
import { StatesError } from './states-error.ts';
import type { WorkTracker } from './work-tracker.ts';

/** A callback task waiting for SendTaskSuccess/Failure (for diagnostics and tests). */
export interface OpenTask {
  token: string;
  executionArn: string;
  stateName: string;
  startedMs: number;
  /** Virtual instant at which the task fails with States.Timeout. */
  deadlineMs: number;
  heartbeatMs: number | undefined;
  lastBeatMs: number;
}

type Outcome = { ok: true; output: Json } | { ok: false; error: StatesError };

interface Entry extends OpenTask {
  outcome?: Outcome;
  waiter?: { finish: (outcome: Outcome) => void; rearmHeartbeat: () => void };
}

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{64}$/;

/**
 * Task tokens of `.waitForTaskToken` tasks. A token is open from before the Lambda is invoked
 * (the Lambda may answer at once) until its outcome is consumed, it times out, or its execution
 * stops; then it is closed, and answering it again gets TaskTimedOut as on AWS.
 */
export class TaskTokens {
  #open = new Map<string, Entry>();
  #closed = new Set<string>();
  #clock: VirtualClock;
  #work: WorkTracker;

  constructor(clock: VirtualClock, work: WorkTracker) {
    this.#clock = clock;
    this.#work = work;
  }

  issue(task: Omit<OpenTask, 'token' | 'lastBeatMs'>): string {
    const token = randomBytes(48).toString('base64url');
    this.#open.set(token, { ...task, token, lastBeatMs: task.startedMs });
    return token;
  }

  /** Suspends the calling fiber until the token is answered or its deadline/heartbeat passes. */
  wait(token: string, signal: AbortSignal): Promise<Json> {
    const entry = this.#open.get(token);
    if (!entry) return Promise.reject(new StatesError('States.Runtime', 'Task token is no longer open'));
    return this.#work.suspend<Json>(signal, (resume, fail) => {
      const finish = (outcome: Outcome): void => (outcome.ok ? resume(outcome.output) : fail(outcome.error));
      if (entry.outcome) {
        finish(entry.outcome);
        return () => this.close(token);
      }
      const deadline = this.#clock.setTimer(entry.deadlineMs, () =>
        fail(new StatesError('States.Timeout', `Task '${entry.stateName}' got no callback within its TimeoutSeconds`)),
      );
      let heartbeat: number | undefined;
      const rearmHeartbeat = (): void => {
        if (heartbeat !== undefined) this.#clock.clearTimer(heartbeat);
        if (entry.heartbeatMs === undefined) return;
        heartbeat = this.#clock.setTimer(entry.lastBeatMs + entry.heartbeatMs, () =>
          fail(new StatesError('States.HeartbeatTimeout', `Task '${entry.stateName}' sent no heartbeat in time`)),
        );
      };
      rearmHeartbeat();
      entry.waiter = { finish, rearmHeartbeat };
      return () => {
        this.#clock.clearTimer(deadline);
        if (heartbeat !== undefined) this.#clock.clearTimer(heartbeat);
        this.close(token);
      };
    });
  }

  succeed(token: string, output: Json): void {
    this.#answer(token, { ok: true, output });
  }

  fail(token: string, error: StatesError): void {
    this.#answer(token, { ok: false, error });
  }

  heartbeat(token: string): void {
    const entry = this.#entry(token);
    entry.lastBeatMs = this.#clock.now();
    entry.waiter?.rearmHeartbeat();
  }

  /** Closes a token (idempotent): its task ended one way or another. */
  close(token: string): void {
    if (this.#open.delete(token)) this.#closed.add(token);
  }

  list(): OpenTask[] {
    return [...this.#open.values()]
      .filter((entry) => !entry.outcome)
      .map(({ outcome: _outcome, waiter: _waiter, ...task }) => task);
  }

  #answer(token: string, outcome: Outcome): void {
    const entry = this.#entry(token);
    entry.outcome = outcome;
    entry.waiter?.finish(outcome);
  }

  #entry(token: string): Entry {
    const entry = this.#open.get(token);
    if (entry && !entry.outcome) return entry;
    if (entry || this.#closed.has(token)) {
      throw new StepFunctionsApiError('TaskTimedOut', 'Task Timed Out: the task token has expired or its task has already been closed');
    }
    if (TOKEN_SHAPE.test(token)) throw new StepFunctionsApiError('TaskDoesNotExist', 'Task does not exist');
    throw new StepFunctionsApiError('InvalidToken', 'Invalid Token');
  }
}
