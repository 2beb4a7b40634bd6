import { AGENCIES } from '../../../shared/agencies.ts';
import type { Alert, AlertPublisher } from '../../../shared/alerts/alert.ts';
import { auditOf, type ActionContext } from '../../../shared/audit.ts';
import { fromItem, projectPk, toItem } from '../../../shared/cases/records.ts';
import type { WatchScheduler } from '../../../shared/deadlines/scheduler.ts';
import {
  describeDue,
  fallDue,
  LIVE_WATCHES_INDEX_PK,
  watchSk,
  watchToItem,
  type DeadlineWatch,
} from '../../../shared/deadlines/watch.ts';
import { ConflictError, NotFoundError } from '../../../shared/errors.ts';
import type { Identity } from '../../../shared/identity.ts';
import type { CaseStore, Item } from '../../../shared/store/case-store.ts';

export interface DeadlinesDeps {
  store: CaseStore;
  alerts: AlertPublisher;
  scheduler: WatchScheduler;
  newId: (nowMs: number) => string;
}

/** The workflow acts as this identity in the audit trail. */
export const WORKFLOW_ACTOR: Identity = { user: 'workflow', agency: 'leading-group-office', jurisdiction: 'yongzhou' };

type Outcome = 'not-yet-due' | 'met' | 'elapsed' | 'overdue';

/**
 * The workflow's timer for a watch fired. An open agency deadline becomes overdue: recorded
 * against the responsible agency for performance assessment, with one alert to it and to the
 * leading group office. A window or waiting period simply elapses. Safe to repeat: the transition
 * happens once (guarded write) and an alert already sent is not sent again.
 */
export async function fallDueTask(deps: DeadlinesDeps, input: { caseId: string; ruleId: string }, now: Date, requestId: string): Promise<{ status: Outcome; dueAt: string }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fallDueOnce(deps, input, now, requestId);
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= 3) throw error;
    }
  }
}

async function fallDueOnce(deps: DeadlinesDeps, input: { caseId: string; ruleId: string }, now: Date, requestId: string): Promise<{ status: Outcome; dueAt: string }> {
  const watch = await loadWatch(deps.store, input.caseId, input.ruleId);
  const outcome = fallDue(watch, now);
  const ctx: ActionContext = { actor: WORKFLOW_ACTOR, requestId, now };
  if (outcome.kind === 'elapsed') {
    await deps.store.commit(
      [{ item: watchToItem(outcome.watch), expect: { version: watch.version } }],
      [auditOf(ctx, 'deadline.elapsed', target(watch))],
    );
    return { status: 'elapsed', dueAt: watch.dueAt };
  }
  if (outcome.kind === 'overdue') {
    const alert = overdueAlert(outcome.watch, deps.newId(now.getTime()), now);
    await deps.store.commit(
      [
        { item: watchToItem(outcome.watch), expect: { version: watch.version } },
        { item: performanceRecord(outcome.watch, now), expect: { absent: true } },
        { item: alertOutbox(alert), expect: { absent: true } },
      ],
      [auditOf(ctx, 'deadline.overdue', target(watch), { responsibleAgency: watch.responsibleAgency, dueAt: watch.dueAt })],
    );
  }
  await sendPendingAlert(deps, input.caseId, input.ruleId, now);
  // The record's due instant, which the workflow waits on again if it is not due yet (e.g. re-counted).
  const { status, dueAt } = outcome.watch;
  if (status === 'overdue') return { status: 'overdue', dueAt };
  if (status === 'open') return { status: 'not-yet-due', dueAt };
  return { status: status === 'elapsed' ? 'elapsed' : 'met', dueAt };
}

/**
 * The workflow waits (with a task token) for an overdue step. If the step already happened, the
 * wait ends at once; otherwise the token is kept on the watch for the step's service to release.
 */
export async function awaitStepTask(deps: DeadlinesDeps, input: { caseId: string; ruleId: string; token: string }): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const watch = await loadWatch(deps.store, input.caseId, input.ruleId);
    if (watch.status !== 'overdue' && watch.status !== 'open') {
      await deps.scheduler.release(input.token, watch);
      return;
    }
    try {
      const { version, ...current } = watch;
      await deps.store.commit([{ item: watchToItem({ ...current, callbackToken: input.token }), expect: { version } }], []);
      return;
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= 3) throw error;
    }
  }
}

/** A workflow failed: nothing fails silently — the leading group office is alerted. */
export async function workflowFailedTask(deps: DeadlinesDeps, input: { caseId: string; phase: string; error?: string | undefined; cause?: string | undefined }, now: Date): Promise<void> {
  await deps.alerts.publish({
    alertId: deps.newId(now.getTime()),
    kind: 'workflow-failure',
    severity: 'critical',
    agencies: ['leading-group-office'],
    projectId: input.caseId,
    jurisdiction: 'yongzhou',
    subject: `Workflow failure: ${input.caseId} (${input.phase})`,
    message: `项目 ${input.caseId} 的期限监控流程（${input.phase}）异常终止：${input.error ?? ''} ${input.cause ?? ''}。系统将自动重新建立监控，请核实。`,
    data: { ...input },
    raisedAt: now.toISOString(),
  });
}

/**
 * Makes sure every live watch has a running workflow (after a failed or stopped execution, or a
 * restart of the local cloud). Idempotent: executions are named per case and phase.
 */
export async function reconcileTask(deps: DeadlinesDeps, now: Date): Promise<{ cases: number; watches: number; failed?: number }> {
  const items = await deps.store.queryIndex(LIVE_WATCHES_INDEX_PK);
  const byPhase = new Map<string, DeadlineWatch[]>();
  for (const item of items) {
    const watch = fromItem<DeadlineWatch>(item);
    const key = `${watch.caseId}\u0000${watch.phase}`;
    byPhase.set(key, [...(byPhase.get(key) ?? []), watch]);
  }
  let failed = 0;
  for (const watches of byPhase.values()) {
    const first = watches[0]!;
    try {
      await deps.scheduler.watch(first.caseId, first.phase, watches);
    } catch (error) {
      // One case that cannot be watched must not leave the others unwatched.
      failed++;
      await workflowFailedTask(deps, { caseId: first.caseId, phase: first.phase, error: 'ReconcileFailed', cause: String(error) }, now).catch(() => undefined);
    }
  }
  return { cases: byPhase.size, watches: items.length, ...(failed ? { failed } : {}) };
}

/**
 * Sends the outbox's alert once. A sender first claims it for a short lease (a guarded write), so
 * concurrent runs do not both publish; if a sender dies after publishing but before marking it
 * sent, the alert can go out again after the lease — subscribers drop duplicates by `alertId`.
 */
async function sendPendingAlert(deps: DeadlinesDeps, caseId: string, ruleId: string, now: Date): Promise<void> {
  const item = await deps.store.get(projectPk(caseId), alertSk(ruleId));
  if (!item || item.sentAt) return;
  const { version, ...record } = fromItem<AlertOutbox>(item);
  if (record.claimedUntil && Date.parse(record.claimedUntil) > now.getTime()) throw new AlertInFlightError();
  const claimedUntil = new Date(now.getTime() + ALERT_LEASE_MS).toISOString();
  await deps.store.commit([{ item: alertOutbox(record.alert, { claimedUntil }), expect: { version } }], []).catch((error) => {
    throw error instanceof ConflictError ? new AlertInFlightError() : error;
  });
  try {
    await deps.alerts.publish(record.alert);
  } catch (error) {
    // Give the claim back so the retried task can send it at once.
    await deps.store.commit([{ item: alertOutbox(record.alert), expect: { version: version + 1 } }], []);
    throw error;
  }
  await deps.store.commit([{ item: alertOutbox(record.alert, { sentAt: now.toISOString() }), expect: { version: version + 1 } }], []);
}

const ALERT_LEASE_MS = 60_000;

interface AlertOutbox {
  alert: Alert;
  sentAt?: string;
  claimedUntil?: string;
}

/** Another run is sending this alert right now; the workflow retries the task later. */
export class AlertInFlightError extends Error {
  override name = 'AlertInFlightError';
  constructor() {
    super('the overdue alert is being sent by another run');
  }
}

function overdueAlert(watch: DeadlineWatch, alertId: string, now: Date): Alert {
  const agency = AGENCIES[watch.responsibleAgency];
  return {
    alertId,
    kind: 'deadline-overdue',
    severity: 'warning',
    agencies: [watch.responsibleAgency, ...watch.escalateTo.filter((a) => a !== watch.responsibleAgency)],
    projectId: watch.caseId,
    jurisdiction: watch.jurisdiction,
    subject: `Deadline overdue: ${watch.ruleId} (project ${watch.caseId})`,
    message: `【逾期提醒】项目 ${watch.caseId}：“${watch.step}”应于${describeDue(watch)}前完成，至今未完成。责任单位：${agency.nameZh}。依据：${watch.source}。本次逾期已记入该单位绩效考核。`,
    data: { ruleId: watch.ruleId, dueAt: watch.dueAt, lastDay: watch.lastDay, responsibleAgency: watch.responsibleAgency, source: watch.source },
    raisedAt: now.toISOString(),
  };
}

const alertSk = (ruleId: string) => `ALERT#${ruleId}`;

function alertOutbox(alert: Alert, state: Omit<AlertOutbox, 'alert'> = {}): Item {
  const ruleId = String(alert.data.ruleId);
  return toItem(alert.projectId, alertSk(ruleId), 'alert', { alert, ...state });
}

/** The overdue step counted against the responsible agency (seed §四(三)), once per case and rule. */
function performanceRecord(watch: DeadlineWatch, now: Date): Item {
  return {
    pk: `AGENCY#${watch.responsibleAgency}`,
    sk: `OVERDUE#${watch.caseId}#${watch.ruleId}`,
    type: 'overdue-record',
    gsi1pk: 'OVERDUE',
    gsi1sk: `${now.toISOString()}#${watch.caseId}#${watch.ruleId}`,
    agency: watch.responsibleAgency,
    jurisdiction: watch.jurisdiction,
    caseId: watch.caseId,
    ruleId: watch.ruleId,
    step: watch.step,
    dueAt: watch.dueAt,
    recordedAt: now.toISOString(),
    source: watch.source,
  };
}

async function loadWatch(store: CaseStore, caseId: string, ruleId: string) {
  const item = await store.get(projectPk(caseId), watchSk(ruleId));
  if (!item) throw new NotFoundError('deadline.not-found', `期限记录不存在：${caseId}/${ruleId}`);
  return fromItem<DeadlineWatch>(item);
}

const target = (watch: DeadlineWatch) => ({ type: 'deadline', id: `${watch.caseId}/${watch.ruleId}`, projectId: watch.caseId });
