import { auditOf, auditRead, type ActionContext } from '../../../shared/audit.ts';
import { jurisdictionsOf } from '../../../shared/cases/project.ts';
import type { UploadInstructions } from '../../../shared/evidence/evidence.ts';
import { ValidationError } from '../../../shared/errors.ts';
import type { Fen } from '../../../shared/money.ts';
import { authorize } from '../../../shared/permissions.ts';
import { checkDistribution, recordDistribution, type DistributionDisclosure } from '../domain/distribution.ts';
import { UPLOAD_PURPOSES } from '../domain/uploads.ts';
import type { HandoverDeps } from './handover.ts';
import { checkPurposeScope, openHandoverUpload, verifiedUploads, type UploadRequest } from './uploads.ts';

/** The audit target of a group's disclosure: chained under the project (decision 0012). */
const groupTarget = (projectId: string, villageGroupId: string) => ({ type: 'collective-distribution', id: `${projectId}#${villageGroupId}`, projectId });

/** The project and the group, which must lie in the actor's jurisdiction (a township acts in its own groups only). */
async function loadGroup(deps: Pick<HandoverDeps, 'projects'>, projectId: string, villageGroupId: string, action: 'collective-distribution.record' | 'handover.read', ctx: ActionContext) {
  const project = await deps.projects.get(projectId);
  authorize(ctx.actor, action, jurisdictionsOf(project));
  const group = project.villageGroups.find((g) => g.id === villageGroupId);
  if (!group) throw new ValidationError('distribution.village-group-unknown', `项目中没有该村民小组：${villageGroupId}`);
  authorize(ctx.actor, action, [project.district, group.township]);
  return { project, group };
}

/** A presigned slot for the posting photos or the distribution plan's scan. */
export async function requestDistributionUpload(deps: HandoverDeps, projectId: string, villageGroupId: string, input: UploadRequest, ctx: ActionContext): Promise<UploadInstructions> {
  checkPurposeScope(input.purpose, 'village-group');
  const { project } = await loadGroup(deps, projectId, villageGroupId, UPLOAD_PURPOSES[input.purpose].action as 'collective-distribution.record', ctx);
  const owner = { projectId: project.id, villageGroupId };
  return openHandoverUpload(deps, { owner, projectId: project.id, target: groupTarget(project.id, villageGroupId) }, input, ctx);
}

export interface DistributionRequest {
  postedAt: string;
  distributedFen: Fen;
  postingUploadIds: string[];
  planUploadIds: string[];
  note?: string | undefined;
}

/**
 * The township records the collective's distribution disclosure (§三(三)) in a group of its own:
 * the posting photos and the plan's scan verified, the amount distributed in fen.
 */
export async function recordCollectiveDistribution(deps: HandoverDeps, projectId: string, villageGroupId: string, input: DistributionRequest, ctx: ActionContext): Promise<DistributionDisclosure> {
  const { project } = await loadGroup(deps, projectId, villageGroupId, 'collective-distribution.record', ctx);
  const owner = { projectId: project.id, villageGroupId };
  const earlier = await deps.distributions.ofGroup(project.id, villageGroupId);
  const stated = { postedAt: new Date(input.postedAt), distributedFen: input.distributedFen, note: input.note };
  const seq = earlier.length + 1;
  // Bad input is refused before any file is looked at.
  checkDistribution(stated, ctx.actor, ctx.now);
  if (input.postingUploadIds.some((id) => input.planUploadIds.includes(id))) throw new ValidationError('upload.duplicate', '同一证据不能重复提交');
  const postings = await verifiedUploads(deps, owner, ['distribution-posting'], input.postingUploadIds, `distribution:${villageGroupId}#${seq}`, ctx);
  const plans = await verifiedUploads(deps, owner, ['distribution-plan'], input.planUploadIds, `distribution:${villageGroupId}#${seq}`, ctx);
  const disclosure = recordDistribution(earlier, owner, { ...stated, postings: postings.evidence, plans: plans.evidence }, ctx.actor, ctx.now);
  await deps.uow.commit(
    [deps.distributions.append(disclosure), ...postings.changes, ...plans.changes],
    [auditOf(ctx, 'collective-distribution.record', groupTarget(project.id, villageGroupId), { seq: disclosure.seq, distributedFen: disclosure.distributedFen, postedAt: disclosure.postedAt, evidence: [...postings.evidence, ...plans.evidence].map((e) => e.sha256) })],
  );
  return disclosure;
}

/** The group's disclosures, oldest first (reading is audited). */
export async function readCollectiveDistributions(deps: HandoverDeps, projectId: string, villageGroupId: string, ctx: ActionContext) {
  const { project } = await loadGroup(deps, projectId, villageGroupId, 'handover.read', ctx);
  const disclosures = await deps.distributions.ofGroup(project.id, villageGroupId);
  await auditRead(deps.uow, ctx, 'collective-distribution.read', groupTarget(project.id, villageGroupId), { count: disclosures.length });
  const distributedFen = disclosures.reduce((sum, d) => sum + d.distributedFen, 0);
  return { projectId: project.id, villageGroupId, distributedFen, disclosures };
}
