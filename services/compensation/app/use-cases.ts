import { auditOf, auditRead, type ActionContext } from '../../../shared/audit.ts';
import type { CaseCounterRepository, HouseholdCardRepository, HouseholdPaymentStatusRepository, HouseholdStepRepository, PayableAgreementRepository, PlanApprovalRepository, Change, InboxRepository, ProjectRepository, ReviewedDocumentRepository, UnitOfWork, Versioned, WatchRepository } from '../../../shared/cases/ports.ts';
import type { HolidayCalendar } from '../../../shared/calendar/index.ts';
import type { DocumentStore, EvidenceStore } from '../../../shared/evidence/evidence.ts';
import type { PiiVault } from '../../../shared/pii/pii-vault.ts';
import { jurisdictionsOf } from '../../../shared/cases/project.ts';
import { withoutVersion } from '../../../shared/cases/versioned.ts';
import type { WatchScheduler } from '../../../shared/deadlines/scheduler.ts';
import { meetWatch, type DeadlineWatch } from '../../../shared/deadlines/watch.ts';
import { ConflictError, NotFoundError, RuleViolationError } from '../../../shared/errors.ts';
import { log } from '../../../shared/log.ts';
import { authorize } from '../../../shared/permissions.ts';
import type { AgreementRepository, CompensationRepository, DisclosureRepository, HouseholdRepository, ImportJobRepository, ResettlementListRepository, StandardRepository, UploadRepository } from './ports.ts';
import { draftPlan, publishPlan, reviewPlan, STANDARD_LOCKED_MESSAGE, type Plan, type PlanDraft } from '../domain/plan.ts';

export interface CompensationDeps {
  uow: UnitOfWork;
  projects: ProjectRepository;
  documents: ReviewedDocumentRepository;
  /** The joint meeting's approval of the plan, published by the oversight service (seed §四(一)). */
  planApprovals: PlanApprovalRepository;
  watches: WatchRepository;
  inbox: InboxRepository;
  counters: CaseCounterRepository;
  /** Signed agreements published to payments (shared/cases/household-money.ts). */
  payableAgreements: PayableAgreementRepository;
  /** What payments and the services after it publish of the household, for its timeline. */
  paymentStatus: HouseholdPaymentStatusRepository;
  householdSteps: HouseholdStepRepository;
  /** Who the household is, published for the services that act on a household that never signed. */
  householdCards: HouseholdCardRepository;
  standards: StandardRepository;
  households: HouseholdRepository;
  compensations: CompensationRepository;
  agreements: AgreementRepository;
  disclosures: DisclosureRepository;
  lists: ResettlementListRepository;
  uploads: UploadRepository;
  imports: ImportJobRepository;
  scheduler: WatchScheduler;
  evidence: EvidenceStore;
  files: DocumentStore;
  pii: PiiVault;
  calendar: () => Promise<HolidayCalendar>;
  newId: (nowMs: number) => string;
}

/** What the documents function holds: no workflow to start, no personal data to seal. */
export type DocumentsDeps = Omit<CompensationDeps, 'scheduler' | 'pii'>;
/** What the import worker holds: no workflow to start. */
export type ImportWorkerDeps = Omit<CompensationDeps, 'scheduler'>;

export async function draftProjectPlan(deps: CompensationDeps, projectId: string, draft: PlanDraft, ctx: ActionContext): Promise<Plan> {
  const project = await deps.projects.get(projectId);
  authorize(ctx.actor, 'plan.draft', [project.district]);
  const existing = await deps.documents.find<Plan>(projectId, 'plan');
  const plan = draftPlan(existing && withoutVersion(existing), projectId, draft, ctx.actor, ctx.now);
  await deps.uow.commit(
    [deps.documents.save(projectId, 'plan', plan, existing?.version ?? 'absent')],
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
  const project = await deps.projects.get(projectId);
  authorize(ctx.actor, 'plan.review', [project.district]);
  const existing = await requirePlan(deps, projectId);
  const plan = reviewPlan(withoutVersion(existing), input.decision, input.reasons, ctx.actor, ctx.now);
  await deps.uow.commit(
    [deps.documents.save(projectId, 'plan', plan, existing.version)],
    [auditOf(ctx, 'plan.review', { type: 'plan', id: projectId, projectId }, { decision: input.decision, revision: plan.revision })],
  );
  return plan;
}

/**
 * Publishes the approved plan and locks the project's one compensation standard. It meets the
 * 45-day watch (late if it was overdue) and releases the workflow if it was waiting on it.
 */
export async function publishProjectPlan(deps: CompensationDeps, projectId: string, ctx: ActionContext): Promise<{ plan: Plan; deadline?: DeadlineWatch }> {
  const project = await deps.projects.get(projectId);
  authorize(ctx.actor, 'plan.publish', [project.district]);
  const notice = await deps.documents.find(projectId, 'notice');
  if (notice?.status !== 'published') {
    throw new RuleViolationError('plan.notice-not-published', '征收土地通告尚未发布，不能发布实施方案');
  }
  // Besides the legal affairs office's review, the joint meeting approves (审定) the plan (§四(一)).
  if (!(await deps.planApprovals.find(projectId))) {
    throw new RuleViolationError('plan.not-approved-by-joint-meeting', '实施方案须经联席会议审定后方可发布（§四(一)）：请领导小组办公室在联席会议决议中登记审定');
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
  const existing = await requirePlan(deps, projectId);
  const plan = publishPlan(withoutVersion(existing), ctx.actor, ctx.now);
  const stored = await deps.watches.find(projectId, 'implementation-plan');
  const met = stored ? meetWatch(stored.watch, ctx.now, ctx.actor.user) : undefined;
  const changes: Change[] = [
    deps.documents.save(projectId, 'plan', plan, existing.version),
    deps.standards.lock({ projectId, standard: plan.standard, lockedAt: ctx.now.toISOString(), lockedBy: ctx.actor }, new ConflictError('plan.locked', STANDARD_LOCKED_MESSAGE)),
    ...(stored && met ? [deps.watches.save(met, stored.version, { onConflict: new WatchChangedError() })] : []),
  ];
  await deps.uow.commit(changes, [
    auditOf(ctx, 'plan.publish', { type: 'plan', id: projectId, projectId }, { revision: plan.revision, deadline: met?.status }),
  ]);
  if (stored?.waiting && met) {
    try {
      await deps.scheduler.release(stored.waiting, met);
    } catch (error) {
      // The watch is already recorded as met; the waiting workflow finds that when reconciled.
      log.error('releasing the plan watch failed', { projectId, error: String(error) });
    }
  }
  return { plan, ...(met ? { deadline: met } : {}) };
}

export async function getProjectPlan(deps: CompensationDeps, projectId: string, ctx: ActionContext): Promise<Plan> {
  const project = await deps.projects.get(projectId);
  authorize(ctx.actor, 'project.read', jurisdictionsOf(project));
  const plan = withoutVersion(await requirePlan(deps, projectId));
  await auditRead(deps.uow, ctx, 'plan.read', { type: 'plan', id: projectId, projectId });
  return plan;
}

class WatchChangedError extends ConflictError {
  constructor() {
    super('conflict.concurrent-change', '期限记录已被更新，请重试');
  }
}

async function requirePlan(deps: Pick<CompensationDeps, 'documents'>, projectId: string): Promise<Versioned<Plan>> {
  const plan = await deps.documents.find<Plan>(projectId, 'plan');
  if (!plan) throw new NotFoundError('plan.not-found', '该项目尚未拟定征地补偿安置实施方案');
  return plan;
}
