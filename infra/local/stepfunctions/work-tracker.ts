import type { VirtualClock } from '../clock.ts';

/**
 * Counts the engine's running work so the virtual clock can tell when every execution is merely
 * waiting (on the clock or on a task token) and it is safe to fire the next timer.
 *
 * Each fiber (an execution, a Parallel branch, a Map worker) counts as busy from start to end,
 * except while it is suspended. A resumed fiber is counted busy again synchronously, before its
 * promise continuation runs, so no gap appears between a timer firing and the work it wakes.
 */
export class WorkTracker {
  #busy = 0;
  #idleWaiters: Array<() => void> = [];
  #clock: VirtualClock;

  constructor(clock: VirtualClock) {
    this.#clock = clock;
  }

  get busy(): number {
    return this.#busy;
  }

  /** Runs `work` as a fiber: busy until it settles, except while suspended. */
  fiber<T>(work: () => Promise<T>): Promise<T> {
    this.#busy++;
    let running: Promise<T>;
    try {
      running = work();
    } catch (error) {
      running = Promise.reject(error);
    }
    return running.finally(() => this.#release());
  }

  /**
   * Suspends the calling fiber until `register` resumes or fails it, or `signal` aborts.
   * `register` returns a cleanup, called exactly once when the suspension ends.
   */
  suspend<T>(
    signal: AbortSignal,
    register: (resume: (value: T) => void, fail: (error: unknown) => void) => () => void,
  ): Promise<T> {
    this.#release();
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      let cleanup = (): void => undefined;
      const settle = (finish: () => void): void => {
        if (settled) return;
        settled = true;
        this.#busy++;
        signal.removeEventListener('abort', onAbort);
        cleanup();
        finish();
      };
      const onAbort = (): void => settle(() => reject(signal.reason));
      signal.addEventListener('abort', onAbort, { once: true });
      let registered: () => void;
      try {
        registered = register(
          (value) => settle(() => resolve(value)),
          (error) => settle(() => reject(error)),
        );
      } catch (error) {
        settle(() => reject(error)); // keeps the busy count balanced
        return;
      }
      if (settled) registered();
      else cleanup = registered;
      if (signal.aborted) onAbort();
    });
  }

  /** Suspends until virtual time `dueMs` (returns at once if it has passed). */
  async sleepUntil(dueMs: number, signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    if (dueMs <= this.#clock.now()) return;
    await this.suspend<void>(signal, (resume) => {
      const id = this.#clock.setTimer(dueMs, () => resume());
      return () => this.#clock.clearTimer(id);
    });
  }

  /** Suspends while other fibers (Parallel branches, Map workers) do the work `children` waits on. */
  awaitChildren<T>(children: Promise<T>, signal: AbortSignal): Promise<T> {
    return this.suspend<T>(signal, (resume, fail) => {
      children.then(resume, fail);
      return () => undefined;
    });
  }

  /** Resolves once no fiber is busy, confirmed across a macrotask turn (promise chains settle first). */
  async whenIdle(): Promise<void> {
    for (;;) {
      if (this.#busy > 0) await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      if (this.#busy === 0) return;
    }
  }

  #release(): void {
    this.#busy--;
    if (this.#busy > 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const wake of waiters) wake();
  }
}
