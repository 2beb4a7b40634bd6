import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryTable } from '../../../shared/adapters/memory-table.ts';
import { deadlineOverdueV1 } from '../../../events/deadline-overdue.v1.ts';
import { watchRule } from '../../../shared/deadlines/watch-rules.ts';
import { alsoAccountable, cancelWatch, meetWatch, openWatch } from '../../../shared/deadlines/watch.ts';
import { calendar, RecordingAlerts, RecordingScheduler, sequentialIds } from '../../../test/support/fakes.ts';
import { projectWithPublishedNotice } from '../../../test/support/procedure.ts';
import { deadlinesDepsOn } from '../adapters/deps.ts';
import { AlertInFlightError, awaitStepTask, fallDueTask, type DeadlinesDeps } from './use-cases.ts';

let store: MemoryTable;
let alerts: RecordingAlerts;
let scheduler: RecordingScheduler;
let deps: DeadlinesDeps;
beforeEach(() => {
  store = new MemoryTable();
  alerts = new RecordingAlerts();
  scheduler = new RecordingScheduler();
  deps = deadlinesDepsOn(store, { alerts, scheduler, newId: sequentialIds });
});

const at = (iso: string, deltaMs = 0) => new Date(Date.parse(iso) + deltaMs);

describe('a deadline falling due', () => {
  it('an agency deadline: one alert to the agency and the leading group office, recorded against the agency, however often the timer fires', async () => {
    const { project, plan } = await projectWithPublishedNotice(store);
    const input = { caseId: project.id, ruleId: 'implementation-plan' };
    expect(await fallDueTask(deps, input, at(plan.dueAt, -60_000), 'r1')).toMatchObject({ status: 'not-yet-due' });
    expect(alerts.published).toHaveLength(0);
    expect(await fallDueTask(deps, input, at(plan.dueAt, 60_000), 'r2')).toEqual({ status: 'overdue', dueAt: plan.dueAt, judged: 'missed' });
    // The weekly re-check finds it still overdue: no second alert, and not counted as missed again.
    expect(await fallDueTask(deps, input, at(plan.dueAt, 7 * 86_400_000), 'r3')).toEqual({ status: 'overdue', dueAt: plan.dueAt });
    expect(alerts.published).toHaveLength(1);
    const [alert] = alerts.published;
    expect(alert).toMatchObject({ kind: 'deadline-overdue', agencies: ['land-bureau', 'leading-group-office'], projectId: project.id });
    expect(alert!.message).toContain('2026年10月16日24时');
    expect(alert!.message).toContain('§五(一)3');
    expect((await deps.performance.page({ limit: 10 })).items).toMatchObject([{ agency: 'land-bureau', caseId: project.id, ruleId: 'implementation-plan', dueAt: plan.dueAt }]);
    expect(store.audit.filter((a) => a.action === 'deadline.overdue')).toHaveLength(1);
  });

  it('woken at the horizon with the watch more than 150 days off: dormant (the iteration ends); within 150 days: not yet due (wait on)', async () => {
    const opened = openWatch({ caseId: 'E-2', phase: 'enforcement', jurisdiction: 'yongzhou/lengshuitan' }, { ...watchRule('implementation-plan'), period: '400d' }, new Date('2025-08-01T02:00:00Z'), await calendar());
    await deps.uow.commit([deps.watches.save(opened, 'absent')], []);
    const input = { caseId: 'E-2', ruleId: 'implementation-plan' };
    const DAY = 86_400_000;
    expect(await fallDueTask(deps, input, at(opened.dueAt, -151 * DAY), 'r1')).toEqual({ status: 'dormant', dueAt: opened.dueAt });
    expect(await fallDueTask(deps, input, at(opened.dueAt, -150 * DAY), 'r2')).toEqual({ status: 'not-yet-due', dueAt: opened.dueAt });
    expect(alerts.published).toHaveLength(0);
    expect((await deps.watches.get('E-2', 'implementation-plan')).watch.status).toBe('open');
    expect(await fallDueTask(deps, input, at(opened.dueAt, 1), 'r3')).toMatchObject({ status: 'overdue', judged: 'missed' });
  });

  it('a public window elapses without any alert', async () => {
    const { project, window } = await projectWithPublishedNotice(store);
    expect(await fallDueTask(deps, { caseId: project.id, ruleId: 'registration-window/g1' }, at(window!.dueAt), 'r1')).toMatchObject({ status: 'elapsed' });
    expect(alerts.published).toHaveLength(0);
  });

  it('a township that did not post the notice in a group: one alert to it and the leading group office, in its jurisdiction, counted against it', async () => {
    const { project, deadlines } = await projectWithPublishedNotice(store, undefined, undefined, { posted: false });
    const posting = deadlines.find((d) => d.ruleId === 'notice-posting/g2')!;
    expect(await fallDueTask(deps, { caseId: project.id, ruleId: 'notice-posting/g2' }, at(posting.dueAt, 60_000), 'r1')).toMatchObject({ status: 'overdue', judged: 'missed' });
    expect(alerts.published).toEqual([
      expect.objectContaining({ kind: 'deadline-overdue', agencies: ['township', 'leading-group-office'], projectId: project.id, jurisdiction: 'yongzhou/lengshuitan/yitang' }),
    ]);
    expect(alerts.published[0]!.message).toContain('张贴征收土地通告并拍照留存：伊塘村三组');
    expect(alerts.published[0]!.message).toContain('2026年9月15日24时');
    expect((await deps.performance.page({ limit: 10 })).items).toMatchObject([{ agency: 'township', jurisdiction: 'yongzhou/lengshuitan/yitang', caseId: project.id, ruleId: 'notice-posting/g2' }]);
  });

  it('re-sends an alert whose publication failed, on the retried task', async () => {
    const { project, plan } = await projectWithPublishedNotice(store);
    const failing = { ...deps, alerts: { publish: async () => Promise.reject(new Error('SNS unavailable')) } };
    const input = { caseId: project.id, ruleId: 'implementation-plan' };
    await expect(fallDueTask(failing, input, at(plan.dueAt, 1), 'r1')).rejects.toThrow('SNS unavailable');
    // The miss is counted by the run that finally sends the alert.
    expect(await fallDueTask(deps, input, at(plan.dueAt, 2), 'r2')).toMatchObject({ status: 'overdue', judged: 'missed' });
    expect(alerts.published).toHaveLength(1);
  });
});

describe('waiting for the overdue step', () => {
  it('keeps the task token on the watch, or releases at once if the step already happened', async () => {
    const { project, plan, window } = await projectWithPublishedNotice(store);
    await fallDueTask(deps, { caseId: project.id, ruleId: 'implementation-plan' }, at(plan.dueAt, 1), 'r1');
    await awaitStepTask(deps, { caseId: project.id, ruleId: 'implementation-plan', token: 't1' });
    expect(await deps.watches.find(project.id, 'implementation-plan')).toMatchObject({ waiting: 't1' });
    await fallDueTask(deps, { caseId: project.id, ruleId: 'registration-window/g1' }, at(window!.dueAt), 'r2');
    await awaitStepTask(deps, { caseId: project.id, ruleId: 'registration-window/g1', token: 't2' });
    expect(scheduler.released.map((r) => r.token)).toEqual(['t2']);
  });
});

describe('two runs falling due at once', () => {
  it('publish the alert once: the second finds it claimed and retries later', async () => {
    const { project, plan } = await projectWithPublishedNotice(store);
    let release!: () => void;
    const slow = { publish: (a: unknown) => new Promise<void>((resolve) => { release = () => { alerts.published.push(a as never); resolve(); }; }) };
    const input = { caseId: project.id, ruleId: 'implementation-plan' };
    const first = fallDueTask({ ...deps, alerts: slow }, input, at(plan.dueAt, 1), 'r1');
    await new Promise((resolve) => setTimeout(resolve, 10));
    await expect(fallDueTask(deps, input, at(plan.dueAt, 2), 'r2')).rejects.toThrow(AlertInFlightError);
    release();
    await first;
    expect(await fallDueTask(deps, input, at(plan.dueAt, 3), 'r3')).toMatchObject({ status: 'overdue' });
    expect(alerts.published).toHaveLength(1);
  });
});

describe('a deadline another agency answers for too', () => {
  it('counts the miss against the co-accountable agency named before the due instant, and alerts it; not one named after', async () => {
    const { project } = await projectWithPublishedNotice(store);
    const opened = openWatch({ caseId: 'H-1', projectId: project.id, caseLabel: '梅湾村一组 001 号户（户主张三）', phase: 'payment', jurisdiction: 'yongzhou/lengshuitan' }, watchRule('compensation-payment'), new Date('2026-09-26T02:00:00Z'), await calendar());
    const withFinance = alsoAccountable(opened, { agency: 'finance', jurisdiction: 'yongzhou', reason: '专户资金不足，支付被拒' }, new Date('2026-10-10T02:00:00Z'))!;
    // Named only after the due instant: it was not why the deadline was missed.
    const watch = { ...withFinance, accountableAlso: [...withFinance.accountableAlso!, { agency: 'investment-group' as const, jurisdiction: 'yongzhou', reason: '迟缴', since: at(opened.dueAt, 1000).toISOString() }] };
    expect(alsoAccountable(withFinance, { agency: 'finance', jurisdiction: 'yongzhou', reason: '再次被拒' }, new Date('2026-10-11T02:00:00Z'))).toBeUndefined();
    expect(alsoAccountable(opened, { agency: 'finance', jurisdiction: 'yongzhou', reason: '到期后被拒' }, at(opened.dueAt))).toBeUndefined();
    await deps.uow.commit([deps.watches.save(watch, 'absent')], []);

    expect(await fallDueTask(deps, { caseId: 'H-1', ruleId: 'compensation-payment' }, at(opened.dueAt, 60_000), 'r1')).toMatchObject({ status: 'overdue', judged: 'missed' });
    const records = (await deps.performance.page({ limit: 10 })).items;
    expect(records.map((r) => [r.agency, r.jurisdiction, r.caseId, r.ruleId]).sort()).toEqual([
      ['finance', 'yongzhou', 'H-1', 'compensation-payment'],
      ['land-bureau', 'yongzhou/lengshuitan', 'H-1', 'compensation-payment'],
    ]);
    expect(alerts.published).toHaveLength(1);
    expect(alerts.published[0]).toMatchObject({ agencies: ['land-bureau', 'finance', 'leading-group-office'] });
    expect(alerts.published[0]!.message).toContain('市财政局一并记入：专户资金不足，支付被拒');
    expect(deadlineOverdueV1.schema.safeParse(alerts.published[0]).success).toBe(true);
    // The weekly re-check records nothing more.
    await fallDueTask(deps, { caseId: 'H-1', ruleId: 'compensation-payment' }, at(opened.dueAt, 7 * 86_400_000), 'r2');
    expect((await deps.performance.page({ limit: 10 })).items).toHaveLength(2);
  });
});

describe('a cancelled clock', () => {
  it('its timer ends the wait as cancelled: no alert, no record, no audit of a miss; a token waiting on it is released at once', async () => {
    const { project, plan } = await projectWithPublishedNotice(store);
    const { watch, version } = await deps.watches.get(project.id, 'implementation-plan');
    await deps.uow.commit([deps.watches.save(cancelWatch(watch, at(plan.dueAt, -86_400_000), '案件中止'), version)], []);
    const input = { caseId: project.id, ruleId: 'implementation-plan' };
    expect(await fallDueTask(deps, input, at(plan.dueAt, 60_000), 'r1')).toEqual({ status: 'cancelled', dueAt: plan.dueAt });
    expect(alerts.published).toHaveLength(0);
    expect((await deps.performance.page({ limit: 10 })).items).toHaveLength(0);
    expect(store.audit.filter((a) => a.action === 'deadline.overdue')).toHaveLength(0);
    await awaitStepTask(deps, { ...input, token: 't1' });
    expect(scheduler.released).toEqual([{ token: 't1', watch: expect.objectContaining({ status: 'cancelled' }) }]);
  });
});

describe('an agency deadline the city does not assess (a court)', () => {
  it('overdue: one alert to the court and the leading group office saying it is not counted; no performance record; audited', async () => {
    const court = { agency: 'basic-court' as const, jurisdiction: 'yongzhou/lengshuitan' };
    const opened = openWatch({ caseId: 'E-1', projectId: 'P-1', caseLabel: '梅湾村一组 001 号户（户主张三）', phase: 'enforcement', jurisdiction: 'yongzhou/lengshuitan' }, watchRule('court-acceptance'), new Date('2026-09-01T02:00:00Z'), await calendar(), { responsible: court });
    // A co-accountable agency named before the due instant is not recorded either: nothing is.
    const watch = alsoAccountable(opened, { agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan', reason: '申请材料不全' }, new Date('2026-09-02T02:00:00Z'))!;
    await deps.uow.commit([deps.watches.save(watch, 'absent')], []);
    const input = { caseId: 'E-1', ruleId: 'court-acceptance' };

    expect(await fallDueTask(deps, input, at(watch.dueAt, 60_000), 'r1')).toEqual({ status: 'overdue', dueAt: watch.dueAt, judged: 'missed' });
    await fallDueTask(deps, input, at(watch.dueAt, 7 * 86_400_000), 'r2');
    expect(alerts.published).toHaveLength(1);
    const [alert] = alerts.published;
    expect(alert).toMatchObject({ kind: 'deadline-overdue', agencies: ['basic-court', 'leading-group-office'], projectId: 'P-1', jurisdiction: 'yongzhou/lengshuitan' });
    expect(alert!.message).toContain('该单位不属本市绩效考核对象，本次逾期仅作提示，不计入考核。');
    expect(alert!.message).not.toContain('已记入');
    expect(deadlineOverdueV1.schema.safeParse(alert).success).toBe(true);
    expect((await deps.performance.page({ limit: 10 })).items).toHaveLength(0);
    expect(store.audit.filter((a) => a.action === 'deadline.overdue')).toHaveLength(1);
    expect((await deps.watches.get('E-1', 'court-acceptance')).watch).toMatchObject({ status: 'overdue', assessed: false });
  });
});

describe('a deadline met in time', () => {
  const DAY = 86_400_000;
  const openPlan = async (options: { met?: 'early' | 'never'; court?: boolean } = {}) => {
    const court = { agency: 'basic-court' as const, jurisdiction: 'yongzhou/lengshuitan' };
    const rule = options.court ? watchRule('court-acceptance') : watchRule('implementation-plan');
    const opened = openWatch({ caseId: 'P-9', phase: 'procedure', jurisdiction: 'yongzhou/lengshuitan' }, rule, new Date('2026-09-01T02:00:00Z'), await calendar(), options.court ? { responsible: court } : {});
    const watch = options.met === 'never' ? opened : meetWatch(opened, at(opened.dueAt, -DAY), 'wang.lb');
    await deps.uow.commit([deps.watches.save(watch, 'absent')], []);
    return { watch, input: { caseId: 'P-9', ruleId: rule.id } };
  };

  it('records one MetRecord for the responsible agency, however often the timer fires', async () => {
    const { watch, input } = await openPlan();
    expect(await fallDueTask(deps, input, at(watch.dueAt), 'r1')).toEqual({ status: 'met', dueAt: watch.dueAt, judged: 'met-in-time' });
    await fallDueTask(deps, input, at(watch.dueAt, DAY), 'r2');
    const { met, overdue } = await deps.performance.ofAgency('land-bureau');
    expect(met).toEqual([
      { agency: 'land-bureau', jurisdiction: 'yongzhou/lengshuitan', caseId: 'P-9', ruleId: 'implementation-plan', step: watch.step, dueAt: watch.dueAt, metAt: watch.metAt, source: watch.source, recordedAt: watch.dueAt },
    ]);
    expect(overdue).toEqual([]);
    expect(store.audit.filter((a) => a.action === 'deadline.met-in-time')).toHaveLength(1);
    // The overdue list stays the misses alone.
    expect((await deps.performance.page({ limit: 10 })).items).toEqual([]);
  });

  it('two runs at once: one record, and both runs finish (the conflict is retried and finds it)', async () => {
    const { watch, input } = await openPlan();
    const conflicts: unknown[] = [];
    const { uow } = deps;
    const failing = (error: unknown) => {
      conflicts.push(error);
      throw error;
    };
    deps = { ...deps, uow: { commit: (changes, audit) => uow.commit(changes, audit).catch(failing), appendAudit: (audit) => uow.appendAudit(audit) } };
    const results = await Promise.all([fallDueTask(deps, input, at(watch.dueAt), 'r1'), fallDueTask(deps, input, at(watch.dueAt, 1), 'r2')]);
    expect(results.map((r) => r.status)).toEqual(['met', 'met']);
    // The runs did race: the second write was refused, then retried.
    expect(conflicts).toEqual([expect.objectContaining({ code: 'performance.met-already-recorded' })]);
    expect((await deps.performance.ofAgency('land-bureau')).met).toHaveLength(1);
    expect(store.audit.filter((a) => a.action === 'deadline.met-in-time')).toHaveLength(1);
  });

  it('missed: an overdue record and no MetRecord, even once it is met late', async () => {
    const { watch, input } = await openPlan({ met: 'never' });
    expect(await fallDueTask(deps, input, at(watch.dueAt, 1), 'r1')).toMatchObject({ status: 'overdue', judged: 'missed' });
    const stored = await deps.watches.get('P-9', 'implementation-plan');
    await deps.uow.commit([deps.watches.save(meetWatch(stored.watch, at(watch.dueAt, DAY), 'wang.lb'), stored.version)], []);
    await fallDueTask(deps, input, at(watch.dueAt, 2 * DAY), 'r2');
    const { met, overdue } = await deps.performance.ofAgency('land-bureau');
    expect(met).toEqual([]);
    expect(overdue).toMatchObject([{ agency: 'land-bureau', caseId: 'P-9', ruleId: 'implementation-plan' }]);
  });

  it('an agency the city does not assess (a court): met in time, nothing recorded', async () => {
    const { watch, input } = await openPlan({ court: true });
    expect(await fallDueTask(deps, input, at(watch.dueAt), 'r1')).toMatchObject({ status: 'met', judged: 'met-in-time' });
    expect(await deps.performance.ofAgency('basic-court')).toEqual({ met: [], overdue: [] });
    expect(store.audit.filter((a) => a.action === 'deadline.met-in-time')).toHaveLength(0);
  });
});
