import { AGENCIES, CITY, type AgencyId } from '../../../shared/agencies.ts';
import type { Alert, AlertPublisher } from '../../../shared/alerts/alert.ts';
import { alertFeedEntry } from '../../../shared/alerts/feed.ts';
import { auditOf, type ActionContext } from '../../../shared/audit.ts';
import type { AlertFeedRepository, MetRecord, OverdueRecord, PerformanceRepository, UnitOfWork, WatchRepository } from '../../../shared/cases/ports.ts';
import { beyondHorizon, type WatchScheduler } from '../../../shared/deadlines/scheduler.ts';
import { accountableAtDue, describeDue, fallDue, type DeadlineWatch } from '../../../shared/deadlines/watch.ts';
import { ConflictError } from '../../../shared/errors.ts';
import type { Identity } from '../../../shared/identity.ts';
import type { AlertOutboxRepository } from './ports.ts';

export interface DeadlinesDeps {
  uow: UnitOfWork;
  watches: WatchRepository;
  performance: PerformanceRepository;
  outbox: AlertOutboxRepository;
  /** What the consoles list: the alert, for each agency it is addressed to. */
  alertFeed: AlertFeedRepository;
  alerts: AlertPublisher;
  scheduler: WatchScheduler;
  newId: (nowMs: number) => string;
}

/** The workflow acts as this identity in the audit trail. */
export const WORKFLOW_ACTOR: Identity = { user: 'workflow', agency: 'leading-group-office', jurisdiction: CITY.id };

/**
 * `cancelled`: the clock no longer runs; the workflow's wait for it ends, nothing alerted or counted.
 * `dormant`: still open and due more than the horizon away; the iteration ends, and the next
 * generation (reconcile) waits for it — no execution outlives Step Functions' one-year limit.
 * `not-yet-due`: open and due within the horizon; the workflow waits for the recorded instant.
 */
type Outcome = 'not-yet-due' | 'dormant' | 'met' | 'elapsed' | 'overdue' | 'cancelled';

/** What judging a watch found; `judged` is set once per watch: by the run that sent its overdue alert, or the one that found it met in time. */
export interface FallDueResult {
  status: Outcome;
  dueAt: string;
  judged?: 'missed' | 'met-in-time';
}

/**
 * The workflow's timer for a watch fired. An open agency deadline becomes overdue: recorded
 * against the responsible agency for performance assessment, with one alert to it and to the
 * leading group office — or, for an agency the city does not assess (a court), only alerted and
 * recorded against no one. A window or waiting period simply elapses. Safe to repeat: the
 * transition happens once (guarded write) and an alert already sent is not sent again.
 */
export async function fallDueTask(deps: DeadlinesDeps, input: { caseId: string; ruleId: string }, now: Date, requestId: string): Promise<FallDueResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fallDueOnce(deps, input, now, requestId);
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= 3) throw error;
    }
  }
}

async function fallDueOnce(deps: DeadlinesDeps, input: { caseId: string; ruleId: string }, now: Date, requestId: string): Promise<FallDueResult> {
  const { watch, version, waiting } = await deps.watches.get(input.caseId, input.ruleId);
  const outcome = fallDue(watch, now);
  const ctx: ActionContext = { actor: WORKFLOW_ACTOR, requestId, now };
  const keepWaiting = waiting ? { waiting } : {};
  if (outcome.kind === 'elapsed') {
    await deps.uow.commit(
      [deps.watches.save(outcome.watch, version, keepWaiting)],
      [auditOf(ctx, 'deadline.elapsed', target(watch))],
    );
    return { status: 'elapsed', dueAt: watch.dueAt };
  }
  if (outcome.kind === 'overdue') {
    const alert = overdueAlert(outcome.watch, deps.newId(now.getTime()), now);
    await deps.uow.commit(
      [
        deps.watches.save(outcome.watch, version, keepWaiting),
        // The responsible agency, and whoever else answers for the miss (one record per agency);
        // none for an agency the city does not assess.
        ...(outcome.watch.assessed === false ? [] : overdueRecords(outcome.watch, now).map((record) => deps.performance.recordOverdue(record))),
        deps.outbox.add(watch.caseId, watch.ruleId, alert),
        ...deps.alertFeed.add(alertFeedEntry(outcome.watch, alert)),
      ],
      [auditOf(ctx, 'deadline.overdue', target(watch), { responsibleAgency: watch.responsibleAgency, alsoAccountable: accountableAtDue(watch).map((a) => a.agency), dueAt: watch.dueAt })],
    );
  }
  const alerted = await sendPendingAlert(deps, input.caseId, input.ruleId, now);
  // The record's due instant, which the workflow waits on again if it is not due yet (e.g. re-counted).
  const { status, dueAt } = outcome.watch;
  // Counted by the run that sent the overdue alert: once, even when an earlier run recorded the
  // miss but failed to publish.
  if (status === 'overdue') return { status: 'overdue', dueAt, ...(alerted ? { judged: 'missed' as const } : {}) };
  if (status === 'open') return { status: beyondHorizon(dueAt, now) ? 'dormant' : 'not-yet-due', dueAt };
  if (status === 'met') {
    await recordMetOnce(deps, outcome.watch, ctx);
    return { status: 'met', dueAt, judged: 'met-in-time' };
  }
  if (status === 'cancelled') return { status: 'cancelled', dueAt };
  return { status: status === 'elapsed' ? 'elapsed' : 'met', dueAt };
}

/**
 * The workflow waits (with a task token) for an overdue step. If the step already happened, the
 * wait ends at once; otherwise the token is kept on the watch for the step's service to release.
 */
export async function awaitStepTask(deps: DeadlinesDeps, input: { caseId: string; ruleId: string; token: string }): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const { watch, version } = await deps.watches.get(input.caseId, input.ruleId);
    if (watch.status !== 'overdue' && watch.status !== 'open') {
      await deps.scheduler.release(input.token, watch);
      return;
    }
    try {
      await deps.uow.commit([deps.watches.save(watch, version, { waiting: input.token })], []);
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
    jurisdiction: CITY.id,
    subject: `Workflow failure: ${input.caseId} (${input.phase})`,
    message: `项目 ${input.caseId} 的期限监控流程（${input.phase}）异常终止：${input.error ?? ''} ${input.cause ?? ''}。系统将自动重新建立监控，请核实。`,
    data: { ...input },
    raisedAt: now.toISOString(),
  });
}

/**
 * Sends the outbox's alert once. A sender first claims it for a short lease (a guarded write), so
 * concurrent runs do not both publish; if a sender dies after publishing but before marking it
 * sent, the alert can go out again after the lease — subscribers drop duplicates by `alertId`.
 */
async function sendPendingAlert(deps: DeadlinesDeps, caseId: string, ruleId: string, now: Date): Promise<boolean> {
  const pending = await deps.outbox.find(caseId, ruleId);
  if (!pending || pending.sentAt) return false;
  const { version, alert } = pending;
  if (pending.claimedUntil && Date.parse(pending.claimedUntil) > now.getTime()) throw new AlertInFlightError();
  const claimedUntil = new Date(now.getTime() + ALERT_LEASE_MS).toISOString();
  await deps.uow.commit([deps.outbox.update(caseId, ruleId, { alert, claimedUntil }, version)], []).catch((error) => {
    throw error instanceof ConflictError ? new AlertInFlightError() : error;
  });
  try {
    await deps.alerts.publish(alert);
  } catch (error) {
    // Give the claim back so the retried task can send it at once.
    await deps.uow.commit([deps.outbox.update(caseId, ruleId, { alert }, version + 1)], []);
    throw error;
  }
  await deps.uow.commit([deps.outbox.update(caseId, ruleId, { alert, sentAt: now.toISOString() }, version + 1)], []);
  return true;
}

const ALERT_LEASE_MS = 60_000;

/** Another run is sending this alert right now; the workflow retries the task later. */
export class AlertInFlightError extends Error {
  override name = 'AlertInFlightError';
  constructor() {
    super('the overdue alert is being sent by another run');
  }
}

function overdueAlert(watch: DeadlineWatch, alertId: string, now: Date): Alert {
  const agency = AGENCIES[watch.responsibleAgency];
  const assessed = watch.assessed !== false;
  // An unassessed miss is recorded against no one, co-accountable agencies included.
  const also = assessed ? accountableAtDue(watch).filter((a) => a.agency !== watch.responsibleAgency) : [];
  const alsoText = also.map((a) => `另，${AGENCIES[a.agency].nameZh}一并记入：${a.reason}。`).join('');
  const counted = assessed ? '本次逾期已记入该单位绩效考核。' : '该单位不属本市绩效考核对象，本次逾期仅作提示，不计入考核。';
  return {
    alertId,
    kind: 'deadline-overdue',
    severity: watch.severity ?? 'warning',
    agencies: [...new Set([watch.responsibleAgency, ...also.map((a) => a.agency), ...watch.escalateTo, ...(assessed ? [] : ['leading-group-office' as const])])],
    projectId: watch.projectId ?? watch.caseId,
    jurisdiction: watch.jurisdiction,
    subject: `Deadline overdue: ${watch.ruleId} (${caseName(watch, 'en')})`,
    message: `【逾期提醒】${caseName(watch, 'zh')}：“${watch.step}”应于${describeDue(watch)}前完成，至今未完成。责任单位：${agency.nameZh}。依据：${watch.source}。${counted}${alsoText}`,
    data: { ruleId: watch.ruleId, dueAt: watch.dueAt, lastDay: watch.lastDay, responsibleAgency: watch.responsibleAgency, source: watch.source },
    raisedAt: now.toISOString(),
  };
}

/**
 * The overdue step counted against the responsible agency (seed §四(三)), once per case and rule;
 * and against each agency that answers for it too (finance, when the funds were not there in time).
 */
function overdueRecords(watch: DeadlineWatch, now: Date): OverdueRecord[] {
  const also = accountableAtDue(watch).filter((a) => a.agency !== watch.responsibleAgency);
  return [overdueRecord(watch, watch.responsibleAgency, watch.jurisdiction, now), ...also.map((a) => overdueRecord(watch, a.agency, a.jurisdiction, now))];
}

function overdueRecord(watch: DeadlineWatch, agency: AgencyId, jurisdiction: string, now: Date): OverdueRecord {
  return {
    agency,
    jurisdiction,
    caseId: watch.caseId,
    ruleId: watch.ruleId,
    step: watch.step,
    dueAt: watch.dueAt,
    recordedAt: now.toISOString(),
    source: watch.source,
  };
}

/**
 * An agency deadline met in time, recorded once for the responsible agency's scorecard (seed §四(三)); none
 * for an agency the city does not assess. Looked up first, so a repeated run writes nothing; two
 * runs at once both find none, one write wins and the other's conflict is retried by
 * `fallDueTask`, whose second look finds the record.
 */
async function recordMetOnce(deps: DeadlinesDeps, watch: DeadlineWatch, ctx: ActionContext): Promise<void> {
  // Only an agency deadline is judged against an agency (a window or waiting period is no one's duty).
  if (watch.clock !== 'agency-deadline' || watch.assessed === false || watch.metAt === undefined) return;
  if (await deps.performance.findMet(watch.responsibleAgency, watch.caseId, watch.ruleId)) return;
  const record: MetRecord = {
    agency: watch.responsibleAgency,
    jurisdiction: watch.jurisdiction,
    caseId: watch.caseId,
    ruleId: watch.ruleId,
    step: watch.step,
    dueAt: watch.dueAt,
    metAt: watch.metAt,
    source: watch.source,
    recordedAt: ctx.now.toISOString(),
  };
  await deps.uow.commit([deps.performance.recordMet(record)], [auditOf(ctx, 'deadline.met-in-time', target(watch), { responsibleAgency: record.agency, dueAt: record.dueAt, metAt: record.metAt })]);
}

/** A case inside a project (so far only a household) chains its audit under itself (decision 0012). */
const target = (watch: DeadlineWatch) => ({
  type: 'deadline',
  id: `${watch.caseId}/${watch.ruleId}`,
  projectId: watch.projectId ?? watch.caseId,
  ...(watch.projectId && watch.caseKind === undefined ? { householdId: watch.caseId } : {}),
});

const caseName = (watch: DeadlineWatch, lang: 'zh' | 'en') => {
  if (watch.caseKind === 'oversight') return lang === 'zh' ? (watch.caseLabel ?? watch.caseId) : `oversight ${watch.caseId}`;
  if (!watch.projectId) return lang === 'zh' ? `项目 ${watch.caseId}` : `project ${watch.caseId}`;
  if (watch.caseKind === 'incident') return lang === 'zh' ? `项目 ${watch.projectId} 突发事件 ${watch.caseLabel ?? watch.caseId}` : `project ${watch.projectId}, incident ${watch.caseId}`;
  return lang === 'zh' ? `项目 ${watch.projectId} 被征收户 ${watch.caseLabel ?? watch.caseId}` : `project ${watch.projectId}, household ${watch.caseId}`;
};
