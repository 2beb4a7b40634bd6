import { auditOf, type ActionContext } from '../../../shared/audit.ts';
import type { Change, UnitOfWork } from '../../../shared/cases/ports.ts';
import { openUploadSlot, useVerifiedUploads, type EvidenceRecord, type EvidenceStore, type UploadInstructions } from '../../../shared/evidence/evidence.ts';
import { ValidationError } from '../../../shared/errors.ts';
import { checkUploadDeclared, checkUploadUsable, handoverUploadKey, UPLOAD_PURPOSES, type HandoverUpload, type UploadOwner, type UploadPurpose } from '../domain/uploads.ts';
import type { HandoverUploadRepository } from './ports.ts';

export interface UploadRequest {
  purpose: UploadPurpose;
  contentType: string;
  fileName: string;
  size: number;
  sha256: string;
}

/**
 * Opens a presigned slot for one file of a household's or a village group's act. The caller has
 * authorized the purpose's action on the owner; the audit record chains under `target`.
 */
export async function openHandoverUpload(
  deps: { uow: UnitOfWork; uploads: HandoverUploadRepository; evidence: EvidenceStore; newId: (nowMs: number) => string },
  at: { owner: UploadOwner; projectId: string; target: { type: string; id: string; projectId: string; householdId?: string } },
  input: UploadRequest,
  ctx: ActionContext,
): Promise<UploadInstructions> {
  const declared = { contentType: input.contentType, size: input.size, sha256: input.sha256.toLowerCase() };
  checkUploadDeclared(input.purpose, declared);
  const uploadId = deps.newId(ctx.now.getTime());
  const key = handoverUploadKey(at.projectId, at.owner, input.purpose, uploadId);
  const { slot, instructions } = await openUploadSlot(deps.evidence, { uploadId, key, fileName: input.fileName, declared }, ctx);
  const upload: HandoverUpload = { ...slot, owner: at.owner, projectId: at.projectId, purpose: input.purpose };
  await deps.uow.commit([deps.uploads.save(upload, 'absent')], [auditOf(ctx, 'evidence.upload-requested', { ...at.target, type: 'evidence', id: key }, { purpose: input.purpose, ...slot.declared })]);
  return instructions;
}

/** The upload's purpose must belong to the place it is asked for (a household's or a village group's). */
export function checkPurposeScope(purpose: UploadPurpose, scope: 'household' | 'village-group'): void {
  if (UPLOAD_PURPOSES[purpose].scope !== scope) {
    throw new ValidationError('upload.wrong-place', scope === 'household' ? `“${UPLOAD_PURPOSES[purpose].zh}”须在村民小组下上传` : `“${UPLOAD_PURPOSES[purpose].zh}”须在被征收户下上传`);
  }
}

/**
 * Verifies the named uploads in the evidence bucket (size, type and the SHA-256 the store checked)
 * and returns their records with the changes that mark them used by `usedBy`.
 */
export async function verifiedUploads(
  deps: { uploads: HandoverUploadRepository; evidence: EvidenceStore },
  owner: UploadOwner,
  purposes: readonly UploadPurpose[],
  uploadIds: readonly string[],
  usedBy: string,
  ctx: ActionContext,
): Promise<{ evidence: EvidenceRecord[]; changes: Change[] }> {
  const slots = {
    find: (id: string) => deps.uploads.find(owner, id),
    check: (upload: Parameters<typeof checkUploadUsable>[0]) => checkUploadUsable(upload, { owner, purposes }, ctx.actor),
    use: (upload: Parameters<typeof checkUploadUsable>[0], by: string, version: number): Change => deps.uploads.save({ ...upload, usedBy: by }, version),
  };
  return useVerifiedUploads(deps.evidence, slots, uploadIds, usedBy, ctx.now);
}
