import { describe, expect, it } from 'vitest';
import { MemoryTable } from '../shared/adapters/memory-table.ts';
import { deadlinesDepsOn } from '../services/deadlines/adapters/deps.ts';
import { noticesDepsOn } from '../services/notices/adapters/deps.ts';
import { fallDueTask, workflowFailedTask } from '../services/deadlines/app/use-cases.ts';
import { acknowledgeHukouSuspension, readInbox } from '../services/notices/app/use-cases.ts';
import { AGENTS, ctxOf, MemoryEvidenceStore, RecordingAlerts, RecordingScheduler, sequentialIds } from '../test/support/fakes.ts';
import { projectWithPublishedNotice } from '../test/support/procedure.ts';
import { deadlineOverdueV1 } from './deadline-overdue.v1.ts';
import { hukouChangesSuspendedV1 } from './hukou-changes-suspended.v1.ts';
import { hukouSuspensionAcknowledgedV1 } from './hukou-suspension-acknowledged.v1.ts';
import { eventJsonSchemas } from './index.ts';
import { workflowFailureV1 } from './workflow-failure.v1.ts';

describe('event contracts', () => {
  it('what the services emit matches the published schemas', async () => {
    const store = new MemoryTable();
    const alerts = new RecordingAlerts();
    const deps = deadlinesDepsOn(store, { alerts, scheduler: new RecordingScheduler(), newId: sequentialIds });
    const { project, plan } = await projectWithPublishedNotice(store);
    await fallDueTask(deps, { caseId: project.id, ruleId: 'implementation-plan' }, new Date(Date.parse(plan.dueAt) + 1), 'r');
    await workflowFailedTask(deps, { caseId: project.id, phase: 'project', error: 'X' }, new Date('2026-10-20T00:00:00Z'));
    expect(deadlineOverdueV1.schema.safeParse(alerts.published[0]).success).toBe(true);
    expect(workflowFailureV1.schema.safeParse(alerts.published[1]).success).toBe(true);
    const noticesDeps = noticesDepsOn(store, { evidence: new MemoryEvidenceStore(), scheduler: new RecordingScheduler(), newId: sequentialIds });
    const inbox = await readInbox(noticesDeps, { limit: 10 }, ctxOf(AGENTS.police, '2026-09-02T00:00:00Z'));
    expect(hukouChangesSuspendedV1.schema.safeParse(inbox.items[0]).success).toBe(true);
    await acknowledgeHukouSuspension(noticesDeps, project.id, ctxOf(AGENTS.police, '2026-09-02T01:00:00Z'));
    const told = await readInbox(noticesDeps, { limit: 10 }, ctxOf(AGENTS.landBranch, '2026-09-02T02:00:00Z'));
    expect(told.items.map((e) => e.kind)).toEqual(['hukou-suspension-acknowledged']);
    expect(hukouSuspensionAcknowledgedV1.schema.safeParse(told.items[0]).success).toBe(true);
  });

  it('each has a JSON Schema', () => {
    const schemas = eventJsonSchemas();
    expect(Object.keys(schemas)).toEqual(['deadline-overdue.v1', 'workflow-failure.v1', 'hukou-changes-suspended.v1', 'hukou-suspension-acknowledged.v1', 'survey-confirmed.v1', 'compensation-computed.v1', 'agreement-signed.v1', 'deposit-confirmed.v1', 'funds-short.v1', 'payment-instructed.v1', 'payment-confirmed.v1', 'payment-rejected.v1', 'household-paid.v1', 'payment-workflow-failed.v1', 'social-security-transfer-recorded.v1', 'handover-recorded.v1', 'handover-refused.v1', 'instrument-served.v1', 'chain-suspended.v1', 'chain-resumed.v1', 'court-ruling-recorded.v1', 'joint-action-planned.v1', 'enforcement-executed.v1', 'incident-reported.v1', 'incident-classified.v1', 'leader-on-site.v1', 'incident-referred.v1', 'petition-assigned.v1', 'resolution-due.v1', 'resolution-done.v1', 'policy-query-step.v1', 'supervision-report.v1', 'supervision-assignment.v1']);
    expect(schemas['deadline-overdue.v1']).toMatchObject({ type: 'object', required: expect.arrayContaining(['alertId', 'agencies', 'projectId']) });
  });
});
