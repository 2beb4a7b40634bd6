import { expect, it } from 'vitest';
import { casesTableFromEnv } from '../../shared/adapters/dynamodb-table.ts';
import { caseKernel } from '../../shared/adapters/repositories/index.ts';
import { asTableWrite } from '../../shared/adapters/table.ts';
import { HolidayCalendar } from '../../shared/calendar/index.ts';
import { WATCH_HORIZON_DAYS } from '../../shared/deadlines/scheduler.ts';
import { watchRule } from '../../shared/deadlines/watch-rules.ts';
import { openWatch } from '../../shared/deadlines/watch.ts';
import { useTestCloud } from '../support/local-cloud.ts';

/**
 * A clock due 400 days after it opens, on the synthesized watch workflow and the virtual clock: no
 * execution waits anywhere near Step Functions' one-year limit. The first generation wakes at the
 * horizon and ends (dormant); reconcile starts the next, which wakes at its own horizon, finds the
 * watch within reach and waits for its due instant; the miss is alerted exactly once.
 *
 * The clock starts in August 2025 so that the due instant (September 2026) is within the holiday
 * data (2026 is the last year of it).
 */
const cloudOf = useTestCloud({ clockStart: '2025-08-01T10:00:00+08:00' });

const MINUTE = 60_000;
const DAY = 86_400_000;
const CASE = 'HORIZON1';

it('a 400-day clock: the first execution ends dormant at 150 days, reconcile starts the next, and the miss is alerted once at the due instant', { timeout: 120_000 }, async () => {
  const cloud = cloudOf();
  const openedAt = cloud.clock.now();
  const watch = openWatch({ caseId: CASE, phase: 'project', jurisdiction: 'yongzhou/lengshuitan' }, { ...watchRule('implementation-plan'), period: '400d' }, new Date(openedAt), HolidayCalendar.builtIn());
  const table = casesTableFromEnv();
  const { watches } = caseKernel(table);
  await table.commit([asTableWrite(watches.save(watch, 'absent'))], []);
  expect(Date.parse(watch.dueAt) - openedAt).toBeGreaterThan(365 * DAY);

  let reconciles = 0;
  const reconcile = async () => {
    await cloud.invoke('DeadlinesWorker', { action: 'reconcile', now: new Date(cloud.clock.now()).toISOString(), jobId: `reconcile-horizon-${++reconciles}` });
    await cloud.advance(0);
  };
  const generations = () => cloud.stepFunctions.executions().filter((e) => e.name.startsWith(`${CASE}-`)).sort((a, b) => a.startMs - b.startMs);
  const overdueAlerts = () => cloud.alerts().filter((m) => m.messageAttributes?.project?.Value === CASE && m.messageAttributes?.kind?.Value === 'deadline-overdue');
  const wakeOf = (input: string) => JSON.parse(input).watches[0] as { caseId: string; ruleId: string; dueAt: string; wakeAt: string };
  // The horizon from the reconcile page's instant, a moment before the execution's start.
  const cappedAt = (execution: { input: string; startMs: number }) => Date.parse(wakeOf(execution.input).wakeAt) - execution.startMs;

  // The first generation waits for the horizon, not the due instant.
  await reconcile();
  const [first] = generations();
  expect(first).toMatchObject({ name: `${CASE}-project`, status: 'RUNNING' });
  expect(wakeOf(first!.input)).toMatchObject({ caseId: CASE, ruleId: 'implementation-plan', dueAt: watch.dueAt });
  expect(Math.abs(cappedAt(first!) - WATCH_HORIZON_DAYS * DAY)).toBeLessThan(MINUTE);

  await cloud.advance(Date.parse(wakeOf(first!.input).wakeAt) - MINUTE - cloud.clock.now());
  expect(generations()[0]!.status).toBe('RUNNING');
  await cloud.advance(2 * MINUTE);
  const ended = generations()[0]!;
  // Dormant: ended (not failed, nothing alerted) 150 days in, well before a year.
  expect(ended.status).toBe('SUCCEEDED');
  expect(ended.stopMs! - ended.startMs).toBeLessThan(WATCH_HORIZON_DAYS * DAY + 5 * MINUTE);
  expect(overdueAlerts()).toHaveLength(0);
  expect((await watches.get(CASE, 'implementation-plan')).watch.status).toBe('open');

  // The hourly reconcile starts the next generation, again capped at the horizon.
  await cloud.advance(30 * MINUTE);
  await reconcile();
  const second = generations()[1]!;
  expect(second).toMatchObject({ name: `${CASE}-project-r1`, status: 'RUNNING' });
  expect(wakeOf(second.input).dueAt).toBe(watch.dueAt);
  expect(Math.abs(cappedAt(second) - WATCH_HORIZON_DAYS * DAY)).toBeLessThan(MINUTE);

  // At its horizon the watch is within reach (~100 days): it waits on for the due instant, and reconcile leaves it be.
  await cloud.advance(Date.parse(wakeOf(second.input).wakeAt) + MINUTE - cloud.clock.now());
  await reconcile();
  expect(generations().map((e) => `${e.name}:${e.status}`)).toEqual([`${CASE}-project:SUCCEEDED`, `${CASE}-project-r1:RUNNING`]);

  await cloud.advance(Date.parse(watch.dueAt) - MINUTE - cloud.clock.now());
  expect(overdueAlerts()).toHaveLength(0);
  await cloud.advance(2 * MINUTE);
  expect(overdueAlerts()).toHaveLength(1);
  expect((await watches.get(CASE, 'implementation-plan')).watch).toMatchObject({ status: 'overdue' });
  // Judged by the second generation, which now awaits the step; a week later, still one alert.
  await cloud.advance(7 * DAY + MINUTE);
  expect(overdueAlerts()).toHaveLength(1);
  expect(generations().map((e) => `${e.name}:${e.status}`)).toEqual([`${CASE}-project:SUCCEEDED`, `${CASE}-project-r1:RUNNING`]);
  expect(Math.max(...generations().map((e) => (e.stopMs ?? cloud.clock.now()) - e.startMs))).toBeLessThan(2 * WATCH_HORIZON_DAYS * DAY);
});
