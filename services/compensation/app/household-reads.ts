import { covers } from '../../../shared/agencies.ts';
import { auditRead, type ActionContext } from '../../../shared/audit.ts';
import type { ProjectRepository, UnitOfWork } from '../../../shared/cases/ports.ts';
import { jurisdictionsOf } from '../../../shared/cases/project.ts';
import { withoutVersion } from '../../../shared/cases/versioned.ts';
import { ForbiddenError } from '../../../shared/errors.ts';
import { authorize } from '../../../shared/permissions.ts';
import { householdMatches, type Household, type HouseholdState } from '../domain/household.ts';
import { authorizeOnHousehold, groupOf, householdTarget } from './household-access.ts';
import type { HouseholdRepository } from './ports.ts';

export interface HouseholdReadDeps {
  uow: UnitOfWork;
  projects: ProjectRepository;
  households: HouseholdRepository;
}

/** One household (ID numbers masked); reading it is audited. */
export async function getHousehold(deps: HouseholdReadDeps, householdId: string, ctx: ActionContext): Promise<Household> {
  const household = withoutVersion(await deps.households.get(householdId));
  const project = await deps.projects.get(household.projectId);
  authorizeOnHousehold(ctx.actor, 'household.read', project, household);
  await auditRead(deps.uow, ctx, 'household.read', householdTarget(household));
  return household;
}

/**
 * A page of the project's households, optionally of one village group and state, and matching a
 * search `q` (householdMatches). A township sees the households of its own groups only, so it must
 * name one of them. The search filters the page the index gave: a page may hold fewer than `limit`
 * households, or none, while the cursor still moves on.
 */
export async function listHouseholds(
  deps: HouseholdReadDeps,
  projectId: string,
  query: { villageGroupId?: string | undefined; state?: HouseholdState | undefined; q?: string | undefined; limit: number; cursor?: string | undefined },
  ctx: ActionContext,
): Promise<{ items: Household[]; cursor?: string }> {
  const project = await deps.projects.get(projectId);
  authorize(ctx.actor, 'household.read', jurisdictionsOf(project));
  if (query.villageGroupId !== undefined) {
    const group = groupOf(project, query.villageGroupId);
    authorize(ctx.actor, 'household.read', [project.district, group.township]);
  } else if (!covers(ctx.actor.jurisdiction, project.district)) {
    throw new ForbiddenError('forbidden.jurisdiction', '乡镇（街道）只能查看本辖区村民小组的被征收户，请指定村民小组');
  }
  const found = await deps.households.page(projectId, { villageGroupId: query.villageGroupId, state: query.state }, { limit: query.limit, cursor: query.cursor });
  const q = query.q;
  const items = q === undefined ? found.items : found.items.filter((h) => householdMatches(h, q));
  // Who searched for whom is part of the read: the search is audited with it.
  await auditRead(deps.uow, ctx, 'household.list', { type: 'project', id: projectId, projectId }, { count: items.length, villageGroupId: query.villageGroupId, state: query.state, ...(q !== undefined ? { q } : {}) });
  return { items, ...(found.cursor ? { cursor: found.cursor } : {}) };
}

/** Every household of one village group, page by page (a group holds at most a few hundred). */
export async function allHouseholdsOf(households: HouseholdRepository, projectId: string, villageGroupId: string): Promise<Household[]> {
  const all: Household[] = [];
  let cursor: string | undefined;
  do {
    const page = await households.page(projectId, { villageGroupId }, { limit: 200, cursor });
    all.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return all;
}
