import { auditOf, auditRead, type ActionContext } from '../../../shared/audit.ts';
import { fromItem, getRecord, projectNotFound, projectPk, SK, toItem, withoutVersion, type Versioned } from '../../../shared/cases/records.ts';
import type { WatchScheduler } from '../../../shared/deadlines/scheduler.ts';
import { meetWatch, watchSk, watchToItem, type DeadlineWatch } from '../../../shared/deadlines/watch.ts';
import { ConflictError, NotFoundError, RuleViolationError } from '../../../shared/errors.ts';
import { log } from '../../../shared/log.ts';
import { authorize } from '../../../shared/permissions.ts';
import type { CaseStore, Put } from '../../../shared/store/case-store.ts';
import { jurisdictionsOf, type Project } from '../../notices/domain/project.ts';
import { draftPlan, publishPlan, reviewPlan, STANDARD_LOCKED_MESSAGE, type Plan, type PlanDraft } from '../domain/plan.ts';

export interface CompensationDeps {
  store: CaseStore;
  scheduler: WatchScheduler;
}

export async function draftProjectPlan(deps: CompensationDeps, projectId: string, draft: PlanDraft, ctx: ActionContext): Promise<Plan> {
  const project = await loadProject(deps.store, projectId);
  authorize(ctx.actor, 'plan.draft', [project.district]);
  const existing = await findPlan(deps.store, projectId);
  const plan = draftPlan(existing, projectId, draft, ctx.actor, ctx.now);
  await deps.store.commit(
    [{ item: toItem(projectId, SK.plan, 'plan', plan), expect: existing ? { version: existing.version } : { absent: true } }],
    [auditOf(ctx, 'plan.draft', { type: 'plan', id: projectId, projectId }, { revision: plan.revision })],
  );
  return plan;
}

export async function reviewProjectPlan(
  deps: CompensationDeps,
  projectId: string,
  input: { decision: 'approve' | 'return'; reasons?: string | undefined },
  ctx: ActionContext,
): Promise<Plan> {
  const project = await loadProject(deps.store, projectId);
  authorize(ctx.actor, 'plan.review', [project.district]);
  const existing = await requirePlan(deps.store, projectId);
  const plan = reviewPlan(withoutVersion(existing), input.decision, input.reasons, ctx.actor, ctx.now);
  await deps.store.commit(
    [{ item: toItem(projectId, SK.plan, 'plan', plan), expect: { version: existing.version } }],
    [auditOf(ctx, 'plan.review', { type: 'plan', id: projectId, projectId }, { decision: input.decision, revision: plan.revision })],
  );
  return plan;
}

/**
 * Publishes the approved plan and locks the project's one compensation standard. It meets the
 * 45-day watch (late if it was overdue) and releases the workflow if it was waiting on it.
 */
export async function publishProjectPlan(deps: CompensationDeps, projectId: string, ctx: ActionContext): Promise<{ plan: Plan; deadline?: DeadlineWatch }> {
  const project = await loadProject(deps.store, projectId);
  authorize(ctx.actor, 'plan.publish', [project.district]);
  const notice = await deps.store.get(projectPk(projectId), SK.notice);
  if (!notice || notice.status !== 'published') {
    throw new RuleViolationError('plan.notice-not-published', '征收土地通告尚未发布，不能发布实施方案');
  }
  // The watch may change under us (the workflow records an alert or its callback token): retry.
  for (let attempt = 1; ; attempt++) {
    try {
      return await publishOnce(deps, projectId, ctx);
    } catch (error) {
      if (!(error instanceof WatchChangedError) || attempt >= 3) throw error;
    }
  }
}

async function publishOnce(deps: CompensationDeps, projectId: string, ctx: ActionContext) {
  const existing = await requirePlan(deps.store, projectId);
  const plan = publishPlan(withoutVersion(existing), ctx.actor, ctx.now);
  const watchItem = await deps.store.get(projectPk(projectId), watchSk('implementation-plan'));
  const watch = watchItem ? fromItem<DeadlineWatch>(watchItem) : undefined;
  const met = watch ? meetWatch(withoutVersion(watch), ctx.now, ctx.actor.user) : undefined;
  const puts: Put[] = [
    { item: toItem(projectId, SK.plan, 'plan', plan), expect: { version: existing.version } },
    {
      item: toItem(projectId, SK.standard, 'compensation-standard', { projectId, standard: plan.standard, lockedAt: ctx.now.toISOString(), lockedBy: ctx.actor }),
      expect: { absent: true },
      onConflict: new ConflictError('plan.locked', STANDARD_LOCKED_MESSAGE),
    },
    ...(watch && met ? [{ item: watchToItem(met), expect: { version: watch.version }, onConflict: new WatchChangedError() }] : []),
  ];
  await deps.store.commit(puts, [
    auditOf(ctx, 'plan.publish', { type: 'plan', id: projectId, projectId }, { revision: plan.revision, deadline: met?.status }),
  ]);
  if (watch?.callbackToken && met) {
    try {
      await deps.scheduler.release(watch.callbackToken, met);
    } catch (error) {
      // The watch is already recorded as met; the waiting workflow finds that when reconciled.
      log.error('releasing the plan watch failed', { projectId, error: String(error) });
    }
  }
  return { plan, ...(met ? { deadline: met } : {}) };
}

export async function getProjectPlan(deps: CompensationDeps, projectId: string, ctx: ActionContext): Promise<Plan> {
  const project = await loadProject(deps.store, projectId);
  authorize(ctx.actor, 'project.read', jurisdictionsOf(project));
  const plan = withoutVersion(await requirePlan(deps.store, projectId));
  await auditRead(deps.store, ctx, 'plan.read', { type: 'plan', id: projectId, projectId });
  return plan;
}

class WatchChangedError extends ConflictError {
  constructor() {
    super('conflict.concurrent-change', '期限记录已被更新，请重试');
  }
}

const loadProject = (store: CaseStore, projectId: string) => getRecord<Project>(store, projectId, SK.project, projectNotFound(projectId));
const requirePlan = (store: CaseStore, projectId: string) =>
  getRecord<Plan>(store, projectId, SK.plan, new NotFoundError('plan.not-found', '该项目尚未拟定征地补偿安置实施方案'));

async function findPlan(store: CaseStore, projectId: string): Promise<Versioned<Plan> | undefined> {
  const item = await store.get(projectPk(projectId), SK.plan);
  return item ? fromItem<Plan>(item) : undefined;
}
