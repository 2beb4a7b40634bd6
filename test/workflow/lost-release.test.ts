import { expect, it } from 'vitest';
import { apiClient, PLAN_DRAFT, publishNoticeViaApi, useTestCloud, WHO } from '../support/local-cloud.ts';
import { planApprovedViaApi } from '../support/oversight.ts';

/**
 * The plan is published while Step Functions cannot be reached, so the release of the waiting
 * workflow is lost: the record is right at once, and the workflow notices within a week.
 */
const cloudOf = useTestCloud({ clockStart: '2026-09-01T10:00:00+08:00' });

it('a lost release ends the wait at the next weekly look, without another alert', async () => {
  const cloud = cloudOf();
  const call = apiClient(cloud);
  const { projectId, plan } = await publishNoticeViaApi(call);
  await cloud.advance(Date.parse(plan.dueAt) + 60_000 - cloud.clock.now());
  const execution = () => cloud.stepFunctions.executions().find((e) => e.name === `${projectId}-project`)!;
  expect(cloud.stepFunctions.openTasks()).toHaveLength(1);

  await call(WHO.landBranch, 'PUT', `/projects/${projectId}/plan`, PLAN_DRAFT);
  await call(WHO.legal, 'POST', `/projects/${projectId}/plan/review`, { decision: 'approve' });
  await planApprovedViaApi(cloud, call, projectId);
  const port = Number(new URL(cloud.endpoints.sfn).port);
  await cloud.stepFunctions.close();
  const published = await call(WHO.landBranch, 'POST', `/projects/${projectId}/plan/publish`);
  expect(published.body.deadline).toMatchObject({ status: 'met-late' });
  await cloud.stepFunctions.listen(port);
  expect(execution().status).toBe('RUNNING');

  await cloud.advance(7 * 86_400_000 + 60_000);
  expect(execution().status).toBe('SUCCEEDED');
  expect(cloud.alerts().filter((m) => m.messageAttributes.kind?.Value === 'deadline-overdue')).toHaveLength(1);
});
