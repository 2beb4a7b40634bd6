import { auditOf, type ActionContext } from '../../../shared/audit.ts';
import type { ProjectRepository, UnitOfWork } from '../../../shared/cases/ports.ts';
import { jurisdictionsOf } from '../../../shared/cases/project.ts';
import { openUploadSlot, type EvidenceStore, type UploadInstructions } from '../../../shared/evidence/evidence.ts';
import { ValidationError } from '../../../shared/errors.ts';
import { authorize } from '../../../shared/permissions.ts';
import { checkUploadRequest, uploadKey, type CompensationUpload, type UploadPurpose } from '../domain/uploads.ts';
import { authorizeOnHousehold, householdTarget } from './household-access.ts';
import type { HouseholdRepository, UploadRepository } from './ports.ts';

export interface UploadDeps {
  uow: UnitOfWork;
  projects: ProjectRepository;
  households: HouseholdRepository;
  uploads: UploadRepository;
  evidence: EvidenceStore;
  newId: (nowMs: number) => string;
}

export interface UploadRequest {
  purpose: UploadPurpose;
  contentType: string;
  fileName: string;
  size: number;
  sha256: string;
}

/** Purposes that belong to a project (the rest belong to one household). */
const PROJECT_PURPOSES: readonly UploadPurpose[] = ['survey-workbook', 'disclosure-posting'];

/**
 * A presigned slot to upload one file for a household (survey films, confirmation, signed
 * agreement) or, with no household, for the project (a survey workbook, a disclosure's posting).
 */
export async function requestUpload(
  deps: UploadDeps,
  at: { projectId: string } | { householdId: string },
  input: UploadRequest,
  ctx: ActionContext,
): Promise<UploadInstructions> {
  const household = 'householdId' in at ? await deps.households.get(at.householdId) : undefined;
  const project = await deps.projects.get(household?.projectId ?? ('projectId' in at ? at.projectId : ''));
  const forProject = PROJECT_PURPOSES.includes(input.purpose);
  if (forProject !== (household === undefined)) {
    throw new ValidationError('upload.wrong-place', forProject ? '该类文件须在项目下上传' : '该类文件须在被征收户下上传');
  }
  const declared = { contentType: input.contentType, size: input.size, sha256: input.sha256.toLowerCase() };
  let caseId = project.id;
  if (household === undefined) {
    authorize(ctx.actor, input.purpose === 'survey-workbook' ? 'household.import' : 'disclosure.post', jurisdictionsOf(project));
  } else {
    authorizeOnHousehold(ctx.actor, 'household.read', project, household);
    caseId = household.householdId;
  }
  checkUploadRequest(input.purpose, declared, ctx.actor);
  const uploadId = deps.newId(ctx.now.getTime());
  const key = uploadKey(project.id, caseId, input.purpose, uploadId);
  const { slot, instructions } = await openUploadSlot(deps.evidence, { uploadId, key, fileName: input.fileName, declared }, ctx);
  const upload: CompensationUpload = { ...slot, caseId, projectId: project.id, purpose: input.purpose };
  const target = caseId === project.id ? { type: 'evidence', id: key, projectId: project.id } : householdTarget({ householdId: caseId, projectId: project.id }, 'evidence', key);
  await deps.uow.commit([deps.uploads.save(upload, 'absent')], [auditOf(ctx, 'evidence.upload-requested', target, { purpose: input.purpose, ...slot.declared })]);
  return instructions;
}
