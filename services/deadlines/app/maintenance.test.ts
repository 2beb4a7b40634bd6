import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryTable } from '../../../shared/adapters/memory-table.ts';
import { caseKernel } from '../../../shared/adapters/repositories/index.ts';
import { parseHolidayYear, builtInYears } from '../../../shared/calendar/index.ts';
import { newJob } from '../../../shared/deadlines/maintenance-job.ts';
import { RecordingAlerts, RecordingScheduler, sequentialIds } from '../../../test/support/fakes.ts';
import { projectWithPublishedNotice } from '../../../test/support/procedure.ts';
import { deadlinesDepsOn } from '../adapters/deps.ts';
import { maintenancePageTask, startReconcileTask, type MaintenanceDeps } from './maintenance.ts';

let table: MemoryTable;
let alerts: RecordingAlerts;
let scheduler: RecordingScheduler;
let deps: MaintenanceDeps;
const NOW = new Date('2026-09-05T00:00:00Z');
// Notices not posted yet: each project's live clocks are its plan deadline and the townships'
// posting deadlines, all in its one project phase.
const UNPOSTED = { posted: false };

beforeEach(() => {
  table = new MemoryTable();
  alerts = new RecordingAlerts();
  scheduler = new RecordingScheduler();
  deps = deadlinesDepsOn(table, { alerts, scheduler, newId: sequentialIds, pageSize: 1 });
});

async function job(kind: 'reconcile' | 'recount') {
  const created = newJob(`${kind}-1`, kind, 'test', NOW);
  await deps.uow.commit([deps.jobs.save(created, 'absent')], []);
  return created.jobId;
}

async function runToEnd(jobId: string, on: MaintenanceDeps = deps) {
  while (!(await maintenancePageTask(on, { jobId }, NOW, 'page')).done);
  return deps.jobs.get(jobId);
}

/** The 2026 schedule with Friday 16 October made a rest day: every implementation-plan deadline moves to 19 October. */
async function correct2026() {
  const y2026 = builtInYears().find((y) => y.year === 2026)!;
  const corrected = parseHolidayYear({ ...y2026, holidays: [...y2026.holidays, { date: '2026-10-16', name: '测试更正' }], source: '测试', updatedAt: '2026-09-02' });
  await deps.uow.commit([caseKernel(table).holidayYears.save(corrected, 'absent')], []);
}

describe('a reconcile job, a page at a time', () => {
  it('starts a missing workflow, restarts one waiting on other instants, leaves a matching one; each phase once however the pages fall', async () => {
    const first = await projectWithPublishedNotice(table, undefined, undefined, UNPOSTED);
    const second = await projectWithPublishedNotice(table, '2026-09-02T10:00:00+08:00', undefined, UNPOSTED);
    await scheduler.ensure(second.project.id, 'project', [{ ...second.deadlines[0]!, dueAt: '2026-09-20T16:00:00.000Z' } as never, second.deadlines[1] as never], NOW);
    scheduler.started.length = 0;
    const done = await runToEnd(await job('reconcile'));
    expect(done).toMatchObject({ status: 'completed', pages: 6, counts: { processed: 6, changed: 0, restarted: 2, failed: 0 } });
    expect(scheduler.started.map((s) => s.caseId).sort()).toEqual([first.project.id, second.project.id].sort());
    expect(scheduler.stopped).toEqual([{ caseId: second.project.id, phase: 'project' }]);
    // A second job finds every phase waiting on its records: nothing started or stopped.
    const again = newJob('reconcile-2', 'reconcile', 'test', NOW);
    await deps.uow.commit([deps.jobs.save(again, 'absent')], []);
    expect((await runToEnd('reconcile-2')).counts).toEqual({ processed: 6, changed: 0, restarted: 0, failed: 0 });
    expect(scheduler.started).toHaveLength(2);
  });

  it('carries on past a phase it cannot watch, alerting it; a throttled Step Functions call is the page\'s to retry, never a workflow-failure alert', async () => {
    const first = await projectWithPublishedNotice(table, undefined, undefined, UNPOSTED);
    const second = await projectWithPublishedNotice(table, '2026-09-02T10:00:00+08:00', undefined, UNPOSTED);
    const broken = { ...deps, scheduler: Object.assign(Object.create(scheduler) as RecordingScheduler, {
      ensure: async (caseId: string, phase: string, watches: readonly never[], now: Date) => {
        if (caseId === first.project.id) throw new Error('20 generations failed');
        return scheduler.ensure(caseId, phase, watches, now);
      },
    }) };
    expect((await runToEnd(await job('reconcile'), broken)).counts).toMatchObject({ failed: 1, restarted: 1 });
    expect(alerts.published).toEqual([expect.objectContaining({ kind: 'workflow-failure', projectId: first.project.id })]);
    expect(scheduler.started.map((s) => s.caseId)).toEqual([second.project.id]);

    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 }, $retryable: { throttling: true } });
    // A page large enough to hold a phase's first watch (the walk reads agency by agency: a page of one may hold none).
    const throttling = { ...deps, pageSize: 10, scheduler: Object.assign(Object.create(scheduler) as RecordingScheduler, { ensure: async () => Promise.reject(throttled) }) };
    const jobId = (await startReconcileTask({ ...deps, runner: { start: async () => undefined } }, NOW, 'r')).jobId;
    await expect(maintenancePageTask(throttling, { jobId }, NOW, 'page')).rejects.toBe(throttled);
    expect(alerts.published).toHaveLength(1);
    expect(await deps.jobs.get(jobId)).toMatchObject({ pages: 0, status: 'running' });
  });

  it('watches each village group\'s registration window in a workflow of its own, beside the project phase', async () => {
    const { project } = await projectWithPublishedNotice(table);
    expect((await runToEnd(await job('reconcile'))).counts).toMatchObject({ processed: 3, restarted: 3, failed: 0 });
    expect(scheduler.started.map((s) => [s.phase, s.watches.map((w) => w.ruleId)]).sort()).toEqual([
      ['project', ['implementation-plan']],
      ['registration-g1', ['registration-window/g1']],
      ['registration-g2', ['registration-window/g2']],
    ]);
    expect(new Set(scheduler.started.map((s) => s.caseId))).toEqual(new Set([project.id]));
  });

  it('the hourly start is one job per hour, started by name', async () => {
    const started: string[] = [];
    const hourly = { ...deps, runner: { start: async (id: string) => void started.push(id) } };
    const a = await startReconcileTask(hourly, new Date('2026-09-05T03:10:00Z'), 'r1');
    const b = await startReconcileTask(hourly, new Date('2026-09-05T03:50:00Z'), 'r2');
    expect(a).toEqual(b);
    expect(started).toEqual([a.jobId, a.jobId]);
    expect(table.audit.filter((r) => r.action === 'maintenance.start')).toHaveLength(1);
  });
});

describe('a recount job, a page at a time', () => {
  it('writes each moved deadline (audited) and restarts its phase in the same page; a page retried after a crash restarts nothing twice', async () => {
    const first = await projectWithPublishedNotice(table, undefined, undefined, UNPOSTED);
    const second = await projectWithPublishedNotice(table, '2026-09-01T11:00:00+08:00', undefined, UNPOSTED);
    for (const p of [first, second]) await scheduler.ensure(p.project.id, 'project', await deps.watches.ofCase(p.project.id), NOW);
    scheduler.started.length = 0;
    await correct2026();
    const jobId = await job('recount');
    // The first attempt of each page dies right after its Step Functions call, before its checkpoint.
    let crashes = 0;
    const crashing = { ...deps, scheduler: Object.assign(Object.create(scheduler) as RecordingScheduler, {
      ensure: async (caseId: string, phase: string, watches: readonly never[], now: Date) => {
        const outcome = await scheduler.ensure(caseId, phase, watches, now);
        if (crashes++ % 2 === 0) throw Object.assign(new Error('Task timed out'), { name: 'TimeoutError' });
        return outcome;
      },
    }) };
    for (;;) {
      try {
        if ((await maintenancePageTask(crashing, { jobId }, NOW, 'page')).done) break;
      } catch (error) {
        expect((error as Error).name).toBe('TimeoutError');
      }
    }
    expect(crashes).toBeGreaterThan(2);
    expect(await deps.jobs.get(jobId)).toMatchObject({ status: 'completed', counts: { processed: 6, changed: 2, restarted: 2, failed: 0 }, moved: [] });
    expect(scheduler.stopped.map((s) => s.caseId).sort()).toEqual([first.project.id, second.project.id].sort());
    expect(scheduler.started.map((s) => s.caseId).sort()).toEqual([first.project.id, second.project.id].sort());
    expect(table.audit.filter((a) => a.action === 'deadline.recounted')).toHaveLength(2);
    expect((await deps.watches.get(first.project.id, 'implementation-plan')).watch.dueAt).toBe('2026-10-19T16:00:00.000Z');
  });
});
