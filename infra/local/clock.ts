/**
 * The local cloud's one virtual clock. It drives Wait states, task timeouts and the "now" handed
 * to handlers. Virtual time flows with real time (so a person trying the system sees a 2-hour
 * deadline pass after 2 hours) plus an offset that `advance` moves forward, never back.
 *
 * Timers never use a raw long setTimeout (Node clamps delays above 2^31-1 ms to 1 ms); the clock
 * keeps its own sorted timer list and re-arms one short real timer for the earliest of them.
 */
export interface Clock {
  /** Current virtual time, epoch milliseconds. */
  now(): number;
}

interface Timer {
  id: number;
  dueMs: number;
  fire: () => void;
}

/** Longest real setTimeout we arm at once; well under Node's 2^31-1 ms clamp. */
const MAX_REAL_DELAY_MS = 60 * 60 * 1000;

export class VirtualClock implements Clock {
  #offsetMs: number;
  #timers: Timer[] = [];
  #nextId = 1;
  #realTimer: NodeJS.Timeout | undefined;
  #settlers: Array<() => Promise<void>> = [];
  #listeners: Array<(nowMs: number) => void> = [];
  #advancing: Promise<void> = Promise.resolve();
  #realNow: () => number;

  /**
   * @param offsetMs virtual minus real time at construction (persisted by the local cloud).
   * @param realNow source of real time; injectable for tests.
   */
  constructor(offsetMs = 0, realNow: () => number = Date.now) {
    this.#offsetMs = offsetMs;
    this.#realNow = realNow;
  }

  now(): number {
    return this.#realNow() + this.#offsetMs;
  }

  get offsetMs(): number {
    return this.#offsetMs;
  }

  /** Called after every change of the offset (the local cloud persists it). */
  onChange(listener: (nowMs: number) => void): void {
    this.#listeners.push(listener);
  }

  /**
   * Registers work that must finish before the next timer fires during `advance` (the workflow
   * engine settles its running executions), so that steps happen in virtual-time order.
   */
  addSettler(settle: () => Promise<void>): void {
    this.#settlers.push(settle);
  }

  /** Resolves when virtual time reaches `dueMs`; rejects with the signal's reason if aborted. */
  sleepUntil(dueMs: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const id = this.setTimer(dueMs, resolve);
      signal?.addEventListener(
        'abort',
        () => {
          this.clearTimer(id);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  /** Schedules `fire` at virtual instant `dueMs`; returns an id for `clearTimer`. */
  setTimer(dueMs: number, fire: () => void): number {
    const timer = { id: this.#nextId++, dueMs, fire };
    const at = this.#timers.findIndex((t) => t.dueMs > dueMs);
    if (at === -1) this.#timers.push(timer);
    else this.#timers.splice(at, 0, timer);
    this.#arm();
    return timer.id;
  }

  clearTimer(id: number): void {
    this.#timers = this.#timers.filter((t) => t.id !== id);
    this.#arm();
  }

  /** Number of pending timers (for diagnostics and tests). */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  /**
   * Moves virtual time forward by `ms`, firing due timers one at a time in order, with the clock
   * standing at each timer's instant while it fires and everything settled before the next.
   */
  advance(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('advance needs a non-negative duration');
    const run = this.#advancing.then(() => this.#advanceTo(this.now() + ms));
    this.#advancing = run.catch(() => undefined);
    return run;
  }

  /** Moves virtual time forward to `targetMs` (no-op if that is in the past). */
  advanceTo(targetMs: number): Promise<void> {
    return this.advance(Math.max(0, targetMs - this.now()));
  }

  /** Waits until all registered settlers report idle. */
  async settle(): Promise<void> {
    // Two rounds: work finishing in one settler may start work in another.
    for (let round = 0; round < 2; round++) {
      for (const settle of this.#settlers) await settle();
    }
  }

  async #advanceTo(targetMs: number): Promise<void> {
    await this.settle();
    for (;;) {
      const next = this.#timers[0];
      if (!next || next.dueMs > targetMs) break;
      if (next.dueMs > this.now()) this.#setNow(next.dueMs);
      this.#timers.shift();
      next.fire();
      await this.settle();
    }
    if (targetMs > this.now()) this.#setNow(targetMs);
    this.#arm();
  }

  #setNow(virtualMs: number): void {
    this.#offsetMs = virtualMs - this.#realNow();
    for (const listener of this.#listeners) listener(this.now());
  }

  #arm(): void {
    if (this.#realTimer) clearTimeout(this.#realTimer);
    this.#realTimer = undefined;
    const next = this.#timers[0];
    if (!next) return;
    const delay = Math.min(Math.max(0, next.dueMs - this.now()), MAX_REAL_DELAY_MS);
    this.#realTimer = setTimeout(() => this.#fireDue(), delay);
    this.#realTimer.unref();
  }

  #fireDue(): void {
    this.#realTimer = undefined;
    const now = this.now();
    while (this.#timers[0] && this.#timers[0].dueMs <= now) this.#timers.shift()!.fire();
    this.#arm();
  }

  /** Stops the real timer so the process can exit; pending timers stay listed. */
  dispose(): void {
    if (this.#realTimer) clearTimeout(this.#realTimer);
    this.#realTimer = undefined;
  }
}
