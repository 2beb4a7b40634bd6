import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryTable } from '../../../shared/adapters/memory-table.ts';
import { MemoryPiiVault } from '../../../shared/adapters/memory-pii-vault.ts';
import { fallDueTask, awaitStepTask } from '../../deadlines/app/use-cases.ts';
import { AGENTS, ctxOf, MemoryBucket, RecordingAlerts, RecordingScheduler, sequentialIds } from '../../../test/support/fakes.ts';
import { projectWithPublishedNotice } from '../../../test/support/procedure.ts';
import { deadlinesDepsOn } from '../../deadlines/adapters/deps.ts';
import { compensationDepsOn } from '../adapters/deps.ts';
import { draftProjectPlan, publishProjectPlan, reviewProjectPlan, type CompensationDeps } from './use-cases.ts';
import { planApprovedAtJointMeeting } from '../../../test/support/oversight.ts';
import { expectRefused } from '../../../test/support/compensation.ts';

const STANDARD = {
  landRates: [{ landClass: '水田', fenPerMu: 4_800_000 }, { landClass: '旱地', fenPerMu: 3_600_000 }],
  resettlementSubsidyRates: [{ landClass: '水田', fenPerMu: 3_200_000 }, { landClass: '旱地', fenPerMu: 2_400_000 }],
  cropRates: [{ crop: '水稻', fenPerMu: 150_000 }],
  attachmentRates: [{ item: '水井', unit: '口', fenPerUnit: 80_000 }],
  houseRates: [{ structure: '砖混', fenPerSquareMetre: 98_000 }],
  socialSecurity: { fenPerPerson: 2_500_000 },
  resettlementOptions: [
    { id: 'money', description: '货币补偿', kind: 'cash' as const },
    { id: 'house', description: '产权调换', kind: 'swap' as const, fenPerSquareMetre: 260_000 },
  ],
};
const DRAFT = { title: '征地补偿安置实施方案', body: '方案正文', standard: STANDARD };

let store: MemoryTable;
let scheduler: RecordingScheduler;
let deps: CompensationDeps;
beforeEach(() => {
  store = new MemoryTable();
  scheduler = new RecordingScheduler();
  const bucket = new MemoryBucket();
  deps = compensationDepsOn(store, { scheduler, evidence: bucket, files: bucket, pii: new MemoryPiiVault(), newId: sequentialIds });
});

/** Drafted, reviewed by the legal affairs office and approved at the joint meeting (§四(一)). */
async function approvedPlan(projectId: string) {
  await draftProjectPlan(deps, projectId, DRAFT, ctxOf(AGENTS.landBranch, '2026-09-20T09:00:00+08:00'));
  await reviewProjectPlan(deps, projectId, { decision: 'approve' }, ctxOf(AGENTS.legal, '2026-09-21T09:00:00+08:00'));
  await planApprovedAtJointMeeting(store, projectId, '2026-09-21T15:00:00+08:00');
}

describe('the implementation plan and its one compensation standard', () => {
  it('publishing meets the 45-day deadline in time and locks the standard', async () => {
    const { project } = await projectWithPublishedNotice(store);
    await approvedPlan(project.id);
    const { plan, deadline } = await publishProjectPlan(deps, project.id, ctxOf(AGENTS.landBranch, '2026-09-22T09:00:00+08:00'));
    expect(plan.status).toBe('published');
    expect(deadline).toMatchObject({ ruleId: 'implementation-plan', status: 'met' });
    // When its timer fires, the watch is found met in time (counted once as met).
    const worker = deadlinesDepsOn(store, { alerts: new RecordingAlerts(), scheduler, newId: sequentialIds });
    expect(await fallDueTask(worker, { caseId: project.id, ruleId: 'implementation-plan' }, new Date(Date.parse(deadline!.dueAt) + 1), 'r1')).toEqual({ status: 'met', dueAt: deadline!.dueAt, judged: 'met-in-time' });
    await expect(draftProjectPlan(deps, project.id, { ...DRAFT, standard: { ...STANDARD, landRates: [{ landClass: '水田', fenPerMu: 5_000_000 }] } }, ctxOf(AGENTS.landBranch, '2026-09-23T09:00:00+08:00'))).rejects.toMatchObject({ code: 'plan.locked' });
    await expect(publishProjectPlan(deps, project.id, ctxOf(AGENTS.landBranch, '2026-09-23T09:00:00+08:00'))).rejects.toMatchObject({ code: 'plan.locked' });
  });

  it('is not published without the joint meeting’s approval, reviewed or not, and nothing is written', async () => {
    const { project } = await projectWithPublishedNotice(store);
    await draftProjectPlan(deps, project.id, DRAFT, ctxOf(AGENTS.landBranch, '2026-09-20T09:00:00+08:00'));
    await reviewProjectPlan(deps, project.id, { decision: 'approve' }, ctxOf(AGENTS.legal, '2026-09-21T09:00:00+08:00'));
    await expectRefused({ store, bucket: new MemoryBucket() }, () => publishProjectPlan(deps, project.id, ctxOf(AGENTS.landBranch, '2026-09-22T09:00:00+08:00')), { status: 422, code: 'plan.not-approved-by-joint-meeting' });
    await planApprovedAtJointMeeting(store, project.id, '2026-09-22T10:00:00+08:00');
    expect((await publishProjectPlan(deps, project.id, ctxOf(AGENTS.landBranch, '2026-09-22T11:00:00+08:00'))).plan.status).toBe('published');
  });

  it('refuses two rates for the same class (that would be two standards)', async () => {
    const { project } = await projectWithPublishedNotice(store);
    const twice = { ...DRAFT, standard: { ...STANDARD, landRates: [...STANDARD.landRates, { landClass: '水田', fenPerMu: 1 }] } };
    await expect(draftProjectPlan(deps, project.id, twice, ctxOf(AGENTS.landBranch, '2026-09-20T09:00:00+08:00'))).rejects.toMatchObject({ code: 'plan.duplicate-rate' });
  });

  it('published late, it closes the overdue watch and releases the waiting workflow', async () => {
    const { project, plan: due } = await projectWithPublishedNotice(store);
    const alerts = new RecordingAlerts();
    const worker = deadlinesDepsOn(store, { alerts, scheduler, newId: sequentialIds });
    expect(await fallDueTask(worker, { caseId: project.id, ruleId: 'implementation-plan' }, new Date(Date.parse(due.dueAt) + 60_000), 'r1')).toMatchObject({ status: 'overdue' });
    await awaitStepTask(worker, { caseId: project.id, ruleId: 'implementation-plan', token: 'task-token-1' });
    await approvedPlan(project.id);
    const { deadline } = await publishProjectPlan(deps, project.id, ctxOf(AGENTS.landBranch, '2026-10-25T09:00:00+08:00'));
    expect(deadline).toMatchObject({ status: 'met-late' });
    // A late meeting is not counted as met in time.
    expect(await fallDueTask(worker, { caseId: project.id, ruleId: 'implementation-plan' }, new Date('2026-10-26T09:00:00+08:00'), 'r2')).toEqual({ status: 'met', dueAt: due.dueAt });
    expect(scheduler.released.map((r) => r.token)).toEqual(['task-token-1']);
    expect(alerts.published).toHaveLength(1);
  });
});
