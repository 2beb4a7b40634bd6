import type { DeadlineWatch } from './watch.ts';

/**
 * The port to the workflows that time the legal clocks. Starting is idempotent (executions are
 * named from the case and phase); the case record, not the execution, is the truth.
 */
export interface WatchScheduler {
  /** Makes sure the phase's workflow is running for these live watches. */
  watch(caseId: string, phase: string, watches: readonly DeadlineWatch[]): Promise<void>;
  /**
   * Makes sure the phase's workflow runs and waits on exactly these watches' recorded instants:
   * a running one that waits on other instants (re-counted, or a watch it does not know) is
   * stopped and the next generation started. Idempotent: a second call finds it `running`.
   */
  ensure(caseId: string, phase: string, watches: readonly DeadlineWatch[]): Promise<WatcherOutcome>;
  /** Tells a workflow waiting on a watch that its step has happened. */
  release(callbackToken: string, watch: DeadlineWatch): Promise<void>;
}

export type WatcherOutcome = 'running' | 'started' | 'restarted';

/** The phase failed so often that restarting it again is not useful: a person must look. */
export class WatcherGaveUpError extends Error {
  override name = 'WatcherGaveUpError';
}

/** The input of a phase workflow: what each Map iteration waits for. */
export interface WatchWorkflowInput {
  caseId: string;
  phase: string;
  watches: Array<{ caseId: string; ruleId: string; dueAt: string }>;
}

export function workflowInput(caseId: string, phase: string, watches: readonly DeadlineWatch[]): WatchWorkflowInput {
  return { caseId, phase, watches: watches.map((w) => ({ caseId, ruleId: w.ruleId, dueAt: w.dueAt })) };
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
