import { auditRead, type ActionContext } from '../../../shared/audit.ts';
import { withoutVersion } from '../../../shared/cases/versioned.ts';
import { NotFoundError, RuleViolationError } from '../../../shared/errors.ts';
import { inboxEvent } from '../../../shared/inbox.ts';
import { computeCompensation } from '../domain/compensation.ts';
import type { Compensation } from '../domain/household.ts';
import { resettledMembersOf } from '../domain/resettlement-list.ts';
import { authorizeOnHousehold, commitHousehold, groupOf, householdTarget } from './household-access.ts';
import { requirePublishedNotice } from './households.ts';
import { householdLabel, load } from './household-access.ts';
import type { CompensationDeps } from './use-cases.ts';

/**
 * Computes a household's compensation from the project's locked standard only (seed §五(二)), the
 * confirmed or draft survey as it stands, and the persons on the group's approved resettlement
 * list. Recomputing replaces the stored computation; the same inputs give the same lines.
 */
export async function computeHouseholdCompensation(deps: CompensationDeps, householdId: string, ctx: ActionContext): Promise<Compensation> {
  const { project, household } = await load(deps, householdId);
  authorizeOnHousehold(ctx.actor, 'compensation.compute', project, household);
  const locked = await deps.standards.find(project.id);
  if (!locked) throw new RuleViolationError('compensation.standard-not-locked', '实施方案尚未发布，补偿标准未锁定，不能核算补偿（方案§五(二)）');
  const { publishedAt } = await requirePublishedNotice(deps, project.id);
  const list = await deps.lists.find(project.id, household.villageGroupId);
  const compensation = computeCompensation({
    household,
    noticePublishedAt: publishedAt,
    resettledMemberIds: resettledMembersOf(list, household.householdId),
    standard: locked.standard,
    standardLockedAt: locked.lockedAt,
    now: ctx.now,
  });
  const stored = await deps.compensations.find(householdId);
  const group = groupOf(project, household.villageGroupId);
  const told = inboxEvent({
    id: deps.newId(ctx.now.getTime()),
    projectId: project.id,
    addressee: 'township',
    kind: 'compensation-computed',
    at: ctx.now,
    title: `补偿已核算：${householdLabel(project, household)}`,
    text: `该户补偿已依据本项目唯一补偿标准核算${compensation.final ? '' : '（尚有待认定事项，暂未定稿）'}，请纳入村民小组补偿公示。`,
    jurisdictions: [group.township],
    data: {
      householdId,
      villageGroupId: household.villageGroupId,
      householdNumber: household.householdNumber,
      surveyRevision: compensation.surveyRevision,
      totalFen: compensation.totalFen,
      final: compensation.final,
    },
  });
  await commitHousehold(deps.uow, ctx, household, 'compensation.compute', [deps.compensations.save(compensation, stored?.version ?? 'absent'), deps.inbox.add(told)], {
    surveyRevision: compensation.surveyRevision,
    lines: compensation.lines.length,
    totalFen: compensation.totalFen,
    final: compensation.final,
  });
  return compensation;
}

export async function getHouseholdCompensation(deps: CompensationDeps, householdId: string, ctx: ActionContext): Promise<Compensation> {
  const { project, household } = await load(deps, householdId);
  authorizeOnHousehold(ctx.actor, 'household.read', project, household);
  const stored = await deps.compensations.find(householdId);
  if (!stored) throw new NotFoundError('compensation.not-computed', '该户补偿尚未核算');
  await auditRead(deps.uow, ctx, 'compensation.read', householdTarget(household, 'compensation'));
  return withoutVersion(stored);
}
