/**
 * A maintenance job walks the live deadlines a page at a time on the deadline-maintenance
 * workflow. The record is the checkpoint: `position` is where the next page starts, and `moved`
 * the case phases the page in progress already re-counted, so a retried page restarts each once.
 */
export type JobKind =
  /** Makes sure every live deadline's case phase has a workflow waiting on the recorded instants. */
  | 'reconcile'
  /** Re-counts open deadlines on corrected holiday data and restarts the phases that moved. */
  | 'recount';

export type JobStatus = 'running' | 'completed' | 'failed';

export interface JobCounts {
  /** Live watches read. */
  processed: number;
  /** Watches whose due instant moved (recount). */
  changed: number;
  /** Case phases whose workflow was started or restarted on the recorded instants. */
  restarted: number;
  /** Case phases that could not be watched (each alerted). */
  failed: number;
}

export interface MaintenanceJob {
  jobId: string;
  kind: JobKind;
  status: JobStatus;
  /** Why it runs: the hourly schedule, or the correction that asked for it. */
  reason: string;
  startedAt: string;
  finishedAt?: string;
  counts: JobCounts;
  pages: number;
  /** Where the next page starts (opaque, signed by the watch repository); absent at the start. */
  position?: string;
  /** Case phases the page in progress re-counted (`caseId/phase`) and how many of their watches moved. */
  moved: Array<{ caseId: string; phase: string; watches: number }>;
  /** Why it failed, when it did. */
  error?: string;
}

export const NO_COUNTS: JobCounts = { processed: 0, changed: 0, restarted: 0, failed: 0 };

export function newJob(jobId: string, kind: JobKind, reason: string, now: Date): MaintenanceJob {
  return { jobId, kind, status: 'running', reason, startedAt: now.toISOString(), counts: { ...NO_COUNTS }, pages: 0, moved: [] };
}

/** The reconcile job of the hour: a second start in the same hour finds the same job. */
export function hourlyReconcileId(now: Date): string {
  return `reconcile-${now.toISOString().slice(0, 13).replace(/[-T]/g, '')}`;
}

/** What the job's reader sees: the checkpoint stays internal. */
export function jobView(job: MaintenanceJob) {
  const { position: _position, moved: _moved, ...view } = job;
  return view;
}

/** Starts a job's run on the deadline-maintenance workflow; starting the same job twice is one run. */
export interface MaintenanceRunner {
  start(jobId: string): Promise<void>;
}
