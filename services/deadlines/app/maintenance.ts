import { CITY } from '../../../shared/agencies.ts';
import { auditOf, type ActionContext } from '../../../shared/audit.ts';
import type { MaintenanceJobRepository, Versioned } from '../../../shared/cases/ports.ts';
import type { HolidayCalendar } from '../../../shared/calendar/index.ts';
import { hourlyReconcileId, newJob, type JobCounts, type MaintenanceJob, type MaintenanceRunner } from '../../../shared/deadlines/maintenance-job.ts';
import { isLive, recountWatch, type DeadlineWatch } from '../../../shared/deadlines/watch.ts';
import { ConflictError, isDependencyOutage } from '../../../shared/errors.ts';
import { WORKFLOW_ACTOR, workflowFailedTask, type DeadlinesDeps } from './use-cases.ts';

/** Live watches per page: a page's work (reads, DescribeExecution per phase) fits well within 30 s. */
export const PAGE_SIZE = 200;

export interface MaintenanceDeps extends DeadlinesDeps {
  jobs: MaintenanceJobRepository;
  calendar: () => Promise<HolidayCalendar>;
  runner: MaintenanceRunner;
  pageSize?: number;
}

/** The hourly schedule: this hour's reconcile job, created once and started once (named by the hour). */
export async function startReconcileTask(deps: Pick<MaintenanceDeps, 'uow' | 'jobs' | 'runner'>, now: Date, requestId: string, named?: string): Promise<{ jobId: string }> {
  // The schedule's job is the hour's (a repeated delivery is one job); an on-demand reconcile (a
  // restarted local cloud, an operator) names its own.
  const jobId = named ?? hourlyReconcileId(now);
  if (!(await deps.jobs.find(jobId))) {
    const job = newJob(jobId, 'reconcile', named ? 'on demand' : 'hourly schedule', now);
    try {
      await deps.uow.commit([deps.jobs.save(job, 'absent')], [auditOf({ actor: WORKFLOW_ACTOR, requestId, now }, 'maintenance.start', jobTarget(jobId), { kind: 'reconcile' })]);
    } catch (error) {
      // Created by a concurrent start of the same hour: one job either way.
      if (!(error instanceof ConflictError)) throw error;
    }
  }
  await deps.runner.start(jobId);
  return { jobId };
}

/**
 * One page of a maintenance job, from the job's checkpoint. Safe to retry at any point: the
 * checkpoint moves on only with the page's last write, watches re-counted once stay re-counted,
 * and `ensure` restarts a phase only while its workflow waits on instants the records no longer hold.
 *
 * A case phase is handled on the page that holds its first live watch (by due instant), with all its
 * live watches, so one page restarts it once. Phases a previous attempt of this page re-counted
 * (`job.moved`) are made sure of first: their first watch may have moved past this page.
 */
export async function maintenancePageTask(deps: MaintenanceDeps, input: { jobId: string }, now: Date, requestId: string): Promise<{ done: boolean; failed: number }> {
  const ctx: ActionContext = { actor: WORKFLOW_ACTOR, requestId, now };
  let { version, ...job }: Versioned<MaintenanceJob> = await deps.jobs.get(input.jobId);
  if (job.status !== 'running') return { done: true, failed: 0 };
  const page = await deps.watches.livePage(job.position, deps.pageSize ?? PAGE_SIZE);
  const calendar = job.kind === 'recount' ? await deps.calendar() : undefined;
  const counts: JobCounts = { processed: page.items.length, changed: 0, restarted: 0, failed: 0 };
  const restarted: string[] = [];

  const handle = async (caseId: string, phase: string, work: () => Promise<boolean>) => {
    try {
      if (await work()) restarted.push(`${caseId}/${phase}`);
    } catch (error) {
      // Throttling, an outage, a concurrent write: the workflow retries the page.
      if (isDependencyOutage(error) || error instanceof ConflictError) throw error;
      // One phase that cannot be watched must not leave the others unwatched; it is alerted.
      counts.failed++;
      await workflowFailedTask(deps, { caseId, phase, error: 'ReconcileFailed', cause: String(error) }, now);
    }
  };

  for (const pending of job.moved) {
    await handle(pending.caseId, pending.phase, async () => {
      await deps.scheduler.ensure(pending.caseId, pending.phase, livePhase(await deps.watches.ofCase(pending.caseId), pending.phase), now);
      return true;
    });
  }

  const inPage = new Set(page.items.map(({ watch }) => indexKey(watch)));
  for (const caseId of new Set(page.items.map(({ watch }) => watch.caseId))) {
    const ofCase = await deps.watches.ofCase(caseId);
    for (const phase of new Set(ofCase.filter(isLive).map((w) => w.phase))) {
      const live = livePhase(ofCase, phase);
      if (!inPage.has(indexKey(live[0]!)) || job.moved.some((m) => m.caseId === caseId && m.phase === phase)) continue;
      await handle(caseId, phase, async () => {
        if (!calendar) return (await deps.scheduler.ensure(caseId, phase, live, now)) !== 'running';
        const moved = live.map((w) => recountWatch(w, calendar)).filter((w): w is DeadlineWatch => w !== undefined);
        if (moved.length === 0) return false;
        // The moved watches and the job's note of them commit together: a retry knows to restart the phase.
        const saves = await Promise.all(moved.map(async (w) => {
          const { version: at, waiting } = await deps.watches.get(w.caseId, w.ruleId);
          return deps.watches.save(w, at, waiting ? { waiting } : {});
        }));
        const noted = { ...job, moved: [...job.moved, { caseId, phase, watches: moved.length }] };
        await deps.uow.commit(
          [...saves, deps.jobs.save(noted, version)],
          moved.map((w) => auditOf(ctx, 'deadline.recounted', { type: 'deadline', id: `${w.caseId}/${w.ruleId}`, projectId: w.caseId }, { from: live.find((l) => l.ruleId === w.ruleId)!.dueAt, to: w.dueAt, jobId: job.jobId })),
        );
        job = noted;
        version++;
        const recounted = live.map((w) => moved.find((m) => m.ruleId === w.ruleId) ?? w);
        await deps.scheduler.ensure(caseId, phase, recounted, now);
        return true;
      });
    }
  }

  const done = page.position === undefined;
  counts.changed = job.moved.reduce((sum, m) => sum + m.watches, 0);
  counts.restarted = job.kind === 'recount' ? job.moved.length : restarted.length;
  const next: MaintenanceJob = {
    ...job,
    counts: add(job.counts, counts),
    pages: job.pages + 1,
    moved: [],
    ...(done ? { status: 'completed' as const, finishedAt: now.toISOString() } : {}),
  };
  if (page.position) next.position = page.position;
  else delete next.position;
  await deps.uow.commit(
    [deps.jobs.save(next, version)],
    [auditOf(ctx, done ? 'maintenance.completed' : 'maintenance.page', jobTarget(job.jobId), { kind: job.kind, page: next.pages, ...counts, restarted })],
  );
  return { done, failed: counts.failed };
}

/** The workflow gave up on a page (retries exhausted): the job is marked failed, and the office alerted. */
export async function maintenanceFailedTask(deps: MaintenanceDeps, input: { jobId: string; error?: string | undefined; cause?: string | undefined }, now: Date, requestId: string): Promise<void> {
  const { version, ...job } = await deps.jobs.get(input.jobId);
  if (job.status === 'running') {
    const failed: MaintenanceJob = { ...job, status: 'failed', finishedAt: now.toISOString(), error: `${input.error ?? ''} ${input.cause ?? ''}`.trim().slice(0, 1000) };
    await deps.uow.commit([deps.jobs.save(failed, version)], [auditOf({ actor: WORKFLOW_ACTOR, requestId, now }, 'maintenance.failed', jobTarget(job.jobId), { kind: job.kind, error: input.error })]);
  }
  await deps.alerts.publish({
    alertId: deps.newId(now.getTime()),
    kind: 'workflow-failure',
    severity: 'critical',
    agencies: ['leading-group-office'],
    // No one case: the job stands in for the project (subscribers filter on kind and agency).
    projectId: job.jobId,
    jurisdiction: CITY.id,
    subject: `Deadline maintenance failed: ${job.jobId} (${job.kind})`,
    message: `期限维护任务 ${job.jobId}（${job.kind === 'recount' ? '节假日更正后重新计算期限' : '核对期限监控流程'}）未能完成：${input.error ?? ''}。已处理 ${job.counts.processed} 条，可重新发起；已完成的部分不会重复执行。`,
    data: { jobId: job.jobId, kind: job.kind, error: input.error, cause: input.cause },
    raisedAt: now.toISOString(),
  });
}

/** The live watches of a phase, nearest due first. */
function livePhase(ofCase: readonly DeadlineWatch[], phase: string): DeadlineWatch[] {
  return ofCase.filter((w) => w.phase === phase && isLive(w)).sort((a, b) => (indexKey(a) < indexKey(b) ? -1 : 1));
}

/**
 * The order that picks a phase's first live watch (due instant, case, rule): whatever order the
 * walk reads the watches in (agency by agency), the phase is handled on the one page holding it.
 * Compared, never stored.
 */
const indexKey = (w: Pick<DeadlineWatch, 'dueAt' | 'caseId' | 'ruleId'>) => `${w.dueAt}#${w.caseId}#${w.ruleId}`;

const jobTarget = (jobId: string) => ({ type: 'maintenance-job', id: jobId });

function add(a: JobCounts, b: JobCounts): JobCounts {
  return { processed: a.processed + b.processed, changed: a.changed + b.changed, restarted: a.restarted + b.restarted, failed: a.failed + b.failed };
}
