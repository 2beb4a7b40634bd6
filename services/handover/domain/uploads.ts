import { checkDeclaredFile, EVIDENCE_CONTENT_TYPES, MAX_EVIDENCE_BYTES, type DeclaredEvidence, type UploadSlot } from '../../../shared/evidence/evidence.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../../../shared/errors.ts';
import type { Identity } from '../../../shared/identity.ts';
import type { Action } from '../../../shared/permissions.ts';

const SCANS = ['application/pdf', 'image/jpeg', 'image/png'] as const;

/**
 * What a file uploaded to the handover service is for, which permission uploads it, and what it
 * may be. Every file goes the presigned path (declared SHA-256, verified, used once; decision 0011).
 */
export const UPLOAD_PURPOSES = {
  'handover-photo': { zh: '腾地、交地现场影像', action: 'handover.record', scope: 'household', types: EVIDENCE_CONTENT_TYPES, maxBytes: MAX_EVIDENCE_BYTES },
  /** Visits, notices served, the household's refusal on film: photos, videos or scanned records. */
  'refusal-evidence': { zh: '拒不腾地动员记录及影像', action: 'handover.refusal', scope: 'household', types: [...EVIDENCE_CONTENT_TYPES, 'application/pdf'], maxBytes: MAX_EVIDENCE_BYTES },
  'clearing-photo': { zh: '清表交地现场影像', action: 'handover.clearing', scope: 'household', types: EVIDENCE_CONTENT_TYPES, maxBytes: MAX_EVIDENCE_BYTES },
  /** The collective's distribution disclosure as posted in the village group. */
  'distribution-posting': { zh: '村集体分配公示张贴影像', action: 'collective-distribution.record', scope: 'village-group', types: EVIDENCE_CONTENT_TYPES, maxBytes: MAX_EVIDENCE_BYTES },
  /** The collective's distribution plan (分配方案), scanned. */
  'distribution-plan': { zh: '村集体土地补偿费分配方案扫描件', action: 'collective-distribution.record', scope: 'village-group', types: SCANS, maxBytes: 50 * 1024 ** 2 },
} as const satisfies Record<string, { zh: string; action: Action; scope: 'household' | 'village-group'; types: readonly string[]; maxBytes: number }>;

export type UploadPurpose = keyof typeof UPLOAD_PURPOSES;
export const HOUSEHOLD_PURPOSES = ['handover-photo', 'refusal-evidence', 'clearing-photo'] as const satisfies readonly UploadPurpose[];
export const GROUP_PURPOSES = ['distribution-posting', 'distribution-plan'] as const satisfies readonly UploadPurpose[];

/** Whose file it is: one household's, or one village group's of a project. */
export type UploadOwner = { householdId: string } | { projectId: string; villageGroupId: string };

/** A slot to upload one file, used once by one act. */
export interface HandoverUpload extends UploadSlot {
  owner: UploadOwner;
  projectId: string;
  purpose: UploadPurpose;
  usedBy?: string;
}

/** Under projects/, so the evidence grant covers it. */
export function handoverUploadKey(projectId: string, owner: UploadOwner, purpose: UploadPurpose, uploadId: string): string {
  return 'householdId' in owner
    ? `projects/${projectId}/households/${owner.householdId}/handover/${purpose}/${uploadId}`
    : `projects/${projectId}/collective/${owner.villageGroupId}/${purpose}/${uploadId}`;
}

/** Whether the declared file may be one of this purpose. */
export function checkUploadDeclared(purpose: UploadPurpose, declared: DeclaredEvidence): void {
  checkDeclaredFile(UPLOAD_PURPOSES[purpose], declared);
}

const sameOwner = (a: UploadOwner, b: UploadOwner) =>
  'householdId' in a ? 'householdId' in b && a.householdId === b.householdId : !('householdId' in b) && a.projectId === b.projectId && a.villageGroupId === b.villageGroupId;

/** An upload named in an act must be of this purpose and owner, requested by the acting agency, and unused. */
export function checkUploadUsable(upload: HandoverUpload, use: { owner: UploadOwner; purposes: readonly UploadPurpose[] }, actor: Identity): void {
  if (!sameOwner(upload.owner, use.owner) || !use.purposes.includes(upload.purpose)) {
    throw new ValidationError('upload.mismatch', `上传 ${upload.uploadId} 不是“${use.purposes.map((p) => UPLOAD_PURPOSES[p].zh).join('”或“')}”，或不属于本户（本村民小组）`);
  }
  if (upload.requestedBy.agency !== actor.agency || upload.requestedBy.jurisdiction !== actor.jurisdiction) {
    throw new ForbiddenError('forbidden.upload', `上传 ${upload.uploadId} 不是本单位申请的`);
  }
  if (upload.usedBy) throw new ConflictError('upload.used', `上传 ${upload.uploadId} 已被使用`);
}
