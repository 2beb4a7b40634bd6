import { auditOf, auditRead, type ActionContext } from '../../../shared/audit.ts';
import type { ProjectRepository, UnitOfWork } from '../../../shared/cases/ports.ts';
import { withoutVersion } from '../../../shared/cases/versioned.ts';
import { authorize } from '../../../shared/permissions.ts';
import { approveList, coReviewList, emptyList, type ResettlementList } from '../domain/resettlement-list.ts';
import { groupOf } from './household-access.ts';
import { allHouseholdsOf } from './household-reads.ts';
import type { HouseholdRepository, ResettlementListRepository } from './ports.ts';

export interface ResettlementDeps {
  uow: UnitOfWork;
  projects: ProjectRepository;
  households: HouseholdRepository;
  lists: ResettlementListRepository;
}

/** The group's list as it stands (an empty list awaiting co-review if none was started). */
export async function getResettlementList(deps: ResettlementDeps, projectId: string, villageGroupId: string, ctx: ActionContext): Promise<ResettlementList> {
  const project = await deps.projects.get(projectId);
  const group = groupOf(project, villageGroupId);
  authorize(ctx.actor, 'household.read', [project.district, group.township]);
  const list = await deps.lists.find(projectId, group.id);
  await auditRead(deps.uow, ctx, 'resettlement-list.read', { type: 'resettlement-list', id: `${projectId}/${group.id}`, projectId });
  return list ? withoutVersion(list) : emptyList(projectId, group.id);
}

/** The township's co-review of its group's list (seed §三(三)). */
export async function coReviewResettlementList(deps: ResettlementDeps, projectId: string, villageGroupId: string, input: { note?: string | undefined }, ctx: ActionContext): Promise<ResettlementList> {
  const project = await deps.projects.get(projectId);
  const group = groupOf(project, villageGroupId);
  authorize(ctx.actor, 'resettlement-list.co-review', [group.township]);
  const stored = await deps.lists.find(projectId, group.id);
  const households = await allHouseholdsOf(deps.households, projectId, group.id);
  const list = coReviewList(stored ? withoutVersion(stored) : emptyList(projectId, group.id), households, ctx.actor, ctx.now, input.note);
  await deps.uow.commit([deps.lists.save(list, stored?.version ?? 'absent')], [auditOf(ctx, 'resettlement-list.co-review', { type: 'resettlement-list', id: `${projectId}/${group.id}`, projectId })]);
  return list;
}

/** The district government's approval: refused while any member's check is outstanding. */
export async function approveResettlementList(deps: ResettlementDeps, projectId: string, villageGroupId: string, ctx: ActionContext): Promise<ResettlementList> {
  const project = await deps.projects.get(projectId);
  const group = groupOf(project, villageGroupId);
  authorize(ctx.actor, 'resettlement-list.approve', [project.district]);
  const stored = await deps.lists.find(projectId, group.id);
  const households = await allHouseholdsOf(deps.households, projectId, group.id);
  const list = approveList(stored ? withoutVersion(stored) : emptyList(projectId, group.id), households, ctx.actor, ctx.now);
  await deps.uow.commit(
    [deps.lists.save(list, stored?.version ?? 'absent')],
    [auditOf(ctx, 'resettlement-list.approve', { type: 'resettlement-list', id: `${projectId}/${group.id}`, projectId }, { persons: list.approval?.persons.length, households: households.length })],
  );
  return list;
}
