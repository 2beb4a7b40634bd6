import { EVIDENCE_CONTENT_TYPES, MAX_EVIDENCE_BYTES, type UploadSlot } from '../../../shared/evidence/evidence.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../../../shared/errors.ts';
import type { Identity } from '../../../shared/identity.ts';
import type { Action } from '../../../shared/permissions.ts';

const SCANS = ['application/pdf', 'image/jpeg', 'image/png'] as const;
const MEDIA_OR_SCANS = [...EVIDENCE_CONTENT_TYPES, 'application/pdf'] as const;

/**
 * The files of an enforcement case, what each is for and who uploads it. Every file goes the
 * presigned path (declared SHA-256, verified, used once; decision 0011).
 */
export const UPLOAD_PURPOSES = {
  'service-proof': { zh: '送达回证、送达现场影像或送达公告', action: 'enforcement.serve', types: MEDIA_OR_SCANS, maxBytes: MAX_EVIDENCE_BYTES },
  /** What is filed with the application to the court (ACL art. 55). */
  'court-materials': { zh: '申请强制执行的材料（行政强制法第五十五条）', action: 'enforcement.issue', types: MEDIA_OR_SCANS, maxBytes: MAX_EVIDENCE_BYTES },
  'remedy-document': { zh: '复议决定书或生效裁判文书', action: 'enforcement.remedy', types: SCANS, maxBytes: 50 * 1024 ** 2 },
  'statement': { zh: '当事人陈述、申辩材料', action: 'enforcement.statement', types: MEDIA_OR_SCANS, maxBytes: MAX_EVIDENCE_BYTES },
  'court-ruling': { zh: '人民法院裁定书', action: 'enforcement.court', types: SCANS, maxBytes: 50 * 1024 ** 2 },
  'execution-video': { zh: '强制执行全过程影像', action: 'enforcement.execute', types: EVIDENCE_CONTENT_TYPES, maxBytes: MAX_EVIDENCE_BYTES },
  'handover-photo': { zh: '强制执行后交地现场影像', action: 'enforcement.handover', types: EVIDENCE_CONTENT_TYPES, maxBytes: MAX_EVIDENCE_BYTES },
} as const satisfies Record<string, { zh: string; action: Action; types: readonly string[]; maxBytes: number }>;

export type UploadPurpose = keyof typeof UPLOAD_PURPOSES;
export const PURPOSES = Object.keys(UPLOAD_PURPOSES) as [UploadPurpose, ...UploadPurpose[]];

export interface EnforcementUpload extends UploadSlot {
  chainId: string;
  projectId: string;
  purpose: UploadPurpose;
  usedBy?: string;
}

/** Under projects/, so the evidence grant covers it. */
export function enforcementUploadKey(projectId: string, chainId: string, purpose: UploadPurpose, uploadId: string): string {
  return `projects/${projectId}/enforcement/${chainId}/${purpose}/${uploadId}`;
}

/** An upload named in an act must be of the case and purpose, requested by the acting agency, and unused. */
export function checkUploadUsable(upload: EnforcementUpload, use: { chainId: string; purposes: readonly UploadPurpose[] }, actor: Identity): void {
  if (upload.chainId !== use.chainId || !use.purposes.includes(upload.purpose)) {
    throw new ValidationError('upload.mismatch', `上传 ${upload.uploadId} 不是“${use.purposes.map((p) => UPLOAD_PURPOSES[p].zh).join('”或“')}”，或不属于本案`);
  }
  if (upload.requestedBy.agency !== actor.agency || upload.requestedBy.jurisdiction !== actor.jurisdiction) {
    throw new ForbiddenError('forbidden.upload', `上传 ${upload.uploadId} 不是本单位申请的`);
  }
  if (upload.usedBy) throw new ConflictError('upload.used', `上传 ${upload.uploadId} 已被使用`);
}
