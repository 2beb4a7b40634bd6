import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud } from '../../infra/local/cloud.ts';
import { LOCAL_CREDENTIALS } from '../../infra/local/servers/net.ts';
import { apiClient, PLAN_DRAFT, publishNoticeViaApi, startTestCloud, WHO } from '../support/local-cloud.ts';
import { planApprovedViaApi } from '../support/oversight.ts';

/**
 * The synthesized deadline-watch state machine, run by the local Step Functions on the virtual
 * clock, driven through the real API: the 45-day plan deadline and the registration window.
 *
 * The tests share one clock that only moves forward, in any order: each creates its own project at
 * "now" and reckons from the deadlines it gets back. Every publication opens a 45-day deadline and
 * together the tests move the clock ~110 days, so the clock starts in March: whatever the order,
 * every deadline stays within 2026, the last year with holiday data (a year without data is
 * exercised in missing-holiday-year.test.ts, on a cloud of its own).
 */
let cloud: LocalCloud;
let call: ReturnType<typeof apiClient>;
let sfn: SFNClient;

beforeAll(async () => {
  cloud = await startTestCloud({ clockStart: '2026-03-02T10:00:00+08:00' });
  call = apiClient(cloud);
  sfn = new SFNClient({ endpoint: cloud.endpoints.sfn, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
});
afterAll(async () => {
  sfn?.destroy();
  await cloud?.stop();
});

const MINUTE = 60_000;
const overdueAlerts = (projectId: string) =>
  cloud.alerts().filter((m) => m.messageAttributes?.project?.Value === projectId && m.messageAttributes?.kind?.Value === 'deadline-overdue');
const execution = (projectId: string) => {
  const machine = cloud.blueprint.stateMachines[0]!;
  return sfn.send(new DescribeExecutionCommand({ executionArn: `${machine.arn.replace(':stateMachine:', ':execution:')}:${projectId}-project` }));
};

describe('the registration window', () => {
  it('accepts a registration a minute before its due instant and refuses one after it', async () => {
    const { projectId, window } = await publishNoticeViaApi(call, '10d');
    const register = (contractNumber: string) =>
      call(WHO.meiwan, 'POST', `/projects/${projectId}/registrations`, {
        villageGroupId: 'g1',
        rightType: 'land-contract',
        holder: { kind: 'person', name: '张三', idNumber: '11010519491231002X' },
        contractNumber,
        description: '承包地',
        onBehalf: true,
      });
    await cloud.advance(Date.parse(window.dueAt) - MINUTE - cloud.clock.now());
    expect((await register('C-1')).status).toBe(201);
    await cloud.advance(2 * MINUTE);
    const late = await register('C-2');
    expect(late.status).toBe(422);
    expect(late.body.error).toMatchObject({ code: 'registration.window-closed', details: { closedAt: window.dueAt } });
    const timeline = await call(WHO.landBranch, 'GET', `/projects/${projectId}/timeline`);
    expect(timeline.body.steps.find((s: { step: string }) => s.step === '办理征地补偿登记：梅湾村一组')).toMatchObject({ status: 'closed', lastDay: window.lastDay });
  });
});

describe('the 45-day implementation-plan deadline', () => {
  it('alerts exactly once after the due instant, keeps watching, and closes when the plan is published', async () => {
    const publishedAt = new Date(cloud.clock.now()).toISOString();
    const { projectId, plan } = await publishNoticeViaApi(call);
    // The due instant is the legal calendar's, as agencies can query it too.
    const expected = await call(WHO.landBranch, 'GET', `/calendar/deadline?period=45d&from=${encodeURIComponent(publishedAt)}`);
    expect(plan.dueAt).toBe(expected.body.dueAt);
    expect((await execution(projectId)).status).toBe('RUNNING');

    await cloud.advance(Date.parse(plan.dueAt) - MINUTE - cloud.clock.now());
    expect(overdueAlerts(projectId)).toHaveLength(0);

    await cloud.advance(2 * MINUTE);
    const alerts = overdueAlerts(projectId);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.messageAttributes).toMatchObject({
      agency: { Type: 'String.Array', Value: JSON.stringify(['land-bureau', 'leading-group-office']) },
      severity: { Value: 'warning' },
    });

    await cloud.advance(7 * 24 * 60 * MINUTE);
    expect(overdueAlerts(projectId)).toHaveLength(1);
    expect((await execution(projectId)).status).toBe('RUNNING');

    const overdue = await call(WHO.leadingGroup, 'GET', '/performance/overdue');
    expect(overdue.body.items.filter((r: { caseId: string }) => r.caseId === projectId)).toEqual([
      expect.objectContaining({ agency: 'land-bureau', caseId: projectId, ruleId: 'implementation-plan' }),
    ]);

    expect((await call(WHO.landBranch, 'PUT', `/projects/${projectId}/plan`, PLAN_DRAFT)).status).toBe(200);
    expect((await call(WHO.legal, 'POST', `/projects/${projectId}/plan/review`, { decision: 'approve' })).status).toBe(200);
    await planApprovedViaApi(cloud, call, projectId);
    const published = await call(WHO.landBranch, 'POST', `/projects/${projectId}/plan/publish`);
    expect(published.body.deadline).toMatchObject({ status: 'met-late' });
    await cloud.advance(0);
    expect((await execution(projectId)).status).toBe('SUCCEEDED');
  });

  it('published in time: no alert when the due instant passes', async () => {
    const { projectId, plan } = await publishNoticeViaApi(call);
    await call(WHO.landBranch, 'PUT', `/projects/${projectId}/plan`, PLAN_DRAFT);
    await call(WHO.legal, 'POST', `/projects/${projectId}/plan/review`, { decision: 'approve' });
    await planApprovedViaApi(cloud, call, projectId);
    expect((await call(WHO.landBranch, 'POST', `/projects/${projectId}/plan/publish`)).body.deadline).toMatchObject({ status: 'met' });
    await cloud.advance(Math.max(0, Date.parse(plan.dueAt) - cloud.clock.now()) + 60 * MINUTE);
    expect(overdueAlerts(projectId)).toHaveLength(0);
  });
});
