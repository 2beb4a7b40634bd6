import type { DeadlineWatch } from './watch.ts';

/**
 * The port to the workflows that time the legal clocks. Starting is idempotent (executions are
 * named from the case and phase); the case record, not the execution, is the truth.
 */
export interface WatchScheduler {
  /** Makes sure the phase's workflow is running for these live watches. */
  watch(caseId: string, phase: string, watches: readonly DeadlineWatch[]): Promise<void>;
  /** Replaces the phase's running workflow (its watches' due instants changed). */
  restart(caseId: string, phase: string, watches: readonly DeadlineWatch[]): Promise<void>;
  /** Tells a workflow waiting on a watch that its step has happened. */
  release(callbackToken: string, watch: DeadlineWatch): Promise<void>;
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
