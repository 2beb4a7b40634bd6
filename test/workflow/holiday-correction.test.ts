import { expect, it } from 'vitest';
import { builtInYears } from '../../shared/calendar/index.ts';
import { apiClient, publishNoticeViaApi, useTestCloud, WHO } from '../support/local-cloud.ts';

/**
 * A schedule corrected mid-year moves the open deadlines it touches: re-counted, audited, and their
 * workflow restarted, so the alert comes at the new instant and not at the old one.
 */
const cloudOf = useTestCloud({ clockStart: '2026-09-01T10:00:00+08:00' });

it('re-counts an open deadline when its last day becomes a rest day, and alerts only at the new instant', async () => {
  const cloud = cloudOf();
  const call = apiClient(cloud);
  const { projectId, plan } = await publishNoticeViaApi(call);
  expect(plan.dueAt).toBe('2026-10-16T16:00:00.000Z'); // Friday 16 Oct 2026, 24:00 Beijing

  // Test fixture: the built-in 2026 schedule with Friday 16 Oct made a rest day (not a real notice).
  const y2026 = builtInYears().find((y) => y.year === 2026)!;
  const corrected = { ...y2026, holidays: [...y2026.holidays, { date: '2026-10-16', name: '测试更正' }], source: '测试更正数据（非国务院安排）', updatedAt: '2026-09-02' };
  const put = await call(WHO.leadingGroup, 'PUT', '/calendar/years/2026', corrected);
  expect(put.status).toBe(202);
  expect(put.body.job).toMatchObject({ kind: 'recount', status: 'running' });
  await cloud.advance(0);
  const job = await call(WHO.leadingGroup, 'GET', `/calendar/jobs/${put.body.job.jobId}`);
  expect(job.status).toBe(200);
  // 16 Oct is now a rest day, 17–18 Oct a weekend: the period ends on Monday 19 Oct.
  expect(job.body).toMatchObject({ status: 'completed', counts: { changed: 1, restarted: 1, failed: 0 } });
  expect((await call(WHO.landBranch, 'GET', `/calendar/jobs/${put.body.job.jobId}`)).status).toBe(403);
  const names = cloud.stepFunctions.executions().filter((e) => e.name.startsWith(projectId)).map((e) => `${e.name}:${e.status}`).sort();
  // Only the project phase moved; each group's registration window (last day 8 Oct) keeps its workflow.
  expect(names).toEqual([`${projectId}-project-r1:RUNNING`, `${projectId}-project:ABORTED`, `${projectId}-registration-g1:RUNNING`, `${projectId}-registration-g2:RUNNING`]);

  const overdue = () => cloud.alerts().filter((m) => m.messageAttributes.kind?.Value === 'deadline-overdue');
  await cloud.advance(Date.parse('2026-10-17T00:01:00+08:00') - cloud.clock.now());
  expect(overdue()).toHaveLength(0);
  await cloud.advance(Date.parse('2026-10-20T00:01:00+08:00') - cloud.clock.now());
  expect(overdue()).toHaveLength(1);

  const timeline = await call(WHO.landBranch, 'GET', `/projects/${projectId}/timeline`);
  expect(timeline.body.steps.find((s: { step: string }) => s.step === '发布征地补偿安置实施方案')).toMatchObject({ status: 'overdue', dueAt: '2026-10-19T16:00:00.000Z' });
});
