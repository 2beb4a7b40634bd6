import { auditOf, type ActionContext } from '../../../shared/audit.ts';
import type { Change, ProjectRepository, UnitOfWork, Versioned } from '../../../shared/cases/ports.ts';
import type { HouseholdCard } from '../../../shared/cases/household-money.ts';
import type { Project, VillageGroup } from '../../../shared/cases/project.ts';
import { useVerifiedUploads, type EvidenceRecord, type EvidenceStore } from '../../../shared/evidence/evidence.ts';
import { ConflictError, ValidationError } from '../../../shared/errors.ts';
import type { Identity } from '../../../shared/identity.ts';
import { authorize, type Action } from '../../../shared/permissions.ts';
import { checkUploadUsable, type UploadPurpose } from '../domain/uploads.ts';
import type { Household } from '../domain/household.ts';
import { householdState } from '../domain/survey.ts';
import type { HouseholdRepository, UploadRepository } from './ports.ts';

/**
 * A household lies in its project's district and its village group's township: a township acts on
 * the households of its own groups only; district and city agencies on all of their area's.
 */
export function householdJurisdictions(project: Project, household: Pick<Household, 'villageGroupId'>): string[] {
  return [project.district, groupOf(project, household.villageGroupId).township];
}

export function authorizeOnHousehold(actor: Identity, action: Action, project: Project, household: Pick<Household, 'villageGroupId'>): void {
  authorize(actor, action, householdJurisdictions(project, household));
}

export function groupOf(project: Project, villageGroupId: string): VillageGroup {
  const group = project.villageGroups.find((g) => g.id === villageGroupId);
  if (!group) throw new ValidationError('household.village-group-unknown', `项目中没有该村民小组：${villageGroupId}`);
  return group;
}

/** The audit target of a household's action: chained under the household (decision 0004, 0012). */
export const householdTarget = (household: Pick<Household, 'householdId' | 'projectId'>, type = 'household', id = household.householdId) => ({
  type,
  id,
  projectId: household.projectId,
  householdId: household.householdId,
});

/**
 * Verifies the named uploads in the evidence bucket (size, type and the SHA-256 the store checked)
 * and returns their records with the changes that mark them used by `usedBy`.
 */
export async function verifiedUploads(
  deps: { uploads: UploadRepository; evidence: EvidenceStore },
  at: { caseId: string; projectId: string },
  purpose: UploadPurpose,
  uploadIds: readonly string[],
  usedBy: string,
  ctx: ActionContext,
): Promise<{ evidence: EvidenceRecord[]; changes: Change[] }> {
  const slots = {
    find: (id: string) => deps.uploads.find(at, id),
    check: (upload: Parameters<typeof checkUploadUsable>[0]) => checkUploadUsable(upload, { caseId: at.caseId, purpose }, ctx.actor),
    use: (upload: Parameters<typeof checkUploadUsable>[0], by: string, version: number): Change => deps.uploads.save({ ...upload, usedBy: by }, version),
  };
  return useVerifiedUploads(deps.evidence, slots, uploadIds, usedBy, ctx.now);
}

/** Commits a household change with its audit record (the chain of the household). */
export async function commitHousehold(
  uow: UnitOfWork,
  ctx: ActionContext,
  household: Pick<Household, 'householdId' | 'projectId'>,
  action: string,
  changes: readonly Change[],
  summary?: Record<string, unknown>,
): Promise<void> {
  await uow.commit(changes, [auditOf(ctx, action, householdTarget(household), summary)]);
}

/** The household (its state derived afresh), its project, and the version its next write must expect. */
export async function load(deps: { households: HouseholdRepository; projects: ProjectRepository }, householdId: string): Promise<{ project: Versioned<Project>; household: Household; version: number }> {
  const { version, ...household } = await deps.households.get(householdId);
  const project = await deps.projects.get(household.projectId);
  return { project, household: { ...household, state: householdState(household) }, version };
}

/** The kernel's card of the household (who it is), for services that act on it before any agreement. */
export function householdCard(project: Project, household: Pick<Household, 'householdId' | 'projectId' | 'villageGroupId' | 'householdNumber' | 'headName'>, now: Date): HouseholdCard {
  const { householdId, projectId, villageGroupId, householdNumber, headName } = household;
  return { householdId, projectId, villageGroupId, householdNumber, headName, caseLabel: householdLabel(project, household), updatedAt: now.toISOString() };
}

/** How people name a household: "梅湾村一组 001 号户（户主张三）". */
export function householdLabel(project: Project, household: Pick<Household, 'villageGroupId' | 'householdNumber' | 'headName'>): string {
  const group = groupOf(project, household.villageGroupId);
  return `${group.village}${group.name} ${household.householdNumber} 号户（户主${household.headName}）`;
}

export const changedMeanwhile = () => new ConflictError('conflict.concurrent-change', '该户记录已被他人更新，请刷新后重试');
