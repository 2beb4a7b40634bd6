import type { DeadlineWatch } from './watch.ts';

/**
 * How far ahead a phase workflow waits at most. A Standard execution lives at most one year, and
 * some clocks run longer (15 months): an iteration wakes at the horizon, finds its watch still far
 * off and ends dormant; the hourly reconcile then starts the next generation, again capped. An
 * execution thus judges every watch it holds within about twice the horizon of its start.
 */
export const WATCH_HORIZON_DAYS = 150;
const HORIZON_MS = WATCH_HORIZON_DAYS * 86_400_000;

/** When a workflow started at `now` wakes for a watch due at `dueAt`: at its due instant, or at the horizon. */
export function wakeAt(dueAt: string, now: Date): string {
  return new Date(Math.min(Date.parse(dueAt), now.getTime() + HORIZON_MS)).toISOString();
}

/** Whether a watch due at `dueAt` is further off than the horizon at `now`: the iteration ends dormant rather than wait. */
export function beyondHorizon(dueAt: string, now: Date): boolean {
  return Date.parse(dueAt) - now.getTime() > HORIZON_MS;
}

/**
 * The port to the workflows that time the legal clocks. Starting is idempotent (executions are
 * named from the case and phase); the case record, not the execution, is the truth.
 */
export interface WatchScheduler {
  /** Makes sure the phase's workflow is running for these live watches; `now` caps its waits (the horizon). */
  watch(caseId: string, phase: string, watches: readonly DeadlineWatch[], now: Date): Promise<void>;
  /**
   * Makes sure the phase's workflow runs and waits on exactly these watches' recorded instants:
   * a running one that waits on other instants (re-counted, or a watch it does not know), or
   * that no longer waits on a live watch (its iteration ended dormant while others still run), is
   * stopped and the next generation started. Idempotent: a second call finds it `running`.
   */
  ensure(caseId: string, phase: string, watches: readonly DeadlineWatch[], now: Date): Promise<WatcherOutcome>;
  /** Tells a workflow waiting on a watch that its step has happened. */
  release(callbackToken: string, watch: DeadlineWatch): Promise<void>;
}

export type WatcherOutcome = 'running' | 'started' | 'restarted';

/** The phase failed so often that restarting it again is not useful: a person must look. */
export class WatcherGaveUpError extends Error {
  override name = 'WatcherGaveUpError';
}

/**
 * The input of a phase workflow: what each Map iteration waits for. It waits until `wakeAt` (the
 * due instant, or the horizon if that comes first); `dueAt` is the instant it was started for.
 */
export interface WatchWorkflowInput {
  caseId: string;
  phase: string;
  /** `wakeAt` is absent from executions started before the horizon: they wait on `dueAt`. */
  watches: Array<{ caseId: string; ruleId: string; dueAt: string; wakeAt?: string }>;
}

export function workflowInput(caseId: string, phase: string, watches: readonly DeadlineWatch[], now: Date): WatchWorkflowInput {
  return { caseId, phase, watches: watches.map((w) => ({ caseId, ruleId: w.ruleId, dueAt: w.dueAt, wakeAt: wakeAt(w.dueAt, now) })) };
}

/** Deterministic execution name: a retried or reconciled start finds the running one. */
export function executionName(caseId: string, phase: string, generation = 0): string {
  return generation === 0 ? `${caseId}-${phase}` : `${caseId}-${phase}-r${generation}`;
}

/**
 * Whether a running execution (its input) waits on every live watch at its recorded instant.
 * Watches it lists that are no longer live are fine: their iterations end when judged.
 */
export function waitsOn(input: WatchWorkflowInput | undefined, live: readonly Pick<DeadlineWatch, 'ruleId' | 'dueAt'>[]): boolean {
  if (!input || !Array.isArray(input.watches)) return false;
  const waiting = new Map(input.watches.map((w) => [w.ruleId, w.dueAt]));
  return live.every((w) => waiting.get(w.ruleId) === w.dueAt);
}

/**
 * The live watches whose iteration in a running execution has ended dormant: it woke at the
 * horizon with the watch still more than a horizon off (from the input alone: woken, and due more
 * than a horizon after waking). Nothing in that execution waits on them any more, and it may run
 * on for long (another watch awaiting its overdue step), so the phase needs its next generation.
 * An iteration that woke within a horizon of its due instant adopted it and still waits.
 */
export function leftDormant(input: WatchWorkflowInput | undefined, live: readonly Pick<DeadlineWatch, 'ruleId' | 'dueAt'>[], now: Date): string[] {
  if (!input || !Array.isArray(input.watches)) return [];
  const liveIds = new Set(live.map((w) => w.ruleId));
  return input.watches
    .filter((w) => liveIds.has(w.ruleId) && w.wakeAt !== undefined && Date.parse(w.wakeAt) <= now.getTime() && beyondHorizon(w.dueAt, new Date(w.wakeAt)))
    .map((w) => w.ruleId);
}
