import { afterAll, expect, it } from 'vitest';
import type { LocalCloud } from '../../infra/local/cloud.ts';
import { apiClient, publishNoticeViaApi, startTestCloud } from '../support/local-cloud.ts';

/**
 * Data (tables, evidence, the clock) survives a restart of the local cloud, and open deadlines
 * still fire after it: reconcile restarts each live watch's workflow under its deterministic name.
 */
let cloud: LocalCloud | undefined;
afterAll(async () => {
  await cloud?.stop();
});

// Starts two local clouds inside the test, so it gets the hooks' timeout rather than the tests'.
it('an open 45-day deadline set before a restart alerts once after it', { timeout: 180_000 }, async () => {
  const first = await startTestCloud({ clockStart: '2026-09-01T10:00:00+08:00' });
  cloud = first;
  const { projectId, plan } = await publishNoticeViaApi(apiClient(first));
  await first.advance(10 * 86_400_000);
  const clockBefore = first.clock.now();
  await first.stop();

  cloud = await startTestCloud({ clockStart: '2030-01-01T00:00:00Z', dataDir: first.dataDir, tablePrefix: first.tablePrefix, fresh: false });
  // The clock continued where it was (not the clockStart given for a fresh start).
  expect(Math.abs(cloud.clock.now() - clockBefore)).toBeLessThan(60_000);
  expect(cloud.stepFunctions.executions().map((e) => e.name)).toContain(`${projectId}-project`);

  await cloud.advance(Date.parse(plan.dueAt) + 60_000 - cloud.clock.now());
  const alerts = cloud.alerts().filter((m) => m.messageAttributes.project?.Value === projectId);
  expect(alerts).toHaveLength(1);
  expect(alerts[0]!.messageAttributes.kind?.Value).toBe('deadline-overdue');
});
