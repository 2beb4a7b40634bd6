import type { ActionContext } from '../../../shared/audit.ts';
import type { CaseCounterRepository, HouseholdCardRepository, ProjectRepository, ReviewedDocumentRepository, UnitOfWork } from '../../../shared/cases/ports.ts';
import { ConflictError, RuleViolationError } from '../../../shared/errors.ts';
import type { PiiVault } from '../../../shared/pii/pii-vault.ts';
import { householdIdOf } from '../domain/household-id.ts';
import type { Household } from '../domain/household.ts';
import { authorizeOnHousehold, commitHousehold, groupOf, householdCard } from './household-access.ts';
import { claimMembers, sealMembers, type MemberInput } from './members.ts';
import type { HouseholdRepository } from './ports.ts';

export interface HouseholdDeps {
  uow: UnitOfWork;
  projects: ProjectRepository;
  documents: ReviewedDocumentRepository;
  households: HouseholdRepository;
  householdCards: HouseholdCardRepository;
  counters: CaseCounterRepository;
  pii: PiiVault;
}

export interface NewHousehold {
  villageGroupId: string;
  householdNumber: string;
  headName: string;
  members: MemberInput[];
  registrationIds: string[];
}

/**
 * Enters a household of a village group with its members (ID numbers sealed, masked). Households
 * exist only once the notice is published: it fixes who is expropriated (and freezes hukou).
 */
export async function createHousehold(deps: HouseholdDeps, projectId: string, input: NewHousehold, ctx: ActionContext): Promise<Household> {
  const project = await deps.projects.get(projectId);
  const group = groupOf(project, input.villageGroupId);
  authorizeOnHousehold(ctx.actor, 'household.survey', project, { villageGroupId: group.id });
  await requirePublishedNotice(deps, projectId);
  const householdId = householdIdOf(projectId, group.id, input.householdNumber);
  const sealed = await sealMembers(deps.pii, projectId, input.members);
  const household: Household = {
    householdId,
    projectId,
    villageGroupId: group.id,
    householdNumber: input.householdNumber.trim(),
    headName: input.headName.trim(),
    members: sealed.members,
    registrationIds: [...new Set(input.registrationIds)],
    checks: [],
    disputes: [],
    state: 'surveying',
    createdAt: ctx.now.toISOString(),
    createdBy: ctx.actor,
  };
  const duplicate = new ConflictError('household.duplicate', `村民小组 ${group.village}${group.name} 已有户编号为 ${household.householdNumber} 的被征收户`, { householdId });
  await commitHousehold(
    deps.uow,
    ctx,
    household,
    'household.create',
    [
      deps.households.save(household, 'absent', duplicate),
      deps.householdCards.save(householdCard(project, household, ctx.now), 'absent'),
      ...(await claimMembers(deps.households, projectId, householdId, sealed)),
      deps.counters.increment(projectId, 'households'),
    ],
    { villageGroupId: group.id, householdNumber: household.householdNumber, members: household.members.length },
  );
  return household;
}

export async function requirePublishedNotice(deps: Pick<HouseholdDeps, 'documents'>, projectId: string): Promise<{ publishedAt: string }> {
  const notice = await deps.documents.find(projectId, 'notice');
  if (notice?.status !== 'published' || !notice.publishedAt) {
    throw new RuleViolationError('household.notice-not-published', '征收土地通告尚未发布，不能登记被征收户');
  }
  return { publishedAt: notice.publishedAt };
}
