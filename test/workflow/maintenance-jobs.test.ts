import { expect, it } from 'vitest';
import { builtInYears } from '../../shared/calendar/index.ts';
import { apiClient, useTestCloud, WHO } from '../support/local-cloud.ts';
import { seedLiveWatches } from '../support/seed-watches.ts';

const cloudOf = useTestCloud({ clockStart: '2026-09-01T10:00:00+08:00' });

it('a correction moving 300 deadlines runs as a paged job: completes, restarts each case phase exactly once, and reads completed', { timeout: 300_000 }, async () => {
  const cloud = cloudOf();
  const call = apiClient(cloud);
  const caseIds = await seedLiveWatches(300, '2026-09-01T02:00:00Z');
  // The next hour's reconcile job (the start-up one has run) starts a watcher for each of the 300 phases (two pages).
  await cloud.advance(3_600_000);
  await cloud.invoke('DeadlinesWorker', { action: 'reconcile', now: new Date(cloud.clock.now()).toISOString() });
  await cloud.advance(0);
  const watchers = () => cloud.stepFunctions.executions().filter((e) => e.name.startsWith('SEED'));
  expect(watchers().filter((e) => e.status === 'RUNNING')).toHaveLength(300);

  const y2026 = builtInYears().find((y) => y.year === 2026)!;
  const corrected = { ...y2026, holidays: [...y2026.holidays, { date: '2026-10-16', name: '测试更正' }], source: '测试更正数据（非国务院安排）', updatedAt: '2026-09-02' };
  const put = await call(WHO.leadingGroup, 'PUT', '/calendar/years/2026', corrected);
  expect(put.status).toBe(202);
  await cloud.advance(0);
  const job = await call(WHO.leadingGroup, 'GET', `/calendar/jobs/${put.body.job.jobId}`);
  // Each deadline moved later (16 → 19 Oct), so the walk reads it again further on and finds it
  // unchanged: 600 reads over 4 pages, 300 changes, 300 restarts.
  expect(job.body).toMatchObject({ kind: 'recount', status: 'completed', pages: 4, counts: { processed: 600, changed: 300, restarted: 300, failed: 0 } });

  // Exactly once: every first generation stopped, every second one running, no third.
  const byCase = new Map(caseIds.map((id) => [id, watchers().filter((e) => e.name.startsWith(`${id}-`)).map((e) => `${e.name.slice(id.length)}:${e.status}`).sort()]));
  for (const [caseId, names] of byCase) expect(names, caseId).toEqual(['-project-r1:RUNNING', '-project:ABORTED']);
  const runningInput = JSON.parse(watchers().find((e) => e.status === 'RUNNING')!.input);
  expect(runningInput.watches[0].dueAt).toBe('2026-10-19T16:00:00.000Z');
});
